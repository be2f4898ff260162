//! The course's stopwatch, used by the demonstration, the benches, the harness and the given
//! runtime, so that every number in the course is measured the same way.
//!
//! - [`sample`]: [`Sample`], a set of run times with its median, and [`format_duration`];
//! - [`run`]: [`measure`] (one implementation) and [`interleaved`] (two, alternating);
//! - [`data`]: seeded test data ([`seeded_image`], [`arange_i64`], [`seeded_i64`]);
//! - [`machine`]: how many cores there are and how busy they are ([`LoadWatch`]);
//! - [`panic_message`]: the text of a caught panic.
//!
//! Absolute times mean little on a shared, noisy 2-core machine; a ratio of two
//! implementations measured in the same process, at the same moment, means a lot more.
//! That is why [`interleaved`] exists and why every table in the course names the load.

pub mod data;
pub mod machine;
pub mod run;
pub mod sample;

pub use data::{arange_i64, seeded_i64, seeded_image};
pub use machine::{LoadNote, LoadWatch, cores, load_average};
pub use run::{interleaved, measure};
pub use sample::{Sample, format_duration};

/// The text of a panic payload: `panic!` with a message gives a `String` or a `&str`;
/// anything else gives an empty string.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
        .unwrap_or_default()
}
