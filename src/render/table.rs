//! The one table writer: comfy-table in the house style. A terminal changes
//! decoration (width, colour), never content or order.

use comfy_table::{Cell, CellAlignment, Table};

use super::Output;

/// A table in the house style. Its width follows the terminal only when
/// stdout is one; colour only when enabled. Content never changes.
pub fn new_table(out: &Output) -> Table {
    let mut table = Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    if let Some(width) = out.width {
        table.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
        table.set_width(width);
    } else if out.is_terminal {
        table.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    } else {
        table.force_no_tty();
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
