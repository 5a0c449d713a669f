//! mint's Python extension, `mint._mint`: the mint library behind a few
//! functions and classes that the `mint` package (`python/mint/`) wraps in
//! pandas. Nothing is implemented twice: a text is coded by
//! `mint::coding::code_with` (each as a survey row is read,
//! `mint::corpus::Transcript::response`), a folder is read by
//! `mint::pipeline`, codings are counted by `mint::coding::SegmentCounter`
//! and tabulated by `mint::tally`, and the table is written by the CLI's
//! own CSV writer.
//!
//! The binary's modules (`cli`, `cmd`, `args`, `render`) are compiled in
//! from `src/` with `#[path]`, as they are into the binary, so that
//! [`run_cli`] is the `mint` command itself: the package's console script
//! calls it, and a `pip install` gives the same CLI as `cargo install`.
//!
//! The GIL is released while coding; errors become `mint.MintError`
//! subclasses carrying the message the CLI prints after `mint: `.

#[path = "../../src/args/mod.rs"]
mod args;
#[path = "../../src/cli.rs"]
mod cli;
#[path = "../../src/cmd/mod.rs"]
mod cmd;
#[path = "../../src/render/mod.rs"]
mod render;

mod coding;
mod errors;
mod tally;

use std::cell::RefCell;
use std::io::Write;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use anyhow::Context;
use pyo3::prelude::*;

use mint::codebook::Codebook;
use mint::matcher::Matcher;

use crate::errors::{CodebookError, CorpusError, MintError, UsageError, raise};

/// As the binary: coding allocates many short-lived buffers on all threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A codebook, compiled once for coding.
#[pyclass(name = "Codebook", module = "mint._mint", frozen)]
pub struct PyCodebook {
    pub codebook: Arc<Codebook>,
    pub matcher: Arc<Matcher>,
}

impl PyCodebook {
    fn new(codebook: Codebook) -> PyResult<PyCodebook> {
        let matcher = Matcher::new(&codebook)
            .context("failed to compile the codebook")
            .map_err(raise)?;
        Ok(PyCodebook {
            codebook: Arc::new(codebook),
            matcher: Arc::new(matcher),
        })
    }
}

#[pymethods]
impl PyCodebook {
    /// Loads codebook files as `--codebook` does: the first, extended by
    /// each next one (`default` names the embedded codebook).
    #[staticmethod]
    fn load(paths: Vec<PathBuf>) -> PyResult<PyCodebook> {
        PyCodebook::new(args::load_codebooks(&paths).map_err(raise)?)
    }

    /// The embedded default codebook.
    #[staticmethod]
    #[pyo3(name = "default")]
    fn embedded() -> PyResult<PyCodebook> {
        PyCodebook::new(Codebook::default_codebook())
    }

    /// A codebook from the JSON of [`PyCodebook::to_json`] (for pickling).
    #[staticmethod]
    fn from_json(text: &str, source: &str) -> PyResult<PyCodebook> {
        let codebook = Codebook::from_json_str(text, source)
            .with_context(|| format!("failed to load codebook {source}"))
            .map_err(raise)?;
        PyCodebook::new(codebook)
    }

    /// The codebook as JSON, as `mint codebook export --to json` writes it.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&*self.codebook).map_err(|e| MintError::new_err(e.to_string()))
    }

    #[getter]
    fn name(&self) -> &str {
        &self.codebook.codebook.name
    }

    #[getter]
    fn version(&self) -> &str {
        &self.codebook.codebook.version
    }

    #[getter]
    fn source(&self) -> &str {
        &self.codebook.source
    }

    /// (id, label) of each theme, in codebook order.
    fn theme_rows(&self) -> Vec<(String, String)> {
        self.codebook
            .themes
            .iter()
            .map(|t| (t.id.clone(), t.label.clone()))
            .collect()
    }

    /// (theme, id, label, origin, parent, patterns) of each code, in
    /// codebook order.
    #[allow(clippy::type_complexity)]
    fn code_rows(&self) -> Vec<(String, String, String, String, Option<String>, Vec<String>)> {
        self.codebook
            .codes
            .iter()
            .map(|c| {
                (
                    c.theme.clone(),
                    c.id.clone(),
                    c.label.clone(),
                    c.origin.as_str().to_string(),
                    c.parent.clone(),
                    c.patterns.clone(),
                )
            })
            .collect()
    }

    /// What `mint codebook check` finds: (severity, line, column, message)
    /// for each problem, errors and warnings, overlaps included.
    fn check(&self) -> Vec<(String, Option<usize>, Option<usize>, String)> {
        let mut found = self.codebook.validate();
        found.extend(self.codebook.overlaps());
        found
            .into_iter()
            .map(|d| {
                (
                    format!("{:?}", d.severity).to_lowercase(),
                    d.line,
                    d.column,
                    d.message,
                )
            })
            .collect()
    }

    /// The table `mint codebook show` prints, fitted to `width` columns.
    #[pyo3(signature = (width=100))]
    fn show(&self, width: u16) -> PyResult<String> {
        let buffer = Buffer::default();
        let mut out = render::Output::to(Box::new(buffer.clone()), true);
        out.width = Some(usize::from(width));
        let show = cmd::codebook::show::Show {
            codebook: (*self.codebook).clone(),
            full: false,
        };
        render::emit(&mut out, render::Format::Table, &show)
            .and_then(|()| out.flush())
            .map_err(raise)?;
        drop(out);
        let bytes = buffer.0.borrow().clone();
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn __repr__(&self) -> PyResult<String> {
        self.show(100)
    }
}

/// A growable byte buffer that stays readable after being boxed as the
/// output's stdout.
#[derive(Clone, Default)]
struct Buffer(Rc<RefCell<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs the `mint` command line (`argv[0]` first) and returns its exit
/// status: what the package's `mint` console script does. Like the binary,
/// it takes over Ctrl-C and SIGTERM (to delete a half-written output file
/// and exit 130), so it is for that script's process, not a notebook's.
#[pyfunction]
fn run_cli(py: Python<'_>, argv: Vec<String>) -> u8 {
    py.detach(|| cli::run(argv))
}

/// The `mint._mint` module.
#[pymodule]
fn _mint(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("MintError", py.get_type::<MintError>())?;
    m.add("CodebookError", py.get_type::<CodebookError>())?;
    m.add("CorpusError", py.get_type::<CorpusError>())?;
    m.add("UsageError", py.get_type::<UsageError>())?;
    m.add_class::<PyCodebook>()?;
    m.add_class::<tally::PyTally>()?;
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    m.add_function(wrap_pyfunction!(coding::code_texts, m)?)?;
    m.add_function(wrap_pyfunction!(coding::code_files, m)?)?;
    m.add_function(wrap_pyfunction!(coding::files, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
