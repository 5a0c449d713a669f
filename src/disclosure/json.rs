//! Any JSON document scanned for identifiers: every string value (and
//! every object key) by its path, `vocabulary[1234]`,
//! `codes.x.examples[2]`. Made for a learned model (`mint learn`'s model
//! file: its vocabulary of n-grams and its stored examples) before it is
//! shared, but blind to the layout.
//!
//! Vocabulary entries are lower case, where a name has lost its capital:
//! a string with no capital letter is also looked up word by word in the
//! name lists, less the names that are common words in lower case.

use serde::Serialize;
use serde_json::Value;

use super::names::NameList;
use super::{Finding, Kind, Scanner, excerpt_of};

/// Names that are ordinary words in lower case: not flagged in a lower-case
/// string.
const LOWER_CASE_WORDS: &[&str] = &[
    "mark", "bill", "don", "pat", "sue", "ray", "rob", "max", "dean", "lance", "bob", "jack",
    "frank", "rich", "will", "may", "june", "dawn", "joy", "grace", "hope", "faith", "rose",
    "amber", "ruby", "sandy", "penny", "carol", "gene", "chuck", "drew", "wade", "reed", "rusty",
    "dusty", "buck", "cliff", "dale", "glen", "heath", "earl", "guy", "harry", "jimmy", "kitty",
    "tom", "nick", "holly", "ivy", "iris", "brook", "ali", "ivan", "van", "von", "del", "bell",
    "wood", "hall", "hill", "king", "young", "white", "green", "brown", "baker", "cook", "price",
    "smith", "long", "page", "park", "rice", "reading", "black", "gray", "grey", "cross", "fox",
    "law", "may", "miles", "moss", "nash", "noble", "pace", "parish", "pierce", "ward", "wells",
    "west", "wise", "woods", "marsh", "bush", "banks", "shaw", "lane", "field", "fields", "ford",
    "owen", "stone", "marshall", "carter", "mason", "walker", "turner", "fisher", "hunter",
    "porter", "potter", "cooper", "palmer", "parker", "singer", "weaver", "warren", "sharp",
];

/// A finding in a JSON document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonFinding {
    /// Where the string is: `vocabulary[1234]`, `codes.x.examples[2]`; an
    /// object key's path ends in the key itself with `(key)` after it.
    pub path: String,
    /// What was found.
    pub kind: Kind,
    /// The string around it, identifiers masked.
    pub excerpt: String,
}

/// Every likely identifier in `value`, in document order.
pub fn scan(value: &Value, scanner: &Scanner) -> Vec<JsonFinding> {
    let mut out = Vec::new();
    walk(value, String::new(), scanner, &mut out);
    out
}

fn walk(value: &Value, path: String, scanner: &Scanner, out: &mut Vec<JsonFinding>) {
    match value {
        Value::String(s) => scan_string(s, &path, scanner, out),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, format!("{path}[{i}]"), scanner, out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let child = if path.is_empty() {
                    key_path(key)
                } else {
                    format!("{path}.{}", key_path(key))
                };
                scan_string(key, &format!("{child} (key)"), scanner, out);
                walk(item, child, scanner, out);
            }
        }
        _ => {}
    }
}

/// A key as a path step: bare when it is a plain word, else quoted.
fn key_path(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_string()
    } else {
        format!("{key:?}")
    }
}

fn scan_string(s: &str, path: &str, scanner: &Scanner, out: &mut Vec<JsonFinding>) {
    let mut found = scanner.scan_text(s);
    if !s.chars().any(char::is_uppercase) {
        lower_case_names(s, &mut found, scanner);
    }
    for f in &found {
        out.push(JsonFinding {
            path: path.to_string(),
            kind: f.kind,
            excerpt: excerpt_of(s, f.start, f.end, &found),
        });
    }
}

/// Names in a lower-case string (an n-gram), word by word.
fn lower_case_names(s: &str, found: &mut Vec<Finding>, scanner: &Scanner) {
    let list = NameList::get();
    let mut at = 0;
    for word in s.split(|c: char| !(c.is_ascii_alphabetic() || c == '\'' || c == '-')) {
        let start = at;
        at += word.len() + 1;
        if word.len() < 3
            || LOWER_CASE_WORDS.contains(&word)
            || !list.contains(word)
            || scanner.allow.contains(word)
            || found
                .iter()
                .any(|f| f.start < start + word.len() && start < f.end)
        {
            continue;
        }
        found.push(Finding {
            kind: Kind::Person,
            start,
            end: start + word.len(),
            key: word.to_string(),
            person: true,
        });
    }
    found.sort_by_key(|f| f.start);
}
