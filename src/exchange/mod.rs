//! Codebook exchange with other tools: REFI-QDA `.qdc` (and the codebook
//! inside a `.qdpx` project), spreadsheets (CSV), Markdown and JSON.
//!
//! Writers take a [`Codebook`] and an `impl Write`; readers take bytes and
//! give an [`Imported`] codebook plus the warnings a person should see. This
//! module never prints, never opens files and knows nothing of the command
//! line: that is `mint codebook export|import`.
//!
//! # `.qdc` (REFI-QDA codebook)
//!
//! * Each theme is a `<Code isCodable="false">`; its codes are nested in it
//!   as `<Code isCodable="true">`, and sub-codes nest under their parent.
//! * GUIDs are stable: UUIDv5 of `theme:<id>` or `code:<id>` in the
//!   namespace UUIDv5(URL, `"mint"`), written upper case
//!   ([`theme_guid`], [`code_guid`]).
//! * Colours are `#RRGGBB`, one per theme from a fixed palette by theme
//!   order; a theme's codes share its colour.
//! * `<Description>` holds a human-readable block (`Definition: …`,
//!   `When to use: …`, `When not to use: …`, `Examples:` with `- ` items),
//!   then a blank line and a `[mint]` block of TOML with the id, the
//!   patterns and every other field a round trip needs. When the readable
//!   block cannot be read back exactly (say a definition with a line that
//!   starts `When to use:`), those fields go into `[mint]` too, which wins.
//! * Not carried (a `.qdc` has no place for them): the codebook's name,
//!   version, description and `spelling_variants`. [`write_qdc`] reports
//!   them.
//!
//! Reading follows the lenient rules of REFI-QDA importers: elements are
//! matched by local name, namespace variants are accepted, and what does not
//! conform (such as Taguette's empty `<Sets/>`) gives a warning, not a
//! refusal. Top-level codes with children (or `isCodable="false"`) become
//! themes, the codes under them codes, deeper ones sub-codes; a top-level
//! code with no children goes under a theme `uncategorised`. Ids come from
//! the `[mint]` block, or are snake_case slugs of the names. A code without
//! patterns gets its name as its one pattern, with a warning. Foreign GUIDs
//! and colours are not kept: mint derives its own.
//!
//! # CSV
//!
//! One row per code, in the columns of [`CSV_COLUMNS`]. List fields
//! (`examples`, `patterns`, …) are joined by `; `; a `;` inside an item is
//! written doubled (`;;`), and items are trimmed. A theme with no codes gets
//! a row with an empty `code`. [`read_csv`] also takes a hand-made sheet with
//! only `theme`, `code` (or `label`/`name`), `definition` and `patterns`
//! columns, headers in any case, separated by `,`, `;` or tabs.
//!
//! # Layout
//!
//! This file holds the public face: [`Report`], [`Imported`] and the
//! re-exports. `refi` is the REFI-QDA core shared by writer and reader
//! (namespaces, GUIDs, XML text and the XML tree), `tree` the theme and code
//! tree the writers walk, `description` the text of a `<Description>` and
//! its `[mint]` block; then one file per format: `qdc` (`.qdc` and `.qdpx`),
//! `build` (a read `.qdc` tree made into a codebook), `csv`, `markdown`,
//! `json` and `toml`. `import` has what the readers share.
//!
//! # `.qdpx` (REFI-QDA project)
//!
//! `qdpx_write` writes a whole coded study, transcripts, codebook, cases
//! and every coding, as a project for review in NVivo, ATLAS.ti, MAXQDA or
//! QualCoder: [`write_qdpx`], or [`QdpxWriter`] for sources streamed one at
//! a time. Its `<CodeBook>` is written by the `.qdc` code.

mod build;
mod codings;
mod csv;
mod description;
mod import;
mod json;
mod markdown;
mod project_read;
mod qdc;
mod qdpx_write;
mod refi;
mod toml;
mod tree;

#[cfg(test)]
mod tests;

pub use self::codings::{
    CODER, CODINGS_HEAD, CODINGS_TAIL, CodingsError, HumanCoding, HumanCodings, PROVENANCE,
    match_leniently, project_codings, read_codings_csv,
};
pub use self::csv::{CSV_COLUMNS, SUMMARY_COLUMNS, read_csv, write_csv};
pub use self::description::toml_basic_string;
pub use self::json::write_json;
pub use self::markdown::write_markdown;
pub use self::project_read::{
    Case, MAX_PROJECT_BYTES, MAX_QDE_BYTES, MAX_SOURCE_BYTES, OutsideCoding, Project, ProjectCode,
    ProjectError, TextCoding, TextSource, User, Variable, read_project,
};
pub use self::qdc::{read_qdc, read_qdpx, write_qdc};
pub use self::qdpx_write::{
    CodedBy, ExportError, QdpxWriter, Study, StudyCase, StudyCoding, StudySource, mint_user,
    model_user, source_guid, source_text, write_qdpx,
};
pub use self::refi::{CODEBOOK_NAMESPACE, PROJECT_NAMESPACE, code_guid, theme_guid};
pub use self::toml::write_toml;
pub use crate::codebook::slug;
pub use crate::error::ExchangeError;

use crate::codebook::Codebook;

/// The id of the theme that collects imported codes found outside any theme.
pub const UNCATEGORISED: &str = "uncategorised";

/// What an export could not carry, for the person running it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Data the format has no place for (worth a note).
    pub dropped: Vec<String>,
    /// Changes that alter how the codebook codes (worth a warning).
    pub warnings: Vec<String>,
}

/// A codebook read from another format.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The codebook. Not yet validated: call [`Codebook::validate`].
    pub codebook: Codebook,
    /// The file's `origin` attribute (the tool that wrote it), if any.
    pub origin: Option<String>,
    /// What did not conform or was dropped, one message each.
    pub warnings: Vec<String>,
    /// How many codes got patterns made from their names.
    pub patterns_from_names: usize,
}

/// `""` for one, `"s"` otherwise.
pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
