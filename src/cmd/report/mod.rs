//! `mint report`: one self-contained HTML file for the write-up: the sample,
//! a heatmap of themes by group, bars per theme, the top quotes per theme
//! with attributions, agreement with human codings (`--agree-with`), and the
//! codebook as an appendix. No network, no CDN: inline CSS and SVG only.

use std::path::{Path, PathBuf};

use anyhow::Context;

use mint::agree::{self, BOOTSTRAP_REPLICATES, Comparison, Grain, Level, Source};
use mint::codebook::Codebook;
use mint::coding::Coded;
use mint::corpus::Unit;
use mint::matcher::Matcher;
use mint::pipeline::{Corpus, LoadedFile};
use mint::quotes::{self, DEFAULT_ATTRIBUTION};
use mint::tally::{self, Tally};

use crate::args::{
    ByArgs, CodebookArgs, CorpusArgs, GuardArgs, UnitArgs, check_output_path, read_human_set,
};
use crate::render::{Output, Status};

mod page;

use page::Page;

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
