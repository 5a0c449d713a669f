//! Finding transcripts: folders walked recursively in sorted order, files
//! and `-` (stdin) taken as given, `--glob`/`--exclude` filters, and the
//! files passed over, each with a [`Skip`] saying why.
//!
//! Nothing is passed over silently. A file that looks like a transcript but
//! is not read (a hidden file, a Word lock file, a file named like project
//! documentation, a symlink out of the folder) is a warning of its own; the
//! rest (other formats, CSVs without `--text-column`, symlinks inside the
//! folder, hidden folders) only appear in the run's closing summary.
//!
//! **Not transcripts by name.** In a folder, these are skipped with a
//! warning whatever their extension, because they sit beside transcripts but
//! are not anyone's words: `README`, `LICENSE`/`LICENCE`, `COPYING`,
//! `CHANGELOG`, `CHANGES`, `CONTRIBUTING`, `AUTHORS`, `CODE_OF_CONDUCT` and
//! `CITATION` (alone or with one extension, any case), codebooks (a name
//! containing `codebook`) and settings or codebook formats (`.toml`, `.qdc`,
//! `.qdpx`). To read one, name the file on the command line, or in a
//! `--glob` pattern without wildcards in its file name (`--glob README.md`).
//!
//! **Extensions.** Folders give `.txt`, `.md`, `.markdown`, `.docx`,
//! `.odt`, `.vtt`, `.srt` (and `.csv` with `--text-column`). A `--glob`
//! pattern that ends in a literal file-name part (`*.rst`, `notes/*.text`)
//! also takes files of any other extension it matches, read as plain text;
//! a pattern ending in a wildcard (`site-a/**`) only chooses among the
//! known formats.
//!
//! **Symlinks** (like rg and fd). A symlink inside a walked folder is not
//! followed unless [`Filter::follow`] (`-L/--follow`); one that points out of
//! the input folder is reported with a warning naming its target. When
//! following, loops are detected and reported. A symlink named on the
//! command line, file or folder, is read: the user named it.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::CorpusError;
use crate::formats::Format;

/// A transcript to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    /// Where it is (`-` for stdin).
    pub path: PathBuf,
    /// What outputs call it: relative to the input folder, `/`-separated.
    pub name: String,
    /// How to read it.
    pub format: Format,
}

/// What discovery found, in order.
#[derive(Debug)]
pub enum Found {
    /// A file to read.
    Source(Source),
    /// A file passed over on purpose, and why.
    Skipped(Skip),
    /// An input that could not be walked.
    Error(CorpusError),
}

/// A file (or folder) passed over on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// Where it is.
    pub path: PathBuf,
    /// What the summary calls it: like [`Source::name`].
    pub name: String,
    /// The kind of reason, which groups the run's summary.
    pub kind: SkipKind,
    /// Why, in words, with how to read it when there is a way.
    pub reason: String,
}

/// Why files are passed over, in the order the run's summary lists them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipKind {
    /// Named like project documentation, a licence or a codebook.
    NotTranscript,
    /// A symlink pointing out of the input folder, not followed.
    Outside,
    /// A symlink back to a folder being walked.
    Loop,
    /// A hidden transcript file (`.name`).
    Hidden,
    /// A Word lock file (`~$name.docx`).
    LockFile,
    /// An empty file.
    Empty,
    /// A file with NUL bytes.
    Binary,
    /// Any other reason a reader gave, as it gave it.
    Other(String),
    /// A `.csv` in a folder, read only as a survey with `--text-column`.
    Csv,
    /// A spreadsheet (`.xlsx`, `.ods`) in a folder, read only as a survey
    /// with `--text-column`.
    Spreadsheet,
    /// An extension that is not a transcript format.
    OtherFormat,
    /// A symlink inside the input folder, not followed without `-L`.
    NotFollowed,
    /// A hidden folder (`.git`), not walked.
    HiddenFolder,
}

impl SkipKind {
    /// The kind of a reason a reader gave for passing a file over.
    pub fn of_reason(reason: &str) -> SkipKind {
        if reason == "empty file" {
            SkipKind::Empty
        } else if reason.starts_with("binary file") {
            SkipKind::Binary
        } else {
            SkipKind::Other(reason.to_string())
        }
    }

    /// Whether each file skipped for this reason is a warning of its own
    /// (and so counts for `--strict`). The others were never candidates to
    /// read and only appear in the run's summary.
    pub fn warns(&self) -> bool {
        !matches!(
            self,
            SkipKind::Csv
                | SkipKind::Spreadsheet
                | SkipKind::OtherFormat
                | SkipKind::NotFollowed
                | SkipKind::HiddenFolder
        )
    }

    /// What the summary calls `n` files skipped for this reason.
    pub fn label(&self, n: usize) -> String {
        let (one, many) = match self {
            SkipKind::NotTranscript => ("not a transcript by name", "not transcripts by name"),
            SkipKind::Outside => (
                "symlink out of the input folder",
                "symlinks out of the input folder",
            ),
            SkipKind::Loop => ("symlink loop", "symlink loops"),
            SkipKind::Hidden => ("hidden", "hidden"),
            SkipKind::LockFile => ("Word lock file", "Word lock files"),
            SkipKind::Empty => ("empty", "empty"),
            SkipKind::Binary => ("binary", "binary"),
            SkipKind::Other(reason) => (reason.as_str(), reason.as_str()),
            SkipKind::Csv => ("CSV without --text-column", "CSVs without --text-column"),
            SkipKind::Spreadsheet => (
                "spreadsheet without --text-column",
                "spreadsheets without --text-column",
            ),
            SkipKind::OtherFormat => ("in another format", "in other formats"),
            SkipKind::NotFollowed => (
                "symlink not followed (-L follows)",
                "symlinks not followed (-L follows)",
            ),
            SkipKind::HiddenFolder => ("hidden folder", "hidden folders"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    }
}

/// Which files to take from folders.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Read `.csv` files as surveys.
    pub surveys: bool,
    /// Follow symlinks inside folders (`-L/--follow`).
    pub follow: bool,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    /// The `--glob` patterns whose file-name part ends in a literal: they
    /// take files of any extension, as plain text.
    any_extension: Option<GlobSet>,
    /// The `--glob` patterns without a wildcard in their file-name part:
    /// they also take files skipped by name.
    by_name: Option<GlobSet>,
}

impl Filter {
    /// A filter from `--glob` and `--exclude` patterns, matched against the
    /// path relative to the input folder (and, for a bare pattern like
    /// `*.txt`, against the file name).
    pub fn new(
        include: &[String],
        exclude: &[String],
        surveys: bool,
    ) -> Result<Filter, globset::Error> {
        let last = |p: &&String| p.rsplit('/').next().unwrap_or(p).to_string();
        let any_extension: Vec<String> = include
            .iter()
            .filter(|p| !last(p).ends_with(['*', '?', ']']))
            .cloned()
            .collect();
        let by_name: Vec<String> = include
            .iter()
            .filter(|p| !last(p).contains(['*', '?', '[', '{']))
            .cloned()
            .collect();
        Ok(Filter {
            surveys,
            follow: false,
            include: glob_set(include)?,
            exclude: glob_set(exclude)?,
            any_extension: glob_set(&any_extension)?,
            by_name: glob_set(&by_name)?,
        })
    }

    fn wants(&self, rel: &str) -> bool {
        self.include.as_ref().is_none_or(|s| hit(s, rel))
            && !self.exclude.as_ref().is_some_and(|s| hit(s, rel))
    }

    fn takes_any_extension(&self, rel: &str) -> bool {
        self.any_extension.as_ref().is_some_and(|s| hit(s, rel))
    }

    fn names(&self, rel: &str) -> bool {
        self.by_name.as_ref().is_some_and(|s| hit(s, rel))
    }
}

fn hit(set: &GlobSet, rel: &str) -> bool {
    let base = rel.rsplit('/').next().unwrap_or(rel);
    set.is_match(rel) || set.is_match(base)
}

fn glob_set(patterns: &[String]) -> Result<Option<GlobSet>, globset::Error> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        builder.add(Glob::new(p)?);
    }
    builder.build().map(Some)
}

/// Finds transcripts under each input. Folders are walked recursively in
/// file-name order, as the module doc says; a file named on the command
/// line is read whatever its name and extension (plain text unless the
/// extension says otherwise; `.csv` as a survey). `-` is stdin.
pub fn discover(inputs: &[PathBuf], filter: &Filter) -> Vec<Found> {
    let mut found = Vec::new();
    let single_dir = inputs.len() == 1 && inputs[0].is_dir();
    for input in inputs {
        if input.as_os_str() == "-" {
            found.push(Found::Source(Source {
                path: input.clone(),
                name: "-".into(),
                format: Format::Plain,
            }));
            continue;
        }
        let meta = match std::fs::metadata(input) {
            Ok(meta) => meta,
            Err(source) => {
                found.push(Found::Error(CorpusError::Io {
                    path: input.clone(),
                    source,
                }));
                continue;
            }
        };
        if !meta.is_dir() {
            let format = Format::of(input, true).unwrap_or(Format::Plain);
            let name = input.display().to_string();
            found.push(match skip_reason(input) {
                Some((kind, reason)) => Found::Skipped(Skip {
                    path: input.clone(),
                    name,
                    kind,
                    reason,
                }),
                None => Found::Source(Source {
                    path: input.clone(),
                    name,
                    format,
                }),
            });
            continue;
        }
        walk(input, single_dir, filter, &mut found);
    }
    found
}

fn walk(input: &Path, single_dir: bool, filter: &Filter, found: &mut Vec<Found>) {
    let root = std::fs::canonicalize(input).unwrap_or_else(|_| input.to_path_buf());
    let mut walker = walkdir::WalkDir::new(input)
        .follow_links(filter.follow)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(input).to_path_buf();
                if let Some(ancestor) = err.loop_ancestor() {
                    let reason = format!("symlink loop back to {}", ancestor.display());
                    let name = display_name(input, &path, single_dir);
                    found.push(Found::Skipped(Skip {
                        path,
                        name,
                        kind: SkipKind::Loop,
                        reason,
                    }));
                } else {
                    let source = std::io::Error::other(err.to_string());
                    found.push(Found::Error(CorpusError::Io { path, source }));
                }
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let path = entry.path();
        let rel = relative(input, path);
        let skip = |kind: SkipKind, reason: String| {
            Found::Skipped(Skip {
                path: path.to_path_buf(),
                name: display_name(input, path, single_dir),
                kind,
                reason,
            })
        };
        let file_type = entry.file_type();
        if file_type.is_symlink() {
            // Only when not following: a followed link has its target's type.
            if let Some((kind, reason)) = unfollowed_link(path, &root, filter, &rel) {
                found.push(skip(kind, reason));
            }
            continue;
        }
        if file_type.is_dir() {
            if is_hidden(entry.file_name()) {
                walker.skip_current_dir();
                found.push(skip(SkipKind::HiddenFolder, "hidden folder".into()));
            }
            continue;
        }
        if !file_type.is_file() || !filter.wants(&rel) {
            continue;
        }
        if !filter.names(&rel)
            && let Some(what) = not_transcript(entry.file_name())
        {
            let reason = format!(
                "{what}, not a transcript (to code it, name the file on the command line or in --glob)"
            );
            found.push(skip(SkipKind::NotTranscript, reason));
            continue;
        }
        let format = Format::of(path, filter.surveys)
            .or_else(|| filter.takes_any_extension(&rel).then_some(Format::Plain));
        let Some(format) = format else {
            found.push(other_format(path, skip));
            continue;
        };
        if let Some((kind, reason)) = skip_reason(path) {
            found.push(skip(kind, reason));
            continue;
        }
        found.push(Found::Source(Source {
            path: path.to_path_buf(),
            name: display_name(input, path, single_dir),
            format,
        }));
    }
}

/// What becomes of a symlink inside a folder when links are not followed:
/// reported when it points out of the input folder, listed in the summary
/// otherwise (if it is a folder or a file the filter wants).
fn unfollowed_link(
    path: &Path,
    root: &Path,
    filter: &Filter,
    rel: &str,
) -> Option<(SkipKind, String)> {
    let Ok(target) = std::fs::canonicalize(path) else {
        return Some((SkipKind::NotFollowed, "broken symlink".into()));
    };
    if !target.starts_with(root) {
        let reason = format!(
            "symlink to {}, out of the input folder (-L/--follow reads it)",
            target.display()
        );
        return Some((SkipKind::Outside, reason));
    }
    (target.is_dir() || filter.wants(rel)).then(|| {
        let reason = format!("symlink to {} (-L/--follow reads it)", target.display());
        (SkipKind::NotFollowed, reason)
    })
}

/// The skip for a file whose extension is not a transcript format.
fn other_format(path: &Path, skip: impl Fn(SkipKind, String) -> Found) -> Found {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("csv") => skip(
            SkipKind::Csv,
            "a CSV (read it as a survey with --text-column COLUMN)".into(),
        ),
        Some("xlsx" | "xlsm" | "ods") => skip(
            SkipKind::Spreadsheet,
            "a spreadsheet (read it as a survey with --text-column COLUMN)".into(),
        ),
        Some(ext) => skip(
            SkipKind::OtherFormat,
            format!("not a transcript format (--glob '*.{ext}' reads it as text)"),
        ),
        None => skip(
            SkipKind::OtherFormat,
            "no extension (--glob NAME reads it as text)".into(),
        ),
    }
}

/// The path relative to the input folder, `/`-separated.
fn relative(input: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(input).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// What outputs call a file found in a folder: relative to it when it is
/// the only input, the path otherwise.
fn display_name(input: &Path, path: &Path, single_dir: bool) -> String {
    if single_dir {
        relative(input, path)
    } else {
        path.display().to_string()
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// Names of files that sit beside transcripts but are not anyone's words,
/// alone or with one extension (`README`, `readme.md`).
const NOT_TRANSCRIPTS: [(&str, &str); 11] = [
    ("readme", "a README"),
    ("license", "a licence"),
    ("licence", "a licence"),
    ("copying", "a licence"),
    ("changelog", "a changelog"),
    ("changes", "a changelog"),
    ("contributing", "contributing notes"),
    ("authors", "an authors list"),
    ("code_of_conduct", "a code of conduct"),
    ("citation", "a citation file"),
    ("notice", "a notice"),
];

/// What a file is, when its name says it is not a transcript.
fn not_transcript(name: &std::ffi::OsStr) -> Option<&'static str> {
    let name = name.to_string_lossy().to_lowercase();
    let (stem, ext) = match name.split_once('.') {
        Some((stem, ext)) if !ext.contains('.') => (stem, Some(ext)),
        Some(_) => (name.as_str(), None),
        None => (name.as_str(), None),
    };
    if let Some((_, what)) = NOT_TRANSCRIPTS.iter().find(|(n, _)| *n == stem) {
        Some(what)
    } else if name.contains("codebook") {
        Some("a codebook")
    } else {
        matches!(ext, Some("toml" | "qdc" | "qdpx")).then_some("a codebook or settings file")
    }
}

/// Why a transcript-looking file is passed over, if it is.
fn skip_reason(path: &Path) -> Option<(SkipKind, String)> {
    let name = path.file_name()?.to_string_lossy();
    if name.starts_with("~$") {
        Some((SkipKind::LockFile, "Word lock file".into()))
    } else if name.starts_with('.') {
        Some((SkipKind::Hidden, "hidden file".into()))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(found: &[Found]) -> Vec<String> {
        found
            .iter()
            .map(|f| match f {
                Found::Source(s) => s.name.clone(),
                Found::Skipped(s) => format!("skip {} ({})", s.name, s.reason),
                Found::Error(e) => format!("error {e}"),
            })
            .collect()
    }

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in files {
            let path = dir.path().join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        dir
    }

    #[test]
    fn walks_sorted_skips_hidden_and_lock_files_and_filters_by_glob() {
        let dir = tree(&[
            "z.txt",
            "a.md",
            "b/c.vtt",
            "b/.git/x.txt",
            ".hidden.txt",
            "~$draft.docx",
            "notes.pdf",
            "s.csv",
        ]);
        let input = vec![dir.path().to_path_buf()];
        assert_eq!(
            names(&discover(&input, &Filter::default())),
            [
                "skip .hidden.txt (hidden file)",
                "a.md",
                "skip b/.git (hidden folder)",
                "b/c.vtt",
                "skip notes.pdf (not a transcript format (--glob '*.pdf' reads it as text))",
                "skip s.csv (a CSV (read it as a survey with --text-column COLUMN))",
                "z.txt",
                "skip ~$draft.docx (Word lock file)"
            ]
        );
        let filter = Filter::new(&["*.txt".into(), "b/**".into()], &["z.*".into()], true).unwrap();
        assert_eq!(
            names(&discover(&input, &filter)),
            [
                "skip .hidden.txt (hidden file)",
                "skip b/.git (hidden folder)",
                "b/c.vtt"
            ]
        );
        let surveys = Filter::new(&[], &[], true).unwrap();
        assert!(names(&discover(&input, &surveys)).contains(&"s.csv".to_string()));
    }

    // See: #15 (item 5)
    #[test]
    fn files_named_like_documentation_or_codebooks_are_skipped_unless_named() {
        let files = "README.md LICENSE licence.txt codebook.toml my-codebook.md mint.toml \
                     changes-at-work.txt p1.txt";
        let dir = tree(&files.split_whitespace().collect::<Vec<_>>());
        let input = vec![dir.path().to_path_buf()];
        let shown = names(&discover(&input, &Filter::default()));
        let skipped: Vec<&str> = shown
            .iter()
            .filter_map(|s| s.strip_prefix("skip "))
            .map(|s| s.split_once(" (").unwrap().0)
            .collect();
        assert_eq!(
            skipped,
            [
                "LICENSE",
                "README.md",
                "codebook.toml",
                "licence.txt",
                "mint.toml",
                "my-codebook.md"
            ]
        );
        assert!(shown.contains(&"changes-at-work.txt".to_string()));
        assert!(shown.contains(&"p1.txt".to_string()));
        assert!(
            shown.contains(&"skip README.md (a README, not a transcript (to code it, name the file on the command line or in --glob))".to_string()),
            "{shown:?}"
        );
        // A --glob without wildcards in the name takes it, whatever its extension.
        let filter = Filter::new(&["README.md".into(), "LICENSE".into()], &[], false).unwrap();
        assert_eq!(names(&discover(&input, &filter)), ["LICENSE", "README.md"]);
        // A wildcard pattern still leaves it out.
        let filter = Filter::new(&["*.md".into()], &[], false).unwrap();
        assert_eq!(
            names(&discover(&input, &filter))
                .iter()
                .filter(|s| !s.starts_with("skip"))
                .collect::<Vec<_>>(),
            Vec::<&String>::new()
        );
        // Named on the command line, it is read.
        let readme = dir.path().join("README.md");
        let found = discover(std::slice::from_ref(&readme), &Filter::default());
        assert!(matches!(&found[0], Found::Source(s) if s.format == Format::Plain));
    }

    // See: #15 (item 5)
    #[test]
    fn a_glob_ending_in_a_literal_reads_any_extension_as_text() {
        let dir = tree(&["a.rst", "b.txt", "sub/c.rst", "sub/d.pdf"]);
        let input = vec![dir.path().to_path_buf()];
        let filter = Filter::new(&["*.rst".into()], &[], false).unwrap();
        let found = discover(&input, &filter);
        assert_eq!(names(&found), ["a.rst", "sub/c.rst"]);
        assert!(
            found
                .iter()
                .all(|f| matches!(f, Found::Source(s) if s.format == Format::Plain))
        );
        let filter = Filter::new(&["sub/**".into()], &[], false).unwrap();
        assert_eq!(
            names(&discover(&input, &filter)),
            [
                "skip sub/c.rst (not a transcript format (--glob '*.rst' reads it as text))",
                "skip sub/d.pdf (not a transcript format (--glob '*.pdf' reads it as text))"
            ]
        );
    }

    #[test]
    fn a_csv_named_on_the_command_line_is_a_survey() {
        let dir = tree(&["s.csv"]);
        let found = discover(&[dir.path().join("s.csv")], &Filter::default());
        assert!(matches!(&found[0], Found::Source(s) if s.format == Format::Survey));
    }

    #[test]
    fn which_kinds_warn_and_what_the_summary_calls_them() {
        assert!(SkipKind::NotTranscript.warns());
        assert!(SkipKind::of_reason("empty file").warns());
        assert!(!SkipKind::OtherFormat.warns());
        assert!(!SkipKind::NotFollowed.warns());
        assert_eq!(SkipKind::of_reason("empty file").label(2), "2 empty");
        assert_eq!(
            SkipKind::of_reason("binary file (contains NUL bytes)"),
            SkipKind::Binary
        );
        assert_eq!(
            SkipKind::NotTranscript.label(1),
            "1 not a transcript by name"
        );
        assert_eq!(SkipKind::OtherFormat.label(3), "3 in other formats");
    }

    #[cfg(unix)]
    mod symlinks {
        use super::*;
        use std::os::unix::fs::symlink;

        fn follow() -> Filter {
            Filter {
                follow: true,
                ..Filter::default()
            }
        }

        // See: #15 (item 10)
        #[test]
        fn symlink_loops_are_skipped_with_a_reason_when_following() {
            let dir = tree(&["sub/a.txt"]);
            symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
            let found = names(&discover(&[dir.path().to_path_buf()], &follow()));
            assert_eq!(found[0], "sub/a.txt");
            assert!(
                found[1].starts_with("skip sub/loop (symlink loop back to"),
                "{found:?}"
            );
            let found = discover(&[dir.path().to_path_buf()], &Filter::default());
            assert!(
                matches!(&found[1], Found::Skipped(s) if s.kind == SkipKind::NotFollowed),
                "without -L the link is not followed: {:?}",
                names(&found)
            );
        }

        // See: #15 (item 10)
        #[test]
        fn links_are_not_followed_and_links_out_of_the_folder_are_reported() {
            let outside = tree(&["secret.txt", "etc/passwd.txt"]);
            let dir = tree(&["a.txt", "sub/b.txt"]);
            let d = dir.path();
            symlink(outside.path().join("secret.txt"), d.join("out.txt")).unwrap();
            symlink(outside.path().join("etc"), d.join("etc")).unwrap();
            symlink(d.join("sub"), d.join("again")).unwrap();
            symlink(d.join("a.txt"), d.join("same.txt")).unwrap();
            symlink(d.join("gone.txt"), d.join("broken.txt")).unwrap();
            let found = discover(&[d.to_path_buf()], &Filter::default());
            let kinds: Vec<(String, Option<SkipKind>)> = found
                .iter()
                .map(|f| match f {
                    Found::Source(s) => (s.name.clone(), None),
                    Found::Skipped(s) => (s.name.clone(), Some(s.kind.clone())),
                    Found::Error(e) => panic!("{e}"),
                })
                .collect();
            let skip = |n: &str, k: SkipKind| (n.to_string(), Some(k));
            assert_eq!(
                kinds,
                [
                    ("a.txt".to_string(), None),
                    skip("again", SkipKind::NotFollowed),
                    skip("broken.txt", SkipKind::NotFollowed),
                    skip("etc", SkipKind::Outside),
                    skip("out.txt", SkipKind::Outside),
                    skip("same.txt", SkipKind::NotFollowed),
                    ("sub/b.txt".to_string(), None),
                ]
            );
            let out = found
                .iter()
                .find_map(|f| match f {
                    Found::Skipped(s) if s.name == "out.txt" => Some(s.reason.clone()),
                    _ => None,
                })
                .unwrap();
            assert!(out.starts_with("symlink to /"), "{out}");
            assert!(out.ends_with("out of the input folder (-L/--follow reads it)"));

            // -L reads through every link; the broken one is an error.
            let found = names(&discover(&[d.to_path_buf()], &follow()));
            for name in ["again/b.txt", "etc/passwd.txt", "out.txt", "same.txt"] {
                assert!(found.contains(&name.to_string()), "{name} in {found:?}");
            }
            assert!(found.iter().any(|f| f.starts_with("error ")), "{found:?}");
        }

        #[test]
        fn a_symlink_named_on_the_command_line_is_read() {
            let outside = tree(&["secret.txt", "folder/x.txt"]);
            let dir = tempfile::tempdir().unwrap();
            let link = dir.path().join("link.txt");
            symlink(outside.path().join("secret.txt"), &link).unwrap();
            let found = discover(std::slice::from_ref(&link), &Filter::default());
            assert!(matches!(&found[0], Found::Source(_)));
            let folder = dir.path().join("folder");
            symlink(outside.path().join("folder"), &folder).unwrap();
            assert_eq!(
                names(&discover(std::slice::from_ref(&folder), &Filter::default())),
                ["x.txt"]
            );
        }
    }
}
