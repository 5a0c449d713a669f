//! Human codings: what a person coded, read from a REFI-QDA project
//! ([`project_codings`]) or from a spreadsheet ([`read_codings_csv`]), as
//! rows of mint's codings CSV plus the coder ([`HumanCoding`]). Later
//! commands (agreement, learning) read them through this API.
//!
//! # The CSV layouts read
//!
//! Headers in any case and order; the columns name the layout:
//! * mint's own codings CSV (`mint code --codings`, `mint codings`):
//!   [`CODINGS_HEAD`], attribute columns, [`CODINGS_TAIL`], the
//!   [`PROVENANCE`] columns of `mint code --model` (optional), and `coder`
//!   (optional). Columns mint fills only for its own codes (`matched`,
//!   `pattern`, `score`, ...) are read over and written empty; the
//!   provenance columns are kept as written, so a coding a model made
//!   still names the model after a pass through `mint codings`.
//! * `file, start, end, code`: a span in code points from 0, end exclusive.
//! * `file, turn, code` or `participant, turn, code`: a whole turn, counted
//!   from 1 as mint's outputs count them.
//!
//! Any layout may add `coder`; other columns are attributes. A cell mint
//! quoted for spreadsheets (`'-5 beds`) is read without the quote. With a
//! codebook, each code is matched by id, then by label (case and spacing
//! aside) and written as its id with its theme; a code that matches
//! neither is an error naming the row and its file. Without one, codes
//! are kept as written.
//!
//! # Writing
//!
//! [`HumanCodings::header`] and [`HumanCodings::record`] give mint's
//! codings layout with a `coder` column last; reading what they wrote gives
//! back the same rows, so a second write is byte-identical.

use std::collections::{BTreeMap, BTreeSet};

use super::project_read::{Project, ProjectError};
use crate::codebook::Codebook;
use crate::csvcell::unescape;

/// The codings CSV's columns before the attributes (as `mint code
/// --codings` writes them).
pub const CODINGS_HEAD: [&str; 10] = [
    "file",
    "participant",
    "turn",
    "speaker",
    "start",
    "end",
    "theme",
    "code",
    "matched",
    "text",
];

/// The codings CSV's columns after the attributes.
pub const CODINGS_TAIL: [&str; 9] = [
    "pattern",
    "match_start",
    "match_end",
    "time_start",
    "time_end",
    "score",
    "primary",
    "line",
    "segment_id",
];

/// The columns the codings CSV gains with `mint code --model`, after the
/// tail: whose coding it is (`codebook` or `learned`), the model's
/// probability, and the model (its id and hash).
pub const PROVENANCE: [&str; 3] = ["origin", "probability", "model"];

/// The column of human codings that names who coded.
pub const CODER: &str = "coder";

/// One code a person applied to a span or a turn.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HumanCoding {
    /// The transcript (a project's source name).
    pub file: String,
    /// The participant (a project's case name), when known.
    pub participant: String,
    /// The turn, from 1, when known.
    pub turn: Option<usize>,
    /// The speaker, when known.
    pub speaker: String,
    /// First code point, from 0, when known.
    pub start: Option<usize>,
    /// Code point after the last, when known.
    pub end: Option<usize>,
    /// The theme (id with a codebook; a project's top folder without).
    pub theme: String,
    /// The code (id with a codebook; as written without).
    pub code: String,
    /// The coded text, when known.
    pub text: String,
    /// The participant's attributes, by column.
    pub attributes: BTreeMap<String, String>,
    /// Who coded (a project's user name), when known.
    pub coder: String,
    /// The [`PROVENANCE`] cells (origin, probability, model) as written,
    /// when the sheet has those columns.
    pub provenance: [String; 3],
}

/// Human codings and the attribute columns they carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HumanCodings {
    /// The codings, in file order (a project's: by source, span, code).
    pub codings: Vec<HumanCoding>,
    /// The attribute columns, in the order they are written.
    pub attributes: Vec<String>,
    /// Whether the [`PROVENANCE`] columns are written (the sheet read had
    /// them).
    pub provenance: bool,
    /// What may be wrong but did not stop the read.
    pub warnings: Vec<String>,
}

/// Why human codings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CodingsError {
    /// The CSV cannot be parsed.
    #[error("line {line}: {message}")]
    Csv {
        /// 1-based line.
        line: u64,
        /// The parser's message.
        message: String,
    },
    /// The header names no layout mint reads.
    #[error(
        "not a codings sheet: it needs a code column and file, start, end or file, turn or participant, turn (it has: {found})"
    )]
    Layout {
        /// The columns it has.
        found: String,
    },
    /// A number column holds something else.
    #[error("line {line}: {column} {value:?} is not a whole number")]
    Number {
        /// 1-based line.
        line: u64,
        /// The column.
        column: String,
        /// The cell.
        value: String,
    },
    /// A code the codebook does not have.
    #[error(
        "line {line} (file {file:?}): unknown code {code:?}: not an id or label of the codebook"
    )]
    UnknownCode {
        /// 1-based line.
        line: u64,
        /// The row's file (or participant).
        file: String,
        /// The code as written.
        code: String,
    },
    /// A project's coding names a code the codebook does not have.
    #[error(
        "coding {guid} (file {file:?}): unknown code {code:?}: not an id or label of the codebook"
    )]
    UnknownProjectCode {
        /// The coding's GUID.
        guid: String,
        /// The coding's source.
        file: String,
        /// The code's name in the project.
        code: String,
    },
    /// `--coder` names no user of the project (no coder of the sheet).
    #[error("no coder {name:?}: the coders are {users}")]
    UnknownCoder {
        /// The name asked for.
        name: String,
        /// The users, comma-separated.
        users: String,
    },
    /// The project could not be read.
    #[error(transparent)]
    Project(#[from] ProjectError),
}

impl HumanCodings {
    /// The header mint writes: its codings layout and `coder`.
    pub fn header(&self) -> Vec<&str> {
        let mut header: Vec<&str> = CODINGS_HEAD.to_vec();
        header.extend(self.attributes.iter().map(String::as_str));
        header.extend(CODINGS_TAIL);
        if self.provenance {
            header.extend(PROVENANCE);
        }
        header.push(CODER);
        header
    }

    /// One coding as a row under [`HumanCodings::header`].
    pub fn record<'a>(&'a self, c: &'a HumanCoding) -> Vec<String> {
        let number = |n: Option<usize>| n.map_or(String::new(), |n| n.to_string());
        let mut row = vec![
            c.file.clone(),
            c.participant.clone(),
            number(c.turn),
            c.speaker.clone(),
            number(c.start),
            number(c.end),
            c.theme.clone(),
            c.code.clone(),
            String::new(),
            c.text.clone(),
        ];
        row.extend(
            self.attributes
                .iter()
                .map(|a| c.attributes.get(a).cloned().unwrap_or_default()),
        );
        row.extend(CODINGS_TAIL.iter().map(|_| String::new()));
        if let (Some(start), Some(end), Some(id)) = (c.start, c.end, row.last_mut()) {
            // The tail ends with the segment id: that of the span coded.
            *id = crate::textpos::segment_id(&c.file, start, end);
        }
        if self.provenance {
            row.extend(c.provenance.iter().cloned());
        }
        row.push(c.coder.clone());
        row
    }
}

/// The human codings of a project: every text coding, or those of the user
/// named `coder`. Case variables become attributes (lower-case names, as
/// mint's attributes are). With a codebook, codes are matched by id or
/// label.
pub fn project_codings(
    project: &Project,
    coder: Option<&str>,
    codebook: Option<&Codebook>,
) -> Result<HumanCodings, CodingsError> {
    let wanted = match coder {
        None => None,
        Some(name) => Some(
            project
                .users
                .iter()
                .find(|u| u.name == name)
                .ok_or_else(|| CodingsError::UnknownCoder {
                    name: name.to_string(),
                    users: project
                        .users
                        .iter()
                        .map(|u| format!("{:?}", u.name))
                        .collect::<Vec<_>>()
                        .join(", "),
                })?
                .guid
                .as_str(),
        ),
    };
    let names = project.transcript_names();
    let mut attributes = BTreeSet::new();
    let mut codings = Vec::new();
    for c in &project.codings {
        if wanted.is_some() && c.coder.as_deref() != wanted {
            continue;
        }
        let Some(order) = project.sources.iter().position(|s| s.guid == c.source) else {
            continue;
        };
        let source = &project.sources[order];
        let mut attrs = project.attributes_of(&source.guid);
        let participant = attrs.remove("participant").unwrap_or_default();
        attributes.extend(attrs.keys().cloned());
        let path = project.code_path(&c.code);
        let mut coding = HumanCoding {
            file: names[order].clone(),
            participant,
            start: Some(c.start),
            end: Some(c.end),
            theme: if path.len() > 1 {
                path[0].to_string()
            } else {
                String::new()
            },
            code: path.last().map_or(c.code.clone(), |n| n.to_string()),
            text: source
                .text
                .chars()
                .skip(c.start)
                .take(c.end - c.start)
                .collect(),
            attributes: attrs,
            coder: c
                .coder
                .as_deref()
                .map(|g| project.user(g).map_or(g, |u| u.name.as_str()).to_string())
                .unwrap_or_default(),
            ..HumanCoding::default()
        };
        if let Some(book) = codebook
            && match_code(&mut coding, book, 0).is_err()
        {
            return Err(CodingsError::UnknownProjectCode {
                guid: c.guid.clone(),
                file: coding.file,
                code: coding.code,
            });
        }
        codings.push((order, coding));
    }
    codings.sort_by(|(a, x), (b, y)| {
        (a, x.start, x.end, &x.code, &x.coder).cmp(&(b, y.start, y.end, &y.code, &y.coder))
    });
    Ok(HumanCodings {
        codings: codings.into_iter().map(|(_, c)| c).collect(),
        attributes: attributes.into_iter().collect(),
        provenance: false,
        warnings: project.warnings.clone(),
    })
}

/// Reads human codings from a CSV in one of the layouts above (UTF-8, BOM
/// allowed, `,` separated).
pub fn read_codings_csv(
    bytes: &[u8],
    codebook: Option<&Codebook>,
) -> Result<HumanCodings, CodingsError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let syntax = |e: csv::Error| CodingsError::Csv {
        line: e.position().map_or(1, |p| p.line()),
        message: e.to_string(),
    };
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(syntax)?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let has = |names: &[&str]| names.iter().all(|n| column(n).is_some());
    if !has(&["code"])
        || !(has(&["file", "start", "end"])
            || has(&["file", "turn"])
            || has(&["participant", "turn"]))
    {
        return Err(CodingsError::Layout {
            found: headers.join(", "),
        });
    }
    let known: BTreeSet<&str> = CODINGS_HEAD
        .iter()
        .chain(&CODINGS_TAIL)
        .chain(&PROVENANCE)
        .copied()
        .chain([CODER])
        .collect();
    let attributes: Vec<(usize, String)> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| !known.contains(h.as_str()) && !h.is_empty())
        .map(|(i, h)| (i, h.clone()))
        .collect();
    let mut codings = Vec::new();
    for record in reader.records() {
        let record = record.map_err(syntax)?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |name: &str| {
            let written = column(name).and_then(|i| record.get(i)).unwrap_or("");
            unescape(written).to_string()
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let number = |name: &str| -> Result<Option<usize>, CodingsError> {
            let value = cell(name);
            match value.trim() {
                "" => Ok(None),
                v => v.parse().map(Some).map_err(|_| CodingsError::Number {
                    line,
                    column: name.to_string(),
                    value: value.clone(),
                }),
            }
        };
        let mut coding = HumanCoding {
            file: cell("file"),
            participant: cell("participant"),
            turn: number("turn")?,
            speaker: cell("speaker"),
            start: number("start")?,
            end: number("end")?,
            theme: cell("theme"),
            code: cell("code"),
            text: cell("text"),
            attributes: attributes
                .iter()
                .filter_map(|(i, h)| {
                    record
                        .get(*i)
                        .filter(|v| !v.is_empty())
                        .map(|v| (h.clone(), unescape(v).to_string()))
                })
                .collect(),
            coder: cell(CODER),
            provenance: PROVENANCE.map(cell),
        };
        if let Some(book) = codebook {
            match_code(&mut coding, book, line)?;
        }
        codings.push(coding);
    }
    Ok(HumanCodings {
        codings,
        attributes: attributes.into_iter().map(|(_, h)| h).collect(),
        provenance: PROVENANCE.iter().any(|p| column(p).is_some()),
        warnings: Vec::new(),
    })
}

/// Matches each coding's code to `book` as the readers do (by id, then by
/// label), but keeps a code the codebook does not have: its id becomes the
/// slug of its name and its theme `theme` (for `mint learn`, which learns
/// a human's own codes too). Read the codings without a codebook first.
pub fn match_leniently(read: &mut HumanCodings, book: &Codebook, theme: &str) {
    for coding in &mut read.codings {
        if match_code(coding, book, 0).is_err() {
            coding.code = crate::codebook::slug(&coding.code);
            coding.theme = theme.to_string();
        }
    }
}

/// Puts the codebook's id and theme for the coding's code, matched by id
/// then by label.
fn match_code(coding: &mut HumanCoding, book: &Codebook, line: u64) -> Result<(), CodingsError> {
    let written = coding.code.trim();
    let fold = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let found = book.codes.iter().find(|c| c.id == written).or_else(|| {
        book.codes
            .iter()
            .find(|c| !c.label.is_empty() && fold(&c.label) == fold(written))
    });
    let Some(code) = found else {
        let file = if coding.file.is_empty() {
            &coding.participant
        } else {
            &coding.file
        };
        return Err(CodingsError::UnknownCode {
            line,
            file: file.clone(),
            code: coding.code.clone(),
        });
    };
    coding.code = code.id.clone();
    coding.theme = code.theme.clone();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> Codebook {
        Codebook::from_toml_str(
            "[[themes]]\nid = \"t\"\n\n[[codes]]\nid = \"cost\"\ntheme = \"t\"\nlabel = \"Cost  of Care\"\npatterns = [\"cost\"]\n",
            "book.toml",
        )
        .unwrap()
    }

    #[test]
    fn a_span_sheet_is_read_and_its_codes_matched_by_label() {
        let sheet = "\u{feff}File,Start,End,Code,Coder,Site\na.txt,3,9,cost of care,ana,'-north\n";
        let read = read_codings_csv(sheet.as_bytes(), Some(&book())).unwrap();
        assert_eq!(read.attributes, ["site"]);
        let c = &read.codings[0];
        assert_eq!((c.start, c.end, c.turn), (Some(3), Some(9), None));
        assert_eq!(
            (c.theme.as_str(), c.code.as_str(), c.coder.as_str()),
            ("t", "cost", "ana")
        );
        assert_eq!(c.attributes["site"], "-north");
    }

    #[test]
    fn an_unknown_code_names_its_line_and_file() {
        let sheet = "participant,turn,code\nP1,2,cost\nP2,4,staffing\n";
        let err = read_codings_csv(sheet.as_bytes(), Some(&book())).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 3 (file \"P2\"): unknown code \"staffing\": not an id or label of the codebook"
        );
        // Without a codebook codes are kept as written.
        let read = read_codings_csv(sheet.as_bytes(), None).unwrap();
        assert_eq!(read.codings[1].code, "staffing");
    }

    #[test]
    fn a_lenient_match_keeps_an_unknown_code_under_its_slug() {
        let sheet = "participant,turn,code\nP1,2,Cost of care\nP2,4,Care received\n";
        let mut read = read_codings_csv(sheet.as_bytes(), None).unwrap();
        match_leniently(&mut read, &book(), "learned");
        let codes: Vec<(&str, &str)> = read
            .codings
            .iter()
            .map(|c| (c.theme.as_str(), c.code.as_str()))
            .collect();
        assert_eq!(codes, [("t", "cost"), ("learned", "care_received")]);
    }

    #[test]
    fn bad_numbers_and_unknown_layouts_are_errors() {
        let err = read_codings_csv(b"file,turn,code\na,two,x\n", None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 2: turn \"two\" is not a whole number"
        );
        let err = read_codings_csv(b"file,code\na,x\n", None).unwrap_err();
        assert!(matches!(err, CodingsError::Layout { .. }), "{err}");
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        let sheet = "file,start,end,code,coder,site\na.txt,3,9,cost,ana,north\n";
        let read = read_codings_csv(sheet.as_bytes(), Some(&book())).unwrap();
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(read.header()).unwrap();
        for c in &read.codings {
            out.write_record(read.record(c)).unwrap();
        }
        let written = out.into_inner().unwrap();
        let again = read_codings_csv(&written, Some(&book())).unwrap();
        assert_eq!(again, read);
    }

    #[test]
    fn the_provenance_columns_are_kept_as_written() {
        let sheet = "file,start,end,code,origin,probability,model\n\
                     a.txt,3,9,cost,learned,0.870,m1 blake3:0123456789abcdef\n\
                     a.txt,3,9,cost,codebook,,m1 blake3:0123456789abcdef\n";
        let read = read_codings_csv(sheet.as_bytes(), Some(&book())).unwrap();
        assert!(read.provenance);
        assert!(read.attributes.is_empty(), "{:?}", read.attributes);
        assert_eq!(
            read.codings[0].provenance,
            ["learned", "0.870", "m1 blake3:0123456789abcdef"]
        );
        let header = read.header();
        let n = header.len();
        assert_eq!(header[n - 4..], ["origin", "probability", "model", "coder"]);
        let row = read.record(&read.codings[1]);
        assert_eq!(
            row[n - 4..n - 1],
            ["codebook", "", "m1 blake3:0123456789abcdef"]
        );
        // Without the columns, none are written.
        let plain = read_codings_csv(b"file,start,end,code\na.txt,3,9,cost\n", None).unwrap();
        assert!(!plain.header().contains(&"origin"));
    }
}
