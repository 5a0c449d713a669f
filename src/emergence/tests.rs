//! Tests of [`propose`] as a whole, on a small study. The tests of each
//! step live beside it.

use std::collections::BTreeSet;

use super::*;
use crate::matcher::Matcher;

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

/// Six participants keep saying "water" (a common English word) outside
/// the codebook; `n` of them do.
fn water_study(n: u32) -> (Vec<String>, Vec<(u32, &'static str)>) {
    let ids: Vec<String> = (1..=6).map(|i| format!("P{i}")).collect();
    let mut lines = Vec::new();
    for p in 0..6 {
        lines.push((p, "Our system crashed again on Monday."));
        lines.push((p, "The huddle was cancelled."));
        if p < n {
            lines.push((p, "The water was off."));
            lines.push((p, "Water everywhere, water in the lift."));
        }
    }
    (ids, lines)
}

#[test]
fn a_single_common_word_needs_keyness_and_many_participants_and_says_why() {
    let book = book();
    assert!(crate::emergence::common_words().contains(&"water"));
    let (ids, lines) = water_study(6);
    let many = input(&ids, &lines, &book);
    let found = propose(&many, &book, &Options::default()).unwrap();
    let water = found.iter().find(|c| c.label == "water").expect("water");
    let reason = water.reason.as_deref().unwrap();
    assert!(reason.contains("common English word"), "{reason}");
    assert!(reason.contains("6 of 6 participants"), "{reason}");
    // Said by three of six participants: not reason enough.
    let (ids, lines) = water_study(3);
    let few = input(&ids, &lines, &book);
    let found = propose(&few, &book, &Options::default()).unwrap();
    assert!(
        found.iter().all(|c| !c.label.contains("water")),
        "{found:?}"
    );
}

#[test]
fn a_multi_word_phrase_or_compound_outranks_an_equally_key_single_word() {
    let book = book();
    let ids: Vec<String> = (1..=4).map(|i| format!("P{i}")).collect();
    let mut lines = Vec::new();
    for p in 0..4 {
        lines.push((p, "Our system crashed again on Monday."));
        lines.push((p, "The huddle was cancelled."));
        lines.push((p, "The zeppelin hangar."));
        lines.push((p, "A pelican."));
        lines.push((p, "Some self-rostering."));
    }
    let input = input(&ids, &lines, &book);
    let found = propose(&input, &book, &Options::default()).unwrap();
    let labels: Vec<&str> = found.iter().map(|c| c.label.as_str()).collect();
    // A hyphenated compound is a collocation too.
    let rank = |l: &str| labels.iter().position(|x| *x == l);
    for l in ["zeppelin hangar", "self-rostering", "pelican"] {
        assert!(rank(l).is_some(), "{l}: {labels:?}");
    }
    assert!(rank("self-rostering") < rank("pelican"), "{labels:?}");
    assert!(rank("zeppelin hangar") < rank("pelican"), "{labels:?}");
}
