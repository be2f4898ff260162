//! Seeded test data (the `measure` crate's, shared with the demonstration and benches): the
//! same seed gives the same values on every machine, thread and run, so every failure can be
//! reproduced.

pub use measure::data::{arange_i64, seeded_i64, seeded_image};
