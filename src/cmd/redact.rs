//! `mint redact`: redacted copies of transcripts, every likely identifier
//! replaced by a pseudonym that is the same across the study, and the key
//! (pseudonym -> original) in a separate, owner-only file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use mint::disclosure::Finding;
use mint::disclosure::redact::{Pseudonyms, redact_transcript};
use mint::formats::Format;

use crate::args::{CorpusOptions, DisclosureArgs};
use crate::render::{self, Output, Status};

/// Write redacted copies of transcripts, with pseudonyms and a key.
///
/// Finds what `mint scan` finds and writes each transcript to OUTDIR with
/// every finding replaced: people by `[PERSON n]` (the same person the same
/// n in every file; a speaker label by `Person n`), the study list's
/// entries by `[PLACE n]`, the rest by their kind (`[PHONE]`, `[EMAIL]`,
/// `[NHS NUMBER]`, `[POSTCODE]`, `[NI NUMBER]`, `[DATE]`, `[URL]`).
/// Plain-text transcripts keep their layout and front matter; Word, ODT,
/// caption and survey files are written as plain text (`name.txt`) with
/// the same turns, one `Label: text` paragraph each, so that they read and
/// code as the originals do.
///
/// The key is a CSV (pseudonym, kind, original) readable by its owner only;
/// it is never written inside the input or output folders and never over
/// an existing file without --force. The input is never modified.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint redact transcripts/ -o redacted/
  mint redact transcripts/ -o redacted/ --names study-names.txt --key ~/secure/key.csv
  mint scan redacted/   # what the lists did not catch")]
pub struct Args {
    /// Transcript files or folders (as for `mint code`).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// The folder for the redacted copies (created if missing; never
    /// inside an input folder).
    #[arg(short = 'o', long = "out", value_name = "OUTDIR")]
    out_dir: PathBuf,

    /// The key file (default: OUTDIR's name with `-key.csv`, beside it).
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,

    /// Replace an existing key file and existing copies in OUTDIR.
    #[arg(long)]
    force: bool,

    #[command(flatten)]
    corpus: CorpusOptions,

    #[command(flatten)]
    disclosure: DisclosureArgs,
}

/// What the pipeline's workers find in one file.
#[derive(Debug, Serialize, Deserialize)]
struct Found {
    /// Findings in the text.
    spans: Vec<Finding>,
    /// Speaker labels that look like names, with their keys.
    labels: BTreeMap<String, String>,
}

/// Runs `mint redact`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let scanner = args.disclosure.scanner()?;
    let out_dir = absolute(&args.out_dir)?;
    for input in &args.paths {
        let input = absolute(input)?;
        if out_dir.starts_with(&input) || input.starts_with(&out_dir) && input != out_dir {
            anyhow::bail!(
                "refusing to write the redacted copies to {}: it is inside the input {} (or holds it)",
                args.out_dir.display(),
                input.display()
            );
        }
    }
    let key = match &args.key {
        Some(k) => k.clone(),
        None => default_key(&args.out_dir)?,
    };
    check_key(&key, &out_dir, &args.paths, args.force)?;
    std::fs::create_dir_all(&args.out_dir)
        .with_context(|| format!("cannot create {}", args.out_dir.display()))?;

    let mut pseudonyms = Pseudonyms::new();
    let (mut files, mut replaced, mut as_text) = (0, 0, Vec::new());
    let info = args.corpus.stream(
        &args.paths,
        out,
        None,
        None,
        |t| find(t, &scanner),
        |_, file| {
            let findings = file.result.spans;
            let plain = file.source.format == Format::Plain;
            let relative = relative_name(&file.source.path, &args.paths);
            let text = redact_transcript(
                &file.transcript,
                &findings,
                &file.result.labels,
                plain,
                &mut pseudonyms,
            );
            let name = if plain {
                relative
            } else {
                let name = text_name(&relative);
                as_text.push(format!("{relative} -> {name}"));
                name
            };
            let target = args.out_dir.join(&name);
            // Never outside OUTDIR, whatever the name.
            anyhow::ensure!(
                absolute(&target)?.starts_with(&out_dir),
                "refusing to write {}: outside {}",
                target.display(),
                args.out_dir.display()
            );
            if target.exists() && !args.force {
                anyhow::bail!(
                    "refusing to overwrite {} (pass --force to replace it)",
                    target.display()
                );
            }
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            render::write_atomic(&target, |w| Ok(w.write_all(text.as_bytes())?))?;
            files += 1;
            replaced += findings.len() + file.result.labels.len();
            Ok(())
        },
    )?;
    render::write_private(&key, |w| render::csv::write_rows(w, pseudonyms.key()))?;
    if !as_text.is_empty() {
        out.note(&format!(
            "written as plain text with the same turns: {}",
            as_text.join(", ")
        ));
    }
    out.note(&format!(
        "{files} file{} written to {}, {replaced} identifier{} replaced; the key is {} (owner-only: keep it apart from the copies)",
        if files == 1 { "" } else { "s" },
        args.out_dir.display(),
        if replaced == 1 { "" } else { "s" },
        key.display()
    ));
    Ok(args.corpus.status(&info, out))
}

fn find(t: &mint::corpus::Transcript, scanner: &mint::disclosure::Scanner) -> Found {
    let mut found = Found {
        spans: Vec::new(),
        labels: BTreeMap::new(),
    };
    for l in scanner.scan_transcript(t) {
        let f = l.finding;
        match l.label {
            Some(label) => {
                found.labels.insert(label, f.key);
            }
            None => found.spans.push(f),
        }
    }
    found
}

/// Where a file goes under OUTDIR: its path under the input folder it was
/// found in, or its file name when it was named itself; `/`-separated, with
/// nothing but plain components.
fn relative_name(path: &Path, inputs: &[PathBuf]) -> String {
    let under = inputs
        .iter()
        .filter(|i| i.is_dir())
        .find_map(|i| path.strip_prefix(i).ok())
        .filter(|r| !r.as_os_str().is_empty());
    let rel = under.unwrap_or_else(|| Path::new(path.file_name().unwrap_or(path.as_os_str())));
    rel.components()
        .filter_map(|c| match c {
            std::path::Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// `P1.odt` -> `P1.txt`; `sub/P1.docx` -> `sub/P1.txt`.
fn text_name(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() && !stem.ends_with('/') => format!("{stem}.txt"),
        _ => format!("{name}.txt"),
    }
}

/// A path made absolute and as canonical as the part of it that exists.
fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    let path =
        std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))?;
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(path.clone()),
        }
    }
    let mut out = existing.canonicalize()?;
    out.extend(rest.iter().rev());
    Ok(out)
}

/// `redacted/` -> `redacted-key.csv` beside it.
fn default_key(out_dir: &Path) -> anyhow::Result<PathBuf> {
    let dir = absolute(out_dir)?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .context("OUTDIR has no name: pass --key")?;
    Ok(dir.with_file_name(format!("{name}-key.csv")))
}

/// Refuses a key inside the input or output folders, or over a file.
fn check_key(key: &Path, out_dir: &Path, inputs: &[PathBuf], force: bool) -> anyhow::Result<()> {
    let abs = absolute(key)?;
    let dirs = inputs
        .iter()
        .map(|p| {
            let a = absolute(p)?;
            Ok(if a.is_dir() {
                a
            } else {
                a.parent().map(Path::to_path_buf).unwrap_or(a)
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    for dir in dirs.iter().chain([&out_dir.to_path_buf()]) {
        if abs.starts_with(dir) {
            anyhow::bail!(
                "refusing to write the key {} inside {}: keep it apart from the transcripts (--key FILE)",
                key.display(),
                dir.display()
            );
        }
    }
    if abs.exists() && !force {
        anyhow::bail!(
            "refusing to overwrite the key {} (pass --force to replace it)",
            key.display()
        );
    }
    Ok(())
}
