//! `mint code --model M --corrected`: each learned code's prevalence per
//! group corrected for the model's cross-validated error, computed once
//! ([`mint::learn::corrected::corrected_rows`]) and shown as a table after
//! the matrix, in the JSON report, as CSV, JSON or a workbook sheet
//! (`--corrected-out`, `--xlsx`). [`CodeReport`] is the report of `mint
//! code`: the theme matrix with the model and the corrected rows.

use std::io::Write;

use serde::Serialize;

use mint::learn::corrected::CorrectedRow;

use crate::render::matrix::ThemeMatrix;
use crate::render::{Output, Report};

/// The columns of the corrected prevalence as CSV; proportions from 0 to 1.
const COLUMNS: [&str; 11] = [
    "code",
    "group",
    "segments_coded",
    "segments",
    "apparent",
    "corrected",
    "corrected_low",
    "corrected_high",
    "difference",
    "within_error",
    "cannot_correct",
];

/// The corrected prevalence of the model's codes, named by the model.
pub(super) struct Corrected<'a> {
    /// The model's id and hash.
    pub model: &'a str,
    /// The rows.
    pub rows: &'a [CorrectedRow],
}

/// The JSON of `--corrected-out FILE.json`.
#[derive(Serialize)]
struct CorrectedJson<'a> {
    model: &'a str,
    corrected: &'a [CorrectedRow],
}

impl Report for Corrected<'_> {
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
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
        let percent = |x: f64| format!("{:.1}", x * 100.0);
        for row in self.rows {
            if let Some(why) = &row.cannot_correct {
                t.add_row(vec![
                    row.code.clone(),
                    String::new(),
                    String::new(),
                    String::new(),
                    format!("cannot correct: {why}"),
                    String::new(),
                ]);
                continue;
            }
            let (apparent, corrected) = match (row.apparent, row.corrected) {
                (Some(apparent), Some(corrected)) => (
                    format!("{}%", percent(apparent)),
                    match (row.corrected_low, row.corrected_high) {
                        (Some(lo), Some(hi)) => {
                            format!("{}% [{}, {}]", percent(corrected), percent(lo), percent(hi))
                        }
                        _ => format!("{}%", percent(corrected)),
                    },
                ),
                _ => ("-".to_string(), "-".to_string()),
            };
            let versus = match row.difference {
                Some(d) => format!(
                    "{:+.1} pts{}",
                    d * 100.0,
                    if row.within_error == Some(true) {
                        " (within the model's error)"
                    } else {
                        ""
                    }
                ),
                None => String::new(),
            };
            t.add_row(vec![
                row.code.clone(),
                row.group.clone().unwrap_or_default(),
                format!(
                    "{} of {}",
                    row.segments_coded.unwrap_or(0),
                    row.segments.unwrap_or(0)
                ),
                apparent,
                corrected,
                versus,
            ]);
        }
        writeln!(
            out.stdout(),
            "\nLearned codes' prevalence corrected for the model's error ({}):",
            self.model
        )?;
        crate::render::table::write(out, &t)
    }

    /// One row per code and group, proportions from 0 to 1 to 4 places.
    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        let mut csv = crate::render::csv::Writer::new(w);
        csv.write_record(COLUMNS)?;
        let number = |n: Option<u64>| n.map_or(String::new(), |n| n.to_string());
        let share = |x: Option<f64>| x.map_or(String::new(), |x| format!("{x:.4}"));
        for row in self.rows {
            csv.write_record([
                row.code.clone(),
                row.group.clone().unwrap_or_default(),
                number(row.segments_coded),
                number(row.segments),
                share(row.apparent),
                share(row.corrected),
                share(row.corrected_low),
                share(row.corrected_high),
                share(row.difference),
                row.within_error.map_or(String::new(), |b| b.to_string()),
                row.cannot_correct.clone().unwrap_or_default(),
            ])?;
        }
        csv.flush()?;
        Ok(())
    }

    fn json(&self) -> impl Serialize + '_ {
        CorrectedJson {
            model: self.model,
            corrected: self.rows,
        }
    }
}

/// The report of `mint code`: the theme matrix, and with --model the
/// model that coded too and, with --corrected, the corrected prevalence.
pub(super) struct CodeReport<'a> {
    /// The theme matrix.
    pub matrix: ThemeMatrix<'a>,
    /// The model's id and hash, with --model.
    pub model: Option<&'a str>,
    /// The corrected prevalence, with --corrected.
    pub corrected: Option<&'a [CorrectedRow]>,
}

/// The theme matrix's JSON with `model` and `corrected` after it.
#[derive(Serialize)]
struct CodeJson<'a, M: Serialize> {
    #[serde(flatten)]
    matrix: M,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    corrected: Option<&'a [CorrectedRow]>,
}

impl CodeReport<'_> {
    /// The corrected prevalence as its own report, with --corrected.
    pub(super) fn corrected(&self) -> Option<Corrected<'_>> {
        Some(Corrected {
            model: self.model?,
            rows: self.corrected?,
        })
    }
}

impl Report for CodeReport<'_> {
    const SCHEMA_VERSION: u32 = <ThemeMatrix as Report>::SCHEMA_VERSION;

    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        self.matrix.write_table(out)?;
        if let Some(corrected) = self.corrected() {
            corrected.write_table(out)?;
        }
        Ok(())
    }

    /// The matrix's CSV (or the group comparisons'): the corrected
    /// prevalence goes to `--corrected-out`.
    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        self.matrix.write_csv(w)
    }

    fn json(&self) -> impl Serialize + '_ {
        CodeJson {
            matrix: self.matrix.json(),
            model: self.model,
            corrected: self.corrected,
        }
    }
}
