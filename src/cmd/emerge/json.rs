//! The report as the JSON body of `mint emerge --format json`; the render
//! layer adds the envelope with `schema_version`.
//!
//! Nothing here counts support (see `report`).

use std::collections::BTreeMap;

use serde::Serialize;

use mint::codebook::Codebook;

use super::exemplar::Exemplar;
use super::report::{GroupSupport, Report, percent, source_name};

/// The JSON document of `mint emerge --format json` (`schema_version` 1):
/// `codebook` (name, source), `unit`, `breakdown`, `groups` (label, values,
/// size), `candidates` (rank, id, label, phrases with their keyness and
/// source, patterns, found_in (`uncoded` or `theme:<id>`), nearest_theme or
/// null for a new theme, lift, score,
/// support with per-group participants, exemplars with attribution, file
/// and line) and `summary`.
#[derive(Serialize)]
pub(super) struct JsonReport<'a> {
    pub(super) codebook: JsonCodebook<'a>,
    pub(super) unit: &'a str,
    pub(super) breakdown: &'a [String],
    pub(super) groups: Vec<JsonGroup<'a>>,
    pub(super) candidates: Vec<JsonCandidate<'a>>,
    pub(super) summary: JsonSummary,
}

#[derive(Serialize)]
pub(super) struct JsonCodebook<'a> {
    pub(super) name: &'a str,
    pub(super) source: &'a str,
}

#[derive(Serialize)]
pub(super) struct JsonGroup<'a> {
    pub(super) label: String,
    pub(super) values: BTreeMap<&'a str, &'a str>,
    pub(super) size: usize,
}

#[derive(Serialize)]
pub(super) struct JsonCandidate<'a> {
    pub(super) rank: usize,
    pub(super) id: &'a str,
    pub(super) label: &'a str,
    pub(super) phrases: Vec<JsonPhrase<'a>>,
    pub(super) patterns: &'a [String],
    pub(super) found_in: &'a str,
    pub(super) nearest_theme: Option<&'a str>,
    pub(super) lift: f64,
    pub(super) score: f64,
    pub(super) support: JsonSupport<'a>,
    pub(super) exemplars: &'a [Exemplar],
}

#[derive(Serialize)]
pub(super) struct JsonPhrase<'a> {
    pub(super) text: &'a str,
    pub(super) keyness: f64,
    pub(super) source: String,
    pub(super) occurrences: u32,
    pub(super) participants: u32,
}

#[derive(Serialize)]
pub(super) struct JsonSupport<'a> {
    pub(super) segments: usize,
    pub(super) participants: usize,
    pub(super) group_size: usize,
    pub(super) percent: f64,
    pub(super) groups: &'a [GroupSupport],
}

#[derive(Serialize)]
pub(super) struct JsonSummary {
    pub(super) files: usize,
    pub(super) participants: usize,
    pub(super) segments: usize,
    pub(super) uncoded_segments: usize,
}

pub(super) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The JSON body of `mint emerge --format json`.
pub(super) fn json_report<'a>(
    report: &'a Report,
    codebook: &'a Codebook,
    unit: &'a str,
) -> JsonReport<'a> {
    JsonReport {
        codebook: JsonCodebook {
            name: &codebook.codebook.name,
            source: &codebook.source,
        },
        unit,
        breakdown: &report.breakdown,
        groups: report
            .groups
            .iter()
            .map(|(values, size)| JsonGroup {
                label: values.join(" / "),
                values: report
                    .breakdown
                    .iter()
                    .map(String::as_str)
                    .zip(values.iter().map(String::as_str))
                    .collect(),
                size: *size,
            })
            .collect(),
        candidates: report
            .rows
            .iter()
            .map(|row| {
                let c = row.candidate;
                JsonCandidate {
                    rank: row.rank,
                    id: &c.id,
                    label: &c.label,
                    phrases: c
                        .phrases
                        .iter()
                        .map(|p| JsonPhrase {
                            text: &p.text,
                            keyness: round2(p.score),
                            source: source_name(p.source, codebook),
                            occurrences: p.occurrences,
                            participants: p.participants,
                        })
                        .collect(),
                    patterns: &c.patterns,
                    found_in: &row.found_in,
                    nearest_theme: row.parent,
                    lift: round2(c.lift),
                    score: round2(c.score),
                    support: JsonSupport {
                        segments: row.segments,
                        participants: row.participants,
                        group_size: report.total,
                        percent: percent(row.participants, report.total),
                        groups: &row.groups,
                    },
                    exemplars: &row.exemplars,
                }
            })
            .collect(),
        summary: JsonSummary {
            files: report.files,
            participants: report.total,
            segments: report.segments,
            uncoded_segments: report.uncoded,
        },
    }
}
