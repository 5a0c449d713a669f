//! The text of a `<Description>` in a `.qdc`: the readable fields of a
//! code ([`Human`]: `Definition: …`, `Examples:` …) and the `[mint]` block
//! of TOML that carries everything a round trip needs, written and read
//! back. Writing the XML around it is in `qdc`.

use crate::codebook::{Code, Origin, Theme};

use super::refi::xml_clean;

pub(super) fn theme_description(theme: &Theme, name: &str) -> String {
    let mut block = Block::default();
    block.string("id", &theme.id);
    if name != theme.label {
        block.string("label", &theme.label);
    }
    let human = xml_clean(&theme.description).0;
    if human != theme.description {
        block.string("description", &theme.description);
    }
    join_description(&human, &block)
}

pub(super) fn code_description(code: &Code, name: &str) -> String {
    let fields = Human::of(code);
    let human = xml_clean(&fields.render()).0.into_owned();
    let exact = Human::parse(&human).0 == fields;
    let mut block = Block::default();
    block.string("id", &code.id);
    if name != code.label {
        block.string("label", &code.label);
    }
    if code.origin != Origin::Predefined {
        block.string("origin", code.origin.as_str());
    }
    if !exact {
        block.string("short_definition", &code.short_definition);
        block.string("definition", &code.definition);
        block.string("when_to_use", &code.when_to_use);
        block.string("when_not_to_use", &code.when_not_to_use);
        block.list("examples", &code.examples);
        block.list("counterexamples", &code.counterexamples);
    }
    block.list("patterns", &code.patterns);
    if !code.exclude.is_empty() {
        block.list("exclude", &code.exclude);
    }
    if let Some(n) = code.min_hits {
        block.integer("min_hits", n);
    }
    if !code.not_after.is_empty() {
        block.list("not_after", &code.not_after);
    }
    if let Some(n) = code.not_after_words {
        block.integer("not_after_words", n);
    }
    join_description(&human, &block)
}

pub(super) fn join_description(human: &str, block: &Block) -> String {
    let block = block.lines.join("\n");
    if human.is_empty() {
        format!("[mint]\n{block}")
    } else {
        format!("{human}\n\n[mint]\n{block}")
    }
}

/// The `[mint]` block: one `key = value` per line, every string on one line
/// (escaped), so no line of it can be mistaken for anything else.
#[derive(Default)]
pub(super) struct Block {
    pub(super) lines: Vec<String>,
}

impl Block {
    pub(super) fn string(&mut self, key: &str, value: &str) {
        self.lines.push(format!("{key} = {}", toml_string(value)));
    }

    pub(super) fn list(&mut self, key: &str, values: &[String]) {
        let items: Vec<String> = values.iter().map(|v| toml_string(v)).collect();
        self.lines.push(format!("{key} = [{}]", items.join(", ")));
    }

    pub(super) fn integer(&mut self, key: &str, value: u32) {
        self.lines.push(format!("{key} = {value}"));
    }
}

/// A one-line TOML string: a literal `'…'` when that saves escapes (regex
/// patterns), a basic `"…"` string otherwise.
pub(super) fn toml_string(value: &str) -> String {
    let literal_ok =
        !value.contains('\'') && !value.chars().any(|c| c != '\t' && needs_toml_escape(c));
    if literal_ok && (value.contains('"') || value.contains('\\')) {
        return format!("'{value}'");
    }
    toml_basic_string(value)
}

/// Characters a TOML string must escape.
pub(super) fn needs_toml_escape(c: char) -> bool {
    c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}'
}

/// A TOML basic string (`"…"`) on one line, escaped as TOML requires.
pub fn toml_basic_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_toml_escape(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The definition fields of a code, as the readable part of a description.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Human {
    pub(super) short_definition: String,
    pub(super) definition: String,
    pub(super) when_to_use: String,
    pub(super) when_not_to_use: String,
    pub(super) examples: Vec<String>,
    pub(super) counterexamples: Vec<String>,
}

/// Labels of the one-line fields, in the order they are written.
pub(super) const SCALAR_LABELS: [&str; 4] = [
    "Short definition:",
    "Definition:",
    "When to use:",
    "When not to use:",
];
/// Labels of the list fields, each alone on its line.
pub(super) const LIST_LABELS: [&str; 2] = ["Examples:", "Counterexamples:"];

impl Human {
    pub(super) fn of(code: &Code) -> Human {
        Human {
            short_definition: code.short_definition.clone(),
            definition: code.definition.clone(),
            when_to_use: code.when_to_use.clone(),
            when_not_to_use: code.when_not_to_use.clone(),
            examples: code.examples.clone(),
            counterexamples: code.counterexamples.clone(),
        }
    }

    pub(super) fn scalars(&mut self) -> [&mut String; 4] {
        [
            &mut self.short_definition,
            &mut self.definition,
            &mut self.when_to_use,
            &mut self.when_not_to_use,
        ]
    }

    pub(super) fn render(&self) -> String {
        let mut lines = Vec::new();
        let scalars = [
            &self.short_definition,
            &self.definition,
            &self.when_to_use,
            &self.when_not_to_use,
        ];
        for (label, value) in SCALAR_LABELS.iter().zip(scalars) {
            if !value.is_empty() {
                lines.push(format!("{label} {value}"));
            }
        }
        for (label, items) in LIST_LABELS
            .iter()
            .zip([&self.examples, &self.counterexamples])
        {
            if !items.is_empty() {
                lines.push(label.to_string());
                lines.extend(items.iter().map(|i| format!("- {i}")));
            }
        }
        lines.join("\n")
    }

    /// Reads the labelled fields back; also returns any text before the
    /// first label.
    pub(super) fn parse(text: &str) -> (Human, String) {
        enum Current {
            Preamble,
            Scalar(usize),
            List(usize),
        }
        let mut scalars: [Vec<&str>; 4] = Default::default();
        let mut lists: [Vec<String>; 2] = Default::default();
        let mut preamble: Vec<&str> = Vec::new();
        let mut current = Current::Preamble;
        for line in text.split('\n') {
            if let Some((i, rest)) = SCALAR_LABELS
                .iter()
                .enumerate()
                .find_map(|(i, l)| line.strip_prefix(l).map(|rest| (i, rest)))
            {
                scalars[i] = vec![rest.strip_prefix(' ').unwrap_or(rest)];
                current = Current::Scalar(i);
                continue;
            }
            if let Some(i) = LIST_LABELS.iter().position(|l| line.trim_end() == *l) {
                lists[i].clear();
                current = Current::List(i);
                continue;
            }
            match current {
                Current::Preamble => preamble.push(line),
                Current::Scalar(i) => scalars[i].push(line),
                Current::List(i) => match (line.strip_prefix("- "), lists[i].last_mut()) {
                    (Some(item), _) => lists[i].push(item.to_string()),
                    (None, Some(last)) => {
                        last.push('\n');
                        last.push_str(line);
                    }
                    (None, None) if line.trim().is_empty() => {}
                    (None, None) => lists[i].push(line.trim_start_matches('-').to_string()),
                },
            }
        }
        let mut human = Human::default();
        for (field, lines) in human.scalars().into_iter().zip(&scalars) {
            *field = lines.join("\n").trim_end().to_string();
        }
        let [examples, counterexamples] = lists;
        let tidy = |items: Vec<String>| -> Vec<String> {
            items
                .into_iter()
                .map(|i| i.trim_end().to_string())
                .collect()
        };
        human.examples = tidy(examples);
        human.counterexamples = tidy(counterexamples);
        (human, preamble.join("\n").trim().to_string())
    }
}

/// Splits a description at its `[mint]` block: the last line `[mint]` that
/// starts the text or follows a blank line.
pub(super) fn split_block(description: &str) -> Option<(&str, &str)> {
    let start = description
        .match_indices("[mint]")
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || description[..i].ends_with("\n\n"))
        .filter(|&i| {
            let rest = &description[i + "[mint]".len()..];
            rest.is_empty() || rest.starts_with('\n') || rest.starts_with("\r\n")
        })
        .last()?;
    let human = if start == 0 {
        ""
    } else {
        &description[..start - 2]
    };
    let block = &description[start + "[mint]".len()..];
    Some((human, block))
}

/// Splits a description into its readable part and its `[mint]` block.
pub(super) fn read_description(
    description: &str,
    name: &str,
    bad: &mut Vec<String>,
) -> (String, Option<toml::Table>) {
    let Some((human, block)) = split_block(description) else {
        return (description.to_string(), None);
    };
    match block.parse::<toml::Table>() {
        Ok(table) => (human.to_string(), Some(table)),
        Err(err) => {
            bad.push(format!(
                "{name:?}: its [mint] block is not valid TOML ({}); the whole description was read as its definition",
                err.message().trim_end()
            ));
            (description.to_string(), None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mint_block_is_found_after_the_last_blank_line() {
        let (human, block) = split_block("a\n\n[mint]\nb\n\n[mint]\nid = \"x\"").unwrap();
        assert_eq!(human, "a\n\n[mint]\nb");
        assert_eq!(block, "\nid = \"x\"");
        assert!(split_block("no block [mint] here").is_none());
    }

    #[test]
    fn toml_strings_stay_on_one_line_and_parse_back() {
        for s in [
            "plain",
            "a\"b",
            "re:\\bx",
            "it's \"x\" \\",
            "tab\tnl\n\u{1}\u{FFFE}",
        ] {
            let line = format!("k = {}", toml_string(s));
            assert!(!line.contains('\n'));
            let t: toml::Table = line.parse().unwrap();
            assert_eq!(t["k"].as_str(), Some(s), "{line}");
        }
    }

    #[test]
    fn human_fields_parse_leniently() {
        let (h, pre) = Human::parse(
            "Note first\nDefinition:x\ny\nWhen to use: z\nExamples:\n- one\n  more\n- two\n",
        );
        assert_eq!(pre, "Note first");
        assert_eq!(h.definition, "x\ny");
        assert_eq!(h.when_to_use, "z");
        assert_eq!(h.examples, ["one\n  more", "two"]);
    }
}
