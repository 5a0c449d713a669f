//! The structured detectors: NHS numbers (with their modulus-11 check
//! digit), UK phone numbers, email addresses, full UK postcodes, National
//! Insurance numbers, full dates and URLs. Each is a regex found with
//! `find_iter` and then checked (digits counted, check digit, a real day
//! and month), so that times (`10:30`), money (`£1,250`), years (`1985`)
//! and ten-digit numbers with a wrong check digit are not flagged.
//!
//! Word boundaries are ASCII (`(?-u:\b)`): the regex crate's lazy DFA then
//! runs on any text, non-ASCII included, which keeps scanning fast.

use regex::Regex;

use super::Kind;

/// The compiled structured detectors.
#[derive(Debug, Clone)]
pub(crate) struct Structured {
    nhs: Regex,
    phone: Regex,
    email: Regex,
    url: Regex,
    postcode: Regex,
    ni: Regex,
    date_numeric: Regex,
    date_words: Regex,
}

const MONTHS: &str = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

impl Structured {
    pub(crate) fn new() -> Structured {
        let b = r"(?-u:\b)";
        let re = |s: &str| Regex::new(s).expect("a detector's regex is valid");
        Structured {
            nhs: re(&format!(r"{b}\d{{3}}[ \t\n-]?\d{{3}}[ \t\n-]?\d{{4}}{b}")),
            phone: re(&format!(
                r"(?:\+44|{b}0044)[ \t.-]?(?:\(0\)[ \t.-]?)?\(?\d(?:[ \t\n.\-()]{{0,2}}\d){{8,9}}{b}|\(?{b}0[1-9](?:[ \t\n.\-()]{{0,2}}\d){{8,9}}{b}"
            )),
            email: re(&format!(
                r"{b}[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{{2,}}{b}"
            )),
            url: re(&format!(r"(?i){b}(?:https?://|www\.)[^\s<>\x22']+")),
            postcode: re(&format!(
                r"(?i){b}(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)[ \t]{{0,2}}\d[ABD-HJLNP-UW-Z]{{2}}{b}"
            )),
            ni: re(&format!(
                r"(?i){b}[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][ \t]?\d{{2}}[ \t]?\d{{2}}[ \t]?\d{{2}}[ \t]?[A-D]{b}"
            )),
            date_numeric: re(&format!(
                r"{b}(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{2}}-\d{{2}}){b}"
            )),
            date_words: re(&format!(
                r"(?i){b}(?:\d{{1,2}}(?:st|nd|rd|th)?(?:[ \t]+of)?[ \t]+(?:{MONTHS})\.?,?[ \t]+\d{{4}}|(?:{MONTHS})\.?[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+\d{{4}}){b}"
            )),
        }
    }

    /// Pushes every structured identifier in `text` as `(kind, start, end)`,
    /// offsets relative to `text`, unordered.
    pub(crate) fn find(&self, text: &str, out: &mut Vec<(Kind, usize, usize)>) {
        let bytes = text.as_bytes();
        if memchr::memchr(b'@', bytes).is_some() {
            for m in self.email.find_iter(text) {
                out.push((Kind::Email, m.start(), m.end()));
            }
        }
        if memchr::memmem::find(bytes, b"http").is_some()
            || memchr::memmem::find(bytes, b"www.").is_some()
            || memchr::memmem::find(bytes, b"WWW.").is_some()
        {
            for m in self.url.find_iter(text) {
                let end = m.start() + trim_url(m.as_str());
                out.push((Kind::Url, m.start(), end));
            }
        }
        if !bytes.iter().any(u8::is_ascii_digit) {
            return;
        }
        for m in self.nhs.find_iter(text) {
            if nhs_valid(m.as_str()) {
                out.push((Kind::NhsNumber, m.start(), m.end()));
            }
        }
        for m in self.phone.find_iter(text) {
            let s = m.as_str();
            // "(020 7946 0958)": the opening bracket of an aside, not the
            // number's.
            let open = usize::from(s.starts_with('(') && !s.contains(')'));
            if phone_valid(&s[open..]) {
                out.push((Kind::Phone, m.start() + open, m.end()));
            }
        }
        for m in self.postcode.find_iter(text) {
            out.push((Kind::Postcode, m.start(), m.end()));
        }
        for m in self.ni.find_iter(text) {
            if ni_valid(m.as_str()) {
                out.push((Kind::NiNumber, m.start(), m.end()));
            }
        }
        for m in self.date_numeric.find_iter(text) {
            if numeric_date_valid(m.as_str()) {
                out.push((Kind::Date, m.start(), m.end()));
            }
        }
        for m in self.date_words.find_iter(text) {
            if words_date_valid(m.as_str()) {
                out.push((Kind::Date, m.start(), m.end()));
            }
        }
    }
}

/// The length of a URL without the punctuation that ends the sentence.
fn trim_url(url: &str) -> usize {
    url.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '}', '’', '”'])
        .len()
}

fn digits(s: &str) -> Vec<u32> {
    s.chars().filter_map(|c| c.to_digit(10)).collect()
}

/// Whether ten digits are an NHS number: the modulus-11 check digit.
pub(crate) fn nhs_valid(s: &str) -> bool {
    let d = digits(s);
    if d.len() != 10 {
        return false;
    }
    let sum: u32 = d[..9].iter().zip((2..=10).rev()).map(|(x, w)| x * w).sum();
    let check = 11 - sum % 11;
    let check = if check == 11 { 0 } else { check };
    check != 10 && check == d[9]
}

/// Whether a run of digits is a UK phone number: 10 or 11 digits from the
/// leading 0 (or after +44 and its optional `(0)`), in a UK range.
fn phone_valid(s: &str) -> bool {
    let international = s.starts_with('+') || s.starts_with("0044");
    let mut d = digits(s);
    if international {
        d.drain(..if s.starts_with('+') { 2 } else { 4 });
        if s.contains("(0)") {
            d.retain({
                let mut first = true;
                move |x| !(std::mem::take(&mut first) && *x == 0)
            });
        }
        d.insert(0, 0);
    }
    if s.matches('(').count() != s.matches(')').count() {
        return false;
    }
    matches!(d.len(), 10 | 11) && d[0] == 0 && matches!(d[1], 1 | 2 | 3 | 5 | 7 | 8 | 9)
}

/// National Insurance prefixes that are never issued.
fn ni_valid(s: &str) -> bool {
    let prefix = s[..2].to_ascii_uppercase();
    !matches!(
        prefix.as_str(),
        "BG" | "GB" | "KN" | "NK" | "NT" | "TN" | "ZZ"
    )
}

fn day_month_ok(day: u32, month: u32) -> bool {
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

fn numeric_date_valid(s: &str) -> bool {
    let parts: Vec<u32> = s
        .split(['/', '.', '-'])
        .filter_map(|p| p.parse().ok())
        .collect();
    match parts.as_slice() {
        [y, m, d] if *y >= 1000 => day_month_ok(*d, *m),
        // UK order first, then US order.
        [a, b, _] => day_month_ok(*a, *b) || day_month_ok(*b, *a),
        _ => false,
    }
}

fn words_date_valid(s: &str) -> bool {
    let day = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .find(|p| p.len() <= 2)
        .and_then(|p| p.parse::<u32>().ok());
    day.is_some_and(|d| (1..=31).contains(&d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        let mut out = Vec::new();
        Structured::new().find(text, &mut out);
        out.sort_by_key(|f| f.1);
        out.into_iter()
            .map(|(k, s, e)| (k, text[s..e].to_string()))
            .collect()
    }

    #[test]
    fn nhs_numbers_need_their_check_digit() {
        assert!(nhs_valid("943 476 5919"));
        assert!(nhs_valid("9434765919"));
        assert!(!nhs_valid("943 476 5918"));
        assert_eq!(
            kinds("my number is 943-476-5919."),
            vec![(Kind::NhsNumber, "943-476-5919".into())]
        );
        assert!(kinds("my number is 943 476 5918").is_empty());
    }

    #[test]
    fn phones_in_their_uk_forms_are_found() {
        for phone in [
            "020 7946 0958",
            "07700 900123",
            "07700900123",
            "+44 7700 900123",
            "+44 (0)20 7946 0958",
            "(0113) 496 0000",
            "0161-496-0000",
            "0044 161 496 0000",
        ] {
            let found = kinds(&format!("ring ({phone}) today"));
            assert_eq!(found, vec![(Kind::Phone, phone.to_string())], "({phone})");
            let found = kinds(&format!("ring {phone} today"));
            assert_eq!(found, vec![(Kind::Phone, phone.to_string())], "{phone}");
        }
    }

    #[test]
    fn times_money_and_years_are_not_identifiers() {
        for text in [
            "at 10:30 on the ward",
            "it cost £1,250.00 a month",
            "back in 1985 and 2003",
            "from 9 to 5, 24/7",
            "about 12,000 people",
            "a 2-1 win in March 2019",
            "version 1.2.3",
        ] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
    }

    #[test]
    fn emails_urls_postcodes_ni_numbers_and_dates_are_found() {
        let text = "Email (jo.bloggs@nhs.net), see https://example.org/a?b=1. \
                    Post to LS1 4AP or ls14ap, NI AB 12 34 56 C, born 12/03/1985, \
                    on 3rd of March 1985, March 3, 1985, 1985-03-12 and www.example.co.uk!";
        let got: Vec<Kind> = kinds(text).into_iter().map(|k| k.0).collect();
        assert_eq!(
            got,
            vec![
                Kind::Email,
                Kind::Url,
                Kind::Postcode,
                Kind::Postcode,
                Kind::NiNumber,
                Kind::Date,
                Kind::Date,
                Kind::Date,
                Kind::Date,
                Kind::Url
            ]
        );
        assert_eq!(
            kinds("https://example.org/a.")[0].1,
            "https://example.org/a"
        );
    }

    #[test]
    fn impossible_dates_are_not_dates() {
        assert!(kinds("on 45/13/2020").is_empty());
        assert!(kinds("on 0 March 2020").is_empty());
    }
}
