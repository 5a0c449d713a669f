//! Byte offsets to Unicode code-point offsets, the unit REFI-QDA and the
//! codings CSV use; and a segment's stable id from its code-point span
//! ([`segment_id`]).
//!
//! Rust strings are indexed by byte; researchers' tools count code points.
//! [`CharIndex`] converts in O(1) amortised per query by keeping a running
//! count, with a checkpoint table for queries that go backwards.

/// Converts byte offsets of one text to code-point offsets.
pub struct CharIndex<'a> {
    bytes: &'a [u8],
    /// Code points before each multiple of [`BLOCK`] bytes.
    checkpoints: Vec<usize>,
}

const BLOCK: usize = 4096;

impl<'a> CharIndex<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> CharIndex<'a> {
        let bytes = text.as_bytes();
        let mut checkpoints = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut count = 0;
        for chunk in bytes.chunks(BLOCK) {
            checkpoints.push(count);
            count += chunk.iter().filter(|&&b| !is_continuation(b)).count();
        }
        checkpoints.push(count);
        CharIndex { bytes, checkpoints }
    }

    /// The code-point offset of byte offset `byte` (a char boundary).
    ///
    /// ```
    /// let text = "é-care";
    /// let index = mint::textpos::CharIndex::new(text);
    /// assert_eq!(index.char_offset(3), 2);
    /// ```
    pub fn char_offset(&self, byte: usize) -> usize {
        let block = byte / BLOCK;
        let start = block * BLOCK;
        self.checkpoints[block]
            + self.bytes[start..byte]
                .iter()
                .filter(|&&b| !is_continuation(b))
                .count()
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0b1100_0000 == 0b1000_0000
}

/// A segment's stable id: the first 12 hex digits of the BLAKE3
/// hash of its file's name and its code-point span in the file's text. The
/// `--codings` CSV, `mint quotes` and `mint report` write the same id for
/// the same segment, run after run while the file's text is unchanged.
pub fn segment_id(file: &str, start: usize, end: usize) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(file.as_bytes());
    hasher.update(&[0]);
    hasher.update(&(start as u64).to_le_bytes());
    hasher.update(&(end as u64).to_le_bytes());
    hasher.finalize().to_hex()[..12].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_ids_are_stable_and_tell_segments_apart() {
        let id = segment_id("a.txt", 10, 20);
        assert_eq!(id.len(), 12);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(id, segment_id("a.txt", 10, 20));
        assert_ne!(id, segment_id("a.txt", 10, 21));
        assert_ne!(id, segment_id("b.txt", 10, 20));
        // The name and the span cannot run into each other.
        assert_ne!(segment_id("a1", 0, 0), segment_id("a", 1, 0));
    }

    #[test]
    fn agrees_with_counting_chars_everywhere() {
        let text = "aé€𝄞\r\nb".repeat(2000);
        let index = CharIndex::new(&text);
        for (byte, _) in text.char_indices().step_by(7) {
            assert_eq!(index.char_offset(byte), text[..byte].chars().count());
        }
        assert_eq!(index.char_offset(text.len()), text.chars().count());
    }
}
