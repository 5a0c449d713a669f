//! The render layer: how results reach a person or a pipe. One [`Output`]
//! per process ([`output`]), and for the rows a command produces one table
//! writer ([`table`]), one CSV writer ([`csv`]) and one JSON writer with the
//! envelope that carries `schema_version` ([`json`]). A command describes
//! its rows once as a [`Report`] and [`emit`] picks the writer from
//! `--format`; no command writes that `match` itself.
//!
//! Nothing here computes results: it takes what the library produced.

pub mod csv;
pub mod events;
pub mod json;
pub mod matrix;
pub mod output;
pub mod table;
pub mod xlsx;

use std::io::Write;
use std::path::Path;

use serde::Serialize;

pub use output::{ColorChoice, Output, Status, write_atomic, write_private};

/// How data is written to stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// A table for people.
    #[default]
    Table,
    /// CSV for pipes and spreadsheets.
    Csv,
    /// JSON with a top-level schema_version.
    Json,
}

/// One command's result, as a table, CSV and JSON.
pub trait Report {
    /// The version of the JSON document (the envelope's `schema_version`).
    const SCHEMA_VERSION: u32 = 1;

    /// Writes the table for people.
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()>;

    /// Writes the same rows as CSV.
    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()>;

    /// The JSON document's body: the envelope adds `schema_version` first.
    fn json(&self) -> impl Serialize + '_;
}

/// Writes `report` to stdout in `format`.
pub fn emit<R: Report>(out: &mut Output, format: Format, report: &R) -> anyhow::Result<()> {
    match format {
        Format::Table => report.write_table(out),
        Format::Csv => report.write_csv(out.stdout()),
        Format::Json => json::write(out.stdout(), R::SCHEMA_VERSION, &report.json()),
    }
}

/// The format of an output file, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// CSV (`.csv`).
    Csv,
    /// JSON (`.json`).
    Json,
    /// An Excel workbook (`.xlsx`).
    Xlsx,
}

impl FileFormat {
    /// The extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Json => "json",
            FileFormat::Xlsx => "xlsx",
        }
    }
}

/// The one place the format of an output file is decided, for every flag
/// that names one: by its extension (in any case), among the formats `can`
/// that this flag writes. `-` (stdout) and a name without an extension
/// (`/dev/stdout`) get the flag's first format. Any other extension (`.xls`,
/// `.numbers`, `.ods`, a typo) is an error naming the formats it can write:
/// mint never writes one format into a file named for another.
pub fn file_format(flag: &str, path: &Path, can: &[FileFormat]) -> anyhow::Result<FileFormat> {
    let Some(ext) = path.extension().filter(|_| path != Path::new("-")) else {
        return Ok(can[0]);
    };
    let ext = ext.to_string_lossy().to_lowercase();
    if let Some(format) = can.iter().find(|f| f.extension() == ext) {
        return Ok(*format);
    }
    let names: Vec<String> = can.iter().map(|f| format!(".{}", f.extension())).collect();
    let list = match names.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
        [] => String::new(),
    };
    anyhow::bail!(
        "{flag} {}: mint does not write .{ext} files; {flag} writes {list}",
        path.display()
    )
}

/// Writes `report` to `file` (`--output`, with its format) when given,
/// else to stdout in `format`.
pub fn emit_to<R: Report>(
    out: &mut Output,
    file: Option<(&Path, FileFormat)>,
    format: Format,
    report: &R,
    sheet: &str,
    about: impl FnOnce() -> xlsx::About,
) -> anyhow::Result<()> {
    match file {
        Some((path, file_format)) => emit_file(out, path, file_format, report, sheet, about),
        None => emit(out, format, report),
    }
}

/// Writes `report` to the file `path` (`-` for stdout) in `format`: a
/// workbook has it as one sheet named `sheet`, with `about`.
pub fn emit_file<R: Report>(
    out: &mut Output,
    path: &Path,
    format: FileFormat,
    report: &R,
    sheet: &str,
    about: impl FnOnce() -> xlsx::About,
) -> anyhow::Result<()> {
    match format {
        FileFormat::Json => {
            out.write_file(path, |w| json::write(w, R::SCHEMA_VERSION, &report.json()))
        }
        _ => write_table_file(out, path, format, sheet, about, |w| report.write_csv(w)),
    }
}

/// Writes the table `write` writes as CSV to the file `path` (`-` for
/// stdout): as it is, or as a workbook with it as one sheet named `sheet`
/// when `format` is [`FileFormat::Xlsx`].
pub fn write_table_file(
    out: &mut Output,
    path: &Path,
    format: FileFormat,
    sheet: &str,
    about: impl FnOnce() -> xlsx::About,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    if format == FileFormat::Xlsx {
        let table = xlsx::Table::capture(sheet, write)?;
        let about = about();
        out.write_file(path, |w| xlsx::write(w, &[table], &about))
    } else {
        out.write_file(path, write)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FileFormat::{Csv, Json, Xlsx};

    #[test]
    fn the_format_comes_from_the_extension_or_is_an_error() {
        let can = [Csv, Xlsx];
        let of = |p: &str| file_format("--matrix", Path::new(p), &can);
        assert_eq!(of("a.csv").unwrap(), Csv);
        assert_eq!(of("a.XLSX").unwrap(), Xlsx);
        assert_eq!(of("-").unwrap(), Csv);
        assert_eq!(of("/dev/stdout").unwrap(), Csv);
        for bad in ["a.xls", "a.numbers", "a.ods", "a.json"] {
            let err = of(bad).unwrap_err().to_string();
            assert!(err.contains("writes .csv or .xlsx"), "{err}");
        }
        let err = file_format("--output", Path::new("q.txt"), &[Csv, Json, Xlsx])
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "--output q.txt: mint does not write .txt files; --output writes .csv, .json or .xlsx"
        );
    }
}
