//! Spreadsheets read as tables of text: an attributes sheet or a survey
//! export given as `.xlsx` or `.ods` (read with calamine) instead of CSV.
//!
//! The first sheet is read, or the one named (`--sheet NAME`). Each cell
//! becomes the text a CSV export would hold: a whole number without a
//! decimal point (`34`, not `34.0`), a date as `YYYY-MM-DD`, a boolean as
//! `TRUE`/`FALSE`; a cell holding an error (`#DIV/0!`) is an error naming
//! the cell. Positions are kept, so that a reader's errors name the cell in
//! A1 notation (`C4`), as a spreadsheet user sees it.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};

/// Whether a file is a spreadsheet this module reads, by its extension.
pub fn is_spreadsheet(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "xlsx" | "xlsm" | "ods"))
}

/// One sheet, as rows of text cells from its top-left corner (`A1`), every
/// row as long as the widest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    /// The sheet's name.
    pub sheet: String,
    /// The rows; `rows[r][c]` is the cell [`a1`]`(r, c)`.
    pub rows: Vec<Vec<String>>,
}

/// What went wrong reading a spreadsheet (the message names the cell).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SheetError {
    /// 1-based row of the problem, or 0 for the whole file.
    pub row: usize,
    /// What is wrong.
    pub message: String,
}

/// Reads the first sheet of a workbook (`.xlsx`, `.xlsm` or `.ods`,
/// told apart by their content), or the sheet named `sheet`.
pub fn read(bytes: &[u8], sheet: Option<&str>) -> Result<Grid, SheetError> {
    let whole = |message: String| SheetError { row: 0, message };
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| whole(format!("not a spreadsheet mint reads (.xlsx or .ods): {e}")))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| *n == wanted)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(wanted)))
            .cloned()
            .ok_or_else(|| {
                whole(format!(
                    "no sheet {wanted:?} (--sheet); the sheets are {}",
                    names.join(", ")
                ))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| whole("the workbook has no sheets".into()))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| whole(format!("cannot read the sheet {name:?}: {e}")))?;
    let (top, left) = range.start().unwrap_or((0, 0));
    let (top, left) = (top as usize, left as usize);
    let (height, width) = range.get_size();
    let mut rows = vec![vec![String::new(); left + width]; top + height];
    for (r, c, cell) in range.used_cells() {
        let (r, c) = (top + r, left + c);
        rows[r][c] = text(cell).map_err(|message| SheetError {
            row: r + 1,
            message: format!("{}: {message}", a1(r, c)),
        })?;
    }
    Ok(Grid { sheet: name, rows })
}

/// A cell as the text a CSV export holds.
fn text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", *x as i64),
        Data::Float(x) => x.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => {
            let (y, mo, day, h, mi, s, ms) = d.to_ymd_hms_milli();
            if !d.is_datetime() || (h, mi, s, ms) != (0, 0, 0, 0) {
                format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{s:02}")
            } else {
                format!("{y:04}-{mo:02}-{day:02}")
            }
        }
        Data::Error(e) => return Err(format!("the cell holds an error ({e})")),
    })
}

/// A cell's name in A1 notation, from its 0-based row and column:
/// `a1(2, 27)` is `AB3`.
pub fn a1(row: usize, col: usize) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workbook with the cells `cells` ((row, col, value)) on a sheet
    /// named `Data`, after an empty first sheet `Cover` when `cover`.
    pub fn workbook(cells: &[(u32, u16, &str)], cover: bool) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        if cover {
            book.add_worksheet().set_name("Cover").unwrap();
        }
        let sheet = book.add_worksheet().set_name("Data").unwrap();
        for &(r, c, v) in cells {
            match v.parse::<f64>() {
                Ok(x) => sheet.write_number(r, c, x).unwrap(),
                Err(_) if v.starts_with('=') => sheet.write_formula(r, c, v).unwrap(),
                Err(_) => sheet.write_string(r, c, v).unwrap(),
            };
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn cells_read_as_a_csv_export_holds_them() {
        let bytes = workbook(
            &[
                (0, 0, "id"),
                (0, 1, "age"),
                (1, 0, "P1"),
                (1, 1, "34"),
                (2, 1, "2.5"),
            ],
            false,
        );
        let grid = read(&bytes, None).unwrap();
        assert_eq!(grid.sheet, "Data");
        assert_eq!(grid.rows, [["id", "age"], ["P1", "34"], ["", "2.5"]]);
    }

    #[test]
    fn the_first_sheet_or_the_named_one() {
        let bytes = workbook(&[(1, 2, "x")], true);
        assert_eq!(read(&bytes, None).unwrap().sheet, "Cover");
        let grid = read(&bytes, Some("data")).unwrap();
        assert_eq!(
            grid.rows,
            [["", "", ""], ["", "", "x"]],
            "positions are kept"
        );
        let err = read(&bytes, Some("Sheet9")).unwrap_err();
        assert_eq!(
            err.message,
            "no sheet \"Sheet9\" (--sheet); the sheets are Cover, Data"
        );
    }

    #[test]
    fn an_error_cell_is_named_in_a1_notation() {
        // rust_xlsxwriter stores no result for a formula: give one.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "id").unwrap();
        sheet
            .write_formula(
                3,
                2,
                rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"),
            )
            .unwrap();
        let err = read(&book.save_to_buffer().unwrap(), None).unwrap_err();
        assert_eq!(err.row, 4);
        assert!(
            err.message.starts_with("C4: the cell holds an error"),
            "{}",
            err.message
        );
    }

    #[test]
    fn not_a_spreadsheet_is_an_error() {
        let err = read(b"id,age\n", None).unwrap_err();
        assert!(
            err.message.starts_with("not a spreadsheet"),
            "{}",
            err.message
        );
        assert!(is_spreadsheet(Path::new("a.XLSX")) && is_spreadsheet(Path::new("b.ods")));
        assert!(!is_spreadsheet(Path::new("a.xls")));
    }

    #[test]
    fn cells_are_named_in_a1_notation() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(2, 27), "AB3");
        assert_eq!(a1(0, 702), "AAA1");
    }
}
