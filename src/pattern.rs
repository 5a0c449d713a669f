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
//! This module only translates; matching lives in [`crate::matcher`].

use crate::error::PatternError;

/// The characters a space or hyphen in a pattern stands for, as a regex class.
const SEPARATOR: &str = r"[\s\-\u{2010}\u{2011}]+";

/// Translates one codebook pattern into a regular expression.
///
/// ```
/// use mint::pattern::to_regex;
/// let re = regex::Regex::new(&to_regex("social care").unwrap()).unwrap();
/// assert!(re.is_match("Social-\ncare"));
/// let it = regex::Regex::new(&to_regex("IT").unwrap()).unwrap();
/// assert!(it.is_match("the IT team") && !it.is_match("it is"));
/// ```
pub fn to_regex(pattern: &str) -> Result<String, PatternError> {
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
            Ok(_) => Ok(raw.to_string()),
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
    let words: Vec<&str> = pattern
        .split(is_separator)
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return Err(PatternError::Empty);
    }
    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
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
        if i > 0 {
            out.push_str(SEPARATOR);
        }
        let escaped = escape_word(body);
        if is_acronym(body) {
            out.push_str(&escaped);
        } else {
            out.push_str("(?i:");
            out.push_str(&escaped);
            out.push(')');
        }
        if wildcard {
            // ASCII word characters: a Unicode `\w*` costs ~20x more to
            // compile, and a codebook has thousands of wildcards.
            out.push_str(r"(?-u:\w)*");
        } else if i == words.len() - 1 && body.ends_with(is_word_char) {
            out.push_str(r"\b");
        }
    }
    Ok(out)
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
    let source = to_regex(pattern)?;
    let hir = regex_syntax::parse(&source).map_err(|err| PatternError::Regex {
        pattern: pattern.to_string(),
        message: err.to_string(),
    })?;
    Ok(hir.properties().minimum_len().is_some())
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
            out.push_str("['\u{2019}]");
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
