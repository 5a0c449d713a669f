//! `mint learn --suggest-next`: the segments to hand-code next, written as
//! a template (a CSV, or a REFI-QDA project to code in a QDA program), and
//! a filled-in template read back as the segments it lists. Which segments
//! is [`mint::learn::next`].

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};

use mint::agree::{CodingSet, Source};
use mint::attributes::{Attributes, PARTICIPANT};
use mint::codebook::{Code, Codebook, Theme};
use mint::learn::model::Model;
use mint::learn::next::{CodeScore, MARKER_CODE};

use super::Segment;
use crate::render;

/// The columns of the CSV template, `code` last (left empty to fill in).
const COLUMNS: [&str; 9] = [
    "file",
    "start",
    "end",
    "participant",
    "group",
    "uncertainty",
    "likely",
    "text",
    "code",
];

/// A `--from` that is a `--suggest-next` template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Template {
    /// The CSV: its header has `uncertainty` and `likely`.
    Csv,
    /// A project with the code [`MARKER_CODE`], and the spans (file, code
    /// points) of the passages it marks, whoever marked them (--coder picks
    /// the human's codings, and mint made the marker's).
    Project(Vec<(String, (usize, usize))>),
}

/// What -o holds with --suggest-next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Csv,
    Qdpx,
}

/// The template format -o names: `.csv` (or stdout) or `.qdpx`.
pub(super) fn format(path: &Path) -> anyhow::Result<Format> {
    let ext = path
        .extension()
        .filter(|_| path != Path::new("-"))
        .map(|e| e.to_string_lossy().to_lowercase());
    match ext.as_deref() {
        None | Some("csv") => Ok(Format::Csv),
        Some("qdpx") => Ok(Format::Qdpx),
        Some(other) => bail!(
            "-o {}: mint does not write .{other} files here; with --suggest-next, -o writes .csv or .qdpx",
            path.display()
        ),
    }
}

/// Whether the codings file at `path` is a template of `--suggest-next`.
pub(super) fn template_kind(path: &Path) -> anyhow::Result<Option<Template>> {
    let shown = path.display();
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {shown}"))?;
    if is_project(path) {
        let project = mint::exchange::read_project(&bytes).with_context(|| shown.to_string())?;
        // Wherever a QDA program put it in the code tree.
        fn marked(codes: &[mint::exchange::ProjectCode]) -> bool {
            codes
                .iter()
                .any(|c| c.name == MARKER_CODE || marked(&c.children))
        }
        if !marked(&project.codes) {
            return Ok(None);
        }
        let all = mint::exchange::project_codings(&project, None, None)
            .with_context(|| shown.to_string())?;
        let spans = all
            .codings
            .into_iter()
            .filter(|c| c.code == MARKER_CODE)
            .filter_map(|c| Some((c.file, (c.start?, c.end?))))
            .collect();
        return Ok(Some(Template::Project(spans)));
    }
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes.as_slice());
    let Ok(header) = csv.headers() else {
        // The codings reader says what is wrong with it.
        return Ok(None);
    };
    let has = |name: &str| header.iter().any(|h| h.trim() == name);
    Ok((has("uncertainty") && has("likely")).then_some(Template::Csv))
}

fn is_project(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("qdpx"))
}

/// The segments a filled-in template lists, as (file, code-point span),
/// taking the marker code out of `set` (read from the same file).
pub(super) fn reviewed_spans(kind: Template, set: &mut CodingSet) -> Vec<(String, (usize, usize))> {
    let mut spans: Vec<(String, (usize, usize))> = match kind {
        // Every row is a segment picked, whatever its code (or none).
        Template::Csv => set
            .codings
            .iter()
            .map(|c| (c.file.clone(), (c.start, c.end)))
            .collect(),
        Template::Project(spans) => spans,
    };
    let marker = mint::codebook::slug(MARKER_CODE);
    set.codings.retain(|c| c.code != marker);
    set.codes.retain(|c| c.id != marker);
    spans.sort();
    spans.dedup();
    spans
}

/// The `n` segments picked, each with its uncertainty and the codes the
/// model would give it.
pub(super) struct Picked<'a> {
    pub(super) segment: &'a Segment,
    pub(super) uncertainty: f64,
    pub(super) likely: Vec<&'a str>,
}

/// Picks the `n` segments of `uncoded` to hand-code next.
pub(super) fn pick<'a>(model: &'a Model, uncoded: &'a [Segment], n: usize) -> Vec<Picked<'a>> {
    use mint::learn::apply::Scorer;
    use mint::learn::next::{Candidate, pick_next};
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
            group: &s.group,
            scores,
        })
        .collect();
    pick_next(&candidates, n)
        .into_iter()
        .map(|pick| Picked {
            segment: &uncoded[pick.candidate],
            uncertainty: pick.uncertainty,
            likely: scores[pick.candidate]
                .iter()
                .zip(&model.codes)
                .filter(|(x, _)| x.probability >= x.threshold)
                .map(|(_, c)| c.id.as_str())
                .collect(),
        })
        .collect()
}

/// The CSV template: a row per segment picked, `code` empty.
pub(super) fn write_csv(w: &mut dyn Write, picked: &[Picked]) -> anyhow::Result<()> {
    let mut csv = render::csv::Writer::new(w);
    csv.write_record(COLUMNS)?;
    for p in picked {
        let s = p.segment;
        csv.write_record([
            s.file.as_str(),
            &s.chars.0.to_string(),
            &s.chars.1.to_string(),
            &s.participant,
            &s.group,
            &format!("{:.3}", p.uncertainty),
            &p.likely.join(";"),
            &s.example.text,
            "",
        ])?;
    }
    csv.flush()?;
    Ok(())
}

/// The project template: the transcripts with a segment picked, whole (for
/// context), each picked segment coded with [`MARKER_CODE`] and a memo of
/// its uncertainty and the codes the model would give; the codebook with
/// the model's own codes, and the marker in a folder of its own; the
/// participants as cases.
pub(super) fn project(
    picked: &[Picked],
    sources: &[Source],
    participants: &BTreeMap<String, Attributes>,
    model: &Model,
    codebook: &Codebook,
    path: &Path,
) -> anyhow::Result<Vec<u8>> {
    use mint::exchange::{CodedBy, QdpxWriter, StudyCase, StudyCoding, StudySource};
    let (mut book, _) = mint::learn::apply::extend(codebook, model);
    let marker = marker_code();
    book.themes.push(Theme {
        id: marker.theme.clone(),
        label: "mint".to_string(),
        ..Theme::default()
    });
    book.codes.push(marker.clone());
    let mut by_file: BTreeMap<&str, Vec<&Picked>> = BTreeMap::new();
    for p in picked {
        by_file.entry(p.segment.file.as_str()).or_default().push(p);
    }
    let mut writer = QdpxWriter::new(std::io::Cursor::new(Vec::new()));
    let mut cases = BTreeMap::new();
    // In the transcripts' order, each once.
    for source in sources {
        let Some(picks) = by_file.get_mut(source.transcript.path.as_str()) else {
            continue;
        };
        picks.sort_by_key(|p| p.segment.bytes);
        let codings = picks
            .iter()
            .map(|p| StudyCoding {
                start: p.segment.bytes.0,
                end: p.segment.bytes.1,
                code: marker.id.clone(),
                by: CodedBy::Note { note: memo(p) },
            })
            .collect();
        for id in &source.participants {
            let attributes = participants.get(id).cloned().unwrap_or_default();
            cases.insert(id.clone(), attributes);
        }
        writer.add_source(&StudySource {
            name: source.transcript.path.clone(),
            text: source.transcript.text.clone(),
            participants: source.participants.clone(),
            codings,
        })?;
    }
    let cases: Vec<StudyCase> = cases
        .into_iter()
        .map(|(id, attributes)| StudyCase {
            id,
            attributes: attributes
                .into_iter()
                .filter(|(k, _)| k != PARTICIPANT)
                .collect(),
        })
        .collect();
    let name = path.file_stem().map_or("mint: code next".into(), |s| {
        s.to_string_lossy().into_owned()
    });
    let (bytes, _) = writer
        .finish(&name, &book, &cases)
        .context("cannot make the project")?;
    Ok(bytes.into_inner())
}

/// The marker code, as the project's codebook has it.
fn marker_code() -> Code {
    Code {
        id: mint::codebook::slug(MARKER_CODE),
        theme: "mint".to_string(),
        label: MARKER_CODE.to_string(),
        definition: "A passage mint asks you to code next: code it with the study's codes (or \
                     with none), keep this code on it, export the project and give it to `mint \
                     learn` as another --from."
            .to_string(),
        ..Code::default()
    }
}

/// A picked segment's memo: its uncertainty and the codes the model would
/// give it.
fn memo(p: &Picked) -> String {
    let likely = if p.likely.is_empty() {
        "none".to_string()
    } else {
        p.likely.join(", ")
    };
    format!(
        "{}: code this passage next (the model's uncertainty {:.3}; it would give: {likely}).",
        mint::exchange::mint_user(),
        p.uncertainty
    )
}
