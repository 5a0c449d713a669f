//! A cache of coded transcripts for incremental batches (`--cache DIR`).
//!
//! Each entry is keyed by a BLAKE3 hash of the file's bytes and of a salt
//! that covers everything else coding depends on: mint's version, the
//! whole codebook, the coding unit and the reading options. Re-running over
//! a folder with a new batch added then only reads and codes the new
//! files, and the output is the same as without the cache. Entries are
//! written atomically; an entry that cannot be read is simply recomputed.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A cache folder and the salt of this run.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
    salt: blake3::Hash,
}

impl Cache {
    /// Opens (creating) the folder; `salt` is everything besides a file's
    /// bytes that its coding depends on.
    pub fn new(dir: &Path, salt: &[u8]) -> std::io::Result<Cache> {
        std::fs::create_dir_all(dir)?;
        let mut hasher = blake3::Hasher::new();
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        hasher.update(salt);
        Ok(Cache {
            dir: dir.to_path_buf(),
            salt: hasher.finalize(),
        })
    }

    /// The key of a file's bytes.
    pub fn key(&self, bytes: &[u8]) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(self.salt.as_bytes());
        hasher.update(bytes);
        hasher.finalize().to_hex().to_string()
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(format!("{key}.json"))
    }

    /// The entry for `key`, if there is a readable one.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Stores an entry (atomically). A cache that cannot be written only
    /// costs time, so errors are returned for the caller to ignore or note.
    pub fn put<T: Serialize>(&self, key: &str, value: &T) -> std::io::Result<()> {
        let path = self.path(key);
        let dir = path.parent().expect("entries live in a subfolder");
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        serde_json::to_writer(std::io::BufWriter::new(tmp.as_file_mut()), value)?;
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_the_salt_changes_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let a = Cache::new(dir.path(), b"codebook A").unwrap();
        let b = Cache::new(dir.path(), b"codebook B").unwrap();
        assert_ne!(a.key(b"same bytes"), b.key(b"same bytes"));
        assert_eq!(a.key(b"same bytes"), a.key(b"same bytes"));
        let key = a.key(b"text");
        assert_eq!(a.get::<Vec<u32>>(&key), None);
        a.put(&key, &vec![1u32, 2, 3]).unwrap();
        assert_eq!(a.get::<Vec<u32>>(&key), Some(vec![1, 2, 3]));
        // A damaged entry is treated as missing.
        std::fs::write(a.path(&key), "{").unwrap();
        assert_eq!(a.get::<Vec<u32>>(&key), None);
    }
}
