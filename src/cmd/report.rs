//! `mint report`: one self-contained HTML file for the write-up: the sample,
//! a heatmap of themes by group, bars per theme, the top quotes per theme
//! with attributions, and the codebook as an appendix. No network, no CDN:
//! inline CSS and SVG only.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use htmlize::{escape_attribute, escape_text};

use mint::codebook::Codebook;
use mint::groups::Sample;
use mint::matcher::Matcher;
use mint::quotes::{self, DEFAULT_ATTRIBUTION};
use mint::tally::{self, Cell, Matrix, Tally};

use crate::args::{ByArgs, CodebookArgs, CorpusArgs, UnitArgs, check_output_path};
use crate::render::{Output, Status};

/// Write a self-contained HTML report: sample, heatmap, quotes, codebook.
///
/// The heatmap shades each theme and code by the share of participants in
/// each group who spoke to it; bars show each theme overall; each theme gets
/// its strongest quotes with attributions; the codebook follows as an
/// appendix. The file has no external references, so it can be emailed or
/// archived as it is.
#[derive(Debug, clap::Args)]
#[command(mut_arg("codebook", |a| a.help("Codebook file(s), as for `mint code`")))]
#[command(mut_arg("by", |a| a.help("Groups for the heatmap (comma-separated attributes). Default: level and sector, those of them that any participant has")))]
#[command(mut_arg("unit", |a| a.help("The coding unit")))]
#[command(after_long_help = "\
Examples:
  mint report examples/transcripts -o report.html
  mint report transcripts/ -o report.html --by level --quotes 5 --min-cell 3")]
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

    /// Allow -o to write inside an input folder.
    #[arg(long)]
    write_into_input: bool,
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
    let sample = mint::groups::sample(
        &corpus.info.participants,
        &["level".into(), "area".into()],
        "sector",
    );
    let page = Page {
        title: &args.title,
        codebook: &codebook,
        matrix: &matrix,
        sample: &sample,
        quotes: &quotes,
        files: corpus.files.len(),
        unit: args.unit.unit.name(),
        min_cell: args.min_cell.unwrap_or(0),
    };
    let html = page.render();
    out.write_file(&args.output, |w| {
        w.write_all(html.as_bytes()).context("write failed")
    })?;
    if args.output.as_os_str() != "-" {
        out.note(&format!("wrote {}", args.output.display()));
    }
    Ok(args.corpus.status(&corpus.info, out))
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
table.sample tr.total td { font-weight: 600; border-top: 2px solid var(--ink); }
table.heat td.cell { text-align: center; font-size: 12px; line-height: 1.3; min-width: 104px; border: 2px solid var(--paper); border-radius: 4px; }
table.heat td.cell b { display: block; font-size: 15px; }
table.heat tr.theme td.name { font-weight: 700; padding-top: 12px; }
table.heat tr.code td.name { padding-left: 26px; color: var(--muted); font-size: 13px; }
table.heat tr.code td.cell b { font-size: 13px; }
.legend { display: flex; align-items: center; gap: 8px; color: var(--muted); font-size: 12px; margin-top: 10px; }
.legend span.swatch { width: 120px; height: 10px; border-radius: 5px; background: linear-gradient(90deg, rgba(15,110,110,0.06), rgba(15,110,110,0.92)); }
svg text { font: 13px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
blockquote { margin: 10px 0 14px; padding: 10px 16px; border-left: 4px solid var(--accent); background: var(--wash); border-radius: 0 8px 8px 0; }
blockquote p { margin: 0 0 6px; }
blockquote footer { color: var(--muted); font-size: 13px; }
dl.codes dt { font-weight: 600; margin-top: 10px; }
dl.codes dd { margin: 2px 0 0 0; color: var(--ink); }
dl.codes dd.patterns { color: var(--muted); font-size: 12px; }
dl.codes summary { cursor: pointer; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--wash); padding: 1px 4px; border-radius: 4px; }
footer.page { color: var(--muted); font-size: 12px; text-align: center; margin-top: 28px; }
"#;

impl Page<'_> {
    fn render(&self) -> String {
        let mut h = String::new();
        let total_n = self.matrix.rows.first().map_or(0, |r| r.total.group_size);
        let _ = write!(
            h,
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n<header>\n<h1>{}</h1>\n<p class=\"meta\">{} participants · {} transcripts · coding unit: {} · codebook: {} {}</p>\n</header>\n",
            escape_text(self.title),
            escape_text(self.title),
            total_n,
            self.files,
            self.unit,
            escape_text(&self.codebook.codebook.name),
            escape_text(&self.codebook.codebook.version),
        );
        self.sample_section(&mut h);
        self.heatmap_section(&mut h);
        self.bars_section(&mut h);
        self.quotes_section(&mut h);
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

    fn sample_section(&self, h: &mut String) {
        let s = self.sample;
        let _ = write!(
            h,
            "<section id=\"sample\">\n<h2>Study sample</h2>\n<table class=\"sample\">\n<tr>"
        );
        for name in &s.rows_by {
            let _ = write!(h, "<th>{}</th>", escape_text(name));
        }
        for c in &s.columns {
            let _ = write!(h, "<th class=\"num\">{}</th>", escape_text(c));
        }
        h.push_str("<th class=\"num\">total</th></tr>\n");
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
                    "<td>{}</td>",
                    escape_text(row.values.get(k).map_or("", String::as_str))
                );
            }
            for n in row.counts.iter().chain([&row.total]) {
                let _ = write!(h, "<td class=\"num\">{}</td>", self.count(*n));
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</table>\n</section>\n");
    }

    fn heatmap_section(&self, h: &mut String) {
        let m = self.matrix;
        let _ = write!(
            h,
            "<section id=\"heatmap\">\n<h2>Themes by group</h2>\n<p class=\"note\">Share of participants in each group who spoke to each theme and code: participants / group size, and references (coded segments) below.</p>\n<table class=\"heat\">\n<tr><th>theme / code</th>"
        );
        let total_n = m.rows.first().map_or(0, |r| r.total.group_size);
        for g in &m.groups {
            let _ = write!(
                h,
                "<th class=\"num\">{}<br>N={}</th>",
                escape_text(g.label()),
                g.size
            );
        }
        let _ = writeln!(h, "<th class=\"num\">all<br>N={total_n}</th></tr>");
        let labels: Vec<String> = m
            .groups
            .iter()
            .map(|g| g.label())
            .chain(["total".to_string()])
            .collect();
        for row in &m.rows {
            let (class, name) = match &row.code {
                None => ("theme", row.label.clone()),
                Some(code) => (
                    "code",
                    format!("{}{}", "· ".repeat(row.depth.saturating_sub(1)), code),
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
        h.push_str("</table>\n<div class=\"legend\">0%<span class=\"swatch\"></span>100% of the group</div>\n</section>\n");
    }

    fn heat_cell(&self, h: &mut String, cell: &Cell, group: &str) {
        let hidden = self.hides(cell.participants);
        let pct = if hidden { 0.0 } else { cell.percent };
        let alpha = 0.06 + 0.86 * pct / 100.0;
        let ink = if alpha > 0.55 { "#ffffff" } else { "#1d2433" };
        let shown = if hidden {
            "–".to_string()
        } else {
            format!("{:.0}%", cell.percent)
        };
        let _ = write!(
            h,
            "<td class=\"cell\" data-group=\"{}\" data-participants=\"{}\" data-references=\"{}\" data-size=\"{}\" style=\"background: rgba(15,110,110,{alpha:.3}); color: {ink}\"><b>{shown}</b>{} of {}<br>{} refs</td>",
            escape_attribute(group),
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
            cell.group_size,
            self.count(cell.participants),
            cell.group_size,
            self.count(cell.references),
        );
    }

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
        let (bar_w, row_h) = (760.0, 46.0);
        let height = row_h * themes.len() as f64 + 4.0;
        let _ = write!(
            h,
            "<section id=\"bars\">\n<h2>Themes overall</h2>\n<p class=\"note\">Coded segments per theme (bar length), and the participants who spoke to it, of all {}.</p>\n<svg role=\"img\" aria-label=\"Coded segments per theme\" width=\"100%\" viewBox=\"0 0 {} {height}\" xmlns=\"http://www.w3.org/2000/svg\">\n",
            themes.first().map_or(0, |r| r.total.group_size),
            bar_w + 240.0
        );
        for (i, row) in themes.iter().enumerate() {
            let y = i as f64 * row_h;
            let w = if self.hides(row.total.references) {
                0.0
            } else {
                bar_w * row.total.references as f64 / max
            };
            let share = if self.hides(row.total.participants) {
                "–".to_string()
            } else {
                format!("{:.0}%", row.total.percent)
            };
            let _ = writeln!(
                h,
                "<text x=\"0\" y=\"{:.0}\">{}</text><rect x=\"0\" y=\"{:.0}\" width=\"{bar_w}\" height=\"16\" rx=\"4\" fill=\"#e9eef2\"/><rect data-theme=\"{}\" data-references=\"{}\" x=\"0\" y=\"{:.0}\" width=\"{w:.1}\" height=\"16\" rx=\"4\" fill=\"#0f6e6e\"/><text x=\"{:.0}\" y=\"{:.0}\">{} refs · {share} of participants</text>",
                y + 14.0,
                escape_text(&row.label),
                y + 20.0,
                escape_attribute(&row.theme),
                row.total.references,
                y + 20.0,
                bar_w + 12.0,
                y + 33.0,
                self.count(row.total.references),
            );
        }
        h.push_str("</svg>\n</section>\n");
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
                    "<blockquote data-theme=\"{}\"><p>{}</p><footer>— {}</footer></blockquote>",
                    escape_attribute(&theme.id),
                    escape_text(&q.quote),
                    escape_text(&q.attribution)
                );
            }
        }
        h.push_str("</section>\n");
    }

    fn codebook_section(&self, h: &mut String) {
        let book = self.codebook;
        h.push_str("<section id=\"codebook\">\n<h2>Appendix: codebook</h2>\n");
        let _ = writeln!(
            h,
            "<p class=\"note\">{}</p>",
            escape_text(&book.codebook.description)
        );
        for theme in &book.themes {
            let _ = write!(
                h,
                "<h3 data-theme=\"{}\">{}</h3>\n<p>{}</p>\n<dl class=\"codes\">\n",
                escape_attribute(&theme.id),
                escape_text(&theme.label),
                escape_text(&theme.description)
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
                    "<dt>{}{emergent} <code>{}</code></dt>\n<dd>{}</dd>\n",
                    escape_text(&code.label),
                    escape_text(&code.id),
                    escape_text(&code.definition)
                );
                if !code.when_to_use.is_empty() {
                    let _ = writeln!(
                        h,
                        "<dd><em>Use when:</em> {}</dd>",
                        escape_text(&code.when_to_use)
                    );
                }
                if !code.when_not_to_use.is_empty() {
                    let _ = writeln!(
                        h,
                        "<dd><em>Not when:</em> {}</dd>",
                        escape_text(&code.when_not_to_use)
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
