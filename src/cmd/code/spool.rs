//! The codings of `mint code`, spooled to an unnamed temporary file as
//! files stream through, then written with each participant's attributes.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use anyhow::Context;

use mint::attributes::{Attributes, PARTICIPANT};
use mint::codebook::Codebook;
use mint::coding::Coded;
use mint::exchange::{CODINGS_HEAD, CODINGS_TAIL, PROVENANCE};
use mint::learn::apply::Learner;
use mint::pipeline::LoadedFile;
use mint::textpos::CharIndex;

use crate::args::Guard;
use crate::render::{self, Output};

/// The codings, spooled to a temporary CSV file as files stream through
/// (their attribute columns are only known at the end), then written out
/// with the attributes of each row's participant. The spool is an unnamed
/// file in the system's temporary folder (deleted as soon as it is made, or
/// on close where that cannot be done), so no name of it is left behind,
/// whatever ends the process.
pub(super) struct Spool<'l> {
    file: std::fs::File,
    csv: csv::Writer<std::io::BufWriter<std::fs::File>>,
    /// With --model: the model, whose codings are written too, and whose
    /// provenance columns end every row.
    learner: Option<&'l Learner>,
}

impl<'l> Spool<'l> {
    pub(super) fn new(learner: Option<&'l Learner>) -> anyhow::Result<Spool<'l>> {
        let file =
            tempfile::tempfile().context("cannot create a temporary file for the codings")?;
        let csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(std::io::BufWriter::new(file.try_clone()?));
        Ok(Spool { file, csv, learner })
    }

    /// Spools one file's codings: the head columns, then the tail columns.
    pub(super) fn add(
        &mut self,
        file: &LoadedFile<Coded>,
        codebook: &Codebook,
        guard: &mut Guard,
        out: &Output,
    ) -> anyhow::Result<()> {
        let text = &file.transcript.text;
        let index = CharIndex::new(text);
        // Offsets into a window are the file's from its start.
        let base = file.window.map_or(0, |w| w.char_base);
        let at = |byte: usize| base + index.char_offset(byte);
        let provenance = |origin: &'static str, probability: String| -> Vec<String> {
            match self.learner {
                Some(l) => vec![origin.to_string(), probability, l.provenance.clone()],
                None => Vec::new(),
            }
        };
        // The columns of a segment and code, before the evidence.
        let head = |turn: usize, who: usize, span: (usize, usize), code: &mint::codebook::Code| {
            let t = &file.transcript.turns[turn];
            vec![
                file.source.name.clone(),
                file.participants[who].clone(),
                t.index.to_string(),
                t.speaker.clone(),
                at(span.0).to_string(),
                at(span.1).to_string(),
                code.theme.clone(),
                code.id.clone(),
            ]
        };
        let times = |turn: usize| {
            file.transcript.turns[turn]
                .time
                .map_or((String::new(), String::new()), |t| {
                    (clock(t.start_ms), clock(t.end_ms))
                })
        };
        for coding in &file.result.codings {
            let code = &codebook.codes[coding.hit.code];
            let turn = &file.transcript.turns[coding.turn];
            let (from, to) = times(coding.turn);
            let id = mint::textpos::segment_id(&file.source.name, at(coding.start), at(coding.end));
            let place = format!("{} turn {}", file.source.name, turn.index);
            let segment = guard.segment(out, &place, &text[coding.start..coding.end]);
            // The match is inside the segment: redacted with it.
            let matched = guard.fragment(&text[coding.hit.start..coding.hit.end]);
            let mut record = head(coding.turn, coding.who, (coding.start, coding.end), code);
            record.extend([
                matched.to_string(),
                segment.to_string(),
                code.patterns[coding.hit.pattern].clone(),
                at(coding.hit.start).to_string(),
                at(coding.hit.end).to_string(),
                from,
                to,
                coding.score.to_string(),
                (if coding.primary { "true" } else { "false" }).to_string(),
                mint::coding::line_at(text, turn, coding.start).to_string(),
                id,
            ]);
            record.extend(provenance("codebook", String::new()));
            self.csv.write_record(&record)?;
        }
        if let Some(learner) = self.learner {
            for coding in &file.result.learned {
                let code = &codebook.codes[learner.targets.code[coding.code]];
                let turn = &file.transcript.turns[coding.turn];
                let (from, to) = times(coding.turn);
                let id =
                    mint::textpos::segment_id(&file.source.name, at(coding.start), at(coding.end));
                let place = format!("{} turn {}", file.source.name, turn.index);
                let segment = guard.segment(out, &place, &text[coding.start..coding.end]);
                let mut record = head(coding.turn, coding.who, (coding.start, coding.end), code);
                record.extend([
                    String::new(),
                    segment.to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                    from,
                    to,
                    String::new(),
                    String::new(),
                    mint::coding::line_at(text, turn, coding.start).to_string(),
                    id,
                ]);
                record.extend(provenance("learned", format!("{:.3}", coding.probability)));
                self.csv.write_record(&record)?;
            }
        }
        Ok(())
    }

    /// Writes the codings CSV: the spooled rows with each participant's
    /// attributes `names` between the head and tail columns, headed
    /// `headers` (see [`render::csv::attribute_columns`]).
    pub(super) fn finish(
        &mut self,
        w: &mut dyn Write,
        participants: &BTreeMap<String, Attributes>,
        names: &[&str],
        headers: &[String],
    ) -> anyhow::Result<()> {
        self.csv.flush()?;
        // The clone that wrote shares the file's offset: back to the start
        // (each time: the codings may go to a CSV and a workbook).
        std::io::Seek::rewind(&mut self.file)?;
        let mut out = render::csv::Writer::new(w);
        let mut header: Vec<&str> = CODINGS_HEAD.to_vec();
        header.extend(headers.iter().map(String::as_str));
        header.extend(CODINGS_TAIL);
        if self.learner.is_some() {
            header.extend(PROVENANCE);
        }
        out.write_record(&header)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(std::io::BufReader::new(&self.file));
        let empty = Attributes::new();
        for record in reader.records() {
            let record = record?;
            let attrs = participants.get(&record[1]).unwrap_or(&empty);
            let mut row: Vec<&str> = record.iter().take(CODINGS_HEAD.len()).collect();
            row.extend(
                names
                    .iter()
                    .map(|n| attrs.get(*n).map_or("", String::as_str)),
            );
            row.extend(record.iter().skip(CODINGS_HEAD.len()));
            out.write_record(&row)?;
        }
        out.flush()?;
        Ok(())
    }
}

/// The attributes of the codings CSV: every participant's, but the id.
pub(super) fn attribute_names(participants: &BTreeMap<String, Attributes>) -> Vec<&str> {
    participants
        .values()
        .flat_map(|a| a.keys())
        .map(String::as_str)
        .filter(|k| *k != PARTICIPANT)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn clock(ms: u64) -> String {
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    format!(
        "{h:02}:{:02}:{:02}.{:03}",
        rest / 60_000,
        rest % 60_000 / 1000,
        rest % 1000
    )
}
