//! REFI-QDA projects among a pipeline's inputs: each text source of a
//! `.qdpx` becomes a source of its own, read from the project, with its
//! case's variables over its front matter.

use std::collections::HashMap;

use super::Event;
use crate::attributes::Attributes;
use crate::corpus::Transcript;
use crate::discover::{Found, Source};
use crate::error::CorpusError;
use crate::formats::{Format, Outcome, ReadOptions};

/// The text sources of the REFI-QDA projects among the inputs, by the name
/// of their [`Source`]: their text and their case's variables.
pub(super) type Members = HashMap<String, (String, Attributes)>;

/// Replaces each project (`.qdpx`) among the inputs by one source per text
/// source in it, named by the source's name in the project (made unique),
/// or by an error when it cannot be read. The project's warnings come as
/// warnings of the project file, to hand on before the files.
pub(super) fn project_members(found: Vec<Found>) -> (Vec<Found>, Members, Vec<Event>) {
    let mut out = Vec::with_capacity(found.len());
    let mut members = Members::new();
    let mut warnings = Vec::new();
    for f in found {
        let Found::Source(source) = &f else {
            out.push(f);
            continue;
        };
        if source.format != Format::Qdpx {
            out.push(f);
            continue;
        }
        let read = std::fs::read(&source.path)
            .map_err(|e| e.to_string())
            .and_then(|b| crate::exchange::read_project(&b).map_err(|e| with_causes(&e)));
        let project = match read {
            Ok(project) => project,
            Err(message) => {
                let (path, source) = (source.path.clone(), std::io::Error::other(message));
                out.push(Found::Error(CorpusError::Io { path, source }));
                continue;
            }
        };
        warnings.extend(project.warnings.iter().map(|message| Event::Warning {
            path: source.path.clone(),
            line: None,
            message: message.clone(),
        }));
        for (text, name) in project.sources.iter().zip(project.transcript_names()) {
            let attrs = project.attributes_of(&text.guid);
            members.insert(name.clone(), (text.text.clone(), attrs));
            out.push(Found::Source(Source {
                path: source.path.clone(),
                name,
                format: Format::Qdpx,
            }));
        }
    }
    (out, members, warnings)
}

/// An error's message followed by its causes', `: `-separated.
fn with_causes(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut cause = err.source();
    while let Some(c) = cause {
        message.push_str(&format!(": {c}"));
        cause = c.source();
    }
    message
}

/// Parses a project's text source as a transcript, its case's variables
/// over its front matter, and runs `work` on it.
pub(super) fn read_member<T>(
    source: &Source,
    members: &Members,
    options: &ReadOptions,
    work: &impl Fn(&Transcript) -> T,
) -> (Outcome, Option<T>) {
    let Some((text, attrs)) = members.get(&source.name) else {
        return (Outcome::Skip("not in its project".into()), None);
    };
    if text.trim().is_empty() {
        return (Outcome::Skip("empty file".into()), None);
    }
    match Transcript::parse(&source.name, text.clone(), &options.parse) {
        Ok(mut transcript) => {
            transcript.front_matter.extend(attrs.clone());
            let result = work(&transcript);
            (Outcome::Read(Box::new(transcript), None), Some(result))
        }
        Err(err) => (Outcome::Fail(err), None),
    }
}
