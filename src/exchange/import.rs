//! What the readers (`qdc`/`build` and `csv`) share: decoding the bytes
//! of a file, unique ids from names ([`Ids`]), patterns made from names for
//! codes that have none, and the lists in warnings. Nothing here knows a
//! file format.

use std::borrow::Cow;
use std::collections::HashSet;

use super::plural;
use crate::codebook::{Code, slug};
use crate::pattern;

/// Decodes the bytes of a text file: UTF-8 (BOM stripped) or UTF-16 with a
/// BOM; anything else is read as UTF-8 with replacement, with a warning.
pub(super) fn decode_text<'a>(bytes: &'a [u8], warnings: &mut Vec<String>) -> Cow<'a, str> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            warnings.push(format!(
                "the file is not valid {}: unreadable bytes were replaced",
                encoding.name()
            ));
        }
        return text;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            warnings.push("the file is not valid UTF-8: unreadable bytes were replaced".into());
            String::from_utf8_lossy(bytes)
        }
    }
}

/// Gives every code without patterns one made from its name
/// ([`fill_patterns`]) and says how many in a warning; `why` follows "had
/// no patterns" in it. Returns how many.
pub(super) fn patterns_from_names(
    codes: &mut [Code],
    why: &str,
    warnings: &mut Vec<String>,
) -> usize {
    let mut used: HashSet<Vec<String>> = codes
        .iter()
        .filter(|c| !c.patterns.is_empty())
        .map(|c| sorted(&c.patterns))
        .collect();
    let filled = fill_patterns(codes, &mut used);
    if filled > 0 {
        warnings.push(format!(
            "{filled} code{} had no patterns{why}; each got its name as its one pattern: write real patterns before coding",
            plural(filled)
        ));
    }
    filled
}

/// Gives every code without patterns one pattern made from its name (else
/// its id), unique so that no two codes end up with identical patterns.
fn fill_patterns(codes: &mut [Code], used: &mut HashSet<Vec<String>>) -> usize {
    let mut filled = 0;
    for code in codes.iter_mut().filter(|c| c.patterns.is_empty()) {
        let from_id = code.id.replace('_', " ");
        let candidates = [pattern_from_name(&code.label), pattern_from_name(&from_id)];
        let mut chosen = None;
        for candidate in candidates.into_iter().flatten() {
            if !used.contains(&vec![candidate.clone()]) {
                chosen = Some(candidate);
                break;
            }
        }
        let chosen = chosen.unwrap_or_else(|| {
            let base = pattern_from_name(&from_id).unwrap_or_else(|| "code".to_string());
            (2..)
                .map(|n| format!("{base} {n}"))
                .find(|p| !used.contains(&vec![p.clone()]))
                .expect("an unused number exists")
        });
        used.insert(vec![chosen.clone()]);
        code.patterns = vec![chosen];
        filled += 1;
    }
    filled
}

/// A valid plain pattern that matches a name: `_` and `*` become spaces,
/// and a leading `re:` loses its colon.
pub(super) fn pattern_from_name(name: &str) -> Option<String> {
    let spaced: String = name
        .chars()
        .map(|c| if matches!(c, '_' | '*') { ' ' } else { c })
        .collect();
    let mut words = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(rest) = words.strip_prefix("re:") {
        words = format!("re {}", rest.trim_start()).trim().to_string();
    }
    (!words.is_empty() && pattern::check(&words) == Ok(true)).then_some(words)
}

fn sorted(items: &[String]) -> Vec<String> {
    let mut v = items.to_vec();
    v.sort();
    v
}

pub(super) fn sample_names(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(5).map(|n| format!("{n:?}")).collect();
    match names.len() {
        n if n > 5 => format!("{}, and {} more", shown.join(", "), n - 5),
        _ => shown.join(", "),
    }
}

/// Unique ids in order of claim.
pub(super) struct Ids {
    pub(super) taken: HashSet<String>,
    pub(super) reserved: HashSet<String>,
    pub(super) duplicates: Vec<String>,
}

impl Ids {
    pub(super) fn claim(&mut self, explicit: Option<&str>, name: &str, fallback: &str) -> String {
        let base = match explicit {
            Some(id) if self.taken.insert(id.to_string()) => return id.to_string(),
            Some(id) => {
                self.duplicates.push(id.to_string());
                id.to_string()
            }
            None => {
                let slug = slug(name);
                if slug.is_empty() {
                    fallback.to_string()
                } else {
                    slug
                }
            }
        };
        let free = |id: &str, ids: &Ids| {
            !ids.taken.contains(id) && (explicit == Some(id) || !ids.reserved.contains(id))
        };
        let id = if explicit.is_none() && free(&base, self) {
            base
        } else {
            (2..)
                .map(|n| format!("{base}_{n}"))
                .find(|id| free(id, self))
                .expect("a free number exists")
        };
        self.taken.insert(id.clone());
        id
    }
}
