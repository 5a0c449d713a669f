//! Tests of `learn::suggest`.

use super::*;

fn segment<'a>(participant: &'a str, text: &'a str, codes: &'a [String]) -> Labelled<'a> {
    Labelled {
        text,
        participant,
        codes,
    }
}

fn ids(codes: &[&str]) -> Vec<String> {
    codes.iter().map(|c| c.to_string()).collect()
}

/// Five segments coded `waiting` (41 words), four `staff`, eleven
/// neither (105 words with the staff ones); one of those mentions the
/// waiting list too.
fn study(waiting: &[String], staff: &[String]) -> Vec<Labelled<'static>> {
    let w: &'static [String] = waiting.to_vec().leak();
    let s: &'static [String] = staff.to_vec().leak();
    vec![
        segment(
            "P1",
            "The waiting list was far too long for my referral.",
            w,
        ),
        segment("P2", "Months on the waiting list before anyone called.", w),
        segment("P3", "Waiting lists are a disgrace in this area.", w),
        segment("P4", "I was on the waiting list for a year.", w),
        segment("P5", "Nobody answered the phone for weeks.", w),
        segment("P1", "The nurses were kind and caring.", s),
        segment("P2", "A lovely nurse explained everything.", s),
        segment("P3", "Kind nurses, lovely reception staff.", s),
        segment("P6", "The nurse was kind to my mother.", s),
        segment("P6", "Parking was easy and the building was clean.", &[]),
        segment("P7", "I joined the waiting list online, it was fine.", &[]),
        segment("P7", "Clean rooms and good food.", &[]),
        segment("P8", "The food was cold.", &[]),
        segment("P8", "Easy to find the building.", &[]),
        segment(
            "P9",
            "The car park was full and the machine took no coins.",
            &[],
        ),
        segment(
            "P9",
            "Signs in the corridor pointed the wrong way twice.",
            &[],
        ),
        segment("P9", "The café had run out of sandwiches by noon.", &[]),
        segment(
            "P10",
            "Chairs in reception were broken and uncomfortable.",
            &[],
        ),
        segment("P10", "The lift was out of order all afternoon.", &[]),
        segment("P10", "Toilets on the ground floor needed cleaning.", &[]),
    ]
}

fn suggested() -> Vec<CodeSuggestions> {
    let segments = study(&ids(&["waiting"]), &ids(&["staff"]));
    let codes = ids(&["waiting", "staff", "unused"]);
    suggest(&segments, &codes, &Options::default()).unwrap()
}

#[test]
fn suggests_the_phrase_that_separates_a_code_with_its_measured_figures() {
    let all = suggested();
    let waiting = &all[0];
    assert_eq!(waiting.code, "waiting");
    assert_eq!(waiting.segments, 5);
    // "waiting list" and "waiting lists": one pattern with a wildcard.
    // It matches segments 0-3 and the uncoded one of P7: 4 of 5.
    assert_eq!(
        waiting.patterns,
        [Suggested {
            pattern: "waiting list*".into(),
            keyness: waiting.patterns[0].keyness,
            matched: 5,
            true_positives: 4,
            participants: 4,
            precision: 0.8,
            recall: 0.8,
        }]
    );
    // 4 occurrences in the 41 words of `waiting` segments against 1 in
    // the other 105.
    let g2 = log_likelihood(4.0, 41.0, 1.0, 105.0);
    assert!((waiting.patterns[0].keyness - g2).abs() < 1e-9, "{g2}");
    assert_eq!((waiting.matched, waiting.true_positives), (5, 4));
    assert_eq!(waiting.precision(), Some(0.8));
}

#[test]
fn a_pattern_that_finds_nothing_new_is_left_out() {
    let staff = &suggested()[1];
    // "nurses" and "nurse": the stem with a wildcard; "kind" (3
    // segments, all of them found by nurs*) adds nothing.
    let patterns: Vec<&str> = staff.patterns.iter().map(|p| p.pattern.as_str()).collect();
    assert_eq!(patterns, ["nurs*"]);
    assert_eq!(staff.patterns[0].precision, 1.0);
    assert_eq!(staff.recall(), 1.0);
}

#[test]
fn a_code_never_given_gets_no_pattern() {
    let unused = &suggested()[2];
    assert_eq!(unused.segments, 0);
    assert!(unused.patterns.is_empty());
    assert_eq!(unused.precision(), None);
    assert_eq!(unused.recall(), 0.0);
}

#[test]
fn a_pattern_must_be_precise_enough_for_its_code() {
    let segments = study(&ids(&["waiting"]), &ids(&["staff"]));
    let codes = ids(&["waiting"]);
    // `waiting` is on 5 of 20 segments; waiting list* is right 0.8 of
    // the time: a lift of 3.2.
    let lift = |min_lift| {
        let options = Options {
            min_lift,
            ..Options::default()
        };
        suggest(&segments, &codes, &options).unwrap()[0]
            .patterns
            .len()
    };
    assert_eq!(lift(3.2), 1);
    assert_eq!(lift(3.3), 0);
}

#[test]
fn stricter_options_keep_fewer_patterns() {
    let segments = study(&ids(&["waiting"]), &ids(&["staff"]));
    let codes = ids(&["waiting", "staff"]);
    let strict = Options {
        min_segments: 5,
        ..Options::default()
    };
    let all = suggest(&segments, &codes, &strict).unwrap();
    assert!(all.iter().all(|c| c.patterns.is_empty()));
}

#[test]
fn patterns_take_a_wildcard_only_after_a_shared_stem() {
    let forms = |list: &[(&[&str], u32)]| -> BTreeMap<Vec<String>, u32> {
        list.iter()
            .map(|(f, n)| (f.iter().map(|w| w.to_string()).collect(), *n))
            .collect()
    };
    let one = forms(&[(&["care", "plan"], 3)]);
    assert_eq!(
        pattern_for(&ids(&["care", "plan"]), &one).unwrap(),
        "care plan"
    );
    let endings = forms(&[(&["referral"], 2), (&["referrals"], 5)]);
    assert_eq!(pattern_for(&ids(&["referr"]), &endings).unwrap(), "referr*");
    // "happy" and "happiness" share no 4-letter stem the forms start
    // with: the most common form, as written.
    let unlike = forms(&[(&["happy"], 2), (&["happiness"], 1)]);
    assert_eq!(pattern_for(&ids(&["happi"]), &unlike).unwrap(), "happy");
    let short = forms(&[(&["gps"], 1), (&["gp"], 1)]);
    // Stem too short; equally common forms: the first in order.
    assert_eq!(pattern_for(&ids(&["gp"]), &short).unwrap(), "gp");
}

const BASE: &str = r#"
[codebook]
name = "base"
[[themes]]
id = "people"
label = "People"
[[codes]]
id = "staff"
theme = "people"
label = "Staff"
patterns = ["doctor*"]
"#;

#[test]
fn the_extension_loads_after_its_codebook_and_codes_with_the_patterns() {
    let base = Codebook::from_toml_str(BASE, "base.toml").unwrap();
    let text = write_extension(&suggested(), &base, "mint learn t --suggest x.toml");
    let (book, problems) = crate::codebook::check_toml_extending(&text, "learned.toml", base.ids());
    let errors: Vec<_> = problems
        .iter()
        .filter(|p| p.severity == crate::error::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{text}");
    let ext = book.unwrap();
    // `staff` is the base's: a sub-code; `waiting` is not: a code of
    // the file's own theme; `unused` only a comment.
    let codes: Vec<(&str, &str, Option<&str>)> = ext
        .codes
        .iter()
        .map(|c| (c.id.as_str(), c.theme.as_str(), c.parent.as_deref()))
        .collect();
    assert_eq!(
        codes,
        [
            ("waiting", "learned", None),
            ("staff_learned", "people", Some("staff"))
        ]
    );
    assert!(
        ext.codes
            .iter()
            .all(|c| c.origin == Origin::Learned && c.status.as_deref() == Some("candidate"))
    );
    assert_eq!(ext.codes[0].patterns, ["waiting list*"]);
    assert!(text.contains("# unused: no pattern separates its 0 hand-coded segments"));
    assert!(text.contains("precision 0.800 (4 of 5 segments); recall 0.800; 4 participants"));
    let merged = base.merge(ext).unwrap();
    let matcher = Matcher::new(&merged).unwrap();
    let mut hits = Vec::new();
    matcher.find("We sat on waiting lists for ages.", &mut hits);
    let coded: Vec<&str> = hits
        .iter()
        .map(|h| merged.codes[h.code].id.as_str())
        .collect();
    assert_eq!(coded, ["waiting"]);
}

#[test]
fn extension_ids_never_clash_with_the_codebook() {
    let base = Codebook::from_toml_str(
        &format!("{BASE}\n[[codes]]\nid = \"waiting\"\ntheme = \"people\"\nlabel = \"Queues\"\npatterns = [\"queue\"]\n[[themes]]\nid = \"learned\"\nlabel = \"Taken\"\n"),
        "base.toml",
    )
    .unwrap();
    let mut all = suggested();
    all[0].code = "Waiting list".into(); // matched to no id or label
    let text = write_extension(&all, &base, "mint learn");
    let (book, problems) = crate::codebook::check_toml_extending(&text, "learned.toml", base.ids());
    assert!(book.is_some(), "{problems:?}\n{text}");
    let ext = book.unwrap();
    let ids: Vec<(&str, &str)> = ext
        .codes
        .iter()
        .map(|c| (c.id.as_str(), c.theme.as_str()))
        .collect();
    assert_eq!(
        ids,
        [("waiting_list", "learned_2"), ("staff_learned", "people")]
    );
    assert!(base.merge(ext).is_ok());
}
