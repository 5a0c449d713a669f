//! Tests of alignment and figures: identical and swapped sets, a
//! character-level case computed by hand, three sets against Fleiss'
//! kappa, errors, mint's own codings as a set, and the bootstrap's
//! determinism.

use super::*;
use crate::codebook::Codebook;
use crate::corpus::ParseOptions;
use crate::matcher::Matcher;

fn source(path: &str, text: &str, participants: &[&str]) -> Source {
    Source {
        transcript: Transcript::parse(path, text.to_string(), &ParseOptions::default()).unwrap(),
        participants: participants.iter().map(|p| p.to_string()).collect(),
    }
}

fn code(id: &str, theme: &str) -> SetCode {
    SetCode {
        id: id.to_string(),
        theme: theme.to_string(),
    }
}

fn set(name: &str, codings: &[(&str, usize, usize, &str)]) -> CodingSet {
    CodingSet {
        name: name.to_string(),
        codes: vec![code("x", "t"), code("y", "t"), code("z", "u")],
        codings: codings
            .iter()
            .map(|&(file, start, end, code)| SetCoding {
                file: file.to_string(),
                start,
                end,
                code: code.to_string(),
                coder: name.to_string(),
                rule: None,
            })
            .collect(),
    }
}

/// Two participants, four turns: spans in code points are 4..9 ("one a"),
/// 14..19, 24..29, 34..39.
const TEXT: &str = "P1: one a\nP2: two b\nP1: thr c\nP2: fou d\n";

fn sources() -> Vec<Source> {
    vec![source("a.txt", TEXT, &["p1", "p2"])]
}

fn turn_span(n: usize) -> (usize, usize) {
    (4 + 10 * n, 9 + 10 * n)
}

fn row(rows: &[Row], level: Level, comparison: Comparison) -> &Figures {
    &rows
        .iter()
        .find(|r| r.level == level && r.comparison == comparison)
        .expect("a row")
        .figures
}

fn assert_near(actual: Option<f64>, expected: f64) {
    let actual = actual.expect("a value");
    assert!((actual - expected).abs() < 1e-12, "{actual} != {expected}");
}

#[test]
fn the_turn_spans_are_where_the_tests_think() {
    let segments = sources()[0].transcript.segments(Unit::Turn);
    let spans: Vec<_> = segments.iter().map(|&(_, s, e)| (s, e)).collect();
    assert_eq!(spans, (0..4).map(turn_span).collect::<Vec<_>>());
}

#[test]
fn identical_sets_agree_perfectly_with_no_disagreements() {
    let codings = [
        ("a.txt", 4, 7, "x"),
        ("a.txt", 15, 16, "y"),
        ("a.txt", 24, 29, "x"),
    ];
    let sets = [set("A", &codings), set("B", &codings)];
    let aligned = align(&sets, &sources(), Grain::Segment(Unit::Turn)).unwrap();
    assert_eq!(aligned.items.len(), 4);
    assert_eq!(aligned.disagreements().count(), 0);
    let rows = figures(&aligned, 200);
    let overall = row(&rows, Level::Overall, Comparison::Pair(0, 1));
    assert_eq!(overall.kappa, Some(1.0));
    assert_eq!(overall.alpha, Some(1.0));
    assert_eq!(overall.percent, Some(1.0));
    assert_eq!(overall.f1, Some(1.0));
    // Four turns x two codes used (x, y): eight cells.
    assert_eq!(overall.units, 8);
    assert_eq!(aligned.codes.len(), 2);
}

#[test]
fn swapping_two_codes_on_one_segment_moves_exactly_those_cells() {
    let a = set("A", &[("a.txt", 4, 9, "x"), ("a.txt", 14, 19, "y")]);
    let b = set("B", &[("a.txt", 4, 9, "y"), ("a.txt", 14, 19, "y")]);
    let aligned = align(&[a, b], &sources(), Grain::Segment(Unit::Turn)).unwrap();
    let differing: Vec<_> = aligned.disagreements().map(|i| i.chars).collect();
    assert_eq!(differing, vec![turn_span(0)]);
    let rows = figures(&aligned, 0);
    // x: A on turn 0 only, B never: one disagreement in four.
    let x = row(&rows, Level::Code(0), Comparison::Pair(0, 1));
    assert_eq!(x.percent, Some(0.75));
    assert_eq!(x.kappa, Some(0.0));
    assert_eq!(x.recall, Some(0.0));
    assert_eq!(x.precision, None);
    assert!(x.undefined.iter().any(|u| u.figure == "precision"));
    // y: A on turn 1, B on turns 0 and 1.
    let y = row(&rows, Level::Code(1), Comparison::Pair(0, 1));
    assert_eq!(y.percent, Some(0.75));
    assert_eq!(y.precision, Some(0.5));
    // The theme t holds both codes: both sets coded turns 0 and 1 with it.
    let t = row(&rows, Level::Theme(0), Comparison::Pair(0, 1));
    assert_eq!(t.percent, Some(1.0));
    assert_eq!(t.kappa, Some(1.0));
    assert_eq!(aligned.codes[0].used_by, vec![true, false]);
    // One unit differs, on both codes of t (the only theme used).
    assert_eq!(aligned.themes, ["t"]);
    let counts: Vec<usize> = [
        Level::Overall,
        Level::Theme(0),
        Level::Code(0),
        Level::Code(1),
    ]
    .into_iter()
    .map(|level| aligned.disagreeing(level, 0, 1))
    .collect();
    assert_eq!(counts, [1, 1, 1, 1]);
}

// One participant turn of 20 code points (4..24). A codes x on 4..8, B on
// 6..12: 2 both, 2 A only, 4 B only, 12 neither. By hand: p_o = 0.7,
// p_e = 0.2·0.3 + 0.8·0.7 = 0.62, kappa = 0.08/0.38 = 4/19; AC1 with
// π = 0.25: p_e = 0.375, AC1 = 0.325/0.625 = 0.52; PABAK = 0.4;
// alpha = 1 − 39·12/(2·10·30) = 0.22; precision of B 2/6, recall 2/4,
// F1 4/10.
#[test]
fn char_level_figures_match_a_hand_computation() {
    let sources = vec![source("c.txt", "P1: abcdefghijklmnopqrst", &["p1"])];
    assert_eq!(sources[0].transcript.segments(Unit::Turn)[0].1, 4);
    let a = set("A", &[("c.txt", 4, 8, "x")]);
    let b = set("B", &[("c.txt", 6, 12, "x")]);
    let aligned = align(&[a, b], &sources, Grain::Char).unwrap();
    let runs: Vec<_> = aligned.items.iter().map(|i| (i.chars, i.weight)).collect();
    assert_eq!(
        runs,
        vec![((4, 6), 2), ((6, 8), 2), ((8, 12), 4), ((12, 24), 12)]
    );
    assert_eq!(aligned.disagreements().count(), 2);
    let text = &sources[0].transcript.text;
    let first = &aligned.items[0];
    assert_eq!(&text[first.bytes.0..first.bytes.1], "ab");
    let rows = figures(&aligned, 0);
    let x = row(&rows, Level::Code(0), Comparison::Pair(0, 1));
    assert_eq!(x.units, 20);
    assert_near(x.percent, 0.7);
    assert_near(x.kappa, 4.0 / 19.0);
    assert_near(x.ac1, 0.52);
    assert_near(x.pabak, 0.4);
    assert_near(x.alpha, 0.22);
    assert_near(x.precision, 2.0 / 6.0);
    assert_near(x.recall, 0.5);
    assert_near(x.f1, 0.4);
    assert_eq!(x.prevalence, vec![0.2, 0.3]);
}

#[test]
fn three_sets_get_pairs_and_fleiss_kappa_across_all() {
    let a = set("A", &[("a.txt", 4, 9, "x"), ("a.txt", 14, 19, "x")]);
    let b = set("B", &[("a.txt", 4, 9, "x")]);
    let c = set("C", &[("a.txt", 4, 9, "x"), ("a.txt", 24, 29, "x")]);
    let aligned = align(&[a, b, c], &sources(), Grain::Segment(Unit::Turn)).unwrap();
    let rows = figures(&aligned, 0);
    let comparisons: BTreeSet<String> =
        rows.iter().map(|r| format!("{:?}", r.comparison)).collect();
    assert_eq!(comparisons.len(), 4);
    let all = row(&rows, Level::Code(0), Comparison::All);
    // Per turn, raters saying (no, yes): (0,3), (2,1), (2,1), (3,0).
    let subjects = [vec![0, 3], vec![2, 1], vec![2, 1], vec![3, 0]];
    assert_eq!(all.kappa, crate::stats::fleiss_kappa(&subjects));
    let units: Vec<Vec<Option<usize>>> = subjects
        .iter()
        .map(|s| {
            std::iter::repeat_n(Some(0), s[0] as usize)
                .chain(std::iter::repeat_n(Some(1), s[1] as usize))
                .collect()
        })
        .collect();
    assert_near(
        all.alpha,
        crate::stats::krippendorff_alpha_nominal(&units).unwrap(),
    );
    assert_eq!(all.percent, Some(0.5));
    assert_eq!(all.precision, None);
    // Pair (B, C) is not against the reference: no precision, no reason.
    let bc = row(&rows, Level::Code(0), Comparison::Pair(1, 2));
    assert_eq!(bc.precision, None);
    assert!(bc.undefined.is_empty());
}

#[test]
fn a_code_nobody_in_a_pair_applied_is_undefined_with_a_reason() {
    let a = set("A", &[("a.txt", 4, 9, "x")]);
    let b = set("B", &[("a.txt", 4, 9, "x")]);
    let c = set("C", &[("a.txt", 4, 9, "x"), ("a.txt", 14, 19, "z")]);
    let aligned = align(&[a, b, c], &sources(), Grain::Segment(Unit::Turn)).unwrap();
    let z = aligned.codes.iter().position(|c| c.id == "z").unwrap();
    assert_eq!(aligned.codes[z].used_by, vec![false, false, true]);
    let rows = figures(&aligned, 50);
    let ab = row(&rows, Level::Code(z), Comparison::Pair(0, 1));
    assert_eq!((ab.kappa, ab.alpha), (None, None));
    assert_eq!((ab.kappa_ci, ab.alpha_ci), (None, None));
    let reasons: Vec<_> = ab
        .undefined
        .iter()
        .map(|u| (u.figure, u.reason.as_str()))
        .collect();
    assert!(reasons.contains(&("kappa", "no variation: no set applied it")));
    assert!(reasons.contains(&("alpha", "no variation: no set applied it")));
    // AC1 and PABAK stay defined: both sets agree everywhere.
    assert_eq!((ab.ac1, ab.pabak), (Some(1.0), Some(1.0)));
}

#[test]
fn bootstrap_intervals_are_deterministic_and_bracket_the_estimate() {
    let mut text = String::new();
    let mut participants = Vec::new();
    for p in 0..12 {
        text.push_str(&format!("S{p}: one\nS{p}: two\n"));
        participants.push(format!("s{p:02}"));
    }
    let names: Vec<&str> = participants.iter().map(String::as_str).collect();
    let sources = vec![source("b.txt", &text, &names)];
    let spans: Vec<(usize, usize)> = sources[0]
        .transcript
        .segments(Unit::Turn)
        .iter()
        .map(|&(_, s, e)| (s, e))
        .collect();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for (n, &(s, e)) in spans.iter().enumerate() {
        if n % 3 == 0 {
            a.push(("b.txt", s, e, "x"));
        }
        if n % 3 == 0 || n % 5 == 0 {
            b.push(("b.txt", s, e, "x"));
        }
    }
    let aligned = align(
        &[set("A", &a), set("B", &b)],
        &sources,
        Grain::Segment(Unit::Turn),
    )
    .unwrap();
    let first = figures(&aligned, 300);
    assert_eq!(first, figures(&aligned, 300));
    let x = row(&first, Level::Code(0), Comparison::Pair(0, 1));
    let (low, high) = x.kappa_ci.unwrap();
    let kappa = x.kappa.unwrap();
    assert!(
        low <= kappa && kappa <= high && low < high,
        "{low} {kappa} {high}"
    );
    let (low, high) = x.alpha_ci.unwrap();
    assert!(low <= x.alpha.unwrap() && x.alpha.unwrap() <= high);
}

#[test]
fn one_participant_has_no_interval_and_says_why() {
    let a = set("A", &[("a.txt", 4, 9, "x")]);
    let b = set("B", &[("a.txt", 4, 9, "x"), ("a.txt", 14, 19, "x")]);
    let sources = vec![source("a.txt", TEXT, &["p1", "p1"])];
    let aligned = align(&[a, b], &sources, Grain::Segment(Unit::Turn)).unwrap();
    let rows = figures(&aligned, 100);
    let x = row(&rows, Level::Code(0), Comparison::Pair(0, 1));
    assert!(x.kappa.is_some() && x.kappa_ci.is_none());
    assert!(x.undefined.iter().any(|u| u.figure == "intervals"));
}

#[test]
fn bad_codings_are_errors_naming_set_and_row() {
    let sources = sources();
    let good = set("A", &[("a.txt", 4, 9, "x")]);
    let check = |bad: CodingSet| align(&[good.clone(), bad], &sources, Grain::Char).unwrap_err();
    let err = check(set("B", &[("a.txt", 4, 9, "x"), ("b.txt", 0, 1, "x")]));
    assert_eq!(
        err.to_string(),
        "B: coding 2: file \"b.txt\" is not among the transcripts compared"
    );
    let err = check(set("B", &[("a.txt", 30, 41, "x")]));
    assert_eq!(
        err.to_string(),
        "B: coding 1: span 30-41 of a.txt is not within its 40 code points"
    );
    let err = check(set("B", &[("a.txt", 9, 4, "x")]));
    assert!(matches!(err, AgreeError::SpanOutside { .. }));
    let err = check(set("B", &[("a.txt", 4, 9, "w")]));
    assert_eq!(
        err.to_string(),
        "B: coding 1: code \"w\" is not in the set's codebook"
    );
    assert_eq!(
        align(&[good], &sources, Grain::Char).unwrap_err(),
        AgreeError::TooFewSets(1)
    );
}

#[test]
fn sets_over_different_transcripts_are_refused() {
    let one = sources();
    let other = vec![source("b.txt", TEXT, &["p1", "p2"])];
    let changed = vec![source("a.txt", "P1: other\n", &["p1"])];
    assert!(same_transcripts(("A", &one), ("B", &one)).is_ok());
    let err = same_transcripts(("A", &one), ("B", &other)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "A and B are over different transcripts: a.txt is only in A"
    );
    let err = same_transcripts(("A", &one), ("B", &changed)).unwrap_err();
    assert!(err.to_string().ends_with("a.txt has a different text"));
}

#[test]
fn mint_codings_become_a_set_with_their_rules() {
    let codebook = Codebook::from_toml_str(
        r#"
[codebook]
name = "t"
[[themes]]
id = "t"
label = "T"
[[codes]]
id = "x"
theme = "t"
label = "X"
patterns = ["thr*"]
"#,
        "t.toml",
    )
    .unwrap();
    let matcher = Matcher::new(&codebook).unwrap();
    let sources = vec![source(
        "a.txt",
        "Interviewer: é?\nP1: one\nP1: thrée\n",
        &["p1"],
    )];
    let coded = crate::coding::code(&sources[0].transcript, &matcher, Unit::Turn);
    let set = from_coded("mint", &codebook, &[(&sources[0].transcript, &coded)]);
    assert_eq!(set.codes, vec![code("x", "t")]);
    assert_eq!(
        set.codings,
        vec![SetCoding {
            file: "a.txt".to_string(),
            start: 28,
            end: 33,
            code: "x".to_string(),
            coder: "mint".to_string(),
            rule: Some("thr*".to_string()),
        }]
    );
    let other = CodingSet {
        name: "human".to_string(),
        ..set.clone()
    };
    let aligned = align(&[set, other], &sources, Grain::Segment(Unit::Turn)).unwrap();
    assert_eq!(aligned.items[1].rules[0], vec!["thr*".to_string()]);
}

#[test]
fn a_coding_over_several_segments_and_a_point_coding_are_placed() {
    // x spans turns 0 and 1 (and the label between); y is a point at
    // the start of turn 2; z is a point at the end of turn 3 (outside it).
    let a = set(
        "A",
        &[
            ("a.txt", 6, 16, "x"),
            ("a.txt", 24, 24, "y"),
            ("a.txt", 39, 39, "z"),
        ],
    );
    let b = set("B", &[]);
    let aligned = align(&[a, b], &sources(), Grain::Segment(Unit::Turn)).unwrap();
    let carried: Vec<Vec<&str>> = aligned
        .items
        .iter()
        .map(|i| {
            i.codes[0]
                .iter()
                .map(|&c| aligned.codes[c].id.as_str())
                .collect()
        })
        .collect();
    assert_eq!(carried, vec![vec!["x"], vec!["x"], vec!["y"], vec![]]);
    assert_eq!(
        aligned.codes.iter().find(|c| c.id == "z").unwrap().used_by,
        vec![false, false]
    );
}

// A `participant,turn,code` sheet names a turn by its index in the file:
// the turn must be that participant's own, or the coding would land on
// someone else's words without a word said.
#[test]
fn a_participant_turn_coding_must_name_a_turn_the_participant_spoke() {
    let text = "P1: first answer here.\nP2: second answer here.\n";
    let sources = [source("s.txt", text, &["ann", "bob"])];
    let turn = |participant: &str, turn: usize| TurnCoding {
        row: 1,
        file: String::new(),
        participant: participant.to_string(),
        turn,
        code: "x".to_string(),
        coder: "h".to_string(),
    };
    let mut placed = set("h", &[]);
    place_turns(&mut placed, vec![turn("bob", 2)], &sources).unwrap();
    let bob = &placed.codings[0];
    let chars: Vec<char> = text.chars().collect();
    let words: String = chars[bob.start..bob.end].iter().collect();
    assert!(words.contains("second answer"), "{words}");
    let mut wrong = set("h", &[]);
    let err = place_turns(&mut wrong, vec![turn("bob", 1)], &sources).unwrap_err();
    assert!(
        matches!(err, AgreeError::UnknownTurn { turn: 1, .. }),
        "{err}"
    );
    assert!(wrong.codings.is_empty());
}
