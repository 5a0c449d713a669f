//! `mint code --explain`: each coded segment with the rule, or the model's
//! evidence, that coded it.

use std::io::Write;

use mint::codebook::Codebook;
use mint::coding::Coded;
use mint::learn::apply::{Learner, Scorer};
use mint::matcher::Matcher;
use mint::pipeline::LoadedFile;

/// Each coded segment, with the code, pattern and matched text that coded
/// it: `PATH:LINE turn N (SPEAKER, PARTICIPANT)`, then one line per code,
/// ending with its score and `primary` when its theme is the segment's
/// primary theme.
pub(super) fn write_explanation(
    w: &mut dyn Write,
    file: &LoadedFile<Coded>,
    codebook: &Codebook,
) -> anyhow::Result<()> {
    {
        let text = &file.transcript.text;
        let mut last: Option<(usize, usize)> = None;
        for coding in &file.result.codings {
            let turn = &file.transcript.turns[coding.turn];
            if last != Some((coding.turn, coding.start)) {
                let snippet = snippet(&text[coding.start..coding.end]);
                writeln!(
                    w,
                    "{}:{} turn {} ({}, {}): {snippet}",
                    file.source.name,
                    turn.line,
                    turn.index,
                    if turn.speaker.is_empty() {
                        "unlabelled"
                    } else {
                        &turn.speaker
                    },
                    file.participants[coding.who]
                )?;
                last = Some((coding.turn, coding.start));
            }
            let code = &codebook.codes[coding.hit.code];
            writeln!(
                w,
                "  {} / {}  ← {:?} matched {:?}  (score {}{})",
                code.theme,
                code.id,
                code.patterns[coding.hit.pattern],
                &text[coding.hit.start..coding.hit.end],
                coding.score,
                if coding.primary { ", primary" } else { "" }
            )?;
        }
    }
    Ok(())
}

/// Each segment the model coded, with why: the n-grams that weighed most
/// and the nearest hand-coded examples the model keeps.
pub(super) fn write_learned_explanation(
    w: &mut dyn Write,
    file: &LoadedFile<Coded>,
    codebook: &Codebook,
    matcher: &Matcher,
    scorer: &Scorer,
    learner: &Learner,
) -> anyhow::Result<()> {
    let text = &file.transcript.text;
    for coding in &file.result.learned {
        let turn = &file.transcript.turns[coding.turn];
        let code = &codebook.codes[learner.targets.code[coding.code]];
        let segment = &text[coding.start..coding.end];
        writeln!(
            w,
            "{}:{} turn {} ({}): {}",
            file.source.name,
            turn.line,
            turn.index,
            file.participants[coding.who],
            snippet(segment)
        )?;
        writeln!(
            w,
            "  {} / {}  ← learned (probability {:.3}, threshold {:.3}; {})",
            code.theme,
            code.id,
            coding.probability,
            learner.model.codes[coding.code].threshold,
            learner.provenance
        )?;
        let mut hits = Vec::new();
        matcher.find(segment, &mut hits);
        let mut matched: Vec<usize> = hits.iter().map(|h| h.code).collect();
        matched.sort_unstable();
        matched.dedup();
        let row = scorer.features(segment, &matched);
        let why = scorer.explain(&row, coding.code, 3);
        let terms: Vec<String> = why
            .terms
            .iter()
            .map(|(t, w)| format!("{t:?} {w:+.2}"))
            .collect();
        writeln!(w, "    words: {}", terms.join(", "))?;
        for (n, similarity) in &why.nearest {
            writeln!(
                w,
                "    like {} ({}, similarity {similarity:.2}): {}",
                n.segment,
                n.participant,
                snippet(&n.text)
            )?;
        }
    }
    Ok(())
}

/// A segment on one line, cut at 70 characters.
fn snippet(text: &str) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 70 {
        format!("{}…", one.chars().take(69).collect::<String>())
    } else {
        one
    }
}
