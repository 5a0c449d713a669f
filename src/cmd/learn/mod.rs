//! `mint learn`: learn a study's codes from the segments a researcher coded
//! by hand, measure how well that works (`--cv`), and write a model that
//! `mint code --model` codes the rest with.
//!
//! This file reads the transcripts and the human codings, places the
//! codings on segments ([`mint::agree::align`], as `mint agree` does) and
//! renders; [`mint::learn`] does the learning.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};

use mint::agree::{self, CodingSet, Grain, Source};
use mint::learn::evaluate::{CrossValidation, cross_validate};
use mint::learn::model::Model;
use mint::learn::{Dataset, Example, LEARNED_THEME, LearnCode, Options};
use mint::matcher::{Hit, Matcher};

use crate::args::{
    ByArgs, CodebookArgs, CorpusArgs, FormatArgs, UnitArgs, check_output_path, read_human_set,
};
use crate::render::{self, Output, Status};

mod next;
mod report;

use report::{Base, CvReport, TrainReport};

/// Learn a study's codes from hand-coded segments, and say how well.
///
/// Reads the transcripts (PATH) and the codes a researcher gave some of
/// their participant segments (--from: a codings CSV, a `file,start,end,code`,
/// `file,turn,code` or `participant,turn,code` sheet, or a `.qdpx` project
/// with --coder). Every segment of the transcripts is a training example:
/// one the researcher did not code is an example of no code. For each code
/// used on at least --min-examples segments, a logistic regression
/// (L2-regularised, class-balanced) learns it from the segment's words
/// (TF-IDF of word unigrams and bigrams, tokenised and case-folded as `mint
/// emerge` does) and from which codebook codes' patterns matched it; the
/// decision threshold of each code is the one that maximises F1 in a
/// cross-validation inside the training data.
///
/// A human code that the codebook has (by id or label) keeps its id and
/// theme; any other is learned too, under the theme `learned`, its id the
/// slug of its name.
///
/// With --cv K, nothing is written: K-fold cross-validation, folds grouped
/// by participant, reports per code precision, recall, F1 and Cohen's kappa
/// against the human (all test segments pooled), micro-F1, macro-F1 and mean
/// kappa; a learning curve (10%, 25%, 50%, 75% of the training participants);
/// and each code's kappa when the human labels are shuffled within
/// participants (a permutation baseline), flagging codes no better than it.
/// Without --cv, the model is trained on everything and written to -o.
#[derive(Debug, clap::Args)]
#[command(mut_arg("by", |a| a.help(
    "With --suggest-next, spread the picks over the groups of these attributes \
     (comma-separated; '' for none). Default: level and sector, those of them that any \
     participant has",
).requires("suggest_next")))]
#[command(after_long_help = "\
Exit status: 0 on success, 2 on an error (no code with enough examples, a
file that cannot be read).

Examples:
  mint learn transcripts/ --from coded.csv --cv 5
  mint learn transcripts/ --from coded.csv -o model.json
  mint learn transcripts/ --from coded.csv --suggest-next 40 --by level -o next.qdpx
  mint learn transcripts/ --from coded.csv --from next-coded.qdpx -o model.json
  mint learn comments.csv --text-column feedback --id-column row_index --from labels.csv --cv 5 --format csv
  mint code new-transcripts/ --model model.json --codings codings.csv")]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,

    /// The human codings to learn from: a codings CSV or sheet, or a
    /// REFI-QDA project (`.qdpx`, whose texts are then the transcripts).
    /// Repeatable: a --suggest-next template, filled in, adds the segments
    /// it lists (and only those: a template says nothing of the rest of
    /// their participants' talk).
    #[arg(long, value_name = "HUMAN", required = true)]
    from: Vec<PathBuf>,

    /// In a `.qdpx`, only this user's codings.
    #[arg(long, value_name = "NAME")]
    coder: Option<String>,

    #[command(flatten)]
    codebook: CodebookArgs,

    #[command(flatten)]
    unit: UnitArgs,

    // The groups --suggest-next spreads its picks over.
    #[command(flatten)]
    by: ByArgs,

    /// Learn only the N codes the human used most (by segments; ties by id).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    top: Option<u64>,

    /// Skip codes the human used on fewer segments than this (listed with
    /// their counts).
    #[arg(long, value_name = "N", default_value_t = 10)]
    min_examples: usize,

    /// Cross-validate with K folds grouped by participant instead of writing
    /// a model.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(2..),
          conflicts_with = "output")]
    cv: Option<u64>,

    /// The seed of the folds and the permutation baseline.
    #[arg(long, value_name = "S", default_value_t = mint::learn::DEFAULT_SEED)]
    seed: u64,

    /// With --cv: write each segment's fold to this CSV
    /// (segment_id,participant,fold,codes,text), so another tool can be
    /// scored on the same folds.
    #[arg(long, value_name = "FILE.csv", requires = "cv")]
    folds_out: Option<PathBuf>,

    /// Write the model to this file (JSON); with --suggest-next, the
    /// template to code (.csv or .qdpx) instead.
    #[arg(short = 'o', long, value_name = "model.json")]
    output: Option<PathBuf>,

    /// Write, for each code learned, the patterns that best separate its
    /// hand-coded segments from the rest, with their precision and recall
    /// on them, as a codebook extension to review (`origin = "learned"`,
    /// `status = "candidate"`).
    #[arg(long, value_name = "FILE.toml")]
    suggest: Option<PathBuf>,

    /// Train on the segments coded so far and list the N others whose
    /// human code would teach the model most (those the model is least
    /// sure of), spread over the groups of --by and over participants, as a
    /// template written to -o: a CSV
    /// (`file,start,end,participant,group,uncertainty,likely,text,code`:
    /// fill in `code`, one code a row, copying the row for a second one,
    /// and leave it empty for none) or, for -o FILE.qdpx, a REFI-QDA
    /// project in which each segment to code carries the code `mint: code
    /// next` (code those passages in QualCoder, NVivo, ... and export the
    /// project). Learn again with the template as a second --from.
    #[arg(long, value_name = "N", requires = "output", conflicts_with = "cv")]
    suggest_next: Option<usize>,

    /// Allow -o and --folds-out to write inside an input folder.
    #[arg(long)]
    write_into_input: bool,

    #[command(flatten)]
    format: FormatArgs,
}

/// Runs `mint learn`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    if args.cv.is_none() && args.output.is_none() && args.suggest.is_none() {
        bail!(
            "nothing to do: give -o model.json to train a model, --cv K to measure, or --suggest FILE.toml"
        );
    }
    for path in [&args.output, &args.folds_out, &args.suggest]
        .into_iter()
        .flatten()
    {
        check_output_path(path, &args.corpus.paths, args.write_into_input)?;
    }
    let codebook = args.codebook.load()?;
    let matcher = Matcher::new(&codebook).context("failed to compile the codebook")?;
    let next_format = match (args.suggest_next, &args.output) {
        (Some(_), Some(path)) => Some(next::format(path)?),
        _ => None,
    };
    let Read {
        data,
        uncoded,
        failed,
        sources,
        participants,
    } = dataset(&args, &codebook, &matcher, out)?;
    let (codes, skipped) = mint::learn::select(
        &data,
        args.top.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        args.min_examples,
    );
    for s in &skipped {
        out.note(&format!(
            "skipped code {:?}: {} segments ({})",
            s.code, s.segments, s.reason
        ));
    }
    if codes.is_empty() {
        bail!(
            "no code to learn: no human code is on --min-examples {} segments of the {} read",
            args.min_examples,
            data.examples.len()
        );
    }
    let options = Options {
        seed: args.seed,
        ..Options::default()
    };
    let unit = args.unit.unit.name();
    let base = Base::of(&data, &codes, skipped, unit);
    if let Some(path) = &args.suggest {
        let text = suggestions(&data, &codes, &codebook)?;
        out.write_file(path, |w| Ok(w.write_all(text.as_bytes())?))?;
        out.note(&format!("suggested patterns written to {}", path.display()));
    }
    if let (Some(n), Some(path)) = (args.suggest_next, &args.output) {
        let model = Model::train(
            &data,
            &codes,
            base.skipped.clone(),
            &options,
            unit,
            &codebook,
        );
        let picked = next::pick(&model, &uncoded, n);
        match next_format {
            Some(next::Format::Qdpx) => {
                let bytes =
                    next::project(&picked, &sources, &participants, &model, &codebook, path)?;
                out.write_file(path, |w| Ok(w.write_all(&bytes)?))?;
            }
            _ => out.write_file(path, |w| next::write_csv(w, &picked))?,
        }
        out.note(&format!(
            "{} segments to hand-code next written to {} (of {} not yet coded)",
            picked.len(),
            path.display(),
            uncoded.len()
        ));
    } else if let Some(k) = args.cv {
        let k = usize::try_from(k).unwrap_or(usize::MAX);
        if k > data.participants.len() {
            bail!(
                "--cv {k}: there are only {} participants to put in folds",
                data.participants.len()
            );
        }
        let cv = cross_validate(&data, &codes, k, &options, true);
        if let Some(path) = &args.folds_out {
            out.write_file(path, |w| write_folds(w, &data, &codes, &cv))?;
        }
        render::emit(out, args.format.format, &CvReport { base, cv: &cv })?;
    } else if let Some(path) = &args.output {
        let skipped = base.skipped.clone();
        let model = Model::train(&data, &codes, skipped, &options, unit, &codebook);
        out.write_file(path, |w| Ok(w.write_all(&model.to_bytes())?))?;
        render::emit(
            out,
            args.format.format,
            &TrainReport {
                base,
                model: &model,
            },
        )?;
        out.flush()?;
        out.note(&format!("model {} written to {}", model.id, path.display()));
    }
    out.flush()?;
    Ok(
        if failed || (args.corpus.options.strict && out.warnings() > 0) {
            Status::Error
        } else {
            Status::Ok
        },
    )
}

/// Reads the transcripts and the human codings into a dataset: every
/// participant segment of the unit the human has coded, with the codes
/// given it, and the segments not coded yet.
///
/// A segment is coded when its participant has a coding in a --from that
/// codes whole participants (a codings CSV, a sheet, a project), or when a
/// filled-in `--suggest-next` template lists it (with or without a code):
/// a template says nothing of its participants' other segments.
fn dataset(
    args: &Args,
    codebook: &mint::codebook::Codebook,
    matcher: &Matcher,
    out: &mut Output,
) -> anyhow::Result<Read> {
    let mut failed = false;
    let mut sources = None;
    let mut participants = BTreeMap::new();
    let mut set: Option<CodingSet> = None;
    let mut turns = Vec::new();
    // Spans a template lists, per file: (start, end) in code points.
    let mut reviewed: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for path in &args.from {
        let template = next::template_kind(path)?;
        let mut human = read_human_set(
            path,
            "human".to_string(),
            args.coder.as_deref(),
            codebook,
            Some(LEARNED_THEME),
            &args.corpus.options,
            out,
        )?;
        failed |= human.failed;
        match template {
            Some(kind) => {
                let spans = next::reviewed_spans(kind, &mut human.set);
                if spans.is_empty() {
                    out.warn(&format!(
                        "{}: a --suggest-next template with no segment in it",
                        path.display()
                    ));
                }
                for (file, span) in spans {
                    reviewed.entry(file).or_default().push(span);
                }
            }
            None if sources.is_none() => {
                sources = human.sources;
                participants = human.participants;
            }
            None => {}
        }
        turns.append(&mut human.turns);
        set = Some(match set {
            None => human.set,
            Some(mut merged) => {
                for code in human.set.codes {
                    if !merged.codes.iter().any(|c| c.id == code.id) {
                        merged.codes.push(code);
                    }
                }
                merged.codings.append(&mut human.set.codings);
                merged
            }
        });
    }
    let Some(mut set) = set else {
        bail!("no --from given");
    };
    let sources = match sources {
        Some(sources) => sources,
        None => {
            let corpus = args.corpus.read(out, |_| ())?;
            failed |= args.corpus.status(&corpus.info, out) == Status::Error;
            participants = corpus.info.participants;
            corpus
                .files
                .into_iter()
                .map(|f| Source {
                    transcript: f.transcript,
                    participants: f.participants,
                })
                .collect()
        }
    };
    // A template row not filled in yet: the segment is coded with no code.
    set.codings.retain(|c| !c.code.is_empty());
    turns.retain(|t| !t.code.is_empty());
    agree::place_turns(&mut set, turns, &sources)?;
    let none = CodingSet {
        name: "none".to_string(),
        codes: set.codes.clone(),
        codings: Vec::new(),
    };
    let unit = args.unit.unit.unit();
    let alignment = agree::align(&[set, none], &sources, Grain::Segment(unit))?;
    let is_reviewed = |item: &agree::Item| {
        reviewed
            .get(&sources[item.file].transcript.path)
            .is_some_and(|spans| {
                spans
                    .iter()
                    .any(|&(s, e)| s < item.chars.1 && item.chars.0 < e)
            })
    };
    let listed: Vec<bool> = alignment.items.iter().map(is_reviewed).collect();
    // Participants the human coded at least once outside a template are
    // training data whole; of the others, only the segments a template
    // lists are, and the rest is what is left to code.
    let mut coded = vec![false; alignment.participants.len()];
    for (item, &listed) in alignment.items.iter().zip(&listed) {
        coded[item.participant] |= !listed && !item.codes[0].is_empty();
    }
    let by = match args.suggest_next {
        Some(_) => args.by.breakdown(&participants, out)?,
        None => Vec::new(),
    };
    let group_of = |id: &str| -> String {
        by.iter()
            .map(|a| {
                participants
                    .get(id)
                    .and_then(|attrs| attrs.get(a))
                    .map_or(mint::tally::MISSING, String::as_str)
            })
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let mut hits: Vec<Hit> = Vec::new();
    let mut uncoded = Vec::new();
    let mut examples: Vec<Example> = Vec::new();
    let mut trained = vec![false; alignment.participants.len()];
    for (item, &listed) in alignment.items.iter().zip(&listed) {
        let example = {
            let transcript = &sources[item.file].transcript;
            let text = &transcript.text[item.bytes.0..item.bytes.1];
            hits.clear();
            matcher.find(text, &mut hits);
            let mut matched: Vec<usize> = hits.iter().map(|h| h.code).collect();
            matched.sort_unstable();
            matched.dedup();
            Example {
                id: format!("{}:{}", transcript.path, item.chars.0),
                participant: item.participant,
                text: text.to_string(),
                matched,
                codes: item.codes[0].clone(),
            }
        };
        if coded[item.participant] || listed {
            trained[item.participant] = true;
            examples.push(example);
        } else {
            let participant = alignment.participants[item.participant].clone();
            uncoded.push(Segment {
                file: sources[item.file].transcript.path.clone(),
                chars: item.chars,
                bytes: item.bytes,
                group: group_of(&participant),
                participant,
                example,
            });
        }
    }
    let left_out = trained.iter().filter(|c| !**c).count();
    if left_out > 0 {
        out.note(&format!(
            "{left_out} participants without any human coding are not training data ({} segments not coded)",
            uncoded.len()
        ));
    }
    // Participants renumbered to those kept.
    let mut kept = Vec::new();
    let mut renumber = vec![usize::MAX; trained.len()];
    for (p, id) in alignment.participants.iter().enumerate() {
        if trained[p] {
            renumber[p] = kept.len();
            kept.push(id.clone());
        }
    }
    for e in &mut examples {
        e.participant = renumber[e.participant];
    }
    let codes = alignment
        .codes
        .iter()
        .map(|c| LearnCode {
            id: c.id.clone(),
            theme: c.theme.clone(),
            in_codebook: codebook.codes.iter().any(|k| k.id == c.id),
        })
        .collect();
    Ok(Read {
        data: Dataset {
            codes,
            participants: kept,
            examples,
            codebook_codes: codebook.codes.len(),
        },
        uncoded,
        failed,
        sources,
        participants,
    })
}

/// What [`dataset`] reads.
struct Read {
    /// The segments coded, as training data.
    data: Dataset,
    /// The segments not coded yet.
    uncoded: Vec<Segment>,
    /// Whether a file could not be read (exit 2).
    failed: bool,
    /// The transcripts.
    sources: Vec<Source>,
    /// Their participants' attributes.
    participants: BTreeMap<String, mint::attributes::Attributes>,
}

/// A segment the human has not coded.
pub(super) struct Segment {
    file: String,
    /// Its span in code points.
    chars: (usize, usize),
    /// The same span in bytes.
    bytes: (usize, usize),
    participant: String,
    /// Its participant's group: their values of the --by attributes.
    group: String,
    example: Example,
}

/// The suggested patterns of `codes` as a codebook extension.
fn suggestions(
    data: &Dataset,
    codes: &[usize],
    codebook: &mint::codebook::Codebook,
) -> anyhow::Result<String> {
    use mint::learn::suggest::{Labelled, Options as SuggestOptions, suggest, write_extension};
    let ids: Vec<Vec<String>> = data
        .examples
        .iter()
        .map(|e| e.codes.iter().map(|&c| data.codes[c].id.clone()).collect())
        .collect();
    let segments: Vec<Labelled> = data
        .examples
        .iter()
        .zip(&ids)
        .map(|(e, codes)| Labelled {
            text: &e.text,
            participant: &data.participants[e.participant],
            codes,
        })
        .collect();
    let wanted: Vec<String> = codes.iter().map(|&c| data.codes[c].id.clone()).collect();
    let options = SuggestOptions {
        spelling_variants: codebook.codebook.spelling_variants,
        ..SuggestOptions::default()
    };
    let found = suggest(&segments, &wanted, &options).context("cannot suggest patterns")?;
    Ok(write_extension(&found, codebook, "mint learn --suggest"))
}

/// `segment_id,participant,fold,codes,text`, one row per segment.
fn write_folds(
    w: &mut dyn Write,
    data: &Dataset,
    codes: &[usize],
    cv: &CrossValidation,
) -> anyhow::Result<()> {
    let mut csv = render::csv::Writer::new(w);
    csv.write_record(["segment_id", "participant", "fold", "codes", "text"])?;
    for e in &data.examples {
        let evaluated: Vec<&str> = codes
            .iter()
            .filter(|c| e.codes.contains(c))
            .map(|&c| data.codes[c].id.as_str())
            .collect();
        csv.write_record([
            e.id.as_str(),
            &data.participants[e.participant],
            &cv.participant_fold[e.participant].to_string(),
            &evaluated.join(";"),
            &e.text,
        ])?;
    }
    csv.flush()?;
    Ok(())
}
