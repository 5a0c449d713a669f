//! Survey exports and feedback comments: one response per CSV row.
//!
//! `--text-column` names the column holding the answer; `--id-column` the
//! respondent id (default: the row number, `row-N`). Every other non-empty
//! cell becomes an attribute of that respondent. Each response is one
//! participant turn, so open-ended answers are coded like interview talk.
//! The extracted text (what `mint text` prints) is `ID: answer` blocks
//! separated by blank lines; offsets point into it.
//!
//! A CSV without `--text-column`, or whose named column is missing, is an
//! error that lists the columns and suggests the likely text column: the
//! one whose multi-word cells are longest on average ([`likely_text_column`]).
//!
//! A spreadsheet (`.xlsx`, `.ods`) is read the same way from its first
//! sheet, or the one `--sheet` names ([`parse_sheet`]); its errors name the
//! cell (`C5`) where a CSV's give the line.

use std::collections::BTreeMap;

use super::{Extracted, FormatError};
use crate::corpus::RawTurn;

/// How to read a survey CSV.
#[derive(Debug, Clone)]
pub struct SurveyColumns {
    /// The column with the response text.
    pub text: String,
    /// The column with the respondent id, if any.
    pub id: Option<String>,
    /// The sheet of a spreadsheet to read (`--sheet`; default the first).
    pub sheet: Option<String>,
}

/// A survey read into turns, with each respondent's other columns.
#[derive(Debug, Clone)]
pub struct Survey {
    /// The extracted text and one turn per response.
    pub extracted: Extracted,
    /// Attributes by respondent id (column names in lower case).
    pub attributes: BTreeMap<String, BTreeMap<String, String>>,
}

/// Reads a survey CSV (already decoded to text).
pub fn parse(text: &str, columns: &SurveyColumns) -> Result<Survey, FormatError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| error(1, e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let records = reader.records().map(|record| {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            error(line as usize, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        Ok((line, record.iter().map(String::from).collect()))
    });
    let describe = |what: &str| describe_columns(what, text);
    build(&headers, records, columns, describe, |_, _| String::new())
}

/// Reads a survey from a spreadsheet's bytes (`.xlsx`, `.ods`): the
/// first sheet, or `columns.sheet`, its first row the header.
pub fn parse_sheet(bytes: &[u8], columns: &SurveyColumns) -> Result<Survey, FormatError> {
    let (headers, rows) = sheet_rows(bytes, columns.sheet.as_deref())?;
    let records = rows.iter().enumerate().map(|(i, r)| Ok((i + 2, r.clone())));
    let describe = |what: &str| describe_header(what, &headers, rows.iter());
    let place = |i: usize, c: usize| format!("{}: ", crate::spreadsheet::a1(i + 1, c));
    build(&headers, records, columns, describe, place)
}

/// The error for a survey spreadsheet read without `--text-column`.
pub fn sheet_needs_text_column(bytes: &[u8], sheet: Option<&str>) -> FormatError {
    match sheet_rows(bytes, sheet) {
        Ok((headers, rows)) => error(
            1,
            describe_header(
                "a survey spreadsheet needs --text-column",
                &headers,
                rows.iter(),
            ),
        ),
        Err(err) => err,
    }
}

/// A spreadsheet's header (trimmed) and the rows under it.
fn sheet_rows(
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<(Vec<String>, Vec<Vec<String>>), FormatError> {
    let grid = crate::spreadsheet::read(bytes, sheet).map_err(|e| error(e.row, e.message))?;
    let mut rows = grid.rows.into_iter();
    let Some(header) = rows.next() else {
        let message = format!(
            "A1: the sheet {:?} is empty; a survey needs a header row",
            grid.sheet
        );
        return Err(error(1, message));
    };
    Ok((
        header.iter().map(|h| h.trim().to_string()).collect(),
        rows.collect(),
    ))
}

fn error(line: usize, message: String) -> FormatError {
    FormatError { line, message }
}

/// A survey from its header and records (each with its 1-based line or
/// row); `describe` words a missing column's error, `place` names the cell
/// of record `i`, column `c` in an error (`C5: `, or nothing for a CSV).
fn build(
    headers: &[String],
    records: impl Iterator<Item = Result<(usize, Vec<String>), FormatError>>,
    columns: &SurveyColumns,
    describe: impl Fn(&str) -> String,
    place: impl Fn(usize, usize) -> String,
) -> Result<Survey, FormatError> {
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name.trim()))
    };
    let text_col = find(&columns.text).ok_or_else(|| {
        let what = format!("no column {:?} (the --text-column)", columns.text);
        error(1, describe(&what))
    })?;
    let id_col = match &columns.id {
        Some(name) => Some(find(name).ok_or_else(|| {
            error(
                1,
                format!(
                    "no column {name:?} (the --id-column); columns are: {}",
                    headers.join(", ")
                ),
            )
        })?),
        None => None,
    };
    let mut out = String::new();
    let mut turns = Vec::new();
    let mut attributes = BTreeMap::new();
    for (n, record) in records.enumerate() {
        let (line, record) = record?;
        let cell = |c: usize| record.get(c).map_or("", String::as_str);
        let id = match id_col {
            Some(c) => cell(c).trim().to_string(),
            None => format!("row-{}", n + 1),
        };
        if id.is_empty() {
            let at = place(n, id_col.unwrap_or(0));
            return Err(error(line, format!("{at}the id column is empty")));
        }
        let answer = cell(text_col).trim();
        let attrs: BTreeMap<String, String> = headers
            .iter()
            .zip(record.iter())
            .enumerate()
            .filter(|(i, (_, v))| *i != text_col && Some(*i) != id_col && !v.trim().is_empty())
            .map(|(_, (h, v))| (h.to_lowercase(), v.trim().to_string()))
            .collect();
        attributes.entry(id.clone()).or_insert(attrs);
        if answer.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&id);
        out.push_str(": ");
        let start = out.len();
        out.push_str(answer);
        turns.push(RawTurn {
            speaker: id,
            start,
            end: out.len(),
            line,
            time: None,
        });
    }
    if !out.is_empty() {
        out.push('\n');
    }
    Ok(Survey {
        extracted: Extracted { text: out, turns },
        attributes,
    })
}

/// The error for a survey CSV read without `--text-column`.
pub fn needs_text_column(text: &str) -> FormatError {
    FormatError {
        line: 1,
        message: describe_columns("a survey CSV needs --text-column", text),
    }
}

/// `what`, then the CSV's columns and the likely text column, when the
/// header can be read.
fn describe_columns(what: &str, text: &str) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let Ok(headers) = reader.headers() else {
        return what.to_string();
    };
    let headers: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
    let records = reader.records().flatten();
    describe_header(
        what,
        &headers,
        records.map(|r| r.iter().map(String::from).collect::<Vec<_>>()),
    )
}

/// `what`, then the columns `headers` and the likely text column among
/// them, from the records under them.
fn describe_header<R, C>(what: &str, headers: &[String], records: R) -> String
where
    R: Iterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    let mut message = format!("{what}; the columns are {}", headers.join(", "));
    if let Some(i) = likely_column(headers.len(), records) {
        let name = &headers[i];
        message.push_str(&format!(
            "; the answers look to be in {name:?} (--text-column {})",
            shell_word(name)
        ));
    }
    message
}

/// How many rows [`likely_text_column`] looks at.
const SAMPLE_ROWS: usize = 1000;

/// The column most likely to hold free-text answers: of the columns with
/// at least one multi-word cell (letters and a space), the one whose
/// non-empty cells are longest on average, in the first rows; the first
/// such column on a tie. `None` when no column has free text.
pub fn likely_text_column(text: &str) -> Option<usize> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let width = reader.headers().ok()?.len();
    let records = reader.records().flatten();
    likely_column(
        width,
        records.map(|r| r.iter().map(String::from).collect::<Vec<_>>()),
    )
}

/// [`likely_text_column`] of `width` columns over `records`.
fn likely_column<R, C>(width: usize, records: R) -> Option<usize>
where
    R: Iterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    // Per column: characters and count of non-empty cells, and whether any
    // cell is several words.
    let mut stats = vec![(0usize, 0usize, false); width];
    for record in records.take(SAMPLE_ROWS) {
        for (cell, (chars, cells, words)) in record.into_iter().zip(stats.iter_mut()) {
            let cell = cell.as_ref().trim();
            if cell.is_empty() {
                continue;
            }
            *chars += cell.chars().count();
            *cells += 1;
            *words |= cell.contains(char::is_whitespace) && cell.chars().any(char::is_alphabetic);
        }
    }
    let mut best: Option<(usize, f64)> = None;
    for (i, &(chars, cells, words)) in stats.iter().enumerate() {
        if !words {
            continue;
        }
        let mean = chars as f64 / cells as f64;
        if best.is_none_or(|(_, b)| mean > b) {
            best = Some((i, mean));
        }
    }
    best.map(|(i, _)| i)
}

/// A column name as one shell word: bare when it is safe, else quoted.
fn shell_word(name: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-.".contains(c);
    if !name.is_empty() && name.chars().all(safe) {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(text: &str, id: Option<&str>) -> SurveyColumns {
        SurveyColumns {
            text: text.into(),
            id: id.map(String::from),
            sheet: None,
        }
    }

    #[test]
    fn each_row_is_one_response_with_its_other_columns_as_attributes() {
        let csv = "id,Sector,Comment\nR1,health,\"The shared record helps,\nmostly.\"\nR2,social care,\nR3,,We never see the GP.\n";
        let survey = parse(csv, &columns("comment", Some("ID"))).unwrap();
        let e = &survey.extracted;
        assert_eq!(
            e.text,
            "R1: The shared record helps,\nmostly.\n\nR3: We never see the GP.\n"
        );
        let spans: Vec<(&str, &str, usize)> = e
            .turns
            .iter()
            .map(|t| (t.speaker.as_str(), &e.text[t.start..t.end], t.line))
            .collect();
        assert_eq!(
            spans,
            [
                ("R1", "The shared record helps,\nmostly.", 2),
                ("R3", "We never see the GP.", 5)
            ]
        );
        assert_eq!(survey.attributes["R1"]["sector"], "health");
        assert_eq!(
            survey.attributes["R2"]["sector"], "social care",
            "a blank answer still counts the respondent"
        );
        assert!(survey.attributes["R3"].is_empty());
    }

    #[test]
    fn rows_are_numbered_without_an_id_column_and_missing_columns_are_named() {
        let survey = parse("answer\nyes\nno\n", &columns("answer", None)).unwrap();
        assert_eq!(survey.extracted.turns[1].speaker, "row-2");
        let err = parse("a,b\n1,2\n", &columns("comment", None)).unwrap_err();
        assert_eq!(err.line, 1);
        assert!(
            err.message.contains("no column \"comment\""),
            "{}",
            err.message
        );
    }

    const SURVEY: &str = "respondent,sector,score,Any comments?\nS-01,social care,4,\"We share a building now, which helps.\"\nS-02,health,2,\nS-03,health care,5,Slow IT.\n";

    // See: #15 (item 4)
    #[test]
    fn the_likely_text_column_is_the_longest_free_text_one() {
        assert_eq!(likely_text_column(SURVEY), Some(3));
        assert_eq!(likely_text_column("id,score\n1,2\n3,4\n"), None);
        assert_eq!(likely_text_column("a,b\n"), None);
    }

    // See: #15 (item 4)
    #[test]
    fn a_missing_text_column_lists_the_columns_and_suggests_one() {
        let err = needs_text_column(SURVEY);
        assert_eq!(err.line, 1);
        assert_eq!(
            err.message,
            "a survey CSV needs --text-column; the columns are respondent, sector, score, \
             Any comments?; the answers look to be in \"Any comments?\" \
             (--text-column 'Any comments?')"
        );
        let err = parse(SURVEY, &columns("comment", None)).unwrap_err();
        assert_eq!(
            err.message,
            "no column \"comment\" (the --text-column); the columns are respondent, sector, \
             score, Any comments?; the answers look to be in \"Any comments?\" \
             (--text-column 'Any comments?')"
        );
        assert_eq!(
            needs_text_column("id,score\n1,2\n").message,
            "a survey CSV needs --text-column; the columns are id, score"
        );
        assert_eq!(shell_word("it's"), "'it'\\''s'");
    }
}
