//! The one integration-test binary: drives `mint` as a user would.

mod agree;
mod architecture;
mod ci;
mod code;
mod codebook;
mod codings;
mod cooccur;
mod diff;
mod emerge;
mod exchange;
mod export;
mod formats;
mod help;
mod hostile;
mod inputs;
mod limits;
mod matrix;
mod merge;
mod outputs;
mod primary;
mod quality;
mod quotes;
mod report;
mod sample;
mod speech;
mod util;
