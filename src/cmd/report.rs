//! `mint report`: one self-contained HTML file for the write-up: the sample,
//! a heatmap of themes by group, bars per theme, the top quotes per theme
//! with attributions, agreement with human codings (`--agree-with`), and the
//! codebook as an appendix. No network, no CDN: inline CSS and SVG only.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use htmlize::{escape_attribute, escape_text};

use mint::agree::{self, BOOTSTRAP_REPLICATES, Comparison, Grain, Level, Source};
use mint::codebook::Codebook;
use mint::coding::Coded;
use mint::corpus::Unit;
use mint::groups::{GroupTest, Sample};
use mint::matcher::Matcher;
use mint::pipeline::{Corpus, LoadedFile};
use mint::quotes::{self, DEFAULT_ATTRIBUTION};
use mint::stats::Correction;
use mint::tally::{self, Cell, Matrix, Tally};

use crate::args::{
    ByArgs, CodebookArgs, CorpusArgs, GuardArgs, UnitArgs, check_output_path, read_human_set,
};
use crate::render::matrix::{STATS_NOTE, correction_note};
use crate::render::{Output, Status};

/// Write a self-contained HTML report: sample, heatmap, quotes, codebook.
///
/// The heatmap shades each theme and code by the share of participants in
/// each group who spoke to it; bars show each theme overall; each theme gets
/// its strongest quotes with attributions; the codebook follows as an
/// appendix. With --agree-with, a section says how far mint's coding agrees
/// with human codings of the same transcripts, per theme and overall, as
/// `mint agree CODINGS TRANSCRIPTS` computes it. The file has no external
/// references, so it can be emailed or archived as it is.
#[derive(Debug, clap::Args)]
#[command(mut_arg("codebook", |a| a.help("Codebook file(s), as for `mint code`")))]
#[command(mut_arg("by", |a| a.help("Groups for the heatmap (comma-separated attributes). Default: level and sector, those of them that any participant has")))]
#[command(mut_arg("unit", |a| a.help("The coding unit")))]
#[command(after_long_help = "\
Examples:
  mint report examples/transcripts -o report.html
  mint report transcripts/ -o report.html --by level --quotes 5 --min-cell 3
  mint report transcripts/ -o report.html --agree-with hand-coded.csv")]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,

    /// Where to write the HTML (`-` for stdout).
    #[arg(short, long, value_name = "FILE.html")]
    output: PathBuf,

    #[command(flatten)]
    codebook: CodebookArgs,

    #[command(flatten)]
    by: ByArgs,

    /// Quotes per theme.
    #[arg(long, value_name = "N", default_value_t = 3)]
    quotes: usize,

    /// The attribution template (as for `mint quotes`).
    #[arg(long, value_name = "TEMPLATE")]
    attribution: Option<String>,

    /// Show counts from 1 to K-1 as `<K`, and hide their percentages.
    #[arg(long, value_name = "K")]
    min_cell: Option<u64>,

    /// A title for the report.
    #[arg(long, default_value = "Theme report")]
    title: String,

    #[command(flatten)]
    unit: UnitArgs,

    /// Add a section on agreement with these human codings (a codings CSV
    /// or `file,start,end,code` sheet, or a REFI-QDA project `.qdpx`) of
    /// the same transcripts: kappa, alpha, AC1 and prevalence per theme
    /// and overall, on the coding unit.
    #[arg(long, value_name = "CODINGS")]
    agree_with: Option<PathBuf>,

    /// In a `.qdpx` given to --agree-with, only this user's codings.
    #[arg(long, value_name = "NAME", requires = "agree_with")]
    coder: Option<String>,

    /// Add group comparisons (as `mint code --stats`): for each theme and
    /// code and each --by attribute, the test, its p-value and the p-value
    /// corrected for the number of tests run (Holm; --fdr for
    /// Benjamini-Hochberg).
    #[arg(long)]
    stats: bool,

    /// With --stats, correct the p-values by Benjamini-Hochberg (false
    /// discovery rate) instead of Holm (family-wise error rate).
    #[arg(long, requires = "stats")]
    fdr: bool,

    /// The paper the print stylesheet lays the report out on.
    #[arg(long, value_enum, default_value_t = Paper::A4)]
    paper: Paper,

    /// Allow -o to write inside an input folder.
    #[arg(long)]
    write_into_input: bool,

    #[command(flatten)]
    guard: GuardArgs,
}

/// The paper size of the print stylesheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl Paper {
    /// The CSS `@page` size.
    fn css(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "letter",
        }
    }
}

/// Runs `mint report`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    check_output_path(&args.output, &args.corpus.paths, args.write_into_input)?;
    let codebook = args.codebook.load()?;
    let matcher = Matcher::new(&codebook).context("failed to compile the codebook")?;
    let unit = args.unit.unit.unit();
    let corpus = args
        .corpus
        .read(out, |t| mint::coding::code(t, &matcher, unit))?;
    let mut tally = Tally::default();
    for file in &corpus.files {
        for (id, counts) in file.participants.iter().zip(&file.result.by_speaker) {
            tally.add(id, counts);
        }
    }
    let by = args.by.breakdown(&corpus.info.participants, out)?;
    let matrix = tally::matrix(&tally, &corpus.info.participants, &by, &codebook);
    let correction = if args.fdr {
        mint::stats::Correction::BenjaminiHochberg
    } else {
        mint::stats::Correction::Holm
    };
    let stats = args.stats.then(|| {
        let tests = mint::groups::compare_groups(
            &tally,
            &corpus.info.participants,
            &by,
            &codebook,
            correction,
        );
        (tests, correction)
    });
    let template = args
        .attribution
        .clone()
        .or_else(|| codebook.report.attribution.clone())
        .unwrap_or_else(|| DEFAULT_ATTRIBUTION.to_string());
    let mut quotes = Vec::new();
    for theme in &codebook.themes {
        let targets = quotes::target_codes(&codebook, Some(&theme.id), None)?;
        quotes.push(quotes::collect(
            &corpus,
            &codebook,
            &targets,
            &[],
            Some(1),
            &template,
            args.quotes,
        ));
    }
    let mut guard = args.guard.guard()?;
    for q in quotes.iter_mut().flatten() {
        q.quote = guard.segment(out, &format!("{} turn {}", q.file, q.turn), &q.quote);
    }
    let sample = mint::groups::sample(
        &corpus.info.participants,
        &["level".into(), "area".into()],
        "sector",
    );
    let Corpus { files, info } = corpus;
    let transcripts = files.len();
    let agreement = match &args.agree_with {
        Some(path) => Some(agreement(path, &args, &codebook, files, unit, out)?),
        None => None,
    };
    let page = Page {
        title: &args.title,
        codebook: &codebook,
        matrix: &matrix,
        sample: &sample,
        quotes: &quotes,
        files: transcripts,
        unit: args.unit.unit.name(),
        min_cell: args.min_cell.unwrap_or(0),
        agreement: agreement.as_ref().map(|(a, _)| a),
        scanned: guard.summary(),
        stats: stats.as_ref().map(|(t, c)| (t.as_slice(), *c)),
        paper: args.paper,
    };
    let html = page.render();
    out.write_file(&args.output, |w| {
        w.write_all(html.as_bytes()).context("write failed")
    })?;
    if args.output.as_os_str() != "-" {
        out.note(&format!("wrote {}", args.output.display()));
    }
    Ok(match agreement {
        Some((_, true)) => Status::Error,
        _ => args.corpus.status(&info, out),
    })
}

/// Agreement between the human codings in `path` (first, the reference)
/// and mint's coding of `corpus`, per theme and overall, computed as `mint
/// agree` computes it; and whether reading a project's texts failed.
fn agreement(
    path: &Path,
    args: &Args,
    codebook: &Codebook,
    corpus: Vec<LoadedFile<Coded>>,
    unit: Unit,
    out: &mut Output,
) -> anyhow::Result<(Agreement, bool)> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let human = read_human_set(
        path,
        name,
        args.coder.as_deref(),
        codebook,
        None,
        &args.corpus.options,
        out,
    )?;
    let files: Vec<_> = corpus.iter().map(|f| (&f.transcript, &f.result)).collect();
    let mint_set = agree::from_coded("mint", codebook, &files);
    let ours: Vec<Source> = corpus
        .into_iter()
        .map(|f| Source {
            transcript: f.transcript,
            participants: f.participants,
        })
        .collect();
    if ours.is_empty() {
        anyhow::bail!("--agree-with: no transcripts to compare");
    }
    let sources = match &human.sources {
        Some(theirs) => {
            agree::same_transcripts((&human.set.name, theirs), ("mint", &ours))?;
            theirs
        }
        None => &ours,
    };
    let mut human_set = human.set;
    agree::place_turns(&mut human_set, human.turns, sources)
        .with_context(|| format!("--agree-with {}", path.display()))?;
    let sets = [human_set, mint_set];
    let alignment = agree::align(&sets, sources, Grain::Segment(unit))
        .with_context(|| format!("--agree-with {}", path.display()))?;
    let rows = agree::figures(&alignment, BOOTSTRAP_REPLICATES)
        .into_iter()
        .filter(|r| r.comparison == Comparison::Pair(0, 1))
        .filter_map(|r| {
            let (id, label) = match r.level {
                Level::Overall => (String::new(), "overall".to_string()),
                Level::Theme(t) => {
                    let id = &alignment.themes[t];
                    let label = codebook.themes.iter().find(|th| &th.id == id);
                    (id.clone(), label.map_or(id.clone(), |th| th.label.clone()))
                }
                Level::Code(_) => return None,
            };
            let reasons: Vec<String> = r
                .figures
                .undefined
                .iter()
                .map(|u| format!("{}: {}", u.figure, u.reason))
                .collect();
            let codes: Vec<String> = alignment
                .codes
                .iter()
                .enumerate()
                .filter(|(_, c)| match r.level {
                    Level::Theme(t) => c.theme == alignment.themes[t],
                    _ => false,
                })
                .filter_map(|(i, c)| {
                    let n = alignment.disagreeing(Level::Code(i), 0, 1);
                    let label = codebook.codes.iter().find(|k| k.id == c.id);
                    let label = label.map_or(c.id.as_str(), |k| k.label.as_str());
                    (n > 0).then(|| format!("{label} ({n})"))
                })
                .collect();
            Some(AgreeRow {
                disagreeing: alignment.disagreeing(r.level, 0, 1),
                codes: codes.join(", "),
                theme: id,
                label,
                notes: reasons.join("; "),
                figures: r.figures,
            })
        })
        .collect();
    Ok((
        Agreement {
            file: path.display().to_string(),
            human: sets[0].name.clone(),
            rows,
        },
        human.failed,
    ))
}

/// The agreement section's content.
struct Agreement {
    /// The human codings' path, as given.
    file: String,
    /// The human set's name.
    human: String,
    /// Overall first, then each theme either set applied.
    rows: Vec<AgreeRow>,
}

/// One row of the agreement section.
struct AgreeRow {
    /// The theme's id (empty for overall) and what the reader sees.
    theme: String,
    label: String,
    figures: agree::Figures,
    /// Units the two code differently (on the theme's codes).
    disagreeing: usize,
    /// The theme's codes coded differently, with their counts of units.
    codes: String,
    /// The undefined figures with their reasons.
    notes: String,
}

struct Page<'a> {
    title: &'a str,
    codebook: &'a Codebook,
    matrix: &'a Matrix,
    sample: &'a Sample,
    quotes: &'a [Vec<quotes::Quote>],
    files: usize,
    unit: &'a str,
    min_cell: u64,
    agreement: Option<&'a Agreement>,
    /// Whether the quotes were scanned for identifiers, and what came of it.
    scanned: String,
    stats: Option<(&'a [GroupTest], Correction)>,
    paper: Paper,
}

const CSS: &str = r#"
:root { --ink: #1d2433; --muted: #5b6476; --line: #e3e6ec; --accent: #0f6e6e; --paper: #ffffff; --wash: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--wash); color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 32px 28px 56px; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 14px; margin-bottom: 28px; }
h1 { font-size: 28px; margin: 0 0 6px; letter-spacing: -0.01em; }
h2 { font-size: 19px; margin: 18px 0 10px; color: var(--accent); }
h3 { font-size: 16px; margin: 22px 0 8px; }
p.meta, p.note { color: var(--muted); margin: 4px 0; }
section { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 4px 22px 20px; margin-bottom: 22px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { font-size: 13px; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; }
table.sample { width: auto; min-width: 420px; }
table.agree tr.overall td { font-weight: 600; }
table.sample tr.total td { font-weight: 600; border-top: 2px solid var(--ink); }
table.heat td.cell { text-align: center; font-size: 12px; line-height: 1.3; min-width: 104px; border: 2px solid var(--paper); border-radius: 4px; }
table.heat td.cell b { display: block; font-size: 15px; }
table.heat tr.theme td.name { font-weight: 700; padding-top: 12px; }
table.heat tr.code td.name { padding-left: 26px; color: var(--muted); font-size: 13px; }
table.heat tr.code td.cell b { font-size: 13px; }
.legend { display: flex; align-items: center; gap: 8px; color: var(--muted); font-size: 12px; margin-top: 10px; }
.legend span.swatch { width: 120px; height: 10px; border-radius: 5px; background: linear-gradient(90deg, rgba(15,110,110,0.06), rgba(15,110,110,0.92)); }
div.bar { margin: 8px 0 12px; break-inside: avoid; page-break-inside: avoid; }
div.bar svg { display: block; margin: 3px 0; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
div.bar .figures { color: var(--muted); font-size: 13px; }
blockquote { margin: 10px 0 14px; padding: 10px 16px; border-left: 4px solid var(--accent); background: var(--wash); border-radius: 0 8px 8px 0; }
blockquote p { margin: 0 0 6px; }
blockquote footer { color: var(--muted); font-size: 13px; }
dl.codes dt { font-weight: 600; margin-top: 10px; }
dl.codes dd { margin: 2px 0 0 0; color: var(--ink); }
dl.codes dd.patterns { color: var(--muted); font-size: 12px; }
dl.codes summary { cursor: pointer; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--wash); padding: 1px 4px; border-radius: 4px; }
footer.page { color: var(--muted); font-size: 12px; text-align: center; margin-top: 28px; }
blockquote footer .where { white-space: nowrap; }
blockquote, td, dd, p { overflow-wrap: anywhere; }
table.heat td.cell, table.heat th { overflow-wrap: normal; }
/* A phone (390 px wide): no horizontal scroll. Tables become stacked
   blocks, each value with its column's name (data-label, data-group). */
@media (max-width: 640px) {
  body { font-size: 14px; }
  main { padding: 14px 10px 32px; }
  section { padding: 2px 12px 14px; border-radius: 8px; }
  h1 { font-size: 22px; }
  table.sample { min-width: 0; display: block; max-width: 100%; overflow-x: auto; }
  table.sample th, table.sample td { padding: 6px 5px; }
  table.heat, table.heat tbody, table.stack, table.stack tbody, table.stack tr { display: block; width: 100%; }
  table.heat thead, table.stack thead { display: none; }
  table.heat tr { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 4px; padding: 6px 0; border-bottom: 1px solid var(--line); }
  table.heat td.name, table.heat tr.code td.name { grid-column: 1 / -1; border: 0; padding: 4px 0 0; }
  table.heat td.cell { min-width: 0; display: block; }
  table.heat td.cell::before { content: attr(data-label); display: block; font-size: 11px; }
  table.stack tr { border-bottom: 1px solid var(--line); padding: 6px 0; }
  table.stack td { display: block; border: 0; padding: 2px 0; text-align: left; }
  table.stack td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-size: 12px; }
  blockquote { padding: 8px 10px; }
}
/* Paper: page numbers, table headers on every page, no row cut in two,
   the method and the codebook each from a new page. */
@media print {
  body { background: #fff; font-size: 10pt; }
  main { max-width: none; padding: 0; }
  header { margin-bottom: 12px; }
  section { border: 0; border-radius: 0; padding: 0; margin: 0 0 14px; }
  thead { display: table-header-group; }
  tr, td, th, blockquote, dl.codes dt, dl.codes dd, svg { break-inside: avoid; page-break-inside: avoid; }
  h2, h3, dl.codes dt { break-after: avoid; page-break-after: avoid; }
  #method, #codebook { break-before: page; page-break-before: always; }
  table.heat th { font-size: 8pt; padding: 4px; }
  table.heat td { padding: 2px 6px; }
  table.heat td.cell { min-width: 0; padding: 2px 4px; font-size: 8pt; line-height: 1.2; white-space: nowrap; }
  table.heat td.cell b, table.heat tr.code td.cell b { font-size: 9pt; }
  table.heat tr.theme td.name { padding-top: 6px; }
  table.heat tr.code td.name { padding-left: 14px; font-size: 9pt; }
  table.heat td.cell, .legend span.swatch { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  footer.page { margin-top: 12px; }
}
"#;

/// The `@page` rule: the paper, its margins and the page number at the
/// foot of each page.
fn page_css(paper: Paper) -> String {
    format!(
        "@page {{ size: {}; margin: 16mm 14mm 18mm; @bottom-center {{ content: \"Page \" counter(page) \" of \" counter(pages); font: 9pt system-ui, sans-serif; color: #5b6476; }} }}",
        paper.css()
    )
}

impl Page<'_> {
    fn render(&self) -> String {
        let mut h = String::new();
        let total_n = self.matrix.rows.first().map_or(0, |r| r.total.group_size);
        let _ = write!(
            h,
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{}{CSS}</style>\n</head>\n<body>\n<main>\n<header>\n<h1>{}</h1>\n<p class=\"meta\">{} participants · {} transcripts · coding unit: {} · codebook: {} {}</p>\n<p class=\"meta\">{}</p>\n</header>\n",
            escape_text(self.title),
            page_css(self.paper),
            escape_text(self.title),
            self.count(total_n),
            self.files,
            self.unit,
            escape_text(&self.codebook.codebook.name),
            escape_text(&self.codebook.codebook.version),
            escape_text(&self.scanned),
        );
        self.sample_section(&mut h);
        self.heatmap_section(&mut h);
        self.bars_section(&mut h);
        self.stats_section(&mut h);
        self.agreement_section(&mut h);
        self.quotes_section(&mut h);
        self.method_section(&mut h);
        self.codebook_section(&mut h);
        let _ = write!(
            h,
            "<footer class=\"page\">Made with mint {}. Percentages are of participants in each group; references are coded segments. With samples this small the numbers describe the participants interviewed; they do not generalise.</footer>\n</main>\n</body>\n</html>\n",
            env!("CARGO_PKG_VERSION")
        );
        h
    }

    fn hides(&self, n: u64) -> bool {
        n > 0 && n < self.min_cell
    }

    fn count(&self, n: u64) -> String {
        if self.hides(n) {
            format!("&lt;{}", self.min_cell)
        } else {
            n.to_string()
        }
    }

    /// A group's size after `N`: `=9`, or `<5` when it is a small count.
    fn size(&self, n: u64) -> String {
        if self.hides(n) {
            format!("&lt;{}", self.min_cell)
        } else {
            format!("={n}")
        }
    }

    fn sample_section(&self, h: &mut String) {
        let s = self.sample;
        let _ = write!(
            h,
            "<section id=\"sample\">\n<h2>Study sample</h2>\n<table class=\"sample\">\n<thead><tr>"
        );
        for name in &s.rows_by {
            let _ = write!(h, "<th>{}</th>", escape_text(name));
        }
        for c in &s.columns {
            let _ = write!(h, "<th class=\"num\">{}</th>", escape_text(c));
        }
        h.push_str("<th class=\"num\">total</th></tr></thead>\n<tbody>\n");
        let labels: Vec<&str> = s
            .columns
            .iter()
            .map(String::as_str)
            .chain(["total"])
            .collect();
        for (i, row) in s.rows.iter().chain([&s.total]).enumerate() {
            let class = if i == s.rows.len() {
                " class=\"total\""
            } else {
                ""
            };
            let _ = write!(h, "<tr{class}>");
            for k in 0..s.rows_by.len() {
                let _ = write!(
                    h,
                    "<td data-label=\"{}\">{}</td>",
                    escape_attribute(&s.rows_by[k]),
                    escape_text(row.values.get(k).map_or("", String::as_str))
                );
            }
            for (n, label) in row.counts.iter().chain([&row.total]).zip(&labels) {
                let _ = write!(
                    h,
                    "<td class=\"num\" data-label=\"{}\">{}</td>",
                    escape_attribute(*label),
                    self.count(*n)
                );
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody>\n</table>\n</section>\n");
    }

    fn heatmap_section(&self, h: &mut String) {
        let m = self.matrix;
        let _ = write!(
            h,
            "<section id=\"heatmap\">\n<h2>Themes by group</h2>\n<p class=\"note\">Share of participants in each group who spoke to each theme and code: participants / group size, and references (coded segments) below.</p>\n<table class=\"heat\">\n<thead><tr><th>theme / code</th>"
        );
        let total_n = m.rows.first().map_or(0, |r| r.total.group_size);
        for g in &m.groups {
            let _ = write!(
                h,
                "<th class=\"num\">{}<br>N{}</th>",
                escape_text(g.label()),
                self.size(g.size)
            );
        }
        let _ = writeln!(
            h,
            "<th class=\"num\">all<br>N{}</th></tr></thead>\n<tbody>",
            self.size(total_n)
        );
        let labels: Vec<(String, String)> = m
            .groups
            .iter()
            .map(|g| (g.label(), format!("{} (N{})", g.label(), self.size(g.size))))
            .chain([(
                "total".to_string(),
                format!("all (N{})", self.size(total_n)),
            )])
            .collect();
        for row in &m.rows {
            let (class, name) = match &row.code {
                None => ("theme", row.label.clone()),
                Some(_) => (
                    "code",
                    format!("{}{}", "· ".repeat(row.depth.saturating_sub(1)), row.label),
                ),
            };
            let id = row.code.as_deref().unwrap_or("");
            let _ = write!(
                h,
                "<tr class=\"{class}\" data-theme=\"{}\" data-code=\"{}\"><td class=\"name\">{}</td>",
                escape_attribute(&row.theme),
                escape_attribute(id),
                escape_text(&name)
            );
            for (cell, label) in row.cells.iter().chain([&row.total]).zip(&labels) {
                self.heat_cell(h, cell, label);
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody>\n</table>\n<div class=\"legend\">0%<span class=\"swatch\"></span>100% of the group</div>\n</section>\n");
    }

    fn heat_cell(&self, h: &mut String, cell: &Cell, (group, label): &(String, String)) {
        let hidden = self.hides(cell.participants);
        let pct = if hidden { 0.0 } else { cell.percent };
        let alpha = 0.06 + 0.86 * pct / 100.0;
        let ink = if alpha > 0.55 { "#ffffff" } else { "#1d2433" };
        let shown = if hidden {
            "–".to_string()
        } else {
            format!("{:.0}%", cell.percent)
        };
        // The group's size is left out where it would narrow down a hidden
        // count (`<5 of 3`) or is itself a small count.
        let size_hidden = hidden || self.hides(cell.group_size);
        let of = if size_hidden {
            String::new()
        } else {
            format!(" of {}", cell.group_size)
        };
        let _ = write!(
            h,
            "<td class=\"cell\" data-group=\"{}\" data-label=\"{}\" data-participants=\"{}\" data-references=\"{}\" data-size=\"{}\" style=\"background: rgba(15,110,110,{alpha:.3}); color: {ink}\"><b>{shown}</b>{}{of}<br>{} refs</td>",
            escape_attribute(group),
            escape_attribute(label.replace("&lt;", "<")),
            if hidden {
                String::new()
            } else {
                cell.participants.to_string()
            },
            if self.hides(cell.references) {
                String::new()
            } else {
                cell.references.to_string()
            },
            if size_hidden {
                String::new()
            } else {
                cell.group_size.to_string()
            },
            self.count(cell.participants),
            self.count(cell.references),
        );
    }

    /// A bar per theme: its label above (wrapping on a narrow screen), the
    /// bar an SVG stretched to the width, its figures below.
    fn bars_section(&self, h: &mut String) {
        let themes: Vec<&tally::Row> = self
            .matrix
            .rows
            .iter()
            .filter(|r| r.code.is_none())
            .collect();
        let max = themes
            .iter()
            .map(|r| r.total.references)
            .max()
            .unwrap_or(0)
            .max(1) as f64;
        let _ = write!(
            h,
            "<section id=\"bars\">\n<h2>Themes overall</h2>\n<p class=\"note\">Coded segments per theme (bar length), and the participants who spoke to it, of all {}.</p>\n<div class=\"bars\" role=\"img\" aria-label=\"Coded segments per theme\">\n",
            self.count(themes.first().map_or(0, |r| r.total.group_size)),
        );
        for row in &themes {
            let w = if self.hides(row.total.references) {
                0.0
            } else {
                100.0 * row.total.references as f64 / max
            };
            let share = if self.hides(row.total.participants) {
                "–".to_string()
            } else {
                format!("{:.0}%", row.total.percent)
            };
            let _ = writeln!(
                h,
                "<div class=\"bar\"><div>{}</div><svg viewBox=\"0 0 100 4\" preserveAspectRatio=\"none\" width=\"100%\" height=\"14\" xmlns=\"http://www.w3.org/2000/svg\"><rect x=\"0\" y=\"0\" width=\"100\" height=\"4\" fill=\"#e9eef2\"/><rect data-theme=\"{}\" data-references=\"{}\" x=\"0\" y=\"0\" width=\"{w:.2}\" height=\"4\" fill=\"#0f6e6e\"/></svg><div class=\"figures\">{} refs · {share} of participants</div></div>",
                escape_text(&row.label),
                escape_attribute(&row.theme),
                if self.hides(row.total.references) {
                    String::new()
                } else {
                    row.total.references.to_string()
                },
                self.count(row.total.references),
            );
        }
        h.push_str("</div>\n</section>\n");
    }

    fn agreement_section(&self, h: &mut String) {
        let Some(a) = self.agreement else { return };
        let _ = write!(
            h,
            "<section id=\"agreement\">\n<h2>Agreement with human coding</h2>\n<p class=\"note\">mint's coding against the human codings of {} ({}), on participant segments of the coding unit ({}), as <code>mint agree</code> computes it. Cohen's kappa and Krippendorff's alpha (nominal) with 95% intervals from {BOOTSTRAP_REPLICATES} bootstrap resamples of participants, Gwet's AC1, and the share of segments each coded: kappa misleads when that share is small. A segment has a theme when it has any of its codes; the overall row pools every segment and code (its units are segments × codes). Coded differently counts the segments whose codes (of the theme) differ, with the codes they differ on.</p>\n<table class=\"agree stack\">\n<thead><tr><th>theme</th><th class=\"num\">units</th><th class=\"num\">prevalence: human</th><th class=\"num\">prevalence: mint</th><th class=\"num\">kappa [95% CI]</th><th class=\"num\">alpha [95% CI]</th><th class=\"num\">AC1</th><th class=\"num\">coded differently</th><th>codes coded differently</th><th>notes</th></tr></thead>\n<tbody>\n",
            escape_text(&a.human),
            escape_text(&a.file),
            self.unit,
        );
        let fixed = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{v:.3}"));
        let interval = |v: Option<f64>, ci: Option<(f64, f64)>| match (v, ci) {
            (Some(v), Some((lo, hi))) => format!("{v:.3} [{lo:.2}, {hi:.2}]"),
            (Some(v), None) => format!("{v:.3}"),
            (None, _) => "–".to_string(),
        };
        for row in &a.rows {
            let f = &row.figures;
            let share = |i: usize| f.prevalence.get(i).map_or(0.0, |p| p * 100.0);
            let class = if row.theme.is_empty() {
                "overall"
            } else {
                "theme"
            };
            let _ = writeln!(
                h,
                "<tr class=\"{class}\" data-theme=\"{}\" data-kappa=\"{}\" data-alpha=\"{}\" data-ac1=\"{}\" data-disagreeing=\"{}\"><td>{}</td><td class=\"num\" data-label=\"units\">{}</td><td class=\"num\" data-label=\"prevalence: human\">{:.1}%</td><td class=\"num\" data-label=\"prevalence: mint\">{:.1}%</td><td class=\"num\" data-label=\"kappa [95% CI]\">{}</td><td class=\"num\" data-label=\"alpha [95% CI]\">{}</td><td class=\"num\" data-label=\"AC1\">{}</td><td class=\"num\" data-label=\"coded differently\">{}</td><td data-codes>{}</td><td>{}</td></tr>",
                escape_attribute(&row.theme),
                fixed(f.kappa),
                fixed(f.alpha),
                fixed(f.ac1),
                row.disagreeing,
                escape_text(&row.label),
                f.units,
                share(0),
                share(1),
                interval(f.kappa, f.kappa_ci),
                interval(f.alpha, f.alpha_ci),
                f.ac1.map_or_else(|| "–".to_string(), |v| format!("{v:.3}")),
                row.disagreeing,
                escape_text(&row.codes),
                escape_text(&row.notes),
            );
        }
        h.push_str("</tbody>\n</table>\n</section>\n");
    }

    fn quotes_section(&self, h: &mut String) {
        h.push_str("<section id=\"quotes\">\n<h2>Quotes</h2>\n");
        for (theme, quotes) in self.codebook.themes.iter().zip(self.quotes) {
            let _ = writeln!(
                h,
                "<h3 data-theme=\"{}\">{}</h3>",
                escape_attribute(&theme.id),
                escape_text(&theme.label)
            );
            if quotes.is_empty() {
                h.push_str("<p class=\"note\">No coded segments.</p>\n");
            }
            for q in quotes {
                let _ = writeln!(
                    h,
                    "<blockquote data-theme=\"{}\" data-segment-id=\"{}\"><p>{}</p><footer>— {} · <span class=\"where\">{}:{}</span> · segment <code>{}</code></footer></blockquote>",
                    escape_attribute(&theme.id),
                    escape_attribute(&q.segment_id),
                    escape_text(&q.quote),
                    escape_text(&q.attribution),
                    escape_text(&q.file),
                    q.line,
                    escape_text(&q.segment_id),
                );
            }
        }
        h.push_str("</section>\n");
    }

    /// The group comparisons of `--stats`: per attribute, theme and code,
    /// the test, p and p corrected over all the tests run.
    fn stats_section(&self, h: &mut String) {
        let Some((tests, correction)) = self.stats else {
            return;
        };
        let _ = write!(
            h,
            "<section id=\"stats\">\n<h2>Group comparisons</h2>\n<p class=\"note\" data-tests=\"{}\" data-correction=\"{}\">{} {}</p>\n<table class=\"stats stack\">\n<thead><tr><th>theme / code</th><th>by</th><th>participants mentioning / N</th><th>test</th><th class=\"num\">p</th><th class=\"num\">p adjusted ({})</th></tr></thead>\n<tbody>\n",
            mint::groups::tests_run(tests),
            correction.name(),
            escape_text(correction_note(tests, correction)),
            escape_text(STATS_NOTE),
            correction.name(),
        );
        let p = |p: Option<f64>| p.map_or("–".to_string(), |p| format!("{p:.4}"));
        for t in tests {
            let (class, name) = match &t.code {
                Some(id) => ("code", self.code_label(id)),
                None => ("theme", self.theme_label(&t.theme)),
            };
            let groups: Vec<String> = t
                .groups
                .iter()
                .map(|g| {
                    let size = if self.hides(g.mentioning) || self.hides(g.size) {
                        String::new()
                    } else {
                        format!("/{}", g.size)
                    };
                    format!(
                        "{} {}{size}",
                        escape_text(&g.value),
                        self.count(g.mentioning)
                    )
                })
                .collect();
            let _ = writeln!(
                h,
                "<tr class=\"{class}\" data-theme=\"{}\" data-code=\"{}\" data-p=\"{}\" data-p-adjusted=\"{}\"><td>{}</td><td data-label=\"by\">{}</td><td data-label=\"mentioning / N\">{}</td><td data-label=\"test\">{}</td><td class=\"num\" data-label=\"p\">{}</td><td class=\"num\" data-label=\"p adjusted\">{}</td></tr>",
                escape_attribute(&t.theme),
                escape_attribute(t.code.as_deref().unwrap_or("")),
                p(t.p),
                p(t.p_adjusted),
                escape_text(&name),
                escape_text(&t.attribute),
                groups.join(", "),
                t.test,
                p(t.p),
                p(t.p_adjusted),
            );
        }
        h.push_str("</tbody>\n</table>\n</section>\n");
    }

    /// Codebook text with the snake_case ids of its themes and codes (as
    /// authors write `see measuring_impact`) read as their labels.
    fn readable(&self, text: &str) -> String {
        static ID: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b").expect("a valid regex")
        });
        ID.replace_all(text, |c: &regex::Captures| {
            let id = &c[0];
            let theme = self.codebook.themes.iter().find(|t| t.id == id);
            let code = self.codebook.codes.iter().find(|k| k.id == id);
            match (theme, code) {
                (Some(t), _) if !t.label.is_empty() => t.label.clone(),
                (_, Some(k)) if !k.label.is_empty() => k.label.clone(),
                _ => id.to_string(),
            }
        })
        .into_owned()
    }

    fn theme_label(&self, id: &str) -> String {
        let theme = self.codebook.themes.iter().find(|t| t.id == id);
        theme.map_or_else(|| id.to_string(), |t| t.label.clone())
    }

    fn code_label(&self, id: &str) -> String {
        let code = self.codebook.codes.iter().find(|c| c.id == id);
        code.map_or_else(|| id.to_string(), |c| c.label.clone())
    }

    /// How the numbers were made: the coding unit, what counts, the
    /// suppression, the tests and their correction.
    fn method_section(&self, h: &mut String) {
        let book = &self.codebook.codebook;
        let _ = write!(
            h,
            "<section id=\"method\">\n<h2>Method</h2>\n<p>{} transcripts were coded with the codebook {} (version {}) by mint {}, on participant segments of the coding unit <em>{}</em>; the interviewer's words are never coded. A reference is a coded segment; a participant counts towards a theme or code when at least one of their segments was coded with it, and percentages are of the participants in each group.</p>\n",
            self.files,
            escape_text(&book.name),
            escape_text(&book.version),
            env!("CARGO_PKG_VERSION"),
            self.unit,
        );
        if self.min_cell > 1 {
            let _ = writeln!(
                h,
                "<p>Counts from 1 to {} are shown as &lt;{} and their percentages hidden, and so is a group's size where it is under {} or would narrow down a hidden count.</p>",
                self.min_cell - 1,
                self.min_cell,
                self.min_cell,
            );
        }
        if let Some((tests, correction)) = self.stats {
            let _ = writeln!(
                h,
                "<p>Groups were compared with chi-square (Yates' correction for 2×2 tables) or Fisher's exact test where an expected count is under 5. {}</p>",
                escape_text(correction_note(tests, correction))
            );
        }
        h.push_str("<p>Each quote names its transcript and line, and its segment id: the <code>segment_id</code> column of <code>mint code --codings</code> and <code>mint quotes</code>.</p>\n</section>\n");
    }

    fn codebook_section(&self, h: &mut String) {
        let book = self.codebook;
        h.push_str("<section id=\"codebook\">\n<h2>Appendix: codebook</h2>\n");
        let _ = writeln!(
            h,
            "<p class=\"note\">{}</p>",
            escape_text(self.readable(&book.codebook.description))
        );
        for theme in &book.themes {
            let _ = write!(
                h,
                "<h3 data-theme=\"{}\">{}</h3>\n<p>{}</p>\n<dl class=\"codes\">\n",
                escape_attribute(&theme.id),
                escape_text(&theme.label),
                escape_text(self.readable(&theme.description))
            );
            let mut seen = BTreeSet::new();
            for (ci, _) in tally::code_order(book, &theme.id) {
                let code = &book.codes[ci];
                if !seen.insert(ci) {
                    continue;
                }
                let emergent = if code.origin == mint::codebook::Origin::Emergent {
                    " (emergent)"
                } else {
                    ""
                };
                let _ = write!(
                    h,
                    "<dt data-code=\"{}\">{}{emergent}</dt>\n<dd>{}</dd>\n",
                    escape_attribute(&code.id),
                    escape_text(&code.label),
                    escape_text(self.readable(&code.definition))
                );
                if !code.when_to_use.is_empty() {
                    let _ = writeln!(
                        h,
                        "<dd><em>Use when:</em> {}</dd>",
                        escape_text(self.readable(&code.when_to_use))
                    );
                }
                if !code.when_not_to_use.is_empty() {
                    let _ = writeln!(
                        h,
                        "<dd><em>Not when:</em> {}</dd>",
                        escape_text(self.readable(&code.when_not_to_use))
                    );
                }
                let patterns: Vec<String> = code
                    .patterns
                    .iter()
                    .map(|p| format!("<code>{}</code>", escape_text(p)))
                    .collect();
                let _ = writeln!(
                    h,
                    "<dd class=\"patterns\"><details><summary>{} pattern{}</summary>{}</details></dd>",
                    patterns.len(),
                    if patterns.len() == 1 { "" } else { "s" },
                    patterns.join(" ")
                );
            }
            h.push_str("</dl>\n");
        }
        h.push_str("</section>\n");
    }
}
