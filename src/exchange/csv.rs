//! The CSV format: [`write_csv`] (one row per code, in the columns of
//! [`CSV_COLUMNS`]) and [`read_csv`], which also takes hand-made sheets
//! with fewer columns. What the readers share is in `import`.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::Write;

use super::import::{Ids, decode_text, patterns_from_names, sample_names};
use super::tree::{flatten, tree};
use super::{Imported, Report, UNCATEGORISED, plural};
use crate::codebook::{Code, CodeField, Codebook, Origin, Theme, slug};
use crate::csvcell::{escape, unescape};
use crate::error::ExchangeError;

/// A column of the CSV: a field of the code, or of its theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Column {
    /// A field of the code, named as in codebook files (the `theme` column
    /// is the theme's id), but for its id, which is the column `code`.
    Field(CodeField),
    /// The theme's label.
    ThemeLabel,
    /// The theme's description.
    ThemeDescription,
}

impl Column {
    /// The column's header in [`write_csv`].
    const fn header(self) -> &'static str {
        match self {
            Column::Field(CodeField::Id) => "code",
            Column::Field(field) => field.name(),
            Column::ThemeLabel => "theme_label",
            Column::ThemeDescription => "theme_description",
        }
    }

    /// Whether `mint codebook show --format csv` has the column.
    const fn in_summary(self) -> bool {
        matches!(
            self,
            Column::Field(
                CodeField::Theme
                    | CodeField::Id
                    | CodeField::Label
                    | CodeField::Origin
                    | CodeField::Definition
                    | CodeField::WhenToUse
                    | CodeField::WhenNotToUse
                    | CodeField::Patterns
                    | CodeField::Exclude
            )
        )
    }
}

/// The columns [`write_csv`] writes, in order: the code's fields with its
/// theme's, in the order they were added to the format (so older sheets
/// keep their columns). The headers are [`CSV_COLUMNS`].
const LAYOUT: [Column; 18] = [
    Column::Field(CodeField::Theme),
    Column::ThemeLabel,
    Column::Field(CodeField::Id),
    Column::Field(CodeField::Label),
    Column::Field(CodeField::Parent),
    Column::Field(CodeField::Origin),
    Column::Field(CodeField::Definition),
    Column::Field(CodeField::WhenToUse),
    Column::Field(CodeField::WhenNotToUse),
    Column::Field(CodeField::Examples),
    Column::Field(CodeField::Patterns),
    Column::Field(CodeField::Exclude),
    Column::ThemeDescription,
    Column::Field(CodeField::ShortDefinition),
    Column::Field(CodeField::Counterexamples),
    Column::Field(CodeField::MinHits),
    Column::Field(CodeField::NotAfter),
    Column::Field(CodeField::NotAfterWords),
];

/// The columns [`write_csv`] writes, in order.
pub const CSV_COLUMNS: [&str; 18] = {
    let mut headers = [""; LAYOUT.len()];
    let mut i = 0;
    while i < LAYOUT.len() {
        headers[i] = LAYOUT[i].header();
        i += 1;
    }
    headers
};

/// The columns of `mint codebook show --format csv`: those of
/// [`CSV_COLUMNS`] that sum a code up (theme, code, label, origin, the
/// definitions and the patterns), in the same order.
pub const SUMMARY_COLUMNS: [&str; 9] = {
    let mut headers = [""; 9];
    let (mut i, mut n) = (0, 0);
    while i < LAYOUT.len() {
        if LAYOUT[i].in_summary() {
            headers[n] = LAYOUT[i].header();
            n += 1;
        }
        i += 1;
    }
    assert!(
        n == headers.len(),
        "SUMMARY_COLUMNS has one header a column"
    );
    headers
};

/// Writes one CSV row per code (see [`CSV_COLUMNS`]), theme by theme, each
/// code followed by its sub-codes.
pub fn write_csv(book: &Codebook, w: impl Write) -> Result<Report, ExchangeError> {
    let themes = tree(book)?;
    let mut report = Report::default();
    let meta = &book.codebook;
    if !(meta.name.is_empty() && meta.version.is_empty() && meta.description.is_empty()) {
        report.dropped.push(
            "the codebook's name, version and description (a CSV has no place for them)".into(),
        );
    }
    if !meta.spelling_variants {
        report.warnings.push(
            "spelling_variants = false is not kept in a CSV: a re-import matches spelling variants again"
                .into(),
        );
    }
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record(CSV_COLUMNS).map_err(ExchangeError::Csv)?;
    for t in &themes {
        let theme = t.theme;
        let mut codes = Vec::new();
        flatten(&t.codes, 0, &mut codes);
        if codes.is_empty() {
            csv.write_record(escaped(&row(theme, None)).iter().map(|c| c.as_bytes()))
                .map_err(ExchangeError::Csv)?;
        }
        for (_, code) in codes {
            csv.write_record(
                escaped(&row(theme, Some(code)))
                    .iter()
                    .map(|c| c.as_bytes()),
            )
            .map_err(ExchangeError::Csv)?;
        }
    }
    csv.flush()?;
    Ok(report)
}

/// A row's cells escaped for spreadsheets: a cell a spreadsheet would run
/// as a formula gets a leading single quote (see [`crate::csvcell`]). Unlike
/// the other CSVs mint writes, this one is read back by [`read_csv`], so
/// the escape is the reversible one and `--raw-csv` does not apply.
fn escaped(cells: &[String]) -> Vec<Cow<'_, str>> {
    cells.iter().map(|c| escape(c)).collect()
}

/// The cells of a row in the order of [`LAYOUT`]: a code's, or (with no
/// code) a theme's own row, which has only the theme's columns.
fn row(theme: &Theme, code: Option<&Code>) -> [String; LAYOUT.len()] {
    LAYOUT.map(|column| match (column, code) {
        (Column::Field(CodeField::Theme), _) => theme.id.clone(),
        (Column::ThemeLabel, _) => theme.label.clone(),
        (Column::ThemeDescription, _) => theme.description.clone(),
        (Column::Field(_), None) => String::new(),
        (Column::Field(field), Some(code)) => code_cell(code, field),
    })
}

/// A field of a code as a CSV cell: lists joined by [`join_list`], numbers
/// and options empty when not set.
fn code_cell(code: &Code, field: CodeField) -> String {
    let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    match field {
        CodeField::Id => code.id.clone(),
        CodeField::Theme => code.theme.clone(),
        CodeField::Parent => code.parent.clone().unwrap_or_default(),
        CodeField::Label => code.label.clone(),
        CodeField::Origin => code.origin.as_str().to_string(),
        CodeField::Status => code.status.clone().unwrap_or_default(),
        CodeField::ShortDefinition => code.short_definition.clone(),
        CodeField::Definition => code.definition.clone(),
        CodeField::WhenToUse => code.when_to_use.clone(),
        CodeField::WhenNotToUse => code.when_not_to_use.clone(),
        CodeField::Examples => join_list(&code.examples),
        CodeField::Counterexamples => join_list(&code.counterexamples),
        CodeField::Patterns => join_list(&code.patterns),
        CodeField::Exclude => join_list(&code.exclude),
        CodeField::MinHits => number(code.min_hits),
        CodeField::NotAfter => join_list(&code.not_after),
        CodeField::NotAfterWords => number(code.not_after_words),
    }
}

/// Joins list items with `; `, doubling any `;` inside an item.
pub(super) fn join_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| i.replace(';', ";;"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Splits a list cell at single `;`s (a doubled `;;` is a literal `;`) and
/// trims the items; empty items are dropped.
pub(super) fn split_list(cell: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut item = String::new();
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        if c != ';' {
            item.push(c);
        } else if chars.peek() == Some(&';') {
            chars.next();
            item.push(';');
        } else {
            items.push(std::mem::take(&mut item));
        }
    }
    items.push(item);
    items
        .into_iter()
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty())
        .collect()
}

/// The column a header names: a field of [`CodeField`] by its name, or
/// one of the usual other names for it.
fn column(header: &str) -> Option<Column> {
    let key: String = header
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect();
    Some(match key.as_str() {
        "theme_id" => Column::Field(CodeField::Theme),
        "theme_label" | "theme_name" => Column::ThemeLabel,
        "theme_description" => Column::ThemeDescription,
        "code" | "code_id" => Column::Field(CodeField::Id),
        "name" | "code_label" | "code_name" => Column::Field(CodeField::Label),
        "parent_code" => Column::Field(CodeField::Parent),
        "example" => Column::Field(CodeField::Examples),
        "pattern" => Column::Field(CodeField::Patterns),
        // A status is for review in mint, not read from a sheet.
        "status" => return None,
        key => Column::Field(CodeField::from_name(key)?),
    })
}

/// Reads a codebook spreadsheet saved as CSV (see the module docs): at
/// least a `theme` column and a `code` (or `label`/`name`) column.
pub fn read_csv(bytes: &[u8]) -> Result<Imported, ExchangeError> {
    let mut warnings = Vec::new();
    let text = decode_text(bytes, &mut warnings);
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let csv_error = |err: csv::Error| ExchangeError::CsvSyntax {
        line: err.position().map_or(0, |p| p.line()),
        message: err.to_string(),
    };
    let headers = reader.headers().map_err(csv_error)?.clone();
    let mut columns: HashMap<Column, usize> = HashMap::new();
    let mut unknown = Vec::new();
    for (i, header) in headers.iter().enumerate() {
        match column(header) {
            Some(c) => {
                columns.entry(c).or_insert(i);
            }
            None if header.trim().is_empty() => {}
            None => unknown.push(format!("{:?}", header.trim())),
        }
    }
    let found = || {
        headers
            .iter()
            .map(|h| format!("{:?}", h))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !columns.contains_key(&Column::Field(CodeField::Theme)) {
        return Err(ExchangeError::MissingColumn {
            wanted: "\"theme\"".into(),
            found: found(),
        });
    }
    if !columns.contains_key(&Column::Field(CodeField::Id))
        && !columns.contains_key(&Column::Field(CodeField::Label))
    {
        return Err(ExchangeError::MissingColumn {
            wanted: "\"code\" (or \"label\" or \"name\")".into(),
            found: found(),
        });
    }
    if !unknown.is_empty() {
        warnings.push(format!("columns ignored: {}", unknown.join(", ")));
    }
    let has_theme_label = columns.contains_key(&Column::ThemeLabel);
    let has_label = columns.contains_key(&Column::Field(CodeField::Label));

    let mut themes: Vec<Theme> = Vec::new();
    let mut codes: Vec<Code> = Vec::new();
    let mut ids = Ids {
        taken: HashSet::new(),
        reserved: HashSet::new(),
        duplicates: Vec::new(),
    };
    let mut no_theme = Vec::new();
    let mut bad_values = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |c: Column| {
            columns
                .get(&c)
                .and_then(|&i| record.get(i))
                .map_or("", unescape)
                .trim()
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        // The theme: an id as written when there is a theme_label column or
        // the value looks like one; otherwise a label to make an id from.
        let raw_theme = cell(Column::Field(CodeField::Theme));
        let (theme_id, theme_label) = if raw_theme.is_empty() {
            no_theme.push(line.to_string());
            (UNCATEGORISED.to_string(), "Uncategorised".to_string())
        } else if has_theme_label || slug(raw_theme) == raw_theme {
            (raw_theme.to_string(), cell(Column::ThemeLabel).to_string())
        } else {
            (slug(raw_theme), raw_theme.to_string())
        };
        let theme_index = match themes.iter().position(|t| t.id == theme_id) {
            Some(i) => i,
            None => {
                ids.taken.insert(theme_id.clone());
                themes.push(Theme {
                    id: theme_id.clone(),
                    ..Default::default()
                });
                themes.len() - 1
            }
        };
        let theme = &mut themes[theme_index];
        if theme.label.is_empty() {
            theme.label = theme_label;
        }
        if theme.description.is_empty() {
            theme.description = cell(Column::ThemeDescription).to_string();
        }
        let raw_code = cell(Column::Field(CodeField::Id));
        let mut label = cell(Column::Field(CodeField::Label)).to_string();
        if raw_code.is_empty() && label.is_empty() {
            continue; // a row that only describes its theme
        }
        let id = if raw_code.is_empty() {
            ids.claim(None, &label, "code")
        } else if has_label || slug(raw_code) == raw_code {
            ids.claim(Some(raw_code), raw_code, "code")
        } else {
            if label.is_empty() {
                label = raw_code.to_string();
            }
            ids.claim(None, raw_code, "code")
        };
        let mut number = |field: CodeField| {
            let v = cell(Column::Field(field));
            if v.is_empty() {
                return None;
            }
            let n = v.parse::<u32>().ok();
            if n.is_none() {
                bad_values.push(format!(
                    "line {line}: {} {v:?} is not a whole number",
                    field.name()
                ));
            }
            n
        };
        let min_hits = number(CodeField::MinHits);
        let not_after_words = number(CodeField::NotAfterWords);
        let origin = match cell(Column::Field(CodeField::Origin))
            .to_lowercase()
            .as_str()
        {
            "" | "predefined" => Origin::Predefined,
            "emergent" => Origin::Emergent,
            "learned" => Origin::Learned,
            other => {
                bad_values.push(format!(
                    "line {line}: origin {other:?} is neither predefined nor emergent (taken as predefined)"
                ));
                Origin::Predefined
            }
        };
        let parent = Some(cell(Column::Field(CodeField::Parent)))
            .filter(|p| !p.is_empty())
            .map(str::to_string);
        codes.push(Code {
            id,
            theme: theme_id,
            parent,
            label,
            origin,
            short_definition: cell(Column::Field(CodeField::ShortDefinition)).to_string(),
            definition: cell(Column::Field(CodeField::Definition)).to_string(),
            when_to_use: cell(Column::Field(CodeField::WhenToUse)).to_string(),
            when_not_to_use: cell(Column::Field(CodeField::WhenNotToUse)).to_string(),
            examples: split_list(cell(Column::Field(CodeField::Examples))),
            counterexamples: split_list(cell(Column::Field(CodeField::Counterexamples))),
            patterns: split_list(cell(Column::Field(CodeField::Patterns))),
            exclude: split_list(cell(Column::Field(CodeField::Exclude))),
            min_hits,
            not_after: split_list(cell(Column::Field(CodeField::NotAfter))),
            not_after_words,
            ..Default::default()
        });
    }
    if themes.is_empty() {
        return Err(ExchangeError::Empty);
    }
    if !no_theme.is_empty() {
        warnings.push(format!(
            "{} row{} without a theme (line{} {}) put under the theme {UNCATEGORISED:?}",
            no_theme.len(),
            plural(no_theme.len()),
            plural(no_theme.len()),
            no_theme.join(", ")
        ));
    }
    if !ids.duplicates.is_empty() {
        warnings.push(format!(
            "code ids used twice were made unique: {}",
            sample_names(&ids.duplicates)
        ));
    }
    warnings.extend(bad_values);
    resolve_parents(&mut codes, &mut warnings);
    let patterns_from_names = patterns_from_names(&mut codes, "", &mut warnings);
    Ok(Imported {
        codebook: Codebook {
            themes,
            codes,
            ..Default::default()
        },
        origin: None,
        warnings,
        patterns_from_names,
    })
}

/// Parents are code ids; a parent given by its label (or a name whose slug
/// is an id) is accepted too. A parent that is not found, or is in another
/// theme, is dropped with a warning.
pub(super) fn resolve_parents(codes: &mut [Code], warnings: &mut Vec<String>) {
    let lookup: Vec<(String, String, String)> = codes
        .iter()
        .map(|c| (c.id.clone(), c.label.clone(), c.theme.clone()))
        .collect();
    for code in codes.iter_mut() {
        let Some(parent) = code.parent.clone() else {
            continue;
        };
        let found = lookup
            .iter()
            .find(|(id, _, _)| *id == parent)
            .or_else(|| lookup.iter().find(|(_, label, _)| *label == parent))
            .or_else(|| lookup.iter().find(|(id, _, _)| *id == slug(&parent)));
        match found {
            Some((id, _, theme)) if *theme == code.theme && *id != code.id => {
                code.parent = Some(id.clone())
            }
            Some(_) => {
                warnings.push(format!(
                    "code {:?}: parent {parent:?} is not in the same theme (dropped)",
                    code.id
                ));
                code.parent = None;
            }
            None => {
                warnings.push(format!(
                    "code {:?}: parent {parent:?} is not a code (dropped)",
                    code.id
                ));
                code.parent = None;
            }
        }
    }
}

/// The delimiter of the header line: `,`, `;` or tab, whichever occurs most
/// outside quotes (spreadsheets in some locales save with `;`).
pub(super) fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], i == 0)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_cells_double_semicolons() {
        let items = vec!["a;b".to_string(), ";".to_string(), "c".to_string()];
        let cell = join_list(&items);
        assert_eq!(cell, "a;;b; ;;; c");
        assert_eq!(split_list(&cell), items);
        assert_eq!(split_list(" x ;y;; ; "), ["x", "y;"]);
    }

    #[test]
    fn formula_cells_are_escaped_and_read_back() {
        let book = Codebook::from_toml_str(
            r#"
[[themes]]
id = "t"
label = "=HYPERLINK(\"http://x\")"
[[codes]]
id = "c"
theme = "t"
label = "'quoted"
definition = "-5 beds"
patterns = ["beds"]
"#,
            "book.toml",
        )
        .unwrap();
        let mut bytes = Vec::new();
        write_csv(&book, &mut bytes).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
        assert!(text.contains(",''quoted,"), "{text}");
        assert!(text.contains(",'-5 beds,"), "{text}");
        let back = read_csv(&bytes).unwrap().codebook;
        assert_eq!(back.themes[0].label, "=HYPERLINK(\"http://x\")");
        assert_eq!(back.codes[0].label, "'quoted");
        assert_eq!(back.codes[0].definition, "-5 beds");
    }

    #[test]
    fn sniffing_picks_the_delimiter_of_the_header() {
        assert_eq!(sniff_delimiter("a,b;c,d"), b',');
        assert_eq!(sniff_delimiter("a;b;\"c,d,e\""), b';');
        assert_eq!(sniff_delimiter("a\tb"), b'\t');
        assert_eq!(sniff_delimiter("a"), b',');
    }

    #[test]
    fn headers_are_the_ones_sheets_were_written_with() {
        assert_eq!(
            CSV_COLUMNS.join(","),
            "theme,theme_label,code,label,parent,origin,definition,when_to_use,when_not_to_use,\
             examples,patterns,exclude,theme_description,short_definition,counterexamples,\
             min_hits,not_after,not_after_words"
        );
        assert_eq!(
            SUMMARY_COLUMNS.join(","),
            "theme,code,label,origin,definition,when_to_use,when_not_to_use,patterns,exclude"
        );
        for header in CSV_COLUMNS {
            assert!(column(header).is_some(), "{header} is read back");
        }
    }
}
