//! The reports of `mint learn`: the cross-validation table of `--cv` and
//! the training table printed when a model is written (table, CSV, JSON).

use std::io::Write;

use comfy_table::Cell;
use serde::Serialize;

use mint::learn::evaluate::{CrossValidation, Figures, Summary};
use mint::learn::model::Model;
use mint::learn::{Dataset, LearnCode, Skipped};

use crate::render::{self, Output, Report, table};

/// What both reports say: the data and the codes.
#[derive(Debug, Serialize)]
pub(super) struct Base {
    unit: String,
    segments: usize,
    participants: usize,
    codes: Vec<LearnCode>,
    /// Segments the human coded with each code of `codes`.
    counts: Vec<usize>,
    pub(super) skipped: Vec<Skipped>,
}

impl Base {
    pub(super) fn of(data: &Dataset, codes: &[usize], skipped: Vec<Skipped>, unit: &str) -> Base {
        let counts = data.counts();
        Base {
            unit: unit.to_string(),
            segments: data.examples.len(),
            participants: data.participants.len(),
            codes: codes.iter().map(|&c| data.codes[c].clone()).collect(),
            counts: codes.iter().map(|&c| counts[c]).collect(),
            skipped,
        }
    }
}

/// The columns of the `--cv` table.
const CV_COLUMNS: [&str; 9] = [
    "code",
    "theme",
    "segments",
    "precision",
    "recall",
    "F1",
    "kappa",
    "permuted kappa",
    "flag",
];

/// The columns of the training table.
const TRAIN_COLUMNS: [&str; 9] = [
    "code",
    "theme",
    "origin",
    "segments",
    "threshold",
    "precision",
    "recall",
    "F1",
    "kappa",
];

/// A figure to three decimals, or `-`.
fn fixed(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |x| format!("{x:.3}"))
}

/// A figure to three decimals for JSON and CSV (`None` stays empty).
fn round(x: Option<f64>) -> Option<f64> {
    x.map(|x| (x * 1000.0).round() / 1000.0)
}

/// One row of the CSV of `mint learn --cv`: a code, an average or a point
/// of the learning curve (`kind` = `code`, `average`, `curve`).
#[derive(Debug, Serialize)]
struct CvRow<'a> {
    kind: &'a str,
    code: &'a str,
    theme: &'a str,
    share: Option<f64>,
    participants: Option<f64>,
    segments: Option<f64>,
    positives: Option<usize>,
    precision: Option<f64>,
    recall: Option<f64>,
    f1: Option<f64>,
    kappa: Option<f64>,
    permuted_kappa: Option<f64>,
    guessing: Option<bool>,
}

/// The report of `mint learn --cv`.
pub(super) struct CvReport<'a> {
    pub(super) base: Base,
    pub(super) cv: &'a CrossValidation,
}

impl CvReport<'_> {
    fn rows(&self) -> Vec<CvRow<'_>> {
        let mut rows = Vec::new();
        for (k, code) in self.base.codes.iter().enumerate() {
            let f = &self.cv.codes[k];
            rows.push(CvRow {
                kind: "code",
                code: &code.id,
                theme: &code.theme,
                share: None,
                participants: None,
                segments: None,
                positives: Some(self.base.counts[k]),
                precision: round(f.precision),
                recall: round(f.recall),
                f1: round(f.f1),
                kappa: round(f.kappa),
                permuted_kappa: round(self.cv.permuted[k].kappa),
                guessing: Some(self.cv.guessing(k)),
            });
        }
        let average = |code: &'static str,
                       f1: Option<f64>,
                       kappa: Option<f64>,
                       permuted: Option<f64>| CvRow {
            kind: "average",
            code,
            theme: "",
            share: None,
            participants: None,
            segments: None,
            positives: None,
            precision: None,
            recall: None,
            f1: round(f1),
            kappa: round(kappa),
            permuted_kappa: round(permuted),
            guessing: None,
        };
        let s = &self.cv.summary;
        rows.push(average("micro", s.micro_f1, None, None));
        rows.push(average(
            "macro",
            s.macro_f1,
            s.mean_kappa,
            self.cv.permuted_summary.mean_kappa,
        ));
        for p in &self.cv.curve {
            rows.push(CvRow {
                kind: "curve",
                code: "",
                theme: "",
                share: Some(p.share),
                participants: Some((p.participants * 10.0).round() / 10.0),
                segments: Some((p.segments * 10.0).round() / 10.0),
                positives: None,
                precision: None,
                recall: None,
                f1: round(p.summary.micro_f1),
                kappa: round(p.summary.mean_kappa),
                permuted_kappa: None,
                guessing: None,
            });
        }
        rows
    }
}

/// The JSON body of `mint learn --cv --format json`.
#[derive(Serialize)]
struct CvJson<'a> {
    folds: usize,
    #[serde(flatten)]
    base: &'a Base,
    summary: &'a Summary,
    permuted_summary: &'a Summary,
    rows: Vec<CvRow<'a>>,
}

impl Report for CvReport<'_> {
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        let mut t = table::new_table(out);
        t.set_header(CV_COLUMNS.map(Cell::new));
        for (k, code) in self.base.codes.iter().enumerate() {
            let f = &self.cv.codes[k];
            t.add_row(vec![
                Cell::new(&code.id),
                Cell::new(&code.theme),
                table::number(self.base.counts[k]),
                table::number(fixed(f.precision)),
                table::number(fixed(f.recall)),
                table::number(fixed(f.f1)),
                table::number(fixed(f.kappa)),
                table::number(fixed(self.cv.permuted[k].kappa)),
                Cell::new(if self.cv.guessing(k) {
                    "no better than chance"
                } else {
                    ""
                }),
            ]);
        }
        table::write(out, &t)?;
        let s = &self.cv.summary;
        writeln!(
            out.stdout(),
            "{}-fold cross-validation grouped by participant ({} participants, {} {}s): micro-F1 {}, macro-F1 {}, mean kappa {} (permuted labels: mean kappa {})\n",
            self.cv.folds,
            self.base.participants,
            self.base.segments,
            self.base.unit,
            fixed(s.micro_f1),
            fixed(s.macro_f1),
            fixed(s.mean_kappa),
            fixed(self.cv.permuted_summary.mean_kappa),
        )?;
        let mut t = table::new_table(out);
        t.set_header(
            [
                "participants hand-coded",
                "training participants",
                "training segments",
                "micro-F1",
                "macro-F1",
                "mean kappa",
            ]
            .map(Cell::new),
        );
        for p in &self.cv.curve {
            t.add_row(vec![
                Cell::new(format!("{:.0}%", p.share * 100.0)),
                table::number(format!("{:.1}", p.participants)),
                table::number(format!("{:.1}", p.segments)),
                table::number(fixed(p.summary.micro_f1)),
                table::number(fixed(p.summary.macro_f1)),
                table::number(fixed(p.summary.mean_kappa)),
            ]);
        }
        table::write(out, &t)
    }

    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        render::csv::write_rows(w, self.rows())
    }

    fn json(&self) -> impl Serialize + '_ {
        CvJson {
            folds: self.cv.folds,
            base: &self.base,
            summary: &self.cv.summary,
            permuted_summary: &self.cv.permuted_summary,
            rows: self.rows(),
        }
    }
}

/// One code of a trained model, as reported.
#[derive(Debug, Serialize)]
struct TrainRow<'a> {
    code: &'a str,
    theme: &'a str,
    origin: &'a str,
    segments: usize,
    threshold: f64,
    precision: Option<f64>,
    recall: Option<f64>,
    f1: Option<f64>,
    kappa: Option<f64>,
}

/// The report of `mint learn -o`: the codes learned, with the figures of
/// the inner cross-validation that chose their thresholds.
pub(super) struct TrainReport<'a> {
    pub(super) base: Base,
    pub(super) model: &'a Model,
}

impl TrainReport<'_> {
    fn rows(&self) -> Vec<TrainRow<'_>> {
        self.model
            .codes
            .iter()
            .map(|c| {
                let f: &Figures = &c.cv;
                TrainRow {
                    code: &c.id,
                    theme: &c.theme,
                    origin: &c.origin,
                    segments: c.examples,
                    threshold: (c.threshold * 1000.0).round() / 1000.0,
                    precision: round(f.precision),
                    recall: round(f.recall),
                    f1: round(f.f1),
                    kappa: round(f.kappa),
                }
            })
            .collect()
    }
}

/// The JSON body of `mint learn -o --format json`.
#[derive(Serialize)]
struct TrainJson<'a> {
    model: &'a str,
    #[serde(flatten)]
    base: &'a Base,
    rows: Vec<TrainRow<'a>>,
}

impl Report for TrainReport<'_> {
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        let mut t = table::new_table(out);
        t.set_header(TRAIN_COLUMNS.map(Cell::new));
        for r in self.rows() {
            t.add_row(vec![
                Cell::new(r.code),
                Cell::new(r.theme),
                Cell::new(r.origin),
                table::number(r.segments),
                table::number(format!("{:.3}", r.threshold)),
                table::number(fixed(r.precision)),
                table::number(fixed(r.recall)),
                table::number(fixed(r.f1)),
                table::number(fixed(r.kappa)),
            ]);
        }
        table::write(out, &t)?;
        writeln!(
            out.stdout(),
            "model {}: {} codes from {} {}s of {} participants; figures from {}-fold cross-validation inside the training data",
            self.model.id,
            self.model.codes.len(),
            self.base.segments,
            self.base.unit,
            self.base.participants,
            self.model.options.inner_folds
        )?;
        Ok(())
    }

    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        render::csv::write_rows(w, self.rows())
    }

    fn json(&self) -> impl Serialize + '_ {
        TrainJson {
            model: &self.model.id,
            base: &self.base,
            rows: self.rows(),
        }
    }
}
