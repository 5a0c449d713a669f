//! Input generators shared by the properties: words and lines that look
//! like transcripts (labels, time stamps, front matter, odd characters),
//! and arbitrary text.

use proptest::prelude::*;

/// Characters that break byte-offset arithmetic: multi-byte letters, ones
/// whose case mapping changes length (`İ`, `ß`, `ﬁ`, the Kelvin sign), a
/// combining accent, typographic quotes, non-breaking and wide spaces,
/// control characters, a BOM.
pub const TRICKY: &[&str] = &[
    "İ",
    "ı",
    "ß",
    "ẞ",
    "ﬁ",
    "\u{212A}",
    "é",
    "e\u{301}",
    "’",
    "‘",
    "“",
    "\u{a0}",
    "\u{3000}",
    "\u{2028}",
    "\t",
    "\0",
    "\u{feff}",
    "\u{1F600}",
    "：",
    "—",
    "\u{200b}",
    "\r",
    "\n",
    "\r\n",
];

/// Words a codebook and a transcript both use, in several cases.
pub const WORDS: &[&str] = &[
    "it",
    "IT",
    "system",
    "systems",
    "care",
    "social",
    "team",
    "GP",
    "nurse",
    "café",
    "Straße",
    "strasse",
    "organisation",
    "organization",
    "co-location",
    "colocation",
    "don't",
    "don’t",
    "integrated",
    "İstanbul",
    "naïve",
    "ﬁnance",
    "A&E",
    "NHS",
    "not",
    "never",
];

/// Speaker labels: known roles, pairs, false labels from issue 15, names
/// with punctuation and non-ASCII letters.
pub const LABELS: &[&str] = &[
    "Interviewer",
    "I",
    "Q",
    "A",
    "P1",
    "R2",
    "Participant",
    "Respondent",
    "Moderator",
    "Speaker 1",
    "Dr. Ann O'Neil",
    "Zoë",
    "Question",
    "Answer",
    "And",
    "So",
    "Note",
    "10",
    "10:32",
    "The Witness",
    "İlker",
    "P",
    "Int",
];

/// One word: from [`WORDS`], [`TRICKY`], or any short run of printable
/// characters.
pub fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(WORDS).prop_map(str::to_string),
        2 => proptest::sample::select(TRICKY).prop_map(str::to_string),
        1 => "\\PC{1,6}",
        1 => "[.,;:!?()\\[\\]*'\"-]{1,3}",
    ]
}

/// A run of words separated by spaces or punctuation.
pub fn prose(max_words: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        (
            word(),
            prop_oneof![Just(" "), Just(""), Just(". "), Just(", "), Just("  ")],
        ),
        0..max_words,
    )
    .prop_map(|parts| parts.into_iter().map(|(w, s)| w + s).collect())
}

/// A speaker label, from [`LABELS`] or made up.
pub fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(LABELS).prop_map(str::to_string),
        1 => "\\p{L}[\\p{L}\\p{N} ._'’-]{0,12}",
    ]
}

/// One line of a plain-text transcript, in every layout the parser knows
/// and some it does not.
pub fn transcript_line() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (label(), prop_oneof![Just(":"), Just(" :"), Just(":  "), Just("：")], prose(12))
            .prop_map(|(l, c, t)| format!("{l}{c} {t}")),
        1 => (label(), prose(8)).prop_map(|(l, t)| format!("**{l}:** {t}")),
        1 => (label(), prose(8)).prop_map(|(l, t)| format!("**{l}**: {t}")),
        1 => (label(), prose(8)).prop_map(|(l, t)| format!("[{l}] {t}")),
        1 => (label(), 0u8..100, 0u8..100, prose(8))
            .prop_map(|(l, m, s, t)| format!("{l} ({m:02}:{s:02}): {t}")),
        1 => (label(), 0u8..24, 0u8..60).prop_map(|(l, m, s)| format!("{l} 00:{m:02}:{s:02}")),
        6 => prose(16),
        2 => Just(String::new()),
        1 => Just("---".to_string()),
        1 => ("[a-z][a-z0-9_]{0,8}", prose(3)).prop_map(|(k, v)| format!("{k}: {v}")),
        1 => Just("(10.01 am)".to_string()),
        1 => Just("[00:12:34]".to_string()),
        1 => Just("# heading".to_string()),
        1 => "\\PC{0,30}",
        1 => any::<String>().prop_map(|s| s.chars().take(30).collect()),
    ]
}

/// A whole plain-text transcript: lines joined by LF, CRLF or a lone CR.
pub fn transcript_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        (
            transcript_line(),
            prop_oneof![4 => Just("\n"), 1 => Just("\r\n"), 1 => Just("\r")],
        ),
        0..24,
    )
    .prop_map(|lines| lines.into_iter().map(|(l, end)| l + end).collect())
}

/// Speaker-label rules: the defaults, extra interviewer labels, or an exact
/// `--speakers` list.
pub fn parse_options() -> impl Strategy<Value = mint::corpus::ParseOptions> {
    use mint::corpus::ParseOptions;
    prop_oneof![
        3 => Just(ParseOptions::default()),
        1 => Just(ParseOptions::with_interviewers(&["Dr. Ann O'Neil", "zoë", "A"])),
        1 => Just(ParseOptions {
            speakers: Some(vec!["P1".into(), "Interviewer".into(), "Zoë".into(), "Q".into()]),
            ..ParseOptions::default()
        }),
    ]
}

/// Bytes: arbitrary ones, or the UTF-8 of arbitrary text.
pub fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..max),
        "\\PC{0,200}".prop_map(String::into_bytes),
    ]
}

/// Text escaped for XML.
pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// XML text content and attribute values: escaped prose mostly, now and
/// then an entity (good or bad) or a markup character.
pub fn xml_text() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => prose(6).prop_map(|s| xml_escape(&s)),
        1 => proptest::sample::select(&[
            "&amp;", "&lt;", "&#233;", "&#x1F600;", "&bogus;", "&#xD800;", "&", "<", "]]>",
            "&#0;", "\"", "'", "&#9;", "&#xA;",
        ][..])
        .prop_map(str::to_string),
    ]
}
