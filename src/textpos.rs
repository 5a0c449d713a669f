//! Byte offsets to Unicode code-point offsets, the unit REFI-QDA and the
//! codings CSV use.
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

#[cfg(test)]
mod tests {
    use super::*;

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
