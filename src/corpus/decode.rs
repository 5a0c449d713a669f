//! How a file's bytes become text: UTF-8 with or without a BOM, UTF-16
//! with a BOM, and Windows-1252 for anything else, with a note saying so.

/// How a file's bytes became text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    /// Text, with a note when it was not plain UTF-8.
    Text(String, Option<String>),
    /// Not a transcript; the reason.
    Skip(String),
}

/// Like [`decode`], taking the bytes: UTF-8 without a BOM (the usual case)
/// becomes the text without a copy.
pub fn decode_owned(bytes: Vec<u8>) -> Decoded {
    if encoding_rs::Encoding::for_bom(&bytes).is_some() || memchr::memchr(0, &bytes).is_some() {
        return decode(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(text) if !text.is_empty() => Decoded::Text(text, None),
        Ok(_) => decode(b""),
        Err(err) => decode(err.as_bytes()),
    }
}

/// Decodes a transcript's bytes: UTF-8 with or without BOM, UTF-16 with a
/// BOM, and Windows-1252 for anything that is not valid UTF-8.
pub fn decode(bytes: &[u8]) -> Decoded {
    if bytes.is_empty() {
        return Decoded::Skip("empty file".into());
    }
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        let note = (encoding != encoding_rs::UTF_8 || had_errors)
            .then(|| format!("decoded as {}", encoding.name()));
        return Decoded::Text(text.into_owned(), note);
    }
    if memchr::memchr(0, bytes).is_some() {
        return Decoded::Skip("binary file (contains NUL bytes)".into());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded::Text(text.to_string(), None),
        Err(err) => {
            let line = bytes[..err.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Decoded::Text(
                text.into_owned(),
                Some(format!(
                    "not valid UTF-8 (first bad byte on line {line}); read as Windows-1252"
                )),
            )
        }
    }
}
