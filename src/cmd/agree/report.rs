//! How `mint agree` prints its figures: the table, the CSV rows and the
//! JSON document.

use super::*;

/// The report: the figures of every row.
pub(super) struct Agree<'a> {
    pub(super) alignment: &'a Alignment,
    pub(super) rows: &'a [Row],
    pub(super) unit: &'a str,
    /// Per set: the argument as typed, and what made it.
    pub(super) made_by: Vec<(String, String)>,
}

/// A figure rounded for output (4 decimals).
fn round4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// [`round4`] of a figure that may be undefined.
fn round(value: Option<f64>) -> Option<f64> {
    value.map(round4)
}

/// One row as CSV and JSON give it.
#[derive(Serialize)]
struct FlatRow {
    comparison: String,
    level: &'static str,
    theme: String,
    code: String,
    units: u64,
    /// The compared sets' prevalences, `;`-separated in set order.
    prevalence: String,
    percent: Option<f64>,
    kappa: Option<f64>,
    kappa_low: Option<f64>,
    kappa_high: Option<f64>,
    alpha: Option<f64>,
    alpha_low: Option<f64>,
    alpha_high: Option<f64>,
    ac1: Option<f64>,
    pabak: Option<f64>,
    precision: Option<f64>,
    recall: Option<f64>,
    f1: Option<f64>,
    notes: String,
}

/// The JSON body of `mint agree --format json`: the `unit`, the `sets`
/// (name, argument as typed, made by), the `codes` compared (id, theme, `used_by`: the sets
/// that applied it), the `bootstrap` (replicates, seed, what is
/// resampled), and the `rows`: per comparison (`A vs B` or `all`) and level
/// (`overall`, `theme`, `code`), the figures, `null` when undefined, and
/// `undefined`: each undefined figure with its reason.
#[derive(Serialize)]
struct AgreeJson<'a> {
    unit: &'a str,
    sets: Vec<JsonSet<'a>>,
    codes: Vec<JsonCode<'a>>,
    bootstrap: JsonBootstrap,
    rows: Vec<JsonRow<'a>>,
}

#[derive(Serialize)]
struct JsonSet<'a> {
    name: &'a str,
    argument: &'a str,
    made_by: &'a str,
}

#[derive(Serialize)]
struct JsonCode<'a> {
    id: &'a str,
    theme: &'a str,
    used_by: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonBootstrap {
    replicates: usize,
    seed: u64,
    resampled: &'static str,
    level: f64,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    comparison: String,
    sets: Vec<&'a str>,
    level: &'static str,
    theme: Option<&'a str>,
    code: Option<&'a str>,
    units: u64,
    prevalence: Vec<f64>,
    percent: Option<f64>,
    kappa: Option<f64>,
    kappa_ci: Option<[f64; 2]>,
    alpha: Option<f64>,
    alpha_ci: Option<[f64; 2]>,
    ac1: Option<f64>,
    pabak: Option<f64>,
    precision: Option<f64>,
    recall: Option<f64>,
    f1: Option<f64>,
    undefined: Vec<JsonUndefined<'a>>,
}

#[derive(Serialize)]
struct JsonUndefined<'a> {
    figure: &'a str,
    reason: &'a str,
}

impl Agree<'_> {
    /// The theme and code of a row (empty where not applicable).
    fn theme_code(&self, level: Level) -> (Option<&str>, Option<&str>) {
        let a = self.alignment;
        match level {
            Level::Overall => (None, None),
            Level::Theme(t) => (Some(&a.themes[t]), None),
            Level::Code(c) => (Some(&a.codes[c].theme), Some(&a.codes[c].id)),
        }
    }

    /// The notes of a row: who alone used a code, and the undefined
    /// figures grouped by reason.
    fn notes(&self, row: &Row) -> String {
        let mut notes = Vec::new();
        if let Level::Code(c) = row.level {
            let code = &self.alignment.codes[c];
            let users: Vec<&str> = code
                .used_by
                .iter()
                .zip(&self.alignment.sets)
                .filter(|(used, _)| **used)
                .map(|(_, name)| name.as_str())
                .collect();
            if users.len() == 1 {
                notes.push(format!("used only by {}", users[0]));
            }
        }
        let mut by_reason: Vec<(&str, Vec<&str>)> = Vec::new();
        for u in &row.figures.undefined {
            match by_reason.iter_mut().find(|(r, _)| *r == u.reason) {
                Some((_, figures)) => figures.push(u.figure),
                None => by_reason.push((&u.reason, vec![u.figure])),
            }
        }
        for (reason, figures) in by_reason {
            notes.push(format!("{}: {reason}", figures.join(", ")));
        }
        notes.join("; ")
    }

    fn flat(&self, row: &Row) -> FlatRow {
        let f = &row.figures;
        let (theme, code) = self.theme_code(row.level);
        FlatRow {
            comparison: comparison_name(self.alignment, row.comparison),
            level: level_id(self.alignment, row.level).0,
            theme: theme.unwrap_or_default().to_string(),
            code: code.unwrap_or_default().to_string(),
            units: f.units,
            prevalence: f
                .prevalence
                .iter()
                .map(|p| format!("{p:.4}"))
                .collect::<Vec<_>>()
                .join(";"),
            percent: round(f.percent),
            kappa: round(f.kappa),
            kappa_low: round(f.kappa_ci.map(|c| c.0)),
            kappa_high: round(f.kappa_ci.map(|c| c.1)),
            alpha: round(f.alpha),
            alpha_low: round(f.alpha_ci.map(|c| c.0)),
            alpha_high: round(f.alpha_ci.map(|c| c.1)),
            ac1: round(f.ac1),
            pabak: round(f.pabak),
            precision: round(f.precision),
            recall: round(f.recall),
            f1: round(f.f1),
            notes: self.notes(row),
        }
    }
}

/// A figure for the table: three decimals, `-` when undefined.
fn shown(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"))
}

/// A figure with its interval, for the table.
fn with_interval(value: Option<f64>, interval: Option<(f64, f64)>) -> String {
    match (value, interval) {
        (Some(v), Some((lo, hi))) => format!("{v:.3} [{lo:.2}, {hi:.2}]"),
        (value, _) => shown(value),
    }
}

impl Report for Agree<'_> {
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        let mut t = table::new_table(out);
        t.set_header(vec![
            "sets",
            "theme / code",
            "units",
            "prevalence",
            "agree %",
            "kappa [95% CI]",
            "alpha [95% CI]",
            "AC1",
            "PABAK",
            "P",
            "R",
            "F1",
            "notes",
        ]);
        for row in self.rows {
            let f = &row.figures;
            let label = match row.level {
                Level::Overall => "overall".to_string(),
                Level::Theme(t) => self.alignment.themes[t].clone(),
                Level::Code(c) => format!("  {}", self.alignment.codes[c].id),
            };
            let prevalence: Vec<String> = f
                .prevalence
                .iter()
                .map(|p| format!("{:.1}%", p * 100.0))
                .collect();
            t.add_row(vec![
                Cell::new(comparison_name(self.alignment, row.comparison)),
                Cell::new(label),
                table::number(f.units),
                table::number(prevalence.join(" / ")),
                table::number(
                    f.percent
                        .map_or("-".to_string(), |p| format!("{:.1}", p * 100.0)),
                ),
                table::number(with_interval(f.kappa, f.kappa_ci)),
                table::number(with_interval(f.alpha, f.alpha_ci)),
                table::number(shown(f.ac1)),
                table::number(shown(f.pabak)),
                table::number(shown(f.precision)),
                table::number(shown(f.recall)),
                table::number(shown(f.f1)),
                Cell::new(self.notes(row)),
            ]);
        }
        table::write_keyed(out, &t, 2)
    }

    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        render::csv::write_rows(w, self.rows.iter().map(|r| self.flat(r)))
    }

    fn json(&self) -> impl Serialize + '_ {
        let a = self.alignment;
        AgreeJson {
            unit: self.unit,
            sets: a
                .sets
                .iter()
                .zip(&self.made_by)
                .map(|(name, (argument, made_by))| JsonSet {
                    name,
                    argument,
                    made_by,
                })
                .collect(),
            codes: a
                .codes
                .iter()
                .map(|c| JsonCode {
                    id: &c.id,
                    theme: &c.theme,
                    used_by: c
                        .used_by
                        .iter()
                        .zip(&a.sets)
                        .filter(|(u, _)| **u)
                        .map(|(_, s)| s.as_str())
                        .collect(),
                })
                .collect(),
            bootstrap: JsonBootstrap {
                replicates: BOOTSTRAP_REPLICATES,
                seed: BOOTSTRAP_SEED,
                resampled: "participants",
                level: 0.95,
            },
            rows: self
                .rows
                .iter()
                .map(|row| {
                    let f = &row.figures;
                    let (theme, code) = self.theme_code(row.level);
                    let interval =
                        |ci: Option<(f64, f64)>| ci.map(|(lo, hi)| [round4(lo), round4(hi)]);
                    JsonRow {
                        comparison: comparison_name(a, row.comparison),
                        sets: match row.comparison {
                            Comparison::Pair(i, j) => vec![&a.sets[i], &a.sets[j]],
                            Comparison::All => a.sets.iter().map(String::as_str).collect(),
                        },
                        level: level_id(a, row.level).0,
                        theme,
                        code,
                        units: f.units,
                        prevalence: f.prevalence.iter().copied().map(round4).collect(),
                        percent: round(f.percent),
                        kappa: round(f.kappa),
                        kappa_ci: interval(f.kappa_ci),
                        alpha: round(f.alpha),
                        alpha_ci: interval(f.alpha_ci),
                        ac1: round(f.ac1),
                        pabak: round(f.pabak),
                        precision: round(f.precision),
                        recall: round(f.recall),
                        f1: round(f.f1),
                        undefined: f
                            .undefined
                            .iter()
                            .map(|u| JsonUndefined {
                                figure: u.figure,
                                reason: &u.reason,
                            })
                            .collect(),
                    }
                })
                .collect(),
        }
    }
}
