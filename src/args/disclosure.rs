//! The flags of disclosure control (`--names`, `--allow`) and of guarded
//! exports (`--guard`), and the [`Guard`] that checks what an export writes.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::render::Output;

/// The flags of disclosure control: a study's own names and the words that
/// are not identifiers in it (`mint scan`, `mint redact` and the guarded
/// exports).
#[derive(Debug, clap::Args)]
pub struct DisclosureArgs {
    /// A study's own names to flag (staff, wards, practices,
    /// neighbourhoods): one pattern of mint's pattern language per line
    /// (`Ward 7`, `St Mary*`); `person: PATTERN` for a person; # comments.
    #[arg(long = "names", value_name = "FILE")]
    pub names: Option<PathBuf>,

    /// Words and phrases that are not identifiers in this study (the place
    /// names of the study area, public bodies), one per line, compared
    /// case-insensitively.
    #[arg(long, value_name = "FILE")]
    pub allow: Option<PathBuf>,
}

impl DisclosureArgs {
    /// The scanner these flags give.
    pub fn scanner(&self) -> anyhow::Result<mint::disclosure::Scanner> {
        let read = |p: &Path| {
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))
        };
        let study = match &self.names {
            Some(p) => mint::disclosure::StudyList::parse(&read(p)?, &p.display().to_string())
                .context("invalid --names list")?,
            None => Default::default(),
        };
        let allow = match &self.allow {
            Some(p) => mint::disclosure::AllowList::parse(&read(p)?),
            None => Default::default(),
        };
        Ok(mint::disclosure::Scanner::new(study, allow))
    }
}

/// The flags of a guarded export (`mint quotes`, `mint report`, `mint code
/// --codings`, `mint export`): segments about to leave are scanned as `mint
/// scan` does.
#[derive(Debug, clap::Args)]
pub struct GuardArgs {
    /// Write exported text with pseudonyms ([PERSON 1], [PHONE]) in place of
    /// the likely identifiers `mint scan` finds. Without it, each segment
    /// holding one is a warning naming it (exit 2 under --strict).
    #[arg(long)]
    pub redact: bool,

    #[command(flatten)]
    pub disclosure: DisclosureArgs,
}

impl GuardArgs {
    /// The guard these flags give.
    pub fn guard(&self) -> anyhow::Result<Guard> {
        Ok(Guard {
            scanner: self.disclosure.scanner()?,
            redact: self.redact,
            pseudonyms: mint::disclosure::redact::Pseudonyms::new(),
            flagged: 0,
            last: None,
        })
    }
}

/// Checks the segments an export is about to write.
pub struct Guard {
    scanner: mint::disclosure::Scanner,
    redact: bool,
    pseudonyms: mint::disclosure::redact::Pseudonyms,
    flagged: usize,
    /// The last segment checked and what to write for it: the codings of
    /// one segment come one after the other.
    last: Option<(String, String)>,
}

impl Guard {
    /// What to write for `text`, the segment at `place` (`A1a.txt turn
    /// 4`): `text` itself, with a warning naming each likely identifier in
    /// it, or under --redact the text with pseudonyms.
    pub fn segment(&mut self, out: &Output, place: &str, text: &str) -> String {
        if let Some((seen, written)) = &self.last
            && seen == text
        {
            return written.clone();
        }
        let found = self.scanner.scan_text(text);
        let written = if found.is_empty() {
            text.to_string()
        } else {
            self.flagged += found.len();
            if self.redact {
                mint::disclosure::redact::redact_text(text, &found, &mut self.pseudonyms).0
            } else {
                out.warn(&format!(
                    "{place}: likely identifier in an exported segment: {} (--redact writes pseudonyms)",
                    named(text, &found)
                ));
                text.to_string()
            }
        };
        self.last = Some((text.to_string(), written.clone()));
        written
    }

    /// A piece of a segment already checked (a coding's match): under
    /// --redact with pseudonyms, else as it is; no warning.
    pub fn fragment(&mut self, text: &str) -> String {
        if !self.redact {
            return text.to_string();
        }
        let found = self.scanner.scan_text(text);
        mint::disclosure::redact::redact_text(text, &found, &mut self.pseudonyms).0
    }

    /// A whole transcript about to leave (a project's source): its text, or
    /// under --redact the redacted text and the map of offsets into it.
    pub fn transcript(
        &mut self,
        out: &Output,
        t: &mint::corpus::Transcript,
    ) -> Option<(String, mint::disclosure::redact::OffsetMap)> {
        let found = self.scanner.scan_transcript(t);
        if found.is_empty() {
            return None;
        }
        self.flagged += found.len();
        if !self.redact {
            let shown: Vec<String> = found
                .iter()
                .take(5)
                .map(|l| {
                    let f = &l.finding;
                    let what = l.label.as_deref().unwrap_or(&t.text[f.start..f.end]);
                    format!("{} {what:?} (line {})", f.kind.as_str(), l.line)
                })
                .collect();
            out.warn(&format!(
                "{}: {} likely identifier{} in the exported text: {}{} (--redact writes pseudonyms)",
                t.path,
                found.len(),
                if found.len() == 1 { "" } else { "s" },
                shown.join(", "),
                if found.len() > 5 { ", …" } else { "" }
            ));
            return None;
        }
        let mut spans = Vec::new();
        let mut labels = std::collections::BTreeMap::new();
        for l in found {
            match l.label {
                Some(label) => {
                    labels.insert(label, l.finding.key);
                }
                None => spans.push(l.finding),
            }
        }
        Some(mint::disclosure::redact::redact_in_place(
            t,
            &spans,
            &labels,
            &mut self.pseudonyms,
        ))
    }

    /// What the export's header says: whether and how it was scanned.
    pub fn summary(&self) -> String {
        match (self.flagged, self.redact) {
            (0, _) => "scanned for identifiers: none found".to_string(),
            (n, true) => format!("scanned for identifiers: {n} replaced by pseudonyms"),
            (n, false) => format!("scanned for identifiers: {n} left in (see the warnings)"),
        }
    }
}

/// `person "Sarah", phone "07700 900123"`.
fn named(text: &str, found: &[mint::disclosure::Finding]) -> String {
    found
        .iter()
        .map(|f| format!("{} {:?}", f.kind.as_str(), &text[f.start..f.end]))
        .collect::<Vec<_>>()
        .join(", ")
}
