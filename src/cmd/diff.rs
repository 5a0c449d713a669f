//! `mint diff`: what changed between two results of a batch (a new
//! codebook version, new transcripts, a new mint): the matrix cells whose
//! references or participants changed, and the participants whose tallies
//! did, with before, after and delta. Exit 1 when anything changed beyond
//! `--max-change`, so CI can demand a review.
//!
//! Each input becomes a [`Snapshot`] in one place, [`load`].

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::args::FormatArgs;
use crate::render::matrix::SCHEMA_VERSION;
use crate::render::{self, Output, Report, Status, table};

/// Show what changed between two `mint code --format json` results.
///
/// Cells of the theme matrix are matched by theme, code and group label;
/// participants by id. A cell or participant tally present in only one
/// result counts as changed from or to nothing. With --max-change, a
/// change of at most PCT percent of its old value is tolerated (a change
/// from nothing never is).
#[derive(Debug, clap::Args)]
#[command(mut_arg("format", |a| a.help("How to print the changes")))]
#[command(after_long_help = "\
Exit status: 0 when nothing changed (or every change is within
--max-change), 1 when something did, 2 on an error.

Examples:
  mint code batch --format json > new.json
  mint diff results/previous.json new.json
  mint diff previous.json new.json --max-change 5 --format csv")]
pub struct Args {
    /// The earlier result (`mint code --format json`).
    #[arg(value_name = "OLD.json")]
    old: PathBuf,

    /// The later result.
    #[arg(value_name = "NEW.json")]
    new: PathBuf,

    /// Tolerate changes of at most PCT percent of the old value.
    #[arg(long, value_name = "PCT")]
    max_change: Option<f64>,

    #[command(flatten)]
    format: FormatArgs,
}

/// A count's key: four names, the last the measure counted.
type Key = (String, String, String, &'static str);

/// What a result says, keyed for comparison: the matrix cells and the
/// participants' tallies.
#[derive(Debug, Default)]
struct Snapshot {
    /// (theme, code or "", group label or "total", measure) -> count.
    cells: BTreeMap<Key, u64>,
    /// (participant, theme or "", code or "", measure) -> count.
    participants: BTreeMap<Key, u64>,
}

/// The parts of `mint code --format json` a diff reads.
#[derive(Deserialize)]
struct CodeJson {
    schema_version: u32,
    groups: Vec<GroupJson>,
    rows: Vec<RowJson>,
    participants: Option<Vec<ParticipantJson>>,
}

#[derive(Deserialize)]
struct GroupJson {
    label: String,
}

#[derive(Deserialize)]
struct RowJson {
    theme: String,
    code: Option<String>,
    cells: Vec<CellJson>,
    total: CellJson,
}

/// A cell; counts are null when suppressed (`--min-cell`).
#[derive(Deserialize)]
struct CellJson {
    references: Option<u64>,
    participants: Option<u64>,
}

#[derive(Deserialize)]
struct ParticipantJson {
    id: String,
    segments: u64,
    coded_segments: u64,
    themes: BTreeMap<String, u64>,
    codes: BTreeMap<String, u64>,
}

/// Reads one input into a [`Snapshot`]: the one place that knows the kinds
/// of input. Today a `mint code --format json` result; a codings CSV (the
/// segments that gained or lost each code) would add its case here, once
/// mint reads codings CSVs.
fn load(path: &Path) -> anyhow::Result<Snapshot> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let version: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    match version.get("schema_version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(SCHEMA_VERSION) => {}
        Some(v) => bail!(
            "{}: schema_version {v} (this mint reads {SCHEMA_VERSION})",
            path.display()
        ),
        None => bail!(
            "{} is not the JSON of `mint code --format json` (no schema_version)",
            path.display()
        ),
    }
    let result: CodeJson = serde_json::from_value(version).with_context(|| {
        format!(
            "{} is not the JSON of `mint code --format json`",
            path.display()
        )
    })?;
    debug_assert_eq!(result.schema_version, SCHEMA_VERSION);
    let mut snapshot = Snapshot::default();
    for row in &result.rows {
        let code = row.code.clone().unwrap_or_default();
        let groups = result.groups.iter().map(|g| g.label.as_str());
        for (group, cell) in groups
            .zip(&row.cells)
            .chain(std::iter::once(("total", &row.total)))
        {
            for (measure, value) in [
                ("references", cell.references),
                ("participants", cell.participants),
            ] {
                if let Some(value) = value {
                    let key = (row.theme.clone(), code.clone(), group.to_string(), measure);
                    snapshot.cells.insert(key, value);
                }
            }
        }
    }
    let theme_of: BTreeMap<&str, &str> = result
        .rows
        .iter()
        .filter_map(|r| Some((r.code.as_deref()?, r.theme.as_str())))
        .collect();
    for p in result.participants.iter().flatten() {
        let mut put = |theme: &str, code: &str, measure, value| {
            let key = (p.id.clone(), theme.to_string(), code.to_string(), measure);
            snapshot.participants.insert(key, value);
        };
        put("", "", "segments", p.segments);
        put("", "", "coded_segments", p.coded_segments);
        for (theme, n) in &p.themes {
            put(theme, "", "references", *n);
        }
        for (code, n) in &p.codes {
            put(
                theme_of.get(code.as_str()).copied().unwrap_or(""),
                code,
                "references",
                *n,
            );
        }
    }
    Ok(snapshot)
}

/// One changed count.
#[derive(Debug, Serialize)]
struct Change {
    /// `cell` or `participant`.
    kind: &'static str,
    theme: String,
    code: String,
    /// The group label (`total` for the total column), or the participant.
    group: String,
    /// `references`, `participants`, `segments` or `coded_segments`.
    measure: &'static str,
    before: Option<u64>,
    after: Option<u64>,
    delta: i64,
    /// The delta as a percentage of `before`; null when there was none.
    change_pct: Option<f64>,
    /// Whether --max-change tolerates it.
    tolerated: bool,
}

/// The changes between two keyed counts; a count missing from one side
/// (a participant's code with no references) is zero there, unless the
/// key's owner is missing altogether.
fn changes<K: Ord + Clone>(
    old: &BTreeMap<K, u64>,
    new: &BTreeMap<K, u64>,
    max_change: Option<f64>,
    mut describe: impl FnMut(&K) -> (&'static str, String, String, String, &'static str),
    present: impl Fn(&K, &BTreeMap<K, u64>) -> bool,
) -> Vec<Change> {
    let keys: BTreeSet<&K> = old.keys().chain(new.keys()).collect();
    let mut out = Vec::new();
    for key in keys {
        let side = |map: &BTreeMap<K, u64>| {
            map.get(key)
                .copied()
                .or_else(|| present(key, map).then_some(0))
        };
        let (before, after) = (side(old), side(new));
        if before == after {
            continue;
        }
        let delta = after.unwrap_or(0) as i64 - before.unwrap_or(0) as i64;
        let change_pct = before
            .filter(|&b| b > 0)
            .map(|b| (delta as f64 / b as f64 * 1000.0).round() / 10.0);
        let tolerated = match (max_change, change_pct) {
            (Some(max), Some(pct)) => pct.abs() <= max,
            _ => false,
        };
        let (kind, theme, code, group, measure) = describe(key);
        out.push(Change {
            kind,
            theme,
            code,
            group,
            measure,
            before,
            after,
            delta,
            change_pct,
            tolerated,
        });
    }
    out
}

/// Runs `mint diff`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    if let Some(max) = args.max_change
        && !(max >= 0.0 && max.is_finite())
    {
        bail!("--max-change {max}: must be a percentage of at least 0");
    }
    let old = load(&args.old)?;
    let new = load(&args.new)?;
    let mut all = changes(
        &old.cells,
        &new.cells,
        args.max_change,
        |(theme, code, group, measure)| {
            ("cell", theme.clone(), code.clone(), group.clone(), measure)
        },
        |_, _| false,
    );
    // A participant's theme or code without references is left out of the
    // JSON: zero, when the participant is there.
    let has_participant = |key: &Key, map: &BTreeMap<Key, u64>| {
        map.contains_key(&(key.0.clone(), String::new(), String::new(), "segments"))
    };
    all.extend(changes(
        &old.participants,
        &new.participants,
        args.max_change,
        |(id, theme, code, measure)| {
            (
                "participant",
                theme.clone(),
                code.clone(),
                id.clone(),
                measure,
            )
        },
        has_participant,
    ));
    let status = if all.iter().all(|c| c.tolerated) {
        Status::Ok
    } else {
        Status::Findings
    };
    let report = Diff {
        old: &args.old,
        new: &args.new,
        max_change: args.max_change,
        changes: all,
    };
    render::emit(out, args.format.format, &report)?;
    Ok(status)
}

/// The changes, as a report.
struct Diff<'a> {
    old: &'a Path,
    new: &'a Path,
    max_change: Option<f64>,
    changes: Vec<Change>,
}

/// The JSON body of `mint diff --format json`: the `old` and `new` paths,
/// `max_change` (null without --max-change), whether anything `changed`
/// beyond it, and the `changes`, with the CSV's columns.
#[derive(Serialize)]
struct DiffJson<'a> {
    old: String,
    new: String,
    max_change: Option<f64>,
    changed: bool,
    changes: &'a [Change],
}

impl Report for Diff<'_> {
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        if self.changes.is_empty() {
            writeln!(out.stdout(), "no changes")?;
            return Ok(());
        }
        let mut t = table::new_table(out);
        t.set_header(vec![
            "",
            "theme",
            "code",
            "group / participant",
            "count",
            "before",
            "after",
            "delta",
            "change",
        ]);
        let shown = |n: Option<u64>| n.map_or_else(|| "-".to_string(), |n| n.to_string());
        for c in &self.changes {
            let change = c
                .change_pct
                .map_or_else(|| "new".to_string(), |p| format!("{p:+.1}%"));
            t.add_row(vec![
                comfy_table::Cell::new(c.kind),
                comfy_table::Cell::new(&c.theme),
                comfy_table::Cell::new(&c.code),
                comfy_table::Cell::new(&c.group),
                comfy_table::Cell::new(c.measure),
                table::number(shown(c.before)),
                table::number(shown(c.after)),
                table::number(format!("{:+}", c.delta)),
                table::number(if c.tolerated {
                    format!("{change} (tolerated)")
                } else {
                    change
                }),
            ]);
        }
        table::write(out, &t)
    }

    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        if self.changes.is_empty() {
            let header = [
                "kind",
                "theme",
                "code",
                "group",
                "measure",
                "before",
                "after",
                "delta",
                "change_pct",
                "tolerated",
            ];
            return render::csv::write_records(w, &header, std::iter::empty::<Vec<&str>>());
        }
        render::csv::write_rows(w, &self.changes)
    }

    fn json(&self) -> impl Serialize + '_ {
        DiffJson {
            old: self.old.display().to_string(),
            new: self.new.display().to_string(),
            max_change: self.max_change,
            changed: !self.changes.iter().all(|c| c.tolerated),
            changes: &self.changes,
        }
    }
}
