//! What the project reader counts as it reads (media skipped, elements not
//! read, codings left out...), reported once each as the project's warnings.

use super::{Project, plural};

/// Things counted while reading, reported once each at the end.
#[derive(Default)]
pub(super) struct Counts {
    pub(super) skipped_media: Vec<String>,
    pub(super) no_text: Vec<String>,
    pub(super) comments: usize,
    pub(super) case_codings: usize,
    /// Project-level elements not read (`Notes`, `Sets`, `Links`, ...).
    pub(super) dropped: std::collections::BTreeSet<String>,
    pub(super) unknown_codes: Vec<String>,
    pub(super) bad_guids: usize,
    pub(super) utf16: usize,
    pub(super) crlf: usize,
}

impl Counts {
    pub(super) fn report(self, project: &mut Project) {
        let w = &mut project.warnings;
        if !self.skipped_media.is_empty() {
            w.push(format!(
                "{} media or PDF source{} skipped (mint reads text sources): {}",
                self.skipped_media.len(),
                plural(self.skipped_media.len()),
                crate::exchange::import::sample_names(&self.skipped_media)
            ));
        }
        for name in &self.no_text {
            w.push(format!(
                "text source {name:?} skipped: its text is neither in the zip nor in the file"
            ));
        }
        if self.comments > 0 {
            w.push(format!(
                "{} selection{} without a code (comments on a quotation) ignored",
                self.comments,
                plural(self.comments)
            ));
        }
        if !self.dropped.is_empty() {
            let names: Vec<String> = self.dropped.iter().map(|n| format!("<{n}>")).collect();
            w.push(format!(
                "not read (mint reads sources, codes, cases and codings): {}",
                names.join(", ")
            ));
        }
        if self.case_codings > 0 {
            w.push(format!(
                "{} coding{} with a code that is a case (case membership) not read as codings",
                self.case_codings,
                plural(self.case_codings)
            ));
        }
        for guid in &self.unknown_codes {
            w.push(format!(
                "coding {guid} names a code that is not in the codebook: left out"
            ));
        }
        if self.bad_guids > 0 {
            w.push(format!(
                "{} element{} without a valid guid: given one made from its place",
                self.bad_guids,
                plural(self.bad_guids)
            ));
        }
        if self.utf16 > 0 {
            w.push(format!(
                "{} source{} with characters outside the BMP: offsets read as UTF-16 units, as NVivo writes them",
                self.utf16,
                plural(self.utf16)
            ));
        }
        if self.crlf > 0 {
            w.push(format!(
                "{} source{} with CRLF line breaks read with LF, as ATLAS.ti counts them",
                self.crlf,
                plural(self.crlf)
            ));
        }
        for o in &project.outside {
            project.warnings.push(format!(
                "coding {} falls outside its source {} ({}..{} of {}): left out, not shifted",
                o.guid, o.source, o.start, o.end, o.length
            ));
        }
    }
}
