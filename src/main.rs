//! The `mint` binary: parse the command line, dispatch to a subcommand, map
//! the outcome to an exit status. Everything else lives in `cmd/`, `args`,
//! `render/` and the `mint` library.

mod args;
mod cli;
mod cmd;
mod render;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;
use crate::render::{Output, Status, output};

/// mimalloc: every file is read, parsed and coded into short-lived buffers
/// on several threads at once, where glibc's allocator spent about a tenth
/// of a large run consolidating and splitting chunks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = Output::new(cli.global.color, cli.global.quiet);
    if cli.global.wide {
        out.width = None;
    }
    render::csv::set_raw(cli.global.raw_csv);
    render::csv::set_excel(cli.global.excel_csv);
    output::clean_up_on_signal();
    if let Some(threads) = cli.global.threads {
        // Only fails if a pool exists already, which cannot happen here.
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
    ExitCode::from(status as u8)
}
