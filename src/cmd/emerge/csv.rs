//! The report as CSV: one record per candidate, with its support by group
//! and up to three quotes with their attributions.
//!
//! Nothing here counts support (see `report`).

use std::io::Write;

use super::report::{Report, over_text, percent};

pub(super) fn write_csv(w: &mut dyn Write, report: &Report) -> anyhow::Result<()> {
    let mut csv = crate::render::csv::Writer::new(w);
    let mut header: Vec<String> = [
        "rank",
        "id",
        "label",
        "phrases",
        "patterns",
        "found_in",
        "nearest_theme",
        "lift",
        "score",
        "segments",
        "reason",
        "over_represented",
    ]
    .map(String::from)
    .to_vec();
    for (values, _) in &report.groups {
        let label = values.join(" / ");
        header.push(format!("{label}: participants"));
        header.push(format!("{label}: N"));
        header.push(format!("{label}: percent"));
    }
    header.extend(["total: participants", "total: N", "total: percent"].map(String::from));
    for i in 1..=3 {
        header.push(format!("quote_{i}"));
        header.push(format!("attribution_{i}"));
        header.push(format!("source_{i}"));
    }
    csv.write_record(&header)?;
    for row in &report.rows {
        let c = row.candidate;
        let mut record = vec![
            row.rank.to_string(),
            c.id.clone(),
            c.label.clone(),
            c.phrases
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            c.patterns.join("; "),
            row.found_in.clone(),
            row.parent.unwrap_or("new theme").to_string(),
            format!("{:.2}", c.lift),
            format!("{:.1}", c.score),
            row.segments.to_string(),
            c.reason.clone().unwrap_or_default(),
            over_text(&row.over, "; "),
        ];
        for g in &row.groups {
            record.push(g.participants.to_string());
            record.push(g.group_size.to_string());
            record.push(format!("{:.1}", g.percent));
        }
        record.push(row.participants.to_string());
        record.push(report.total.to_string());
        record.push(format!("{:.1}", percent(row.participants, report.total)));
        for i in 0..3 {
            match row.exemplars.get(i) {
                Some(e) => {
                    record.push(e.quote.clone());
                    record.push(e.attribution.clone());
                    record.push(e.source());
                }
                None => record.extend([String::new(), String::new(), String::new()]),
            }
        }
        csv.write_record(&record)?;
    }
    csv.flush()?;
    Ok(())
}
