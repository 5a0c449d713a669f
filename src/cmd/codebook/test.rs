//! `mint codebook test`: a codebook tested against its own examples and
//! counterexamples, like unit tests.

use std::path::PathBuf;

use mint::matcher::Matcher;

use crate::args::load_codebooks;
use crate::render::{Output, Status};

/// Test a codebook against its own examples, like unit tests.
///
/// Every sentence in a code's `examples` must be coded by that code, and no
/// sentence in its `counterexamples` may be. A failure prints the code, the
/// sentence and what did (or did not) match. Exit status 1 on any failure.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint codebook test
  mint codebook test study.toml
  mint codebook test default extra.toml")]
pub struct Args {
    /// Codebook files, each extending the ones before (`default` is the
    /// embedded codebook). Default: the embedded codebook.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// Runs `mint codebook test`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let codebook = load_codebooks(&args.files)?;
    let matcher = Matcher::new(&codebook)?;
    let mut hits = Vec::new();
    let (mut tried, mut failures) = (0, 0);
    let w = out.stdout();
    for (ci, code) in codebook.codes.iter().enumerate() {
        let cases = code.examples.iter().map(|e| (e, true));
        for (sentence, should) in cases.chain(code.counterexamples.iter().map(|e| (e, false))) {
            tried += 1;
            hits.clear();
            matcher.find(sentence, &mut hits);
            let own = hits
                .iter()
                .find(|h| h.code == ci || matcher.ancestors_of(h.code).contains(&ci));
            if own.is_some() == should {
                continue;
            }
            failures += 1;
            let what = if should { "example" } else { "counterexample" };
            writeln!(w, "FAIL {}: {what} {sentence:?}", code.id)?;
            match own {
                Some(hit) => {
                    let by = &codebook.codes[hit.code];
                    writeln!(
                        w,
                        "     is coded: pattern {:?} of {:?} matched {:?}",
                        by.patterns[hit.pattern],
                        by.id,
                        &sentence[hit.start..hit.end]
                    )?;
                }
                None => {
                    let others: Vec<&str> = hits
                        .iter()
                        .map(|h| codebook.codes[h.code].id.as_str())
                        .collect();
                    let also = if others.is_empty() {
                        "no code matched".to_string()
                    } else {
                        format!("coded only as {}", others.join(", "))
                    };
                    writeln!(
                        w,
                        "     is not coded: none of its patterns matched ({also})"
                    )?;
                }
            }
        }
    }
    let status = if failures > 0 {
        Status::Findings
    } else {
        Status::Ok
    };
    writeln!(
        w,
        "{}: {} codes, {tried} examples and counterexamples, {failures} failed",
        codebook.source,
        codebook.codes.len()
    )?;
    Ok(status)
}
