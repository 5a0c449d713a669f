//! Attribute sheets (`attributes::Sheet::load`), written to a temporary
//! file since the sheet is read from a path, then used as `mint` uses it.

use std::collections::BTreeMap;

use mint::attributes::{Sheet, resolve};
use proptest::prelude::*;

use crate::{config, inputs, within};

/// A CSV cell: words, quotes, separators, line breaks, empty.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => inputs::word(),
        1 => Just(String::new()),
        1 => Just("\"quoted, with \"\"quotes\"\"\"".to_string()),
        1 => Just("\"line\nbreak\"".to_string()),
        1 => Just("\"unclosed".to_string()),
        1 => Just(" file ".to_string()),
        1 => Just("participant".to_string()),
    ]
}

fn sheet() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => (
            proptest::collection::vec(proptest::collection::vec(cell(), 0..5), 0..8),
            prop_oneof![Just(""), Just("\u{feff}")],
            prop_oneof![Just("\n"), Just("\r\n")],
        )
            .prop_map(|(rows, bom, end)| {
                let rows: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
                format!("{bom}{}", rows.join(end)).into_bytes()
            }),
        1 => inputs::bytes(300),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn attribute_sheets(bytes in sheet(), participant in inputs::word()) {
        within(move || {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("attributes.csv");
            std::fs::write(&path, &bytes).unwrap();
            let Ok(sheet) = Sheet::load(&path) else { return };
            for row in &sheet.rows {
                assert!(!row.key.is_empty(), "a row with an empty key was kept");
                assert!(row.line >= 1);
            }
            let front = BTreeMap::from([("participant".to_string(), participant)]);
            let (_, _, used) = resolve(&front, "dir/p1.txt", Some(&sheet));
            assert!(used.iter().all(|&i| i < sheet.rows.len()));
            let _ = sheet.keyed("P1");
        });
    }
}
