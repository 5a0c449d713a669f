//! The CSV format: [`write_csv`] (one row per code, in the columns of
//! [`CSV_COLUMNS`]) and [`read_csv`], which also takes hand-made sheets
//! with fewer columns. What the readers share is in `import`.

use std::collections::{HashMap, HashSet};
use std::io::Write;

use super::import::{Ids, decode_text, fill_patterns, sample_names, sorted};
use super::tree::{flatten, tree};
use super::{Imported, Report, UNCATEGORISED, plural};
use crate::codebook::{Code, Codebook, Origin, Theme, slug};
use crate::error::ExchangeError;

/// The columns [`write_csv`] writes, in order.
pub const CSV_COLUMNS: [&str; 18] = [
    "theme",
    "theme_label",
    "code",
    "label",
    "parent",
    "origin",
    "definition",
    "when_to_use",
    "when_not_to_use",
    "examples",
    "patterns",
    "exclude",
    "theme_description",
    "short_definition",
    "counterexamples",
    "min_hits",
    "not_after",
    "not_after_words",
];

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
            let mut row = vec![""; CSV_COLUMNS.len()];
            row[0] = &theme.id;
            row[1] = &theme.label;
            row[12] = &theme.description;
            csv.write_record(&row).map_err(ExchangeError::Csv)?;
        }
        for (_, code) in codes {
            let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
            let row: [String; 18] = [
                theme.id.clone(),
                theme.label.clone(),
                code.id.clone(),
                code.label.clone(),
                code.parent.clone().unwrap_or_default(),
                code.origin.as_str().to_string(),
                code.definition.clone(),
                code.when_to_use.clone(),
                code.when_not_to_use.clone(),
                join_list(&code.examples),
                join_list(&code.patterns),
                join_list(&code.exclude),
                theme.description.clone(),
                code.short_definition.clone(),
                join_list(&code.counterexamples),
                number(code.min_hits),
                join_list(&code.not_after),
                number(code.not_after_words),
            ];
            csv.write_record(&row).map_err(ExchangeError::Csv)?;
        }
    }
    csv.flush()?;
    Ok(report)
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

/// The fields a CSV column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Column {
    Theme,
    ThemeLabel,
    ThemeDescription,
    Code,
    Label,
    Parent,
    Origin,
    ShortDefinition,
    Definition,
    WhenToUse,
    WhenNotToUse,
    Examples,
    Counterexamples,
    Patterns,
    Exclude,
    MinHits,
    NotAfter,
    NotAfterWords,
}

pub(super) fn column(header: &str) -> Option<Column> {
    let key: String = header
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect();
    Some(match key.as_str() {
        "theme" | "theme_id" => Column::Theme,
        "theme_label" | "theme_name" => Column::ThemeLabel,
        "theme_description" => Column::ThemeDescription,
        "code" | "code_id" | "id" => Column::Code,
        "label" | "name" | "code_label" | "code_name" => Column::Label,
        "parent" | "parent_code" => Column::Parent,
        "origin" => Column::Origin,
        "short_definition" => Column::ShortDefinition,
        "definition" => Column::Definition,
        "when_to_use" => Column::WhenToUse,
        "when_not_to_use" => Column::WhenNotToUse,
        "examples" | "example" => Column::Examples,
        "counterexamples" => Column::Counterexamples,
        "patterns" | "pattern" => Column::Patterns,
        "exclude" => Column::Exclude,
        "min_hits" => Column::MinHits,
        "not_after" => Column::NotAfter,
        "not_after_words" => Column::NotAfterWords,
        _ => return None,
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
    if !columns.contains_key(&Column::Theme) {
        return Err(ExchangeError::MissingColumn {
            wanted: "\"theme\"".into(),
            found: found(),
        });
    }
    if !columns.contains_key(&Column::Code) && !columns.contains_key(&Column::Label) {
        return Err(ExchangeError::MissingColumn {
            wanted: "\"code\" (or \"label\" or \"name\")".into(),
            found: found(),
        });
    }
    if !unknown.is_empty() {
        warnings.push(format!("columns ignored: {}", unknown.join(", ")));
    }
    let has_theme_label = columns.contains_key(&Column::ThemeLabel);
    let has_label = columns.contains_key(&Column::Label);

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
                .unwrap_or("")
                .trim()
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        // The theme: an id as written when there is a theme_label column or
        // the value looks like one; otherwise a label to make an id from.
        let raw_theme = cell(Column::Theme);
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
        let raw_code = cell(Column::Code);
        let mut label = cell(Column::Label).to_string();
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
        let mut number = |c: Column, what: &str| {
            let v = cell(c);
            if v.is_empty() {
                return None;
            }
            let n = v.parse::<u32>().ok();
            if n.is_none() {
                bad_values.push(format!("line {line}: {what} {v:?} is not a whole number"));
            }
            n
        };
        let min_hits = number(Column::MinHits, "min_hits");
        let not_after_words = number(Column::NotAfterWords, "not_after_words");
        let origin = match cell(Column::Origin).to_lowercase().as_str() {
            "" | "predefined" => Origin::Predefined,
            "emergent" => Origin::Emergent,
            other => {
                bad_values.push(format!(
                    "line {line}: origin {other:?} is neither predefined nor emergent (taken as predefined)"
                ));
                Origin::Predefined
            }
        };
        let parent = Some(cell(Column::Parent))
            .filter(|p| !p.is_empty())
            .map(str::to_string);
        codes.push(Code {
            id,
            theme: theme_id,
            parent,
            label,
            origin,
            short_definition: cell(Column::ShortDefinition).to_string(),
            definition: cell(Column::Definition).to_string(),
            when_to_use: cell(Column::WhenToUse).to_string(),
            when_not_to_use: cell(Column::WhenNotToUse).to_string(),
            examples: split_list(cell(Column::Examples)),
            counterexamples: split_list(cell(Column::Counterexamples)),
            patterns: split_list(cell(Column::Patterns)),
            exclude: split_list(cell(Column::Exclude)),
            min_hits,
            not_after: split_list(cell(Column::NotAfter)),
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
    let mut used: HashSet<Vec<String>> = codes
        .iter()
        .filter(|c| !c.patterns.is_empty())
        .map(|c| sorted(&c.patterns))
        .collect();
    let patterns_from_names = fill_patterns(&mut codes, &mut used);
    if patterns_from_names > 0 {
        warnings.push(format!(
            "{patterns_from_names} code{} had no patterns; each got its name as its one pattern: write real patterns before coding",
            plural(patterns_from_names)
        ));
    }
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
    fn sniffing_picks_the_delimiter_of_the_header() {
        assert_eq!(sniff_delimiter("a,b;c,d"), b',');
        assert_eq!(sniff_delimiter("a;b;\"c,d,e\""), b';');
        assert_eq!(sniff_delimiter("a\tb"), b'\t');
        assert_eq!(sniff_delimiter("a"), b',');
    }
}
