//! Excel workbooks (`.xlsx`), written with rust_xlsxwriter: the tables a
//! command would write as CSV, one sheet each, for people who read results
//! in Excel or LibreOffice.
//!
//! A table is taken as its CSV writer writes it ([`Table::capture`]: the
//! same header and rows, the cells as they are), so a workbook never says
//! anything its CSV does not. Each sheet has a bold, frozen header row and
//! column widths from its content. Counts are numbers; a `percent` column
//! is a percentage (33.3 in CSV is 33.3% in the sheet); a cell hidden by
//! `--min-cell` (`<5`, or `–` for its percentage) stays text, and a `Notes`
//! sheet says why. Quotes and segment text wrap, and so do headers (a
//! column is as wide as its cells and its header's longest word). Printed,
//! a sheet is landscape with its header row on every page. An `About` sheet records
//! the mint version, the codebook, a digest of the input and the command
//! line. The document date is fixed (2000-01-01) and rust_xlsxwriter dates
//! every zip entry 1980-01-01, so the same input gives the same bytes.

use std::io::Write;

use anyhow::Context;
use mint::spreadsheet::a1;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};

/// One table: a sheet name, a header and rows of cells as the CSV has them.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The sheet's name (at most 31 characters).
    pub name: String,
    /// The column names.
    pub header: Vec<String>,
    /// The rows, each as long as the header or shorter.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The table `write` writes as CSV (through [`super::csv::Writer`]),
    /// named `name`: its first record is the header.
    pub fn capture(
        name: &str,
        write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
    ) -> anyhow::Result<Table> {
        let bytes = super::csv::capture(write)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes.as_slice());
        let mut records = reader.records();
        let header = match records.next() {
            Some(record) => record?.iter().map(String::from).collect(),
            None => Vec::new(),
        };
        let rows = records
            .map(|r| Ok(r?.iter().map(String::from).collect()))
            .collect::<anyhow::Result<_>>()?;
        Ok(Table {
            name: name.to_string(),
            header,
            rows,
        })
    }
}

/// What the `About` sheet says about the run.
#[derive(Debug, Clone, Default)]
pub struct About {
    /// The codebook's name and version, when the command used one.
    pub codebook: Option<(String, String)>,
    /// A digest of the input ([`Digest`]), when the command read a corpus.
    pub input: Option<String>,
    /// The model that coded too (its id and hash), with `--model`.
    pub model: Option<String>,
    /// The command line, as typed.
    pub command: String,
}

impl About {
    /// The About of this process's command line.
    pub fn new(codebook: Option<&mint::codebook::Codebook>, input: Option<String>) -> About {
        About {
            codebook: codebook.map(|c| (c.codebook.name.clone(), c.codebook.version.clone())),
            input,
            model: None,
            command: command_line(),
        }
    }

    /// This About, naming the model (its id and hash) that coded too.
    pub fn with_model(mut self, model: Option<&str>) -> About {
        self.model = model.map(str::to_string);
        self
    }
}

/// This process's command line, each argument quoted when it needs to be.
fn command_line() -> String {
    std::env::args_os()
        .map(|a| {
            let a = a.to_string_lossy().into_owned();
            let plain = !a.is_empty()
                && a.chars()
                    .all(|c| c.is_alphanumeric() || "-_./=:,@+%".contains(c));
            if plain {
                a
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A digest of the files a command read: BLAKE3 over each file's name and
/// text, in path order. Two runs over the same transcripts give the same
/// digest; a changed, added or renamed file changes it.
#[derive(Default)]
pub struct Digest(blake3::Hasher);

impl Digest {
    /// Adds one file (or one window of a large file, in order).
    pub fn add(&mut self, name: &str, text: &str) {
        for part in [name, text] {
            self.0.update(&(part.len() as u64).to_le_bytes());
            self.0.update(part.as_bytes());
        }
    }

    /// The digest of the files a command kept.
    pub fn of<T>(files: &[mint::pipeline::LoadedFile<T>]) -> String {
        let mut digest = Digest::default();
        for file in files {
            let first = file.window.is_none_or(|w| w.first);
            digest.add(
                if first { &file.source.name } else { "" },
                &file.transcript.text,
            );
        }
        digest.finish()
    }

    /// The digest, as `blake3:` and 64 hex digits.
    pub fn finish(&self) -> String {
        format!("blake3:{}", self.0.finalize().to_hex())
    }
}

/// Columns that hold names and ids, never numbers, whatever they look like.
const TEXT_COLUMNS: [&str; 14] = [
    "participant",
    "speaker",
    "file",
    "theme",
    "code",
    "label",
    "matched",
    "pattern",
    "attribution",
    "codes",
    "a",
    "b",
    "text",
    "quote",
];

/// Columns of running text: wrapped, and wider.
fn is_prose(header: &str) -> bool {
    matches!(header, "quote" | "text") || header.ends_with(": quote")
}

fn is_percent(header: &str) -> bool {
    header == "percent" || header.ends_with(": percent")
}

/// Whether a cell is one `--min-cell` hid: `<K` for a count, `–` for a
/// percentage, in the columns of the theme matrix (the only cells mint
/// suppresses); the `K`, or `""` for a percentage.
fn suppressed<'a>(header: &str, cell: &'a str) -> Option<&'a str> {
    let field = header.rsplit(": ").next().unwrap_or(header);
    match (field, cell.strip_prefix('<')) {
        ("references" | "participants", Some(k))
            if !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Some(k)
        }
        ("percent", _) => (cell == "–").then_some(""),
        _ => None,
    }
}

/// A cell's number, when it is written as one: `12`, `-0.25`, `33.3`; not
/// `007`, `+1`, `1e5`, `inf` or an empty cell, which stay text.
fn number(cell: &str) -> Option<f64> {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let plain = !int.is_empty()
        && !frac.is_empty()
        && int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        && (int == "0" || !int.starts_with('0'));
    plain.then(|| cell.parse().ok()).flatten()
}

/// The most characters Excel keeps in a cell.
const MAX_CHARS: usize = 32_767;

/// The most rows a worksheet holds, the header's included.
const MAX_ROWS: usize = 1_048_576;

/// The widest table (in characters) printed on one page's width: about
/// twice what landscape A4 holds at 100%, so never under half size.
const FIT_WIDTH: usize = 260;

/// What the sheets needed explaining, for the `Notes` sheet.
#[derive(Default)]
struct Notes {
    /// The `K` of each `<K` shown (all the same in one run).
    suppressed_below: Option<String>,
    /// Whether a `–` hid a percentage.
    hidden_percent: bool,
    /// Cells cut to Excel's limit, as `sheet!A1`.
    cut: Vec<String>,
}

/// The cell formats, made once.
struct Formats {
    header: Format,
    percent: Format,
    prose: Format,
    hidden: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            percent: Format::new().set_num_format("0.0%"),
            prose: Format::new().set_text_wrap(),
            hidden: Format::new().set_align(FormatAlign::Right),
        }
    }
}

/// Writes `tables` as a workbook, one sheet each, then `Notes` (when a
/// sheet needs one) and `About`.
pub fn write(w: &mut dyn Write, tables: &[Table], about: &About) -> anyhow::Result<()> {
    let mut book = Workbook::new();
    // A fixed date: the same input gives the same bytes.
    let date = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&date)
            .set_title("mint results"),
    );
    let formats = Formats::new();
    let mut notes = Notes::default();
    for table in tables {
        if table.rows.len() >= MAX_ROWS {
            anyhow::bail!(
                "the {} table has {} rows, more than a worksheet holds ({}): write it as CSV",
                table.name,
                table.rows.len(),
                MAX_ROWS - 1
            );
        }
        let sheet = book.add_worksheet();
        sheet.set_name(&table.name)?;
        write_table(sheet, table, &formats, &mut notes)
            .with_context(|| format!("the {} sheet", table.name))?;
    }
    let lines = notes_lines(&notes);
    if !lines.is_empty() {
        let sheet = book.add_worksheet();
        sheet.set_name("Notes")?;
        sheet.write_string_with_format(0, 0, "Notes", &formats.header)?;
        for (i, line) in lines.iter().enumerate() {
            sheet.write_string_with_format(row(i + 1), 0, line, &formats.prose)?;
        }
        sheet.set_column_width(0, 100)?;
    }
    write_about(book.add_worksheet(), about, &formats)?;
    let bytes = book.save_to_buffer()?;
    w.write_all(&bytes)?;
    Ok(())
}

/// A row index (tables are checked against [`MAX_ROWS`] first).
fn row(i: usize) -> u32 {
    u32::try_from(i).expect("rows are checked against the sheet's limit")
}

/// One table on one sheet.
fn write_table(
    sheet: &mut Worksheet,
    table: &Table,
    formats: &Formats,
    notes: &mut Notes,
) -> anyhow::Result<()> {
    let columns = table
        .header
        .len()
        .max(table.rows.iter().map(Vec::len).max().unwrap_or(0));
    if columns > 16_384 {
        anyhow::bail!("{columns} columns, more than a worksheet holds (16384)");
    }
    let mut widths = vec![0usize; columns];
    for (c, name) in table.header.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, name, &formats.header)?;
        // A header wraps: its longest word sets the least width.
        widths[c] = name
            .split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0);
    }
    for (r, record) in table.rows.iter().enumerate() {
        let r = row(r + 1);
        for (c, cell) in record.iter().enumerate() {
            let header = table.header.get(c).map_or("", String::as_str);
            let col = c as u16;
            widths[c] = widths[c].max(cell.chars().count().min(MAX_CHARS));
            if cell.is_empty() {
                continue;
            }
            if let Some(k) = suppressed(header, cell) {
                if k.is_empty() {
                    notes.hidden_percent = true;
                } else {
                    notes.suppressed_below = Some(k.to_string());
                }
                sheet.write_string_with_format(r, col, cell, &formats.hidden)?;
                continue;
            }
            let value = (!TEXT_COLUMNS.contains(&header))
                .then(|| number(cell))
                .flatten();
            match value {
                Some(_) if is_percent(header) => {
                    // 33.3 is 0.333 exactly as typed, not 33.3 / 100.
                    let x: f64 = format!("{cell}e-2").parse()?;
                    sheet.write_number_with_format(r, col, x, &formats.percent)?;
                }
                Some(x) => {
                    sheet.write_number(r, col, x)?;
                }
                None => {
                    let text = if cell.chars().count() > MAX_CHARS {
                        notes
                            .cut
                            .push(format!("{}!{}", table.name, a1(r as usize, c)));
                        let mut cut: String = cell.chars().take(MAX_CHARS - 1).collect();
                        cut.push('…');
                        std::borrow::Cow::Owned(cut)
                    } else {
                        std::borrow::Cow::Borrowed(cell.as_str())
                    };
                    if is_prose(header) {
                        sheet.write_string_with_format(r, col, text, &formats.prose)?;
                    } else {
                        sheet.write_string(r, col, text)?;
                    }
                }
            }
        }
    }
    let mut total = 0;
    for (c, width) in widths.iter().enumerate() {
        let header = table.header.get(c).map_or("", String::as_str);
        let cap = if is_prose(header) { 80 } else { 40 };
        let width = (*width).clamp(6, cap) + 2;
        total += width;
        sheet.set_column_width(c as u16, width as f64)?;
    }
    // Spreadsheet programs do not grow a row for wrapped text on their
    // own: the header row is as tall as its most wrapped header.
    let lines = table
        .header
        .iter()
        .zip(&widths)
        .map(|(name, width)| wrapped_lines(name, (*width).max(6)))
        .max()
        .unwrap_or(1);
    if lines > 1 {
        sheet.set_row_height(0, 15.0 * lines as f64)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    // On paper: landscape, the header row on every page, gridlines, and
    // all the columns on one page's width when they still read there.
    if total <= FIT_WIDTH {
        sheet.set_print_fit_to_pages(1, 0);
    }
    sheet.set_landscape();
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_print_gridlines(true);
    Ok(())
}

/// How many lines `text` takes wrapped at word breaks to `width`
/// characters.
fn wrapped_lines(text: &str, width: usize) -> usize {
    let (mut lines, mut used) = (1, 0);
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if used > 0 && used + 1 + n > width {
            lines += 1;
            used = n;
        } else {
            used += n + usize::from(used > 0);
        }
    }
    lines
}

/// What the `Notes` sheet says, one paragraph a line.
fn notes_lines(notes: &Notes) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(k) = &notes.suppressed_below {
        lines.push(format!(
            "Small cells are suppressed (--min-cell {k}): a count from 1 to {} is shown as the text <{k}, \
             so that nobody can be picked out of a small group. A suppressed cell is text, not a \
             number, and is left out of any sum you make.",
            k.parse::<u64>().map_or(0, |k| k.saturating_sub(1))
        ));
    }
    if notes.hidden_percent {
        lines.push(
            "A percentage shown as – is hidden because its participant count is suppressed.".into(),
        );
    }
    if !notes.cut.is_empty() {
        lines.push(format!(
            "{} cell(s) held more than Excel's {MAX_CHARS} characters and were cut, ending in …: {}. \
             The CSV output has them whole.",
            notes.cut.len(),
            notes.cut.join(", ")
        ));
    }
    lines
}

/// The `About` sheet: what made the workbook.
fn write_about(sheet: &mut Worksheet, about: &About, formats: &Formats) -> anyhow::Result<()> {
    sheet.set_name("About")?;
    let (name, version) = about
        .codebook
        .clone()
        .unwrap_or_else(|| ("(none)".into(), String::new()));
    let mut rows = vec![
        ("mint version", env!("CARGO_PKG_VERSION").to_string()),
        ("codebook", name),
        ("codebook version", version),
    ];
    if let Some(model) = &about.model {
        rows.push(("model", model.clone()));
    }
    rows.extend([
        (
            "input digest",
            about.input.clone().unwrap_or_else(|| "(none)".into()),
        ),
        ("command line", about.command.clone()),
    ]);
    sheet.write_string_with_format(0, 0, "about", &formats.header)?;
    sheet.write_string_with_format(0, 1, "value", &formats.header)?;
    for (i, (key, value)) in rows.iter().enumerate() {
        sheet.write_string(row(i + 1), 0, *key)?;
        sheet.write_string_with_format(row(i + 1), 1, value, &formats.prose)?;
    }
    sheet.set_column_width(0, 18)?;
    sheet.set_column_width(1, 90)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    fn table() -> Table {
        Table {
            name: "Themes".into(),
            header: [
                "theme",
                "code",
                "total: participants",
                "total: percent",
                "quote",
            ]
            .map(String::from)
            .to_vec(),
            rows: vec![
                ["vision", "", "12", "33.3", "we’ll see, é"]
                    .map(String::from)
                    .to_vec(),
                ["vision", "007", "<5", "–", ""].map(String::from).to_vec(),
            ],
        }
    }

    fn book(tables: &[Table]) -> Vec<u8> {
        let mut buf = Vec::new();
        let about = About {
            codebook: Some(("study".into(), "2".into())),
            input: Some("blake3:00".into()),
            model: None,
            command: "mint code x".into(),
        };
        write(&mut buf, tables, &about).unwrap();
        buf
    }

    #[test]
    fn cells_read_back_as_numbers_percentages_and_text() {
        let bytes = book(&[table()]);
        let mut xlsx = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(xlsx.sheet_names(), ["Themes", "Notes", "About"]);
        let range = xlsx.worksheet_range("Themes").unwrap();
        assert_eq!(range.get((1, 2)), Some(&Data::Float(12.0)));
        assert_eq!(range.get((1, 3)), Some(&Data::Float(0.333)));
        assert_eq!(
            range.get((1, 4)),
            Some(&Data::String("we’ll see, é".into()))
        );
        // An id that looks like a number stays text; so does a hidden cell.
        assert_eq!(range.get((2, 1)), Some(&Data::String("007".into())));
        assert_eq!(range.get((2, 2)), Some(&Data::String("<5".into())));
        let notes = xlsx.worksheet_range("Notes").unwrap();
        let text = notes.get((1, 0)).unwrap().to_string();
        assert!(
            text.contains("--min-cell 5") && text.contains("1 to 4"),
            "{text}"
        );
        let about = xlsx.worksheet_range("About").unwrap();
        assert_eq!(
            about.get((1, 1)),
            Some(&Data::String(env!("CARGO_PKG_VERSION").into()))
        );
        assert_eq!(about.get((5, 1)), Some(&Data::String("mint code x".into())));
    }

    #[test]
    fn the_same_tables_give_the_same_bytes() {
        assert_eq!(book(&[table()]), book(&[table()]));
    }

    #[test]
    fn no_notes_sheet_without_something_to_note() {
        let mut t = table();
        t.rows.pop();
        let bytes = book(&[t]);
        let xlsx = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(xlsx.sheet_names(), ["Themes", "About"]);
    }

    #[test]
    fn numbers_are_only_plainly_written_numbers() {
        assert_eq!(number("12"), Some(12.0));
        assert_eq!(number("-0.25"), Some(-0.25));
        assert_eq!(number("0"), Some(0.0));
        for text in [
            "007", "+1", "1e5", "inf", "", "-", "1.", ".5", "1 000", "NaN",
        ] {
            assert_eq!(number(text), None, "{text}");
        }
    }

    #[test]
    fn only_the_matrix_counts_and_percentages_are_suppressed_cells() {
        assert_eq!(suppressed("total: participants", "<5"), Some("5"));
        assert_eq!(suppressed("references", "<10"), Some("10"));
        assert_eq!(suppressed("a / b: percent", "–"), Some(""));
        assert_eq!(suppressed("quote", "<3"), None);
        assert_eq!(suppressed("text", "–"), None);
        assert_eq!(suppressed("years", "<5"), None);
        assert_eq!(suppressed("references", "<"), None);
    }

    #[test]
    fn headers_wrap_at_word_breaks() {
        assert_eq!(wrapped_lines("total: percent", 14), 1);
        assert_eq!(wrapped_lines("operational / health: references", 12), 3);
        assert_eq!(wrapped_lines("", 6), 1);
    }

    #[test]
    fn an_overlong_cell_is_cut_and_noted() {
        let long = "x".repeat(MAX_CHARS + 5);
        let t = Table {
            name: "Codings".into(),
            header: vec!["text".into()],
            rows: vec![vec![long]],
        };
        let bytes = book(&[t]);
        let mut xlsx = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = xlsx.worksheet_range("Codings").unwrap();
        assert_eq!(
            range.get((1, 0)).unwrap().to_string().chars().count(),
            MAX_CHARS
        );
        let notes = xlsx.worksheet_range("Notes").unwrap();
        assert!(
            notes
                .get((1, 0))
                .unwrap()
                .to_string()
                .contains("Codings!A2")
        );
    }
}
