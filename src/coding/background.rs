//! How often each pattern of a codebook fires on off-topic text: the
//! background corpus shipped in `codebooks/background/` (embedded, see
//! [`DEFAULT`]) or the user's own, split into sentences as
//! [`Unit::Sentence`] splits a transcript. A pattern that codes talk about
//! the weather or the weekly shop is too generic to code a theme alone.

use std::collections::BTreeMap;

use crate::corpus::{ParseOptions, RawTurn, Transcript, Unit};
use crate::matcher::Matcher;

/// The shipped background corpus, one `(file name, text)` per file of
/// `codebooks/background/`: synthetic everyday English written for mint.
pub const DEFAULT: &[(&str, &str)] = &[
    (
        "cooking.txt",
        include_str!("../../codebooks/background/cooking.txt"),
    ),
    (
        "day-out.txt",
        include_str!("../../codebooks/background/day-out.txt"),
    ),
    (
        "family-news.txt",
        include_str!("../../codebooks/background/family-news.txt"),
    ),
    (
        "hobbies.txt",
        include_str!("../../codebooks/background/hobbies.txt"),
    ),
    (
        "neighbours.txt",
        include_str!("../../codebooks/background/neighbours.txt"),
    ),
    (
        "school.txt",
        include_str!("../../codebooks/background/school.txt"),
    ),
    (
        "shop-work.txt",
        include_str!("../../codebooks/background/shop-work.txt"),
    ),
    (
        "shopping.txt",
        include_str!("../../codebooks/background/shopping.txt"),
    ),
    (
        "sport.txt",
        include_str!("../../codebooks/background/sport.txt"),
    ),
    (
        "travel.txt",
        include_str!("../../codebooks/background/travel.txt"),
    ),
    (
        "weather.txt",
        include_str!("../../codebooks/background/weather.txt"),
    ),
];

/// How often the patterns of a codebook fired on background text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rates {
    /// Sentences read.
    pub sentences: usize,
    /// Per `(code, pattern)` (indices into the codebook), the number of
    /// sentences in which the pattern matched and its code applied
    /// (patterns that never fired are absent).
    pub fired: BTreeMap<(usize, usize), usize>,
}

impl Rates {
    /// The share of sentences in which a pattern fired (0 when there were
    /// no sentences).
    pub fn rate(&self, code: usize, pattern: usize) -> f64 {
        let n = self.fired.get(&(code, pattern)).copied().unwrap_or(0);
        if self.sentences == 0 {
            0.0
        } else {
            n as f64 / self.sentences as f64
        }
    }
}

/// Background text cut into sentences: each text read as one unlabelled
/// participant turn and split into paragraphs and sentences as
/// [`Unit::Sentence`] splits a transcript.
#[derive(Debug, Clone, Default)]
pub struct Background {
    sentences: Vec<String>,
}

impl Background {
    /// Splits `texts` into sentences.
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> Background {
        let options = ParseOptions::default();
        let mut sentences = Vec::new();
        for (i, text) in texts.into_iter().enumerate() {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            let turn = RawTurn {
                speaker: String::new(),
                start: 0,
                end: text.len(),
                line: 1,
                time: None,
            };
            let name = format!("background-{i}");
            let transcript =
                Transcript::from_turns(&name, text.to_string(), vec![turn], Vec::new(), &options);
            for (_, start, end) in transcript.segments(Unit::Sentence) {
                sentences.push(transcript.text[start..end].to_string());
            }
        }
        Background { sentences }
    }

    /// The shipped background corpus ([`DEFAULT`]).
    pub fn shipped() -> Background {
        Background::new(DEFAULT.iter().map(|(_, text)| *text))
    }

    /// Number of sentences.
    pub fn len(&self) -> usize {
        self.sentences.len()
    }

    /// Whether there is no sentence at all.
    pub fn is_empty(&self) -> bool {
        self.sentences.is_empty()
    }

    /// Codes every sentence and counts, per pattern, the sentences it fired
    /// in. A pattern counts once per sentence, and only where its code
    /// applies (an `exclude` or a `min_hits` the sentence fails means it did
    /// not fire).
    pub fn rates(&self, matcher: &Matcher) -> Rates {
        let mut out = Rates {
            sentences: self.sentences.len(),
            fired: BTreeMap::new(),
        };
        let mut hits = Vec::new();
        let mut pairs = Vec::new();
        for sentence in &self.sentences {
            hits.clear();
            pairs.clear();
            matcher.find_with_patterns(sentence, &mut hits, &mut pairs);
            pairs.sort_unstable();
            pairs.dedup();
            for &pair in &pairs {
                *out.fired.entry(pair).or_default() += 1;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::Codebook;

    fn matcher(toml: &str) -> Matcher {
        Matcher::new(&Codebook::from_toml_str(toml, "test.toml").unwrap()).unwrap()
    }

    const BOOK: &str = r#"
themes = [{ id = "t", label = "T" }]
codes = [
  { id = "generic", theme = "t", patterns = ["day", "rain*"] },
  { id = "specific", theme = "t", patterns = ["care plan"] },
]
"#;

    #[test]
    fn counts_each_pattern_once_per_sentence() {
        let m = matcher(BOOK);
        let text = "It rained all day, day after day. The sun came out.\n\nRain again today.";
        let r = Background::new([text]).rates(&m);
        assert_eq!(r.sentences, 3);
        assert_eq!(r.fired.get(&(0, 0)), Some(&1));
        assert_eq!(r.fired.get(&(0, 1)), Some(&2));
        assert_eq!(r.fired.get(&(1, 0)), None);
        assert!((r.rate(0, 1) - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(r.rate(1, 0), 0.0);
    }

    #[test]
    fn adds_up_over_texts_and_handles_nothing() {
        let m = matcher(BOOK);
        let r = Background::new([
            "A good day.",
            "",
            "Another fine day in town. We wrote a care plan together.",
        ])
        .rates(&m);
        assert_eq!(r.sentences, 3);
        assert_eq!(r.fired.get(&(0, 0)), Some(&2));
        assert_eq!(r.fired.get(&(1, 0)), Some(&1));
        assert_eq!(Background::new([]).rates(&m).rate(0, 0), 0.0);
    }

    #[test]
    fn the_default_corpus_is_every_file_of_the_folder() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("codebooks/background");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".txt"))
            .collect();
        files.sort();
        let names: Vec<&str> = DEFAULT.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, files);
        let m = matcher(BOOK);
        let r = Background::shipped().rates(&m);
        assert!(r.sentences >= 250, "{} sentences", r.sentences);
    }
}
