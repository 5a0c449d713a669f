//! The JSON format: [`write_json`], the codebook as `mint codebook show
//! --format json` gives it. Reading JSON codebooks is `crate::codebook`'s.

use std::io::Write;

use serde::Serialize;

use crate::codebook::Codebook;
use crate::error::ExchangeError;

/// Writes the JSON that `mint codebook show --format json` gives: a
/// top-level `schema_version` (1) and the codebook's fields.
pub fn write_json(book: &Codebook, mut w: impl Write) -> Result<(), ExchangeError> {
    #[derive(Serialize)]
    struct Doc<'a> {
        schema_version: u32,
        #[serde(flatten)]
        codebook: &'a Codebook,
    }
    serde_json::to_writer_pretty(
        &mut w,
        &Doc {
            schema_version: 1,
            codebook: book,
        },
    )?;
    writeln!(w)?;
    Ok(())
}
