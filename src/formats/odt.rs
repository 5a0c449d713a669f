//! Placeholder: being written.

use super::FormatError;

/// Extracts the text of a .odt file as `Label: text` lines.
pub fn extract(_bytes: &[u8]) -> Result<String, FormatError> {
    Err(FormatError {
        line: 0,
        message: ".odt is not supported yet".into(),
    })
}
