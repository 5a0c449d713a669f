//! People: a title with a name (`Dr Patel`, `Mrs Jones`), capitalised words
//! that are known given names or surnames outside sentence starts (a full
//! name, `Sarah Jones`, at a sentence start too), and speaker labels that
//! look like real names.
//!
//! The lists are `data/names/` (US Census 1990 names, public domain, trimmed
//! and with a UK supplement: see its README), embedded in the binary.

use std::collections::HashSet;
use std::sync::LazyLock;

const GIVEN: &str = include_str!("../../data/names/given.txt");
const SURNAMES: &str = include_str!("../../data/names/surnames.txt");

/// Titles that precede a name.
const TITLES: &[&str] = &[
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "prof",
    "professor",
    "sister",
    "dame",
    "sir",
    "lady",
    "lord",
    "rev",
    "revd",
    "dr.",
    "mr.",
    "mrs.",
    "ms.",
    "prof.",
    "rev.",
];

/// Words that make the capitalised word before them a place or an
/// organisation (`Byron House`, `Kingsley Ward`, `Bingham Health Centre`).
const PLACE_WORDS: &[&str] = &[
    "house",
    "unit",
    "ward",
    "wards",
    "centre",
    "center",
    "hospital",
    "health",
    "healthcare",
    "street",
    "road",
    "lane",
    "avenue",
    "practice",
    "surgery",
    "court",
    "clinic",
    "trust",
    "medical",
    "close",
    "drive",
    "way",
    "park",
    "square",
    "place",
    "school",
    "college",
    "university",
    "primary",
    "academy",
    "building",
    "wing",
    "suite",
    "institute",
    "foundation",
    "hospice",
    "village",
    "estate",
    "crescent",
    "gardens",
    "terrace",
    "lodge",
    "manor",
    "station",
    "airport",
    "county",
    "city",
    "council",
    "borough",
    "district",
    "team",
];

/// Place words that count in lower case too (`Fraser ward`).
const LOWER_PLACE_WORDS: &[&str] = &[
    "ward", "wards", "unit", "team", "house", "centre", "hospital", "surgery", "practice",
    "clinic", "street", "road", "lane", "avenue",
];

/// Labels that name a role, not a person.
const ROLE_WORDS: &[&str] = &[
    "interviewer",
    "interviewee",
    "participant",
    "respondent",
    "moderator",
    "facilitator",
    "speaker",
    "host",
    "chair",
    "patient",
    "carer",
    "nurse",
    "doctor",
    "researcher",
    "note",
    "unknown",
    "audience",
    "guest",
    "panel",
    "panellist",
    "panelist",
    "group",
    "all",
    "both",
    "male",
    "female",
    "man",
    "woman",
    "child",
    "parent",
    "manager",
    "staff",
    "presenter",
];

/// Given names and surnames, lower case.
pub(crate) struct NameList {
    given: HashSet<&'static str>,
    names: HashSet<String>,
}

static NAMES: LazyLock<NameList> = LazyLock::new(|| {
    let lines = |s: &'static str| {
        s.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
    };
    let names = lines(GIVEN)
        .chain(lines(SURNAMES))
        .map(str::to_ascii_lowercase)
        .collect();
    NameList {
        given: lines(GIVEN).collect(),
        names,
    }
});

impl NameList {
    /// The embedded lists.
    pub(crate) fn get() -> &'static NameList {
        &NAMES
    }

    /// Whether `word` (any case) is a known given name or surname; a
    /// hyphenated name when each part is.
    pub(crate) fn contains(&self, word: &str) -> bool {
        let lower = word.to_ascii_lowercase();
        self.names.contains(&lower)
            || (lower.contains('-') && lower.split('-').all(|p| self.names.contains(p)))
    }

    /// Whether `word` (title case) is a known given name.
    fn is_given(&self, word: &str) -> bool {
        self.given.contains(word)
    }

    /// How many names the lists hold.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }
}

/// A person found in text: a byte span and the name as a key (lower case,
/// title and possessive left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Person {
    pub start: usize,
    pub end: usize,
    pub key: String,
}

/// A word of text: ASCII letters, with inner apostrophes and hyphens.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
}

fn words(text: &str) -> Vec<Word> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphabetic() || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while end < b.len() {
            let joiner = (b[end] == b'\'' || b[end] == b'-')
                && b.get(end + 1).is_some_and(u8::is_ascii_alphabetic);
            if b[end].is_ascii_alphabetic() || joiner {
                end += 1;
            } else if text[end..].starts_with('’')
                && b.get(end + 3).is_some_and(u8::is_ascii_alphabetic)
            {
                end += 3;
            } else {
                break;
            }
        }
        if !b.get(end).is_some_and(u8::is_ascii_digit) {
            out.push(Word { start, end });
        }
        i = end.max(i + 1);
    }
    out
}

/// The word without a possessive `'s`.
fn core(word: &str) -> &str {
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word)
}

fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '\'')
}

/// Whether the word at `start` opens a sentence: nothing but quotes and
/// brackets before it in `text`, or sentence-ending punctuation, or a blank
/// line. A line break alone is not (a sentence broken over two lines).
fn sentence_start(text: &str, start: usize) -> bool {
    let mut newlines = 0;
    for c in text[..start].chars().rev() {
        match c {
            '\n' => {
                newlines += 1;
                if newlines >= 2 {
                    return true;
                }
            }
            c if c.is_whitespace() => {}
            '"' | '\'' | '“' | '‘' | '(' | '[' | '-' | '–' | '—' | '*' | '_' => {}
            '.' | '!' | '?' | '…' | ';' | ':' => return true,
            _ => return false,
        }
    }
    true
}

/// The people in `text`, in order. `allowed` says whether a word (lower
/// case) is not an identifier in this study.
pub(crate) fn find(text: &str, list: &NameList, allowed: &dyn Fn(&str) -> bool) -> Vec<Person> {
    let words = words(text);
    let mut flagged: Vec<(usize, bool)> = Vec::new(); // (word index, after a title)
    for (i, w) in words.iter().enumerate() {
        let word = core(&text[w.start..w.end]);
        if !is_capitalised(word) || allowed(&word.to_ascii_lowercase()) || is_place(text, &words, i)
        {
            continue;
        }
        let titled = i > 0 && {
            let prev = &words[i - 1];
            let between = &text[prev.end..w.start];
            let title = text[prev.start..prev.end].to_ascii_lowercase();
            TITLES.contains(&title.as_str())
                && (between == " " || between == ". " || between == ".\u{a0}")
                && is_capitalised(&text[prev.start..prev.end])
        };
        if titled && !(word == "I" || word.starts_with("I'") || word.starts_with("I’")) {
            flagged.push((i, true));
            continue;
        }
        if !list.contains(word) {
            // A capitalised word after a flagged given name: the surname.
            let after_given = flagged.last().is_some_and(|&(j, _)| {
                j + 1 == i
                    && text[words[j].end..w.start] == *" "
                    && list.is_given(core(&text[words[j].start..words[j].end]))
            });
            if after_given && !TITLES.contains(&word.to_ascii_lowercase().as_str()) {
                flagged.push((i, false));
            }
            continue;
        }
        if !sentence_start(text, w.start) {
            flagged.push((i, false));
            continue;
        }
        // At a sentence start only a full name counts: this word and the
        // next, both names.
        if let Some(next) = words.get(i + 1) {
            let next_word = core(&text[next.start..next.end]);
            if text[w.end..next.start] == *" "
                && is_capitalised(next_word)
                && list.contains(next_word)
                && list.is_given(word)
            {
                flagged.push((i, false));
            }
        }
    }
    merge(text, &words, &flagged)
}

/// Whether the word at `i` names a place: a place word follows it
/// (`Byron House`) or `St` precedes it (`St Helens`).
fn is_place(text: &str, words: &[Word], i: usize) -> bool {
    let next = words.get(i + 1).is_some_and(|n| {
        let between = &text[words[i].end..n.start];
        let word = &text[n.start..n.end];
        let lower = word.to_ascii_lowercase();
        between == " "
            && ((is_capitalised(word) && PLACE_WORDS.contains(&lower.as_str()))
                || LOWER_PLACE_WORDS.contains(&word))
    });
    // `Harvey 1`, `Kingsley & Cherry`: a ward's number, a pair of wards.
    let after = &text[words[i].end..];
    let numbered = after
        .strip_prefix(' ')
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
    let saint = i > 0 && {
        let prev = &text[words[i - 1].start..words[i - 1].end];
        matches!(prev, "St" | "Saint")
            && text[words[i - 1].end..words[i].start].trim_start_matches('.') == " "
    };
    next || saint || numbered
}

/// Adjacent flagged words (one space apart) as one person each.
fn merge(text: &str, words: &[Word], flagged: &[(usize, bool)]) -> Vec<Person> {
    let mut out: Vec<Person> = Vec::new();
    let mut last: Option<usize> = None;
    for &(i, _) in flagged {
        let w = words[i];
        let name = core(&text[w.start..w.end]);
        let end = w.start + name.len();
        let joins = last.is_some_and(|j| j + 1 == i && &text[words[j].end..w.start] == " ");
        match out.last_mut() {
            Some(p) if joins => {
                p.end = end;
                p.key.push(' ');
                p.key.push_str(&name.to_ascii_lowercase());
            }
            _ => out.push(Person {
                start: w.start,
                end,
                key: name.to_ascii_lowercase(),
            }),
        }
        last = Some(i);
    }
    out
}

/// Whether a speaker label looks like a real name: one to four capitalised
/// words (initials allowed), not a role, and either holding a known name or
/// a title, or two words or more (`Firstname Lastname`).
pub(crate) fn label_is_name(label: &str, list: &NameList, allowed: &dyn Fn(&str) -> bool) -> bool {
    let label = label.trim().trim_matches(['*', '_']).trim();
    if label.is_empty() || allowed(&label.to_ascii_lowercase()) {
        return false;
    }
    let parts: Vec<&str> = label.split_whitespace().collect();
    if parts.len() > 4 {
        return false;
    }
    let mut known = false;
    let mut words = 0;
    for p in &parts {
        let lower = p.to_ascii_lowercase();
        if ROLE_WORDS.contains(&lower.as_str()) || p.chars().any(|c| c.is_ascii_digit()) {
            return false;
        }
        let initial = p.len() <= 2 && p.ends_with('.');
        if initial {
            continue;
        }
        if !is_capitalised(p) || !p.chars().all(|c| c.is_alphabetic() || "'’-.".contains(c)) {
            return false;
        }
        words += 1;
        known |= (list.contains(core(p)) && !allowed(&lower)) || TITLES.contains(&lower.as_str());
    }
    words >= 1 && (known || words >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(text: &str) -> Vec<String> {
        find(text, NameList::get(), &|_| false)
            .into_iter()
            .map(|p| text[p.start..p.end].to_string())
            .collect()
    }

    #[test]
    fn names_mid_sentence_titles_and_full_names_are_people() {
        assert_eq!(people("I spoke to Sarah about it."), ["Sarah"]);
        assert_eq!(people("then Dr Okonkwo came"), ["Okonkwo"]);
        assert_eq!(people("and Mrs. Jones's son"), ["Jones"]);
        assert_eq!(people("ask John Smith, he knows"), ["John Smith"]);
        assert_eq!(people("Sarah Jones rang."), ["Sarah Jones"]);
        assert_eq!(people("with Sarah\nJones"), ["Sarah", "Jones"]);
        assert_eq!(people("I told Priya Okonkwo-Bell"), ["Priya Okonkwo-Bell"]);
        assert_eq!(people("she said \"Sarah, come here\""), ["Sarah"]);
    }

    #[test]
    fn sentence_starts_and_ordinary_words_are_not_people() {
        assert!(people("Sarah said so.").is_empty());
        assert!(people("We went. Sarah said so.").is_empty());
        assert!(people("In May we met the Council in Leeds on Monday.").is_empty());
        assert!(people("the NHS and the GP").is_empty());
        assert!(people("seen at Bingham Health Centre and Byron House, near St Helens").is_empty());
        assert!(people("on Fraser ward, then Harvey 1, with the Hart Team").is_empty());
        assert!(people("the best Dr I've had").is_empty());
    }

    #[test]
    fn the_allow_list_keeps_a_word() {
        let found = find("we met in Barnsley with Sarah", NameList::get(), &|w| {
            w == "barnsley"
        });
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].key, "sarah");
    }

    #[test]
    fn speaker_labels_that_look_like_names() {
        let l = NameList::get();
        let none = |_: &str| false;
        for yes in [
            "Sarah",
            "John Smith",
            "Dr Patel",
            "Ngozi Okafor",
            "J. Smith",
        ] {
            assert!(label_is_name(yes, l, &none), "{yes}");
        }
        for no in [
            "Interviewer",
            "P1",
            "Participant 3",
            "Respondent",
            "Q",
            "Speaker 2",
            "R",
        ] {
            assert!(!label_is_name(no, l, &none), "{no}");
        }
    }

    #[test]
    fn the_lists_are_loaded() {
        let l = NameList::get();
        assert!(l.len() > 5000);
        assert!(l.contains("Patel") && l.contains("sarah") && !l.contains("street"));
    }
}
