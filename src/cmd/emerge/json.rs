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
/// support with per-group participants, `reason` (why a single common
/// English word stands, or null), `over_represented` (attribute, value,
/// segments, group_segments, participants, share_in_group, share_overall),
/// exemplars with attribution, participant, file and line) and `summary`.
#[derive(Serialize)]
pub(super) struct JsonReport<'a> {
    codebook: JsonCodebook<'a>,
    unit: &'a str,
    breakdown: &'a [String],
    groups: Vec<JsonGroup<'a>>,
    candidates: Vec<JsonCandidate<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonCodebook<'a> {
    name: &'a str,
    source: &'a str,
}

#[derive(Serialize)]
struct JsonGroup<'a> {
    label: String,
    values: BTreeMap<&'a str, &'a str>,
    size: usize,
}

#[derive(Serialize)]
struct JsonCandidate<'a> {
    rank: usize,
    id: &'a str,
    label: &'a str,
    phrases: Vec<JsonPhrase<'a>>,
    patterns: &'a [String],
    found_in: &'a str,
    nearest_theme: Option<&'a str>,
    lift: f64,
    score: f64,
    support: JsonSupport<'a>,
    reason: Option<&'a str>,
    over_represented: Vec<JsonOver<'a>>,
    exemplars: &'a [Exemplar],
}

#[derive(Serialize)]
struct JsonOver<'a> {
    attribute: &'a str,
    value: &'a str,
    segments: usize,
    group_segments: usize,
    participants: usize,
    share_in_group: f64,
    share_overall: f64,
}

#[derive(Serialize)]
struct JsonPhrase<'a> {
    text: &'a str,
    keyness: f64,
    source: String,
    occurrences: u32,
    participants: u32,
}

#[derive(Serialize)]
struct JsonSupport<'a> {
    segments: usize,
    participants: usize,
    group_size: usize,
    percent: f64,
    groups: &'a [GroupSupport],
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    participants: usize,
    segments: usize,
    uncoded_segments: usize,
}

fn round4(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

fn round2(x: f64) -> f64 {
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
                    reason: c.reason.as_deref(),
                    over_represented: row
                        .over
                        .iter()
                        .map(|g| JsonOver {
                            attribute: &g.attribute,
                            value: &g.value,
                            segments: g.segments,
                            group_segments: g.group_segments,
                            participants: g.participants,
                            share_in_group: round4(g.share_in_group),
                            share_overall: round4(g.share_overall),
                        })
                        .collect(),
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
