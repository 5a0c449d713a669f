//! Tallies from Python: codings rows counted per participant as `mint code`
//! counts segments ([`mint::coding::SegmentCounter`]), merged across
//! partitions the way `mint merge` merges shards (participants are unions,
//! their references add up), and written as the table `mint code --format
//! csv` prints (`render::matrix::write_matrix_csv`, the CLI's writer).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use anyhow::Context;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde::{Deserialize, Serialize};

use mint::attributes::{Attributes, PARTICIPANT};
use mint::codebook::Codebook;
use mint::coding::{Counts, SegmentCounter};
use mint::matcher::Matcher;
use mint::tally::{self, Tally};

use crate::PyCodebook;
use crate::errors::{MintError, UsageError, raise};
use crate::render::matrix::{Suppress, write_matrix_csv};

/// Per-participant counts of a codebook's codes and themes, with the
/// participants' attributes: a partial tally of one partition, or the
/// whole.
#[pyclass(name = "Tally", module = "mint._mint", frozen)]
pub struct PyTally {
    codebook: Arc<Codebook>,
    matcher: Arc<Matcher>,
    tally: Tally,
    attributes: BTreeMap<String, Attributes>,
}

/// What a tally pickles to (besides its codebook): a survey's tally has a
/// participant per respondent, most coded with a code or two, so counts are
/// kept sparse, `[segments, coded segments, [[code, n]...], [[theme, n]...]]`.
#[derive(Serialize, Deserialize)]
struct State {
    participants: BTreeMap<String, Sparse>,
    attributes: BTreeMap<String, Attributes>,
}

type Sparse = (u64, u64, Vec<(usize, u64)>, Vec<(usize, u64)>);

fn sparse(counts: &Counts) -> Sparse {
    let nonzero = |v: &[u64]| {
        v.iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| (i, *n))
            .collect()
    };
    (
        counts.segments,
        counts.coded_segments,
        nonzero(&counts.code_refs),
        nonzero(&counts.theme_refs),
    )
}

fn dense(sparse: Sparse, matcher: &Matcher) -> Counts {
    let mut counts = Counts::sized(matcher);
    counts.segments = sparse.0;
    counts.coded_segments = sparse.1;
    for (i, n) in sparse.2 {
        if let Some(slot) = counts.code_refs.get_mut(i) {
            *slot = n;
        }
    }
    for (i, n) in sparse.3 {
        if let Some(slot) = counts.theme_refs.get_mut(i) {
            *slot = n;
        }
    }
    counts
}

#[pymethods]
impl PyTally {
    /// Counts codings rows, given as factorised columns: row i is a coding
    /// of the code `code_names[code_of[i]]` in the segment
    /// (`files[file_of[i]]`, `ids[id_of[i]]`, `segments[i]`). The index
    /// columns are little-endian i64 bytes (numpy's `<i8`), so no string
    /// crosses per row. `attributes` gives every participant (coded or
    /// not) and their attributes.
    #[staticmethod]
    #[pyo3(signature = (codebook, ids, id_of, segments, code_names, code_of, files=None, file_of=None, attributes=BTreeMap::new()))]
    #[allow(clippy::too_many_arguments)]
    fn from_codes(
        py: Python<'_>,
        codebook: &PyCodebook,
        ids: Vec<String>,
        id_of: &[u8],
        segments: &[u8],
        code_names: Vec<String>,
        code_of: &[u8],
        files: Option<Vec<String>>,
        file_of: Option<&[u8]>,
        attributes: BTreeMap<String, Attributes>,
    ) -> PyResult<PyTally> {
        let book = &codebook.codebook;
        let index: HashMap<&str, usize> = book
            .codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let mut code_index = Vec::with_capacity(code_names.len());
        for code in &code_names {
            match index.get(code.as_str()) {
                Some(i) => code_index.push(*i),
                None => {
                    return Err(UsageError::new_err(format!(
                        "codings: unknown code {code:?} (not in the codebook {:?})",
                        book.codebook.name
                    )));
                }
            }
        }
        let id_of = indexes("id", id_of, ids.len())?;
        let code_of = indexes("code", code_of, code_names.len())?;
        let segments = int64s("segment", segments)?;
        let no_file = [String::new()];
        let (files, file_of) = match (&files, file_of) {
            (Some(files), Some(of)) => (&files[..], indexes("file", of, files.len())?),
            _ => (&no_file[..], vec![0; code_of.len()]),
        };
        if [id_of.len(), segments.len(), file_of.len()]
            .iter()
            .any(|n| *n != code_of.len())
        {
            return Err(UsageError::new_err(
                "codings: the id, segment, code and file columns differ in length",
            ));
        }
        let matcher = codebook.matcher.clone();
        let tally = py.detach(|| {
            let mut segments_of: BTreeMap<(&str, &str, i64), Vec<usize>> = BTreeMap::new();
            for i in 0..code_of.len() {
                segments_of
                    .entry((
                        files[file_of[i]].as_str(),
                        ids[id_of[i]].as_str(),
                        segments[i],
                    ))
                    .or_default()
                    .push(code_index[code_of[i]]);
            }
            let mut tally = Tally::default();
            let mut counter = SegmentCounter::new(&matcher);
            for ((_, id, _), codes) in &segments_of {
                if !tally.participants.contains_key(*id) {
                    tally
                        .participants
                        .insert(id.to_string(), Counts::sized(&matcher));
                }
                if let Some(counts) = tally.participants.get_mut(*id) {
                    counter.count(counts, &matcher, codes);
                }
            }
            tally
        });
        let mut attributes = attributes;
        for id in tally.participants.keys() {
            attributes.entry(id.clone()).or_default();
        }
        for (id, attrs) in &mut attributes {
            attrs
                .entry(PARTICIPANT.to_string())
                .or_insert_with(|| id.clone());
        }
        Ok(PyTally {
            codebook: codebook.codebook.clone(),
            matcher: codebook.matcher.clone(),
            tally,
            attributes,
        })
    }

    /// This tally merged with `others`, as `mint merge` merges shards: a
    /// participant in two is one, with the references of both; the first
    /// attributes seen are kept (a difference is returned as a warning).
    fn merge(&self, others: Vec<PyRef<'_, PyTally>>) -> PyResult<(PyTally, Vec<String>)> {
        let mut merged = PyTally {
            codebook: self.codebook.clone(),
            matcher: self.matcher.clone(),
            tally: self.tally.clone(),
            attributes: self.attributes.clone(),
        };
        let mut warnings = Vec::new();
        for other in &others {
            if !same_codebook(&self.codebook, &other.codebook) {
                return Err(MintError::new_err(format!(
                    "tallies coded with different codebooks ({} {} and {} {}); only tallies of one codebook merge",
                    self.codebook.codebook.name,
                    self.codebook.codebook.version,
                    other.codebook.codebook.name,
                    other.codebook.codebook.version
                )));
            }
            for (id, counts) in &other.tally.participants {
                merged.tally.add(id, counts);
            }
            for (id, attrs) in &other.attributes {
                match merged.attributes.get(id) {
                    Some(known) if known != attrs => warnings.push(format!(
                        "participant {id:?} has different attributes in another tally; the first tally's are used"
                    )),
                    Some(_) => {}
                    None => {
                        merged.attributes.insert(id.clone(), attrs.clone());
                    }
                }
            }
        }
        Ok((merged, warnings))
    }

    /// The table `mint code --by BY --format csv` prints (with `long`,
    /// `--long`), as CSV bytes, and the warnings it prints (participants
    /// without a breakdown attribute). `by` None: the default breakdown.
    #[pyo3(signature = (by=None, long=false))]
    fn table<'py>(
        &self,
        py: Python<'py>,
        by: Option<Vec<String>>,
        long: bool,
    ) -> PyResult<(Bound<'py, PyBytes>, Vec<String>)> {
        let raw = match by {
            None => Vec::new(),
            // `--by ''`: no breakdown.
            Some(by) if by.is_empty() => vec![String::new()],
            Some(by) => by,
        };
        let breakdown = mint::groups::breakdown(&raw, &self.attributes)
            .context("--by")
            .map_err(raise)?;
        let matrix = tally::matrix(&self.tally, &self.attributes, &breakdown.by, &self.codebook);
        let mut csv = Vec::new();
        write_matrix_csv(&mut csv, &matrix, long, Suppress(0)).map_err(raise)?;
        let warnings = breakdown.missing.iter().map(|m| m.to_string()).collect();
        Ok((PyBytes::new(py, &csv), warnings))
    }

    /// The participants' ids, in order.
    #[getter]
    fn participants(&self) -> Vec<String> {
        self.attributes.keys().cloned().collect()
    }

    /// The codebook counted with.
    #[getter]
    fn codebook(&self) -> PyCodebook {
        PyCodebook {
            codebook: self.codebook.clone(),
            matcher: self.matcher.clone(),
        }
    }

    /// The counts and attributes as JSON, for pickling (with the codebook).
    fn state_json(&self) -> PyResult<String> {
        let state = State {
            participants: self
                .tally
                .participants
                .iter()
                .map(|(id, c)| (id.clone(), sparse(c)))
                .collect(),
            attributes: self.attributes.clone(),
        };
        serde_json::to_string(&state).map_err(|e| MintError::new_err(e.to_string()))
    }

    /// One tally from the states ([`PyTally::state_json`]) of many, merged
    /// as [`PyTally::merge`] merges them, in one pass without the GIL: what
    /// a cluster's client does with its partitions' tallies, without
    /// building (and copying) a tally per partition first.
    #[staticmethod]
    fn merge_states(
        py: Python<'_>,
        codebook: &PyCodebook,
        states: Vec<String>,
    ) -> PyResult<(PyTally, Vec<String>)> {
        let matcher = codebook.matcher.clone();
        let merged = py.detach(|| -> Result<_, serde_json::Error> {
            let mut tally = Tally::default();
            let mut attributes: BTreeMap<String, Attributes> = BTreeMap::new();
            let mut warnings = Vec::new();
            for state in &states {
                let state: State = serde_json::from_str(state)?;
                for (id, (segments, coded, codes, themes)) in state.participants {
                    let counts = tally
                        .participants
                        .entry(id)
                        .or_insert_with(|| Counts::sized(&matcher));
                    counts.segments += segments;
                    counts.coded_segments += coded;
                    for (i, n) in codes {
                        if let Some(slot) = counts.code_refs.get_mut(i) {
                            *slot += n;
                        }
                    }
                    for (i, n) in themes {
                        if let Some(slot) = counts.theme_refs.get_mut(i) {
                            *slot += n;
                        }
                    }
                }
                for (id, attrs) in state.attributes {
                    match attributes.get(&id) {
                        Some(known) if *known != attrs => warnings.push(format!(
                            "participant {id:?} has different attributes in another tally; the first tally's are used"
                        )),
                        Some(_) => {}
                        None => {
                            attributes.insert(id, attrs);
                        }
                    }
                }
            }
            Ok((tally, attributes, warnings))
        });
        let (tally, attributes, warnings) =
            merged.map_err(|e| MintError::new_err(e.to_string()))?;
        Ok((
            PyTally {
                codebook: codebook.codebook.clone(),
                matcher: codebook.matcher.clone(),
                tally,
                attributes,
            },
            warnings,
        ))
    }

    /// A tally from [`PyTally::state_json`] and its codebook.
    #[staticmethod]
    fn from_state_json(codebook: &PyCodebook, state: &str) -> PyResult<PyTally> {
        let state: State =
            serde_json::from_str(state).map_err(|e| MintError::new_err(e.to_string()))?;
        Ok(PyTally {
            codebook: codebook.codebook.clone(),
            matcher: codebook.matcher.clone(),
            tally: Tally {
                participants: state
                    .participants
                    .into_iter()
                    .map(|(id, s)| (id, dense(s, &codebook.matcher)))
                    .collect(),
            },
            attributes: state.attributes,
        })
    }
}

/// Whether two codebooks have the same name, version, themes and codes:
/// what `mint merge` asks of its shards.
fn same_codebook(a: &Codebook, b: &Codebook) -> bool {
    let themes = |c: &Codebook| {
        c.themes
            .iter()
            .map(|t| (t.id.clone(), t.label.clone()))
            .collect::<Vec<_>>()
    };
    let codes = |c: &Codebook| {
        c.codes
            .iter()
            .map(|k| {
                (
                    k.id.clone(),
                    k.theme.clone(),
                    k.label.clone(),
                    k.parent.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    a.codebook.name == b.codebook.name
        && a.codebook.version == b.codebook.version
        && themes(a) == themes(b)
        && codes(a) == codes(b)
}

/// Little-endian i64 values from `bytes` (numpy's `<i8` buffer).
fn int64s(column: &str, bytes: &[u8]) -> PyResult<Vec<i64>> {
    if !bytes.len().is_multiple_of(8) {
        return Err(UsageError::new_err(format!(
            "codings: the {column} column is not 64-bit integers"
        )));
    }
    Ok(bytes
        .chunks_exact(8)
        .map(|b| i64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
        .collect())
}

/// Indexes into a list of `n` values, from `bytes` as [`int64s`]; a
/// missing value (-1, pandas' code for one) or one out of range is an error.
fn indexes(column: &str, bytes: &[u8], n: usize) -> PyResult<Vec<usize>> {
    int64s(column, bytes)?
        .into_iter()
        .map(|i| {
            usize::try_from(i).ok().filter(|i| *i < n).ok_or_else(|| {
                UsageError::new_err(format!("codings: a row has no {column} (a missing value)"))
            })
        })
        .collect()
}
