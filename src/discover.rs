//! Finding transcripts: folders walked recursively in sorted order, files
//! and `-` (stdin) taken as given, `--glob`/`--exclude` filters, and the
//! files skipped on purpose with a reason.

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
    Skipped(PathBuf, String),
    /// An input that could not be walked.
    Error(CorpusError),
}

/// Which files to take from folders.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Read `.csv` files as surveys.
    pub surveys: bool,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
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
        Ok(Filter {
            surveys,
            include: glob_set(include)?,
            exclude: glob_set(exclude)?,
        })
    }

    fn wants(&self, rel: &str) -> bool {
        let base = rel.rsplit('/').next().unwrap_or(rel);
        let hit = |set: &GlobSet| set.is_match(rel) || set.is_match(base);
        self.include.as_ref().is_none_or(hit) && !self.exclude.as_ref().is_some_and(hit)
    }
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
/// file-name order, following symlinks (a loop is reported and skipped);
/// hidden entries and Word lock files (`~$…`) are passed over. A file named
/// on the command line is read whatever its extension (plain text unless the
/// extension says otherwise). `-` is stdin.
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
            let format = Format::of(input, filter.surveys).unwrap_or(Format::Plain);
            let name = input.display().to_string();
            found.push(match skip_reason(input) {
                Some(reason) => Found::Skipped(input.clone(), reason),
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
    let walker = walkdir::WalkDir::new(input)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || e.file_type().is_file() || !is_hidden(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(input).to_path_buf();
                if let Some(ancestor) = err.loop_ancestor() {
                    let reason = format!("symlink loop back to {}", ancestor.display());
                    found.push(Found::Skipped(path, reason));
                } else {
                    let source = std::io::Error::other(err.to_string());
                    found.push(Found::Error(CorpusError::Io { path, source }));
                }
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(format) = Format::of(entry.path(), filter.surveys) else {
            continue;
        };
        let rel = entry.path().strip_prefix(input).unwrap_or(entry.path());
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if !filter.wants(&rel) {
            continue;
        }
        if let Some(reason) = skip_reason(entry.path()) {
            found.push(Found::Skipped(entry.path().to_path_buf(), reason));
            continue;
        }
        let name = if single_dir {
            rel
        } else {
            entry.path().display().to_string()
        };
        found.push(Found::Source(Source {
            path: entry.path().to_path_buf(),
            name,
            format,
        }));
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// Why a transcript-looking file is passed over, if it is.
fn skip_reason(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy();
    if name.starts_with("~$") {
        Some("Word lock file".into())
    } else if name.starts_with('.') {
        Some("hidden file".into())
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
                Found::Skipped(p, why) => {
                    format!("skip {} ({why})", p.file_name().unwrap().to_string_lossy())
                }
                Found::Error(e) => format!("error {e}"),
            })
            .collect()
    }

    #[test]
    fn walks_sorted_skips_hidden_and_lock_files_and_filters_by_glob() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("b/.git")).unwrap();
        for f in [
            "z.txt",
            "a.md",
            "b/c.vtt",
            "b/.git/x.txt",
            ".hidden.txt",
            "~$draft.docx",
            "notes.pdf",
            "s.csv",
        ] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        let input = vec![d.to_path_buf()];
        assert_eq!(
            names(&discover(&input, &Filter::default())),
            [
                "skip .hidden.txt (hidden file)",
                "a.md",
                "b/c.vtt",
                "z.txt",
                "skip ~$draft.docx (Word lock file)"
            ]
        );
        let filter = Filter::new(&["*.txt".into(), "b/**".into()], &["z.*".into()], true).unwrap();
        assert_eq!(
            names(&discover(&input, &filter)),
            ["skip .hidden.txt (hidden file)", "b/c.vtt"]
        );
        let surveys = Filter::new(&[], &[], true).unwrap();
        assert!(names(&discover(&input, &surveys)).contains(&"s.csv".to_string()));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_skipped_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/a.txt"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
        let found = names(&discover(&[dir.path().to_path_buf()], &Filter::default()));
        assert_eq!(found[0], "sub/a.txt");
        assert!(
            found[1].starts_with("skip loop (symlink loop back to"),
            "{found:?}"
        );
    }
}
