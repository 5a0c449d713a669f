//! Learning a study's codes from the part a researcher coded by hand (`mint learn`).

pub mod next;
pub mod suggest;
