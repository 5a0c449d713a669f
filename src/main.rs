//! The `mint` binary: hands the command line to [`cli::run`] and exits with
//! its status. Everything else lives in `cli`, `cmd/`, `args`, `render/` and
//! the `mint` library. (The Python package's `mint` command runs the same
//! `cli::run`, built into its extension from these files.)

mod args;
mod cli;
mod cmd;
mod render;

use std::process::ExitCode;

/// mimalloc: every file is read, parsed and coded into short-lived buffers
/// on several threads at once, where glibc's allocator spent about a tenth
/// of a large run consolidating and splitting chunks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ExitCode::from(cli::run(std::env::args_os()))
}
