//! The report as a table for people: one row per candidate with its
//! support by group, then each candidate's quotes and attributions.
//!
//! Nothing here counts support (see `report`).

use comfy_table::{Cell as TableCell, CellAlignment};

use crate::render::{Output, table::new_table};

use super::report::{Report, over_text, percent};

pub(super) fn write_table(out: &mut Output, report: &Report) -> anyhow::Result<()> {
    if report.rows.is_empty() {
        writeln!(
            out.stdout(),
            "No candidates: nothing that {} or more participants say stands out beyond the codebook.",
            report.min_participants
        )?;
        return Ok(());
    }
    let mut table = new_table(out);
    let mut header = vec![
        TableCell::new("#"),
        TableCell::new("candidate"),
        TableCell::new("patterns"),
        TableCell::new("found in"),
        TableCell::new("segments"),
    ];
    for (values, size) in &report.groups {
        header.push(TableCell::new(format!("{}\nN={size}", values.join(" / "))));
    }
    header.push(TableCell::new(format!("participants\nN={}", report.total)));
    header.push(TableCell::new("nearest theme"));
    header.push(TableCell::new(
        "over-represented in\n(share of the group's segments)",
    ));
    table.set_header(header);
    for row in &report.rows {
        let mut cells = vec![
            TableCell::new(row.rank).set_alignment(CellAlignment::Right),
            TableCell::new(&row.candidate.label),
            TableCell::new(row.candidate.patterns.join("\n")),
            TableCell::new(match row.found_in.strip_prefix("theme:") {
                Some(theme) => format!("{theme} text"),
                None => "uncoded text".to_string(),
            }),
            TableCell::new(row.segments).set_alignment(CellAlignment::Right),
        ];
        for g in &row.groups {
            cells.push(
                TableCell::new(format!("{} ({:.0}%)", g.participants, g.percent))
                    .set_alignment(CellAlignment::Right),
            );
        }
        cells.push(
            TableCell::new(format!(
                "{} ({:.0}%)",
                row.participants,
                percent(row.participants, report.total)
            ))
            .set_alignment(CellAlignment::Right),
        );
        cells.push(TableCell::new(row.parent.unwrap_or("new theme")));
        cells.push(TableCell::new(over_text(&row.over, "\n")));
        table.add_row(cells);
    }
    crate::render::table::write(out, &table)?;
    let w = out.stdout();
    for row in &report.rows {
        writeln!(w)?;
        writeln!(w, "{}. {}", row.rank, row.candidate.label)?;
        if let Some(reason) = &row.candidate.reason {
            writeln!(w, "   why: {reason}")?;
        }
        for e in &row.exemplars {
            writeln!(w, "   \"{}\"", e.quote)?;
            writeln!(w, "     ({}; {})", e.attribution, e.source())?;
        }
    }
    Ok(())
}
