//! Step 4 of the method, first half: a group of phrases becomes a draft
//! candidate code, with a label, patterns in mint's pattern language
//! (`referral*`), a score and an id unique in the codebook.
//!
//! Not here: grouping the phrases (`cluster.rs`), or the candidate's
//! support, exemplars and parent theme (`support.rs`).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use regex::Regex;

use super::cluster::contains;
use super::evidence::Detail;
use super::{Candidate, Phrase, Source};
use crate::codebook::Codebook;
use crate::pattern;

/// At most this many patterns per candidate.
const MAX_PATTERNS: usize = 8;

/// A label names at most this many phrases: `phrase / phrase`.
const MAX_LABEL_PHRASES: usize = 2;

/// Joins the phrases of a label.
pub(super) const LABEL_SEPARATOR: &str = " / ";

/// A candidate from a group of phrases (best first): label, patterns and
/// score; support comes later.
pub(super) fn draft(members: &[(&Phrase, &Detail)]) -> Candidate {
    let mut label: Vec<&Phrase> = Vec::new();
    for (p, _) in members {
        // A longer phrase that accounts for most of this one's occurrences
        // says it better ("hospice referral" rather than "hospice").
        let mut p = *p;
        while let Some((longer, _)) = members
            .iter()
            .find(|(q, _)| contains(&q.stems, &p.stems) && q.occurrences * 3 >= p.occurrences * 2)
        {
            p = longer;
        }
        let overlaps = label.iter().any(|l| {
            l.stems == p.stems || contains(&l.stems, &p.stems) || contains(&p.stems, &l.stems)
        });
        if !overlaps && label.len() < MAX_LABEL_PHRASES {
            label.push(p);
        }
    }
    let mut patterns: Vec<String> = Vec::new();
    for (_, d) in members {
        for p in patterns_of(d) {
            if !patterns.contains(&p) {
                patterns.push(p);
            }
        }
    }
    let patterns = prune_patterns(patterns);
    let mut by_source: BTreeMap<Source, f64> = BTreeMap::new();
    for (p, _) in members {
        *by_source.entry(p.source).or_default() += p.score;
    }
    let source = by_source
        .iter()
        .fold(None, |best: Option<(Source, f64)>, (&s, &v)| match best {
            Some((_, b)) if b >= v => best,
            _ => Some((s, v)),
        })
        .map_or(Source::Uncoded, |(s, _)| s);
    Candidate {
        source,
        id: String::new(),
        reason: reason_of(&label),
        label: label
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(LABEL_SEPARATOR),
        phrases: members.iter().map(|(p, _)| (*p).clone()).collect(),
        patterns,
        score: members.iter().map(|(p, _)| p.score).sum(),
        parent: None,
        lift: 0.0,
        segments: Vec::new(),
        participants: Vec::new(),
        exemplars: Vec::new(),
    }
}

/// Why a label of single common words stands: each such phrase's reason,
/// after the word.
pub(super) fn reason_of(label: &[&Phrase]) -> Option<String> {
    let reasons: Vec<String> = label
        .iter()
        .filter_map(|p| p.reason.as_ref().map(|r| format!("\"{}\": {r}", p.text)))
        .collect();
    (!reasons.is_empty()).then(|| reasons.join("; "))
}

/// Patterns for a phrase: one with `*` where its forms differ only in
/// their ending (`referral*`), else one per common form.
fn patterns_of(d: &Detail) -> Vec<String> {
    let total: u32 = d.forms.values().sum();
    let mut forms: Vec<(&String, u32)> = d
        .forms
        .iter()
        .filter(|(_, n)| **n * 10 >= total)
        .map(|(f, n)| (f, *n))
        .collect();
    forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    forms.truncate(4);
    let split: Vec<Vec<&str>> = forms.iter().map(|(f, _)| f.split(' ').collect()).collect();
    let Some(first) = split.first() else {
        return Vec::new();
    };
    let mut words = Vec::new();
    let mut merged = true;
    for (k, w) in first.iter().enumerate() {
        let column: BTreeSet<&str> = split.iter().map(|f| f[k]).collect();
        if column.len() == 1 {
            words.push((*w).to_string());
            continue;
        }
        let prefix = common_prefix(&column);
        let chars = prefix.chars().count();
        if chars >= 5 || (chars >= 4 && column.contains(prefix.as_str())) {
            words.push(format!("{prefix}*"));
        } else {
            merged = false;
            break;
        }
    }
    let out: Vec<String> = if merged {
        vec![words.join(" ")]
    } else {
        forms.iter().take(3).map(|(f, _)| (*f).clone()).collect()
    };
    out.into_iter()
        .filter(|p| matches!(pattern::check(p), Ok(true)))
        .collect()
}

/// The longest common prefix of some words, on character boundaries, not
/// ending in a hyphen or apostrophe.
fn common_prefix(words: &BTreeSet<&str>) -> String {
    let mut iter = words.iter();
    let Some(first) = iter.next() else {
        return String::new();
    };
    let mut prefix: Vec<char> = first.chars().collect();
    for w in iter {
        let n = prefix
            .iter()
            .zip(w.chars())
            .take_while(|(a, b)| **a == *b)
            .count();
        prefix.truncate(n);
    }
    while prefix.last().is_some_and(|c| !c.is_alphanumeric()) {
        prefix.pop();
    }
    prefix.into_iter().collect()
}

/// Drops patterns that another pattern of the same code already covers,
/// and keeps at most [`MAX_PATTERNS`].
fn prune_patterns(patterns: Vec<String>) -> Vec<String> {
    let compiled: Vec<Option<Regex>> = patterns
        .iter()
        .map(|p| pattern::to_regex(p).ok().and_then(|r| Regex::new(&r).ok()))
        .collect();
    let samples: Vec<String> = patterns.iter().map(|p| pattern::sample_text(p)).collect();
    let covers = |j: usize, i: usize| {
        compiled[j]
            .as_ref()
            .is_some_and(|re| re.is_match(&samples[i]))
    };
    let mut keep: Vec<String> = Vec::new();
    for (i, p) in patterns.iter().enumerate() {
        // Covered by a broader pattern, or by an equivalent earlier one.
        let covered =
            (0..patterns.len()).any(|j| j != i && covers(j, i) && (j < i || !covers(i, j)));
        if !covered && keep.len() < MAX_PATTERNS {
            keep.push(p.clone());
        }
    }
    keep
}

/// A code id from a label: its first phrase (phrases are joined by
/// [`LABEL_SEPARATOR`]) as lower-case words joined by `_`.
fn slug(label: &str) -> String {
    crate::codebook::slug(label.split(LABEL_SEPARATOR).next().unwrap_or(""))
}

/// Gives each candidate an id unique among the codebook's ids and theirs.
pub(super) fn assign_ids(candidates: &mut [Candidate], codebook: &Codebook) {
    let mut taken: HashSet<String> = codebook
        .codes
        .iter()
        .map(|c| c.id.clone())
        .chain(codebook.themes.iter().map(|t| t.id.clone()))
        .chain(codebook.inherited.iter().map(|(id, _)| id.clone()))
        .chain(["emergent".to_string()])
        .collect();
    for c in candidates {
        let base = match slug(&c.label) {
            s if s.is_empty() => "emergent_code".to_string(),
            s => s,
        };
        let mut id = base.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(id.clone());
        c.id = id;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail(forms: &[(&str, u32)]) -> Detail {
        Detail {
            forms: forms.iter().map(|(f, n)| (f.to_string(), *n)).collect(),
            ..Detail::default()
        }
    }

    #[test]
    fn patterns_use_a_wildcard_for_word_endings_and_list_other_forms() {
        assert_eq!(
            patterns_of(&detail(&[("referral", 5), ("referrals", 3)])),
            ["referral*"]
        );
        assert_eq!(
            patterns_of(&detail(&[("care plan", 5), ("care plans", 2)])),
            ["care plan*"]
        );
        assert_eq!(
            patterns_of(&detail(&[("caring", 5), ("care", 4)])),
            ["caring", "care"]
        );
        assert_eq!(patterns_of(&detail(&[("GPs", 5)])), ["GPs"]);
    }

    #[test]
    fn patterns_covered_by_a_broader_one_are_dropped() {
        assert_eq!(
            prune_patterns(vec!["care plan*".into(), "plan*".into(), "folder".into()]),
            ["plan*", "folder"]
        );
    }
}
