//! The model file of `mint learn -o model.json`: versioned
//! ([`SCHEMA_VERSION`]), stamped with mint's version, the seed, the
//! codebook (name, version, hash) and a hash of the training data; the
//! vocabulary with its IDF weights, and per code the weights, bias,
//! threshold, cross-validated figures and a few hand-coded examples that
//! `--explain` shows as the nearest evidence.
//!
//! [`Model::load`] refuses a file that is not a mint model, is cut short,
//! or has another schema version; [`Model::check_codebook`] refuses a
//! codebook other than the one the model was trained with.

use serde::{Deserialize, Serialize};

use super::evaluate::Figures;
use super::features::{Rows, Vocabulary};
use super::{Dataset, Options, Skipped, labels_of, rows_for, train};
use crate::codebook::Codebook;

/// The version of the model file's layout.
pub const SCHEMA_VERSION: u32 = 1;

/// How many hand-coded examples are kept per code.
pub const NEAREST: usize = 5;

/// A trained model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// The layout's version ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The version of mint that trained it.
    pub mint_version: String,
    /// The model's id: a hash of what it was trained on and how.
    pub id: String,
    /// The seed of its folds.
    pub seed: u64,
    /// The coding unit of its segments (`turn`, `paragraph`, `sentence`).
    pub unit: String,
    /// The codebook it was trained with.
    pub codebook: CodebookStamp,
    /// What it was trained on.
    pub training: TrainingStamp,
    /// How it was trained.
    pub options: Options,
    /// The n-gram features.
    pub vocabulary: Vocabulary,
    /// The codebook codes whose matches are features (after the
    /// vocabulary), in codebook order.
    pub feature_codes: Vec<String>,
    /// The codes learned.
    pub codes: Vec<ModelCode>,
    /// The codes left out, with their counts.
    pub skipped: Vec<Skipped>,
}

/// The codebook a model was trained with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodebookStamp {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// A BLAKE3 hash of its content ([`codebook_hash`]).
    pub hash: String,
}

/// The training data of a model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingStamp {
    /// [`Dataset::hash`].
    pub hash: String,
    /// Segments.
    pub segments: usize,
    /// Participants.
    pub participants: usize,
}

/// One learned code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelCode {
    /// Its id.
    pub id: String,
    /// Its theme.
    pub theme: String,
    /// `codebook` for a code of the codebook, `learned` for the human's own.
    pub origin: String,
    /// Segments the human coded with it.
    pub examples: usize,
    /// Probability at or above which it applies.
    pub threshold: f64,
    /// The intercept.
    pub bias: f64,
    /// One weight per feature (vocabulary, then feature codes).
    pub weights: Vec<f64>,
    /// Its figures on the out-of-fold probabilities that chose the
    /// threshold (folds grouped by participant).
    pub cv: Figures,
    /// Hand-coded examples of it (those the model is surest of).
    pub nearest: Vec<Nearest>,
}

/// A hand-coded example kept in the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nearest {
    /// The segment's id.
    pub segment: String,
    /// Its participant.
    pub participant: String,
    /// Its text.
    pub text: String,
    /// Its feature row (index, value).
    pub features: Vec<(u32, f64)>,
}

/// Why a model cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Not JSON, cut short, or not a model's fields.
    #[error("not a mint model file (corrupt or truncated): {0}")]
    Corrupt(String),
    /// Another layout.
    #[error("model schema_version {found} is not supported (this mint reads {SCHEMA_VERSION})")]
    Schema {
        /// The version found.
        found: String,
    },
    /// Weights that do not fit the features.
    #[error("inconsistent model: {0}")]
    Inconsistent(String),
    /// Another codebook.
    #[error(
        "the model was trained with codebook {trained:?} (hash {trained_hash}), not with {given:?} (hash {given_hash}): code with the codebook it was trained with, or train again"
    )]
    Codebook {
        /// The model's codebook name.
        trained: String,
        /// Its hash, shortened.
        trained_hash: String,
        /// The codebook given.
        given: String,
        /// Its hash, shortened.
        given_hash: String,
    },
}

/// A BLAKE3 hash of a codebook's content (its serialised form: the same
/// codebook read from another path has the same hash).
pub fn codebook_hash(codebook: &Codebook) -> String {
    let text = serde_json::to_string(codebook).unwrap_or_default();
    blake3::hash(text.as_bytes()).to_hex().to_string()
}

impl Model {
    /// Trains a model of `codes` on all of `data`.
    pub fn train(
        data: &Dataset,
        codes: &[usize],
        skipped: Vec<Skipped>,
        options: &Options,
        unit: &str,
        codebook: &Codebook,
    ) -> Model {
        let grams = super::grams_of(data);
        let all: Vec<usize> = (0..data.examples.len()).collect();
        let (vocabulary, rows) = rows_for(data, &grams, &all, options.vocabulary);
        let labels = labels_of(data, codes);
        let fits = train(data, &rows, &all, &labels, options);
        let learned = codes
            .iter()
            .zip(&fits)
            .zip(&labels)
            .map(|((&c, fit), labels)| {
                let code = &data.codes[c];
                let cv = Figures::of(
                    fit.held_out
                        .iter()
                        .map(|p| *p >= fit.threshold)
                        .zip(labels.iter().copied()),
                );
                ModelCode {
                    id: code.id.clone(),
                    theme: code.theme.clone(),
                    origin: if code.in_codebook {
                        "codebook"
                    } else {
                        "learned"
                    }
                    .to_string(),
                    examples: labels.iter().filter(|l| **l).count(),
                    threshold: fit.threshold,
                    bias: fit.fit.bias,
                    weights: fit.fit.weights.clone(),
                    cv,
                    nearest: nearest(data, &rows, labels, |i| fit.fit.probability(&rows, i)),
                }
            })
            .collect();
        let stamp = CodebookStamp {
            name: codebook.codebook.name.clone(),
            version: codebook.codebook.version.clone(),
            hash: codebook_hash(codebook),
        };
        let training = TrainingStamp {
            hash: data.hash(),
            segments: data.examples.len(),
            participants: data.participants.len(),
        };
        let id = {
            let mut h = blake3::Hasher::new();
            h.update(training.hash.as_bytes());
            h.update(stamp.hash.as_bytes());
            h.update(&options.seed.to_le_bytes());
            h.update(
                serde_json::to_string(options)
                    .unwrap_or_default()
                    .as_bytes(),
            );
            h.update(unit.as_bytes());
            for c in codes {
                h.update(data.codes[*c].id.as_bytes());
                h.update(b"\0");
            }
            format!("model-{}", &h.finalize().to_hex()[..12])
        };
        Model {
            schema_version: SCHEMA_VERSION,
            mint_version: env!("CARGO_PKG_VERSION").to_string(),
            id,
            seed: options.seed,
            unit: unit.to_string(),
            codebook: stamp,
            training,
            options: *options,
            vocabulary,
            feature_codes: codebook.codes.iter().map(|c| c.id.clone()).collect(),
            codes: learned,
            skipped,
        }
    }

    /// The model as the bytes of its file (compact JSON, one line).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec(self).expect("a model serialises");
        bytes.push(b'\n');
        bytes
    }

    /// Reads a model file's bytes.
    pub fn load(bytes: &[u8]) -> Result<Model, ModelError> {
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| ModelError::Corrupt(e.to_string()))?;
        match value.get("schema_version") {
            Some(v) if v.as_u64() == Some(u64::from(SCHEMA_VERSION)) => {}
            Some(v) => {
                return Err(ModelError::Schema {
                    found: v.to_string(),
                });
            }
            None => return Err(ModelError::Corrupt("no schema_version".to_string())),
        }
        let model: Model =
            serde_json::from_value(value).map_err(|e| ModelError::Corrupt(e.to_string()))?;
        let width = model.vocabulary.terms.len() + model.feature_codes.len();
        if model.vocabulary.idf.len() != model.vocabulary.terms.len() {
            return Err(ModelError::Inconsistent(format!(
                "{} terms but {} idf weights",
                model.vocabulary.terms.len(),
                model.vocabulary.idf.len()
            )));
        }
        for code in &model.codes {
            if code.weights.len() != width {
                return Err(ModelError::Inconsistent(format!(
                    "code {:?} has {} weights for {width} features",
                    code.id,
                    code.weights.len()
                )));
            }
        }
        Ok(model)
    }

    /// Refuses a codebook other than the one the model was trained with.
    pub fn check_codebook(&self, codebook: &Codebook) -> Result<(), ModelError> {
        let hash = codebook_hash(codebook);
        if hash == self.codebook.hash {
            return Ok(());
        }
        Err(ModelError::Codebook {
            trained: self.codebook.name.clone(),
            trained_hash: self.codebook.hash[..12.min(self.codebook.hash.len())].to_string(),
            given: codebook.codebook.name.clone(),
            given_hash: hash[..12].to_string(),
        })
    }
}

/// The [`NEAREST`] positive examples the model gives the highest
/// probability (ties by position).
fn nearest(
    data: &Dataset,
    rows: &Rows,
    labels: &[bool],
    probability: impl Fn(usize) -> f64,
) -> Vec<Nearest> {
    let mut scored: Vec<(f64, usize)> = (0..data.examples.len())
        .filter(|&i| labels[i])
        .map(|i| (probability(i), i))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(NEAREST)
        .map(|(_, i)| {
            let e = &data.examples[i];
            Nearest {
                segment: e.id.clone(),
                participant: data.participants[e.participant].clone(),
                text: e.text.clone(),
                features: rows.row(i).map(|(j, v)| (j as u32, v)).collect(),
            }
        })
        .collect()
}
