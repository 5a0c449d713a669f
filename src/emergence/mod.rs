//! Emergent codes: candidate codes proposed from what participants say that
//! the codebook does not name yet.
//!
//! The method, in the order [`propose`] runs it:
//!
//! 1. **Phrases.** Participant segments are split into words and clauses
//!    (punctuation ends a clause). A candidate phrase is 1 to 3 words of one
//!    clause with no stop word at either edge, no number and no participant
//!    id. Words are stemmed (Snowball English), so "referral" and
//!    "referrals" are one phrase; acronyms (`GP`, `A&E`) keep their case.
//!    An occurrence that overlaps a match of a codebook pattern is named
//!    already, and not counted ([`Coverage`]).
//! 2. **Keyness.** A phrase is scored (a) in the segments the codebook
//!    leaves uncoded against the coded ones, and (b) in each theme's
//!    segments against all the others (a sub-topic no code names). Either
//!    way it gets two log-likelihood (G2) scores, against the rest of the
//!    corpus and against general English (the wordfreq list in
//!    `data/wordfreq`; a phrase's probability there is estimated from its
//!    words'), and keeps the weaker. It must be significant (p < 0.05), at
//!    least [`MIN_RATIO`] times as frequent as in the rest of the corpus,
//!    [`MIN_BACKGROUND_RATIO`] times as in English, said at least three
//!    times, and by at least `min_participants` participants. The score is
//!    divided by the most an occurrence can add, so that the large uncoded
//!    text and a small theme compare fairly.
//! 3. **Grouping.** The best phrases are grouped by how they co-occur in
//!    the same speaker turns (average-linkage clustering on the Ochiai
//!    coefficient); a phrase inside another always joins it.
//! 4. **Candidates.** Each group becomes a code with patterns in mint's
//!    pattern language (`referral*`). Its support is what those patterns
//!    match, applied as `mint code` applies them, with up to three
//!    exemplars from different participants, and a suggested parent theme:
//!    the theme coded most above its base rate in the same turns.
//!    Candidates from uncoded text come first, then sub-topics of themes,
//!    each by the sum of their phrases' scores.
//!
//! Everything is deterministic: counts are integers merged in any order,
//! and every ranking breaks ties by text.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use regex::Regex;
use rust_stemmers::{Algorithm, Stemmer};

use crate::codebook::{Code, Codebook, Meta, Origin, Theme};
use crate::corpus::{Transcript, Unit};
use crate::error::CodebookError;
use crate::matcher::{Hit, Matcher};
use crate::pattern;

/// The general-English background list: `word<TAB>zipf` lines, derived from
/// wordfreq 3.1.1 (CC BY-SA 4.0; see `data/wordfreq/ATTRIBUTION.md`).
pub const BACKGROUND_EN: &str = include_str!("../data/wordfreq/en.tsv");

/// G2 above this is significant at p < 0.05 (one degree of freedom).
pub const MIN_KEYNESS: f64 = 3.84;

/// A phrase must also be at least this many times as frequent (relatively)
/// where it stands out as in the rest of the corpus: significance alone
/// favours common words that are only a little more common there.
pub const MIN_RATIO: f64 = 3.0;

/// ...and at least this many times as frequent as in general English, or
/// it is everyday talk ("better", "fair enough", "last week").
pub const MIN_BACKGROUND_RATIO: f64 = 20.0;

/// The nominal size of the background corpus: wordfreq's Zipf scale counts
/// occurrences per billion words.
const BACKGROUND_SIZE: f64 = 1e9;

/// The longest phrase, in words.
const MAX_WORDS: usize = 3;

/// How many of the best phrases are grouped into candidates.
const POOL: usize = 60;

/// How many phrases of the uncoded text are looked at closely (forms,
/// turns, participants per theme) before the final choice.
const SHORTLIST_UNCODED: usize = 400;

/// How many phrases of each theme's text are looked at closely.
const SHORTLIST_THEME: usize = 120;

/// Groups merge while their average Ochiai coefficient is at least this.
const MIN_COOCCURRENCE: f64 = 0.2;

/// A phrase must occur at least this many times where it stands out.
const MIN_OCCURRENCES: u32 = 3;

/// At most this many patterns per candidate.
const MAX_PATTERNS: usize = 8;

/// Words that never start or end a phrase: function words, contractions,
/// fillers and the light verbs of conversation. Spelled-out numbers too.
const STOP_WORDS: &str = "
a about above across actually after afterwards again against ago ah ahead ain't all almost along
already also although always am among amongst an and another any anybody anyhow anyone anything
anyway anywhere are aren't around as aside at away back basically be became because become been
before beforehand behind being below beside besides between beyond both but by can can't cannot
cause cos could couldn't did didn't do does doesn't doing don't done down during each eh either
else elsewhere enough er erm etc even ever every everybody everyone everything everywhere exactly
except far few for from further furthermore get gets getting go goes going gone gonna good got
gotta gotten had hadn't has hasn't have haven't having he he'd he'll hence her here hereby herein
hers herself him himself his hmm how however i i'd i'll i'm i've if in indeed instead into is isn't
it it'd it'll its itself just kind know knew known laugh laughs laughter least less let lot lots
loads maybe me meanwhile mean means meant might mine mm mmm more moreover most mostly much must
mustn't my myself namely neither never nevertheless next no nobody none nonetheless noone nor not
nothing now nowhere of off oh ok okay on once only onto or other others otherwise ought our ours
ourselves out over own pause perhaps please pretty probably quite rather really right said same
say saying says seem seemed seems shall shan't she she'd she'll should shouldn't since so some
somebody somehow someone something sometime sometimes somewhat somewhere sort sorry still stuff
such sure than thank thanks that the their theirs them themselves then thence there thereafter
thereby therefore therein these they they'd they'll they're they've thing things think thinking
this those though thought through throughout thru thus to together too toward towards uh um umm
under unless until up upon us very via was wasn't way we we'd we'll we're we've well went were
weren't what whatever when whence whenever where whereas whereby wherever whether which while
whilst who whoever whole whom whose why will with within without won't would wouldn't yeah yep
yes yet you you'd you'll you're you've your yours yourself yourselves yup y'know inaudible
crosstalk unclear

one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
hundreds thousand thousands million millions first second third fourth fifth sixth seventh
eighth ninth tenth half dozen couple several many

bit big bad great little lovely nice fine able certain certainly definitely absolutely totally
completely obviously honestly literally generally usually normally especially particularly
mainly really fairly massive huge loads whatnot anyways

come comes came coming make makes made making take takes took taken taking see saw seen seeing
look looked looking looks want wanted wants wanting try tried trying tries put puts putting give
gave given gives giving tell told telling tells talk talked talking ask asked asking guess
suppose reckon wonder bring brought feel felt feels feeling find found happen happened happens
start started keep kept let let's lets

there'll that'll what'll who'll it'll there'd that'd who'd what'd where'd how'd would've could've
should've might've must've i'd've y'all o'clock
";

/// A word that is, written in capitals, a domain acronym although its lower
/// case is a stop word.
const ACRONYM_STOP_EXCEPTIONS: &[&str] = &["IT"];

/// One word of a segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Byte span in the segment.
    pub start: usize,
    /// End of the span, exclusive.
    pub end: usize,
    /// What the word is, for counting: its stem (lower case), or an acronym
    /// in capitals without a plural `s`. Empty for a break.
    pub stem: Arc<str>,
    /// The word as a pattern would name it: lower case (an acronym keeps
    /// its case), possessive `'s` removed, typographic apostrophes plain.
    /// Empty for a break at punctuation.
    pub word: Arc<str>,
    /// What kind of token it is.
    pub kind: Kind,
    /// The word's probability in general English (content words only; an
    /// upper bound for words the background list does not have).
    pub background: f64,
}

/// What a token may do in a phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A content word: may start, end or be a phrase.
    Content,
    /// A stop word: only inside a phrase.
    Stop,
    /// The end of a clause, a number or a participant id: no phrase spans it.
    Break,
}

/// General-English word probabilities, by stem.
#[derive(Debug, Clone)]
pub struct Background {
    by_stem: HashMap<String, f64>,
    /// The probability given to words the list does not have: its smallest.
    floor: f64,
}

impl Background {
    /// The embedded English list ([`BACKGROUND_EN`]).
    pub fn english() -> Background {
        Background::parse(BACKGROUND_EN)
    }

    /// Reads `word<TAB>zipf` lines (`#` starts a comment). Words with the
    /// same stem add up.
    pub fn parse(text: &str) -> Background {
        let stemmer = Stemmer::create(Algorithm::English);
        let mut by_stem: HashMap<String, f64> = HashMap::new();
        let mut floor = f64::INFINITY;
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((word, zipf)) = line.split_once('\t') else {
                continue;
            };
            let Ok(zipf) = zipf.trim().parse::<f64>() else {
                continue;
            };
            let p = 10f64.powf(zipf - 9.0);
            floor = floor.min(p);
            *by_stem.entry(stemmer.stem(word).into_owned()).or_default() += p;
        }
        Background {
            by_stem,
            floor: if floor.is_finite() { floor } else { 1e-6 },
        }
    }

    /// The probability of a stem, or the floor.
    pub fn probability(&self, stem: &str) -> f64 {
        self.by_stem.get(stem).copied().unwrap_or(self.floor)
    }
}

/// Splits segments into tokens: stems them, marks stop words, and breaks
/// at punctuation, numbers and participant ids.
pub struct Lexicon {
    stemmer: Stemmer,
    stop: HashSet<&'static str>,
    ids: HashSet<String>,
    background: Background,
}

impl Lexicon {
    /// A lexicon that never lets the given ids (participant ids, speaker
    /// labels; compared in lower case) into a phrase.
    pub fn new<S: AsRef<str>>(ids: &[S], background: Background) -> Lexicon {
        Lexicon {
            stemmer: Stemmer::create(Algorithm::English),
            stop: STOP_WORDS.split_whitespace().collect(),
            ids: ids
                .iter()
                .flat_map(|id| {
                    let id = id.as_ref().to_lowercase();
                    let parts: Vec<String> = id
                        .split(|c: char| !c.is_alphanumeric())
                        .filter(|p| !p.is_empty())
                        .map(String::from)
                        .collect();
                    std::iter::once(id).chain(parts)
                })
                .collect(),
            background,
        }
    }

    /// Whether a lower-case word is a stop word.
    pub fn is_stop(&self, word: &str) -> bool {
        self.stop.contains(word)
    }

    /// The tokens of `text`, breaks included, appended to `out`.
    pub fn tokens(&self, text: &str, out: &mut Vec<Token>) {
        Tokenizer::new(self).tokens(text, out);
    }

    /// Classifies one raw word: `None` makes it a break.
    fn word(&self, raw: &str) -> Option<(String, String, Kind, f64)> {
        if raw.chars().any(|c| c.is_numeric()) {
            return None;
        }
        let word = normalise(raw);
        let lower = word.to_lowercase();
        if self.ids.contains(&lower) || self.ids.contains(&raw.to_lowercase()) {
            return None;
        }
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let upper = word
            .chars()
            .filter(|c| c.is_alphabetic() && c.is_uppercase())
            .count();
        let plural_acronym = upper >= 2 && upper + 1 == letters && word.ends_with('s');
        let acronym = (upper >= 2 && upper == letters) || plural_acronym;
        if acronym {
            let base = if plural_acronym {
                &word[..word.len() - 1]
            } else {
                &word[..]
            };
            let base_lower = base.to_lowercase();
            if self.stop.contains(base_lower.as_str()) && !ACRONYM_STOP_EXCEPTIONS.contains(&base) {
                return Some((lower.clone(), lower, Kind::Stop, 0.0));
            }
            let background = self.background.probability(&base_lower);
            return Some((base.to_string(), word, Kind::Content, background));
        }
        if self.stop.contains(lower.as_str()) || letters < 3 {
            return Some((lower.clone(), lower, Kind::Stop, 0.0));
        }
        let stem = self.stemmer.stem(&lower).into_owned();
        // wordfreq splits hyphenated words: estimate them as phrases.
        let background = if lower.contains('-') {
            phrase_probability(
                lower
                    .split('-')
                    .filter(|p| !p.is_empty())
                    .map(|p| self.background.probability(&self.stemmer.stem(p))),
            )
        } else {
            self.background.probability(&stem)
        };
        Some((stem, lower, Kind::Content, background))
    }
}

/// A word classified: stem, word, kind and background probability.
type Classified = (Arc<str>, Arc<str>, Kind, f64);

/// A [`Lexicon`] with a memory of the words it has classified: the same
/// words recur, and stemming them once is enough.
pub struct Tokenizer<'l> {
    lexicon: &'l Lexicon,
    cache: HashMap<Box<str>, Classified>,
    empty: Arc<str>,
}

impl<'l> Tokenizer<'l> {
    /// A tokenizer with an empty memory.
    pub fn new(lexicon: &'l Lexicon) -> Tokenizer<'l> {
        Tokenizer {
            lexicon,
            cache: HashMap::new(),
            empty: Arc::from(""),
        }
    }

    /// The tokens of `text`, breaks included, appended to `out`.
    pub fn tokens(&mut self, text: &str, out: &mut Vec<Token>) {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut i = 0;
        let brk = |out: &mut Vec<Token>, at: usize, empty: &Arc<str>| {
            if out.last().is_some_and(|t| !t.word.is_empty()) {
                out.push(Token {
                    start: at,
                    end: at,
                    stem: empty.clone(),
                    word: empty.clone(),
                    kind: Kind::Break,
                    background: 0.0,
                });
            }
        };
        while i < chars.len() {
            let (at, c) = chars[i];
            if c.is_alphanumeric() {
                let mut j = i + 1;
                while j < chars.len() {
                    let d = chars[j].1;
                    let joiner = matches!(d, '\'' | '’' | '-' | '‐' | '‑' | '&');
                    if d.is_alphanumeric()
                        || (joiner && chars.get(j + 1).is_some_and(|n| n.1.is_alphanumeric()))
                    {
                        j += 1;
                    } else {
                        break;
                    }
                }
                let end = chars.get(j).map_or(text.len(), |b| b.0);
                let raw = &text[at..end];
                let (stem, word, kind, background) = match self.cache.get(raw) {
                    Some(known) => known.clone(),
                    None => {
                        let known = match self.lexicon.word(raw) {
                            Some((stem, word, kind, bg)) => {
                                (Arc::from(stem), Arc::from(word), kind, bg)
                            }
                            // Numbers and ids: breaks that patterns may
                            // still name (`band 6`).
                            None => (
                                self.empty.clone(),
                                Arc::from(raw.to_lowercase()),
                                Kind::Break,
                                0.0,
                            ),
                        };
                        self.cache.insert(raw.into(), known.clone());
                        known
                    }
                };
                out.push(Token {
                    start: at,
                    end,
                    stem,
                    word,
                    kind,
                    background,
                });
                i = j;
            } else if c.is_whitespace() {
                i += 1;
            } else if c == '[' {
                // Transcriber notes and redactions: `[the hospital]`.
                brk(out, at, &self.empty);
                match chars[i..].iter().position(|b| b.1 == ']') {
                    Some(k) => i += k + 1,
                    None => i += 1,
                }
            } else {
                brk(out, at, &self.empty);
                i += 1;
            }
        }
    }
}

/// The general-English probability of a phrase from its words': the
/// geometric mean of the rarest word's (an upper bound) and of their
/// product (independence, a lower bound for a collocation).
fn phrase_probability(words: impl Iterator<Item = f64>) -> f64 {
    let (mut min, mut product) = (f64::INFINITY, 1.0);
    for p in words {
        min = min.min(p);
        product *= p;
    }
    if min.is_finite() {
        (min * product).sqrt()
    } else {
        1.0
    }
}

/// Calls `f(first, last)` (inclusive token indexes) for every candidate
/// phrase in `tokens`.
fn for_each_phrase(tokens: &[Token], mut f: impl FnMut(usize, usize)) {
    for i in 0..tokens.len() {
        if tokens[i].kind != Kind::Content {
            continue;
        }
        for (j, t) in tokens.iter().enumerate().skip(i).take(MAX_WORDS) {
            match t.kind {
                Kind::Break => break,
                Kind::Stop => continue,
                Kind::Content => f(i, j),
            }
        }
    }
}

/// FNV-1a over the stems of a phrase: the phrase's identity while counting.
fn phrase_hash(tokens: &[Token]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (k, t) in tokens.iter().enumerate() {
        if k > 0 {
            h ^= 0xff;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in t.stem.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The hashes are already well mixed: use them as they are.
#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type HashIndex<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// Signed log-likelihood (G2) of `a` occurrences in a corpus of `n1` words
/// against `b` in `n2` (Rayson and Garside 2000): positive when the phrase
/// is relatively more frequent in the first corpus.
///
/// ```
/// use mint::emergence::log_likelihood;
/// let g2 = log_likelihood(10.0, 1000.0, 10.0, 10000.0);
/// assert!((g2 - 22.14).abs() < 0.01);
/// assert!(log_likelihood(1.0, 1000.0, 100.0, 1000.0) < 0.0);
/// ```
pub fn log_likelihood(a: f64, n1: f64, b: f64, n2: f64) -> f64 {
    if n1 <= 0.0 || n2 <= 0.0 || a + b <= 0.0 {
        return 0.0;
    }
    let e1 = n1 * (a + b) / (n1 + n2);
    let e2 = n2 * (a + b) / (n1 + n2);
    let term = |o: f64, e: f64| if o > 0.0 { o * (o / e).ln() } else { 0.0 };
    let g2 = 2.0 * (term(a, e1) + term(b, e2));
    if a / n1 >= b / n2 { g2 } else { -g2 }
}

/// One participant segment, as [`propose`] sees it.
#[derive(Debug, Clone)]
pub struct Segment<'a> {
    /// The text.
    pub text: &'a str,
    /// Index of the speaker in [`Input::participants`].
    pub participant: u32,
    /// The speaker turn it belongs to, numbered across the corpus:
    /// co-occurrence and parent themes are judged by turn.
    pub context: u32,
    /// The themes the codebook codes in it (indexes, ascending).
    pub themes: Vec<usize>,
}

/// Everything [`propose`] looks at.
#[derive(Debug, Clone, Default)]
pub struct Input<'a> {
    /// Participant segments, in corpus order.
    pub segments: Vec<Segment<'a>>,
    /// Participant ids, by index: never part of a phrase.
    pub participants: Vec<String>,
}

/// A participant segment of a transcript with the themes coded in it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CodedSegment {
    /// Index into [`Transcript::turns`].
    pub turn: usize,
    /// Byte span of the segment.
    pub start: usize,
    /// End of the span, exclusive.
    pub end: usize,
    /// Index of the speaker in [`Transcript::participant_speakers`].
    pub who: usize,
    /// Themes coded in the segment (indexes, ascending).
    pub themes: Vec<usize>,
}

/// Codes every participant segment of a transcript, keeping only which
/// themes apply: the first step of `mint emerge`, run per file.
pub fn coded_segments(transcript: &Transcript, matcher: &Matcher, unit: Unit) -> Vec<CodedSegment> {
    let speakers = transcript.participant_speakers();
    let mut hits: Vec<Hit> = Vec::new();
    transcript
        .segments(unit)
        .into_iter()
        .map(|(turn, start, end)| {
            hits.clear();
            matcher.find(&transcript.text[start..end], &mut hits);
            let themes: BTreeSet<usize> = hits.iter().map(|h| matcher.theme_of(h.code)).collect();
            let speaker = &transcript.turns[turn].speaker;
            CodedSegment {
                turn,
                start,
                end,
                who: speakers.iter().position(|s| s == speaker).unwrap_or(0),
                themes: themes.into_iter().collect(),
            }
        })
        .collect()
}

/// How [`propose`] decides.
#[derive(Debug, Clone)]
pub struct Options {
    /// A phrase must be raised by at least this many participants.
    pub min_participants: u32,
    /// At most this many candidates.
    pub limit: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            min_participants: 2,
            limit: 10,
        }
    }
}

/// Where a phrase stood out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// In the segments no code applies to.
    Uncoded,
    /// In the segments of this theme (index), unnamed by its codes.
    Theme(usize),
}

/// One phrase of a candidate, with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    /// Its commonest form, as participants said it.
    pub text: String,
    /// The stems it counts by.
    pub stems: String,
    /// Keyness: the weaker of its two G2 scores.
    pub score: f64,
    /// Where it stood out.
    pub source: Source,
    /// Occurrences in all participant segments.
    pub occurrences: u32,
    /// Participants who said it.
    pub participants: u32,
}

/// A proposed emergent code.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// A code id made from its top phrase, unique in the codebook.
    pub id: String,
    /// Its top phrases, comma-separated.
    pub label: String,
    /// All its phrases, best first.
    pub phrases: Vec<Phrase>,
    /// Patterns in mint's pattern language.
    pub patterns: Vec<String>,
    /// Where its phrases stand out most (by summed keyness): candidates
    /// from uncoded text come first, then sub-topics within themes.
    pub source: Source,
    /// The sum of its phrases' keyness: what candidates of the same kind
    /// are ranked by.
    pub score: f64,
    /// The suggested parent theme (index), or `None` for a new theme.
    pub parent: Option<usize>,
    /// How many times more often than usual the parent theme is coded in
    /// the turns where the candidate's patterns match.
    pub lift: f64,
    /// The segments its patterns match (indexes into [`Input::segments`]).
    pub segments: Vec<usize>,
    /// The participants of those segments (indexes, ascending).
    pub participants: Vec<u32>,
    /// Up to three exemplar segments, from different participants.
    pub exemplars: Vec<usize>,
}

/// Pass-one counts of one phrase.
#[derive(Debug, Clone, Copy)]
struct Entry {
    uncoded: u32,
    uncoded_participants: u32,
    total: u32,
    participants: u32,
    last_uncoded: u32,
    last: u32,
    background: f64,
}

/// Pass-one counts of every phrase, and corpus sizes in words.
#[derive(Default)]
struct Counts {
    themes: usize,
    index: HashIndex<u32>,
    entries: Vec<Entry>,
    /// Occurrences in each theme's segments, `themes` per entry.
    theme_counts: Vec<u32>,
    words_uncoded: u64,
    words_total: u64,
    words_theme: Vec<u64>,
}

impl Counts {
    fn new(themes: usize) -> Counts {
        Counts {
            themes,
            words_theme: vec![0; themes],
            ..Counts::default()
        }
    }

    fn slot(&mut self, hash: u64, background: f64) -> usize {
        let next = self.entries.len() as u32;
        let i = *self.index.entry(hash).or_insert(next) as usize;
        if i == self.entries.len() {
            self.entries.push(Entry {
                uncoded: 0,
                uncoded_participants: 0,
                total: 0,
                participants: 0,
                last_uncoded: u32::MAX,
                last: u32::MAX,
                background,
            });
            self.theme_counts
                .extend(std::iter::repeat_n(0, self.themes));
        }
        i
    }

    /// Counts one participant's segments. A participant is counted by one
    /// `Counts` only, so participant numbers stay exact when merged.
    fn add(
        &mut self,
        tokenizer: &mut Tokenizer,
        coverage: &Coverage,
        segments: &[&Segment],
        tokens: &mut Vec<Token>,
    ) {
        for seg in segments {
            tokens.clear();
            tokenizer.tokens(seg.text, tokens);
            let named = coverage.covered(seg.text, tokens);
            let words = tokens.iter().filter(|t| t.kind != Kind::Break).count() as u64;
            let coded = !seg.themes.is_empty();
            self.words_total += words;
            if !coded {
                self.words_uncoded += words;
            }
            for &t in &seg.themes {
                self.words_theme[t] += words;
            }
            let p = seg.participant;
            for_each_phrase(tokens, |i, j| {
                if named[i..=j].contains(&true) {
                    return;
                }
                let span = &tokens[i..=j];
                let background = phrase_probability(
                    span.iter()
                        .filter(|t| t.kind == Kind::Content)
                        .map(|t| t.background),
                );
                let k = self.slot(phrase_hash(span), background);
                let e = &mut self.entries[k];
                e.total += 1;
                if e.last != p {
                    e.last = p;
                    e.participants += 1;
                }
                if !coded {
                    e.uncoded += 1;
                    if e.last_uncoded != p {
                        e.last_uncoded = p;
                        e.uncoded_participants += 1;
                    }
                }
                for &t in &seg.themes {
                    self.theme_counts[k * self.themes + t] += 1;
                }
            });
        }
    }

    fn merge(mut self, other: Counts) -> Counts {
        if self.entries.len() < other.entries.len() {
            return other.merge(self);
        }
        self.words_uncoded += other.words_uncoded;
        self.words_total += other.words_total;
        for (a, b) in self.words_theme.iter_mut().zip(&other.words_theme) {
            *a += b;
        }
        for (&hash, &j) in &other.index {
            let o = other.entries[j as usize];
            let k = self.slot(hash, o.background);
            let e = &mut self.entries[k];
            e.uncoded += o.uncoded;
            e.uncoded_participants += o.uncoded_participants;
            e.total += o.total;
            e.participants += o.participants;
            let t = self.themes;
            for x in 0..t {
                self.theme_counts[k * t + x] += other.theme_counts[j as usize * t + x];
            }
        }
        self
    }

    /// The signed keyness of a phrase with `a` occurrences in `n1` words
    /// against the rest of the corpus and against general English: the
    /// weaker of the two.
    fn keyness(&self, a: u32, n1: u64, e: &Entry) -> f64 {
        let a = f64::from(a);
        let rest = f64::from(e.total) - a;
        let n1 = n1 as f64;
        let n2 = self.words_total as f64 - n1;
        if a / n1 < MIN_RATIO * rest.max(0.5) / n2 || a / n1 < MIN_BACKGROUND_RATIO * e.background {
            return 0.0;
        }
        let against_rest = log_likelihood(a, n1, rest, n2);
        let against_english =
            log_likelihood(a, n1, e.background * BACKGROUND_SIZE, BACKGROUND_SIZE);
        let g2 = against_rest.min(against_english);
        if g2 < MIN_KEYNESS {
            return 0.0;
        }
        // A phrase found only where it stands out scores 2 ln(N/n1) per
        // occurrence: divide that out, so that a small theme and the large
        // uncoded text compare fairly.
        g2 / (self.words_total as f64 / n1).ln().max(0.1)
    }
}

/// Pass-two evidence about one shortlisted phrase.
#[derive(Debug, Clone, Default)]
struct Detail {
    stems: String,
    forms: BTreeMap<String, u32>,
    contexts: BTreeSet<u32>,
    /// Participants who said it in each theme's segments.
    theme_participants: Vec<u32>,
}

impl Detail {
    fn merge(&mut self, other: Detail) {
        if self.stems.is_empty() {
            self.stems = other.stems;
        }
        for (form, n) in other.forms {
            *self.forms.entry(form).or_default() += n;
        }
        self.contexts.extend(other.contexts);
        if self.theme_participants.len() < other.theme_participants.len() {
            self.theme_participants
                .resize(other.theme_participants.len(), 0);
        }
        for (a, b) in self
            .theme_participants
            .iter_mut()
            .zip(&other.theme_participants)
        {
            *a += b;
        }
    }

    /// The commonest form; ties go to the alphabetically first.
    fn text(&self) -> String {
        let mut best: Option<(&String, u32)> = None;
        for (form, &n) in &self.forms {
            if best.is_none_or(|(_, m)| n > m) {
                best = Some((form, n));
            }
        }
        best.map(|(f, _)| f.clone()).unwrap_or_default()
    }
}

/// One word of a plain pattern, as [`Coverage`] compares it with tokens.
#[derive(Debug, Clone)]
struct PatternWord {
    /// Lower case, or as written for an acronym.
    text: String,
    /// An acronym (`IT`, `GP`): compared case-sensitively.
    exact_case: bool,
    /// Ended in `*`: a prefix.
    wildcard: bool,
}

impl PatternWord {
    /// Whether a word (as written, and in lower case) matches.
    fn matches(&self, word: &str, lower: &str) -> bool {
        let word = if self.exact_case { word } else { lower };
        if self.wildcard {
            word.starts_with(self.text.as_str())
        } else {
            word == self.text
        }
    }
}

/// What the codebook already names: where its patterns match, word for
/// word, on the tokens [`Lexicon`] makes. Every include pattern counts
/// (both halves of a `NEAR` one), whether or not its code applies there,
/// since a vetoed or negated match is still a topic the codebook knows.
/// Plain patterns are compared word by word (a `*` word as a prefix, a
/// hyphenated word also closed up), which needs no regex; `re:` patterns
/// run as regexes, each compiled when first needed.
pub struct Coverage {
    plain: Vec<Vec<PatternWord>>,
    /// Plain patterns by their first word (lower case); those whose first
    /// word is a wildcard by its first three letters, or in `short` when
    /// it has fewer.
    by_word: HashMap<String, Vec<usize>>,
    by_prefix: HashMap<String, Vec<usize>>,
    short: Vec<usize>,
    raw: Vec<(String, OnceLock<Option<Regex>>)>,
}

impl Coverage {
    /// The include patterns of every code of the codebook.
    pub fn new(codebook: &Codebook) -> Coverage {
        static NEAR: std::sync::LazyLock<Regex> =
            std::sync::LazyLock::new(|| Regex::new(r"\s+NEAR/(?:\d+|s)\s+").unwrap());
        let mut coverage = Coverage {
            plain: Vec::new(),
            by_word: HashMap::new(),
            by_prefix: HashMap::new(),
            short: Vec::new(),
            raw: Vec::new(),
        };
        for p in codebook.codes.iter().flat_map(|c| &c.patterns) {
            for half in NEAR.split(p) {
                coverage.add(half.trim());
            }
        }
        coverage
    }

    fn add(&mut self, pattern: &str) {
        if let Some(re) = pattern.strip_prefix("re:") {
            self.raw.push((re.to_string(), OnceLock::new()));
            return;
        }
        let is_sep = |c: char| c.is_whitespace() || matches!(c, '-' | '\u{2010}' | '\u{2011}');
        let mut forms = vec![pattern.split(is_sep).collect::<Vec<_>>()];
        let closed: String = pattern
            .chars()
            .filter(|c| !matches!(c, '-' | '\u{2010}' | '\u{2011}'))
            .collect();
        if closed != pattern {
            forms.push(closed.split(char::is_whitespace).collect());
        }
        for form in forms {
            let words: Vec<PatternWord> = form
                .into_iter()
                .filter(|w| !w.is_empty())
                .map(|raw| {
                    let wildcard = raw.ends_with('*');
                    let base = normalise(raw.trim_end_matches('*'));
                    let exact_case = pattern::is_acronym(&base);
                    PatternWord {
                        text: if exact_case {
                            base
                        } else {
                            base.to_lowercase()
                        },
                        exact_case,
                        wildcard,
                    }
                })
                .filter(|w| !w.text.is_empty())
                .collect();
            let Some(first) = words.first() else {
                continue;
            };
            let i = self.plain.len();
            if first.wildcard {
                let lower = first.text.to_lowercase();
                match prefix3(&lower) {
                    Some(key) => self.by_prefix.entry(key.to_string()).or_default().push(i),
                    None => self.short.push(i),
                }
            } else {
                self.by_word
                    .entry(first.text.to_lowercase())
                    .or_default()
                    .push(i);
            }
            self.plain.push(words);
        }
    }

    /// Which of `tokens` (of `text`) a pattern matches: one flag each.
    pub fn covered(&self, text: &str, tokens: &[Token]) -> Vec<bool> {
        let mut flags = vec![false; tokens.len()];
        // The words patterns are compared with: hyphenated tokens split.
        let mut words: Vec<Option<(&str, Cow<str>, usize)>> = Vec::with_capacity(tokens.len() + 4);
        for (i, t) in tokens.iter().enumerate() {
            if t.word.is_empty() {
                words.push(None);
            } else {
                words.extend(t.word.split('-').filter(|w| !w.is_empty()).map(|w| {
                    let lower = if w.chars().any(char::is_uppercase) {
                        Cow::Owned(w.to_lowercase())
                    } else {
                        Cow::Borrowed(w)
                    };
                    Some((w, lower, i))
                }));
            }
        }
        for k in 0..words.len() {
            let Some((_, lower, _)) = &words[k] else {
                continue;
            };
            let exact = self.by_word.get(lower.as_ref()).into_iter().flatten();
            let prefix = prefix3(lower)
                .and_then(|key| self.by_prefix.get(key))
                .into_iter()
                .flatten();
            for &p in exact.chain(prefix).chain(&self.short) {
                let pattern = &self.plain[p];
                let Some(run) = words.get(k..k + pattern.len()) else {
                    continue;
                };
                let all = run
                    .iter()
                    .zip(pattern)
                    .all(|(w, pw)| w.as_ref().is_some_and(|(w, lower, _)| pw.matches(w, lower)));
                if all {
                    let from = run[0].as_ref().map_or(0, |w| w.2);
                    let to = run[run.len() - 1].as_ref().map_or(0, |w| w.2);
                    for f in &mut flags[from..=to] {
                        *f = true;
                    }
                }
            }
        }
        for (source, compiled) in &self.raw {
            let Some(re) = compiled.get_or_init(|| Regex::new(source).ok()) else {
                continue;
            };
            for m in re.find_iter(text) {
                for (i, t) in tokens.iter().enumerate() {
                    if t.start < m.end() && m.start() < t.end {
                        flags[i] = true;
                    }
                }
            }
        }
        flags
    }

    /// Whether a pattern matches anywhere in `text`.
    fn names(&self, lexicon: &Lexicon, text: &str) -> bool {
        let mut tokens = Vec::new();
        lexicon.tokens(text, &mut tokens);
        self.covered(text, &tokens).into_iter().any(|f| f)
    }
}

/// The first three characters of a word, if it has three.
fn prefix3(word: &str) -> Option<&str> {
    word.char_indices()
        .nth(3)
        .map(|(i, _)| &word[..i])
        .or_else(|| (word.chars().count() == 3).then_some(word))
}

/// A word as tokens and patterns are compared: typographic apostrophes
/// plain, a possessive `'s` or `'` removed.
fn normalise(raw: &str) -> String {
    let mut word: String = raw
        .chars()
        .map(|c| match c {
            '’' => '\'',
            '‐' | '‑' => '-',
            c => c,
        })
        .collect();
    for suffix in ["'s", "'S"] {
        if let Some(stripped) = word.strip_suffix(suffix) {
            word = stripped.to_string();
        }
    }
    if let Some(stripped) = word.strip_suffix('\'') {
        word = stripped.to_string();
    }
    word
}

/// A phrase that survived scoring, with what is known about it.
#[derive(Debug, Clone)]
struct Scored {
    hash: u64,
    score: f64,
    source: Source,
}

/// Proposes candidate emergent codes. `codebook` is the one the segments'
/// themes come from; candidate ids avoid its ids.
pub fn propose(
    input: &Input,
    codebook: &Codebook,
    options: &Options,
) -> Result<Vec<Candidate>, CodebookError> {
    propose_with(input, codebook, Background::english(), options)
}

/// [`propose`] with a given background list.
pub fn propose_with(
    input: &Input,
    codebook: &Codebook,
    background: Background,
    options: &Options,
) -> Result<Vec<Candidate>, CodebookError> {
    let themes = codebook.themes.len();
    let lexicon = Lexicon::new(&input.participants, background);
    let coverage = Coverage::new(codebook);
    let by_participant = by_participant(input);

    // Pass one: every phrase, counted.
    let counts = by_participant
        .par_iter()
        .fold(
            || (Counts::new(themes), Vec::new(), Tokenizer::new(&lexicon)),
            |(mut counts, mut tokens, mut tokenizer), segs| {
                counts.add(&mut tokenizer, &coverage, segs, &mut tokens);
                (counts, tokens, tokenizer)
            },
        )
        .map(|(counts, _, _)| counts)
        .reduce(|| Counts::new(themes), Counts::merge);

    // Keyness, in the uncoded text and in each theme's text.
    let min_p = options.min_participants.max(1);
    let mut shortlist: HashIndex<Scored> = HashIndex::default();
    let mut consider = |list: Vec<Scored>, n: usize| {
        for s in best(list, n) {
            let e = shortlist.entry(s.hash).or_insert(s.clone());
            if s.score > e.score {
                *e = s;
            }
        }
    };
    let mut uncoded = Vec::new();
    let mut by_theme: Vec<Vec<Scored>> = vec![Vec::new(); themes];
    for (&hash, &k) in &counts.index {
        let e = &counts.entries[k as usize];
        if e.participants < min_p {
            continue;
        }
        if e.uncoded_participants >= min_p && e.uncoded >= MIN_OCCURRENCES {
            let score = counts.keyness(e.uncoded, counts.words_uncoded, e);
            if score > 0.0 {
                uncoded.push(Scored {
                    hash,
                    score,
                    source: Source::Uncoded,
                });
            }
        }
        for (t, list) in by_theme.iter_mut().enumerate() {
            let a = counts.theme_counts[k as usize * themes + t];
            if a < MIN_OCCURRENCES {
                continue;
            }
            let score = counts.keyness(a, counts.words_theme[t], e);
            if score > 0.0 {
                list.push(Scored {
                    hash,
                    score,
                    source: Source::Theme(t),
                });
            }
        }
    }
    consider(uncoded, SHORTLIST_UNCODED);
    for list in by_theme {
        consider(list, SHORTLIST_THEME);
    }

    // Pass two: forms, turns and exact participants of the shortlist.
    let wanted: HashSet<u64> = shortlist.keys().copied().collect();
    let details: HashMap<u64, Detail> = by_participant
        .par_iter()
        .fold(
            || (HashMap::new(), Vec::new(), Tokenizer::new(&lexicon)),
            |(mut details, mut tokens, mut tokenizer): (
                HashMap<u64, Detail>,
                Vec<Token>,
                Tokenizer,
            ),
             segs| {
                detail(
                    &mut tokenizer,
                    &coverage,
                    segs,
                    &wanted,
                    themes,
                    &mut details,
                    &mut tokens,
                );
                (details, tokens, tokenizer)
            },
        )
        .map(|(d, _, _)| d)
        .reduce(HashMap::new, |mut a, b| {
            for (hash, d) in b {
                a.entry(hash).or_default().merge(d);
            }
            a
        });

    // Drop what the codebook names, and theme phrases too few people said.
    let mut phrases: Vec<(Scored, Phrase, &Detail)> = Vec::new();
    for s in shortlist.into_values() {
        let Some(d) = details.get(&s.hash) else {
            continue;
        };
        if let Source::Theme(t) = s.source
            && d.theme_participants.get(t).copied().unwrap_or(0) < min_p
        {
            continue;
        }
        let total: u32 = d.forms.values().sum();
        let forms: Vec<&str> = d
            .forms
            .iter()
            .filter(|(_, n)| **n * 5 >= total)
            .map(|(f, _)| f.as_str())
            .collect();
        if forms.iter().any(|f| coverage.names(&lexicon, f)) {
            continue;
        }
        let e = &counts.entries[counts.index[&s.hash] as usize];
        let phrase = Phrase {
            text: d.text(),
            stems: d.stems.clone(),
            score: s.score,
            source: s.source,
            occurrences: e.total,
            participants: e.participants,
        };
        phrases.push((s, phrase, d));
    }
    phrases.sort_by(|a, b| {
        b.1.score
            .total_cmp(&a.1.score)
            .then_with(|| a.1.stems.cmp(&b.1.stems))
    });
    phrases.truncate(POOL);

    // Group, then turn groups into candidates.
    let groups = group(&phrases.iter().map(|p| (&p.1, p.2)).collect::<Vec<_>>());
    let mut drafts: Vec<Candidate> = groups
        .into_iter()
        .map(|members| {
            draft(
                &members
                    .iter()
                    .map(|&i| (&phrases[i].1, phrases[i].2))
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|c| !c.patterns.is_empty())
        .collect();
    drafts.sort_by(|a, b| {
        let within = |c: &Candidate| c.source != Source::Uncoded;
        within(a)
            .cmp(&within(b))
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| a.label.cmp(&b.label))
    });
    drafts.truncate(options.limit.saturating_mul(3).max(options.limit + 10));
    assign_ids(&mut drafts, codebook);
    support(input, codebook, &lexicon, drafts, options)
}

/// The participants' segments, by participant index.
fn by_participant<'s, 'a>(input: &'s Input<'a>) -> Vec<Vec<&'s Segment<'a>>> {
    let n = input
        .segments
        .iter()
        .map(|s| s.participant as usize + 1)
        .max()
        .unwrap_or(0)
        .max(input.participants.len());
    let mut out: Vec<Vec<&Segment>> = vec![Vec::new(); n];
    for seg in &input.segments {
        out[seg.participant as usize].push(seg);
    }
    out
}

/// The `n` best, by score, ties by hash (stable, if arbitrary).
fn best(mut list: Vec<Scored>, n: usize) -> Vec<Scored> {
    list.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.hash.cmp(&b.hash)));
    list.truncate(n);
    list
}

/// Pass two over one participant's segments.
fn detail(
    tokenizer: &mut Tokenizer,
    coverage: &Coverage,
    segments: &[&Segment],
    wanted: &HashSet<u64>,
    themes: usize,
    details: &mut HashMap<u64, Detail>,
    tokens: &mut Vec<Token>,
) {
    let mut seen: HashSet<(u64, usize)> = HashSet::new();
    for seg in segments {
        tokens.clear();
        tokenizer.tokens(seg.text, tokens);
        let named = coverage.covered(seg.text, tokens);
        for_each_phrase(tokens, |i, j| {
            if named[i..=j].contains(&true) {
                return;
            }
            let span = &tokens[i..=j];
            let hash = phrase_hash(span);
            if !wanted.contains(&hash) {
                return;
            }
            let d = details.entry(hash).or_insert_with(|| Detail {
                stems: span.iter().map(|t| &*t.stem).collect::<Vec<_>>().join(" "),
                theme_participants: vec![0; themes],
                ..Detail::default()
            });
            let form = span.iter().map(|t| &*t.word).collect::<Vec<_>>().join(" ");
            *d.forms.entry(form).or_default() += 1;
            d.contexts.insert(seg.context);
            for &t in &seg.themes {
                if seen.insert((hash, t)) {
                    d.theme_participants[t] += 1;
                }
            }
        });
    }
}

/// Whether the stems of `inner` are a run of the stems of `outer`.
fn contains(outer: &str, inner: &str) -> bool {
    let o: Vec<&str> = outer.split(' ').collect();
    let i: Vec<&str> = inner.split(' ').collect();
    i.len() < o.len() && o.windows(i.len()).any(|w| w == i.as_slice())
}

/// Groups phrases (best first) by co-occurrence in turns: average-linkage
/// clustering on the Ochiai coefficient; a phrase inside another one
/// counts as fully associated with it. Returns member indexes, each group
/// in input order.
fn group(phrases: &[(&Phrase, &Detail)]) -> Vec<Vec<usize>> {
    let n = phrases.len();
    let mut sim = vec![vec![0.0f64; n]; n];
    for a in 0..n {
        for b in a + 1..n {
            let (pa, da) = phrases[a];
            let (pb, db) = phrases[b];
            let s = if contains(&pa.stems, &pb.stems) || contains(&pb.stems, &pa.stems) {
                1.0
            } else {
                let both = da.contexts.intersection(&db.contexts).count();
                if both < 2 {
                    0.0
                } else {
                    both as f64 / ((da.contexts.len() * db.contexts.len()) as f64).sqrt()
                }
            };
            sim[a][b] = s;
            sim[b][a] = s;
        }
    }
    let mut groups: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    loop {
        let mut best: Option<(f64, usize, usize)> = None;
        for x in 0..groups.len() {
            for y in x + 1..groups.len() {
                let mut total = 0.0;
                for &a in &groups[x] {
                    for &b in &groups[y] {
                        total += sim[a][b];
                    }
                }
                let avg = total / (groups[x].len() * groups[y].len()) as f64;
                if avg >= MIN_COOCCURRENCE && best.is_none_or(|(s, _, _)| avg > s) {
                    best = Some((avg, x, y));
                }
            }
        }
        let Some((_, x, y)) = best else {
            break;
        };
        let merged = groups.remove(y);
        groups[x].extend(merged);
        groups[x].sort_unstable();
    }
    groups
}

/// A candidate from a group of phrases (best first): label, patterns and
/// score; support comes later.
fn draft(members: &[(&Phrase, &Detail)]) -> Candidate {
    let mut label: Vec<&Phrase> = Vec::new();
    for (p, _) in members {
        // A longer phrase that accounts for most of this one's occurrences
        // says it better ("hospice referral" rather than "hospice").
        let mut p = *p;
        while let Some((longer, _)) = members
            .iter()
            .find(|(q, _)| contains(&q.stems, &p.stems) && q.occurrences * 3 >= p.occurrences * 2)
        {
            p = longer;
        }
        let overlaps = label.iter().any(|l| {
            l.stems == p.stems || contains(&l.stems, &p.stems) || contains(&p.stems, &l.stems)
        });
        if !overlaps && label.len() < 3 {
            label.push(p);
        }
    }
    let mut patterns: Vec<String> = Vec::new();
    for (_, d) in members {
        for p in patterns_of(d) {
            if !patterns.contains(&p) {
                patterns.push(p);
            }
        }
    }
    let patterns = prune_patterns(patterns);
    let mut by_source: BTreeMap<Source, f64> = BTreeMap::new();
    for (p, _) in members {
        *by_source.entry(p.source).or_default() += p.score;
    }
    let source = by_source
        .iter()
        .fold(None, |best: Option<(Source, f64)>, (&s, &v)| match best {
            Some((_, b)) if b >= v => best,
            _ => Some((s, v)),
        })
        .map_or(Source::Uncoded, |(s, _)| s);
    Candidate {
        source,
        id: String::new(),
        label: label
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        phrases: members.iter().map(|(p, _)| (*p).clone()).collect(),
        patterns,
        score: members.iter().map(|(p, _)| p.score).sum(),
        parent: None,
        lift: 0.0,
        segments: Vec::new(),
        participants: Vec::new(),
        exemplars: Vec::new(),
    }
}

/// Patterns for a phrase: one with `*` where its forms differ only in
/// their ending (`referral*`), else one per common form.
fn patterns_of(d: &Detail) -> Vec<String> {
    let total: u32 = d.forms.values().sum();
    let mut forms: Vec<(&String, u32)> = d
        .forms
        .iter()
        .filter(|(_, n)| **n * 10 >= total)
        .map(|(f, n)| (f, *n))
        .collect();
    forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    forms.truncate(4);
    let split: Vec<Vec<&str>> = forms.iter().map(|(f, _)| f.split(' ').collect()).collect();
    let Some(first) = split.first() else {
        return Vec::new();
    };
    let mut words = Vec::new();
    let mut merged = true;
    for (k, w) in first.iter().enumerate() {
        let column: BTreeSet<&str> = split.iter().map(|f| f[k]).collect();
        if column.len() == 1 {
            words.push((*w).to_string());
            continue;
        }
        let prefix = common_prefix(&column);
        let chars = prefix.chars().count();
        if chars >= 5 || (chars >= 4 && column.contains(prefix.as_str())) {
            words.push(format!("{prefix}*"));
        } else {
            merged = false;
            break;
        }
    }
    let out: Vec<String> = if merged {
        vec![words.join(" ")]
    } else {
        forms.iter().take(3).map(|(f, _)| (*f).clone()).collect()
    };
    out.into_iter()
        .filter(|p| matches!(pattern::check(p), Ok(true)))
        .collect()
}

/// The longest common prefix of some words, on character boundaries, not
/// ending in a hyphen or apostrophe.
fn common_prefix(words: &BTreeSet<&str>) -> String {
    let mut iter = words.iter();
    let Some(first) = iter.next() else {
        return String::new();
    };
    let mut prefix: Vec<char> = first.chars().collect();
    for w in iter {
        let n = prefix
            .iter()
            .zip(w.chars())
            .take_while(|(a, b)| **a == *b)
            .count();
        prefix.truncate(n);
    }
    while prefix.last().is_some_and(|c| !c.is_alphanumeric()) {
        prefix.pop();
    }
    prefix.into_iter().collect()
}

/// Drops patterns that another pattern of the same code already covers,
/// and keeps at most [`MAX_PATTERNS`].
fn prune_patterns(patterns: Vec<String>) -> Vec<String> {
    let compiled: Vec<Option<Regex>> = patterns
        .iter()
        .map(|p| pattern::to_regex(p).ok().and_then(|r| Regex::new(&r).ok()))
        .collect();
    let samples: Vec<String> = patterns.iter().map(|p| pattern::sample_text(p)).collect();
    let covers = |j: usize, i: usize| {
        compiled[j]
            .as_ref()
            .is_some_and(|re| re.is_match(&samples[i]))
    };
    let mut keep: Vec<String> = Vec::new();
    for (i, p) in patterns.iter().enumerate() {
        // Covered by a broader pattern, or by an equivalent earlier one.
        let covered =
            (0..patterns.len()).any(|j| j != i && covers(j, i) && (j < i || !covers(i, j)));
        if !covered && keep.len() < MAX_PATTERNS {
            keep.push(p.clone());
        }
    }
    keep
}

/// A code id from a label: lower-case words joined by `_`.
fn slug(label: &str) -> String {
    let first = label.split(',').next().unwrap_or("");
    let mut out = String::new();
    for c in first.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// Gives each candidate an id unique among the codebook's ids and theirs.
fn assign_ids(candidates: &mut [Candidate], codebook: &Codebook) {
    let mut taken: HashSet<String> = codebook
        .codes
        .iter()
        .map(|c| c.id.clone())
        .chain(codebook.themes.iter().map(|t| t.id.clone()))
        .chain(codebook.inherited.iter().map(|(id, _)| id.clone()))
        .chain(["emergent".to_string()])
        .collect();
    for c in candidates {
        let base = match slug(&c.label) {
            s if s.is_empty() => "emergent_code".to_string(),
            s => s,
        };
        let mut id = base.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(id.clone());
        c.id = id;
    }
}

/// Applies the drafts' patterns to every segment (as `mint code` will),
/// keeps those that enough participants raise and that are not another
/// candidate again, and fills in support, exemplars and parent themes.
fn support(
    input: &Input,
    codebook: &Codebook,
    lexicon: &Lexicon,
    drafts: Vec<Candidate>,
    options: &Options,
) -> Result<Vec<Candidate>, CodebookError> {
    let rates = ThemeRates::of(input, codebook.themes.len());
    let min_p = options.min_participants.max(1) as usize;
    let mut out: Vec<Candidate> = Vec::new();
    // A few more drafts than needed at a time: some fall out below.
    let mut pending = drafts.into_iter().peekable();
    while out.len() < options.limit && pending.peek().is_some() {
        let batch: Vec<Candidate> = pending
            .by_ref()
            .take(options.limit - out.len() + 3)
            .collect();
        let matched = matches_of(input, codebook, &batch)?;
        for (mut c, segs) in batch.into_iter().zip(matched) {
            if out.len() == options.limit {
                break;
            }
            let participants: BTreeSet<u32> = segs
                .iter()
                .map(|&s| input.segments[s].participant)
                .collect();
            // The same segments as a better candidate: not a new code.
            let duplicate = out.iter().any(|o| {
                let both = o
                    .segments
                    .iter()
                    .filter(|s| segs.binary_search(s).is_ok())
                    .count();
                both * 5 >= segs.len() * 4
            });
            if participants.len() < min_p || duplicate {
                continue;
            }
            if let Some((t, lift)) = rates.nearest(input, &segs) {
                c.parent = Some(t);
                c.lift = lift;
            }
            c.exemplars = exemplars(input, lexicon, &c, &segs);
            c.participants = participants.into_iter().collect();
            c.segments = segs;
            out.push(c);
        }
    }
    Ok(out)
}

/// Which themes are coded in each turn, and in how many turns each is.
struct ThemeRates {
    by_turn: BTreeMap<u32, BTreeSet<usize>>,
    turns_with: Vec<usize>,
}

impl ThemeRates {
    fn of(input: &Input, themes: usize) -> ThemeRates {
        let mut by_turn: BTreeMap<u32, BTreeSet<usize>> = BTreeMap::new();
        for seg in &input.segments {
            by_turn
                .entry(seg.context)
                .or_default()
                .extend(seg.themes.iter().copied());
        }
        let mut turns_with = vec![0usize; themes];
        for set in by_turn.values() {
            for &t in set {
                turns_with[t] += 1;
            }
        }
        ThemeRates {
            by_turn,
            turns_with,
        }
    }

    /// The theme coded most above its base rate in the turns of these
    /// segments, with how many times its base rate: at least 1.5 times,
    /// in at least 30% of those turns and two of them. `None`: a new theme.
    fn nearest(&self, input: &Input, segs: &[usize]) -> Option<(usize, f64)> {
        let turns: BTreeSet<u32> = segs.iter().map(|&s| input.segments[s].context).collect();
        let all = self.by_turn.len().max(1) as f64;
        let mut best: Option<(usize, f64)> = None;
        for (t, &n) in self.turns_with.iter().enumerate() {
            if n == 0 || turns.is_empty() {
                continue;
            }
            let with = turns
                .iter()
                .filter(|turn| self.by_turn.get(turn).is_some_and(|set| set.contains(&t)))
                .count() as f64;
            let share = with / turns.len() as f64;
            let lift = share / (n as f64 / all);
            if with >= 2.0 && share >= 0.3 && lift >= 1.5 && best.is_none_or(|(_, l)| lift > l) {
                best = Some((t, lift));
            }
        }
        best
    }
}

/// The segments each draft's patterns match, applied as `mint code` will.
fn matches_of(
    input: &Input,
    codebook: &Codebook,
    drafts: &[Candidate],
) -> Result<Vec<Vec<usize>>, CodebookError> {
    let trial = Codebook {
        codebook: Meta {
            name: "emergent candidates".into(),
            spelling_variants: codebook.codebook.spelling_variants,
            ..Meta::default()
        },
        themes: vec![Theme {
            id: "emergent".into(),
            label: String::new(),
            description: String::new(),
            line: None,
        }],
        codes: drafts
            .iter()
            .map(|c| Code {
                id: c.id.clone(),
                theme: "emergent".into(),
                origin: Origin::Emergent,
                patterns: c.patterns.clone(),
                ..Code::default()
            })
            .collect(),
        source: "(candidates)".into(),
        ..Codebook::default()
    };
    let matcher = Matcher::new(&trial)?;
    let hits: Vec<Vec<usize>> = input
        .segments
        .par_iter()
        .map_init(Vec::new, |buf: &mut Vec<Hit>, seg| {
            buf.clear();
            matcher.find(seg.text, buf);
            buf.iter().map(|h| h.code).collect()
        })
        .collect();
    let mut matched: Vec<Vec<usize>> = vec![Vec::new(); drafts.len()];
    for (s, codes) in hits.iter().enumerate() {
        for &c in codes {
            matched[c].push(s);
        }
    }
    Ok(matched)
}

/// Up to three segments from different participants that say most of the
/// candidate's phrases, in a sentence of readable length; ties go to the
/// earlier segment.
fn exemplars(input: &Input, lexicon: &Lexicon, c: &Candidate, segs: &[usize]) -> Vec<usize> {
    let stems: HashSet<&str> = c.phrases.iter().map(|p| p.stems.as_str()).collect();
    let mut tokenizer = Tokenizer::new(lexicon);
    let mut tokens = Vec::new();
    let mut scored: Vec<(usize, i64, usize)> = Vec::new();
    for &s in segs {
        tokens.clear();
        tokenizer.tokens(input.segments[s].text, &mut tokens);
        let mut found: BTreeSet<String> = BTreeSet::new();
        for_each_phrase(&tokens, |i, j| {
            let key = tokens[i..=j]
                .iter()
                .map(|t| &*t.stem)
                .collect::<Vec<_>>()
                .join(" ");
            if stems.contains(key.as_str()) {
                found.insert(key);
            }
        });
        let words = tokens.iter().filter(|t| t.kind != Kind::Break).count() as i64;
        let length_penalty = if words < 8 {
            8 - words
        } else if words > 45 {
            words - 45
        } else {
            0
        };
        scored.push((found.len(), -length_penalty, s));
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let mut out = Vec::new();
    let mut who: BTreeSet<u32> = BTreeSet::new();
    for (_, _, s) in scored {
        if who.insert(input.segments[s].participant) {
            out.push(s);
            if out.len() == 3 {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(ids: &[&str]) -> Lexicon {
        Lexicon::new(ids, Background::english())
    }

    fn words(text: &str, ids: &[&str]) -> Vec<(String, Kind)> {
        let mut out = Vec::new();
        lexicon(ids).tokens(text, &mut out);
        out.into_iter()
            .map(|t| (t.word.to_string(), t.kind))
            .collect()
    }

    fn phrases(text: &str) -> Vec<String> {
        let lex = lexicon(&[]);
        let mut tokens = Vec::new();
        lex.tokens(text, &mut tokens);
        let mut out = Vec::new();
        for_each_phrase(&tokens, |i, j| {
            out.push(
                tokens[i..=j]
                    .iter()
                    .map(|t| &*t.word)
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        });
        out
    }

    #[test]
    fn phrases_have_no_stop_word_at_either_edge_and_stop_at_punctuation() {
        assert_eq!(
            phrases("The single point of access, frankly."),
            [
                "single",
                "single point",
                "point",
                "point of access",
                "access",
                "frankly"
            ]
        );
    }

    #[test]
    fn numbers_and_participant_ids_break_phrases_and_are_never_words() {
        let ws = words("Hospice P07 referral in 2018 with Anna", &["P07", "Anna"]);
        let kinds: Vec<Kind> = ws.iter().map(|w| w.1).collect();
        assert_eq!(
            kinds,
            [
                Kind::Content,
                Kind::Break,
                Kind::Content,
                Kind::Stop,
                Kind::Break,
                Kind::Stop,
                Kind::Break
            ]
        );
        assert_eq!(phrases("hospice A2c referral"), ["hospice", "referral"]);
    }

    #[test]
    fn acronyms_keep_their_case_and_it_in_capitals_is_not_the_pronoun() {
        let ws = words("The GPs and IT, it is A&E", &[]);
        assert_eq!(
            ws,
            [
                ("the".to_string(), Kind::Stop),
                ("GPs".to_string(), Kind::Content),
                ("and".to_string(), Kind::Stop),
                ("IT".to_string(), Kind::Content),
                (String::new(), Kind::Break),
                ("it".to_string(), Kind::Stop),
                ("is".to_string(), Kind::Stop),
                ("A&E".to_string(), Kind::Content),
            ]
        );
    }

    #[test]
    fn stemming_groups_plurals_and_possessives() {
        let lex = lexicon(&[]);
        let mut a = Vec::new();
        let mut b = Vec::new();
        lex.tokens("referrals", &mut a);
        lex.tokens("the referral's", &mut b);
        assert_eq!(a[0].stem, b[1].stem);
        assert_eq!(&*b[1].word, "referral");
    }

    #[test]
    fn redactions_in_square_brackets_are_skipped() {
        assert_eq!(
            phrases("came out of [the hospital] early"),
            ["came", "early"]
                .iter()
                .filter(|w| !lexicon(&[]).is_stop(w))
                .map(|w| w.to_string())
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn log_likelihood_matches_a_hand_computed_value_and_is_signed() {
        // a=20 in 1000 words against b=10 in 2000: E1=10, E2=20.
        let expected = 2.0 * (20.0 * (2.0f64).ln() + 10.0 * (0.5f64).ln());
        assert!((log_likelihood(20.0, 1000.0, 10.0, 2000.0) - expected).abs() < 1e-9);
        assert!((log_likelihood(10.0, 2000.0, 20.0, 1000.0) + expected).abs() < 1e-9);
        assert_eq!(log_likelihood(0.0, 10.0, 0.0, 10.0), 0.0);
    }

    #[test]
    fn background_adds_up_words_with_the_same_stem() {
        let bg = Background::parse("# c\nreferral\t4.00\nreferrals\t4.00\nzebra\t3.00\n");
        let stem = Stemmer::create(Algorithm::English)
            .stem("referral")
            .into_owned();
        assert!((bg.probability(&stem) - 2e-5).abs() < 1e-12);
        assert!((bg.probability("unseen") - 1e-6).abs() < 1e-15);
    }

    fn detail(forms: &[(&str, u32)]) -> Detail {
        Detail {
            forms: forms.iter().map(|(f, n)| (f.to_string(), *n)).collect(),
            ..Detail::default()
        }
    }

    #[test]
    fn patterns_use_a_wildcard_for_word_endings_and_list_other_forms() {
        assert_eq!(
            patterns_of(&detail(&[("referral", 5), ("referrals", 3)])),
            ["referral*"]
        );
        assert_eq!(
            patterns_of(&detail(&[("care plan", 5), ("care plans", 2)])),
            ["care plan*"]
        );
        assert_eq!(
            patterns_of(&detail(&[("caring", 5), ("care", 4)])),
            ["caring", "care"]
        );
        assert_eq!(patterns_of(&detail(&[("GPs", 5)])), ["GPs"]);
    }

    #[test]
    fn coverage_marks_the_words_codebook_patterns_match() {
        let book = Codebook::from_toml_str(
            r#"
[[themes]]
id = "t"
[[codes]]
id = "c"
theme = "t"
patterns = ["length of stay", "integrat*", "co-location", "IT", "GPs", "GP NEAR/5 meeting*"]
"#,
            "t.toml",
        )
        .unwrap();
        let coverage = Coverage::new(&book);
        let lex = lexicon(&[]);
        let text = "Length of stay, integration and colocation: it is IT, the GP's meetings.";
        let mut tokens = Vec::new();
        lex.tokens(text, &mut tokens);
        let covered: Vec<&str> = tokens
            .iter()
            .zip(coverage.covered(text, &tokens))
            .filter(|(_, c)| *c)
            .map(|(t, _)| &text[t.start..t.end])
            .collect();
        assert_eq!(
            covered,
            [
                "Length",
                "of",
                "stay",
                "integration",
                "colocation",
                "IT",
                "GP's",
                "meetings"
            ]
        );
        assert!(coverage.names(&lex, "the gps"));
        assert!(!coverage.names(&lex, "length"));
    }

    #[test]
    fn patterns_covered_by_a_broader_one_are_dropped() {
        assert_eq!(
            prune_patterns(vec!["care plan*".into(), "plan*".into(), "folder".into()]),
            ["plan*", "folder"]
        );
    }

    fn book() -> Codebook {
        Codebook::from_toml_str(
            r#"
[[themes]]
id = "hr_it"
label = "HR and IT"
[[themes]]
id = "delivery"
label = "Delivery"
[[codes]]
id = "systems"
theme = "hr_it"
patterns = ["IT", "system*"]
[[codes]]
id = "meetings"
theme = "delivery"
patterns = ["huddle*", "MDT"]
"#,
            "t.toml",
        )
        .unwrap()
    }

    /// Segments of a study in which four participants talk about hospice
    /// referrals (never coded), one keeps talking about his allotment, and
    /// everyone talks about systems and huddles.
    fn study() -> (Vec<String>, Vec<(u32, &'static str)>) {
        let ids = ["P1", "P2", "P3", "P4", "P5"].map(String::from).to_vec();
        let lines = vec![
            (0, "The hospice referral took weeks to come through."),
            (0, "Our system crashed again on Monday."),
            (0, "The huddle was cancelled."),
            (1, "Hospice referrals are a nightmare for families."),
            (1, "The system is slow but fine."),
            (1, "The huddle works well for us."),
            (2, "We made three hospice referrals last month."),
            (2, "IT never answers the phone."),
            (2, "The MDT is useful."),
            (3, "Getting a hospice referral accepted is hard."),
            (3, "The system logs me out."),
            (4, "My allotment keeps me sane."),
            (4, "The allotment tomatoes were great."),
            (4, "Back at the allotment on Sunday."),
            (4, "The system is old."),
        ];
        (ids, lines)
    }

    fn input<'a>(ids: &[String], lines: &'a [(u32, &'static str)], book: &Codebook) -> Input<'a> {
        let matcher = Matcher::new(book).unwrap();
        let mut hits = Vec::new();
        Input {
            segments: lines
                .iter()
                .enumerate()
                .map(|(i, (p, text))| {
                    hits.clear();
                    matcher.find(text, &mut hits);
                    let themes: BTreeSet<usize> =
                        hits.iter().map(|h| matcher.theme_of(h.code)).collect();
                    Segment {
                        text,
                        participant: *p,
                        context: i as u32,
                        themes: themes.into_iter().collect(),
                    }
                })
                .collect(),
            participants: ids.to_vec(),
        }
    }

    #[test]
    fn a_topic_several_participants_raise_becomes_a_candidate_with_evidence() {
        let (ids, lines) = study();
        let book = book();
        let input = input(&ids, &lines, &book);
        let found = propose(&input, &book, &Options::default()).unwrap();
        let first = &found[0];
        assert_eq!(first.label.split(", ").next(), Some("hospice referral"));
        assert!(first.patterns.iter().any(|p| p.starts_with("hospice")));
        assert_eq!(first.participants, [0, 1, 2, 3]);
        assert_eq!(first.exemplars.len(), 3);
        assert_eq!(first.parent, None);
        assert_eq!(first.id, "hospice_referral");
        // One person's allotment is not a theme, and named words never are.
        for c in &found {
            for p in &c.phrases {
                assert!(!p.text.contains("allotment"), "{c:?}");
                assert!(!p.text.contains("system"), "{c:?}");
                assert!(!p.text.contains("huddle"), "{c:?}");
            }
        }
    }

    #[test]
    fn with_a_higher_participant_floor_the_topic_needs_more_people() {
        let (ids, lines) = study();
        let book = book();
        let input = input(&ids, &lines, &book);
        let options = Options {
            min_participants: 5,
            ..Options::default()
        };
        assert!(propose(&input, &book, &options).unwrap().is_empty());
    }

    #[test]
    fn the_same_input_gives_the_same_candidates() {
        let (ids, lines) = study();
        let book = book();
        let input = input(&ids, &lines, &book);
        let a = propose(&input, &book, &Options::default()).unwrap();
        let b = propose(&input, &book, &Options::default()).unwrap();
        assert_eq!(a, b);
    }
}
