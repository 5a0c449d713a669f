//! The pipeline's events on stderr, and its progress bar: the binary's side
//! of [`mint::pipeline::Handler`]. Notes and warnings are silenced by `-q`
//! (warnings still count for `--strict`); errors always show.

use mint::pipeline::{Event, Handler, Level, LoadedFile};

use super::Output;

/// Renders events on an [`Output`] and hands files to a command's sink.
pub struct Reporter<'o, S> {
    out: &'o mut Output,
    sink: S,
    bar: Option<indicatif::ProgressBar>,
}

impl<'o, S> Reporter<'o, S> {
    /// A reporter writing to `out` and handing files to `sink`.
    pub fn new(out: &'o mut Output, sink: S) -> Reporter<'o, S> {
        Reporter {
            out,
            sink,
            bar: None,
        }
    }
}

/// Shows an event on stderr at its level.
pub fn show(out: &Output, event: &Event) {
    let message = event.to_string();
    match event.level() {
        Level::Note => out.note(&message),
        Level::Warning => out.warn(&message),
        Level::Error => out.error(&message),
    }
}

/// A bar is only drawn for runs with at least this many bytes to read.
const BAR_FROM_BYTES: u64 = 20_000_000;

impl<T, S> Handler<T> for Reporter<'_, S>
where
    S: FnMut(&mut Output, LoadedFile<T>) -> anyhow::Result<()>,
{
    type Error = anyhow::Error;

    fn event(&mut self, event: Event) {
        show(self.out, &event);
    }

    fn file(&mut self, file: LoadedFile<T>) -> anyhow::Result<()> {
        (self.sink)(self.out, file)
    }

    /// Only when stderr is a terminal and `-q` is not given (so never in
    /// CI or when piped).
    fn wants_progress(&self) -> bool {
        self.out.progress_allowed()
    }

    fn progress(&mut self, done: u64, total: u64) {
        if done == 0 && total >= BAR_FROM_BYTES && self.bar.is_none() {
            let bar = indicatif::ProgressBar::new(total);
            let template =
                "{bar:40} {decimal_bytes}/{decimal_total_bytes} {decimal_bytes_per_sec} ETA {eta}";
            bar.set_style(
                indicatif::ProgressStyle::with_template(template).expect("a valid template"),
            );
            self.bar = Some(bar);
        } else if let Some(bar) = &self.bar {
            bar.set_position(done);
            if done >= total {
                bar.finish_and_clear();
                self.bar = None;
            }
        }
    }
}
