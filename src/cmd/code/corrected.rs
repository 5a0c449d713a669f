//! `mint code --model M --corrected`: each learned code's prevalence per
//! group corrected for the model's cross-validated error.

use std::collections::BTreeMap;

use mint::attributes::Attributes;
use mint::learn::apply::Learner;
use mint::tally::{self, Tally};

use crate::args::OriginArg;
use crate::render::Output;

/// The corrected prevalence of each learned code per group (`--corrected`).
pub(super) fn write_corrected(
    out: &mut Output,
    learner: &Learner,
    origin: OriginArg,
    tally: &Tally,
    participants: &BTreeMap<String, Attributes>,
    by: &[String],
) -> anyhow::Result<()> {
    use mint::stats::prevalence::{Bootstrap, Confusion, Units, corrected_prevalence};
    let (members, all) = tally::membership(tally, participants, by);
    let mut groups: Vec<(String, Vec<&str>)> = members
        .iter()
        .map(|(k, v)| (k.join(" / "), v.clone()))
        .collect();
    if groups.len() < 2 {
        groups = vec![("all".to_string(), all)];
    }
    let mut t = crate::render::table::new_table(out);
    t.set_header(
        [
            "code",
            "group",
            "segments coded",
            "apparent",
            "corrected [95% CI]",
            "vs first group",
        ]
        .map(comfy_table::Cell::new),
    );
    for (m, code) in learner.model.codes.iter().enumerate() {
        if code.origin != "learned" && origin != OriginArg::Learned {
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
                t.add_row(vec![
                    code.id.clone(),
                    String::new(),
                    String::new(),
                    String::new(),
                    format!("cannot correct: {why}"),
                    String::new(),
                ]);
                continue;
            }
        };
        for (g, ((name, _), group)) in groups.iter().zip(&result.groups).enumerate() {
            let coded: u64 = units[g].iter().map(|u| u.coded).sum();
            let total: u64 = units[g].iter().map(|u| u.total).sum();
            let (apparent, corrected) = match group {
                Some(c) => (
                    format!("{:.1}%", c.apparent * 100.0),
                    match c.interval {
                        Some((lo, hi)) => format!(
                            "{:.1}% [{:.1}, {:.1}]",
                            c.corrected * 100.0,
                            lo * 100.0,
                            hi * 100.0
                        ),
                        None => format!("{:.1}%", c.corrected * 100.0),
                    },
                ),
                None => ("-".to_string(), "-".to_string()),
            };
            let versus = match (g, result.difference(g, 0)) {
                (0, _) | (_, None) => String::new(),
                (_, Some(d)) => format!(
                    "{:+.1} pts{}",
                    d.estimate * 100.0,
                    if d.within_error {
                        " (within the model's error)"
                    } else {
                        ""
                    }
                ),
            };
            t.add_row(vec![
                code.id.clone(),
                name.clone(),
                format!("{coded} of {total}"),
                apparent,
                corrected,
                versus,
            ]);
        }
    }
    writeln!(
        out.stdout(),
        "\nLearned codes' prevalence corrected for the model's error ({}):",
        learner.provenance
    )?;
    crate::render::table::write(out, &t)
}
