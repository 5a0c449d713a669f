//! The command line: global flags and the subcommand, and [`run`], which
//! parses it, dispatches, and maps the outcome to an exit status.

use std::ffi::OsString;

use clap::{Args, Parser};

use crate::cmd::{self, Command};
use crate::render::{ColorChoice, Output, Status, output};

/// Runs mint on a command line (`argv[0]` first) and returns the exit
/// status: parse, dispatch, map the outcome to a status; a broken pipe is
/// success. A usage error, `--help` and `--version` print what clap prints
/// and return its status, as the binary exits with it.
pub fn run(argv: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> u8 {
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(err) => {
            // As clap's own `exit`: usage errors to stderr, help to stdout.
            let _ = err.print();
            return u8::try_from(err.exit_code()).unwrap_or(2);
        }
    };
    let mut out = Output::new(cli.global.color, cli.global.quiet);
    if cli.global.wide {
        out.width = None;
    }
    crate::render::csv::set_raw(cli.global.raw_csv);
    crate::render::csv::set_excel(cli.global.excel_csv);
    output::clean_up_on_signal();
    if let Some(threads) = cli.global.threads {
        // Fails only if a pool exists already: the binary has none yet; in
        // the Python package the first run's pool stays.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global();
    }
    let status =
        match cmd::run(cli.command, &mut out).and_then(|status| out.flush().map(|()| status)) {
            Ok(status) => status,
            Err(err) if output::is_broken_pipe(&err) => Status::Ok,
            Err(err) => {
                eprintln!("mint: {err:#}");
                Status::Error
            }
        };
    status as u8
}

/// Code interview transcripts with a codebook and count themes by group.
///
/// mint reads a folder of anonymised transcripts, applies a codebook of
/// themes and codes (the embedded default, or your own with --codebook), and
/// prints theme frequencies broken down by participant attributes such as
/// level (strategic/operational) and sector (health/social care).
#[derive(Debug, Parser)]
#[command(
    name = "mint",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_long_help = "\
Exit status:
  0  success
  1  the command ran and the answer is \"no\" (check-like commands)
  2  mint could not do the job: bad usage, unreadable input, an invalid
     codebook, a failed write, or a transcript that had to be skipped
  130  interrupted (Ctrl-C, SIGTERM): no temporary file is left behind

Examples:
  mint code examples/transcripts
  mint code examples/transcripts --matrix themes.csv --codings codings.csv
  mint sample examples/transcripts
  mint codebook init my-codebook.toml"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every subcommand accepts.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// When to use colour: auto means stdout is a terminal and NO_COLOR is unset.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Silence notes and warnings on stderr (errors are still shown).
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Number of threads for reading and coding files (default: all cores).
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(usize))]
    pub threads: Option<usize>,

    /// Write CSV cells as they are, for pipelines.
    ///
    /// By default a text cell of any CSV mint writes that starts with =, +, -, @, a tab or a
    /// carriage return gets a leading ' so that spreadsheets show it as text instead of running
    /// it as a formula (OWASP's advice on CSV injection): "-5 beds" is written "'-5 beds".
    /// Numbers such as -0.25 are kept, and JSON always has the original text.
    #[arg(long, global = true)]
    pub raw_csv: bool,

    /// Write CSV files for Excel: a UTF-8 byte-order mark and CRLF line ends.
    ///
    /// By default CSVs are UTF-8 without a byte-order mark, as R, pandas and most tools expect;
    /// Excel then shows ’ and é garbled when the file is double-clicked. With --excel-csv it
    /// opens them as they are.
    #[arg(long, global = true)]
    pub excel_csv: bool,
    /// Print tables as wide as their content (one row per line, every
    /// group side by side) instead of fitting them to $COLUMNS (80 when
    /// stdout is not a terminal).
    #[arg(long, global = true)]
    pub wide: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
