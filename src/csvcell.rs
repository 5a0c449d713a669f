//! CSV cells a spreadsheet will not run as a formula.
//!
//! Excel and LibreOffice treat a cell that starts with `=`, `+`, `-` or `@`
//! (and, in some versions, a tab or a carriage return before one of those)
//! as a formula, so a transcript line such as `=HYPERLINK(...)` or
//! `-5 beds` in a CSV that mint wrote would be run or mangled when the file
//! is opened. [`neutralise`] prefixes such a cell with a single quote, as
//! OWASP recommends for CSV injection; a spreadsheet then shows it as text.
//! A cell that is only a number (`-0.25`, `+3`, `1e-5`) is left alone: a
//! spreadsheet reads it as that number, never as a formula, and mint writes
//! negative statistics that must stay numbers.
//!
//! [`escape`] and [`unescape`] are the reversible form, for a CSV mint reads
//! back (the codebook sheet): a cell that already starts with a quote gets
//! one more, so `unescape(escape(x)) == x` for every `x`.

use std::borrow::Cow;

/// Whether a cell starting with `first` would be read as a formula.
fn is_trigger(first: u8) -> bool {
    matches!(first, b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
}

/// Whether `cell` is a plain decimal number: an optional sign, digits with
/// an optional fraction, and an optional exponent.
fn is_number(cell: &str) -> bool {
    let s = cell.as_bytes();
    let mut i = usize::from(matches!(s.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while s.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let mut n = digits(&mut i);
    if s.get(i) == Some(&b'.') {
        i += 1;
        n += digits(&mut i);
    }
    if n == 0 {
        return false;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        i += usize::from(matches!(s.get(i), Some(b'+' | b'-')));
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == s.len()
}

/// Whether a spreadsheet could take `cell` for a formula.
pub fn is_formula_like(cell: &str) -> bool {
    cell.as_bytes().first().is_some_and(|&b| is_trigger(b)) && !is_number(cell)
}

/// `cell` with a leading single quote when a spreadsheet could take it for
/// a formula; otherwise `cell` as it is.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if is_formula_like(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Like [`neutralise`], and a cell that starts with a single quote gets one
/// more, so that [`unescape`] gives back exactly `cell`.
pub fn escape(cell: &str) -> Cow<'_, str> {
    if cell.starts_with('\'') {
        Cow::Owned(format!("'{cell}"))
    } else {
        neutralise(cell)
    }
}

/// The inverse of [`escape`]: drops the quote it added, that is a leading
/// single quote followed by another or by a formula character. Any other
/// cell is returned as it is.
pub fn unescape(cell: &str) -> &str {
    match cell.as_bytes() {
        [b'\'', next, ..] if *next == b'\'' || is_trigger(*next) => &cell[1..],
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_a_quote() {
        assert_eq!(neutralise("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(
            neutralise("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(neutralise("-5 beds"), "'-5 beds");
        assert_eq!(neutralise("+44 20 7946 0000"), "'+44 20 7946 0000");
        assert_eq!(neutralise("@x"), "'@x");
        assert_eq!(neutralise("\t=1+1"), "'\t=1+1");
        assert_eq!(neutralise("\rcmd"), "'\rcmd");
        assert_eq!(neutralise("-"), "'-");
        assert_eq!(neutralise("-2+3"), "'-2+3");
        assert_eq!(neutralise("-inf"), "'-inf");
    }

    #[test]
    fn other_cells_and_numbers_are_kept() {
        for cell in [
            "plain", "", "a=b", " =1", "'quoted", "3", "-5", "+44", "-0.25", "-.5", "1e-5",
            "-1.5E+3", "–", "12%",
        ] {
            assert_eq!(neutralise(cell), cell, "{cell:?}");
            assert!(matches!(neutralise(cell), Cow::Borrowed(_)));
        }
    }

    #[test]
    fn not_numbers() {
        for cell in [
            "-", "+", "-.", "-e5", "-5e", "-5e+", "-5 ", "--5", "-0x10", "-1,000",
        ] {
            assert!(!is_number(cell), "{cell:?}");
        }
    }

    #[test]
    fn escape_round_trips() {
        for cell in [
            "plain", "", "=x", "'=x", "''=x", "'", "''", "'hello", "-5 beds", "-5", "@", "\t",
        ] {
            assert_eq!(unescape(&escape(cell)), cell, "{cell:?}");
        }
        assert_eq!(escape("'hello"), "''hello");
        assert_eq!(escape("=x"), "'=x");
        assert_eq!(unescape("'plain"), "'plain");
    }
}
