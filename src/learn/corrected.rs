//! `mint code --model M --corrected`: each learned code's prevalence (its
//! share of segments) per group, corrected for the model's cross-validated
//! sensitivity and specificity (Rogan-Gladen, [`crate::stats::prevalence`]),
//! with a bootstrap interval and each group's difference from the first,
//! as rows ([`CorrectedRow`]) that the table, the CSV and the JSON all
//! show.

use std::collections::BTreeMap;

use serde::Serialize;

use super::apply::Learner;
use crate::attributes::Attributes;
use crate::stats::prevalence::{Bootstrap, Confusion, Units, corrected_prevalence};
use crate::tally::{self, Tally};

/// One learned code in one group, or a code that cannot be corrected.
/// Proportions are shares from 0 to 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorrectedRow {
    /// The code's id.
    pub code: String,
    /// The group (its attribute values joined by ` / `, or `all`); `None`
    /// for a code that cannot be corrected.
    pub group: Option<String>,
    /// The group's segments the model (with the codebook, by `--origin`)
    /// coded with the code.
    pub segments_coded: Option<u64>,
    /// The group's segments.
    pub segments: Option<u64>,
    /// `segments_coded` / `segments`; `None` for a group without segments.
    pub apparent: Option<f64>,
    /// The apparent prevalence corrected for the model's error.
    pub corrected: Option<f64>,
    /// The low end of the corrected prevalence's 95% bootstrap interval.
    pub corrected_low: Option<f64>,
    /// Its high end.
    pub corrected_high: Option<f64>,
    /// The corrected prevalence minus the first group's (`None` for the
    /// first group).
    pub difference: Option<f64>,
    /// True when the difference's interval holds 0: the model's error (and
    /// the sample) could explain it.
    pub within_error: Option<bool>,
    /// Why the code cannot be corrected (then only `code` is set).
    pub cannot_correct: Option<String>,
}

/// The corrected prevalence of each of the model's codes per group of
/// participants (the groups of `by`, or everyone when they make fewer
/// than two). A code the codebook has too is left out unless
/// `codebook_codes` (its counts mix the codebook's codings in, unless only
/// the model's were kept). The bootstrap is seeded with the model's seed.
pub fn corrected_rows(
    learner: &Learner,
    codebook_codes: bool,
    tally: &Tally,
    participants: &BTreeMap<String, Attributes>,
    by: &[String],
) -> Vec<CorrectedRow> {
    let (members, all) = tally::membership(tally, participants, by);
    let mut groups: Vec<(String, Vec<&str>)> = members
        .iter()
        .map(|(k, v)| (k.join(" / "), v.clone()))
        .collect();
    if groups.len() < 2 {
        groups = vec![("all".to_string(), all)];
    }
    let mut rows = Vec::new();
    for (m, code) in learner.model.codes.iter().enumerate() {
        if code.origin != "learned" && !codebook_codes {
            continue;
        }
        let target = learner.targets.code[m];
        let units: Vec<Vec<Units>> = groups
            .iter()
            .map(|(_, ids)| {
                tally::resolve(tally, ids)
                    .into_iter()
                    .flatten()
                    .map(|p| Units {
                        coded: p.code_refs.get(target).copied().unwrap_or(0),
                        total: p.segments,
                    })
                    .collect()
            })
            .collect();
        let cv = Confusion {
            true_positives: code.cv.tp,
            false_positives: code.cv.fp,
            false_negatives: code.cv.fn_,
            true_negatives: code.cv.tn,
        };
        let bootstrap = Bootstrap {
            seed: learner.model.seed,
            ..Bootstrap::default()
        };
        let result = match corrected_prevalence(&units, cv, bootstrap) {
            Ok(result) => result,
            Err(why) => {
                rows.push(CorrectedRow {
                    code: code.id.clone(),
                    group: None,
                    segments_coded: None,
                    segments: None,
                    apparent: None,
                    corrected: None,
                    corrected_low: None,
                    corrected_high: None,
                    difference: None,
                    within_error: None,
                    cannot_correct: Some(why.to_string()),
                });
                continue;
            }
        };
        for (g, ((name, _), group)) in groups.iter().zip(&result.groups).enumerate() {
            let difference = (g > 0).then(|| result.difference(g, 0)).flatten();
            rows.push(CorrectedRow {
                code: code.id.clone(),
                group: Some(name.clone()),
                segments_coded: Some(units[g].iter().map(|u| u.coded).sum()),
                segments: Some(units[g].iter().map(|u| u.total).sum()),
                apparent: group.map(|c| c.apparent),
                corrected: group.map(|c| c.corrected),
                corrected_low: group.and_then(|c| c.interval).map(|(lo, _)| lo),
                corrected_high: group.and_then(|c| c.interval).map(|(_, hi)| hi),
                difference: difference.map(|d| d.estimate),
                within_error: difference.map(|d| d.within_error),
                cannot_correct: None,
            });
        }
    }
    rows
}
