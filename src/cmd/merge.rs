//! `mint merge`: combine the JSON of `mint code` runs over parts of a corpus
//! into the table one run over all of it gives. Participants are unions,
//! not sums: a participant in two shards is one case, with the references
//! of both.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, bail};
use serde::Deserialize;

use mint::attributes::Attributes;
use mint::codebook::{Code, Codebook, Meta, Origin, Theme};
use mint::coding::{Counts, Score};
use mint::tally::{self, Tally};

use crate::args::FormatArgs;
use crate::render::matrix::{Counting, SCHEMA_VERSION, Summary, Suppress, ThemeMatrix};
use crate::render::{self, Output, Status};

/// Merge `mint code --format json` outputs of shards into one table.
///
/// Code parts of a big archive anywhere (CI matrix jobs, a batch
/// scheduler), each with `mint code PART --format json > part.json`, then
/// merge: the result is exactly the table a single run over all the files
/// gives. The shards must come from the same codebook and coding unit.
#[derive(Debug, clap::Args)]
#[command(mut_arg("format", |a| a.help("How to print the merged table")))]
#[command(after_long_help = "\
Examples:
  mint code archive/2018 --format json > 2018.json
  mint code archive/2019 --format json > 2019.json
  mint merge 2018.json 2019.json
  mint merge shards/*.json --by sector --format csv")]
pub struct Args {
    /// JSON files written by `mint code --format json`.
    #[arg(required = true, value_name = "FILE.json")]
    files: Vec<PathBuf>,

    /// Break down by these attributes instead of the shards' breakdown.
    #[arg(long, value_name = "ATTR[,ATTR]", value_delimiter = ',')]
    by: Option<Vec<String>>,

    #[command(flatten)]
    format: FormatArgs,

    /// Make CSV matrices long (tidy).
    #[arg(long)]
    long: bool,
}

#[derive(Deserialize)]
struct Shard {
    schema_version: u32,
    codebook: ShardCodebook,
    unit: String,
    breakdown: Vec<String>,
    themes: Vec<ShardTheme>,
    codes: Vec<ShardCode>,
    summary: ShardSummary,
    /// `--primary` and `--min-score`; absent: the defaults.
    #[serde(default)]
    coding: Counting,
    participants: Option<Vec<ShardParticipant>>,
}

#[derive(Deserialize, PartialEq)]
struct ShardCodebook {
    name: String,
    version: String,
    source: String,
}

#[derive(Deserialize, PartialEq)]
struct ShardTheme {
    id: String,
    label: String,
}

#[derive(Deserialize, PartialEq)]
struct ShardCode {
    id: String,
    theme: String,
    label: String,
    origin: Origin,
    parent: Option<String>,
}

#[derive(Deserialize)]
struct ShardSummary {
    files: usize,
    segments: u64,
    coded_segments: u64,
}

#[derive(Deserialize)]
struct ShardParticipant {
    id: String,
    attributes: Attributes,
    segments: u64,
    coded_segments: u64,
    themes: BTreeMap<String, u64>,
    codes: BTreeMap<String, u64>,
}

/// Runs `mint merge`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let mut shards = Vec::new();
    for path in &args.files {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let shard: Shard = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not the JSON of `mint code --format json`",
                path.display()
            )
        })?;
        if shard.schema_version != SCHEMA_VERSION {
            bail!(
                "{}: schema_version {} (this mint reads {})",
                path.display(),
                shard.schema_version,
                SCHEMA_VERSION
            );
        }
        if shard.participants.is_none() {
            bail!(
                "{}: has no participant tallies (written with --min-cell?); rerun without it",
                path.display()
            );
        }
        shards.push((path, shard));
    }
    let (first_path, first) = &shards[0];
    for (path, shard) in &shards[1..] {
        let same = shard.codebook.name == first.codebook.name
            && shard.codebook.version == first.codebook.version
            && shard.themes == first.themes
            && shard.codes == first.codes
            && shard.unit == first.unit;
        if !same {
            bail!(
                "{} and {} were coded with different codebooks or units; only runs of one codebook merge",
                first_path.display(),
                path.display()
            );
        }
        if !same_counting(&shard.coding, &first.coding) {
            bail!(
                "{} ({}) and {} ({}) were coded with different --primary or --min-score; only runs counted alike merge",
                first_path.display(),
                describe(&first.coding),
                path.display(),
                describe(&shard.coding)
            );
        }
    }
    let codebook = Codebook {
        codebook: Meta {
            name: first.codebook.name.clone(),
            version: first.codebook.version.clone(),
            ..Meta::default()
        },
        themes: first
            .themes
            .iter()
            .map(|t| Theme {
                id: t.id.clone(),
                label: t.label.clone(),
                ..Theme::default()
            })
            .collect(),
        codes: first
            .codes
            .iter()
            .map(|c| Code {
                id: c.id.clone(),
                theme: c.theme.clone(),
                label: c.label.clone(),
                origin: c.origin,
                parent: c.parent.clone(),
                ..Code::default()
            })
            .collect(),
        source: first.codebook.source.clone(),
        ..Codebook::default()
    };
    let theme_index: BTreeMap<&str, usize> = codebook
        .themes
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let code_index: BTreeMap<&str, usize> = codebook
        .codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut tally = Tally::default();
    let mut attributes: BTreeMap<String, Attributes> = BTreeMap::new();
    let mut summary = Summary::default();
    for (path, shard) in &shards {
        summary.files += shard.summary.files;
        summary.segments += shard.summary.segments;
        summary.coded_segments += shard.summary.coded_segments;
        for p in shard.participants.iter().flatten() {
            let mut counts = Counts {
                segments: p.segments,
                coded_segments: p.coded_segments,
                theme_refs: vec![0; codebook.themes.len()],
                code_refs: vec![0; codebook.codes.len()],
                ..Counts::default()
            };
            for (id, n) in &p.themes {
                let i = theme_index
                    .get(id.as_str())
                    .with_context(|| format!("{}: unknown theme {id:?}", path.display()))?;
                counts.theme_refs[*i] = *n;
            }
            for (id, n) in &p.codes {
                let i = code_index
                    .get(id.as_str())
                    .with_context(|| format!("{}: unknown code {id:?}", path.display()))?;
                counts.code_refs[*i] = *n;
            }
            tally.add(&p.id, &counts);
            match attributes.get(&p.id) {
                Some(known) if known != &p.attributes => out.warn(&format!(
                    "{}: participant {:?} has different attributes in another shard; the first shard's are used",
                    path.display(),
                    p.id
                )),
                Some(_) => {}
                None => {
                    attributes.insert(p.id.clone(), p.attributes.clone());
                }
            }
        }
    }
    summary.participants = attributes.len();
    let by = args.by.clone().unwrap_or_else(|| first.breakdown.clone());
    let by: Vec<String> = by
        .iter()
        .map(|a| a.trim().to_lowercase())
        .filter(|a| !a.is_empty())
        .collect();
    if args.by.is_some() {
        for attribute in &by {
            mint::groups::check_attribute(attribute, &attributes).context("--by")?;
        }
    }
    let matrix = tally::matrix(&tally, &attributes, &by, &codebook);
    let report = ThemeMatrix {
        matrix: &matrix,
        codebook: &codebook,
        unit: &first.unit,
        summary: &summary,
        stats: None,
        suppress: Suppress(0),
        tallies: (&tally, &attributes),
        long: args.long,
        counting: first.coding,
    };
    render::emit(out, args.format.format, &report)?;
    Ok(Status::Ok)
}

/// Whether two shards counted alike: the same `--primary`, and the same
/// `--min-score` to the thousandth a score is kept in.
fn same_counting(a: &Counting, b: &Counting) -> bool {
    let min = |c: &Counting| c.min_score.map(Score::from_f64);
    a.primary == b.primary && min(a) == min(b)
}

/// A shard's counting settings as flags: `--primary --min-score 0.5`, or
/// `no --primary or --min-score`.
fn describe(c: &Counting) -> String {
    let mut flags = Vec::new();
    if c.primary {
        flags.push("--primary".to_string());
    }
    if let Some(min) = c.min_score {
        flags.push(format!("--min-score {}", Score::from_f64(min)));
    }
    if flags.is_empty() {
        "no --primary or --min-score".to_string()
    } else {
        flags.join(" ")
    }
}
