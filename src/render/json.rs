//! The one JSON writer: a pretty-printed document, ended by a newline, whose
//! first key is `schema_version` (hyperfine's versioned export). Each
//! command documents its body in rustdoc beside the type it serializes.

use std::io::Write;

use serde::Serialize;

/// The document: `schema_version`, then the body's own keys.
#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    schema_version: u32,
    #[serde(flatten)]
    body: &'a T,
}

/// Writes `body` under the envelope, pretty-printed, with a final newline.
pub fn write<T: Serialize>(w: &mut dyn Write, schema_version: u32, body: &T) -> anyhow::Result<()> {
    let doc = Envelope {
        schema_version,
        body,
    };
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    writeln!(w)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_version_comes_first_and_the_document_ends_with_a_newline() {
        #[derive(Serialize)]
        struct Body {
            rows: Vec<u32>,
        }
        let mut buf = Vec::new();
        write(&mut buf, 3, &Body { rows: vec![1] }).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert_eq!(
            text,
            "{\n  \"schema_version\": 3,\n  \"rows\": [\n    1\n  ]\n}\n"
        );
    }
}
