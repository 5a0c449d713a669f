//! The one table writer: comfy-table in the house style. A table fits
//! [`Output::width`] (`$COLUMNS`, 80 when stdout is not a terminal) by
//! wrapping cells; `--wide` prints it as wide as its content. Width and
//! colour change decoration, never content or order.

use comfy_table::{Cell, CellAlignment, Table};

use super::Output;

/// A table in the house style. It fits [`Output::width`], its cells
/// wrapped where needed; with `--wide` it follows the terminal only when
/// stdout is one. Colour only when enabled. Content never changes.
pub fn new_table(out: &Output) -> Table {
    let mut table = Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    if !out.is_terminal {
        table.force_no_tty();
    }
    match out.width {
        Some(width) => {
            table.set_width(u16::try_from(width).unwrap_or(u16::MAX));
            table.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
        }
        None if out.is_terminal => {
            table.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
        }
        None => {}
    }
    if out.color {
        table.enforce_styling();
    }
    table
}

/// Writes a table to stdout, with its final newline, fitted to
/// [`Output::width`] (see [`write_keyed`]; the first column is the key).
pub fn write(out: &mut Output, table: &Table) -> anyhow::Result<()> {
    write_keyed(out, table, 1)
}

/// The narrowest a column is wrapped to before a table is split instead.
const NARROWEST: usize = 12;

/// Writes a table fitted to [`Output::width`]: as it is when it fits, its
/// cells wrapped when every column keeps at least [`NARROWEST`] columns (or
/// its content, if less), else in blocks of columns that each repeat the
/// first `keys` columns, headed `part 1 of N`. With `--wide`, as it is.
pub fn write_keyed(out: &mut Output, table: &Table, keys: usize) -> anyhow::Result<()> {
    let Some(width) = out.width else {
        writeln!(out.stdout(), "{table}")?;
        return Ok(());
    };
    let narrow: Vec<usize> = table
        .column_max_content_widths()
        .iter()
        .map(|&w| usize::from(w).min(NARROWEST))
        .collect();
    let keys = keys.min(narrow.len());
    let needed = 1 + narrow.iter().map(|w| w + 3).sum::<usize>();
    if needed <= width || narrow.len() <= keys + 1 {
        writeln!(out.stdout(), "{table}")?;
        return Ok(());
    }
    let key_width = narrow[..keys].iter().map(|w| w + 3).sum::<usize>() - 3;
    let parts = blocks(key_width, &narrow[keys..], width);
    let cells = |row: &comfy_table::Row, part: &std::ops::Range<usize>| -> Vec<Cell> {
        let all: Vec<&Cell> = row.cell_iter().collect();
        (0..keys)
            .chain(part.start + keys..part.end + keys)
            .map(|i| all.get(i).map_or_else(|| Cell::new(""), |c| (*c).clone()))
            .collect()
    };
    for (i, part) in parts.iter().enumerate() {
        let mut block = new_table(out);
        if let Some(header) = table.header() {
            block.set_header(cells(header, part));
        }
        for row in table.row_iter() {
            block.add_row(cells(row, part));
        }
        if i > 0 {
            writeln!(out.stdout())?;
        }
        writeln!(out.stdout(), "part {} of {}\n{block}", i + 1, parts.len())?;
    }
    Ok(())
}

/// A right-aligned cell, for numbers.
pub fn number(value: impl ToString) -> Cell {
    Cell::new(value.to_string()).set_alignment(CellAlignment::Right)
}

/// The display width of `text` in terminal columns (a character each: the
/// tables hold no wide or combining characters that mint adds itself).
pub fn text_width(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// `text` cut to `width` columns, with `…` at the end when it was cut.
pub fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut s: String = text.chars().take(width.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// The columns after the first, in order, split into blocks that each fit
/// `width` with the first column repeated: ranges of indices into
/// `widths` (content widths), at least one column to a block. A column
/// costs its content, two spaces of padding and a border.
pub fn blocks(first: usize, widths: &[usize], width: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut used = 1 + first + 3;
    for (i, w) in widths.iter().enumerate() {
        if i > start && used + w + 3 > width {
            out.push(start..i);
            start = i;
            used = 1 + first + 3;
        }
        used += w + 3;
    }
    if start < widths.len() {
        out.push(start..widths.len());
    }
    out
}

/// `text` wrapped at spaces into lines of at most `width` columns (a word
/// longer than that keeps a line of its own).
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if line > 0 && line + 1 + n > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_fill_the_width_and_keep_order() {
        // 1 + (10 + 3) = 14 for the names, 13 per column of 10.
        assert_eq!(blocks(10, &[10, 10, 10, 10, 10], 80), vec![0..5]);
        assert_eq!(blocks(10, &[10, 10, 10, 10, 10], 53), vec![0..3, 3..5]);
        assert_eq!(blocks(10, &[10, 10, 10], 20), vec![0..1, 1..2, 2..3]);
        assert_eq!(blocks(10, &[], 80), Vec::<std::ops::Range<usize>>::new());
    }

    #[test]
    fn cut_keeps_short_text_and_marks_a_cut() {
        assert_eq!(cut("vision", 10), "vision");
        assert_eq!(cut("professional_boundaries", 10), "professio…");
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(text_width("ab\nabcd"), 4);
    }

    #[test]
    fn wrap_breaks_at_spaces_within_the_width() {
        assert_eq!(wrap("one two three", 7), "one two\nthree");
        assert_eq!(wrap("a verylongword b", 4), "a\nverylongword\nb");
        assert_eq!(wrap("", 10), "");
    }
}
