//! The page of `mint report`: its HTML, sections in order, and the print
//! and phone stylesheet.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use htmlize::{escape_attribute, escape_text};

use mint::agree::BOOTSTRAP_REPLICATES;
use mint::codebook::Codebook;
use mint::groups::{GroupTest, Sample};
use mint::quotes;
use mint::stats::Correction;
use mint::tally::{self, Cell, Matrix};

use super::{Agreement, Paper};
use crate::render::matrix::{STATS_NOTE, correction_note};

/// The report's page, as it is rendered.
pub(super) struct Page<'a> {
    pub(super) title: &'a str,
    pub(super) codebook: &'a Codebook,
    pub(super) matrix: &'a Matrix,
    pub(super) sample: &'a Sample,
    pub(super) quotes: &'a [Vec<quotes::Quote>],
    pub(super) files: usize,
    pub(super) unit: &'a str,
    pub(super) min_cell: u64,
    pub(super) agreement: Option<&'a Agreement>,
    /// Whether the quotes were scanned for identifiers, and what came of it.
    pub(super) scanned: String,
    pub(super) stats: Option<(&'a [GroupTest], Correction)>,
    pub(super) paper: Paper,
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
    /// The HTML file.
    pub(super) fn render(&self) -> String {
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
