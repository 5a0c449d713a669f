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

/// One problem found while validating a codebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line of the entry the problem belongs to, when known.
    pub line: Option<usize>,
    /// What is wrong, naming the code or theme id.
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
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
    /// A transcript could not be parsed.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The path as given.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The attributes sheet could not be read.
    #[error("{path}: {message}")]
    Attributes {
        /// The sheet path.
        path: PathBuf,
        /// What is wrong, with the line where known.
        message: String,
    },
}
