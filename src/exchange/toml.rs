//! The TOML format: [`write_toml`], a mint codebook file written from an
//! imported codebook. Reading TOML codebooks is `crate::codebook`'s; the
//! TOML of a `[mint]` block is in `description`.

use std::io::Write;

use serde::Serialize;

use crate::codebook::{Codebook, Meta, Origin};
use crate::error::ExchangeError;

/// Writes a mint codebook file (`[codebook]`, `[[themes]]`, `[[codes]]`),
/// leaving out empty optional fields. `header` becomes `#` comment lines at
/// the top.
pub fn write_toml(book: &Codebook, header: &str, mut w: impl Write) -> Result<(), ExchangeError> {
    #[derive(Serialize)]
    struct File<'a> {
        codebook: FileMeta<'a>,
        themes: Vec<FileTheme<'a>>,
        codes: Vec<FileCode<'a>>,
    }
    #[derive(Serialize)]
    struct FileMeta<'a> {
        #[serde(skip_serializing_if = "empty")]
        name: &'a str,
        #[serde(skip_serializing_if = "empty")]
        version: &'a str,
        #[serde(skip_serializing_if = "empty")]
        description: &'a str,
        #[serde(skip_serializing_if = "is_true")]
        spelling_variants: bool,
    }
    #[derive(Serialize)]
    struct FileTheme<'a> {
        id: &'a str,
        #[serde(skip_serializing_if = "empty")]
        label: &'a str,
        #[serde(skip_serializing_if = "empty")]
        description: &'a str,
    }
    #[derive(Serialize)]
    struct FileCode<'a> {
        id: &'a str,
        theme: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        parent: Option<&'a str>,
        #[serde(skip_serializing_if = "empty")]
        label: &'a str,
        origin: Origin,
        #[serde(skip_serializing_if = "empty")]
        short_definition: &'a str,
        #[serde(skip_serializing_if = "empty")]
        definition: &'a str,
        #[serde(skip_serializing_if = "empty")]
        when_to_use: &'a str,
        #[serde(skip_serializing_if = "empty")]
        when_not_to_use: &'a str,
        #[serde(skip_serializing_if = "none")]
        examples: &'a [String],
        #[serde(skip_serializing_if = "none")]
        counterexamples: &'a [String],
        patterns: &'a [String],
        #[serde(skip_serializing_if = "none")]
        exclude: &'a [String],
        #[serde(skip_serializing_if = "Option::is_none")]
        min_hits: Option<u32>,
        #[serde(skip_serializing_if = "none")]
        not_after: &'a [String],
        #[serde(skip_serializing_if = "Option::is_none")]
        not_after_words: Option<u32>,
    }
    fn empty(s: &&str) -> bool {
        s.is_empty()
    }
    fn none(v: &&[String]) -> bool {
        v.is_empty()
    }
    fn is_true(b: &bool) -> bool {
        *b
    }
    let Meta {
        name,
        version,
        description,
        spelling_variants,
        ..
    } = &book.codebook;
    let file = File {
        codebook: FileMeta {
            name,
            version,
            description,
            spelling_variants: *spelling_variants,
        },
        themes: book
            .themes
            .iter()
            .map(|t| FileTheme {
                id: &t.id,
                label: &t.label,
                description: &t.description,
            })
            .collect(),
        codes: book
            .codes
            .iter()
            .map(|c| FileCode {
                id: &c.id,
                theme: &c.theme,
                parent: c.parent.as_deref(),
                label: &c.label,
                origin: c.origin,
                short_definition: &c.short_definition,
                definition: &c.definition,
                when_to_use: &c.when_to_use,
                when_not_to_use: &c.when_not_to_use,
                examples: &c.examples,
                counterexamples: &c.counterexamples,
                patterns: &c.patterns,
                exclude: &c.exclude,
                min_hits: c.min_hits,
                not_after: &c.not_after,
                not_after_words: c.not_after_words,
            })
            .collect(),
    };
    for line in header.lines() {
        writeln!(w, "# {line}")?;
    }
    if !header.is_empty() {
        writeln!(w)?;
    }
    w.write_all(toml::to_string_pretty(&file)?.as_bytes())?;
    Ok(())
}
