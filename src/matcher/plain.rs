//! The plain-word engine: ASCII words, phrases, wildcards, acronyms and
//! spelling variants (nearly all of a codebook) found without a regex.
//!
//! Here: [`PlainIndex`] and its scan of a segment's word starts 64 bytes at
//! a time ([`word_mask`]), the [`StartFilter`] that passes over most words,
//! the [`FirstWords`] lookup of the first words' spellings, the rest of each
//! pattern ([`Tail`], [`TailWord`]) and the spellings packed for comparing
//! eight bytes at once ([`Packed`]). It only lists matches ([`PlainMatch`]):
//! what they count for, and the patterns that need a regex, live in the
//! parent module and in `regexes.rs`.

use crate::pattern::{Pattern, Plain};

#[cfg(test)]
mod tests;

/// The regex-free form of entry `i`, if it has one.
pub(super) fn plain_of(pattern: &Pattern) -> Option<&Plain> {
    match pattern {
        Pattern::Single(c) => c.plain.as_ref(),
        Pattern::Near { .. } => None,
    }
}

/// One match of a plain pattern.
#[derive(Debug, Clone, Copy)]
pub(super) struct PlainMatch {
    pub(super) entry: u32,
    pub(super) start: u32,
    pub(super) end: u32,
}

/// The plain patterns of a codebook, found without a regex.
///
/// Every plain pattern starts with an ASCII word character at a word
/// boundary, so a match can only start where a run of ASCII word characters
/// starts after a non-word character. At each such place one lookup in
/// [`FirstWords`] gives the first-word spellings that occur there
/// (ASCII-case-insensitively) and the patterns they begin; the rest of each
/// of those patterns (case of acronyms, wildcard, separators, further
/// words, the final word boundary) is then checked in place, in the regex's
/// order of preference. The result is exactly what the patterns' regexes
/// give, at a small fixed cost per word of text.
#[derive(Debug)]
pub(super) struct PlainIndex {
    /// Every first word's spellings, by the run of word bytes they begin
    /// with.
    first: FirstWords,
    /// Per entry: its plain form, packed for the checks after the first
    /// word (a default, never used, for an entry without one).
    tails: Vec<Tail>,
    /// The words after the first of all the plain patterns.
    tail_words: Vec<TailWord>,
    /// Every spelling of a word of a plain pattern, packed.
    packed: Vec<Packed>,
    /// The bytes of the spellings longer than eight bytes, end to end.
    long_bytes: Vec<u8>,
    /// Which word starts can begin a first word at all, so that most words
    /// are passed over without a lookup in `first`.
    filter: StartFilter,
}

/// A set of beginnings of the first words' spellings, each hashed into one
/// small bit table with the length of the run of word characters it needs,
/// ASCII letters folded (acronyms too: the filter may let through more than
/// matches, never less). A word start is probed under the run it begins:
/// its first four bytes (the whole run when shorter) and its length (up to
/// [`LONGEST`]). So a spelling that must be followed by a non-word
/// character (`care`, `gp`, `a` of `a&e`) is filed once, under its run and
/// that run's length; one that may run on into a longer word (`integrat*`)
/// under its first four bytes and every length from its own up; and a short
/// one that may run on (`kpi*`, or `co` of a closed-up `co-locat*`) under
/// every run of up to three bytes it can begin and, as the first four bytes
/// of any longer run, under [`ANY_LENGTH`] (a second probe, made only when
/// something is filed there). One of a single byte goes in a table of first
/// bytes instead (it could begin almost any run).
#[derive(Debug)]
struct StartFilter {
    bits: Vec<u64>,
    /// The bytes that begin a one-byte spelling that may run on, both cases.
    single: [u64; 4],
    /// Whether `single` has a byte at all.
    any_single: bool,
    /// Whether anything is filed under [`ANY_LENGTH`].
    any_length: bool,
}

/// Bits in the [`StartFilter`] table: 8 KiB, which stays in the fastest cache.
const FILTER_BITS: u32 = 16;

/// Runs of word bytes this long or longer are filed under one length.
const LONGEST: usize = 15;

/// The tag of a run of four or more word bytes filed whatever its length.
const ANY_LENGTH: usize = LONGEST + 1;

impl StartFilter {
    /// `keys`: each first-word spelling, and whether it may run on into a
    /// longer word.
    fn new<'a>(keys: impl IntoIterator<Item = (&'a [u8], bool)>) -> StartFilter {
        let mut filter = StartFilter {
            bits: vec![0u64; 1 << (FILTER_BITS - 6)],
            single: [0; 4],
            any_single: false,
            any_length: false,
        };
        let word_bytes: Vec<u8> = (0..=255u8).filter(|&b| is_word_byte(b)).collect();
        for (key, runs_on) in keys {
            let run = key.iter().take_while(|&&b| is_word_byte(b)).count();
            if !(runs_on && run == key.len()) {
                filter.insert(&key[..run.min(4)], run.min(LONGEST));
            } else if run >= 4 {
                for tag in run.min(LONGEST)..=LONGEST {
                    filter.insert(&key[..4], tag);
                }
            } else if run == 1 {
                for b in [key[0].to_ascii_lowercase(), key[0].to_ascii_uppercase()] {
                    filter.single[usize::from(b / 64)] |= 1 << (b % 64);
                }
                filter.any_single = true;
            } else {
                // Itself, and itself followed by any word bytes: exactly,
                // up to three bytes; then as the first four of a run of
                // any length.
                let mut runs = vec![key.to_vec()];
                while let Some(run) = runs.pop() {
                    if run.len() < 4 {
                        filter.insert(&run, run.len());
                        runs.extend(word_bytes.iter().map(|&b| [&run[..], &[b]].concat()));
                    } else {
                        filter.insert(&run, ANY_LENGTH);
                        filter.any_length = true;
                    }
                }
            }
        }
        filter
    }

    /// Files the first `run.len()` (1 to 4) bytes of a run of word bytes
    /// under `tag`: the run's length (up to [`LONGEST`]: that long or
    /// longer), or [`ANY_LENGTH`].
    fn insert(&mut self, run: &[u8], tag: usize) {
        let i = Self::slot(fold_key(load8(run, 0), run.len(), tag));
        self.bits[i / 64] |= 1 << (i % 64);
    }

    /// Where a key ([`fold_key`]) goes in the table.
    #[inline]
    fn slot(key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - FILTER_BITS)) as usize
    }

    #[inline]
    fn has(&self, slot: usize) -> bool {
        (self.bits[slot / 64] >> (slot % 64)) & 1 != 0
    }

    /// Whether a first word may start at word start `i`, where a run of
    /// `run` word bytes begins.
    #[inline]
    fn may_start(&self, bytes: &[u8], i: usize, run: usize) -> bool {
        let packed = load8(bytes, i);
        let first = packed as u8;
        // Each `&&` always goes the same way for a codebook; the `|`s do
        // not branch (see `scan`).
        self.has(Self::slot(run_key(packed, run)))
            | (self.any_length
                && (run >= 4) & self.has(Self::slot(fold_key(packed, 4, ANY_LENGTH))))
            | (self.any_single && (self.single[usize::from(first / 64)] >> (first % 64)) & 1 != 0)
    }
}

/// The bytes `(?-u:\w)` matches.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether the character ending at `at` is a (Unicode) word character.
fn word_before(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_some_and(regex_syntax::is_word_character)
}

/// Whether the character starting at `at` is a (Unicode) word character.
fn word_after(text: &str, at: usize) -> bool {
    match text.as_bytes().get(at) {
        None => false,
        Some(&b) if b < 0x80 => is_word_byte(b),
        Some(_) => text[at..]
            .chars()
            .next()
            .is_some_and(regex_syntax::is_word_character),
    }
}

/// Whether `spelling` occurs at `at`: letters ASCII-case-insensitively
/// unless `exact`.
fn spelled_at(bytes: &[u8], at: usize, spelling: &[u8], exact: bool) -> bool {
    match bytes.get(at..at + spelling.len()) {
        Some(here) if exact => here == spelling,
        Some(here) => here.eq_ignore_ascii_case(spelling),
        None => false,
    }
}

impl PlainIndex {
    pub(super) fn new(patterns: &[Pattern]) -> PlainIndex {
        let plain: Vec<Option<Plain>> = patterns.iter().map(|p| plain_of(p).cloned()).collect();
        // Every first-word spelling: (entry, its number, its bytes, whether
        // it may run on into a longer word).
        let firsts: Vec<(u32, u32, &[u8], bool)> = plain
            .iter()
            .enumerate()
            .flat_map(|(entry, p)| {
                p.iter().flat_map(move |p| {
                    let word = &p.words[0];
                    let runs_on = word.wildcard || p.words.get(1).is_some_and(|w| w.closed_up);
                    word.spellings.iter().enumerate().map(move |(s, spelling)| {
                        (entry as u32, s as u32, spelling.as_slice(), runs_on)
                    })
                })
            })
            .collect();
        let mut index = PlainIndex {
            filter: StartFilter::new(
                firsts
                    .iter()
                    .map(|&(_, _, bytes, runs_on)| (bytes, runs_on)),
            ),
            first: FirstWords::new(firsts.iter().copied()),
            tails: Vec::with_capacity(plain.len()),
            tail_words: Vec::new(),
            packed: Vec::new(),
            long_bytes: Vec::new(),
        };
        for p in &plain {
            let tail = match p {
                None => Tail::default(),
                Some(p) => {
                    let first = &p.words[0];
                    let from = index.tail_words.len() as u32;
                    for word in &p.words[1..] {
                        let spellings = index.pack(&word.spellings, word.case_sensitive);
                        index.tail_words.push(TailWord {
                            spellings,
                            wildcard: word.wildcard,
                            closed_up: word.closed_up,
                        });
                    }
                    Tail {
                        first_spellings: index.pack(&first.spellings, first.case_sensitive),
                        first_case_sensitive: first.case_sensitive,
                        first_wildcard: first.wildcard,
                        words: (from, index.tail_words.len() as u32),
                        word_end: p.word_end,
                    }
                }
            };
            index.tails.push(tail);
        }
        index
    }

    /// Packs spellings into `packed`; gives their range.
    fn pack(&mut self, spellings: &[Vec<u8>], case_sensitive: bool) -> (u32, u32) {
        let from = self.packed.len() as u32;
        for spelling in spellings {
            let packed = Packed::new(spelling, case_sensitive, &mut self.long_bytes);
            self.packed.push(packed);
        }
        (from, self.packed.len() as u32)
    }

    /// Pushes every match of every plain pattern in `text`, by start (each
    /// start once per pattern, with the end its regex would give).
    /// `heads` is a buffer for (entry, spelling, end of the first word) at
    /// one start.
    pub(super) fn scan(
        &self,
        text: &str,
        out: &mut Vec<PlainMatch>,
        heads: &mut Vec<(u32, u32, usize)>,
    ) {
        if self.first.spellings.is_empty() {
            return;
        }
        let bytes = text.as_bytes();
        heads.clear();
        // Word starts, 64 bytes at a time: the first byte of each run of
        // ASCII word characters.
        let mut after_word = 0u64;
        let mut chunks = bytes.chunks(64).enumerate().peekable();
        let mut word = chunks.peek().map_or(0, |(_, chunk)| word_mask(chunk));
        while let Some((c, _)) = chunks.next() {
            // The next chunk's mask too, for the runs that reach into it.
            let next = chunks.peek().map_or(0, |(_, chunk)| word_mask(chunk));
            let runs = u128::from(word) | u128::from(next) << 64;
            let mut starts = word & !(word << 1 | after_word);
            after_word = word >> 63;
            word = next;
            // First the filter over all the chunk's word starts, without
            // branching on its answers (about one in five passes, which a
            // branch predictor cannot learn); then the lookups.
            let mut pass = 0u64;
            while starts != 0 {
                let k = starts.trailing_zeros();
                starts &= starts - 1;
                let run = ((runs >> k) as u64).trailing_ones() as usize;
                pass |= u64::from(self.filter.may_start(bytes, c * 64 + k as usize, run)) << k;
            }
            while pass != 0 {
                let k = pass.trailing_zeros();
                pass &= pass - 1;
                let i = c * 64 + k as usize;
                // A word boundary unless a non-ASCII word character comes
                // just before.
                if i > 0 && bytes[i - 1] >= 0x80 && word_before(text, i) {
                    continue;
                }
                let mut run = ((runs >> k) as u64).trailing_ones() as usize;
                if run == 64 {
                    run += bytes[i + 64..]
                        .iter()
                        .take_while(|&&b| is_word_byte(b))
                        .count();
                }
                self.first.heads_at(bytes, i, run, heads);
                if !heads.is_empty() {
                    self.finish(text, i, heads, out);
                }
            }
        }
    }

    /// Checks the rest of each pattern whose first word starts at `i`.
    fn finish(
        &self,
        text: &str,
        i: usize,
        heads: &mut Vec<(u32, u32, usize)>,
        out: &mut Vec<PlainMatch>,
    ) {
        // In the regex's order of preference: by entry, then spelling.
        heads.sort_unstable();
        let mut last = u32::MAX;
        let bytes = text.as_bytes();
        for &(entry, spelling, end) in heads.iter() {
            if entry == last {
                continue;
            }
            let tail = &self.tails[entry as usize];
            // An acronym's case (its key was lower-cased).
            if tail.first_case_sensitive
                && !self.packed[(tail.first_spellings.0 + spelling) as usize].at(
                    &self.long_bytes,
                    bytes,
                    i,
                )
            {
                continue;
            }
            if let Some(end) = self.rest(tail, text, 0, end) {
                last = entry;
                out.push(PlainMatch {
                    entry,
                    start: i as u32,
                    end: end as u32,
                });
            }
        }
        heads.clear();
    }

    /// Where a plain pattern's match ends, given that its word `w` ends at
    /// `at`; `None` if the rest does not follow.
    fn rest(&self, tail: &Tail, text: &str, w: usize, mut at: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        let (from, to) = (tail.words.0 as usize, tail.words.1 as usize);
        let wildcard = match w {
            0 => tail.first_wildcard,
            _ => self.tail_words[from + w - 1].wildcard,
        };
        if wildcard {
            while at < bytes.len() && is_word_byte(bytes[at]) {
                at += 1;
            }
        }
        let Some(next) = self.tail_words[from..to].get(w) else {
            return (!(tail.word_end && word_after(text, at))).then_some(at);
        };
        // A run of whitespace and hyphens (ASCII first: the common case).
        let before = at;
        while let Some(&b) = bytes.get(at) {
            if b < 0x80 {
                if !(b.is_ascii_whitespace() || b == b'-' || b == 0x0B) {
                    break;
                }
                at += 1;
            } else {
                match text[at..].chars().next() {
                    Some(c) if c.is_whitespace() || matches!(c, '\u{2010}' | '\u{2011}') => {
                        at += c.len_utf8()
                    }
                    _ => break,
                }
            }
        }
        if at == before && !next.closed_up {
            return None;
        }
        let spellings = &self.packed[next.spellings.0 as usize..next.spellings.1 as usize];
        spellings.iter().find_map(|spelling| {
            spelling
                .at(&self.long_bytes, bytes, at)
                .then(|| self.rest(tail, text, w + 1, at + spelling.len as usize))
                .flatten()
        })
    }
}

/// A plain pattern, packed: what [`PlainIndex::rest`] checks after its
/// first word.
#[derive(Debug, Default, Clone, Copy)]
struct Tail {
    /// The first word's spellings, in `packed`.
    first_spellings: (u32, u32),
    first_case_sensitive: bool,
    first_wildcard: bool,
    /// The words after the first, in `tail_words`.
    words: (u32, u32),
    /// The match must end at a word boundary.
    word_end: bool,
}

/// A word after the first of a plain pattern.
#[derive(Debug, Clone, Copy)]
struct TailWord {
    /// Its spellings, in `packed`, in the regex's order of preference.
    spellings: (u32, u32),
    wildcard: bool,
    /// The separator run before it may be empty.
    closed_up: bool,
}

/// A spelling, packed for comparing with the text eight bytes at once.
#[derive(Debug, Clone, Copy)]
struct Packed {
    /// Its first (up to) eight bytes, little-endian, and bit 5 of each of
    /// them that is a letter compared ASCII-case-insensitively:
    /// `text | letters == word` over its length.
    word: u64,
    letters: u64,
    len: u32,
    /// Where its bytes after the eighth are in `long_bytes`.
    long_at: u32,
    case_sensitive: bool,
}

impl Packed {
    /// Packs `spelling`; its bytes after the eighth go to `long_bytes`.
    fn new(spelling: &[u8], case_sensitive: bool, long_bytes: &mut Vec<u8>) -> Packed {
        let head = &spelling[..spelling.len().min(8)];
        let folds = |b: u8| b.is_ascii_alphabetic() && !case_sensitive;
        let word: Vec<u8> = head
            .iter()
            .map(|&b| if folds(b) { b | 0x20 } else { b })
            .collect();
        let letters: Vec<u8> = head
            .iter()
            .map(|&b| if folds(b) { 0x20 } else { 0 })
            .collect();
        let long_at = long_bytes.len() as u32;
        long_bytes.extend_from_slice(spelling.get(8..).unwrap_or_default());
        Packed {
            word: load8(&word, 0),
            letters: load8(&letters, 0),
            len: spelling.len() as u32,
            long_at,
            case_sensitive,
        }
    }

    /// Whether the spelling occurs at `at`.
    #[inline]
    fn at(&self, long_bytes: &[u8], bytes: &[u8], at: usize) -> bool {
        self.matches(load8(bytes, at), long_bytes, bytes, at)
    }

    /// Whether the spelling occurs at `at`, given `here`, [`load8`] of it.
    #[inline]
    fn matches(&self, here: u64, long_bytes: &[u8], bytes: &[u8], at: usize) -> bool {
        let len = self.len as usize;
        let mask = u64::MAX >> (64 - 8 * len.min(8));
        (here | self.letters) & mask == self.word
            && (len <= 8 || {
                let long = &long_bytes[self.long_at as usize..][..len - 8];
                spelled_at(bytes, at + 8, long, self.case_sensitive)
            })
    }
}

/// The first words' spellings, looked up by the word run at a word start,
/// under the key the [`StartFilter`] probes: the run's first four bytes (the
/// whole run when shorter, letters folded) and its length (up to
/// [`LONGEST`]). A spelling that must be followed by a non-word byte is
/// filed under its own run; one of four bytes or more that may run on into
/// a longer word (`integrat*`) under every length from its own up; and a
/// shorter one that may run on (`kpi*`, or `co` of a closed-up `co-locat*`)
/// by its first byte, looked at on every lookup (there are few). A lookup
/// gives candidates; each is then compared with the text.
#[derive(Debug, Default)]
struct FirstWords {
    /// (folded bytes | key length << 32) -> range of `spellings`.
    by_run: FoldMap,
    /// Per first byte: the range of `spellings` of up to three bytes that
    /// may run on (both cases of a letter).
    single: Vec<(u32, u32)>,
    /// The distinct spellings (lower-cased), each compared with the text
    /// once for all the patterns it begins.
    spellings: Vec<FirstSpelling>,
    /// Per spelling, a range of this: (entry, its spelling number). An
    /// acronym's case is checked later, against its own spelling.
    owners: Vec<(u32, u32)>,
    /// The spellings' bytes after the eighth, end to end.
    long_bytes: Vec<u8>,
}

type FoldMap =
    std::collections::HashMap<u64, (u32, u32), std::hash::BuildHasherDefault<FoldHasher>>;

/// One distinct spelling of first words.
#[derive(Debug, Clone, Copy)]
struct FirstSpelling {
    /// Its bytes, packed (lower-cased, compared ASCII-case-insensitively).
    packed: Packed,
    /// The length of its run of word bytes, when the text's run must be
    /// exactly as long (it may not run on), else 0.
    whole_run: u32,
    /// Its range of [`FirstWords::owners`].
    owners: (u32, u32),
}

/// A fast hash for the `u64` keys of [`FirstWords`]: one multiply (as in
/// rustc's FxHasher), rotated so that the well-mixed high bits are the ones
/// the table uses for its slot.
#[derive(Debug, Default, Clone, Copy)]
struct FoldHasher(u64);

impl std::hash::Hasher for FoldHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    #[inline]
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

/// Up to eight bytes from `at`, little-endian (those past the end are 0).
#[inline]
fn load8(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().expect("8 bytes")),
        None => bytes
            .get(at..)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .fold(0, |x, (k, &b)| x | u64::from(b) << (8 * k)),
    }
}

/// The key of the first `len` (1 to 4) bytes of `packed` (the start of a
/// run of word bytes), letters folded to lower case (bit 5 set in every
/// byte), filed under `tag`.
#[inline]
fn fold_key(packed: u64, len: usize, tag: usize) -> u64 {
    let mask = (1u64 << (8 * len)) - 1;
    (packed | 0x2020_2020) & mask | (tag as u64) << 32
}

/// The key of a run of `run` word bytes starting `packed` ([`load8`]): its
/// first (up to) four bytes and its length up to [`LONGEST`]. The
/// [`StartFilter`] and [`FirstWords`] both file under it.
#[inline]
fn run_key(packed: u64, run: usize) -> u64 {
    fold_key(packed, run.min(4), run.min(LONGEST))
}

/// A distinct first-word spelling while [`FirstWords`] is built: its bytes
/// (lower-cased), its whole run (or 0) and its owners.
type Distinct = (Vec<u8>, u32, Vec<(u32, u32)>);

impl FirstWords {
    /// `spellings`: (entry, spelling, its bytes, may run on).
    fn new<'a>(spellings: impl IntoIterator<Item = (u32, u32, &'a [u8], bool)>) -> FirstWords {
        let mut first = FirstWords::default();
        // The distinct spellings (lower-cased bytes, whole run), in order of
        // first use, each with its owners.
        let mut distinct: Vec<Distinct> = Vec::new();
        let mut index = std::collections::HashMap::new();
        for (entry, spelling, bytes, runs_on) in spellings {
            let run = bytes.iter().take_while(|&&b| is_word_byte(b)).count();
            let whole_run = if runs_on && run == bytes.len() {
                0
            } else {
                run as u32
            };
            let key = (bytes.to_ascii_lowercase(), whole_run);
            let k = *index.entry(key.clone()).or_insert_with(|| {
                distinct.push((key.0, key.1, Vec::new()));
                distinct.len() - 1
            });
            distinct[k].2.push((entry, spelling));
        }
        // (key, or u64::MAX - first byte for a short run-on; spelling number)
        let mut filed: Vec<(u64, u32)> = Vec::new();
        for (k, (bytes, whole_run, owners)) in distinct.iter().enumerate() {
            let from = first.owners.len() as u32;
            first.owners.extend(owners);
            first.spellings.push(FirstSpelling {
                packed: Packed::new(bytes, false, &mut first.long_bytes),
                whole_run: *whole_run,
                owners: (from, first.owners.len() as u32),
            });
            let k = k as u32;
            let run = bytes.iter().take_while(|&&b| is_word_byte(b)).count();
            if *whole_run != 0 {
                filed.push((run_key(load8(bytes, 0), run), k));
            } else if run >= 4 {
                // Under every run length it can begin.
                for len in run.min(LONGEST)..=LONGEST {
                    filed.push((run_key(load8(bytes, 0), len), k));
                }
            } else {
                // A short spelling that may run on: by its first byte.
                for b in [bytes[0], bytes[0].to_ascii_uppercase()] {
                    filed.push((u64::MAX - u64::from(b), k));
                }
            }
        }
        // Grouped by key, in order of first use within a group.
        filed.sort_unstable();
        filed.dedup();
        first.single = vec![(0, 0); 256];
        let mut grouped = Vec::with_capacity(filed.len());
        for group in filed.chunk_by(|a, b| a.0 == b.0) {
            let from = grouped.len() as u32;
            grouped.extend(group.iter().map(|&(_, k)| first.spellings[k as usize]));
            let range = (from, grouped.len() as u32);
            match u64::MAX - group[0].0 {
                b @ 0..=255 => first.single[b as usize] = range,
                _ => {
                    first.by_run.insert(group[0].0, range);
                }
            }
        }
        first.spellings = grouped;
        first
    }

    /// Pushes (entry, spelling, end) for each first-word spelling that
    /// occurs at word start `i`, where a run of `run` word bytes begins.
    #[inline]
    fn heads_at(&self, bytes: &[u8], i: usize, run: usize, heads: &mut Vec<(u32, u32, usize)>) {
        let here = load8(bytes, i);
        let mut take = |(from, to): (u32, u32)| {
            for s in &self.spellings[from as usize..to as usize] {
                if (s.whole_run == 0 || s.whole_run as usize == run)
                    && s.packed.matches(here, &self.long_bytes, bytes, i)
                {
                    let end = i + s.packed.len as usize;
                    let owners = &self.owners[s.owners.0 as usize..s.owners.1 as usize];
                    heads.extend(owners.iter().map(|&(entry, n)| (entry, n, end)));
                }
            }
        };
        if let Some(&range) = self.by_run.get(&run_key(here, run)) {
            take(range);
        }
        let single = self.single[usize::from(bytes[i])];
        if single.0 != single.1 {
            take(single);
        }
    }
}

/// Bit k is set when `chunk[k]` (at most 64 bytes) is an ASCII word byte.
#[inline]
fn word_mask(chunk: &[u8]) -> u64 {
    let mut eights = chunk.chunks_exact(8);
    let mut mask = 0u64;
    let mut k = 0;
    for eight in eights.by_ref() {
        let x = u64::from_le_bytes(eight.try_into().expect("8 bytes"));
        mask |= word_bits(x) << k;
        k += 8;
    }
    for (j, &b) in eights.remainder().iter().enumerate() {
        mask |= u64::from(is_word_byte(b)) << (k + j);
    }
    mask
}

/// The word bytes among eight, one bit each (SWAR: no branch, no table).
#[inline]
fn word_bits(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // Per byte, for values up to 0x7F: bit 7 of `v + 0x80 - a` says v >= a.
    let at_least = |v: u64, a: u8| (v + (0x80 - u64::from(a)) * ONES) & HIGH;
    let low = x & LOW;
    let folded = (x | (0x20 * ONES)) & LOW;
    let letter = at_least(folded, b'a') & !at_least(folded, b'z' + 1);
    let digit = at_least(low, b'0') & !at_least(low, b'9' + 1);
    let underscore = !((low ^ (u64::from(b'_') * ONES)) + LOW) & HIGH;
    // Bytes from 0x80 up are never word bytes.
    let flags = (letter | digit | underscore) & !(x & HIGH);
    // Gather bit 7 of each byte into the top byte, then bring it down.
    ((flags >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}
