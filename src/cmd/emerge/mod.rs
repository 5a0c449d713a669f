//! `mint emerge`: proposes candidate emergent codes from what participants
//! say that the codebook does not name yet, with the evidence for each, and
//! appends them to a codebook file on request.
//!
//! This file holds the flags ([`Args`]) and [`run`], which ties the steps
//! together: `study` (the corpus as the library reads it), `report` (the
//! candidates with their support) and `exemplar` (their quotes), written by
//! `table`, `csv` or `json`, and appended to a codebook by `write`. Nothing
//! here counts, quotes or formats.

mod csv;
mod exemplar;
mod json;
mod report;
mod study;
mod table;
mod write;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use mint::codebook::Codebook;
use mint::emergence::{self, Options};
use mint::matcher::Matcher;

use crate::args::{ByArgs, CodebookArgs, CorpusArgs, FormatArgs, UnitArg};
use crate::render::{self, Output, Status, write_atomic};

use report::Report;
use study::Study;
use write::Existing;

/// The theme that candidates nearest to no existing theme go under.
const NEW_THEME: &str = "emergent";

/// Propose emergent codes: recurring topics the codebook does not name.
///
/// Looks at participant speech only (never the interviewer's), at the
/// sentences the codebook leaves uncoded and at what is said inside each
/// theme that no code names. Phrases of 1-3 words (stemmed, so "referral"
/// and "referrals" count together) are scored by keyness (log-likelihood
/// G2) against the coded text and against general English, kept only when
/// at least two participants say them; a phrase of two or three words
/// counts double, and a single word among the 1,000 commonest English
/// words is kept only with a strong reason, which it states. Phrases, and
/// then candidates, said in mostly the same segments (Jaccard index at
/// least 0.6) are merged. Each candidate shows a label, its patterns,
/// support (segments and participants, by group), the groups where it is
/// over-represented, up to three short quotes with attributions, and the
/// theme it is nearest to, or `new theme`. The same input always gives
/// the same candidates in the same order. --write appends them to a
/// codebook file as origin = "emergent", status = "candidate" codes, which
/// `mint code` then applies and reports.
#[derive(Debug, clap::Args)]
#[command(mut_arg("codebook", |a| a.help("Codebook file (TOML, or JSON by extension); repeat it to extend one with another (`default` is the embedded codebook). Default: the embedded default codebook")))]
#[command(mut_arg("by", |a| a.help("Break support down by these attributes (comma-separated; '' for none). Default: level and sector, those of them that any participant has")))]
#[command(mut_arg("format", |a| a.help("How to print the candidates on stdout")))]
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
    let by = args.by.breakdown(&corpus.info.participants, out)?;
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

/// The candidates as `mint emerge` prints them.
struct View<'a> {
    report: &'a Report<'a>,
    codebook: &'a Codebook,
    unit: &'a str,
}

impl render::Report for View<'_> {
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        table::write_table(out, self.report)
    }

    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        csv::write_csv(w, self.report)
    }

    fn json(&self) -> impl Serialize + '_ {
        json::json_report(self.report, self.codebook, self.unit)
    }
}
