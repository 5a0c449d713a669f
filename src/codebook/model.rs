//! The codebook's data: [`Codebook`], its `[codebook]` and `[report]`
//! tables, [`Theme`]s and [`Code`]s, as serde reads and writes them, and
//! the lookups that need nothing else. Reading files is in `load`, the rules
//! a codebook must follow in `validate`, the names of the keys in `fields`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A whole codebook.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Codebook {
    /// Name, version and description.
    pub codebook: Meta,
    /// Themes, in file order.
    pub themes: Vec<Theme>,
    /// Codes, in file order.
    pub codes: Vec<Code>,
    /// How reports built from this codebook look.
    #[serde(skip_serializing_if = "Report::is_empty")]
    pub report: Report,
    /// Where the codebook came from (a path, or
    /// [`DEFAULT_NAME`](super::DEFAULT_NAME)).
    #[serde(skip)]
    pub source: String,
    /// The TOML text it was read from, for positions in diagnostics.
    #[serde(skip)]
    pub text: Option<String>,
    /// Themes and codes (id, theme) of the codebooks this one extends
    /// (earlier `--codebook` files), which its codes may name.
    #[serde(skip)]
    pub inherited: Vec<(String, Option<String>)>,
}

/// The `[report]` table: how quotes and reports are presented.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Report {
    /// The attribution template for quotes (see `mint::quotes::attribution`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
}

impl Report {
    pub(super) fn is_empty(&self) -> bool {
        self.attribution.is_none()
    }
}

/// The `[codebook]` table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    /// A human name for the codebook.
    #[serde(default)]
    pub name: String,
    /// The codebook's own version string.
    #[serde(default)]
    pub version: String,
    /// What the codebook is for.
    #[serde(default)]
    pub description: String,
    /// Whether plain patterns also match British/American spellings and
    /// closed-up hyphenations (`organisation` = `organization`,
    /// `co-location` = `colocation`). Default: true.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub spelling_variants: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

impl Default for Meta {
    fn default() -> Meta {
        Meta {
            name: String::new(),
            version: String::new(),
            description: String::new(),
            spelling_variants: true,
        }
    }
}

/// A theme: a group of codes, counted once per segment however many of its
/// codes apply.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Theme {
    /// Identifier, as used by `code.theme` and `--theme`.
    pub id: String,
    /// Human label.
    #[serde(default)]
    pub label: String,
    /// What the theme covers.
    #[serde(default)]
    pub description: String,
    /// 1-based line in the codebook file, when read from TOML.
    #[serde(skip)]
    pub line: Option<usize>,
}

/// Whether a code came from the framework or from the data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Deductive: part of the predefined framework.
    #[default]
    Predefined,
    /// Inductive: found in the data during analysis.
    Emergent,
    /// Learned from a researcher's hand coding (`mint learn --suggest`).
    Learned,
}

impl Origin {
    /// The lowercase name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Predefined => "predefined",
            Origin::Emergent => "emergent",
            Origin::Learned => "learned",
        }
    }
}

/// A code: a label applied to the segments its patterns match.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Code {
    /// Identifier, unique in the codebook.
    pub id: String,
    /// The theme id this code belongs to.
    pub theme: String,
    /// The code this one is a sub-code of (same theme), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Human label.
    #[serde(default)]
    pub label: String,
    /// Predefined or emergent.
    #[serde(default)]
    pub origin: Origin,
    /// Where an emergent code stands in review, e.g. `candidate` when
    /// `mint emerge --write` proposed it, `accepted` once a researcher has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// A one-line definition.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub short_definition: String,
    /// The full definition.
    #[serde(default)]
    pub definition: String,
    /// When to apply the code.
    #[serde(default)]
    pub when_to_use: String,
    /// When not to apply it.
    #[serde(default)]
    pub when_not_to_use: String,
    /// Sentences the code must code.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Sentences the code must not code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counterexamples: Vec<String>,
    /// What applies the code (see [`crate::pattern`]).
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Patterns that veto the code in a segment where any of them matches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// The code applies only when its patterns match at least this many
    /// times in the segment (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_hits: Option<u32>,
    /// Negation words: a match with one of these words shortly before it
    /// (within `not_after_words` words) does not count.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_after: Vec<String>,
    /// How many words before a match `not_after` looks (default 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after_words: Option<u32>,
    /// 1-based line in the codebook file, when read from TOML.
    #[serde(skip)]
    pub line: Option<usize>,
    /// Where each of `patterns` is in the file (TOML only), for diagnostics.
    #[serde(skip)]
    pub pattern_spans: Vec<Option<std::ops::Range<usize>>>,
    /// Where each of `exclude` is in the file (TOML only).
    #[serde(skip)]
    pub exclude_spans: Vec<Option<std::ops::Range<usize>>>,
    /// Where `id` and `theme` are in the file (TOML only).
    #[serde(skip)]
    pub field_spans: BTreeMap<&'static str, std::ops::Range<usize>>,
}

impl Codebook {
    /// The theme ids (with `None`) and code ids (with their theme) defined
    /// here or inherited.
    pub fn ids(&self) -> Vec<(String, Option<String>)> {
        let mut ids = self.inherited.clone();
        ids.extend(self.themes.iter().map(|t| (t.id.clone(), None)));
        ids.extend(
            self.codes
                .iter()
                .map(|c| (c.id.clone(), Some(c.theme.clone()))),
        );
        ids
    }

    /// The chain of parents of a code, nearest first; `None` on a cycle.
    pub fn ancestors(&self, id: &str) -> Option<Vec<&str>> {
        let mut out: Vec<&str> = Vec::new();
        let mut current = self.codes.iter().find(|c| c.id == id)?;
        while let Some(parent) = &current.parent {
            if parent == id || out.contains(&parent.as_str()) {
                return None;
            }
            out.push(parent);
            match self.codes.iter().find(|c| &c.id == parent) {
                Some(p) => current = p,
                None => break,
            }
        }
        Some(out)
    }

    /// The index of each theme id in [`Codebook::themes`].
    pub fn theme_index(&self, id: &str) -> Option<usize> {
        self.themes.iter().position(|t| t.id == id)
    }
}
