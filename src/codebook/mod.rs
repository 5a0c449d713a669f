//! The codebook: themes, and codes grouped under them, read from TOML (or
//! JSON), validated, and handed to [`crate::matcher::Matcher`] to compile.
//!
//! The format is documented in the README ("Codebook format"). The default
//! codebook, `codebooks/mint.toml`, is embedded in the binary
//! ([`Codebook::default_codebook`]).
//!
//! This file holds only the module's public face: the embedded default and
//! the re-exports. The types are in `model`, the names of their keys (the
//! one list of a code's fields, [`CODE_FIELDS`]) and [`slug`] in `fields`,
//! reading and merging files in `load`, the rules in `validate`.

mod fields;
mod load;
mod model;
mod validate;

#[cfg(test)]
mod tests;

pub use fields::{CODE_FIELDS, CODE_KEYS, CodeField, META_KEYS, THEME_KEYS, slug};
pub use load::{check_json, check_json_extending, check_toml, check_toml_extending};
pub use model::{Code, Codebook, Meta, Origin, Report, Theme};

/// The text of the default codebook, `codebooks/mint.toml`.
pub const DEFAULT_TOML: &str = include_str!("../../codebooks/mint.toml");

/// The name under which the embedded default codebook is reported.
pub const DEFAULT_NAME: &str = "(default codebook)";
