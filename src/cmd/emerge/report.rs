//! The report model: each candidate with its rank, nearest theme, where it
//! stood out, and its support counted in segments and in participants per
//! breakdown group; and the group sizes.
//!
//! Nothing here writes the report (see `table`, `csv` and `json`) or quotes
//! the exemplars (see `exemplar`).

use std::collections::BTreeMap;

use serde::Serialize;

use mint::attributes::Attributes;
use mint::codebook::Codebook;
use mint::emergence::{Candidate, CodedSegment, GroupShare, Source, over_represented};
use mint::pipeline::Corpus;
use mint::tally::MISSING;

use super::exemplar::{Exemplar, exemplars};
use super::study::Study;

/// Participants of a candidate in one group.
#[derive(Debug, Serialize)]
pub(super) struct GroupSupport {
    label: String,
    pub(super) participants: usize,
    pub(super) group_size: usize,
    pub(super) percent: f64,
}

/// One candidate, ready to print.
pub(super) struct Row<'a> {
    pub(super) rank: usize,
    pub(super) candidate: &'a Candidate,
    pub(super) parent: Option<&'a str>,
    /// Where it stood out: `uncoded` or `theme:<id>`.
    pub(super) found_in: String,
    pub(super) segments: usize,
    pub(super) participants: usize,
    pub(super) groups: Vec<GroupSupport>,
    /// The attribute values where it is over-represented.
    pub(super) over: Vec<GroupShare>,
    pub(super) exemplars: Vec<Exemplar>,
}

/// Everything printed: the groups and the candidates.
pub(super) struct Report<'a> {
    pub(super) breakdown: Vec<String>,
    /// Group values and size.
    pub(super) groups: Vec<(Vec<String>, usize)>,
    pub(super) total: usize,
    pub(super) rows: Vec<Row<'a>>,
    pub(super) files: usize,
    pub(super) segments: usize,
    pub(super) uncoded: usize,
    pub(super) min_participants: u32,
}

impl<'a> Report<'a> {
    pub(super) fn new(
        study: &Study,
        corpus: &Corpus<Vec<CodedSegment>>,
        codebook: &'a Codebook,
        candidates: &'a [Candidate],
        by: &[String],
        min_participants: u32,
    ) -> Report<'a> {
        let group_of = |attrs: &Attributes| -> Vec<String> {
            by.iter()
                .map(|a| attrs.get(a).cloned().unwrap_or_else(|| MISSING.to_string()))
                .collect()
        };
        let mut sizes: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        if !by.is_empty() {
            for attrs in corpus.info.participants.values() {
                *sizes.entry(group_of(attrs)).or_default() += 1;
            }
        }
        let ids = &study.input.participants;
        let attributes: Vec<(String, Vec<Option<String>>)> = by
            .iter()
            .map(|a| {
                let values = ids
                    .iter()
                    .map(|id| {
                        corpus
                            .info
                            .participants
                            .get(id)
                            .and_then(|attrs| attrs.get(a))
                            .map(|v| v.trim().to_string())
                            .filter(|v| !v.is_empty())
                    })
                    .collect();
                (a.clone(), values)
            })
            .collect();
        let rows = candidates
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut counts: BTreeMap<Vec<String>, usize> = BTreeMap::new();
                for &p in &c.participants {
                    if let Some(attrs) = corpus.info.participants.get(&ids[p as usize]) {
                        *counts.entry(group_of(attrs)).or_default() += 1;
                    }
                }
                let groups = sizes
                    .iter()
                    .map(|(values, &size)| {
                        let n = counts.get(values).copied().unwrap_or(0);
                        GroupSupport {
                            label: values.join(" / "),
                            participants: n,
                            group_size: size,
                            percent: percent(n, size),
                        }
                    })
                    .collect();
                Row {
                    rank: i + 1,
                    candidate: c,
                    parent: c.parent.map(|t| codebook.themes[t].id.as_str()),
                    found_in: source_name(c.source, codebook),
                    segments: c.segments.len(),
                    participants: c.participants.len(),
                    groups,
                    over: over_represented(&study.input, &c.segments, &attributes),
                    exemplars: exemplars(study, corpus, c),
                }
            })
            .collect();
        Report {
            breakdown: by.to_vec(),
            groups: sizes.into_iter().collect(),
            total: corpus.info.participants.len(),
            rows,
            files: corpus.files.len(),
            segments: study.input.segments.len(),
            uncoded: study.uncoded,
            min_participants,
        }
    }
}

/// Where a candidate is over-represented, for people and CSV:
/// `level=strategic: 1.20% vs 0.40% overall (x3.0, 5 segments)`: its share
/// of the group's segments against its share of all segments, joined by
/// `separator`.
pub(super) fn over_text(over: &[GroupShare], separator: &str) -> String {
    over.iter()
        .map(|g| {
            format!(
                "{}={}: {:.2}% vs {:.2}% overall (x{:.1}, {} segments)",
                g.attribute,
                g.value,
                100.0 * g.share_in_group,
                100.0 * g.share_overall,
                g.lift(),
                g.segments
            )
        })
        .collect::<Vec<_>>()
        .join(separator)
}

/// A percentage with one decimal.
pub(super) fn percent(n: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        (1000.0 * n as f64 / of as f64).round() / 10.0
    }
}

pub(super) fn source_name(source: Source, codebook: &Codebook) -> String {
    match source {
        Source::Uncoded => "uncoded".to_string(),
        Source::Theme(t) => format!("theme:{}", codebook.themes[t].id),
    }
}
