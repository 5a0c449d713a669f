//! `mint emerge`: proposes candidate emergent codes from what participants
//! say that the codebook does not name yet, with the evidence for each, and
//! appends them to a codebook file on request.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use comfy_table::{Cell as TableCell, CellAlignment};
use regex::Regex;
use serde::Serialize;

use mint::attributes::Attributes;
use mint::codebook::Codebook;
use mint::emergence::{self, Candidate, CodedSegment, Input, Options, Segment, Source};
use mint::exchange::toml_basic_string;
use mint::matcher::Matcher;
use mint::pattern;
use mint::tally::MISSING;

use crate::args::{ByArgs, CodebookArgs, CorpusArgs, FormatArgs, UnitArg};
use crate::render::{self, Output, Status, table::new_table, write_atomic};
use mint::pipeline::Corpus;

/// The theme that candidates nearest to no existing theme go under.
const NEW_THEME: &str = "emergent";

/// Propose emergent codes: recurring topics the codebook does not name.
///
/// Looks at participant speech only (never the interviewer's), at the
/// sentences the codebook leaves uncoded and at what is said inside each
/// theme that no code names. Phrases of 1-3 words (stemmed, so "referral"
/// and "referrals" count together) are scored by keyness (log-likelihood
/// G2) against the coded text and against general English, kept only when
/// at least two participants say them, and grouped by how they co-occur in
/// turns. Each candidate shows its patterns, support (segments and
/// participants, by group), up to three quotes with attributions, and the
/// theme it is nearest to, or `new theme`. The same input always gives
/// the same candidates in the same order. --write appends them to a
/// codebook file as origin = "emergent", status = "candidate" codes, which
/// `mint code` then applies and reports.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint emerge examples/transcripts
  mint emerge examples/transcripts --limit 5 --format json
  mint emerge transcripts/ --codebook study.toml --by sector
  mint emerge transcripts/ --write emergent.toml
  mint code transcripts/ --codebook default --codebook emergent.toml")]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,

    #[command(flatten)]
    codebook: CodebookArgs,

    /// The segment to look at: a sentence (the default, so that a topic
    /// raised inside a coded turn can still stand out), a paragraph or a
    /// whole turn. Support is counted in these segments.
    #[arg(long, value_enum, default_value_t = UnitArg::Sentence)]
    unit: UnitArg,

    #[command(flatten)]
    by: ByArgs,

    /// Propose at most this many candidates.
    #[arg(long, value_name = "N", default_value_t = 10)]
    limit: usize,

    /// Keep only phrases (and candidates) that at least this many
    /// participants say: a topic one person dwells on is not yet a theme.
    #[arg(long, value_name = "N", default_value_t = 2,
          value_parser = clap::value_parser!(u32).range(1..))]
    min_participants: u32,

    #[command(flatten)]
    format: FormatArgs,

    /// Append the candidates to this TOML codebook as emergent codes with
    /// status = "candidate", under their suggested theme (new-theme ones
    /// under a theme `emergent`). An existing file is only appended to; a
    /// new one extends the codebooks given (use it after them:
    /// `--codebook default --codebook FILE.toml`).
    #[arg(long, value_name = "FILE.toml")]
    write: Option<PathBuf>,
}

/// Runs `mint emerge`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let codebook = args.codebook.load()?;
    let existing = match &args.write {
        Some(path) => Some(Existing::read(path)?),
        None => None,
    };
    if let Some(path) = &args.write
        && path.exists()
        && !args.codebook.codebook.iter().any(|c| same_file(c, path))
    {
        out.warn(&format!(
            "{} is not among the --codebook files: candidates were looked for without its codes",
            path.display()
        ));
    }
    let matcher = Matcher::new(&codebook).context("failed to compile the codebook")?;
    let unit = args.unit.unit();
    let corpus = args
        .corpus
        .read(out, |t| emergence::coded_segments(t, &matcher, unit))?;

    let study = Study::of(&corpus);
    let options = Options {
        min_participants: args.min_participants,
        limit: args.limit,
    };
    let candidates = emergence::propose(&study.input, &codebook, &options)
        .context("failed to compile the candidates' patterns")?;
    let by = args.by.breakdown(&corpus.info.participants, out);
    let report = Report::new(
        &study,
        &corpus,
        &codebook,
        &candidates,
        &by,
        args.min_participants,
    );

    let view = View {
        report: &report,
        codebook: &codebook,
        unit: args.unit.name(),
    };
    render::emit(out, args.format.format, &view)?;
    out.flush()?;
    if let (Some(path), Some(existing)) = (&args.write, existing) {
        let (text, written) = existing.append(&report, &codebook, &args)?;
        write_atomic(path, |w| Ok(w.write_all(text.as_bytes())?))?;
        out.note(&format!(
            "{} candidate code{} {} {}",
            written,
            if written == 1 { "" } else { "s" },
            if existing.text.is_some() {
                "appended to"
            } else {
                "written to"
            },
            path.display()
        ));
    }
    out.note(&format!(
        "{} files, {} participants, {} of {} participant {}s uncoded; {} candidate{}",
        corpus.files.len(),
        corpus.info.participants.len(),
        study.uncoded,
        study.input.segments.len(),
        args.unit.name(),
        candidates.len(),
        if candidates.len() == 1 { "" } else { "s" }
    ));
    Ok(args.corpus.status(&corpus.info, out))
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// The corpus as the library sees it, and where each segment came from.
struct Study<'c> {
    input: Input<'c>,
    /// For each segment: the file (index) and its coded segment.
    origin: Vec<(usize, &'c CodedSegment)>,
    uncoded: usize,
}

impl<'c> Study<'c> {
    fn of(corpus: &'c Corpus<Vec<CodedSegment>>) -> Study<'c> {
        let ids: Vec<String> = corpus.info.participants.keys().cloned().collect();
        let index: BTreeMap<&str, u32> = corpus
            .info
            .participants
            .keys()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i as u32))
            .collect();
        // Speaker labels are never phrases either.
        let mut never: BTreeSet<String> = ids.iter().cloned().collect();
        let mut segments = Vec::new();
        let mut origin = Vec::new();
        let mut contexts: BTreeMap<(usize, usize), u32> = BTreeMap::new();
        for (f, file) in corpus.files.iter().enumerate() {
            never.extend(file.transcript.turns.iter().map(|t| t.speaker.clone()));
            for seg in &file.result {
                let next = contexts.len() as u32;
                let context = *contexts.entry((f, seg.turn)).or_insert(next);
                let id = &file.participants[seg.who];
                segments.push(Segment {
                    text: &file.transcript.text[seg.start..seg.end],
                    participant: index[id.as_str()],
                    context,
                    themes: seg.themes.clone(),
                });
                origin.push((f, seg));
            }
        }
        let uncoded = segments.iter().filter(|s| s.themes.is_empty()).count();
        let mut participants = ids;
        participants.extend(
            never
                .into_iter()
                .filter(|n| !index.contains_key(n.as_str())),
        );
        Study {
            input: Input {
                segments,
                participants,
            },
            origin,
            uncoded,
        }
    }
}

/// A quote and who said it.
#[derive(Debug, Serialize)]
struct Exemplar {
    quote: String,
    attribution: String,
    participant: String,
    file: String,
    line: usize,
}

/// Participants of a candidate in one group.
#[derive(Debug, Serialize)]
struct GroupSupport {
    label: String,
    participants: usize,
    group_size: usize,
    percent: f64,
}

/// One candidate, ready to print.
struct Row<'a> {
    rank: usize,
    candidate: &'a Candidate,
    parent: Option<&'a str>,
    /// Where it stood out: `uncoded` or `theme:<id>`.
    found_in: String,
    segments: usize,
    participants: usize,
    groups: Vec<GroupSupport>,
    exemplars: Vec<Exemplar>,
}

/// Everything printed: the groups and the candidates.
struct Report<'a> {
    breakdown: Vec<String>,
    /// Group values and size.
    groups: Vec<(Vec<String>, usize)>,
    total: usize,
    rows: Vec<Row<'a>>,
    files: usize,
    segments: usize,
    uncoded: usize,
    min_participants: u32,
}

impl<'a> Report<'a> {
    fn new(
        study: &Study,
        corpus: &Corpus<Vec<CodedSegment>>,
        codebook: &'a Codebook,
        candidates: &'a [Candidate],
        by: &[String],
        min_participants: u32,
    ) -> Report<'a> {
        let group_of = |attrs: &Attributes| -> Vec<String> {
            by.iter()
                .map(|a| attrs.get(a).cloned().unwrap_or_else(|| MISSING.to_string()))
                .collect()
        };
        let mut sizes: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        if !by.is_empty() {
            for attrs in corpus.info.participants.values() {
                *sizes.entry(group_of(attrs)).or_default() += 1;
            }
        }
        let ids = &study.input.participants;
        let rows = candidates
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut counts: BTreeMap<Vec<String>, usize> = BTreeMap::new();
                for &p in &c.participants {
                    if let Some(attrs) = corpus.info.participants.get(&ids[p as usize]) {
                        *counts.entry(group_of(attrs)).or_default() += 1;
                    }
                }
                let groups = sizes
                    .iter()
                    .map(|(values, &size)| {
                        let n = counts.get(values).copied().unwrap_or(0);
                        GroupSupport {
                            label: values.join(" / "),
                            participants: n,
                            group_size: size,
                            percent: percent(n, size),
                        }
                    })
                    .collect();
                Row {
                    rank: i + 1,
                    candidate: c,
                    parent: c.parent.map(|t| codebook.themes[t].id.as_str()),
                    found_in: source_name(c.source, codebook),
                    segments: c.segments.len(),
                    participants: c.participants.len(),
                    groups,
                    exemplars: exemplars(study, corpus, c),
                }
            })
            .collect();
        Report {
            breakdown: by.to_vec(),
            groups: sizes.into_iter().collect(),
            total: corpus.info.participants.len(),
            rows,
            files: corpus.files.len(),
            segments: study.input.segments.len(),
            uncoded: study.uncoded,
            min_participants,
        }
    }
}

/// A percentage with one decimal.
fn percent(n: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        (1000.0 * n as f64 / of as f64).round() / 10.0
    }
}

/// The exemplars of a candidate: the segment (shortened around the match
/// when long) and its attribution.
fn exemplars(study: &Study, corpus: &Corpus<Vec<CodedSegment>>, c: &Candidate) -> Vec<Exemplar> {
    let regexes: Vec<Regex> = c
        .patterns
        .iter()
        .filter_map(
            |p| match pattern::compile(p, &pattern::Options { variants: true }) {
                Ok(pattern::Pattern::Single(c)) => Regex::new(&c.regex).ok(),
                _ => None,
            },
        )
        .collect();
    c.exemplars
        .iter()
        .map(|&s| {
            let (f, seg) = study.origin[s];
            let file = &corpus.files[f];
            let text = study.input.segments[s].text;
            let at = regexes
                .iter()
                .filter_map(|re| re.find(text).map(|m| m.start()))
                .min()
                .unwrap_or(0);
            let id = &file.participants[seg.who];
            let attrs = corpus.info.participants.get(id);
            Exemplar {
                quote: quote(text, at),
                attribution: attribution(id, attrs),
                participant: id.clone(),
                file: file.source.name.clone(),
                line: line_of(&file.transcript.text, seg.start),
            }
        })
        .collect()
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// A segment on one line; a long one is cut to about 300 characters around
/// byte offset `at`, with `…` where it was cut.
fn quote(text: &str, at: usize) -> String {
    const MAX: usize = 300;
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    let total: usize = words.iter().map(|(_, w)| w.chars().count() + 1).sum();
    if total <= MAX + 1 {
        return words.iter().map(|(_, w)| *w).collect::<Vec<_>>().join(" ");
    }
    let center = words.iter().position(|(o, _)| *o >= at).unwrap_or(0);
    let (mut from, mut to) = (center, center + 1);
    let mut len = words[center].1.chars().count();
    loop {
        let mut grew = false;
        if from > 0 && len + words[from - 1].1.chars().count() < MAX {
            from -= 1;
            len += words[from].1.chars().count() + 1;
            grew = true;
        }
        if to < words.len() && len + words[to].1.chars().count() < MAX {
            len += words[to].1.chars().count() + 1;
            to += 1;
            grew = true;
        }
        if !grew {
            break;
        }
    }
    let body = words[from..to]
        .iter()
        .map(|(_, w)| *w)
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "{}{body}{}",
        if from > 0 { "… " } else { "" },
        if to < words.len() { " …" } else { "" }
    )
}

/// How a quote is attributed in a write-up: `Operational social care, area
/// 2, interviewee c`, from the attributes level, sector, area and
/// interviewee; the participant id where they say too little.
fn attribution(id: &str, attrs: Option<&Attributes>) -> String {
    let get = |k: &str| {
        attrs
            .and_then(|a| a.get(k))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    };
    let mut head: Vec<String> = Vec::new();
    head.extend(get("level").map(String::from));
    head.extend(get("sector").map(String::from));
    let mut parts: Vec<String> = Vec::new();
    if !head.is_empty() {
        let head = head.join(" ");
        let mut chars = head.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
        parts.push(format!("{}{}", first.unwrap_or_default(), chars.as_str()));
    }
    if let Some(area) = get("area") {
        parts.push(format!("area {area}"));
    }
    match get("interviewee") {
        Some(who) => parts.push(format!("interviewee {who}")),
        None if !parts.is_empty() => parts.push(id.to_string()),
        None => {}
    }
    if parts.is_empty() {
        id.to_string()
    } else {
        parts.join(", ")
    }
}

fn source_name(source: Source, codebook: &Codebook) -> String {
    match source {
        Source::Uncoded => "uncoded".to_string(),
        Source::Theme(t) => format!("theme:{}", codebook.themes[t].id),
    }
}

fn write_table(out: &mut Output, report: &Report) -> anyhow::Result<()> {
    if report.rows.is_empty() {
        writeln!(
            out.stdout(),
            "No candidates: nothing that {} or more participants say stands out beyond the codebook.",
            report.min_participants
        )?;
        return Ok(());
    }
    let mut table = new_table(out);
    let mut header = vec![
        TableCell::new("#"),
        TableCell::new("candidate"),
        TableCell::new("patterns"),
        TableCell::new("found in"),
        TableCell::new("segments"),
    ];
    for (values, size) in &report.groups {
        header.push(TableCell::new(format!("{}\nN={size}", values.join(" / "))));
    }
    header.push(TableCell::new(format!("participants\nN={}", report.total)));
    header.push(TableCell::new("nearest theme"));
    table.set_header(header);
    for row in &report.rows {
        let mut cells = vec![
            TableCell::new(row.rank).set_alignment(CellAlignment::Right),
            TableCell::new(&row.candidate.label),
            TableCell::new(row.candidate.patterns.join("\n")),
            TableCell::new(match row.found_in.strip_prefix("theme:") {
                Some(theme) => format!("{theme} text"),
                None => "uncoded text".to_string(),
            }),
            TableCell::new(row.segments).set_alignment(CellAlignment::Right),
        ];
        for g in &row.groups {
            cells.push(
                TableCell::new(format!("{} ({:.0}%)", g.participants, g.percent))
                    .set_alignment(CellAlignment::Right),
            );
        }
        cells.push(
            TableCell::new(format!(
                "{} ({:.0}%)",
                row.participants,
                percent(row.participants, report.total)
            ))
            .set_alignment(CellAlignment::Right),
        );
        cells.push(TableCell::new(row.parent.unwrap_or("new theme")));
        table.add_row(cells);
    }
    let w = out.stdout();
    writeln!(w, "{table}")?;
    for row in &report.rows {
        writeln!(w)?;
        writeln!(w, "{}. {}", row.rank, row.candidate.label)?;
        for e in &row.exemplars {
            writeln!(w, "   \"{}\"", e.quote)?;
            writeln!(w, "     ({})", e.attribution)?;
        }
    }
    Ok(())
}

fn write_csv(w: &mut dyn Write, report: &Report) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    let mut header: Vec<String> = [
        "rank",
        "id",
        "label",
        "phrases",
        "patterns",
        "found_in",
        "nearest_theme",
        "lift",
        "score",
        "segments",
    ]
    .map(String::from)
    .to_vec();
    for (values, _) in &report.groups {
        let label = values.join(" / ");
        header.push(format!("{label}: participants"));
        header.push(format!("{label}: N"));
        header.push(format!("{label}: percent"));
    }
    header.extend(["total: participants", "total: N", "total: percent"].map(String::from));
    for i in 1..=3 {
        header.push(format!("quote_{i}"));
        header.push(format!("attribution_{i}"));
    }
    csv.write_record(&header)?;
    for row in &report.rows {
        let c = row.candidate;
        let mut record = vec![
            row.rank.to_string(),
            c.id.clone(),
            c.label.clone(),
            c.phrases
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            c.patterns.join("; "),
            row.found_in.clone(),
            row.parent.unwrap_or("new theme").to_string(),
            format!("{:.2}", c.lift),
            format!("{:.1}", c.score),
            row.segments.to_string(),
        ];
        for g in &row.groups {
            record.push(g.participants.to_string());
            record.push(g.group_size.to_string());
            record.push(format!("{:.1}", g.percent));
        }
        record.push(row.participants.to_string());
        record.push(report.total.to_string());
        record.push(format!("{:.1}", percent(row.participants, report.total)));
        for i in 0..3 {
            match row.exemplars.get(i) {
                Some(e) => {
                    record.push(e.quote.clone());
                    record.push(e.attribution.clone());
                }
                None => record.extend([String::new(), String::new()]),
            }
        }
        csv.write_record(&record)?;
    }
    csv.flush()?;
    Ok(())
}

/// The JSON document of `mint emerge --format json` (`schema_version` 1):
/// `codebook` (name, source), `unit`, `breakdown`, `groups` (label, values,
/// size), `candidates` (rank, id, label, phrases with their keyness and
/// source, patterns, found_in (`uncoded` or `theme:<id>`), nearest_theme or
/// null for a new theme, lift, score,
/// support with per-group participants, exemplars with attribution, file
/// and line) and `summary`.
#[derive(Serialize)]
struct JsonReport<'a> {
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
    exemplars: &'a [Exemplar],
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

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The JSON body of `mint emerge --format json`.
fn json_report<'a>(report: &'a Report, codebook: &'a Codebook, unit: &'a str) -> JsonReport<'a> {
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

/// The candidates as `mint emerge` prints them.
struct View<'a> {
    report: &'a Report<'a>,
    codebook: &'a Codebook,
    unit: &'a str,
}

impl render::Report for View<'_> {
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        write_table(out, self.report)
    }

    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        write_csv(w, self.report)
    }

    fn json(&self) -> impl Serialize + '_ {
        json_report(self.report, self.codebook, self.unit)
    }
}

/// The codebook file `--write` appends to, as it was before.
struct Existing {
    /// Its text, if it exists.
    text: Option<String>,
    themes: BTreeSet<String>,
    codes: BTreeSet<String>,
    /// Each code's patterns, sorted: a candidate with the same ones is
    /// there already.
    pattern_sets: BTreeSet<Vec<String>>,
}

impl Existing {
    fn read(path: &Path) -> anyhow::Result<Existing> {
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            anyhow::bail!(
                "cannot write {}: --write needs a TOML codebook (comments and your text are kept only in TOML)",
                path.display()
            );
        }
        let mut existing = Existing {
            text: None,
            themes: BTreeSet::new(),
            codes: BTreeSet::new(),
            pattern_sets: BTreeSet::new(),
        };
        if !path.exists() {
            return Ok(existing);
        }
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let table: toml::Table = toml::from_str(text.strip_prefix('\u{feff}').unwrap_or(&text))
            .with_context(|| {
                format!("cannot append to {}: it is not valid TOML", path.display())
            })?;
        let items = |key: &str| -> Vec<toml::Table> {
            table
                .get(key)
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_table().cloned()).collect())
                .unwrap_or_default()
        };
        let string =
            |t: &toml::Table, key: &str| t.get(key).and_then(|v| v.as_str()).map(String::from);
        for theme in items("themes") {
            existing.themes.extend(string(&theme, "id"));
        }
        for code in items("codes") {
            existing.codes.extend(string(&code, "id"));
            let mut patterns: Vec<String> = code
                .get("patterns")
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|p| p.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            patterns.sort();
            existing.pattern_sets.insert(patterns);
        }
        existing.text = Some(text);
        Ok(existing)
    }

    /// The file's new text: the old text untouched, then the candidates.
    /// Also returns how many candidates were written.
    fn append(
        &self,
        report: &Report,
        codebook: &Codebook,
        args: &Args,
    ) -> anyhow::Result<(String, usize)> {
        let mut text = match &self.text {
            Some(old) => {
                let mut t = old.clone();
                if !t.is_empty() && !t.ends_with('\n') {
                    t.push('\n');
                }
                t
            }
            None => new_file_header(args),
        };
        let inputs: Vec<String> = args
            .corpus
            .paths
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let mut block = String::new();
        let mut taken: BTreeSet<String> = self.codes.clone();
        taken.extend(codebook.codes.iter().map(|c| c.id.clone()));
        let needs_theme = report.rows.iter().any(|r| r.parent.is_none());
        let has_theme =
            self.themes.contains(NEW_THEME) || codebook.themes.iter().any(|t| t.id == NEW_THEME);
        if needs_theme && !has_theme {
            block.push_str(&format!(
                "\n# Added by `mint emerge`: candidates nearest to no existing theme.\n[[themes]]\nid = {}\nlabel = {}\ndescription = {}\n",
                toml_basic_string(NEW_THEME),
                toml_basic_string("Emergent (candidates from mint emerge)"),
                toml_basic_string("Topics participants raised that no theme of the codebook covers. Review, rename or move these codes."),
            ));
        }
        let mut written = 0;
        for row in &report.rows {
            let c = row.candidate;
            let mut sorted = c.patterns.clone();
            sorted.sort();
            if self.pattern_sets.contains(&sorted) {
                continue;
            }
            let mut id = c.id.clone();
            let mut n = 2;
            while taken.contains(&id) {
                id = format!("{}_{n}", c.id);
                n += 1;
            }
            taken.insert(id.clone());
            let theme = row.parent.unwrap_or(NEW_THEME);
            let phrases: Vec<&str> = c.phrases.iter().map(|p| p.text.as_str()).collect();
            block.push_str(&format!(
                "\n# Candidate {} from `mint emerge {}`: {} {}s, {} of {} participants. Nearest theme: {}.\n",
                row.rank,
                inputs.join(" "),
                row.segments,
                args.unit.name(),
                row.participants,
                report.total,
                match row.parent {
                    Some(t) => format!("{t} (coded {:.1} times as often as usual in the same turns)", c.lift),
                    None => "none (new theme)".to_string(),
                }
            ));
            block.push_str("[[codes]]\n");
            block.push_str(&format!("id = {}\n", toml_basic_string(&id)));
            block.push_str(&format!("theme = {}\n", toml_basic_string(theme)));
            block.push_str(&format!(
                "label = {}\n",
                toml_basic_string(&capitalised(&c.label))
            ));
            block.push_str("origin = \"emergent\"\nstatus = \"candidate\"\n");
            block.push_str(&format!(
                "definition = {}\n",
                toml_basic_string(&format!(
                    "Proposed by mint emerge from what participants say about: {}. Review, name and define it before relying on it.",
                    phrases.join(", ")
                ))
            ));
            let examples: Vec<&str> = row.exemplars.iter().map(|e| e.quote.as_str()).collect();
            block.push_str(&format!("examples = {}\n", toml_array(&examples)));
            let patterns: Vec<&str> = c.patterns.iter().map(String::as_str).collect();
            block.push_str(&format!("patterns = {}\n", toml_array(&patterns)));
            written += 1;
        }
        text.push_str(&block);
        Ok((text, written))
    }
}

/// The top of a codebook file `--write` creates.
fn new_file_header(args: &Args) -> String {
    let extends: Vec<String> = if args.codebook.codebook.is_empty() {
        vec!["default".to_string()]
    } else {
        args.codebook
            .codebook
            .iter()
            .map(|p| p.display().to_string())
            .collect()
    };
    let file = args
        .write
        .as_ref()
        .map_or(String::new(), |p| p.display().to_string());
    let flags: Vec<String> = extends
        .iter()
        .chain([&file])
        .map(|c| format!("--codebook {c}"))
        .collect();
    format!(
        "# Candidate emergent codes proposed by `mint emerge`.\n\
         #\n\
         # This file extends the codebook they were found against ({}). Use it after it:\n\
         #   mint code TRANSCRIPTS {}\n\
         #\n\
         # Every code here has origin = \"emergent\" and status = \"candidate\". Read its evidence,\n\
         # rename it, write its definition and when to use it, then set status = \"accepted\"\n\
         # (or delete it). Later runs of `mint emerge --write` on this file only append.\n\
         \n\
         [codebook]\n\
         name = \"emergent codes\"\n\
         description = \"Candidate emergent codes proposed by mint emerge.\"\n",
        extends.join(" + "),
        flags.join(" ")
    )
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A TOML array of strings on one line.
fn toml_array(items: &[&str]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|s| toml_basic_string(s))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributions_follow_the_reports_form() {
        let attrs = |pairs: &[(&str, &str)]| -> Attributes {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let a = attrs(&[
            ("level", "operational"),
            ("sector", "social care"),
            ("area", "2"),
            ("interviewee", "c"),
        ]);
        assert_eq!(
            attribution("A2c", Some(&a)),
            "Operational social care, area 2, interviewee c"
        );
        let s = attrs(&[
            ("level", "strategic"),
            ("sector", "health"),
            ("interviewee", "3"),
        ]);
        assert_eq!(
            attribution("S3", Some(&s)),
            "Strategic health, interviewee 3"
        );
        let p = attrs(&[
            ("level", "operational"),
            ("sector", "health"),
            ("area", "1"),
        ]);
        assert_eq!(
            attribution("P0001", Some(&p)),
            "Operational health, area 1, P0001"
        );
        assert_eq!(attribution("P9", None), "P9");
    }

    #[test]
    fn long_quotes_are_cut_around_the_match() {
        let text = format!("{} needle {}", "word ".repeat(100), "more ".repeat(100));
        let at = text.find("needle").unwrap();
        let q = quote(&text, at);
        assert!(q.contains("needle"));
        assert!(q.starts_with("… ") && q.ends_with(" …"));
        assert!(q.chars().count() <= 310, "{}", q.chars().count());
        assert_eq!(quote("a  short\n text", 0), "a short text");
    }

    #[test]
    fn toml_values_are_escaped() {
        assert_eq!(
            toml_basic_string("say \"hi\"\n\\"),
            "\"say \\\"hi\\\"\\n\\\\\""
        );
        let parsed: toml::Table =
            toml::from_str(&format!("k = {}", toml_basic_string("a\u{1}\"b\\"))).unwrap();
        assert_eq!(parsed["k"].as_str(), Some("a\u{1}\"b\\"));
        assert_eq!(toml_array(&["a", "b"]), "[\"a\", \"b\"]");
    }
}
