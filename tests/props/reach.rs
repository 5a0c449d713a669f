//! The generators reach past the parsers' first checks: a property whose
//! inputs all fail at the first check would pass while testing nothing.
//! Each test samples a generator and asserts that enough of its inputs
//! parse, give turns, or code (the shares were about twice these floors
//! when this was written).

use mint::corpus::{ParseOptions, Transcript, Unit};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;

use crate::{captions, check, codebook, exchange, inputs, office, survey};

const SAMPLES: usize = 100;

fn sample<S: Strategy>(strategy: S) -> Vec<S::Value> {
    let mut runner = TestRunner::new(crate::config(SAMPLES as u32));
    (0..SAMPLES)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

/// Asserts that at least `percent`% of the samples did something.
fn at_least(what: &str, count: usize, percent: usize) {
    assert!(
        count * 100 >= percent * SAMPLES,
        "{what}: {count} of {SAMPLES} samples, fewer than {percent}%: the generator no longer reaches the parser"
    );
}

#[test]
fn transcripts_have_turns_and_codings() {
    let (mut several, mut coded) = (0, 0);
    for text in sample(inputs::transcript_text()) {
        let Ok(t) = Transcript::parse("p.txt", text, &ParseOptions::default()) else {
            continue;
        };
        several += usize::from(t.turns.len() > 1);
        coded += usize::from(
            !mint::coding::code(&t, check::matcher(), Unit::Sentence)
                .codings
                .is_empty(),
        );
    }
    at_least("transcripts with two turns or more", several, 40);
    at_least("transcripts with a coding", coded, 40);
}

#[test]
fn office_packages_have_text() {
    for odt in [false, true] {
        let with_text = sample(office::package(odt))
            .into_iter()
            .filter_map(|bytes| {
                if odt {
                    mint::formats::odt::extract(&bytes)
                } else {
                    mint::formats::docx::extract(&bytes)
                }
                .ok()
            })
            .filter(|text| !text.trim().is_empty())
            .count();
        at_least(
            if odt {
                "odt with text"
            } else {
                "docx with text"
            },
            with_text,
            35,
        );
    }
}

#[test]
fn captions_have_turns() {
    for vtt in [true, false] {
        let with_turns = sample(captions::captions(vtt))
            .into_iter()
            .filter_map(|text| {
                if vtt {
                    mint::formats::vtt::parse(&text)
                } else {
                    mint::formats::srt::parse(&text)
                }
                .ok()
            })
            .filter(|e| !e.turns.is_empty())
            .count();
        at_least(
            if vtt {
                "vtt with turns"
            } else {
                "srt with turns"
            },
            with_turns,
            30,
        );
    }
}

#[test]
fn codebooks_and_imports_load() {
    let loaded = sample(codebook::codebook_toml())
        .into_iter()
        .filter(|toml| mint::codebook::Codebook::from_toml_str(toml, "gen.toml").is_ok())
        .count();
    at_least("codebooks that load", loaded, 25);
    let imported = sample(exchange::qdc())
        .into_iter()
        .filter(|xml| mint::exchange::read_qdc(xml.as_bytes()).is_ok())
        .count();
    at_least("qdc files that import", imported, 35);
}

#[test]
fn surveys_have_turns() {
    let with_turns = sample((survey::survey_csv(), survey::columns()))
        .into_iter()
        .filter_map(|(text, columns)| mint::formats::survey::parse(&text, &columns).ok())
        .filter(|s| !s.extracted.turns.is_empty())
        .count();
    at_least("surveys with turns", with_turns, 15);
}
