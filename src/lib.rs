//! mint: automatic coding of qualitative interview transcripts.
//!
//! The library holds the domain: transcripts and their speaker turns
//! ([`corpus`]), participant attributes ([`attributes`]), the codebook and its
//! pattern language ([`codebook`], [`pattern`]), the hot matching loop
//! ([`matcher`]) and the frequency tables built from the codings ([`tally`]).
//! It never prints, never exits and knows nothing of the command line: that
//! lives in the `mint` binary.
//!
//! The pipeline is parse → validate → compile → execute:
//!
//! ```
//! use mint::codebook::Codebook;
//! use mint::corpus::{Transcript, ParseOptions, Unit};
//! use mint::matcher::Matcher;
//!
//! let codebook = Codebook::from_toml_str(r#"
//! [codebook]
//! name = "demo"
//! [[themes]]
//! id = "hr_it"
//! label = "HR and IT"
//! [[codes]]
//! id = "it_systems"
//! theme = "hr_it"
//! label = "Information systems"
//! patterns = ["IT", "system*"]
//! "#, "demo.toml").unwrap();
//! let matcher = Matcher::new(&codebook).unwrap();
//! let text = "Interviewer: And IT?\nParticipant: it is fine, but the IT is not.\n";
//! let transcript = Transcript::parse("p1.txt", text.to_string(), &ParseOptions::default()).unwrap();
//! let coded = mint::coding::code(&transcript, &matcher, Unit::Turn);
//! assert_eq!(coded.codings.len(), 1);
//! let hit = coded.codings[0].hit;
//! assert_eq!(&transcript.text[hit.start..hit.end], "IT");
//! ```
#![warn(missing_docs)]

pub mod agree;
pub mod attributes;
pub mod cache;
pub mod codebook;
pub mod coding;
pub mod corpus;
pub mod csvcell;
pub mod disclosure;
pub mod discover;
pub mod emergence;
pub mod error;
pub mod exchange;
pub mod formats;
pub mod groups;
pub mod learn;
pub mod matcher;
pub mod pattern;
pub mod pipeline;
pub mod quotes;
pub mod spreadsheet;
pub mod stats;
pub mod suggest;
pub mod tally;
pub mod textpos;
