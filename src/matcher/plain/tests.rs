//! Tests of the plain-word engine: that [`PlainIndex`] finds exactly what
//! each pattern's regex finds, on every default pattern and some awkward
//! ones, and that [`word_mask`] agrees with [`is_word_byte`].
//!
//! Tests of the whole [`Matcher`](crate::matcher::Matcher) live in
//! `matcher/tests.rs`.

use std::ops::Range;

use regex::Regex;

use super::*;
use crate::codebook::Codebook;
use crate::pattern::{self, Options};

/// Every match of each pattern by the regex-free matcher, as a regex's
/// `find_iter` would list them, by pattern.
fn plain_ranges(index: &PlainIndex, text: &str, n: usize) -> Vec<Vec<Range<usize>>> {
    let mut found = Vec::new();
    index.scan(text, &mut found, &mut Vec::new());
    found.sort_by_key(|m| (m.entry, m.start));
    let mut out: Vec<Vec<Range<usize>>> = vec![Vec::new(); n];
    for m in found {
        let ranges = &mut out[m.entry as usize];
        if ranges.last().is_none_or(|r| m.start as usize >= r.end) {
            ranges.push(m.start as usize..m.end as usize);
        }
    }
    out
}

#[test]
fn plain_matching_agrees_with_the_regexes() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<String> = [
        "GP's gp’s GPs gps Gp GP. (GP) éGP GPé _GP GP_ GP2",
        "co-located colocated co - located co\u{2010}located co located CO-LOCATED",
        "social\n  care social--care Social\u{a0}Care social-\ncare social care_ socialcare",
        "programme programmes program programmed Programme-led",
        "organisation organization organisations Organizational disorganised",
        "A&E a&e A & E A&Ebook team-work teamwork team work",
        "integrated_care integrated-care integration disintegration integrat",
        "the MDT mdt MDTs multi-disciplinary multidisciplinary multi disciplinary",
        "colour color colours paediatric pediatric centre center centres",
        "don't won’t can't shared-records no\tshared\n\nrecords care care care",
        "integrated  care integrat care 2gether _GP GP2 GP22 multi-disciplinary-team",
        "interprofessional interprofessionalism Interprofessionally interprofession \
         supercalifragilisticexpialidocious supercalifragilistic \
         xabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz x",
        "social\u{b}care social\u{c}care social\r\ncare social\u{85}care social\u{2028}care",
        "e-health ehealth eHealth e health E-Health-led x X xyz ab Ab abc ABCD abcde ab_c",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for entry in std::fs::read_dir(root.join("examples/transcripts")).unwrap() {
        texts.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    texts.push(std::fs::read_to_string(root.join("tests/data/eval/turns.toml")).unwrap());
    let codebook = Codebook::default_codebook();
    let mut checked = 0;
    for variants in [true, false] {
        let options = Options { variants };
        let extra = [
            "GP's",
            "GP",
            "gp",
            "co-locat*",
            "A&E",
            "A & E",
            "programme",
            "programme*",
            "social care",
            "social-care*",
            "MDT*",
            "integrat*",
            "team-work",
            "organisation",
            "colour*",
            "paediatric",
            "centre",
            "don't",
            "shared record*",
            "care care",
            "integrat* care",
            "multi-disciplinary team",
            "_GP",
            "GP2",
            "2gether",
            "e-health",
            "e-health*",
            "interprofessional*",
            "interprofessional",
            "supercalifragilisticexpialidocious",
            "xabcdefghijklmnopqrstuvwxyz*",
            "x*",
            "ab*",
            "abc*",
        ]
        .map(String::from);
        let all = codebook
            .codes
            .iter()
            .flat_map(|c| c.patterns.iter().chain(&c.exclude));
        let mut sources = Vec::new();
        let mut compiled = Vec::new();
        for source in all.chain(&extra) {
            let p = pattern::compile(source, &options).unwrap();
            if plain_of(&p).is_some() {
                sources.push(source);
                compiled.push(p);
            }
        }
        let regexes: Vec<Regex> = compiled
            .iter()
            .map(|p| match p {
                Pattern::Single(c) => Regex::new(&c.regex).unwrap(),
                Pattern::Near { .. } => unreachable!("NEAR has no plain form"),
            })
            .collect();
        let index = PlainIndex::new(&compiled);
        for text in &texts {
            let got = plain_ranges(&index, text, compiled.len());
            for (i, re) in regexes.iter().enumerate() {
                let want: Vec<Range<usize>> = re.find_iter(text).map(|m| m.range()).collect();
                assert_eq!(got[i], want, "{:?} (variants {variants})", sources[i]);
            }
        }
        checked += compiled.len();
    }
    // Both spelling modes over the default codebook's plain patterns (about 3,700 since #16
    // moved its generic words into NEAR patterns) and the extras above.
    assert!(checked > 3000, "only {checked} patterns have a plain form");
}

#[test]
fn word_mask_agrees_with_the_byte_test_for_every_byte() {
    let bytes: Vec<u8> = (0..=255u8)
        .chain((0..=255u8).rev())
        .chain(*b"a_Z9 -'")
        .collect();
    for chunk in bytes.chunks(64).chain(bytes[5..].chunks(61)) {
        let want = chunk
            .iter()
            .enumerate()
            .fold(0u64, |m, (k, &b)| m | u64::from(is_word_byte(b)) << k);
        assert_eq!(word_mask(chunk), want, "{chunk:?}");
    }
}
