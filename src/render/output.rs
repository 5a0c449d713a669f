//! Where output goes: one buffered stdout per process, notes on stderr, and
//! atomic output files. Subcommands get `&mut Output`; the library only ever
//! sees `impl Write`. How rows look on the way is the rest of [`crate::render`].

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is unset or empty.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The exit status, documented in `mint --help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Success.
    Ok = 0,
    /// The command ran and the answer is "no".
    Findings = 1,
    /// mint could not do (all of) the job.
    Error = 2,
}

/// The width tables fit when `--wide` is not given: `$COLUMNS` when it is
/// a number of at least 20, else the terminal's width when stdout is one,
/// else 80.
fn terminal_width(is_terminal: bool) -> usize {
    let columns = std::env::var("COLUMNS").ok();
    if let Some(n) = columns.and_then(|c| c.trim().parse::<usize>().ok())
        && n >= 20
    {
        return n;
    }
    if is_terminal && let Some(w) = comfy_table::Table::new().width() {
        return usize::from(w).max(20);
    }
    80
}

/// Stdout, stderr notes, and decoration settings.
pub struct Output {
    stdout: Box<dyn Write>,
    /// Whether to colour stdout.
    pub color: bool,
    /// Whether stdout is a terminal (tables may then fit its width).
    pub is_terminal: bool,
    /// The width tables fit: `$COLUMNS`, else the terminal's, else 80;
    /// `None` with `--wide` (tables as wide as their content).
    pub width: Option<usize>,
    quiet: bool,
    warnings: std::cell::Cell<u64>,
}

impl Output {
    /// Builds the process's one output from the global flags.
    pub fn new(color: ColorChoice, quiet: bool) -> Output {
        let is_terminal = io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && !no_color,
        };
        let stdout: Box<dyn Write> = if is_terminal {
            Box::new(io::LineWriter::new(io::stdout().lock()))
        } else {
            Box::new(io::BufWriter::with_capacity(64 * 1024, io::stdout().lock()))
        };
        Output {
            color,
            is_terminal,
            width: Some(terminal_width(is_terminal)),
            ..Output::to(stdout, quiet)
        }
    }

    /// An output whose data goes to `stdout` (not a terminal, no colour),
    /// with tables fitted to 80 columns: the Python package renders a
    /// report into a string with it.
    pub fn to(stdout: Box<dyn Write>, quiet: bool) -> Output {
        Output {
            stdout,
            color: false,
            is_terminal: false,
            width: Some(80),
            quiet,
            warnings: std::cell::Cell::new(0),
        }
    }

    /// The data stream.
    pub fn stdout(&mut self) -> &mut dyn Write {
        &mut self.stdout
    }

    /// Flushes stdout.
    pub fn flush(&mut self) -> anyhow::Result<()> {
        self.stdout.flush().context("cannot write to stdout")
    }

    /// Writes an output file with [`write_atomic`], or to stdout when the
    /// path is `-`.
    pub fn write_file(
        &mut self,
        path: &Path,
        write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        if path == Path::new("-") {
            write(self.stdout())
        } else {
            write_atomic(path, write)
        }
    }

    /// A note on stderr, silenced by `-q`.
    pub fn note(&self, message: &str) {
        if !self.quiet {
            eprintln!("mint: {message}");
        }
    }

    /// Whether a progress bar may be drawn: stderr is a terminal and `-q`
    /// was not given (and so, never in CI or when piped).
    pub fn progress_allowed(&self) -> bool {
        !self.quiet && io::stderr().is_terminal()
    }

    /// How many warnings were given (for `--strict`).
    pub fn warnings(&self) -> u64 {
        self.warnings.get()
    }

    /// A warning on stderr, silenced by `-q` (but still counted).
    pub fn warn(&self, message: &str) {
        self.warnings.set(self.warnings.get() + 1);
        if !self.quiet {
            eprintln!("mint: warning: {message}");
        }
    }

    /// An error that does not stop the run (the exit status becomes 2).
    pub fn error(&self, message: &str) {
        eprintln!("mint: {message}");
    }
}

/// Whether an error is, at bottom, a closed pipe on stdout. The csv and
/// serde_json writers wrap the I/O error without exposing it as a source.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let kind = if let Some(e) = cause.downcast_ref::<io::Error>() {
            Some(e.kind())
        } else if let Some(e) = cause.downcast_ref::<csv::Error>() {
            match e.kind() {
                csv::ErrorKind::Io(e) => Some(e.kind()),
                _ => None,
            }
        } else {
            cause
                .downcast_ref::<serde_json::Error>()
                .and_then(|e| e.io_error_kind())
        };
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}

/// Writes an output file. A regular file (new or existing) is written
/// atomically: into a temporary file beside it, then renamed over it, so a
/// reader never sees half a file and a failed run leaves the old one intact.
/// A symlink is followed, so the link stays a link. Anything else that exists
/// (`/dev/stdout`, a named pipe) cannot be replaced and is written in place.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    write_atomic_with(path, false, write)
}

/// [`write_atomic`] for a file only its owner may read (0600 on Unix,
/// whatever the file it replaces had): a pseudonym key.
pub fn write_private(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    write_atomic_with(path, true, write)
}

fn write_atomic_with(
    path: &Path,
    private: bool,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let fail = || format!("cannot write {}", path.display());
    let existing = std::fs::metadata(path).ok();
    let target = match &existing {
        Some(meta) if !meta.is_file() && !private => {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(fail)?;
            let mut w = io::BufWriter::new(file);
            write(&mut w).with_context(fail)?;
            return w.flush().with_context(fail);
        }
        Some(_) => path.canonicalize().with_context(fail)?,
        None => path.to_path_buf(),
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        anyhow::bail!("cannot write {}: its folder does not exist", path.display());
    }
    // tempfile's error names the random file; say the folder instead, so
    // the message is the same from run to run.
    let mut tmp = tempfile::Builder::new()
        .prefix(".mint-")
        .tempfile_in(dir)
        .map_err(|err| std::io::Error::from(err.kind()))
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    let _pending = Pending::new(tmp.path());
    {
        let mut w = io::BufWriter::new(tmp.as_file_mut());
        write(&mut w).with_context(fail)?;
        w.flush().with_context(fail)?;
    }
    if !private {
        fix_permissions(tmp.as_file(), existing.as_ref()).with_context(fail)?;
    }
    tmp.persist(&target).with_context(fail)?;
    Ok(())
}

/// The temporary files [`write_atomic`] is writing now, for the signal
/// handler to delete (a signal ends the process without running `Drop`).
static PENDING: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// One temporary file listed in [`PENDING`] while it lives.
struct Pending(PathBuf);

impl Pending {
    fn new(path: &Path) -> Pending {
        pending().push(path.to_path_buf());
        Pending(path.to_path_buf())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        let mut list = pending();
        if let Some(i) = list.iter().position(|p| *p == self.0) {
            list.swap_remove(i);
        }
    }
}

/// The list, even if a thread panicked holding it (it stays a valid list).
fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// On Ctrl-C (SIGINT), SIGTERM or SIGHUP: deletes the temporary output
/// files being written and exits with status 130, as an interrupted command
/// does. Without it, an interrupted run would leave a hidden `.mint-*`
/// file, with interview text in it, beside the output. (The codings spool
/// needs no help: it never has a name.)
pub fn clean_up_on_signal() {
    // Fails only if a handler was set already, which cannot happen here.
    let _ = ctrlc::set_handler(|| {
        for path in pending().iter() {
            let _ = std::fs::remove_file(path);
        }
        std::process::exit(130);
    });
}

/// Temporary files are created private (0600). A replaced file keeps its
/// permissions; a new one gets 0644, readable as outputs usually are.
#[cfg(unix)]
fn fix_permissions(file: &std::fs::File, existing: Option<&std::fs::Metadata>) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(existing.map_or_else(
        || std::fs::Permissions::from_mode(0o644),
        |m| m.permissions(),
    ))
}

#[cfg(not(unix))]
fn fix_permissions(_: &std::fs::File, _: Option<&std::fs::Metadata>) -> io::Result<()> {
    Ok(())
}
