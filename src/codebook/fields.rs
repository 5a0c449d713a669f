//! The names of the keys in a codebook file: the one list of a code's
//! fields ([`CodeField`], and its names as [`CODE_FIELDS`]), the keys of
//! `[codebook]` and of a theme, and [`slug`], which makes ids from names.
//! Every reader and writer that lists a code's fields takes them from here.
//! The structs that hold the values are in `model`.

/// A field of a code, named as in a codebook file.
///
/// ```
/// use mint::codebook::{CodeField, CODE_FIELDS};
/// assert_eq!(CodeField::WhenNotToUse.name(), "when_not_to_use");
/// assert_eq!(CodeField::from_name("min_hits"), Some(CodeField::MinHits));
/// assert_eq!(CODE_FIELDS[0], "id");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CodeField {
    /// `id`: unique in the codebook.
    Id,
    /// `theme`: the theme's id.
    Theme,
    /// `parent`: the code this one is a sub-code of.
    Parent,
    /// `label`: the human label.
    Label,
    /// `origin`: predefined, emergent or learned.
    Origin,
    /// `status`: where an emergent code stands in review.
    Status,
    /// `short_definition`: a one-line definition.
    ShortDefinition,
    /// `definition`: the full definition.
    Definition,
    /// `when_to_use`.
    WhenToUse,
    /// `when_not_to_use`.
    WhenNotToUse,
    /// `examples`: sentences the code must code.
    Examples,
    /// `counterexamples`: sentences the code must not code.
    Counterexamples,
    /// `patterns`: what applies the code.
    Patterns,
    /// `exclude`: patterns that veto the code.
    Exclude,
    /// `min_hits`: matches needed in a segment.
    MinHits,
    /// `not_after`: negation words.
    NotAfter,
    /// `not_after_words`: how far back `not_after` looks.
    NotAfterWords,
}

impl CodeField {
    /// Every field, in the order codebook files, messages and exports list
    /// them.
    pub const ALL: [CodeField; 17] = [
        CodeField::Id,
        CodeField::Theme,
        CodeField::Parent,
        CodeField::Label,
        CodeField::Origin,
        CodeField::Status,
        CodeField::ShortDefinition,
        CodeField::Definition,
        CodeField::WhenToUse,
        CodeField::WhenNotToUse,
        CodeField::Examples,
        CodeField::Counterexamples,
        CodeField::Patterns,
        CodeField::Exclude,
        CodeField::MinHits,
        CodeField::NotAfter,
        CodeField::NotAfterWords,
    ];

    /// The field's key in a codebook file.
    pub const fn name(self) -> &'static str {
        match self {
            CodeField::Id => "id",
            CodeField::Theme => "theme",
            CodeField::Parent => "parent",
            CodeField::Label => "label",
            CodeField::Origin => "origin",
            CodeField::Status => "status",
            CodeField::ShortDefinition => "short_definition",
            CodeField::Definition => "definition",
            CodeField::WhenToUse => "when_to_use",
            CodeField::WhenNotToUse => "when_not_to_use",
            CodeField::Examples => "examples",
            CodeField::Counterexamples => "counterexamples",
            CodeField::Patterns => "patterns",
            CodeField::Exclude => "exclude",
            CodeField::MinHits => "min_hits",
            CodeField::NotAfter => "not_after",
            CodeField::NotAfterWords => "not_after_words",
        }
    }

    /// The field whose key is `name`, if any.
    pub fn from_name(name: &str) -> Option<CodeField> {
        CodeField::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// The keys of a code, in order: the names of [`CodeField::ALL`].
pub const CODE_FIELDS: [&str; CodeField::ALL.len()] = {
    let mut names = [""; CodeField::ALL.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = CodeField::ALL[i].name();
        i += 1;
    }
    names
};

/// The keys a code may have: [`CODE_FIELDS`] as a slice.
pub const CODE_KEYS: &[&str] = &CODE_FIELDS;

/// The keys a `[codebook]` table may have.
pub const META_KEYS: &[&str] = &["name", "version", "description", "spelling_variants"];

/// The keys a theme may have.
pub const THEME_KEYS: &[&str] = &["id", "label", "description"];

/// A snake_case id from a name: lower-case letters and digits, anything
/// else one `_`.
///
/// ```
/// assert_eq!(mint::codebook::slug("Cost & price"), "cost_price");
/// assert_eq!(mint::codebook::slug("  IT-systems (new) "), "it_systems_new");
/// ```
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}
