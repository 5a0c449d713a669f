//! The Markdown format: [`write_markdown`], a readable codebook for
//! appendices, with its escaping of text and code spans. Write-only.

use std::io::Write;

use super::plural;
use super::refi::element_name;
use super::tree::{flatten, tree};
use crate::codebook::{Code, Codebook, Origin};
use crate::error::ExchangeError;

/// Writes a readable Markdown codebook for appendices: `##` per theme, `###`
/// per code (deeper for sub-codes), definitions, and patterns in backticks.
pub fn write_markdown(book: &Codebook, mut w: impl Write) -> Result<(), ExchangeError> {
    let themes = tree(book)?;
    let meta = &book.codebook;
    let title = if meta.name.is_empty() {
        "Codebook"
    } else {
        &meta.name
    };
    writeln!(w, "# {}", md_text(title))?;
    if !meta.description.is_empty() {
        writeln!(w, "\n{}", md_text(&meta.description))?;
    }
    if !meta.version.is_empty() {
        writeln!(w, "\nVersion: {}", md_text(&meta.version))?;
    }
    let n = book.codes.len();
    writeln!(
        w,
        "\n{} theme{}, {n} code{}.",
        themes.len(),
        plural(themes.len()),
        plural(n)
    )?;
    for t in &themes {
        let theme = t.theme;
        writeln!(
            w,
            "\n## {} ({})",
            md_text(element_name(&theme.label, &theme.id).as_str()),
            md_code(&theme.id)
        )?;
        if !theme.description.is_empty() {
            writeln!(w, "\n{}", md_text(&theme.description))?;
        }
        let mut codes = Vec::new();
        flatten(&t.codes, 0, &mut codes);
        for (depth, code) in codes {
            write_markdown_code(&mut w, book, depth, code)?;
        }
    }
    Ok(())
}

pub(super) fn write_markdown_code(
    w: &mut impl Write,
    book: &Codebook,
    depth: usize,
    code: &Code,
) -> Result<(), ExchangeError> {
    let hashes = "#".repeat((3 + depth).min(6));
    let name = element_name(&code.label, &code.id);
    writeln!(w, "\n{hashes} {} ({})", md_text(&name), md_code(&code.id))?;
    let mut facts = Vec::new();
    if let Some(parent) = &code.parent {
        let label = book
            .codes
            .iter()
            .find(|c| &c.id == parent)
            .map_or(parent.as_str(), |c| c.label.as_str());
        facts.push(format!(
            "Sub-code of {} ({}).",
            md_text(label),
            md_code(parent)
        ));
    }
    if code.origin == Origin::Emergent {
        facts.push("Emergent (found in the data).".to_string());
    }
    if !facts.is_empty() {
        writeln!(w, "\n{}", facts.join(" "))?;
    }
    if !code.short_definition.is_empty() {
        writeln!(w, "\n*{}*", md_text(&code.short_definition))?;
    }
    for (label, value) in [
        ("Definition", &code.definition),
        ("When to use", &code.when_to_use),
        ("When not to use", &code.when_not_to_use),
    ] {
        if !value.is_empty() {
            writeln!(w, "\n**{label}:** {}", md_text(value))?;
        }
    }
    for (label, items) in [
        ("Examples", &code.examples),
        ("Counterexamples", &code.counterexamples),
    ] {
        if !items.is_empty() {
            writeln!(w, "\n**{label}:**\n")?;
            for item in items {
                writeln!(w, "- {}", md_text(item))?;
            }
        }
    }
    let spans = |items: &[String]| items.iter().map(|p| md_code(p)).collect::<Vec<_>>();
    writeln!(w, "\n**Patterns:** {}", spans(&code.patterns).join(", "))?;
    if !code.exclude.is_empty() {
        writeln!(w, "\n**Exclude:** {}", spans(&code.exclude).join(", "))?;
    }
    if let Some(n) = code.min_hits {
        writeln!(w, "\n**Min hits:** {n} matches in a segment.")?;
    }
    if !code.not_after.is_empty() {
        writeln!(
            w,
            "\n**Not after:** {} (within {} words).",
            spans(&code.not_after).join(", "),
            code.not_after_words.unwrap_or(3)
        )?;
    }
    Ok(())
}

/// Text with Markdown's special characters escaped, line breaks kept.
pub(super) fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let entity_like = || {
            let rest = &text[i + 1..];
            let name_len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
                .unwrap_or(rest.len());
            name_len > 0 && rest[name_len..].starts_with(';')
        };
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '&' if entity_like() => out.push_str("\\&"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A Markdown code span that holds any text (backticks included).
pub(super) fn md_code(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || longest > 0 {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", text.replace('\n', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_text_and_fences_patterns() {
        assert_eq!(md_text("a*b <c> &amp; & d"), "a\\*b \\<c\\> \\&amp; & d");
        assert_eq!(md_code("a`b"), "`` a`b ``");
        assert_eq!(md_code("plain"), "`plain`");
    }
}
