//! Coding from Python: a list of texts ([`code_texts`]) or files and
//! folders with the CLI's reader ([`code_files`]), returned as columns for
//! a pandas data frame in the long codings layout. Numbers come as
//! little-endian `int64`/`float64` bytes (`numpy.frombuffer`), codes,
//! themes and rules as indexes into their categories: building the frame
//! costs little next to coding.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::Context;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use rayon::prelude::*;

use mint::attributes::Sheet;
use mint::codebook::Codebook;
use mint::coding::{Coded, Options, code_with};
use mint::corpus::{ParseOptions, Transcript, Unit};
use mint::discover::{self, Filter, Found};
use mint::error::CorpusError;
use mint::pipeline::{Event, Handler, Level, LoadedFile, Pipeline};
use mint::textpos::CharIndex;

use crate::PyCodebook;
use crate::args::ReadArgs;
use crate::errors::{UsageError, raise};

/// One coding of one text, before the columns are built.
#[derive(serde::Serialize, serde::Deserialize)]
struct Row {
    /// The segment's number in its text (or file), from 0.
    segment: u64,
    code: usize,
    pattern: usize,
    /// The matched text's byte span in the text.
    bytes: (usize, usize),
    /// The same span in code points.
    chars: (u64, u64),
    score: f64,
    turn: usize,
    who: usize,
}

/// Codes each text as one respondent's answer, in parallel with the GIL
/// released, and returns the codings' columns: `text` (index of the text),
/// `segment` (number among its id's segments in this call, from 0),
/// `code`, `theme`, `rule` (indexes into `codes`, `themes`, `rules`),
/// `start`, `end` (code points into the text), `score`, and `matched`.
#[pyfunction]
pub fn code_texts<'py>(
    py: Python<'py>,
    codebook: &PyCodebook,
    texts: Vec<String>,
    ids: Vec<String>,
    unit: &str,
) -> PyResult<Bound<'py, PyDict>> {
    if texts.len() != ids.len() {
        return Err(UsageError::new_err(format!(
            "ids: {} ids for {} texts",
            ids.len(),
            texts.len()
        )));
    }
    let unit = parse_unit(unit)?;
    let matcher = codebook.matcher.clone();
    let options = ParseOptions::default();
    let coded: Vec<(u64, Vec<Row>)> = py.detach(|| {
        texts
            .par_iter()
            .zip(ids.par_iter())
            .map(|(text, id)| {
                let transcript = Transcript::response(id, text, &options);
                let coded = code_with(&transcript, &matcher, unit, &with_codings());
                (coded.total().segments, rows(&transcript, &coded, unit))
            })
            .collect()
    });
    // Segments are numbered per id across the call, so that (id, segment)
    // names one segment even when an id has several texts.
    let mut next: HashMap<&str, u64> = HashMap::new();
    let mut columns = Columns::default();
    for (i, ((segments, rows), id)) in coded.iter().zip(&ids).enumerate() {
        let base = next.entry(id.as_str()).or_default();
        for row in rows {
            columns.text.push(i as i64);
            columns.push(row, *base, &codebook.codebook, &texts[i]);
        }
        *base += segments;
    }
    columns.into_dict(py, &codebook.codebook)
}

/// Reads and codes files and folders as `mint code` does (with its
/// reader, attributes sheet, globs and survey columns), with the GIL
/// released, and returns the codings' columns as [`code_texts`] does, with
/// `file` (its name in outputs), `id` (participant), `turn` (its index in
/// the file) and `segment` (number in the file, from 0) instead of `text`;
/// `participants`, a list of (id, attributes); and `events`, a list of
/// (level, message) as the CLI would print them.
#[pyfunction]
#[pyo3(signature = (codebook, paths, unit, attributes=None, glob=Vec::new(), exclude=Vec::new(),
                    text_column=None, id_column=None, interviewer=Vec::new(), speakers=Vec::new()))]
#[allow(clippy::too_many_arguments)]
pub fn code_files<'py>(
    py: Python<'py>,
    codebook: &PyCodebook,
    paths: Vec<PathBuf>,
    unit: &str,
    attributes: Option<PathBuf>,
    glob: Vec<String>,
    exclude: Vec<String>,
    text_column: Option<String>,
    id_column: Option<String>,
    interviewer: Vec<String>,
    speakers: Vec<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let unit = parse_unit(unit)?;
    let read = ReadArgs {
        interviewer,
        speakers,
        text_column,
        id_column,
        sheet: None,
        max_turn_bytes: 1 << 20,
    }
    .options();
    let filter = Filter::new(&glob, &exclude, read.survey.is_some())
        .context("invalid --glob or --exclude")
        .map_err(raise)?;
    let sheet = attributes
        .as_deref()
        .map(|p| Sheet::load(p).context("cannot read the attributes sheet"))
        .transpose()
        .map_err(raise)?;
    let matcher = codebook.matcher.clone();
    let book = &codebook.codebook;
    let (info, collect) = py.detach(|| {
        let pipeline = Pipeline {
            paths: &paths,
            filter: &filter,
            options: &read,
            sheet: sheet.as_ref(),
            cache: None,
            stream: None,
        };
        let mut collect = Collect {
            codebook: book,
            columns: Columns::default(),
            events: Vec::new(),
        };
        let work = |t: &Transcript| rows(t, &code_with(t, &matcher, unit, &with_codings()), unit);
        let info = pipeline.run(work, &mut collect);
        (info, collect)
    });
    let info = info.map_err(|e| raise(e.into()))?;
    let dict = collect.columns.into_dict(py, book)?;
    let participants: Vec<_> = info.participants.into_iter().collect();
    dict.set_item("participants", participants)?;
    dict.set_item("events", collect.events)?;
    dict.set_item("failed", info.failed)?;
    Ok(dict)
}

/// The files `mint code` would read from these paths, in its order, as
/// (path, name in outputs).
#[pyfunction]
#[pyo3(signature = (paths, glob=Vec::new(), exclude=Vec::new(), surveys=false))]
pub fn files(
    paths: Vec<PathBuf>,
    glob: Vec<String>,
    exclude: Vec<String>,
    surveys: bool,
) -> PyResult<Vec<(PathBuf, String)>> {
    let filter = Filter::new(&glob, &exclude, surveys)
        .context("invalid --glob or --exclude")
        .map_err(raise)?;
    let mut out = Vec::new();
    for found in discover::discover(&paths, &filter) {
        match found {
            Found::Source(source) => out.push((source.path, source.name)),
            Found::Skipped(_) => {}
            Found::Error(err) => return Err(raise(err.into())),
        }
    }
    Ok(out)
}

/// Keeps every coding, scored, as `mint code --codings` does.
fn with_codings() -> Options {
    Options {
        codings: true,
        ..Options::default()
    }
}

fn parse_unit(unit: &str) -> PyResult<Unit> {
    match unit {
        "turn" => Ok(Unit::Turn),
        "paragraph" => Ok(Unit::Paragraph),
        "sentence" => Ok(Unit::Sentence),
        _ => Err(UsageError::new_err(format!(
            "unit: expected turn, paragraph or sentence, not {unit:?}"
        ))),
    }
}

/// A transcript's codings as rows, each with its segment's number.
fn rows(transcript: &Transcript, coded: &Coded, unit: Unit) -> Vec<Row> {
    if coded.codings.is_empty() {
        return Vec::new();
    }
    let segments = transcript.segments(unit);
    let index = CharIndex::new(&transcript.text);
    let mut at = 0;
    coded
        .codings
        .iter()
        .map(|c| {
            // Codings come in text order: the segment is here or further.
            while at + 1 < segments.len() && (segments[at].0, segments[at].1) != (c.turn, c.start) {
                at += 1;
            }
            Row {
                segment: at as u64,
                code: c.hit.code,
                pattern: c.hit.pattern,
                bytes: (c.hit.start, c.hit.end),
                chars: (
                    index.char_offset(c.hit.start) as u64,
                    index.char_offset(c.hit.end) as u64,
                ),
                score: c.score.value(),
                turn: c.turn,
                who: c.who,
            }
        })
        .collect()
}

/// The codings' columns as they are built.
#[derive(Default)]
struct Columns {
    text: Vec<i64>,
    /// Each row's file and participant, as indexes into `files` and `ids`
    /// (distinct, in the order met): no string per row.
    file: Vec<i64>,
    files: Vec<String>,
    file_index: HashMap<String, i64>,
    id: Vec<i64>,
    ids: Vec<String>,
    id_index: HashMap<String, i64>,
    turn: Vec<i64>,
    segment: Vec<i64>,
    code: Vec<i64>,
    theme: Vec<i64>,
    rule: Vec<i64>,
    start: Vec<i64>,
    end: Vec<i64>,
    score: Vec<f64>,
    matched: Vec<String>,
    /// The distinct patterns, in codebook order, and each (code,
    /// pattern)'s index among them.
    rules: Option<(Vec<String>, Vec<Vec<i64>>)>,
}

impl Columns {
    fn push(&mut self, row: &Row, base: u64, codebook: &Codebook, text: &str) {
        let index = &self.rules.get_or_insert_with(|| rule_index(codebook)).1;
        self.segment.push((base + row.segment) as i64);
        self.code.push(row.code as i64);
        let theme = codebook.theme_index(&codebook.codes[row.code].theme);
        self.theme.push(theme.map_or(-1, |t| t as i64));
        self.rule.push(index[row.code][row.pattern]);
        self.start.push(row.chars.0 as i64);
        self.end.push(row.chars.1 as i64);
        self.score.push(row.score);
        self.matched
            .push(text[row.bytes.0..row.bytes.1].to_string());
    }

    fn into_dict<'py>(self, py: Python<'py>, codebook: &Codebook) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        let ints = |v: &[i64]| {
            PyBytes::new(
                py,
                &v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>(),
            )
        };
        for (name, column) in [
            ("text", &self.text),
            ("turn", &self.turn),
            ("segment", &self.segment),
            ("code", &self.code),
            ("theme", &self.theme),
            ("rule", &self.rule),
            ("start", &self.start),
            ("end", &self.end),
        ] {
            dict.set_item(name, ints(column))?;
        }
        let scores: Vec<u8> = self.score.iter().flat_map(|x| x.to_le_bytes()).collect();
        dict.set_item("score", PyBytes::new(py, &scores))?;
        dict.set_item("matched", PyList::new(py, &self.matched)?)?;
        // Files as pandas makes a categorical of them: categories sorted.
        let mut order: Vec<usize> = (0..self.files.len()).collect();
        order.sort_by(|a, b| self.files[*a].cmp(&self.files[*b]));
        let mut rank = vec![0i64; order.len()];
        for (r, f) in order.iter().enumerate() {
            rank[*f] = r as i64;
        }
        let file: Vec<i64> = self.file.iter().map(|f| rank[*f as usize]).collect();
        let files: Vec<&String> = order.iter().map(|f| &self.files[*f]).collect();
        dict.set_item("file", ints(&file))?;
        dict.set_item("files", PyList::new(py, files)?)?;
        dict.set_item("id", ints(&self.id))?;
        dict.set_item("ids", PyList::new(py, &self.ids)?)?;
        let rules = self.rules.map_or_else(|| rule_index(codebook).0, |r| r.0);
        dict.set_item("rules", rules)?;
        dict.set_item("rows", self.code.len())?;
        Ok(dict)
    }
}

/// The distinct patterns of a codebook, in order, and each (code,
/// pattern)'s index among them.
fn rule_index(codebook: &Codebook) -> (Vec<String>, Vec<Vec<i64>>) {
    let mut rules: Vec<String> = Vec::new();
    let mut seen: HashMap<&str, i64> = HashMap::new();
    let index = codebook
        .codes
        .iter()
        .map(|code| {
            code.patterns
                .iter()
                .map(|p| {
                    *seen.entry(p.as_str()).or_insert_with(|| {
                        rules.push(p.clone());
                        rules.len() as i64 - 1
                    })
                })
                .collect()
        })
        .collect();
    (rules, index)
}

/// The pipeline's handler for [`code_files`]: rows in path order, events
/// as the CLI would print them.
struct Collect<'a> {
    codebook: &'a Codebook,
    columns: Columns,
    events: Vec<(String, String)>,
}

impl Handler<Vec<Row>> for Collect<'_> {
    type Error = CorpusError;

    fn event(&mut self, event: Event) {
        let level = match event.level() {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        };
        self.events.push((level.to_string(), event.to_string()));
    }

    fn file(&mut self, file: LoadedFile<Vec<Row>>) -> Result<(), CorpusError> {
        let transcript = &file.transcript;
        let columns = &mut self.columns;
        // Two sources never share a name, but a repeated one stays one category.
        let this_file = match columns.file_index.get(&file.source.name) {
            Some(i) => *i,
            None if file.result.is_empty() => -1,
            None => {
                let i = columns.files.len() as i64;
                columns.files.push(file.source.name.clone());
                columns.file_index.insert(file.source.name.clone(), i);
                i
            }
        };
        // This file's participants' indexes, by speaker.
        let ids: Vec<i64> = file
            .participants
            .iter()
            .map(|id| match columns.id_index.get(id) {
                Some(i) => *i,
                None => {
                    let i = columns.ids.len() as i64;
                    columns.ids.push(id.clone());
                    columns.id_index.insert(id.clone(), i);
                    i
                }
            })
            .collect();
        for row in &file.result {
            self.columns.file.push(this_file);
            self.columns.id.push(ids[row.who]);
            self.columns
                .turn
                .push(transcript.turns[row.turn].index as i64);
            self.columns.push(row, 0, self.codebook, &transcript.text);
        }
        Ok(())
    }
}
