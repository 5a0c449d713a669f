//! The exemplars of a candidate: which segments are quoted, each cut to
//! about 200 characters around the candidate's first match, with its
//! attribution (`Operational social care, area 2, interviewee c`), file and
//! line.
//!
//! Nothing here chooses which segments are exemplars (the library does) or
//! prints them.

use regex::Regex;
use serde::Serialize;

use mint::attributes::Attributes;
use mint::emergence::{Candidate, CodedSegment};
use mint::pattern;
use mint::pipeline::Corpus;
use mint::quotes::quote_text;

use super::study::Study;

/// A quote and who said it.
#[derive(Debug, Serialize)]
pub(super) struct Exemplar {
    pub(super) quote: String,
    pub(super) attribution: String,
    participant: String,
    file: String,
    line: usize,
}

impl Exemplar {
    /// Who said it and where: `A1c, A1c.txt:14`.
    pub(super) fn source(&self) -> String {
        format!("{}, {}:{}", self.participant, self.file, self.line)
    }
}

/// The exemplars of a candidate: the segment (shortened around the match
/// when long) and its attribution.
pub(super) fn exemplars(
    study: &Study,
    corpus: &Corpus<Vec<CodedSegment>>,
    c: &Candidate,
) -> Vec<Exemplar> {
    let regexes: Vec<Regex> = c
        .patterns
        .iter()
        .filter_map(
            |p| match pattern::compile(p, &pattern::Options { variants: true }) {
                Ok(pattern::Pattern::Single(c)) => Regex::new(&c.regex).ok(),
                _ => None,
            },
        )
        .collect();
    c.exemplars
        .iter()
        .map(|&s| {
            let (f, seg) = study.origin[s];
            let file = &corpus.files[f];
            let text = study.input.segments[s].text;
            let at = regexes
                .iter()
                .filter_map(|re| re.find(text).map(|m| m.start()))
                .min()
                .unwrap_or(0);
            let id = &file.participants[seg.who];
            let attrs = corpus.info.participants.get(id);
            Exemplar {
                quote: quote(text, at),
                attribution: attribution(id, attrs),
                participant: id.clone(),
                file: file.source.name.clone(),
                line: line_of(&file.transcript.text, seg.start),
            }
        })
        .collect()
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// A segment on one line; a long one is cut to about 200 characters around
/// byte offset `at`, with `…` where it was cut.
///
/// A short one is [`quote_text`] without context (whitespace runs become
/// single spaces); the cut by length is emerge's own, since the library
/// trims quotes by sentences instead.
fn quote(text: &str, at: usize) -> String {
    const MAX: usize = 200;
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    let total: usize = words.iter().map(|(_, w)| w.chars().count() + 1).sum();
    if total <= MAX + 1 {
        return quote_text(text, (at, at), None);
    }
    let center = words.iter().position(|(o, _)| *o >= at).unwrap_or(0);
    let (mut from, mut to) = (center, center + 1);
    let mut len = words[center].1.chars().count();
    loop {
        let mut grew = false;
        if from > 0 && len + words[from - 1].1.chars().count() < MAX {
            from -= 1;
            len += words[from].1.chars().count() + 1;
            grew = true;
        }
        if to < words.len() && len + words[to].1.chars().count() < MAX {
            len += words[to].1.chars().count() + 1;
            to += 1;
            grew = true;
        }
        if !grew {
            break;
        }
    }
    let body = words[from..to]
        .iter()
        .map(|(_, w)| *w)
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "{}{body}{}",
        if from > 0 { "… " } else { "" },
        if to < words.len() { " …" } else { "" }
    )
}

/// How a quote is attributed in a write-up: `Operational social care, area
/// 2, interviewee c`, from the attributes level, sector, area and
/// interviewee; the participant id where they say too little.
///
/// Not [`mint::quotes::attribution`]: given the right template for which
/// attributes are present, that gives the same parts, but it also turns
/// whitespace runs inside a value (`social  care`, a tab) into single
/// spaces, and emerge has always printed values as they are, only trimmed.
fn attribution(id: &str, attrs: Option<&Attributes>) -> String {
    let get = |k: &str| {
        attrs
            .and_then(|a| a.get(k))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    };
    let mut head: Vec<String> = Vec::new();
    head.extend(get("level").map(String::from));
    head.extend(get("sector").map(String::from));
    let mut parts: Vec<String> = Vec::new();
    if !head.is_empty() {
        let head = head.join(" ");
        let mut chars = head.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
        parts.push(format!("{}{}", first.unwrap_or_default(), chars.as_str()));
    }
    if let Some(area) = get("area") {
        parts.push(format!("area {area}"));
    }
    match get("interviewee") {
        Some(who) => parts.push(format!("interviewee {who}")),
        None if !parts.is_empty() => parts.push(id.to_string()),
        None => {}
    }
    if parts.is_empty() {
        id.to_string()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributions_follow_the_reports_form() {
        let attrs = |pairs: &[(&str, &str)]| -> Attributes {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let a = attrs(&[
            ("level", "operational"),
            ("sector", "social care"),
            ("area", "2"),
            ("interviewee", "c"),
        ]);
        assert_eq!(
            attribution("A2c", Some(&a)),
            "Operational social care, area 2, interviewee c"
        );
        let s = attrs(&[
            ("level", "strategic"),
            ("sector", "health"),
            ("interviewee", "3"),
        ]);
        assert_eq!(
            attribution("S3", Some(&s)),
            "Strategic health, interviewee 3"
        );
        let p = attrs(&[
            ("level", "operational"),
            ("sector", "health"),
            ("area", "1"),
        ]);
        assert_eq!(
            attribution("P0001", Some(&p)),
            "Operational health, area 1, P0001"
        );
        assert_eq!(attribution("P9", None), "P9");
        // Values are trimmed, never squeezed inside.
        let spaced = attrs(&[("level", " strategic "), ("sector", "social  care")]);
        assert_eq!(
            attribution("S4", Some(&spaced)),
            "Strategic social  care, S4"
        );
    }

    #[test]
    fn long_quotes_are_cut_around_the_match() {
        let text = format!("{} needle {}", "word ".repeat(100), "more ".repeat(100));
        let at = text.find("needle").unwrap();
        let q = quote(&text, at);
        assert!(q.contains("needle"));
        assert!(q.starts_with("… ") && q.ends_with(" …"));
        assert!(q.chars().count() <= 210, "{}", q.chars().count());
        assert_eq!(quote("a  short\n text", 0), "a short text");
    }
}
