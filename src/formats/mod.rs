//! Readers for transcript formats other than plain text and Markdown.
//!
//! Word (`.docx`) and OpenDocument (`.odt`) files become plain text in the
//! `Label: text` layout, which the plain-text parser then reads, so the
//! label rules are the same everywhere. Timed captions (WebVTT `.vtt`,
//! SubRip `.srt`) become plain text plus the turns and their times. Either
//! way, offsets point into the extracted text, which `mint text FILE` prints.

mod captions;
pub mod docx;
pub mod odt;
mod office;
pub mod srt;
pub mod survey;
pub mod vtt;

#[cfg(test)]
mod testutil;

use std::path::Path;

use crate::corpus::RawTurn;

/// How a transcript file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// Plain text or Markdown in the `Label: text` layout.
    Plain,
    /// Word `.docx`.
    Docx,
    /// OpenDocument `.odt`.
    Odt,
    /// WebVTT captions.
    Vtt,
    /// SubRip captions.
    Srt,
    /// A survey export: one response per CSV row.
    Survey,
    /// A survey export as a spreadsheet (`.xlsx`, `.ods`): one response
    /// per row.
    SurveySheet,
    /// A text source of a REFI-QDA project (`.qdpx`): the pipeline reads
    /// the project once and hands on each text source as a transcript.
    Qdpx,
}

impl Format {
    /// The format of a file by its extension; `.csv` only when `surveys`.
    pub fn of(path: &Path, surveys: bool) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "md" | "markdown" => Format::Plain,
            "docx" => Format::Docx,
            "odt" => Format::Odt,
            "vtt" => Format::Vtt,
            "srt" => Format::Srt,
            "csv" if surveys => Format::Survey,
            "xlsx" | "xlsm" | "ods" if surveys => Format::SurveySheet,
            "qdpx" => Format::Qdpx,
            _ => return None,
        })
    }
}

pub use crate::error::FormatError;

/// A timed transcript: the extracted text and its turns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The text every offset points into (what `mint text FILE` prints).
    pub text: String,
    /// The turns, in order, with their spans in `text`.
    pub turns: Vec<RawTurn>,
}

/// How to read transcripts of every format.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Speaker-label rules.
    pub parse: crate::corpus::ParseOptions,
    /// The columns of survey CSVs, when surveys are read.
    pub survey: Option<survey::SurveyColumns>,
}

/// What became of one file.
#[derive(Debug)]
pub enum Outcome {
    /// Read, with a note for the user when there is something to say (an
    /// encoding fallback).
    Read(Box<crate::corpus::Transcript>, Option<String>),
    /// Passed over on purpose, and why.
    Skip(String),
    /// Could not be read: the line (0 for the whole file) and why.
    Fail(FormatError),
}

/// Reads one transcript from its bytes. `name` is what outputs call it.
pub fn read(name: &str, format: Format, bytes: Vec<u8>, options: &ReadOptions) -> Outcome {
    use crate::corpus::{Decoded, Transcript, decode_owned};
    if bytes.is_empty() {
        return Outcome::Skip("empty file".into());
    }
    let from_extracted = |result: Result<Extracted, FormatError>| match result {
        Ok(e) => Ok(Transcript::from_turns(
            name,
            e.text,
            e.turns,
            Vec::new(),
            &options.parse,
        )),
        Err(err) => Err(err),
    };
    let from_survey = |s: survey::Survey| {
        let mut t = Transcript::from_turns(
            name,
            s.extracted.text,
            s.extracted.turns,
            Vec::new(),
            &options.parse,
        );
        t.speaker_attributes = s.attributes;
        t
    };
    let (result, note) = match format {
        Format::SurveySheet => {
            let survey = match &options.survey {
                Some(columns) => survey::parse_sheet(&bytes, columns),
                None => Err(survey::sheet_needs_text_column(&bytes, None)),
            };
            (survey.map(from_survey), None)
        }
        Format::Qdpx => {
            let message = "a REFI-QDA project holds several transcripts: give it to a corpus command (mint code study.qdpx)";
            return Outcome::Fail(FormatError {
                line: 0,
                message: message.into(),
            });
        }
        Format::Docx | Format::Odt => {
            let text = if format == Format::Docx {
                docx::extract(&bytes)
            } else {
                odt::extract(&bytes)
            };
            let parsed = text.and_then(|text| Transcript::parse(name, text, &options.parse));
            (parsed, None)
        }
        Format::Plain | Format::Vtt | Format::Srt | Format::Survey => {
            let (text, note) = match decode_owned(bytes) {
                Decoded::Text(text, note) => (text, note),
                Decoded::Skip(reason) => return Outcome::Skip(reason),
            };
            let result = match format {
                Format::Plain => Transcript::parse(name, text, &options.parse),
                Format::Vtt => from_extracted(vtt::parse(&text)),
                Format::Srt => from_extracted(srt::parse(&text)),
                _ => match &options.survey {
                    Some(columns) => survey::parse(&text, columns).map(from_survey),
                    None => Err(survey::needs_text_column(&text)),
                },
            };
            (result, note)
        }
    };
    match result {
        Ok(transcript) => Outcome::Read(Box::new(transcript), note),
        Err(err) => Outcome::Fail(err),
    }
}
