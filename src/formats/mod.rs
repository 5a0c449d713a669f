//! Readers for transcript formats other than plain text and Markdown.
//!
//! Word (`.docx`) and OpenDocument (`.odt`) files become plain text in the
//! `Label: text` layout, which the plain-text parser then reads, so the
//! label rules are the same everywhere. Timed captions (WebVTT `.vtt`,
//! SubRip `.srt`) become plain text plus the turns and their times. Either
//! way, offsets point into the extracted text, which `mint text FILE` prints.

pub mod docx;
pub mod odt;
pub mod srt;
pub mod vtt;

use crate::corpus::RawTurn;

/// Why a file in one of these formats could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FormatError {
    /// 1-based line in the original file, or 0 for the file as a whole.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// A timed transcript: the extracted text and its turns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The text every offset points into (what `mint text FILE` prints).
    pub text: String,
    /// The turns, in order, with their spans in `text`.
    pub turns: Vec<RawTurn>,
}
