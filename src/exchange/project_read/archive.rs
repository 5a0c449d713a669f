//! The `.qdpx` archive as the project reader sees it: entry names checked
//! (no zip-slip), the `.qde` found, and every entry inflated within its
//! limit, refused before inflating when it declares more.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use super::{MAX_PROJECT_BYTES, MAX_QDE_BYTES, MAX_SOURCE_BYTES, ProjectError};

/// How much a read may inflate.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    pub(super) qde: u64,
    pub(super) source: u64,
    pub(super) total: u64,
}

pub(super) const LIMITS: Limits = Limits {
    qde: MAX_QDE_BYTES,
    source: MAX_SOURCE_BYTES,
    total: MAX_PROJECT_BYTES,
};

/// The archive, its safe entry names and what has been inflated so far.
pub(super) struct Zip<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Lower-case name to name as written, for `sources/X` lookups.
    names: HashMap<String, String>,
    /// The `.qde` files at the root.
    pub(super) qdes: Vec<String>,
    inflated: u64,
    pub(super) limits: Limits,
}

impl<'a> Zip<'a> {
    /// Opens the archive and refuses it when any entry's name is unsafe.
    pub(super) fn open(bytes: &'a [u8], limits: Limits) -> Result<Zip<'a>, ProjectError> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(ProjectError::NotZip)?;
        let mut names = HashMap::new();
        let mut qdes = Vec::new();
        for i in 0..archive.len() {
            let file = archive.by_index_raw(i).map_err(ProjectError::NotZip)?;
            let name = file.name().map_err(ProjectError::NotZip)?.into_owned();
            if file.enclosed_name().is_none() || !safe_name(&name) {
                return Err(ProjectError::UnsafePath(name));
            }
            if !name.contains('/') && name.to_ascii_lowercase().ends_with(".qde") {
                qdes.push(name.clone());
            }
            names.insert(name.to_lowercase(), name);
        }
        qdes.sort_by_key(|n| (!n.eq_ignore_ascii_case("project.qde"), n.clone()));
        Ok(Zip {
            archive,
            names,
            qdes,
            inflated: 0,
            limits,
        })
    }

    pub(super) fn qde(&self) -> Result<String, ProjectError> {
        self.qdes.first().cloned().ok_or(ProjectError::NoQde)
    }

    /// The entry `sources/<file>` (any case), if there is one.
    pub(super) fn source_name(&self, file: &str) -> Option<String> {
        self.names
            .get(&format!("sources/{}", file.to_lowercase()))
            .cloned()
    }

    /// Inflates one entry, refusing it past `limit` (or past what is left
    /// of the project's total), before inflating when it says so.
    pub(super) fn entry(&mut self, name: &str, limit: u64) -> Result<Vec<u8>, ProjectError> {
        let limit = limit.min(self.limits.total.saturating_sub(self.inflated));
        let failed = |source: std::io::Error| ProjectError::Entry {
            entry: name.to_string(),
            source,
        };
        let file = self
            .archive
            .by_name(name)
            .map_err(|e| failed(std::io::Error::other(e)))?;
        let too_large = |how: String| ProjectError::TooLarge {
            entry: name.to_string(),
            limit,
            how,
        };
        let declared = file.size();
        if declared > limit {
            return Err(too_large(format!("it declares {declared} bytes")));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
        file.take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(failed)?;
        if bytes.len() as u64 > limit {
            return Err(too_large(format!("although it declares {declared} bytes")));
        }
        self.inflated += bytes.len() as u64;
        Ok(bytes)
    }
}

/// Whether an entry name stays inside the folder it would be extracted to:
/// relative, `/`-separated, with no `..` part.
fn safe_name(name: &str) -> bool {
    let drive = name.as_bytes().get(1) == Some(&b':');
    !name.starts_with('/') && !name.contains('\\') && !drive && !name.split('/').any(|p| p == "..")
}
