//! Did-you-mean for a flag value that matches nothing: the nearest of the
//! known names, by Jaro similarity over 0.7 (clap's own rule for mistyped
//! subcommands and flags, from the same `strsim` crate).

use std::fmt;

/// What an error about an unknown name ends with: the nearest known name,
/// if one is near, and the known names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// The known name nearest to the one asked for, if any is near.
    pub suggestion: Option<String>,
    /// Every known name, in order.
    pub known: Vec<String>,
}

impl Hint {
    /// The hint for `word` among `known` (compared without case).
    pub fn new<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Hint {
        let known: Vec<String> = known.into_iter().map(String::from).collect();
        Hint {
            suggestion: nearest(word, known.iter().map(String::as_str)).map(String::from),
            known,
        }
    }
}

/// How many known names a message lists before "and N more".
const LISTED: usize = 12;

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = &self.suggestion {
            write!(f, "; did you mean {s:?}?")?;
        }
        if self.known.is_empty() {
            return write!(f, " (there are none)");
        }
        let listed: Vec<&str> = self.known.iter().take(LISTED).map(String::as_str).collect();
        write!(f, " (known: {}", listed.join(", "))?;
        if self.known.len() > LISTED {
            write!(f, " and {} more", self.known.len() - LISTED)?;
        }
        write!(f, ")")
    }
}

/// The name in `known` nearest to `word`, if any is near enough; ties go
/// to the first.
pub fn nearest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for k in known {
        let score = strsim::jaro(&word, &k.to_lowercase());
        if score > 0.7 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, k));
        }
    }
    best.map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_name() {
        let known = ["area", "level", "role", "sector"];
        assert_eq!(nearest("levle", known), Some("level"));
        assert_eq!(nearest("sectr", known), Some("sector"));
        assert_eq!(nearest("Sector", known), Some("sector"));
        assert_eq!(nearest("zzz", known), None);
        assert_eq!(nearest("x", []), None);
    }

    #[test]
    fn hints_read_as_the_end_of_a_message() {
        let hint = Hint::new("levle", ["level", "sector"]);
        assert_eq!(
            hint.to_string(),
            "; did you mean \"level\"? (known: level, sector)"
        );
        assert_eq!(Hint::new("q", ["level"]).to_string(), " (known: level)");
        assert_eq!(Hint::new("q", []).to_string(), " (there are none)");
        let many: Vec<String> = (0..15).map(|i| format!("a{i:02}")).collect();
        assert!(
            Hint::new("zz", many.iter().map(String::as_str))
                .to_string()
                .ends_with("a11 and 3 more)")
        );
    }
}
