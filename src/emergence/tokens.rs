//! Step 1 of the method: words and phrases. [`Lexicon`] splits a segment
//! into tokens (stemmed content words, stop words, breaks at punctuation,
//! numbers and participant ids), [`Tokenizer`] remembers the words it has
//! classified, and `for_each_phrase` lists the candidate phrases among the
//! tokens. The general-English background list ([`Background`]) lives here
//! too: each word is looked up in it as it is classified.
//!
//! Not here: what the codebook already names (`coverage.rs`), or counting
//! and scoring phrases (`keyness.rs`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rust_stemmers::{Algorithm, Stemmer};

/// The general-English background list: `word<TAB>zipf` lines, derived from
/// wordfreq 3.1.1 (CC BY-SA 4.0; see `data/wordfreq/ATTRIBUTION.md`).
pub const BACKGROUND_EN: &str = include_str!("../../data/wordfreq/en.tsv");

/// The longest phrase, in words.
const MAX_WORDS: usize = 3;

/// How many of the background list's most frequent words are "common
/// English": a candidate that is one of them alone needs a strong reason.
pub const COMMON_WORDS: usize = 1000;

/// The [`COMMON_WORDS`] most frequent words of the embedded English list
/// ([`BACKGROUND_EN`]), most frequent first (ties alphabetical, as the list
/// is sorted).
pub fn common_words() -> Vec<&'static str> {
    BACKGROUND_EN
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t').map(|(w, _)| w.trim()))
        .take(COMMON_WORDS)
        .collect()
}

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
    /// The stems of the list's [`COMMON_WORDS`] most frequent words.
    common: HashSet<String>,
    /// The probability given to words the list does not have: its smallest.
    floor: f64,
}

impl Background {
    /// The embedded English list ([`BACKGROUND_EN`]).
    pub fn english() -> Background {
        Background::parse(BACKGROUND_EN)
    }

    /// Reads `word<TAB>zipf` lines (`#` starts a comment), most frequent
    /// first. Words with the same stem add up; the stems of the first
    /// [`COMMON_WORDS`] words are common English.
    pub fn parse(text: &str) -> Background {
        let stemmer = Stemmer::create(Algorithm::English);
        let mut by_stem: HashMap<String, f64> = HashMap::new();
        let mut common: HashSet<String> = HashSet::new();
        let mut seen = 0;
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
            let stem = stemmer.stem(word).into_owned();
            if seen < COMMON_WORDS {
                common.insert(stem.clone());
                seen += 1;
            }
            *by_stem.entry(stem).or_default() += p;
        }
        Background {
            by_stem,
            common,
            floor: if floor.is_finite() { floor } else { 1e-6 },
        }
    }

    /// The probability of a stem, or the floor.
    pub fn probability(&self, stem: &str) -> f64 {
        self.by_stem.get(stem).copied().unwrap_or(self.floor)
    }

    /// Whether a stem is that of one of the [`COMMON_WORDS`] most frequent
    /// words of the list.
    pub fn is_common(&self, stem: &str) -> bool {
        self.common.contains(stem)
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
    /// Whether a stem is that of a common English word ([`COMMON_WORDS`]).
    pub fn is_common(&self, stem: &str) -> bool {
        self.background.is_common(stem)
    }

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
pub(super) fn phrase_probability(words: impl Iterator<Item = f64>) -> f64 {
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
pub(crate) fn for_each_phrase(tokens: &[Token], mut f: impl FnMut(usize, usize)) {
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

/// A word as tokens and patterns are compared: typographic apostrophes
/// plain, a possessive `'s` or `'` removed.
pub(super) fn normalise(raw: &str) -> String {
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
    fn background_adds_up_words_with_the_same_stem() {
        let bg = Background::parse("# c\nreferral\t4.00\nreferrals\t4.00\nzebra\t3.00\n");
        let stem = Stemmer::create(Algorithm::English)
            .stem("referral")
            .into_owned();
        assert!((bg.probability(&stem) - 2e-5).abs() < 1e-12);
        assert!((bg.probability("unseen") - 1e-6).abs() < 1e-15);
    }
}
