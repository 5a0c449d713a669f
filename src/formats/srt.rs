//! Placeholder: being written.

use super::{Extracted, FormatError};

/// Reads a .srt file into turns.
pub fn parse(_text: &str) -> Result<Extracted, FormatError> {
    Err(FormatError {
        line: 0,
        message: ".srt is not supported yet".into(),
    })
}
