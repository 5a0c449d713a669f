//! The pattern language of codebooks, translated to `regex` syntax.
//!
//! A plain pattern is one or more words:
//!
//! * words match whole words, case-insensitively (`nurse` never matches
//!   `nursery`);
//! * a word in ALL CAPS with at least two letters (`IT`, `GP`, `MDT`, `A&E`)
//!   matches case-sensitively, so `IT` never matches "it";
//! * `*` ending a word is a word-suffix wildcard (`integrat*`) over ASCII
//!   letters, digits and `_`;
//! * a space or hyphen between words matches any run of whitespace (line
//!   breaks included) and hyphens, so `social care` matches `social-care` and
//!   a phrase broken over two lines;
//! * `'` also matches the typographic apostrophe `’`; other punctuation
//!   matches literally.
//!
//! `re:` introduces a raw regular expression, used as written.
//!
//! `A NEAR/n B` matches where both A and B occur, in either order, with at
//! most n words between them; `A NEAR/s B` where they occur in the same
//! sentence.
//!
//! With spelling variants on (the codebook default), plain words also match
//! their British/American spellings (`organisation`/`organization`,
//! `colour`/`color`, `centre`/`center`, `paediatric`/`pediatric`,
//! `counselling`/`counseling`, `programme`/`program`) and a hyphen in a
//! pattern also matches nothing (`co-location` matches `colocation`).
//!
//! This module only translates; matching lives in [`crate::matcher`].

use crate::error::PatternError;

/// The characters a space or hyphen in a pattern stands for, as a regex class.
const SEPARATOR: &str = r"[\s\-\u{2010}\u{2011}]+";

/// A hyphen in a pattern, with spelling variants on: the words may also be
/// closed up (`co-location` matches `colocation`).
const HYPHEN_OR_NOTHING: &str = r"[\s\-\u{2010}\u{2011}]*";

/// How patterns are translated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Also match British/American spellings and closed-up hyphenations.
    pub variants: bool,
}

/// One compiled part of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compiled {
    /// The regex.
    pub regex: String,
    /// A literal (compared ASCII-case-insensitively) that every match
    /// contains, for the prefilter; `None` when there is no such literal.
    pub anchor: Option<String>,
    /// The same pattern as a sequence of literal words, when it can be
    /// matched without a regex (ASCII, starting with a word character, every
    /// word a finite set of spellings); `None` otherwise.
    pub plain: Option<Plain>,
}

/// A plain pattern as literal words, for the regex-free matcher in
/// [`crate::matcher`]. It matches exactly what [`Compiled::regex`] matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plain {
    /// The words, in order; there is at least one.
    pub words: Vec<PlainWord>,
    /// The match must end at a word boundary (Unicode `\b`).
    pub word_end: bool,
}

/// One word of a [`Plain`] pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainWord {
    /// The byte strings the word may be, in the regex's order of preference
    /// (spelling variants and both apostrophes expanded).
    pub spellings: Vec<Vec<u8>>,
    /// Letters compare exactly (an acronym), not ASCII-case-insensitively.
    pub case_sensitive: bool,
    /// Followed by any run of ASCII word characters (`*`).
    pub wildcard: bool,
    /// The separator run before this word may be empty (a closed-up
    /// hyphenation with spelling variants on). Unused for the first word.
    pub closed_up: bool,
}

/// How close the two halves of a `NEAR` pattern must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Within {
    /// At most this many words between them.
    Words(usize),
    /// In the same sentence.
    Sentence,
}

/// A pattern translated for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    /// One regex.
    Single(Compiled),
    /// `A NEAR/n B` or `A NEAR/s B`: both, in either order, close together.
    Near {
        /// The first part.
        a: Compiled,
        /// The second part.
        b: Compiled,
        /// How close.
        within: Within,
    },
}

impl Pattern {
    /// The anchor of the pattern: for `NEAR`, the longer of the two halves'
    /// (both halves must match, so either's anchor must occur), or the one
    /// half's that has one (a `re:` half has none).
    pub fn anchor(&self) -> Option<&str> {
        match self {
            Pattern::Single(c) => c.anchor.as_deref(),
            Pattern::Near { a, b, .. } => match (&a.anchor, &b.anchor) {
                (Some(x), Some(y)) => Some(if y.len() > x.len() { y } else { x }),
                (Some(x), None) | (None, Some(x)) => Some(x),
                (None, None) => None,
            },
        }
    }
}

/// Translates one codebook pattern: a plain pattern, a `re:` regex, or two
/// of them joined by `NEAR/n` (within n words) or `NEAR/s` (same sentence).
///
/// ```
/// use mint::pattern::{compile, Options, Pattern, Within};
/// let Pattern::Near { within, .. } = compile("GP NEAR/10 meeting*", &Options::default()).unwrap() else {
///     panic!()
/// };
/// assert_eq!(within, Within::Words(10));
/// ```
pub fn compile(pattern: &str, options: &Options) -> Result<Pattern, PatternError> {
    static NEAR: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\s+NEAR/(\d+|s)\s+").unwrap());
    let mut parts = NEAR.split(pattern);
    let first = parts.next().unwrap_or("");
    let Some(caps) = NEAR.captures(pattern) else {
        return single(pattern, options).map(Pattern::Single);
    };
    let second = parts.next().unwrap_or("");
    if parts.next().is_some() {
        return Err(PatternError::Near(pattern.to_string()));
    }
    let within = match &caps[1] {
        "s" => Within::Sentence,
        n => Within::Words(
            n.parse()
                .map_err(|_| PatternError::Near(pattern.to_string()))?,
        ),
    };
    Ok(Pattern::Near {
        a: single(first, options)?,
        b: single(second, options)?,
        within,
    })
}

/// Translates one plain or `re:` pattern into a regular expression, without
/// spelling variants.
///
/// ```
/// use mint::pattern::to_regex;
/// let re = regex::Regex::new(&to_regex("social care").unwrap()).unwrap();
/// assert!(re.is_match("Social-\ncare"));
/// let it = regex::Regex::new(&to_regex("IT").unwrap()).unwrap();
/// assert!(it.is_match("the IT team") && !it.is_match("it is"));
/// ```
pub fn to_regex(pattern: &str) -> Result<String, PatternError> {
    single(pattern, &Options::default()).map(|c| c.regex)
}

fn single(pattern: &str, options: &Options) -> Result<Compiled, PatternError> {
    if let Some(raw) = pattern.strip_prefix("re:") {
        if raw.trim().is_empty() {
            return Err(PatternError::Empty);
        }
        let invalid = |message: String| PatternError::Regex {
            pattern: pattern.to_string(),
            message,
        };
        if let Err(err) = regex_syntax::Parser::new().parse(raw) {
            return Err(invalid(regex_message(&err)));
        }
        return match regex::Regex::new(raw) {
            Ok(_) => Ok(Compiled {
                regex: raw.to_string(),
                anchor: None,
                plain: None,
            }),
            Err(err) => Err(invalid(
                err.to_string()
                    .lines()
                    .last()
                    .unwrap_or("")
                    .trim()
                    .to_string(),
            )),
        };
    }
    // Words, each with the separator run that precedes it.
    let mut words: Vec<(&str, &str)> = Vec::new();
    let mut rest = pattern.trim_matches(is_separator);
    while !rest.is_empty() {
        let sep_len = rest.len() - rest.trim_start_matches(is_separator).len();
        let (sep, tail) = rest.split_at(sep_len);
        let word_len = tail.find(is_separator).unwrap_or(tail.len());
        let (word, tail) = tail.split_at(word_len);
        words.push((sep, word));
        rest = tail;
    }
    if words.is_empty() {
        return Err(PatternError::Empty);
    }
    let mut out = String::new();
    let mut anchor: Option<String> = None;
    let mut consider = |literal: &str| {
        for run in literal.split(|c: char| !c.is_ascii_alphanumeric()) {
            if run.len() > anchor.as_ref().map_or(0, String::len) {
                anchor = Some(run.to_string());
            }
        }
    };
    let non_ascii = !pattern.is_ascii();
    // The regex-free form: only for ASCII patterns whose match starts at a
    // word boundary, so the matcher can look for them at word starts only.
    let mut plain = (!non_ascii
        && words[0]
            .1
            .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
    .then(|| Plain {
        words: Vec::new(),
        word_end: false,
    });
    for (i, (sep, word)) in words.iter().enumerate() {
        let (body, wildcard) = match word.strip_suffix('*') {
            Some(body) => (body, true),
            None => (*word, false),
        };
        if body.is_empty() || body.contains('*') {
            return Err(PatternError::MisplacedWildcard(pattern.to_string()));
        }
        if i == 0 && body.starts_with(is_word_char) {
            out.push_str(r"\b");
        }
        let closed_up = i > 0 && options.variants && sep.chars().any(|c| !c.is_whitespace());
        if i > 0 {
            out.push_str(if closed_up {
                HYPHEN_OR_NOTHING
            } else {
                SEPARATOR
            });
        }
        let pieces = if options.variants && !is_acronym(body) {
            variants(body)
        } else {
            vec![Piece::Lit(body.to_string())]
        };
        let mut word_regex = String::new();
        for piece in &pieces {
            match piece {
                Piece::Lit(lit) => {
                    consider(lit);
                    word_regex.push_str(&escape_word(lit));
                }
                Piece::Re(re) => word_regex.push_str(re),
            }
        }
        plain = plain.take().and_then(|mut p| {
            p.words.push(PlainWord {
                spellings: spellings(&word_regex)?,
                case_sensitive: is_acronym(body),
                wildcard,
                closed_up,
            });
            Some(p)
        });
        if is_acronym(body) {
            out.push_str(&word_regex);
        } else if body.is_ascii() {
            // ASCII case folding: Unicode's adds the Kelvin sign and long s
            // to every k and s, which slows the search for nothing.
            out.push_str("(?i-u:");
            out.push_str(&word_regex);
            out.push(')');
        } else {
            out.push_str("(?i:");
            out.push_str(&word_regex);
            out.push(')');
        }
        if wildcard {
            // ASCII word characters: a Unicode `\w*` costs ~20x more to
            // compile, and a codebook has thousands of wildcards.
            out.push_str(r"(?-u:\w)*");
        } else if i == words.len() - 1 && body.ends_with(is_word_char) {
            out.push_str(r"\b");
            if let Some(p) = &mut plain {
                p.word_end = true;
            }
        }
    }
    // Non-ASCII letters fold case beyond ASCII: no safe literal anchor.
    let anchor = if non_ascii { None } else { anchor };
    Ok(Compiled {
        regex: out,
        anchor,
        plain,
    })
}

/// Every string a word's regex (case-sensitive, as built above) matches, in
/// the regex's order of preference; `None` if there are too many.
fn spellings(word_regex: &str) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::literal::Extractor;
    let hir = regex_syntax::parse(word_regex).ok()?;
    let seq = Extractor::new().extract(&hir);
    if !seq.is_exact() || seq.len()? > 64 {
        return None;
    }
    let spellings: Vec<Vec<u8>> = seq
        .literals()?
        .iter()
        .map(|l| l.as_bytes().to_vec())
        .collect();
    (!spellings.is_empty() && spellings.iter().all(|s| !s.is_empty())).then_some(spellings)
}

/// A part of a word: literal text, or a regex for a spelling variant.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Lit(String),
    Re(String),
}

/// Whole words with two common spellings, as (spelling, regex for both).
const WORD_VARIANTS: &[(&str, &str)] = &[
    ("programme", "program(?:me)?"),
    ("program", "program(?:me)?"),
    ("judgement", "judge?ment"),
    ("judgment", "judge?ment"),
    ("ageing", "age?ing"),
    ("aging", "age?ing"),
    ("licence", "licen[cs]e"),
    ("license", "licen[cs]e"),
    ("defence", "defen[cs]e"),
    ("defense", "defen[cs]e"),
    ("offence", "offen[cs]e"),
    ("offense", "offen[cs]e"),
    ("practise", "practi[cs]e"),
    ("practice", "practi[cs]e"),
    ("catalogue", "catalog(?:ue)?"),
    ("catalog", "catalog(?:ue)?"),
    ("dialogue", "dialog(?:ue)?"),
    ("dialog", "dialog(?:ue)?"),
    ("grey", "gr[ae]y"),
    ("gray", "gr[ae]y"),
    ("enrol", "enroll?"),
    ("enroll", "enroll?"),
    ("fulfil", "fulfill?"),
    ("fulfill", "fulfill?"),
];

/// Endings that may follow a word-variant spelling.
const ENDINGS: &[&str] = &["", "s", "d", "ed", "es", "ing", "ment", "ments"];

/// The British/American variants of a lower-case ASCII word, as pieces:
/// -ise/-ize and -yse/-yze, -our/-or, -re/-er, ae/oe, -ll-/-l- before an
/// ending, and a list of whole words. Other words come back as one literal.
/// The rules only ever widen a match to spellings that are not other
/// English words of interest (`colour` also matches `color`).
fn variants(body: &str) -> Vec<Piece> {
    let lower = body.to_ascii_lowercase();
    if lower.len() < 4 || !lower.bytes().all(|b| b.is_ascii_lowercase()) {
        return vec![Piece::Lit(body.to_string())];
    }
    for (word, re) in WORD_VARIANTS {
        if let Some(ending) = lower.strip_prefix(word)
            && ENDINGS.contains(&ending)
        {
            let mut pieces = vec![Piece::Re(re.to_string())];
            if !ending.is_empty() {
                pieces.push(Piece::Lit(ending.to_string()));
            }
            return pieces;
        }
    }
    let b = lower.as_bytes();
    let n = b.len();
    let vowel = |c: u8| b"aeiou".contains(&c);
    let suffix_ok = |rest: &str, allowed: &[&str]| allowed.contains(&rest);
    let our_endings = [
        "", "s", "ed", "ing", "ite", "ites", "able", "hood", "hoods", "er", "ers", "ful", "less",
    ];
    let mut pieces = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    let push = |lit: &mut String, pieces: &mut Vec<Piece>, re: &str| {
        if !lit.is_empty() {
            pieces.push(Piece::Lit(std::mem::take(lit)));
        }
        pieces.push(Piece::Re(re.to_string()));
    };
    while i < n {
        let rest = &lower[i..];
        // organise/organize, analyse/analyze: s or z between i/y and a vowel.
        if i >= 2
            && n >= 5
            && (b[i] == b'i' || b[i] == b'y')
            && i + 2 < n
            && (b[i + 1] == b's' || b[i + 1] == b'z')
            && vowel(b[i + 2])
        {
            lit.push(b[i] as char);
            push(&mut lit, &mut pieces, "[sz]");
            i += 2;
            continue;
        }
        // colour/color, behaviour/behavior.
        if n >= 5 && i >= 2 && b[i] == b'o' && b[i - 1] != b'o' {
            if rest.starts_with("our") && n >= 6 && suffix_ok(&lower[i + 3..], &our_endings) {
                lit.push('o');
                push(&mut lit, &mut pieces, "u?");
                lit.push('r');
                i += 3;
                continue;
            }
            if rest.starts_with("or")
                && b[i - 1] != b'u'
                && suffix_ok(&lower[i + 2..], &our_endings)
            {
                lit.push('o');
                push(&mut lit, &mut pieces, "u?");
                lit.push('r');
                i += 2;
                continue;
            }
        }
        // centre/center at the end of the word.
        if n >= 5 && i >= 3 && i + 2 >= n - 1 && !vowel(b[i - 1]) && b[i - 1] != b'r' {
            let tail = &lower[i..];
            if tail == "re" || tail == "res" || tail == "er" || tail == "ers" {
                push(&mut lit, &mut pieces, "(?:re|er)");
                if tail.ends_with('s') {
                    lit.push('s');
                }
                break;
            }
        }
        // paediatric/pediatric, oedema/edema.
        if n >= 6 && i + 2 < n && (rest.starts_with("ae") || rest.starts_with("oe")) {
            push(&mut lit, &mut pieces, &format!("{}?", b[i] as char));
            i += 1;
            continue;
        }
        // travelled/traveled, counselling/counseling.
        if n >= 7 && i >= 1 && vowel(b[i - 1]) && b[i] == b'l' {
            let after = if rest.starts_with("ll") {
                &lower[i + 2..]
            } else {
                &lower[i + 1..]
            };
            if ["ed", "ing", "er", "ers", "or", "ors"].contains(&after) {
                push(&mut lit, &mut pieces, "ll?");
                i = n - after.len();
                continue;
            }
        }
        lit.push(b[i] as char);
        i += 1;
    }
    if !lit.is_empty() {
        pieces.push(Piece::Lit(lit));
    }
    // Keep the author's capitalisation out of it: matching is case-blind.
    pieces
}

/// A regex syntax error on one line, with the character where it is.
fn regex_message(err: &regex_syntax::Error) -> String {
    let (kind, span) = match err {
        regex_syntax::Error::Parse(e) => (e.kind().to_string(), e.span()),
        regex_syntax::Error::Translate(e) => (e.kind().to_string(), e.span()),
        _ => return err.to_string(),
    };
    format!("{kind} at character {} of the regex", span.start.column)
}

/// Checks a pattern: `Ok(false)` when it is valid but can never match
/// anything (a raw regex such as `re:a\bb` or `re:[^\s\S]`).
pub fn check(pattern: &str) -> Result<bool, PatternError> {
    let can_match = |c: &Compiled| -> Result<bool, PatternError> {
        let hir = regex_syntax::parse(&c.regex).map_err(|err| PatternError::Regex {
            pattern: pattern.to_string(),
            message: err.to_string(),
        })?;
        Ok(hir.properties().minimum_len().is_some())
    };
    match compile(pattern, &Options { variants: true })? {
        // Built from literal words, each already parsed (for its
        // spellings): valid, and it matches at least its words.
        Pattern::Single(c) if c.plain.is_some() => Ok(true),
        Pattern::Single(c) => can_match(&c),
        Pattern::Near { a, b, .. } => Ok(can_match(&a)? && can_match(&b)?),
    }
}

/// The shortest text a plain pattern matches: its words, without
/// wildcards, joined by single spaces. Used to see whether one pattern
/// always contains another.
pub fn sample_text(pattern: &str) -> String {
    pattern
        .split(is_separator)
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_end_matches('*'))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a word of a pattern is an acronym matched case-sensitively: at
/// least two letters, all of them upper case.
pub fn is_acronym(word: &str) -> bool {
    let mut letters = 0;
    for c in word.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        letters += 1;
    }
    letters >= 2
}

/// How telling one match of a pattern is, for the strength of a coding
/// ([`crate::coding::score`]): its specificity in (0, 1] and the words a
/// match of it spans, nominally.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weight {
    /// 0.3 for a `word*` prefix, 0.4 for one word, 0.7 for a phrase of two
    /// words, 0.9 for three or more, 0.9 for `A NEAR B`, 0.7 for `re:`.
    pub specificity: f64,
    /// The words of the pattern (a `NEAR`'s two halves added; 1 for `re:`).
    pub words: usize,
}

/// The [`Weight`] of a codebook pattern, read from its text (it need not
/// be valid: a pattern that does not compile never matches).
///
/// ```
/// use mint::pattern::weight;
/// assert!(weight("integrat*").specificity < weight("nurse").specificity);
/// assert!(weight("nurse").specificity < weight("shared care record").specificity);
/// assert_eq!(weight("GP NEAR/5 meeting*").words, 2);
/// ```
pub fn weight(pattern: &str) -> Weight {
    let words = |part: &str| part.split(is_separator).filter(|w| !w.is_empty()).count();
    let pattern = pattern.trim();
    if pattern.starts_with("re:") {
        return Weight {
            specificity: 0.7,
            words: 1,
        };
    }
    if let Some((a, b)) = pattern.split_once(" NEAR/") {
        let b = b.split_once(char::is_whitespace).map_or("", |(_, b)| b);
        return Weight {
            specificity: 0.9,
            words: (words(a) + words(b)).max(2),
        };
    }
    let n = words(pattern).max(1);
    let specificity = match n {
        1 if pattern.ends_with('*') => 0.3,
        1 => 0.4,
        2 => 0.7,
        _ => 0.9,
    };
    Weight {
        specificity,
        words: n,
    }
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn escape_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 4);
    for c in word.chars() {
        if c == '\'' || c == '\u{2019}' {
            // Re-enable Unicode: the word may sit in an ASCII-only group.
            out.push_str("(?u:['\u{2019}])");
        } else {
            out.push_str(&regex::escape(c.encode_utf8(&mut [0; 4])));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    fn re(p: &str) -> Regex {
        Regex::new(&to_regex(p).unwrap()).unwrap()
    }

    fn found<'a>(p: &str, text: &'a str) -> Option<&'a str> {
        re(p).find(text).map(|m| m.as_str())
    }

    #[test]
    fn words_match_whole_words_case_insensitively() {
        assert_eq!(found("nurse", "The Nurse came"), Some("Nurse"));
        assert_eq!(found("nurse", "the nursery"), None);
        assert_eq!(found("nurse", "a pharmanurse"), None);
    }

    #[test]
    fn wildcard_extends_a_word_but_never_starts_inside_one() {
        assert_eq!(found("integrat*", "we integrated it"), Some("integrated"));
        assert_eq!(found("integrat*", "disintegration"), None);
        assert_eq!(
            found("care plan*", "her care planning"),
            Some("care planning")
        );
    }

    #[test]
    fn space_or_hyphen_matches_any_run_of_whitespace_and_hyphens() {
        assert_eq!(found("social care", "social-care"), Some("social-care"));
        assert_eq!(
            found("social care", "social\r\n  care"),
            Some("social\r\n  care")
        );
        assert_eq!(found("co-locat*", "co located"), Some("co located"));
        assert_eq!(found("co-locat*", "colocated"), None);
        assert_eq!(found("joined up", "joined - up"), Some("joined - up"));
    }

    #[test]
    fn acronyms_match_case_sensitively() {
        assert_eq!(found("IT", "it is"), None);
        assert_eq!(found("IT", "our IT kit"), Some("IT"));
        assert_eq!(found("GP", "the GP's list"), Some("GP"));
        assert_eq!(found("A&E", "ended up in A&E again"), Some("A&E"));
        assert_eq!(found("A&E", "a&e"), None);
        // Mixed case is an ordinary word.
        assert_eq!(found("GPs", "the gps"), Some("gps"));
    }

    #[test]
    fn apostrophes_match_both_forms() {
        assert_eq!(found("people's", "people’s homes"), Some("people’s"));
    }

    #[test]
    fn raw_regex_is_used_as_written() {
        assert_eq!(
            found(r"re:\bband [5-7]\b", "a band 6 nurse"),
            Some("band 6")
        );
        assert!(matches!(to_regex("re:("), Err(PatternError::Regex { .. })));
    }

    #[test]
    fn bad_patterns_are_rejected() {
        assert_eq!(to_regex("  "), Err(PatternError::Empty));
        assert_eq!(to_regex(" - "), Err(PatternError::Empty));
        assert!(matches!(
            to_regex("in*tegrat"),
            Err(PatternError::MisplacedWildcard(_))
        ));
        assert!(matches!(
            to_regex("*"),
            Err(PatternError::MisplacedWildcard(_))
        ));
        assert!(matches!(to_regex("re:"), Err(PatternError::Empty)));
    }

    fn found_with_variants<'a>(p: &str, text: &'a str) -> Option<&'a str> {
        let Pattern::Single(c) = compile(p, &Options { variants: true }).unwrap() else {
            panic!("{p} is not a single pattern")
        };
        let anchor = c.anchor.clone();
        let m = Regex::new(&c.regex).unwrap().find(text).map(|m| m.as_str());
        if let (Some(m), Some(a)) = (m, anchor) {
            assert!(
                m.to_ascii_lowercase().contains(&a.to_ascii_lowercase()),
                "anchor {a:?} not in match {m:?}"
            );
        }
        m
    }

    #[test]
    fn spelling_variants_match_british_and_american_forms() {
        for (pattern, texts) in [
            (
                "organisation",
                &["organisation", "organization", "ORGANIZATION"][..],
            ),
            ("organization", &["organisation"]),
            ("analyse", &["analyze"]),
            ("colour*", &["color", "colours"]),
            ("behavior*", &["behaviour", "behaviours"]),
            ("centre", &["center", "Centre"]),
            ("paediatric*", &["pediatrics", "paediatric"]),
            ("counselling", &["counseling"]),
            ("travelled", &["traveled"]),
            ("programme", &["program", "PROGRAMME"]),
            ("judgement", &["judgment"]),
            ("co-location", &["colocation", "co location", "co-location"]),
        ] {
            for text in texts {
                assert!(
                    found_with_variants(pattern, text).is_some(),
                    "{pattern} should match {text}"
                );
            }
        }
        // Short and unrelated words are left alone; acronyms never vary.
        assert_eq!(found_with_variants("four", "for"), None);
        assert_eq!(found_with_variants("course", "corse"), None);
        assert_eq!(
            found_with_variants("social care", "socialcare"),
            None,
            "only a hyphen closes up"
        );
        assert_eq!(found_with_variants("IT", "it"), None);
        // Without variants, only what is written.
        assert_eq!(found("organisation", "organization"), None);
    }

    #[test]
    fn near_patterns_parse_and_reject_two_nears() {
        let near = compile("GP* NEAR/s meeting*", &Options::default()).unwrap();
        assert!(matches!(
            near,
            Pattern::Near {
                within: Within::Sentence,
                ..
            }
        ));
        assert!(matches!(
            compile("a NEAR/2 b NEAR/3 c", &Options::default()),
            Err(PatternError::Near(_))
        ));
        assert_eq!(near.anchor(), Some("meeting"));
    }

    #[test]
    fn patterns_that_can_never_match_are_found() {
        assert_eq!(check("nurse"), Ok(true));
        assert_eq!(check(r"re:[^\s\S]"), Ok(false));
        assert!(check("re:(").is_err());
        assert_eq!(sample_text("co-locat* team"), "co locat team");
    }

    #[test]
    fn regex_metacharacters_are_literal() {
        assert_eq!(found("a.e", "axe"), None);
        assert_eq!(found("c++", "c++ code"), Some("c++"));
    }
}
