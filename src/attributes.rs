//! Participant attributes: the attributes sheet (`--attributes FILE.csv`) and
//! how it combines with each transcript's front matter.
//!
//! The sheet's first column is a participant id or a file name; the other
//! columns are attributes. A sheet row fills or overrides the front matter of
//! the transcripts it matches. Keys are compared in lower case.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::corpus::Transcript;
use crate::error::CorpusError;

/// Attributes of one participant, keys in lower case.
pub type Attributes = BTreeMap<String, String>;

/// The attribute that names the participant.
pub const PARTICIPANT: &str = "participant";

/// A row of the sheet.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line in the file (the header is line 1).
    pub line: usize,
    /// The first column: a participant id or a file name.
    pub key: String,
    /// The other columns, empty cells left out.
    pub values: Attributes,
}

/// An attributes sheet.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// Where it was read from.
    pub path: PathBuf,
    /// The rows, in file order.
    pub rows: Vec<Row>,
}

impl Sheet {
    /// Reads a CSV sheet (UTF-8, BOM allowed), or the first sheet of a
    /// spreadsheet (`.xlsx`, `.ods`).
    pub fn load(path: &Path) -> Result<Sheet, CorpusError> {
        Sheet::load_sheet(path, None)
    }

    /// Reads a CSV sheet, or a spreadsheet's sheet named `sheet` (the
    /// first when `None`). A spreadsheet's errors name the cell (`A3`)
    /// where a CSV's name the line.
    pub fn load_sheet(path: &Path, sheet: Option<&str>) -> Result<Sheet, CorpusError> {
        let error = |message: String| CorpusError::Attributes {
            path: path.to_path_buf(),
            message,
        };
        let bytes = std::fs::read(path).map_err(|source| CorpusError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let rows = if crate::spreadsheet::is_spreadsheet(path) {
            grid_rows(&bytes, sheet).map_err(error)?
        } else {
            csv_rows(&bytes).map_err(error)?
        };
        Ok(Sheet {
            path: path.to_path_buf(),
            rows,
        })
    }

    /// The rows whose key is exactly `key` (a speaker label).
    pub fn keyed(&self, key: &str) -> Vec<usize> {
        (0..self.rows.len())
            .filter(|&i| self.rows[i].key == key)
            .collect()
    }

    /// The rows that apply to a transcript: those keyed by its participant id,
    /// its file name, or its path relative to the input folder.
    pub fn matching(&self, participant: &str, file: &str) -> Vec<usize> {
        let base = file.rsplit('/').next().unwrap_or(file);
        let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.key == participant || r.key == file || r.key == base || r.key == stem
            })
            .map(|(i, _)| i)
            .collect()
    }
}

fn csv_message(err: &csv::Error) -> String {
    match err.position() {
        Some(pos) => format!("line {}: {}", pos.line(), err),
        None => err.to_string(),
    }
}

/// The error of a header without a key column and an attribute column.
const TOO_NARROW: &str = "needs a key column and at least one attribute column";

/// The error of a row without a key.
const NO_KEY: &str = "the first column (participant or file) is empty";

/// A CSV sheet's rows; errors name the line.
fn csv_rows(bytes: &[u8]) -> Result<Vec<Row>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| csv_message(&e))?
        .iter()
        .map(String::from)
        .collect();
    if headers.len() < 2 {
        return Err(format!("line 1: {TOO_NARROW}"));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_message(&e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cells: Vec<&str> = record.iter().collect();
        if let Some(row) = row(&headers, &cells, line).map_err(|e| format!("line {line}: {e}"))? {
            rows.push(row);
        }
    }
    Ok(rows)
}

/// A spreadsheet's rows, the header in row 1; errors name the cell.
fn grid_rows(bytes: &[u8], sheet: Option<&str>) -> Result<Vec<Row>, String> {
    use crate::spreadsheet::a1;
    let grid = crate::spreadsheet::read(bytes, sheet).map_err(|e| e.message)?;
    let Some((header, records)) = grid.rows.split_first() else {
        return Err(format!(
            "A1: {TOO_NARROW} (the sheet {:?} is empty)",
            grid.sheet
        ));
    };
    // The header ends at its last named column; a value past it has none.
    let width = header
        .iter()
        .rposition(|h| !h.trim().is_empty())
        .map_or(0, |i| i + 1);
    if width < 2 {
        return Err(format!("A1: {TOO_NARROW}"));
    }
    if let Some(c) = header[..width].iter().position(|h| h.trim().is_empty()) {
        return Err(format!(
            "{}: the column has no name in the header row",
            a1(0, c)
        ));
    }
    let mut rows = Vec::new();
    for (i, record) in records.iter().enumerate() {
        if let Some(c) = record.iter().skip(width).position(|v| !v.trim().is_empty()) {
            return Err(format!(
                "{}: a value in a column with no name in the header row",
                a1(i + 1, width + c)
            ));
        }
        if let Some(row) = row(&header[..width], &record[..width], i + 2)
            .map_err(|e| format!("{}: {e}", a1(i + 1, 0)))?
        {
            rows.push(row);
        }
    }
    Ok(rows)
}

/// One row of the sheet at `line` (its 1-based line or row), or `None`
/// for a blank row; an error when only the key is missing.
fn row<S: AsRef<str>>(
    headers: &[String],
    cells: &[S],
    line: usize,
) -> Result<Option<Row>, &'static str> {
    let key = cells.first().map_or("", AsRef::as_ref).trim().to_string();
    if key.is_empty() {
        if cells.iter().all(|f| f.as_ref().trim().is_empty()) {
            return Ok(None);
        }
        return Err(NO_KEY);
    }
    let values = headers
        .iter()
        .zip(cells)
        .skip(1)
        .map(|(h, v)| (h, v.as_ref().trim()))
        .filter(|(_, v)| !v.is_empty())
        .map(|(h, v)| (h.trim().to_lowercase(), v.to_string()))
        .collect();
    Ok(Some(Row { line, key, values }))
}

/// The participant id and attributes of a transcript: the front matter,
/// then the sheet rows that match it (which win). Without a `participant`
/// attribute the file stem is the id. Returns the indexes of the sheet rows
/// used so unmatched rows can be reported.
pub fn resolve(
    front_matter: &Attributes,
    file: &str,
    sheet: Option<&Sheet>,
) -> (String, Attributes, Vec<usize>) {
    let mut attrs = front_matter.clone();
    let base = file.rsplit('/').next().unwrap_or(file);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s).to_string();
    let id = attrs.get(PARTICIPANT).cloned().unwrap_or(stem);
    let mut used = Vec::new();
    if let Some(sheet) = sheet {
        used = sheet.matching(&id, file);
        for &i in &used {
            for (k, v) in &sheet.rows[i].values {
                attrs.insert(k.clone(), v.clone());
            }
        }
    }
    let id = attrs.get(PARTICIPANT).cloned().unwrap_or(id);
    attrs.insert(PARTICIPANT.to_string(), id.clone());
    (id, attrs, used)
}

/// The participants of a transcript, each with its id, attributes and the
/// sheet rows used, in the order of [`Transcript::participant_speakers`].
///
/// A transcript with one participant speaker (an interview) is one
/// participant, named by [`resolve`]: generic labels (`Participant`,
/// `Respondent`, `The Witness`) in two files are two people. A transcript
/// with several (a focus group) has one participant per speaker label,
/// named `STEM/LABEL` (the file's name without its extension, as
/// [`resolve`] names an interview without a `participant`): `Speaker 1`
/// in two files is two people, unless the sheet has a row keyed by the bare
/// label, which says the label is one person wherever it speaks (then the
/// label is the id). Sheet rows keyed by `STEM/LABEL` apply too. The front
/// matter is shared. A survey, whose reader gave per-speaker attributes, is
/// one participant per respondent id as the survey gives it. A transcript
/// with no participant turn still has its one participant, who counts in
/// group sizes, and so does a survey respondent who left the answer blank
/// (after the speakers).
pub fn participants_of(
    transcript: &Transcript,
    file: &str,
    sheet: Option<&Sheet>,
) -> Vec<(String, Attributes, Vec<usize>)> {
    let speakers = transcript.participant_speakers();
    let survey = !transcript.speaker_attributes.is_empty();
    if speakers.len() <= 1 && !survey {
        return vec![resolve(&transcript.front_matter, file, sheet)];
    }
    let spoke: std::collections::HashSet<&str> = speakers.iter().copied().collect();
    let silent = transcript
        .speaker_attributes
        .keys()
        .map(String::as_str)
        .filter(|id| !spoke.contains(id))
        .collect::<Vec<_>>();
    let base = file.rsplit('/').next().unwrap_or(file);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    speakers
        .iter()
        .chain(&silent)
        .map(|&label| {
            let mut attrs = transcript.front_matter.clone();
            if let Some(own) = transcript.speaker_attributes.get(label) {
                attrs.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            let mut used = sheet.map_or_else(Vec::new, |s| s.keyed(label));
            let id = if survey || !used.is_empty() {
                label.to_string()
            } else {
                format!("{stem}/{label}")
            };
            if let Some(sheet) = sheet {
                if id != label {
                    used = sheet.keyed(&id);
                }
                for &i in &used {
                    attrs.extend(
                        sheet.rows[i]
                            .values
                            .iter()
                            .map(|(k, v)| (k.clone(), v.clone())),
                    );
                }
            }
            attrs.insert(PARTICIPANT.to_string(), id.clone());
            (id, attrs, used)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(text: &str) -> Sheet {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, text).unwrap();
        Sheet::load(&path).unwrap()
    }

    #[test]
    fn sheet_overrides_front_matter_by_participant_or_file_name() {
        let s =
            sheet("\u{feff}Participant,Level,Sector\nP1,strategic,health\nP2.txt,operational,\n");
        let fm: Attributes = [
            ("participant".into(), "P1".into()),
            ("level".into(), "operational".into()),
        ]
        .into();
        let (id, attrs, used) = resolve(&fm, "sub/P1.txt", Some(&s));
        assert_eq!(id, "P1");
        assert_eq!(attrs["level"], "strategic");
        assert_eq!(attrs["sector"], "health");
        assert_eq!(used, [0]);

        let (id, attrs, used) = resolve(&Attributes::new(), "P2.txt", Some(&s));
        assert_eq!(id, "P2");
        assert_eq!(attrs["level"], "operational");
        assert!(
            !attrs.contains_key("sector"),
            "an empty cell is not a value"
        );
        assert_eq!(used, [1]);
    }

    #[test]
    fn the_sheet_can_rename_a_participant_keyed_by_file() {
        let s = sheet("file,participant\ninterview-3.md,P3\n");
        let (id, _, _) = resolve(&Attributes::new(), "interview-3.md", Some(&s));
        assert_eq!(id, "P3");
    }

    fn transcript(name: &str, text: &str) -> Transcript {
        let options = crate::corpus::ParseOptions::default();
        Transcript::parse(name, text.into(), &options).unwrap()
    }

    fn ids(t: &Transcript, file: &str, sheet: Option<&Sheet>) -> Vec<String> {
        participants_of(t, file, sheet)
            .into_iter()
            .map(|p| p.0)
            .collect()
    }

    // See: #15 (item 3)
    #[test]
    fn generic_labels_in_different_files_are_different_people() {
        let interview = "Interviewer: Q?\nThe Witness: A.\nInterviewer: Q?\nThe Witness: B.\n";
        let a = transcript("a.txt", interview);
        let b = transcript("b.txt", interview);
        assert_eq!(ids(&a, "site1/a.txt", None), ["a"]);
        assert_eq!(ids(&b, "site2/b.txt", None), ["b"]);
        let group = "I: Q?\nSpeaker 1: A.\nSpeaker 2: B.\nI: Q?\nSpeaker 1: C.\nSpeaker 2: D.\n";
        let g1 = transcript("fg1.md", group);
        assert_eq!(
            ids(&g1, "site1/fg1.md", None),
            ["fg1/Speaker 1", "fg1/Speaker 2"]
        );
        assert_eq!(ids(&g1, "fg2.md", None), ["fg2/Speaker 1", "fg2/Speaker 2"]);
    }

    // See: #15 (item 3)
    #[test]
    fn the_sheet_can_say_a_label_is_one_person_across_files() {
        let s = sheet("key,level\nSpeaker 1,strategic\nfg2/Speaker 2,operational\n");
        let group = "I: Q?\nSpeaker 1: A.\nSpeaker 2: B.\nI: Q?\nSpeaker 1: C.\nSpeaker 2: D.\n";
        let g = transcript("fg2.md", group);
        let got = participants_of(&g, "fg2.md", Some(&s));
        assert_eq!(got[0].0, "Speaker 1");
        assert_eq!(got[0].1["level"], "strategic");
        assert_eq!(got[0].2, [0]);
        assert_eq!(got[1].0, "fg2/Speaker 2");
        assert_eq!(got[1].1["level"], "operational");
        assert_eq!(got[1].1[PARTICIPANT], "fg2/Speaker 2");
        assert_eq!(got[1].2, [1]);
    }

    #[test]
    fn ragged_rows_are_an_error_with_a_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "id,level\nP1,a\nP2,b,c\n").unwrap();
        let err = Sheet::load(&path).unwrap_err().to_string();
        assert!(err.contains("line 3"), "{err}");
    }
}
