//! Tests of [`Matcher`] as a whole: hits, excludes, anchors, `NEAR`,
//! `min_hits` and negation, sub-codes, raw and non-ASCII patterns.
//!
//! The plain engine's own tests (its agreement with the regexes on every
//! default pattern, the word masks) live beside it, in `plain/tests.rs`.

use super::*;

fn matcher(codes: &str) -> Matcher {
    let text = format!("[[themes]]\nid = \"t\"\n[[themes]]\nid = \"u\"\n{codes}");
    Matcher::new(&Codebook::from_toml_str(&text, "test.toml").unwrap()).unwrap()
}

fn found(m: &Matcher, text: &str) -> Vec<(usize, usize, String)> {
    let mut hits = Vec::new();
    m.find(text, &mut hits);
    hits.iter()
        .map(|h| (h.code, h.pattern, text[h.start..h.end].to_string()))
        .collect()
}

#[test]
fn one_hit_per_code_with_the_earliest_match_as_evidence() {
    let m = matcher(
        "[[codes]]\nid = \"a\"\ntheme = \"t\"\npatterns = [\"later*\", \"first\"]\n\
         [[codes]]\nid = \"b\"\ntheme = \"u\"\npatterns = [\"first\"]\n",
    );
    assert_eq!(
        found(&m, "first, then laterally, first again"),
        [(0, 1, "first".into()), (1, 0, "first".into())]
    );
}

#[test]
fn exclude_patterns_veto_their_code_only() {
    let m = matcher(
        "[[codes]]\nid = \"impact\"\ntheme = \"t\"\npatterns = [\"impact\"]\nexclude = [\"impact on me\"]\n\
         [[codes]]\nid = \"other\"\ntheme = \"u\"\npatterns = [\"impact\", \"effect\"]\n",
    );
    assert_eq!(
        found(&m, "the impact on me was big"),
        [(1, 0, "impact".into())]
    );
    assert_eq!(found(&m, "the impact was big").len(), 2);
}

#[test]
fn anchors_are_the_longest_ascii_word_part() {
    let anchor = |p: &str| {
        pattern::compile(p, &Options::default())
            .unwrap()
            .anchor()
            .map(String::from)
    };
    assert_eq!(anchor("co-locat*").as_deref(), Some("locat"));
    assert_eq!(anchor("A&E").as_deref(), Some("A"));
    assert_eq!(anchor("re:x+"), None);
    assert_eq!(anchor("café"), None);
    // A NEAR pattern matches only where both halves do: either half's
    // anchor will do, the longer when both have one.
    assert_eq!(anchor("GP NEAR/3 meeting*").as_deref(), Some("meeting"));
    assert_eq!(
        anchor("ward NEAR/5 re:(?i)nurse|doctor").as_deref(),
        Some("ward")
    );
    assert_eq!(
        anchor("re:(?i)nurse|doctor NEAR/s discharg*").as_deref(),
        Some("discharg")
    );
    assert_eq!(anchor("re:a+ NEAR/s re:b+"), None);
}

#[test]
fn a_regex_anchored_on_k_or_s_still_matches_their_unicode_folds() {
    // `(?i)` folds `k` to the Kelvin sign and `s` to the long s; the anchor
    // `weeks` is ASCII, so a segment holding either runs every regex.
    let m = matcher(
        "[[codes]]\nid = \"w\"\ntheme = \"t\"\npatterns = [\"re:(?i)\\\\bwaited weeks\\\\b\"]\n",
    );
    assert_eq!(found(&m, "we waited weeks").len(), 1);
    assert_eq!(found(&m, "we waited wee\u{212A}\u{17F}").len(), 1);
    assert_eq!(found(&m, "we waited days").len(), 0);
}

#[test]
fn a_near_pattern_with_a_regex_half_is_found_through_its_other_half() {
    let m = matcher(
        "[[codes]]\nid = \"ward\"\ntheme = \"t\"\npatterns = [\"ward* NEAR/5 re:(?i-u)\\\\b(?:district nurses?|community)\\\\b\"]\n",
    );
    assert_eq!(found(&m, "the district nurse rang the ward").len(), 1);
    assert_eq!(found(&m, "the ward was clean and the staff kind").len(), 0);
    assert_eq!(found(&m, "the district nurse rang").len(), 0);
}

#[test]
fn near_needs_both_parts_close_in_either_order() {
    let m = matcher(
        "[[codes]]\nid = \"gp_meet\"\ntheme = \"t\"\npatterns = [\"GP NEAR/3 meeting*\"]\n\
         [[codes]]\nid = \"same\"\ntheme = \"u\"\npatterns = [\"nurse* NEAR/s social worker*\"]\n",
    );
    assert_eq!(
        found(&m, "meetings with the GP"),
        [(0, 0, "meetings with the GP".into())]
    );
    assert!(found(&m, "the GP never ever comes to our long meetings").is_empty());
    assert_eq!(
        found(&m, "The nurses and\nthe social workers. Fine.").len(),
        1
    );
    assert!(found(&m, "The nurses came. The social workers did not.").is_empty());
}

#[test]
fn min_hits_and_negation_change_what_counts() {
    let m = matcher(
        "[[codes]]\nid = \"gp\"\ntheme = \"t\"\npatterns = [\"GP\", \"GPs\"]\nmin_hits = 2\n\
         [[codes]]\nid = \"shared\"\ntheme = \"u\"\npatterns = [\"shared record*\"]\nnot_after = [\"no\", \"not\", \"without\"]\nnot_after_words = 2\n",
    );
    assert!(found(&m, "the GP said").is_empty());
    assert_eq!(found(&m, "the GP said the GPs would")[0].2, "GP");
    assert!(found(&m, "we have no shared records").is_empty());
    assert!(
        found(&m, "we don't have shared records").is_empty(),
        "n't counts as not"
    );
    assert_eq!(
        found(&m, "no, we have shared records now").len(),
        1,
        "outside the window"
    );
    assert_eq!(
        found(&m, "no shared record here, but shared records there")[0].2,
        "shared records"
    );
}

#[test]
fn sub_codes_know_their_parents() {
    let text = "[[themes]]\nid = \"t\"\n[[codes]]\nid = \"it\"\ntheme = \"t\"\npatterns = [\"IT\"]\n\
                [[codes]]\nid = \"records\"\ntheme = \"t\"\nparent = \"it\"\npatterns = [\"record*\"]\n";
    let m = Matcher::new(&Codebook::from_toml_str(text, "t.toml").unwrap()).unwrap();
    assert_eq!(m.ancestors_of(1), [0]);
    assert!(m.ancestors_of(0).is_empty());
}

#[test]
fn raw_regexes_and_non_ascii_patterns_are_still_found() {
    let m = matcher(
        "[[codes]]\nid = \"a\"\ntheme = \"t\"\npatterns = [\"re:band [5-7]\"]\n\
         [[codes]]\nid = \"b\"\ntheme = \"u\"\npatterns = [\"CAFÉ\", \"naïve\"]\n",
    );
    assert_eq!(
        found(&m, "a band 6 post at the CAFÉ"),
        [(0, 0, "band 6".into()), (1, 0, "CAFÉ".into())]
    );
    assert_eq!(found(&m, "NAÏVE"), [(1, 1, "NAÏVE".into())]);
}

#[test]
fn nothing_is_found_in_text_without_patterns() {
    let m = matcher("[[codes]]\nid = \"a\"\ntheme = \"t\"\npatterns = [\"GP\"]\n");
    assert!(found(&m, "the gp and the Gp").is_empty());
}
