//! `--write`: appends the candidates to a TOML codebook file as emergent,
//! candidate codes, keeping the file's text as it was, skipping candidates
//! whose patterns a code there already has, and giving a new file a header
//! that says how to use it.
//!
//! Nothing here reads the codebook for coding or proposes candidates.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Context;

use mint::codebook::{CodeField, Codebook};
use mint::exchange::toml_basic_string;

use super::report::Report;
use super::{Args, NEW_THEME};

/// The codebook file `--write` appends to, as it was before.
pub(super) struct Existing {
    /// Its text, if it exists.
    pub(super) text: Option<String>,
    themes: BTreeSet<String>,
    codes: BTreeSet<String>,
    /// Each code's patterns, sorted: a candidate with the same ones is
    /// there already.
    pattern_sets: BTreeSet<Vec<String>>,
}

impl Existing {
    pub(super) fn read(path: &Path) -> anyhow::Result<Existing> {
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            anyhow::bail!(
                "cannot write {}: --write needs a TOML codebook (comments and your text are kept only in TOML)",
                path.display()
            );
        }
        let mut existing = Existing {
            text: None,
            themes: BTreeSet::new(),
            codes: BTreeSet::new(),
            pattern_sets: BTreeSet::new(),
        };
        if !path.exists() {
            return Ok(existing);
        }
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let table: toml::Table = toml::from_str(text.strip_prefix('\u{feff}').unwrap_or(&text))
            .with_context(|| {
                format!("cannot append to {}: it is not valid TOML", path.display())
            })?;
        let items = |key: &str| -> Vec<toml::Table> {
            table
                .get(key)
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_table().cloned()).collect())
                .unwrap_or_default()
        };
        let string =
            |t: &toml::Table, key: &str| t.get(key).and_then(|v| v.as_str()).map(String::from);
        for theme in items("themes") {
            existing.themes.extend(string(&theme, "id"));
        }
        for code in items("codes") {
            existing.codes.extend(string(&code, "id"));
            let mut patterns: Vec<String> = code
                .get("patterns")
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|p| p.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            patterns.sort();
            existing.pattern_sets.insert(patterns);
        }
        existing.text = Some(text);
        Ok(existing)
    }

    /// The file's new text: the old text untouched, then the candidates.
    /// Also returns how many candidates were written.
    pub(super) fn append(
        &self,
        report: &Report,
        codebook: &Codebook,
        args: &Args,
    ) -> anyhow::Result<(String, usize)> {
        let mut text = match &self.text {
            Some(old) => {
                let mut t = old.clone();
                if !t.is_empty() && !t.ends_with('\n') {
                    t.push('\n');
                }
                t
            }
            None => new_file_header(args),
        };
        let inputs: Vec<String> = args
            .corpus
            .paths
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let mut block = String::new();
        let mut taken: BTreeSet<String> = self.codes.clone();
        taken.extend(codebook.codes.iter().map(|c| c.id.clone()));
        let needs_theme = report.rows.iter().any(|r| r.parent.is_none());
        let has_theme =
            self.themes.contains(NEW_THEME) || codebook.themes.iter().any(|t| t.id == NEW_THEME);
        if needs_theme && !has_theme {
            block.push_str(&format!(
                "\n# Added by `mint emerge`: candidates nearest to no existing theme.\n[[themes]]\nid = {}\nlabel = {}\ndescription = {}\n",
                toml_basic_string(NEW_THEME),
                toml_basic_string("Emergent (candidates from mint emerge)"),
                toml_basic_string("Topics participants raised that no theme of the codebook covers. Review, rename or move these codes."),
            ));
        }
        let mut written = 0;
        for row in &report.rows {
            let c = row.candidate;
            let mut sorted = c.patterns.clone();
            sorted.sort();
            if self.pattern_sets.contains(&sorted) {
                continue;
            }
            let mut id = c.id.clone();
            let mut n = 2;
            while taken.contains(&id) {
                id = format!("{}_{n}", c.id);
                n += 1;
            }
            taken.insert(id.clone());
            let theme = row.parent.unwrap_or(NEW_THEME);
            let phrases: Vec<&str> = c.phrases.iter().map(|p| p.text.as_str()).collect();
            block.push_str(&format!(
                "\n# Candidate {} from `mint emerge {}`: {} {}s, {} of {} participants. Nearest theme: {}.\n",
                row.rank,
                inputs.join(" "),
                row.segments,
                args.unit.name(),
                row.participants,
                report.total,
                match row.parent {
                    Some(t) => format!("{t} (coded {:.1} times as often as usual in the same turns)", c.lift),
                    None => "none (new theme)".to_string(),
                }
            ));
            let definition = format!(
                "Proposed by mint emerge from what participants say about: {}. Review, name and define it before relying on it.",
                phrases.join(", ")
            );
            let examples: Vec<&str> = row.exemplars.iter().map(|e| e.quote.as_str()).collect();
            let patterns: Vec<&str> = c.patterns.iter().map(String::as_str).collect();
            // The fields in the codebook's own order (`CodeField::ALL`).
            let fields = [
                (CodeField::Id, toml_basic_string(&id)),
                (CodeField::Theme, toml_basic_string(theme)),
                (CodeField::Label, toml_basic_string(&capitalised(&c.label))),
                (CodeField::Origin, toml_basic_string("emergent")),
                (CodeField::Status, toml_basic_string("candidate")),
                (CodeField::Definition, toml_basic_string(&definition)),
                (CodeField::Examples, toml_array(&examples)),
                (CodeField::Patterns, toml_array(&patterns)),
            ];
            block.push_str("[[codes]]\n");
            for (field, value) in fields {
                block.push_str(&format!("{} = {value}\n", field.name()));
            }
            written += 1;
        }
        text.push_str(&block);
        Ok((text, written))
    }
}

/// The top of a codebook file `--write` creates.
fn new_file_header(args: &Args) -> String {
    let extends: Vec<String> = if args.codebook.codebook.is_empty() {
        vec!["default".to_string()]
    } else {
        args.codebook
            .codebook
            .iter()
            .map(|p| p.display().to_string())
            .collect()
    };
    let file = args
        .write
        .as_ref()
        .map_or(String::new(), |p| p.display().to_string());
    let flags: Vec<String> = extends
        .iter()
        .chain([&file])
        .map(|c| format!("--codebook {c}"))
        .collect();
    format!(
        "# Candidate emergent codes proposed by `mint emerge`.\n\
         #\n\
         # This file extends the codebook they were found against ({}). Use it after it:\n\
         #   mint code TRANSCRIPTS {}\n\
         #\n\
         # Every code here has origin = \"emergent\" and status = \"candidate\". Read its evidence,\n\
         # rename it, write its definition and when to use it, then set status = \"accepted\"\n\
         # (or delete it). Later runs of `mint emerge --write` on this file only append.\n\
         \n\
         [codebook]\n\
         name = \"emergent codes\"\n\
         description = \"Candidate emergent codes proposed by mint emerge.\"\n",
        extends.join(" + "),
        flags.join(" ")
    )
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A TOML array of strings on one line.
fn toml_array(items: &[&str]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|s| toml_basic_string(s))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_values_are_escaped() {
        assert_eq!(
            toml_basic_string("say \"hi\"\n\\"),
            "\"say \\\"hi\\\"\\n\\\\\""
        );
        let parsed: toml::Table =
            toml::from_str(&format!("k = {}", toml_basic_string("a\u{1}\"b\\"))).unwrap();
        assert_eq!(parsed["k"].as_str(), Some("a\u{1}\"b\\"));
        assert_eq!(toml_array(&["a", "b"]), "[\"a\", \"b\"]");
    }
}
