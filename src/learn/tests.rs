use super::evaluate::cross_validate;
use super::model::Model;
use super::*;
use crate::codebook::Codebook;

/// Twelve participants, four segments each: "parking" segments carry the
/// code `access`, "kind staff" ones `staff`, the rest neither.
fn data() -> Dataset {
    let texts = [
        ("the parking was impossible to find", &[0usize][..]),
        ("staff were kind and caring", &[1][..]),
        ("the food arrived cold", &[][..]),
        ("no parking spaces near the entrance", &[0][..]),
    ];
    let mut examples = Vec::new();
    for p in 0..12 {
        for (k, (text, codes)) in texts.iter().enumerate() {
            let text = if p % 3 == 0 {
                format!("{text} today")
            } else {
                (*text).to_string()
            };
            examples.push(Example {
                id: format!("p{p}.txt:{k}"),
                participant: p,
                text,
                matched: Vec::new(),
                codes: codes.to_vec(),
            });
        }
    }
    Dataset {
        codes: ["access", "staff", "rare"]
            .iter()
            .map(|id| LearnCode {
                id: (*id).to_string(),
                theme: LEARNED_THEME.to_string(),
                in_codebook: false,
            })
            .collect(),
        participants: (0..12).map(|p| format!("P{p:02}")).collect(),
        examples,
        codebook_codes: 0,
    }
}

#[test]
fn codes_below_min_examples_or_beyond_top_are_skipped_with_counts() {
    let mut d = data();
    d.examples[0].codes.push(2);
    let (kept, skipped) = select(&d, None, 10);
    assert_eq!(kept, [0, 1]);
    assert_eq!(skipped.len(), 1);
    assert_eq!((skipped[0].code.as_str(), skipped[0].segments), ("rare", 1));
    let (kept, skipped) = select(&d, Some(1), 1);
    assert_eq!(kept, [0]);
    assert_eq!(skipped[0].reason, "not among the top 1");
}

#[test]
fn folds_are_grouped_by_participant_and_seeded() {
    let a = participant_folds(12, 3, 7);
    assert_eq!(a, participant_folds(12, 3, 7));
    for f in 0..3 {
        assert_eq!(a.iter().filter(|x| **x == f).count(), 4);
    }
    assert_ne!(a, participant_folds(12, 3, 8));
}

#[test]
fn the_best_threshold_separates_the_classes() {
    let t = best_threshold(&[0.9, 0.8, 0.3, 0.2], &[true, true, false, false]);
    assert!((t - 0.55).abs() < 1e-12, "{t}");
}

#[test]
fn cross_validation_learns_an_easy_code_and_beats_its_permutation() {
    let d = data();
    let cv = cross_validate(&d, &[0, 1], 3, &Options::default(), true);
    assert_eq!(cv.codes[0].f1, Some(1.0), "{cv:?}");
    assert_eq!(cv.summary.micro_f1, Some(1.0));
    assert!(!cv.guessing(0) && !cv.guessing(1), "{:?}", cv.permuted);
    assert_eq!(cv.curve.len(), 5);
    assert_eq!(
        cv,
        cross_validate(&d, &[0, 1], 3, &Options::default(), true)
    );
}

#[test]
fn a_model_is_the_same_bytes_at_any_thread_count_and_reads_back() {
    let book = Codebook::default_codebook();
    let d = Dataset {
        codebook_codes: book.codes.len(),
        ..data()
    };
    let train = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| Model::train(&d, &[0, 1], Vec::new(), &Options::default(), "turn", &book))
    };
    let (one, two) = (train(1).to_bytes(), train(2).to_bytes());
    assert_eq!(one, two);
    let model = Model::load(&one).unwrap();
    model.check_codebook(&book).unwrap();
    let other = Codebook::from_toml_str(
        "[[themes]]\nid = \"t\"\n\n[[codes]]\nid = \"c\"\ntheme = \"t\"\npatterns = [\"c\"]\n",
        "other.toml",
    )
    .unwrap();
    assert!(model.check_codebook(&other).is_err());
    let cut = &one[..one.len() / 2];
    assert!(
        Model::load(cut)
            .unwrap_err()
            .to_string()
            .contains("truncated")
    );
    let later = String::from_utf8(one.clone()).unwrap().replacen(
        "\"schema_version\":1",
        "\"schema_version\":99",
        1,
    );
    assert!(
        Model::load(later.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("99")
    );
}
