//! The Zarr v3 store: a round trip through the filesystem, and the bytes on disk checked
//! against the Zarr v3 specification (what zarr-python and xarray read).

use std::path::PathBuf;

use ndarray::Array2;
use solution_05::{Boundary, ChunkedArray, Executor, ZarrError, seeded, smooth};

/// A fresh directory under the system's temporary directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let path = std::env::temp_dir().join(format!(
            "course-05-{name}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        Scratch(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_smoothed_array_round_trips_through_zarr_bit_for_bit() {
    let dir = Scratch::new("round-trip");
    // Ragged last chunks on both axes.
    let smoothed =
        seeded((23, 17), (5, 4), 7)
            .expect("valid")
            .map_overlap(1, Boundary::Absent, smooth);
    let expected = smoothed.compute(Executor::Sequential);
    smoothed
        .store_zarr(&dir.0, Executor::Rayon)
        .expect("written");
    let back = ChunkedArray::from_zarr(&dir.0, solution_05::STEPS).expect("opened");
    assert_eq!(back.shape(), (23, 17));
    assert_eq!(back.grid().chunk_size(), (5, 4));
    let actual = back.compute(Executor::Sequential);
    assert!(
        expected
            .iter()
            .zip(actual.iter())
            .all(|(a, b)| a.to_bits() == b.to_bits()),
        "the array read back differs from the one written"
    );
    // And the mean of the stored array, streamed from disk, equals the in-memory one.
    assert_eq!(
        back.mean(4, Executor::Rayon).unwrap().to_bits(),
        smoothed.mean(4, Executor::Sequential).unwrap().to_bits()
    );
}

#[test]
fn zarr_json_and_a_chunk_file_are_what_the_v3_spec_says() {
    let dir = Scratch::new("bytes");
    let values = Array2::from_shape_fn((3, 5), |(i, j)| (10 * i + j) as f64 + 0.25);
    solution_05::from_array(values, (2, 4))
        .expect("valid")
        .store_zarr(&dir.0, Executor::Sequential)
        .expect("written");

    let text = std::fs::read_to_string(dir.0.join("zarr.json")).expect("zarr.json exists");
    let meta: serde_json::Value = serde_json::from_str(&text).expect("zarr.json is JSON");
    assert_eq!(meta["zarr_format"], 3, "{text}");
    assert_eq!(meta["node_type"], "array", "{text}");
    assert_eq!(meta["shape"], serde_json::json!([3, 5]), "{text}");
    assert_eq!(meta["data_type"], "float64", "{text}");
    assert_eq!(meta["chunk_grid"]["name"], "regular", "{text}");
    assert_eq!(
        meta["chunk_grid"]["configuration"]["chunk_shape"],
        serde_json::json!([2, 4]),
        "{text}"
    );
    assert_eq!(meta["chunk_key_encoding"]["name"], "default", "{text}");
    assert_eq!(meta["fill_value"], "NaN", "{text}");
    assert_eq!(
        meta["dimension_names"],
        serde_json::json!(["y", "x"]),
        "{text}"
    );
    let codecs = meta["codecs"].as_array().expect("a codecs list");
    assert_eq!(
        codecs.len(),
        1,
        "uncompressed: only the bytes codec\n{text}"
    );
    assert_eq!(codecs[0]["name"], "bytes", "{text}");
    assert_eq!(codecs[0]["configuration"]["endian"], "little", "{text}");

    // Chunk (1, 1) holds row 2, columns 4..5 of the array, padded to 2×4 with the fill
    // value: 8 little-endian f64s, the first one 24.25.
    let bytes = std::fs::read(dir.0.join("c/1/1")).expect("the default key encoding: c/1/1");
    assert_eq!(bytes.len(), 2 * 4 * 8);
    let first = f64::from_le_bytes(bytes[..8].try_into().unwrap());
    assert_eq!(first, 24.25);
    let second = f64::from_le_bytes(bytes[8..16].try_into().unwrap());
    assert!(second.is_nan(), "beyond the array's edge: the fill value");
}

#[test]
fn a_missing_store_is_an_error_not_a_panic() {
    let dir = Scratch::new("missing");
    let err = ChunkedArray::from_zarr(&dir.0.join("nothing-here"), solution_05::STEPS)
        .err()
        .expect("an error");
    assert!(matches!(err, ZarrError::Store(_)), "{err:?}");
}
