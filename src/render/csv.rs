//! The one CSV writer: serializable rows, a header from the first row's
//! field names (the csv crate's rule), flushed at the end.

use std::io::Write;

use serde::Serialize;

/// Writes `rows` as CSV with a header row.
pub fn write_rows<T: Serialize>(
    w: &mut dyn Write,
    rows: impl IntoIterator<Item = T>,
) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    for row in rows {
        csv.serialize(row)?;
    }
    csv.flush()?;
    Ok(())
}

/// Writes a header and records of plain strings.
pub fn write_records<R: AsRef<[u8]>>(
    w: &mut dyn Write,
    header: &[&str],
    records: impl IntoIterator<Item = Vec<R>>,
) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record(header)?;
    for record in records {
        csv.write_record(&record)?;
    }
    csv.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_get_a_header_and_quoting() {
        #[derive(Serialize)]
        struct Row<'a> {
            a: &'a str,
            n: u32,
        }
        let mut buf = Vec::new();
        write_rows(&mut buf, [Row { a: "x, y", n: 2 }]).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), "a,n\n\"x, y\",2\n");
    }
}
