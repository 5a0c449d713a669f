//! `mint diff`: what changed between two results of a batch (a new
//! codebook version, new transcripts, a new mint): the matrix cells whose
//! references or participants changed, and the participants whose tallies
//! did, with before, after and delta. Exit 1 when anything changed beyond
//! `--max-change`, so CI can demand a review. Of two codings CSVs: the
//! segments that gained or lost each code, with their text.
//!
//! Each input is read in one place, [`load`]: a result becomes a
//! [`Snapshot`], a codings CSV [`Codings`].

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::args::FormatArgs;
use crate::render::matrix::SCHEMA_VERSION;
use crate::render::{self, Output, Report, Status, table};

/// Show what changed between two `mint code --format json` results or codings
/// CSVs.
///
/// Cells of the theme matrix are matched by theme, code and group label;
/// participants by id. A cell or participant tally present in only one
/// result counts as changed from or to nothing. With --max-change, a
/// change of at most PCT percent of its old value is tolerated (a change
/// from nothing never is).
///
/// Of two codings CSVs (`mint code --codings`, `mint codings`), the
/// segments that gained or lost each code are shown with file,
/// participant, turn, span (code points) and text, and per code the
/// segments before and after; a code's change is its segments gained and
/// lost as a percentage of those it had, which --max-change tolerates in
/// the same way.
#[derive(Debug, clap::Args)]
#[command(mut_arg("format", |a| a.help("How to print the changes")))]
#[command(after_long_help = "\
Exit status: 0 when nothing changed (or every change is within
--max-change), 1 when something did, 2 on an error.

Examples:
  mint code batch --format json > new.json
  mint diff results/previous.json new.json
  mint diff previous.json new.json --max-change 5 --format csv
  mint diff previous-codings.csv codings.csv")]
pub struct Args {
    /// The earlier result (`mint code --format json`) or codings CSV.
    #[arg(value_name = "OLD")]
    old: PathBuf,

    /// The later result or codings CSV, of the same kind.
    #[arg(value_name = "NEW")]
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

/// One input, read: a `mint code --format json` result or a codings CSV.
enum Input {
    Result(Snapshot),
    Codings(Codings),
}

impl Input {
    /// What kind of input it is, for the error of mixed inputs.
    fn kind(&self) -> &'static str {
        match self {
            Input::Result(_) => "the JSON of `mint code --format json`",
            Input::Codings(_) => "a codings CSV",
        }
    }
}

/// Reads one input: the one place that knows the kinds of input. A
/// `.csv` file, or a file that does not start with `{`, is a codings CSV
/// (mint's `--codings` layout, or any sheet `mint agree` reads); anything
/// else is a `mint code --format json` result.
fn load(path: &Path) -> anyhow::Result<Input> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        || !path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            && bytes
                .strip_prefix(b"\xEF\xBB\xBF")
                .unwrap_or(&bytes)
                .iter()
                .find(|b| !b.is_ascii_whitespace())
                != Some(&b'{');
    if csv {
        return Ok(Input::Codings(load_codings(path, &bytes)?));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", path.display()))?;
    Ok(Input::Result(load_result(path, &text)?))
}

/// Reads a `mint code --format json` result into a [`Snapshot`].
fn load_result(path: &Path, text: &str) -> anyhow::Result<Snapshot> {
    let version: serde_json::Value =
        serde_json::from_str(text).with_context(|| format!("{} is not JSON", path.display()))?;
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

/// A codings CSV, keyed for comparison: per code, its theme and the
/// segments that carry it.
#[derive(Debug, Default)]
struct Codings {
    /// code -> (theme, segments).
    codes: BTreeMap<String, (String, BTreeSet<Segment>)>,
    /// Each segment's text, as the CSV gives it.
    texts: BTreeMap<Segment, String>,
}

/// A coded segment, by where it is: in file order, then by span.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Segment {
    file: String,
    /// First code point, from 0 (none in a `file,turn,code` sheet).
    start: Option<usize>,
    /// Code point after the last.
    end: Option<usize>,
    /// The turn, from 1, when known.
    turn: Option<usize>,
    participant: String,
}

/// Reads a codings CSV into [`Codings`], codes as written.
fn load_codings(path: &Path, bytes: &[u8]) -> anyhow::Result<Codings> {
    let read = mint::exchange::read_codings_csv(bytes, None)
        .with_context(|| format!("{} is not a codings CSV", path.display()))?;
    let mut codings = Codings::default();
    for c in read.codings {
        let segment = Segment {
            file: c.file,
            start: c.start,
            end: c.end,
            turn: c.turn,
            participant: c.participant,
        };
        codings
            .texts
            .entry(segment.clone())
            .or_insert_with(|| c.text.trim().to_string());
        let (theme, segments) = codings.codes.entry(c.code).or_default();
        if theme.is_empty() {
            *theme = c.theme;
        }
        segments.insert(segment);
    }
    Ok(codings)
}

/// One code whose segments changed, with the segments.
#[derive(Debug, Serialize)]
struct CodeChange {
    theme: String,
    code: String,
    /// Segments carrying the code before and after.
    before: usize,
    after: usize,
    /// Segments that gained and lost it.
    gained: usize,
    lost: usize,
    delta: i64,
    /// The segments that gained or lost it as a percentage of `before`;
    /// null when there was none.
    change_pct: Option<f64>,
    /// Whether --max-change tolerates it.
    tolerated: bool,
    segments: Vec<SegmentChange>,
}

/// A segment that gained or lost a code.
#[derive(Debug, Serialize)]
struct SegmentChange {
    /// `gained` or `lost`.
    change: &'static str,
    file: String,
    participant: String,
    turn: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    text: String,
}

impl SegmentChange {
    /// `start-end`, or empty when the CSV gave no span.
    fn span(&self) -> String {
        match (self.start, self.end) {
            (Some(start), Some(end)) => format!("{start}-{end}"),
            _ => String::new(),
        }
    }
}

/// The codes whose segments changed between two codings CSVs, in code
/// order; a code's change is its segments gained and lost, as a
/// percentage of the segments it had.
fn code_changes(old: &Codings, new: &Codings, max_change: Option<f64>) -> Vec<CodeChange> {
    let empty = (String::new(), BTreeSet::new());
    let codes: BTreeSet<&String> = old.codes.keys().chain(new.codes.keys()).collect();
    let mut out = Vec::new();
    for code in codes {
        let (old_theme, before) = old.codes.get(code).unwrap_or(&empty);
        let (new_theme, after) = new.codes.get(code).unwrap_or(&empty);
        let mut segments = Vec::new();
        for (change, from, to, texts) in [
            ("lost", before, after, &old.texts),
            ("gained", after, before, &new.texts),
        ] {
            for s in from.difference(to) {
                segments.push(SegmentChange {
                    change,
                    file: s.file.clone(),
                    participant: s.participant.clone(),
                    turn: s.turn,
                    start: s.start,
                    end: s.end,
                    text: texts.get(s).cloned().unwrap_or_default(),
                });
            }
        }
        if segments.is_empty() {
            continue;
        }
        segments.sort_by(|a, b| {
            (&a.file, a.start, a.end, a.turn, &a.participant, a.change).cmp(&(
                &b.file,
                b.start,
                b.end,
                b.turn,
                &b.participant,
                b.change,
            ))
        });
        let gained = segments.iter().filter(|s| s.change == "gained").count();
        let lost = segments.len() - gained;
        let change_pct = (!before.is_empty())
            .then(|| ((gained + lost) as f64 / before.len() as f64 * 1000.0).round() / 10.0);
        out.push(CodeChange {
            theme: if new_theme.is_empty() {
                old_theme.clone()
            } else {
                new_theme.clone()
            },
            code: code.clone(),
            before: before.len(),
            after: after.len(),
            gained,
            lost,
            delta: after.len() as i64 - before.len() as i64,
            change_pct,
            tolerated: matches!((max_change, change_pct), (Some(max), Some(pct)) if pct <= max),
            segments,
        });
    }
    out
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
    let (old, new) = match (load(&args.old)?, load(&args.new)?) {
        (Input::Result(old), Input::Result(new)) => (old, new),
        (Input::Codings(old), Input::Codings(new)) => return run_codings(&args, &old, &new, out),
        (old, new) => bail!(
            "cannot compare {} ({}) with {} ({}): give two results or two codings CSVs",
            args.old.display(),
            old.kind(),
            args.new.display(),
            new.kind()
        ),
    };
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

/// Runs `mint diff` of two codings CSVs.
fn run_codings(
    args: &Args,
    old: &Codings,
    new: &Codings,
    out: &mut Output,
) -> anyhow::Result<Status> {
    let codes = code_changes(old, new, args.max_change);
    let status = if codes.iter().all(|c| c.tolerated) {
        Status::Ok
    } else {
        Status::Findings
    };
    let report = CodingsDiff {
        old: &args.old,
        new: &args.new,
        max_change: args.max_change,
        codes,
    };
    render::emit(out, args.format.format, &report)?;
    Ok(status)
}

/// The changed codes of two codings CSVs, as a report.
struct CodingsDiff<'a> {
    old: &'a Path,
    new: &'a Path,
    max_change: Option<f64>,
    codes: Vec<CodeChange>,
}

/// The JSON body of `mint diff --format json` of two codings CSVs: the
/// `old` and `new` paths, `compared` (`codings`), `max_change`, whether
/// anything `changed` beyond it, and the changed `codes`: theme, code,
/// segments `before` and `after`, `gained`, `lost`, `delta`, `change_pct`
/// (gained and lost as a percentage of before), `tolerated`, and the
/// `segments` (change, file, participant, turn, start, end, text).
#[derive(Serialize)]
struct CodingsDiffJson<'a> {
    old: String,
    new: String,
    compared: &'static str,
    max_change: Option<f64>,
    changed: bool,
    codes: &'a [CodeChange],
}

/// The CSV columns of a codings diff: a `code` row per changed code with
/// its counts, followed by a `gained` or `lost` row per segment.
const CODINGS_CSV: [&str; 15] = [
    "kind",
    "theme",
    "code",
    "file",
    "participant",
    "turn",
    "span",
    "text",
    "before",
    "after",
    "gained",
    "lost",
    "delta",
    "change_pct",
    "tolerated",
];

/// The header of the table of segments.
const SEGMENTS_TABLE: [&str; 7] = ["code", "", "file", "participant", "turn", "span", "text"];

/// A code's change for the table: `+25.0%`, with `(tolerated)`, or `new`.
fn shown_change(c: &CodeChange) -> String {
    let change = c
        .change_pct
        .map_or_else(|| "new".to_string(), |p| format!("{p:.1}%"));
    if c.tolerated {
        format!("{change} (tolerated)")
    } else {
        change
    }
}

impl Report for CodingsDiff<'_> {
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        if self.codes.is_empty() {
            writeln!(out.stdout(), "no changes")?;
            return Ok(());
        }
        let mut t = table::new_table(out);
        t.set_header(SEGMENTS_TABLE);
        for c in &self.codes {
            for s in &c.segments {
                t.add_row(vec![
                    comfy_table::Cell::new(&c.code),
                    comfy_table::Cell::new(s.change),
                    comfy_table::Cell::new(&s.file),
                    comfy_table::Cell::new(&s.participant),
                    table::number(s.turn.map_or_else(String::new, |t| t.to_string())),
                    table::number(s.span()),
                    comfy_table::Cell::new(&s.text),
                ]);
            }
        }
        table::write(out, &t)?;
        writeln!(out.stdout())?;
        let mut t = table::new_table(out);
        t.set_header(vec![
            "theme", "code", "before", "after", "gained", "lost", "change",
        ]);
        for c in &self.codes {
            t.add_row(vec![
                comfy_table::Cell::new(&c.theme),
                comfy_table::Cell::new(&c.code),
                table::number(c.before),
                table::number(c.after),
                table::number(c.gained),
                table::number(c.lost),
                table::number(shown_change(c)),
            ]);
        }
        table::write(out, &t)
    }

    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        let mut records = Vec::new();
        for c in &self.codes {
            let mut row = vec![String::new(); CODINGS_CSV.len()];
            row[0] = "code".to_string();
            row[1] = c.theme.clone();
            row[2] = c.code.clone();
            row[8] = c.before.to_string();
            row[9] = c.after.to_string();
            row[10] = c.gained.to_string();
            row[11] = c.lost.to_string();
            row[12] = c.delta.to_string();
            row[13] = c.change_pct.map_or_else(String::new, |p| format!("{p:?}"));
            row[14] = c.tolerated.to_string();
            records.push(row);
            for s in &c.segments {
                let mut row = vec![String::new(); CODINGS_CSV.len()];
                row[0] = s.change.to_string();
                row[1] = c.theme.clone();
                row[2] = c.code.clone();
                row[3] = s.file.clone();
                row[4] = s.participant.clone();
                row[5] = s.turn.map_or_else(String::new, |t| t.to_string());
                row[6] = s.span();
                row[7] = s.text.clone();
                records.push(row);
            }
        }
        render::csv::write_records(w, &CODINGS_CSV, records)
    }

    fn json(&self) -> impl Serialize + '_ {
        CodingsDiffJson {
            old: self.old.display().to_string(),
            new: self.new.display().to_string(),
            compared: "codings",
            max_change: self.max_change,
            changed: !self.codes.iter().all(|c| c.tolerated),
            codes: &self.codes,
        }
    }
}
