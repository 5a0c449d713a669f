//! `mint learn`: learn a study's codes from the segments a researcher coded
//! by hand, measure how well that works (`--cv`), and write a model that
//! `mint code --model` codes the rest with.
//!
//! This file reads the transcripts and the human codings, places the
//! codings on segments ([`mint::agree::align`], as `mint agree` does) and
//! renders; [`mint::learn`] does the learning.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use comfy_table::Cell;
use serde::Serialize;

use mint::agree::{self, CodingSet, Grain, Source};
use mint::learn::evaluate::{CrossValidation, Figures, Summary, cross_validate};
use mint::learn::model::Model;
use mint::learn::{Dataset, Example, LEARNED_THEME, LearnCode, Options, Skipped};
use mint::matcher::{Hit, Matcher};

use crate::args::{
    CodebookArgs, CorpusArgs, FormatArgs, UnitArgs, check_output_path, read_human_set,
};
use crate::render::{self, Output, Report, Status, table};

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
#[command(after_long_help = "\
Exit status: 0 on success, 2 on an error (no code with enough examples, a
file that cannot be read).

Examples:
  mint learn transcripts/ --from coded.csv --cv 5
  mint learn transcripts/ --from coded.csv -o model.json
  mint learn comments.csv --text-column feedback --id-column row_index --from labels.csv --cv 5 --format csv
  mint code new-transcripts/ --model model.json --codings codings.csv")]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,

    /// The human codings to learn from: a codings CSV or sheet, or a
    /// REFI-QDA project (`.qdpx`, whose texts are then the transcripts).
    #[arg(long, value_name = "HUMAN", required = true)]
    from: PathBuf,

    /// In a `.qdpx`, only this user's codings.
    #[arg(long, value_name = "NAME")]
    coder: Option<String>,

    #[command(flatten)]
    codebook: CodebookArgs,

    #[command(flatten)]
    unit: UnitArgs,

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
    /// codings template (CSV) instead.
    #[arg(short = 'o', long, value_name = "model.json")]
    output: Option<PathBuf>,

    /// Write, for each code learned, the patterns that best separate its
    /// hand-coded segments from the rest, with their precision and recall
    /// on them, as a codebook extension to review (`origin = "learned"`,
    /// `status = "candidate"`).
    #[arg(long, value_name = "FILE.toml")]
    suggest: Option<PathBuf>,

    /// Train on the hand-coded participants and list the N segments of the
    /// others whose human code would teach the model most (the model least
    /// sure of them, spread over participants), as a codings template
    /// (`file,start,end,participant,uncertainty,likely,text,code`) written
    /// to -o: fill in `code` and learn again with it added to --from.
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
    let (data, uncoded, failed) = dataset(&args, &codebook, &matcher, out)?;
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
        out.write_file(path, |w| write_next(w, &model, &uncoded, n))?;
        out.note(&format!(
            "{} segments to hand-code next written to {} (of {} not yet coded)",
            n.min(uncoded.len()),
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
/// participant segment of the unit, with the codes the human gave it.
fn dataset(
    args: &Args,
    codebook: &mint::codebook::Codebook,
    matcher: &Matcher,
    out: &mut Output,
) -> anyhow::Result<(Dataset, Vec<Segment>, bool)> {
    let human = read_human_set(
        &args.from,
        "human".to_string(),
        args.coder.as_deref(),
        codebook,
        Some(LEARNED_THEME),
        &args.corpus.options,
        out,
    )?;
    let mut failed = human.failed;
    let sources = match human.sources {
        Some(sources) => sources,
        None => {
            let corpus = args.corpus.read(out, |_| ())?;
            failed |= args.corpus.status(&corpus.info, out) == Status::Error;
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
    let mut set = human.set;
    // A template row not filled in yet.
    set.codings.retain(|c| !c.code.is_empty());
    agree::place_turns(&mut set, human.turns, &sources)?;
    let none = CodingSet {
        name: "none".to_string(),
        codes: set.codes.clone(),
        codings: Vec::new(),
    };
    let unit = args.unit.unit.unit();
    let alignment = agree::align(&[set, none], &sources, Grain::Segment(unit))?;
    // Only participants the human coded at least once are training data;
    // the others' segments are what is left to code.
    let mut coded = vec![false; alignment.participants.len()];
    for item in &alignment.items {
        coded[item.participant] |= !item.codes[0].is_empty();
    }
    let mut hits: Vec<Hit> = Vec::new();
    let mut uncoded = Vec::new();
    let mut examples: Vec<Example> = Vec::new();
    for item in &alignment.items {
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
        if coded[item.participant] {
            examples.push(example);
        } else {
            uncoded.push(Segment {
                file: sources[item.file].transcript.path.clone(),
                chars: item.chars,
                participant: alignment.participants[item.participant].clone(),
                example,
            });
        }
    }
    let left_out = coded.iter().filter(|c| !**c).count();
    if left_out > 0 {
        out.note(&format!(
            "{left_out} participants without any human coding are not training data ({} segments)",
            uncoded.len()
        ));
    }
    // Participants renumbered to those kept.
    let mut kept = Vec::new();
    let mut renumber = vec![usize::MAX; coded.len()];
    for (p, id) in alignment.participants.iter().enumerate() {
        if coded[p] {
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
    Ok((
        Dataset {
            codes,
            participants: kept,
            examples,
            codebook_codes: codebook.codes.len(),
        },
        uncoded,
        failed,
    ))
}

/// A segment of a participant the human has not coded.
struct Segment {
    file: String,
    /// Its span in code points.
    chars: (usize, usize),
    participant: String,
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

/// The codings template of `--suggest-next`: the `n` segments picked.
fn write_next(
    w: &mut dyn Write,
    model: &Model,
    uncoded: &[Segment],
    n: usize,
) -> anyhow::Result<()> {
    use mint::learn::apply::Scorer;
    use mint::learn::next::{Candidate, CodeScore, pick_next};
    let scorer = Scorer::new(model);
    let scores: Vec<Vec<CodeScore>> = uncoded
        .iter()
        .map(|s| {
            let row = scorer.features(&s.example.text, &s.example.matched);
            scorer
                .probabilities(&row)
                .into_iter()
                .zip(&model.codes)
                .map(|(probability, c)| CodeScore {
                    probability,
                    threshold: c.threshold,
                })
                .collect()
        })
        .collect();
    let candidates: Vec<Candidate> = uncoded
        .iter()
        .zip(&scores)
        .map(|(s, scores)| Candidate {
            segment: &s.example.id,
            participant: &s.participant,
            group: "",
            scores,
        })
        .collect();
    let mut csv = render::csv::Writer::new(w);
    csv.write_record([
        "file",
        "start",
        "end",
        "participant",
        "uncertainty",
        "likely",
        "text",
        "code",
    ])?;
    for pick in pick_next(&candidates, n) {
        let s = &uncoded[pick.candidate];
        let likely: Vec<&str> = scores[pick.candidate]
            .iter()
            .zip(&model.codes)
            .filter(|(x, _)| x.probability >= x.threshold)
            .map(|(_, c)| c.id.as_str())
            .collect();
        csv.write_record([
            s.file.as_str(),
            &s.chars.0.to_string(),
            &s.chars.1.to_string(),
            &s.participant,
            &format!("{:.3}", pick.uncertainty),
            &likely.join(";"),
            &s.example.text,
            "",
        ])?;
    }
    csv.flush()?;
    Ok(())
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

/// What both reports say: the data and the codes.
#[derive(Debug, Serialize)]
struct Base {
    unit: String,
    segments: usize,
    participants: usize,
    codes: Vec<LearnCode>,
    /// Segments the human coded with each code of `codes`.
    counts: Vec<usize>,
    skipped: Vec<Skipped>,
}

impl Base {
    fn of(data: &Dataset, codes: &[usize], skipped: Vec<Skipped>, unit: &str) -> Base {
        let counts = data.counts();
        Base {
            unit: unit.to_string(),
            segments: data.examples.len(),
            participants: data.participants.len(),
            codes: codes.iter().map(|&c| data.codes[c].clone()).collect(),
            counts: codes.iter().map(|&c| counts[c]).collect(),
            skipped,
        }
    }
}

/// The columns of the `--cv` table.
const CV_COLUMNS: [&str; 9] = [
    "code",
    "theme",
    "segments",
    "precision",
    "recall",
    "F1",
    "kappa",
    "permuted kappa",
    "flag",
];

/// The columns of the training table.
const TRAIN_COLUMNS: [&str; 9] = [
    "code",
    "theme",
    "origin",
    "segments",
    "threshold",
    "precision",
    "recall",
    "F1",
    "kappa",
];

/// A figure to three decimals, or `-`.
fn fixed(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |x| format!("{x:.3}"))
}

/// A figure to three decimals for JSON and CSV (`None` stays empty).
fn round(x: Option<f64>) -> Option<f64> {
    x.map(|x| (x * 1000.0).round() / 1000.0)
}

/// One row of the CSV of `mint learn --cv`: a code, an average or a point
/// of the learning curve (`kind` = `code`, `average`, `curve`).
#[derive(Debug, Serialize)]
struct CvRow<'a> {
    kind: &'a str,
    code: &'a str,
    theme: &'a str,
    share: Option<f64>,
    participants: Option<f64>,
    segments: Option<f64>,
    positives: Option<usize>,
    precision: Option<f64>,
    recall: Option<f64>,
    f1: Option<f64>,
    kappa: Option<f64>,
    permuted_kappa: Option<f64>,
    guessing: Option<bool>,
}

/// The report of `mint learn --cv`.
struct CvReport<'a> {
    base: Base,
    cv: &'a CrossValidation,
}

impl CvReport<'_> {
    fn rows(&self) -> Vec<CvRow<'_>> {
        let mut rows = Vec::new();
        for (k, code) in self.base.codes.iter().enumerate() {
            let f = &self.cv.codes[k];
            rows.push(CvRow {
                kind: "code",
                code: &code.id,
                theme: &code.theme,
                share: None,
                participants: None,
                segments: None,
                positives: Some(self.base.counts[k]),
                precision: round(f.precision),
                recall: round(f.recall),
                f1: round(f.f1),
                kappa: round(f.kappa),
                permuted_kappa: round(self.cv.permuted[k].kappa),
                guessing: Some(self.cv.guessing(k)),
            });
        }
        let average = |code: &'static str,
                       f1: Option<f64>,
                       kappa: Option<f64>,
                       permuted: Option<f64>| CvRow {
            kind: "average",
            code,
            theme: "",
            share: None,
            participants: None,
            segments: None,
            positives: None,
            precision: None,
            recall: None,
            f1: round(f1),
            kappa: round(kappa),
            permuted_kappa: round(permuted),
            guessing: None,
        };
        let s = &self.cv.summary;
        rows.push(average("micro", s.micro_f1, None, None));
        rows.push(average(
            "macro",
            s.macro_f1,
            s.mean_kappa,
            self.cv.permuted_summary.mean_kappa,
        ));
        for p in &self.cv.curve {
            rows.push(CvRow {
                kind: "curve",
                code: "",
                theme: "",
                share: Some(p.share),
                participants: Some((p.participants * 10.0).round() / 10.0),
                segments: Some((p.segments * 10.0).round() / 10.0),
                positives: None,
                precision: None,
                recall: None,
                f1: round(p.summary.micro_f1),
                kappa: round(p.summary.mean_kappa),
                permuted_kappa: None,
                guessing: None,
            });
        }
        rows
    }
}

/// The JSON body of `mint learn --cv --format json`.
#[derive(Serialize)]
struct CvJson<'a> {
    folds: usize,
    #[serde(flatten)]
    base: &'a Base,
    summary: &'a Summary,
    permuted_summary: &'a Summary,
    rows: Vec<CvRow<'a>>,
}

impl Report for CvReport<'_> {
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        let mut t = table::new_table(out);
        t.set_header(CV_COLUMNS.map(Cell::new));
        for (k, code) in self.base.codes.iter().enumerate() {
            let f = &self.cv.codes[k];
            t.add_row(vec![
                Cell::new(&code.id),
                Cell::new(&code.theme),
                table::number(self.base.counts[k]),
                table::number(fixed(f.precision)),
                table::number(fixed(f.recall)),
                table::number(fixed(f.f1)),
                table::number(fixed(f.kappa)),
                table::number(fixed(self.cv.permuted[k].kappa)),
                Cell::new(if self.cv.guessing(k) {
                    "no better than chance"
                } else {
                    ""
                }),
            ]);
        }
        table::write(out, &t)?;
        let s = &self.cv.summary;
        writeln!(
            out.stdout(),
            "{}-fold cross-validation grouped by participant ({} participants, {} {}s): micro-F1 {}, macro-F1 {}, mean kappa {} (permuted labels: mean kappa {})\n",
            self.cv.folds,
            self.base.participants,
            self.base.segments,
            self.base.unit,
            fixed(s.micro_f1),
            fixed(s.macro_f1),
            fixed(s.mean_kappa),
            fixed(self.cv.permuted_summary.mean_kappa),
        )?;
        let mut t = table::new_table(out);
        t.set_header(
            [
                "participants hand-coded",
                "training participants",
                "training segments",
                "micro-F1",
                "macro-F1",
                "mean kappa",
            ]
            .map(Cell::new),
        );
        for p in &self.cv.curve {
            t.add_row(vec![
                Cell::new(format!("{:.0}%", p.share * 100.0)),
                table::number(format!("{:.1}", p.participants)),
                table::number(format!("{:.1}", p.segments)),
                table::number(fixed(p.summary.micro_f1)),
                table::number(fixed(p.summary.macro_f1)),
                table::number(fixed(p.summary.mean_kappa)),
            ]);
        }
        table::write(out, &t)
    }

    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        render::csv::write_rows(w, self.rows())
    }

    fn json(&self) -> impl Serialize + '_ {
        CvJson {
            folds: self.cv.folds,
            base: &self.base,
            summary: &self.cv.summary,
            permuted_summary: &self.cv.permuted_summary,
            rows: self.rows(),
        }
    }
}

/// One code of a trained model, as reported.
#[derive(Debug, Serialize)]
struct TrainRow<'a> {
    code: &'a str,
    theme: &'a str,
    origin: &'a str,
    segments: usize,
    threshold: f64,
    precision: Option<f64>,
    recall: Option<f64>,
    f1: Option<f64>,
    kappa: Option<f64>,
}

/// The report of `mint learn -o`: the codes learned, with the figures of
/// the inner cross-validation that chose their thresholds.
struct TrainReport<'a> {
    base: Base,
    model: &'a Model,
}

impl TrainReport<'_> {
    fn rows(&self) -> Vec<TrainRow<'_>> {
        self.model
            .codes
            .iter()
            .map(|c| {
                let f: &Figures = &c.cv;
                TrainRow {
                    code: &c.id,
                    theme: &c.theme,
                    origin: &c.origin,
                    segments: c.examples,
                    threshold: (c.threshold * 1000.0).round() / 1000.0,
                    precision: round(f.precision),
                    recall: round(f.recall),
                    f1: round(f.f1),
                    kappa: round(f.kappa),
                }
            })
            .collect()
    }
}

/// The JSON body of `mint learn -o --format json`.
#[derive(Serialize)]
struct TrainJson<'a> {
    model: &'a str,
    #[serde(flatten)]
    base: &'a Base,
    rows: Vec<TrainRow<'a>>,
}

impl Report for TrainReport<'_> {
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        let mut t = table::new_table(out);
        t.set_header(TRAIN_COLUMNS.map(Cell::new));
        for r in self.rows() {
            t.add_row(vec![
                Cell::new(r.code),
                Cell::new(r.theme),
                Cell::new(r.origin),
                table::number(r.segments),
                table::number(format!("{:.3}", r.threshold)),
                table::number(fixed(r.precision)),
                table::number(fixed(r.recall)),
                table::number(fixed(r.f1)),
                table::number(fixed(r.kappa)),
            ]);
        }
        table::write(out, &t)?;
        writeln!(
            out.stdout(),
            "model {}: {} codes from {} {}s of {} participants; figures from {}-fold cross-validation inside the training data",
            self.model.id,
            self.model.codes.len(),
            self.base.segments,
            self.base.unit,
            self.base.participants,
            self.model.options.inner_folds
        )?;
        Ok(())
    }

    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        render::csv::write_rows(w, self.rows())
    }

    fn json(&self) -> impl Serialize + '_ {
        TrainJson {
            model: &self.model.id,
            base: &self.base,
            rows: self.rows(),
        }
    }
}
