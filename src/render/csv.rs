//! The one CSV writer. Every CSV mint writes goes through [`Writer`], which
//! neutralises each text cell that a spreadsheet would run as a formula
//! (`=`, `+`, `-`, `@`, tab or CR first: a leading single quote is added,
//! see [`mint::csvcell`]) unless the global `--raw-csv` was given. Rows are
//! records of strings or serializable structs (a header from the first
//! row's field names, the csv crate's rule).
//!
//! CSVs are UTF-8 without a byte-order mark and end lines with `\n`, as R
//! and pandas expect; the global `--excel-csv` writes a BOM and `\r\n`, so
//! that Excel opens `’` and `é` as they are ([`set_excel`]). A table bound
//! for a workbook is written with [`capture`]: as it is, neither.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use mint::csvcell::neutralise;
use serde::Serialize;

/// `--raw-csv`: write cells as they are. Set once, by `main`, before any
/// output; a process-wide setting because CSV is written from places that
/// never see the `Output` (a report's rows, the codings file).
static RAW: AtomicBool = AtomicBool::new(false);

/// `--excel-csv`: a byte-order mark and CRLF line ends. Set once, by
/// `main`, like [`RAW`].
static EXCEL: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// Set while [`capture`] runs: cells as they are, no BOM, `\n`.
    static CAPTURING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Turns neutralising off (`--raw-csv`) or on for the whole process.
pub fn set_raw(raw: bool) {
    RAW.store(raw, Ordering::Relaxed);
}

/// Turns the BOM and CRLF line ends on (`--excel-csv`) or off for the
/// whole process.
pub fn set_excel(excel: bool) {
    EXCEL.store(excel, Ordering::Relaxed);
}

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Runs `write` (which writes CSV through [`Writer`]) into memory with the
/// cells as they are and plain line ends, whatever `--raw-csv` and
/// `--excel-csv` say: for a table that goes on into a workbook, where a
/// text cell is never read as a formula.
pub fn capture(
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<u8>> {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            CAPTURING.with(|c| c.set(self.0));
        }
    }
    let _reset = Reset(CAPTURING.with(|c| c.replace(true)));
    let mut buf = Vec::new();
    write(&mut buf)?;
    Ok(buf)
}

/// A CSV writer whose text cells are safe to open in a spreadsheet.
pub struct Writer<W: Write> {
    csv: csv::Writer<Bom<W>>,
    raw: bool,
}

/// A writer that writes a byte-order mark before its first bytes, when
/// `pending` says so.
struct Bom<W> {
    inner: W,
    pending: bool,
}

impl<W: Write> Write for Bom<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if std::mem::take(&mut self.pending) {
            self.inner.write_all(BOM)?;
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Writer<W> {
    /// A writer with the process's `--raw-csv` and `--excel-csv` settings.
    pub fn new(w: W) -> Writer<W> {
        if CAPTURING.with(std::cell::Cell::get) {
            return Writer::with_raw(w, true, false);
        }
        Writer::with_raw(
            w,
            RAW.load(Ordering::Relaxed),
            EXCEL.load(Ordering::Relaxed),
        )
    }

    fn with_raw(w: W, raw: bool, excel: bool) -> Writer<W> {
        let terminator = if excel {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        };
        Writer {
            csv: csv::WriterBuilder::new()
                .terminator(terminator)
                .from_writer(Bom {
                    inner: w,
                    pending: excel,
                }),
            raw,
        }
    }

    /// Writes one record (a header or a row) of text cells.
    pub fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        for cell in record {
            let cell = cell.as_ref();
            if self.raw {
                self.csv.write_field(cell)?;
            } else {
                self.csv.write_field(neutralise(cell).as_bytes())?;
            }
        }
        self.csv.write_record(None::<&[u8]>)
    }

    /// Writes a serializable row (and, before the first, its header). Only
    /// strings are neutralised: numbers are written as serde gives them.
    pub fn serialize<S: Serialize>(&mut self, row: S) -> csv::Result<()> {
        if self.raw {
            self.csv.serialize(row)
        } else {
            self.csv.serialize(Cells(&row))
        }
    }

    /// Flushes the underlying writer.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.csv.flush()
    }
}

/// Writes `rows` as CSV with a header row.
pub fn write_rows<T: Serialize>(
    w: &mut dyn Write,
    rows: impl IntoIterator<Item = T>,
) -> anyhow::Result<()> {
    let mut csv = Writer::new(w);
    for row in rows {
        csv.serialize(row)?;
    }
    csv.flush()?;
    Ok(())
}

/// Writes a header and records of plain strings.
pub fn write_records<R: AsRef<str>>(
    w: &mut dyn Write,
    header: &[&str],
    records: impl IntoIterator<Item = Vec<R>>,
) -> anyhow::Result<()> {
    let mut csv = Writer::new(w);
    csv.write_record(header)?;
    for record in records {
        csv.write_record(&record)?;
    }
    csv.flush()?;
    Ok(())
}

/// Attribute columns to write beside `fixed`, the columns mint writes
/// itself: an attribute named like one of those (a sheet with a `file`
/// column) is renamed `attr_NAME` (`attr_attr_NAME` if that is taken too),
/// so that no header appears twice. Returns the headers, in the order of
/// `attributes`, and each rename as (attribute, header).
pub fn attribute_columns<'a>(
    fixed: &[&str],
    attributes: impl IntoIterator<Item = &'a str>,
) -> (Vec<String>, Vec<(String, String)>) {
    let attributes: Vec<&str> = attributes.into_iter().collect();
    let taken =
        |name: &str, done: &[String]| fixed.contains(&name) || done.iter().any(|d| d == name);
    let mut headers: Vec<String> = Vec::new();
    let mut renamed = Vec::new();
    for (i, &name) in attributes.iter().enumerate() {
        let mut header = name.to_string();
        // Clashes with the fixed columns, those named so far and, once
        // renamed, with the attributes still to come.
        let mut clash = fixed.contains(&name);
        while taken(&header, &headers) || (clash && attributes[i + 1..].contains(&header.as_str()))
        {
            header = format!("attr_{header}");
            clash = true;
        }
        if clash {
            renamed.push((name.to_string(), header.clone()));
        }
        headers.push(header);
    }
    (headers, renamed)
}

/// A value serialized with every string in it neutralised.
struct Cells<'a, T: ?Sized>(&'a T);

impl<T: Serialize + ?Sized> Serialize for Cells<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(Neutral(s))
    }
}

/// A serializer that passes everything on to the one it wraps, strings
/// neutralised, and wraps the values inside containers in turn.
struct Neutral<S>(S);

macro_rules! forward {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Result<S::Ok, S::Error> {
            self.0.$method(v)
        })*
    };
}

/// The methods that open a container: the wrapped serializer's, wrapped.
macro_rules! open {
    ($($method:ident($($arg:ident: $ty:ty),*) -> $container:ident),* $(,)?) => {
        $(fn $method(self, $($arg: $ty),*) -> Result<Self::$container, S::Error> {
            self.0.$method($($arg),*).map(Neutral)
        })*
    };
}

impl<S: serde::Serializer> serde::Serializer for Neutral<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Neutral<S::SerializeSeq>;
    type SerializeTuple = Neutral<S::SerializeTuple>;
    type SerializeTupleStruct = Neutral<S::SerializeTupleStruct>;
    type SerializeTupleVariant = Neutral<S::SerializeTupleVariant>;
    type SerializeMap = Neutral<S::SerializeMap>;
    type SerializeStruct = Neutral<S::SerializeStruct>;
    type SerializeStructVariant = Neutral<S::SerializeStructVariant>;

    forward!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_bytes(&[u8]),
        serialize_unit_struct(&'static str),
    );

    fn serialize_char(self, v: char) -> Result<S::Ok, S::Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<S::Ok, S::Error> {
        self.0.serialize_str(&neutralise(v))
    }

    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        self.0.serialize_none()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<S::Ok, S::Error> {
        self.0.serialize_some(&Cells(v))
    }

    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.0.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize_unit_variant(name, index, variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize_newtype_struct(name, &Cells(v))
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0
            .serialize_newtype_variant(name, index, variant, &Cells(v))
    }

    open!(
        serialize_seq(len: Option<usize>) -> SerializeSeq,
        serialize_tuple(len: usize) -> SerializeTuple,
        serialize_tuple_struct(name: &'static str, len: usize) -> SerializeTupleStruct,
        serialize_tuple_variant(
            name: &'static str,
            index: u32,
            variant: &'static str,
            len: usize
        ) -> SerializeTupleVariant,
        serialize_map(len: Option<usize>) -> SerializeMap,
        serialize_struct(name: &'static str, len: usize) -> SerializeStruct,
        serialize_struct_variant(
            name: &'static str,
            index: u32,
            variant: &'static str,
            len: usize
        ) -> SerializeStructVariant,
    );

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// The containers: each element, key and field value wrapped in turn.
macro_rules! elements {
    ($($trait:ident :: $method:ident),* $(,)?) => {
        $(impl<C: serde::ser::$trait> serde::ser::$trait for Neutral<C> {
            type Ok = C::Ok;
            type Error = C::Error;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), C::Error> {
                self.0.$method(&Cells(v))
            }
            fn end(self) -> Result<C::Ok, C::Error> {
                self.0.end()
            }
        })*
    };
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
);

impl<C: serde::ser::SerializeMap> serde::ser::SerializeMap for Neutral<C> {
    type Ok = C::Ok;
    type Error = C::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), C::Error> {
        self.0.serialize_key(&Cells(k))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), C::Error> {
        self.0.serialize_value(&Cells(v))
    }
    fn end(self) -> Result<C::Ok, C::Error> {
        self.0.end()
    }
}

macro_rules! fields {
    ($($trait:ident),* $(,)?) => {
        $(impl<C: serde::ser::$trait> serde::ser::$trait for Neutral<C> {
            type Ok = C::Ok;
            type Error = C::Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                v: &T,
            ) -> Result<(), C::Error> {
                self.0.serialize_field(key, &Cells(v))
            }
            fn skip_field(&mut self, key: &'static str) -> Result<(), C::Error> {
                self.0.skip_field(key)
            }
            fn end(self) -> Result<C::Ok, C::Error> {
                self.0.end()
            }
        })*
    };
}

fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row<'a> {
        a: &'a str,
        n: i32,
        x: f64,
        o: Option<&'a str>,
        c: char,
    }

    fn rows(raw: bool) -> String {
        let mut buf = Vec::new();
        let mut csv = Writer::with_raw(&mut buf, raw, false);
        csv.serialize(Row {
            a: "=SUM(A1)",
            n: -5,
            x: -0.25,
            o: Some("-5 beds"),
            c: '@',
        })
        .unwrap();
        csv.write_record(["@x", "-3", "plain", "", "+"]).unwrap();
        csv.flush().unwrap();
        drop(csv);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn rows_get_a_header_and_quoting() {
        let mut buf = Vec::new();
        write_rows(
            &mut buf,
            [Row {
                a: "x, y",
                n: 2,
                x: 1.5,
                o: None,
                c: 'c',
            }],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "a,n,x,o,c\n\"x, y\",2,1.5,,c\n"
        );
    }

    #[test]
    fn excel_csv_has_a_bom_and_crlf_and_capture_neither() {
        let mut buf = Vec::new();
        let mut csv = Writer::with_raw(&mut buf, false, true);
        csv.write_record(["a", "é"]).unwrap();
        csv.write_record(["’", "=1"]).unwrap();
        csv.flush().unwrap();
        drop(csv);
        assert_eq!(buf, "\u{feff}a,é\r\n’,'=1\r\n".as_bytes());
        // A capture keeps cells as they are (the process is not --raw-csv).
        let captured = capture(|w| write_records(w, &["a"], [vec!["=1"]])).unwrap();
        assert_eq!(captured, b"a\n=1\n");
    }

    #[test]
    fn text_cells_are_neutralised_and_numbers_kept() {
        assert_eq!(
            rows(false),
            "a,n,x,o,c\n'=SUM(A1),-5,-0.25,'-5 beds,'@\n'@x,-3,plain,,'+\n"
        );
    }

    #[test]
    fn attribute_columns_never_repeat_a_header() {
        let fixed = ["file", "participant", "code"];
        let (headers, renamed) = attribute_columns(&fixed, ["attr_file", "code", "file", "level"]);
        assert_eq!(
            headers,
            ["attr_file", "attr_code", "attr_attr_file", "level"]
        );
        assert_eq!(
            renamed,
            [
                ("code".to_string(), "attr_code".to_string()),
                ("file".to_string(), "attr_attr_file".to_string())
            ]
        );
        let (headers, renamed) = attribute_columns(&fixed, ["file", "attr_file"]);
        assert_eq!(headers, ["attr_attr_file", "attr_file"]);
        assert_eq!(renamed.len(), 1);
        let (headers, renamed) = attribute_columns(&fixed, ["level", "sector"]);
        assert_eq!(headers, ["level", "sector"]);
        assert!(renamed.is_empty());
    }

    #[test]
    fn raw_writes_cells_as_they_are() {
        assert_eq!(
            rows(true),
            "a,n,x,o,c\n=SUM(A1),-5,-0.25,-5 beds,@\n@x,-3,plain,,+\n"
        );
    }
}
