//! `mint codebook`: show the codebook in use, or write the default one out
//! for editing; check and test codebooks; export and import them in other
//! tools' formats. One file per action, each with its `Args` and `run`.

mod check;
mod export;
mod import;
mod init;
pub mod show;
mod test;

use crate::render::{Output, Status};

/// Show the codebook, or write the default codebook out for editing.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    Check(check::Args),
    Test(test::Args),
    Export(export::Args),
    Import(import::Args),
    Show(show::Args),
    Init(init::Args),
}

/// Runs `mint codebook`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    match args.action {
        Action::Check(args) => check::run(args, out),
        Action::Test(args) => test::run(args, out),
        Action::Export(args) => export::run(args, out),
        Action::Import(args) => import::run(args, out),
        Action::Show(args) => show::run(args, out),
        Action::Init(args) => init::run(args, out),
    }
}
