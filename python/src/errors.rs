//! mint's errors as Python exceptions: `MintError`, and a subclass per
//! kind. The message is the one the CLI prints after `mint: `, the whole
//! chain of context (`{err:#}`).

use pyo3::PyErr;
use pyo3::exceptions::PyException;

pyo3::create_exception!(
    _mint,
    MintError,
    PyException,
    "An error from mint, with the message the `mint` command prints."
);
pyo3::create_exception!(
    _mint,
    CodebookError,
    MintError,
    "A codebook could not be read, or is invalid."
);
pyo3::create_exception!(
    _mint,
    CorpusError,
    MintError,
    "A transcript, folder or attributes sheet could not be read."
);
pyo3::create_exception!(
    _mint,
    UsageError,
    MintError,
    "An argument names nothing there is: an attribute, a code, a unit."
);

/// The exception for an error, by the kind of its innermost known cause.
pub fn raise(err: anyhow::Error) -> PyErr {
    let message = format!("{err:#}");
    let is = |f: &dyn Fn(&(dyn std::error::Error + 'static)) -> bool| err.chain().any(f);
    if is(&|e| e.is::<mint::error::CodebookError>() || e.is::<mint::error::PatternError>()) {
        CodebookError::new_err(message)
    } else if is(&|e| {
        e.is::<mint::error::CorpusError>()
            || e.is::<mint::error::FormatError>()
            || e.is::<std::io::Error>()
    }) {
        CorpusError::new_err(message)
    } else if is(&|e| e.is::<mint::groups::UnknownAttribute>()) {
        UsageError::new_err(message)
    } else {
        MintError::new_err(message)
    }
}
