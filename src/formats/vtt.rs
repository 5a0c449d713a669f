//! Placeholder: being written.

use super::{Extracted, FormatError};

/// Reads a .vtt file into turns.
pub fn parse(_text: &str) -> Result<Extracted, FormatError> {
    Err(FormatError {
        line: 0,
        message: ".vtt is not supported yet".into(),
    })
}
