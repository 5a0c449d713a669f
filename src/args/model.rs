//! The `--model` and `--origin` flags (`mint code`, `mint export`): a model
//! trained by `mint learn`, loaded and checked against the codebook.

use std::path::PathBuf;

use anyhow::Context;

use mint::codebook::Codebook;
use mint::learn::apply::Learner;

use super::UnitArg;
use crate::render::Output;

/// The model flags: code with a model trained by `mint learn` too
/// (`mint code`, `mint export`).
#[derive(Debug, clap::Args)]
pub struct ModelArgs {
    /// Code with a model trained by `mint learn` too: a segment gets a
    /// learned code when the model's probability reaches the code's
    /// threshold. Learned codings count like the codebook's, and every
    /// output that lists codings names the model (its id and hash) beside
    /// each learned one, with its probability. The model must have been
    /// trained with this codebook.
    #[arg(long, value_name = "model.json")]
    pub model: Option<PathBuf>,

    /// With --model: keep only the codebook's codings, only the model's,
    /// or both (a code the codebook applied is not added again).
    #[arg(long, value_enum, default_value_t = OriginArg::All, requires = "model")]
    pub origin: OriginArg,
}

/// Whose codings `--model` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OriginArg {
    /// The codebook's.
    Codebook,
    /// The model's.
    Learned,
    /// Both.
    All,
}

impl ModelArgs {
    /// The model `--model` names, checked against `codebook`, and the
    /// codebook extended with the model's codes (`codebook` as it is
    /// without --model). Warns when the model was trained on another unit
    /// than `unit`.
    pub fn load(
        &self,
        codebook: Codebook,
        unit: UnitArg,
        out: &Output,
    ) -> anyhow::Result<(Option<Learner>, Codebook)> {
        let Some(path) = &self.model else {
            return Ok((None, codebook));
        };
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read the model {}", path.display()))?;
        let (learner, extended) =
            Learner::new(&bytes, &codebook).with_context(|| format!("{}", path.display()))?;
        if learner.model.unit != unit.name() {
            out.warn(&format!(
                "the model was trained on {}s, and this run codes {}s",
                learner.model.unit,
                unit.name()
            ));
        }
        Ok((Some(learner), extended))
    }

    /// Whether the model's codings are kept (`--origin` is not codebook).
    pub fn learning(&self) -> bool {
        self.model.is_some() && self.origin != OriginArg::Codebook
    }

    /// Whether the codebook's codings are kept along with the model's.
    pub fn keep_codebook(&self) -> bool {
        self.origin == OriginArg::All
    }
}
