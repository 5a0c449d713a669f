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

/// Writes a table to stdout, with its final newline.
pub fn write(out: &mut Output, table: &Table) -> anyhow::Result<()> {
    writeln!(out.stdout(), "{table}")?;
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
}
