//! Error types of the library, one enum per domain. Every variant says where:
//! a path, a line, a code id. Messages are lowercase fragments without a
//! trailing period so they chain (`mint: failed to load codebook x.toml: …`).

use std::path::PathBuf;

/// A problem with a codebook file.
#[derive(Debug, thiserror::Error)]
pub enum CodebookError {
    /// The file could not be read.
    #[error("cannot read {path}")]
    Read {
        /// The codebook path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, or does not fit the codebook schema.
    #[error("{path}: {message}")]
    Syntax {
        /// The codebook path.
        path: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The codebook parsed but breaks one or more rules.
    #[error("{path}: {} problem{}:\n{}", .problems.len(), if .problems.len() == 1 { "" } else { "s" },
        .problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// The codebook path.
        path: String,
        /// Every problem found, in file order.
        problems: Vec<Diagnostic>,
    },
}

/// How bad a codebook problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The codebook cannot be used.
    Error,
    /// Worth a look; the codebook still loads.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem found while checking a codebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// How many characters the problem spans (at least 1), for a pointer.
    pub width: usize,
    /// What is wrong, naming the code or theme id.
    pub message: String,
}

impl Diagnostic {
    /// An error without a position.
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            line: None,
            column: None,
            width: 1,
            message: message.into(),
        }
    }

    /// A warning without a position.
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Places the diagnostic at a byte span of `text`.
    pub fn at(mut self, text: &str, span: std::ops::Range<usize>) -> Diagnostic {
        let start = span.start.min(text.len());
        let end = span.end.clamp(start, text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        self.line = Some(text[..start].matches('\n').count() + 1);
        self.column = Some(text[line_start..start].chars().count() + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        self.width = text[start..end.min(line_end)].chars().count().max(1);
        self
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(col)) => write!(f, "line {line}, column {col}: {}", self.message),
            (Some(line), None) => write!(f, "line {line}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// A pattern that cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    /// The pattern is empty or only separators.
    #[error("empty pattern")]
    Empty,
    /// A `*` appears somewhere other than the end of a word.
    #[error("pattern {0:?}: `*` may only end a word (as in `integrat*`)")]
    MisplacedWildcard(String),
    /// A `NEAR` pattern is malformed.
    #[error(
        "pattern {0:?}: write `A NEAR/n B` (n words) or `A NEAR/s B` (same sentence), with one NEAR"
    )]
    Near(String),
    /// A `re:` pattern is not a valid regular expression.
    #[error("pattern {pattern:?}: invalid regex: {message}")]
    Regex {
        /// The pattern as written.
        pattern: String,
        /// The regex parser's message.
        message: String,
    },
}

/// A problem with one transcript or with the corpus as a whole.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// A file or folder could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path as given.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The attributes sheet could not be read.
    #[error("{path}: {message}")]
    Attributes {
        /// The sheet path.
        path: PathBuf,
        /// What is wrong, with the line where known.
        message: String,
    },
    /// Every input failed: there is nothing to count.
    #[error("no transcript could be read")]
    NothingRead,
    /// The inputs hold no transcript file.
    #[error("no transcripts (.txt, .md) found in {}", display_paths(inputs))]
    NoTranscripts {
        /// The paths as given.
        inputs: Vec<PathBuf>,
    },
}

fn display_paths(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    shown.join(", ")
}

/// Why a transcript could not be read: a file in a format mint reads (or a
/// plain-text transcript's front matter) is malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FormatError {
    /// 1-based line in the original file, or 0 for the file as a whole.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// A problem that stops an export or an import.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// A `.qdc` needs at least one code.
    #[error(
        "the codebook has no codes, and a .qdc must hold at least one <Code>: add a code first"
    )]
    NoCodes,
    /// A code is not reachable from its theme (a broken parent chain).
    #[error("code {0:?} cannot be placed under its theme (check its theme and parent)")]
    Unplaced(String),
    /// The XML is not well-formed.
    #[error("line {line}: {message}")]
    Xml {
        /// 1-based line of the problem.
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// No `<CodeBook>` element in the file.
    #[error("no <CodeBook> element found")]
    NoCodebook,
    /// The codebook in the file has no codes.
    #[error("the codebook in the file has no codes")]
    Empty,
    /// The `.qdpx` is not a zip archive that can be read.
    #[error("not a readable .qdpx (zip) archive")]
    Zip(#[source] zip::result::ZipError),
    /// The `.qdpx` has no `.qde` at its root.
    #[error("the .qdpx has no project.qde (or other .qde file) at its root")]
    NoQde,
    /// The `.qde` inflates past the limit (a guard against zip bombs).
    #[error(
        "{name} is larger than {limit} bytes uncompressed: not read, a guard against zip bombs"
    )]
    TooLarge {
        /// The entry.
        name: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The CSV cannot be parsed.
    #[error("line {line}: {message}")]
    CsvSyntax {
        /// 1-based line of the problem.
        line: u64,
        /// The parser's message.
        message: String,
    },
    /// A column the CSV needs is missing.
    #[error("the CSV has no {wanted} column (it has: {found})")]
    MissingColumn {
        /// What is missing.
        wanted: String,
        /// The columns it has.
        found: String,
    },
    /// Writing CSV failed.
    #[error("cannot write CSV")]
    Csv(#[source] csv::Error),
    /// Writing JSON failed.
    #[error("cannot write JSON")]
    Json(#[from] serde_json::Error),
    /// Serialising TOML failed.
    #[error("cannot write TOML")]
    Toml(#[from] toml::ser::Error),
    /// Reading or writing failed.
    #[error("input/output failed")]
    Io(#[from] std::io::Error),
}
