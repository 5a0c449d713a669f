//! The theme matrix (theme > code x group) as `mint code` and `mint merge`
//! print it: the table, the wide and long CSV, the group comparisons, and
//! the JSON document that `mint merge` reads back.

use std::collections::BTreeMap;
use std::io::Write;

use comfy_table::{Attribute, Cell as TableCell, CellAlignment};
use serde::Serialize;

use mint::attributes::Attributes;
use mint::codebook::{Codebook, Origin};
use mint::groups::GroupTest;
use mint::stats::Correction;
use mint::tally::{self, Cell, Matrix, Tally};

use super::table::{cut, new_table, text_width, wrap};
use super::{Output, Report};

/// The version of the JSON written by `mint code --format json` (and read
/// by `mint merge`).
pub const SCHEMA_VERSION: u32 = 1;

/// Totals for the stderr note and the JSON: files, participants,
/// participant segments, and coded segments.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub participants: usize,
    pub segments: u64,
    pub coded_segments: u64,
}

/// The settings that change what counts (`--primary`, `--min-score`), as
/// the JSON's `coding` object records them: left out when both are the
/// defaults, so a plain run prints what it printed before they existed, and
/// `mint merge` reads a missing object as the defaults.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Counting {
    /// Each segment counted for its primary theme only.
    #[serde(default)]
    pub primary: bool,
    /// Codings under this score dropped, or null.
    #[serde(default)]
    pub min_score: Option<f64>,
}

impl Counting {
    /// The settings of `options`.
    pub fn of(options: &mint::coding::Options) -> Counting {
        Counting {
            primary: options.primary,
            min_score: options.min_score.map(mint::coding::Score::value),
        }
    }

    /// Both settings are the defaults.
    pub fn is_default(&self) -> bool {
        *self == Counting::default()
    }
}

/// A percentage with one decimal, as written in CSV and JSON.
fn percent(cell: &Cell) -> f64 {
    (cell.percent * 10.0).round() / 10.0
}

fn row_name(row: &tally::Row) -> String {
    match &row.code {
        Some(code) if row.origin == Some(Origin::Emergent) => {
            format!("{}{code} (emergent)", "  ".repeat(row.depth))
        }
        Some(code) => format!("{}{code}", "  ".repeat(row.depth)),
        None => row.theme.clone(),
    }
}

/// Writes the matrix as a table: fitted to [`Output::width`] (compact
/// cells, long names cut with a legend, groups in blocks), or today's wide
/// layout with `--wide`.
pub fn write_table(out: &mut Output, matrix: &Matrix, suppress: Suppress) -> anyhow::Result<()> {
    match out.width {
        Some(width) => write_fitted(out, matrix, suppress, width),
        None => write_wide(out, matrix, suppress),
    }
}

/// The `--wide` layout: every group side by side, `refs / n of N (pct%)`.
fn write_wide(out: &mut Output, matrix: &Matrix, suppress: Suppress) -> anyhow::Result<()> {
    let mut table = new_table(out);
    let mut header = vec![TableCell::new("theme / code")];
    for group in &matrix.groups {
        header.push(TableCell::new(format!(
            "{}\nN={}",
            group.label(),
            group.size
        )));
    }
    let total_n = matrix.rows.first().map_or(0, |r| r.total.group_size);
    header.push(TableCell::new(format!("total\nN={total_n}")));
    table.set_header(header);
    for row in &matrix.rows {
        let cells = row
            .cells
            .iter()
            .chain([&row.total])
            .map(|c| format_cell(c, suppress));
        add_matrix_row(out, &mut table, (row_name(row), row.code.is_none()), cells);
    }
    writeln!(out.stdout(), "{table}")?;
    Ok(())
}

/// A row of the matrix table: its name, then right-aligned cells; bold
/// when it is a theme's row and colour is on.
fn add_matrix_row(
    out: &Output,
    table: &mut comfy_table::Table,
    (name, is_theme): (String, bool),
    cells: impl Iterator<Item = String>,
) {
    let mut row = vec![TableCell::new(name)];
    row.extend(cells.map(|c| TableCell::new(c).set_alignment(CellAlignment::Right)));
    if is_theme && out.color {
        row = row
            .into_iter()
            .map(|c| c.add_attribute(Attribute::Bold))
            .collect();
    }
    table.add_row(row);
}

/// The fitted layout: a cell is `refs · n (pct%)`, a group's header its
/// values on lines of their own and `N=`, names longer than a quarter of
/// the width are cut with `…` and spelled out in a legend, and the groups
/// (then the total) go into as many blocks as the width needs, each block
/// repeating the names.
fn write_fitted(
    out: &mut Output,
    matrix: &Matrix,
    suppress: Suppress,
    width: usize,
) -> anyhow::Result<()> {
    let names: Vec<String> = matrix.rows.iter().map(row_name).collect();
    let budget = (width / 4).max(12);
    let (names, legend) = abbreviate(&names, budget);
    let name_width = names
        .iter()
        .map(|n| text_width(n))
        .chain([text_width("theme / code")])
        .max()
        .unwrap_or(0);
    let total_n = matrix.rows.first().map_or(0, |r| r.total.group_size);
    let mut columns: Vec<(String, Vec<String>)> = matrix
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let values = if g.values.is_empty() {
                "all".to_string()
            } else {
                g.values.join("\n")
            };
            let head = format!("{values}\n{}", suppress.size(g.size));
            (
                head,
                matrix
                    .rows
                    .iter()
                    .map(|r| compact_cell(&r.cells[i], suppress))
                    .collect(),
            )
        })
        .collect();
    columns.push((
        format!("total\n{}", suppress.size(total_n)),
        matrix
            .rows
            .iter()
            .map(|r| compact_cell(&r.total, suppress))
            .collect(),
    ));
    let widths: Vec<usize> = columns
        .iter()
        .map(|(head, cells)| {
            cells
                .iter()
                .map(|c| text_width(c))
                .chain([text_width(head)])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let blocks = super::table::blocks(name_width, &widths, width);
    for (b, block) in blocks.iter().enumerate() {
        if blocks.len() > 1 {
            if b > 0 {
                writeln!(out.stdout())?;
            }
            writeln!(out.stdout(), "part {} of {}", b + 1, blocks.len())?;
        }
        let mut table = new_table(out);
        table.set_content_arrangement(comfy_table::ContentArrangement::Disabled);
        let mut header = vec![TableCell::new("theme / code")];
        header.extend(block.clone().map(|c| TableCell::new(&columns[c].0)));
        table.set_header(header);
        for (r, (name, row)) in names.iter().zip(&matrix.rows).enumerate() {
            let cells = block.clone().map(|c| columns[c].1[r].clone());
            add_matrix_row(out, &mut table, (name.clone(), row.code.is_none()), cells);
        }
        writeln!(out.stdout(), "{table}")?;
    }
    let mut note = "cells: references · participants (percent of the group's N)".to_string();
    if suppress.0 > 1 {
        let _ = std::fmt::Write::write_fmt(
            &mut note,
            format_args!(
                "; counts from 1 to {} shown as <{}",
                suppress.0 - 1,
                suppress.0
            ),
        );
    }
    writeln!(out.stdout(), "{}", wrap(&note, width))?;
    for (short, full) in legend {
        writeln!(out.stdout(), "{short} = {full}")?;
    }
    Ok(())
}

/// Names cut to `budget` columns (kept apart when two cuts would read the
/// same), and the legend of those cut: (as shown, in full).
fn abbreviate(names: &[String], budget: usize) -> (Vec<String>, Vec<(String, String)>) {
    let mut shown = Vec::with_capacity(names.len());
    let mut legend: Vec<(String, String)> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for name in names {
        if text_width(name) <= budget {
            shown.push(name.clone());
            continue;
        }
        let indent = name.len() - name.trim_start().len();
        let mut short = cut(name, budget);
        let mut n = 2;
        while !seen.insert(short.clone()) {
            short = format!("{}{n}", cut(name, budget - n.to_string().len()));
            n += 1;
        }
        legend.push((short.trim_start().to_string(), name[indent..].to_string()));
        shown.push(short);
    }
    (shown, legend)
}

/// `refs · n (pct%)`, counts under the suppression threshold as `<K`.
fn compact_cell(cell: &Cell, suppress: Suppress) -> String {
    let pct = if suppress.hides(cell.participants) {
        "–".to_string()
    } else {
        format!("{:.0}%", cell.percent)
    };
    format!(
        "{} · {} ({pct})",
        suppress.count(cell.references),
        suppress.count(cell.participants),
    )
}

/// Small-cell suppression: counts from 1 to K-1 are shown as `<K`.
#[derive(Debug, Clone, Copy)]
pub struct Suppress(pub u64);

impl Suppress {
    fn hides(self, n: u64) -> bool {
        n > 0 && n < self.0
    }

    fn count(self, n: u64) -> String {
        if self.hides(n) {
            format!("<{}", self.0)
        } else {
            n.to_string()
        }
    }

    /// A group's size as `N=9`, or `N<K` when it is a small count.
    fn size(self, n: u64) -> String {
        if self.hides(n) {
            format!("N<{}", self.0)
        } else {
            format!("N={n}")
        }
    }

    /// A percentage, hidden when its participant count is.
    fn percent(self, cell: &Cell, decimals: usize) -> String {
        if self.hides(cell.participants) {
            "–".to_string()
        } else {
            format!("{:.*}", decimals, percent(cell))
        }
    }
}

/// `refs / n of N (pct%)`.
fn format_cell(cell: &Cell, suppress: Suppress) -> String {
    let pct = if suppress.hides(cell.participants) {
        "–".to_string()
    } else {
        format!("{:.0}%", cell.percent)
    };
    format!(
        "{} / {} of {} ({pct})",
        suppress.count(cell.references),
        suppress.count(cell.participants),
        cell.group_size
    )
}

pub fn write_matrix_csv(
    w: &mut dyn Write,
    matrix: &Matrix,
    long: bool,
    suppress: Suppress,
) -> anyhow::Result<()> {
    let mut csv = super::csv::Writer::new(w);
    if long {
        let mut header = vec!["theme".to_string(), "code".to_string()];
        header.extend(matrix.breakdown.iter().cloned());
        header.extend(["references", "participants", "group_size", "percent"].map(String::from));
        csv.write_record(&header)?;
        let all = vec!["(all)".to_string(); matrix.breakdown.len()];
        for row in &matrix.rows {
            let groups = matrix.groups.iter().map(|g| &g.values).chain([&all]);
            for (values, cell) in groups.zip(row.cells.iter().chain([&row.total])) {
                let mut record = vec![row.theme.clone(), row.code.clone().unwrap_or_default()];
                record.extend(values.iter().cloned());
                record.extend(cell_fields(cell, suppress));
                csv.write_record(&record)?;
            }
        }
    } else {
        let mut header = vec![
            "theme".to_string(),
            "code".to_string(),
            "label".to_string(),
            "origin".to_string(),
        ];
        let labels = matrix
            .groups
            .iter()
            .map(|g| g.label())
            .chain(["total".to_string()]);
        for label in labels {
            for field in ["references", "participants", "N", "percent"] {
                header.push(format!("{label}: {field}"));
            }
        }
        csv.write_record(&header)?;
        for row in &matrix.rows {
            let mut record = vec![
                row.theme.clone(),
                row.code.clone().unwrap_or_default(),
                row.label.clone(),
                row.origin
                    .map(|o| o.as_str().to_string())
                    .unwrap_or_default(),
            ];
            for cell in row.cells.iter().chain([&row.total]) {
                record.extend(cell_fields(cell, suppress));
            }
            csv.write_record(&record)?;
        }
    }
    csv.flush()?;
    Ok(())
}

fn cell_fields(cell: &Cell, suppress: Suppress) -> [String; 4] {
    [
        suppress.count(cell.references),
        suppress.count(cell.participants),
        cell.group_size.to_string(),
        suppress.percent(cell, 1),
    ]
}

/// Said wherever the statistics are shown.
pub const STATS_NOTE: &str = "With samples this small the numbers describe the participants interviewed; \
     they do not generalise. Read p-values as a guide to where the groups differ, not as proof.";

fn groups_text(t: &GroupTest) -> String {
    t.groups
        .iter()
        .map(|g| format!("{} {}/{}", g.value, g.mentioning, g.size))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the correction did: the tests run and the method.
pub fn correction_note(stats: &[GroupTest], correction: Correction) -> String {
    let n = mint::groups::tests_run(stats);
    let what = match correction {
        Correction::Holm => {
            "Holm's method, which keeps the chance of any false positive at the level (--fdr: Benjamini-Hochberg)"
        }
        Correction::BenjaminiHochberg => {
            "Benjamini-Hochberg, which keeps the expected share of false positives among the positives at the level"
        }
    };
    format!(
        "{n} test{} run; p adjusted for all {n} by {what}.",
        if n == 1 { "" } else { "s" }
    )
}

/// The group comparisons fitted to `width`: a table per breakdown
/// attribute, each group's count on a line of its own, the statistic under
/// the test's name, long names cut with a legend.
fn write_stats_fitted(out: &mut Output, stats: &[GroupTest], width: usize) -> anyhow::Result<()> {
    let names: Vec<String> = stats.iter().map(stats_name).collect();
    let (names, legend) = abbreviate(&names, (width / 5).max(12));
    let mut attributes: Vec<&str> = Vec::new();
    for t in stats {
        if !attributes.contains(&t.attribute.as_str()) {
            attributes.push(&t.attribute);
        }
    }
    for attribute in attributes {
        let mut table = new_table(out);
        table.set_header(["theme / code", "mentioning / N", "test", "p", "p adjusted"]);
        for (t, name) in stats
            .iter()
            .zip(&names)
            .filter(|(t, _)| t.attribute == attribute)
        {
            let groups: Vec<String> = t
                .groups
                .iter()
                .map(|g| format!("{} {}/{}", g.value, g.mentioning, g.size))
                .collect();
            let test = match t.statistic {
                Some(x) => format!("{}\n= {x:.3}", t.test),
                None => t.test.to_string(),
            };
            table.add_row(vec![
                TableCell::new(name),
                TableCell::new(groups.join("\n")),
                TableCell::new(test),
                TableCell::new(t.p.map_or("–".into(), |p| format!("{p:.4}")))
                    .set_alignment(CellAlignment::Right),
                TableCell::new(t.p_adjusted.map_or("–".into(), |p| format!("{p:.4}")))
                    .set_alignment(CellAlignment::Right),
            ]);
        }
        writeln!(out.stdout(), "\nGroup comparison by {attribute}\n{table}")?;
    }
    for (short, full) in legend {
        writeln!(out.stdout(), "{short} = {full}")?;
    }
    Ok(())
}

/// A comparison's row name: the theme, or the code indented.
fn stats_name(t: &GroupTest) -> String {
    t.code
        .as_ref()
        .map_or(t.theme.clone(), |c| format!("  {c}"))
}

fn write_stats_table(
    out: &mut Output,
    stats: &[GroupTest],
    correction: Correction,
) -> anyhow::Result<()> {
    let note = correction_note(stats, correction);
    if let Some(width) = out.width {
        write_stats_fitted(out, stats, width)?;
        let text = format!("{note} {STATS_NOTE}");
        writeln!(out.stdout(), "{}", wrap(&text, width))?;
        return Ok(());
    }
    let mut table = new_table(out);
    table.set_header([
        "theme / code",
        "by",
        "participants mentioning / N",
        "test",
        "statistic",
        "p",
        "p adjusted",
    ]);
    for t in stats {
        table.add_row(vec![
            TableCell::new(stats_name(t)),
            TableCell::new(&t.attribute),
            TableCell::new(groups_text(t)),
            TableCell::new(t.test),
            TableCell::new(t.statistic.map_or("–".into(), |x| format!("{x:.3}")))
                .set_alignment(CellAlignment::Right),
            TableCell::new(t.p.map_or("–".into(), |p| format!("{p:.4}")))
                .set_alignment(CellAlignment::Right),
            TableCell::new(t.p_adjusted.map_or("–".into(), |p| format!("{p:.4}")))
                .set_alignment(CellAlignment::Right),
        ]);
    }
    writeln!(
        out.stdout(),
        "\nGroup comparison\n{table}\n{note}\n{STATS_NOTE}"
    )?;
    Ok(())
}

fn write_stats_csv(
    w: &mut dyn Write,
    stats: &[GroupTest],
    correction: Correction,
) -> anyhow::Result<()> {
    let mut csv = super::csv::Writer::new(w);
    csv.write_record([
        "theme",
        "code",
        "attribute",
        "value",
        "mentioning",
        "size",
        "test",
        "statistic",
        "df",
        "p",
        "p_adjusted",
        "correction",
    ])?;
    for t in stats {
        for g in &t.groups {
            let opt = |x: Option<String>| x.unwrap_or_default();
            csv.write_record([
                t.theme.clone(),
                t.code.clone().unwrap_or_default(),
                t.attribute.clone(),
                g.value.clone(),
                g.mentioning.to_string(),
                g.size.to_string(),
                t.test.to_string(),
                opt(t.statistic.map(|x| format!("{x:.3}"))),
                opt(t.df.map(|d| d.to_string())),
                opt(t.p.map(|p| format!("{p:.4}"))),
                opt(t.p_adjusted.map(|p| format!("{p:.4}"))),
                correction.name().to_string(),
            ])?;
        }
    }
    csv.flush()?;
    Ok(())
}

/// Milliseconds as `HH:MM:SS.mmm`, the WebVTT clock.
/// The JSON document of `mint code --format json` (`schema_version` 1).
#[derive(Serialize)]
struct JsonReport<'a> {
    codebook: JsonCodebook<'a>,
    unit: &'a str,
    breakdown: &'a [String],
    groups: Vec<JsonGroup<'a>>,
    rows: Vec<JsonRow<'a>>,
    summary: &'a Summary,
    /// `--primary` and `--min-score`, when either is set.
    #[serde(skip_serializing_if = "Counting::is_default")]
    coding: Counting,
    /// Counts from 1 to this minus 1 are null (`--min-cell`).
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed_below: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stats: Option<&'a [GroupTest]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stats_correction: Option<JsonCorrection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stats_note: Option<&'a str>,
    /// The codebook's structure, so `mint merge` can rebuild the table.
    themes: Vec<JsonTheme<'a>>,
    codes: Vec<JsonCode<'a>>,
    /// Per-participant tallies, so shards merge exactly (left out with
    /// `--min-cell`, as they would show the small cells).
    #[serde(skip_serializing_if = "Option::is_none")]
    participants: Option<Vec<JsonParticipant<'a>>>,
}

/// The multiple-comparison correction of `--stats`.
#[derive(Serialize)]
struct JsonCorrection {
    /// `Holm` or `Benjamini-Hochberg`.
    method: &'static str,
    /// The tests run: the family the p-values were corrected over.
    tests: usize,
}

#[derive(Serialize)]
struct JsonCodebook<'a> {
    name: &'a str,
    version: &'a str,
    source: &'a str,
}

/// A theme, as `mint merge` needs it.
#[derive(Serialize)]
pub struct JsonTheme<'a> {
    id: &'a str,
    label: &'a str,
}

/// A code, as `mint merge` needs it.
#[derive(Serialize)]
pub struct JsonCode<'a> {
    id: &'a str,
    theme: &'a str,
    label: &'a str,
    origin: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a str>,
}

/// One participant's tallies: segments, and references per theme and code
/// (ids with no references are left out).
#[derive(Serialize)]
pub struct JsonParticipant<'a> {
    id: &'a str,
    attributes: &'a Attributes,
    segments: u64,
    coded_segments: u64,
    themes: BTreeMap<&'a str, u64>,
    codes: BTreeMap<&'a str, u64>,
}

#[derive(Serialize)]
struct JsonGroup<'a> {
    label: String,
    values: std::collections::BTreeMap<&'a str, &'a str>,
    size: u64,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    theme: &'a str,
    code: Option<&'a str>,
    label: &'a str,
    origin: Option<&'a str>,
    cells: Vec<JsonCell>,
    total: JsonCell,
}

#[derive(Serialize)]
struct JsonCell {
    references: Option<u64>,
    participants: Option<u64>,
    group_size: u64,
    percent: Option<f64>,
}

impl JsonCell {
    fn new(cell: &Cell, suppress: Suppress) -> JsonCell {
        let shown = |n: u64| (!suppress.hides(n)).then_some(n);
        JsonCell {
            references: shown(cell.references),
            participants: shown(cell.participants),
            group_size: cell.group_size,
            percent: (!suppress.hides(cell.participants)).then(|| percent(cell)),
        }
    }
}

/// The theme matrix of `mint code` and `mint merge`, with what its JSON
/// carries besides: the codebook's structure and per-participant tallies,
/// so that shards merge exactly.
pub struct ThemeMatrix<'a> {
    /// The matrix.
    pub matrix: &'a Matrix,
    /// The codebook it was coded with.
    pub codebook: &'a Codebook,
    /// The coding unit, as typed.
    pub unit: &'a str,
    /// Totals.
    pub summary: &'a Summary,
    /// Group comparisons (`--stats`) and their correction.
    pub stats: Option<(&'a [GroupTest], Correction)>,
    /// Small-cell suppression.
    pub suppress: Suppress,
    /// Per-participant tallies and attributes.
    pub tallies: (&'a Tally, &'a BTreeMap<String, Attributes>),
    /// CSV in the long (tidy) layout.
    pub long: bool,
    /// What the counts left out.
    pub counting: Counting,
}

impl Report for ThemeMatrix<'_> {
    const SCHEMA_VERSION: u32 = SCHEMA_VERSION;

    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        write_table(out, self.matrix, self.suppress)?;
        if let Some((stats, correction)) = self.stats {
            write_stats_table(out, stats, correction)?;
        }
        Ok(())
    }

    /// The comparisons when asked for, else the matrix.
    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        match self.stats {
            Some((stats, correction)) => write_stats_csv(w, stats, correction),
            None => write_matrix_csv(w, self.matrix, self.long, self.suppress),
        }
    }

    fn json(&self) -> impl Serialize + '_ {
        json_report(self)
    }
}

/// The JSON body of the theme matrix.
fn json_report<'a>(m: &ThemeMatrix<'a>) -> JsonReport<'a> {
    let (matrix, codebook, unit, summary, stats, suppress) =
        (m.matrix, m.codebook, m.unit, m.summary, m.stats, m.suppress);
    let (tally, attributes) = m.tallies;
    let participants = (suppress.0 <= 1).then(|| {
        attributes
            .iter()
            .map(|(id, attrs)| {
                let counts = tally.participants.get(id).cloned().unwrap_or_default();
                JsonParticipant {
                    id,
                    attributes: attrs,
                    segments: counts.segments,
                    coded_segments: counts.coded_segments,
                    themes: codebook
                        .themes
                        .iter()
                        .zip(&counts.theme_refs)
                        .filter(|(_, n)| **n > 0)
                        .map(|(t, n)| (t.id.as_str(), *n))
                        .collect(),
                    codes: codebook
                        .codes
                        .iter()
                        .zip(&counts.code_refs)
                        .filter(|(_, n)| **n > 0)
                        .map(|(c, n)| (c.id.as_str(), *n))
                        .collect(),
                }
            })
            .collect()
    });
    JsonReport {
        codebook: JsonCodebook {
            name: &codebook.codebook.name,
            version: &codebook.codebook.version,
            source: &codebook.source,
        },
        unit,
        breakdown: &matrix.breakdown,
        groups: matrix
            .groups
            .iter()
            .map(|g| JsonGroup {
                label: g.label(),
                values: matrix
                    .breakdown
                    .iter()
                    .map(String::as_str)
                    .zip(g.values.iter().map(String::as_str))
                    .collect(),
                size: g.size,
            })
            .collect(),
        rows: matrix
            .rows
            .iter()
            .map(|r| JsonRow {
                theme: &r.theme,
                code: r.code.as_deref(),
                label: &r.label,
                origin: r.origin.map(|o| o.as_str()),
                cells: r.cells.iter().map(|c| JsonCell::new(c, suppress)).collect(),
                total: JsonCell::new(&r.total, suppress),
            })
            .collect(),
        summary,
        coding: m.counting,
        suppressed_below: (suppress.0 > 1).then_some(suppress.0),
        stats: stats.map(|(s, _)| s),
        stats_correction: stats.map(|(s, c)| JsonCorrection {
            method: c.name(),
            tests: mint::groups::tests_run(s),
        }),
        stats_note: stats.map(|_| STATS_NOTE),
        themes: codebook
            .themes
            .iter()
            .map(|t| JsonTheme {
                id: &t.id,
                label: &t.label,
            })
            .collect(),
        codes: codebook
            .codes
            .iter()
            .map(|c| JsonCode {
                id: &c.id,
                theme: &c.theme,
                label: &c.label,
                origin: c.origin.as_str(),
                parent: c.parent.as_deref(),
            })
            .collect(),
        participants,
    }
}
