//! The `.npy` sink under hostile and concurrent conditions (issue 9, items 11 and 12).

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::PathBuf;

use given_03::{Complex64, Sink};
use ndarray::Array2;

fn scratch(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eo-course-sink-{label}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

fn spectrum(value: f64) -> Array2<Complex64> {
    Array2::from_elem((3, 4), Complex64::new(value, -value))
}

fn names(dir: &PathBuf) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("reading the directory")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn a_symlink_planted_under_a_temporary_name_is_never_followed() {
    let dir = scratch("planted");
    let victim = dir.join("victim.txt");
    fs::write(&victim, "precious").expect("the victim");
    // The name every run used before (issue 9.12), and the next names this process would
    // pick: each must be skipped, never written through.
    symlink(&victim, dir.join(".spectrum-00000.npy.partial")).expect("a planted link");
    for sequence in 0..8 {
        let name = format!(
            ".spectrum-00000.npy.{}-{sequence}.partial",
            std::process::id()
        );
        symlink(&victim, dir.join(name)).expect("a planted link");
    }
    let sink = Sink::NpyDir(dir.clone());
    sink.prepare().expect("the directory is writable");
    sink.save(0, spectrum(1.0).view())
        .expect("saving past the planted links");
    assert_eq!(fs::read_to_string(&victim).expect("the victim"), "precious");
    let saved = dir.join("spectrum-00000.npy");
    assert!(
        fs::symlink_metadata(&saved)
            .expect("saved")
            .file_type()
            .is_file()
    );
    let back: Array2<Complex64> = ndarray_npy::read_npy(&saved).expect("a readable .npy");
    assert_eq!(back, spectrum(1.0));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_symlink_under_the_final_name_is_replaced_not_written_through() {
    let dir = scratch("final-link");
    let victim = dir.join("victim.txt");
    fs::write(&victim, "precious").expect("the victim");
    symlink(&victim, dir.join("spectrum-00003.npy")).expect("a planted link");
    Sink::NpyDir(dir.clone())
        .save(3, spectrum(2.0).view())
        .expect("saving");
    assert_eq!(fs::read_to_string(&victim).expect("the victim"), "precious");
    let saved = dir.join("spectrum-00003.npy");
    assert!(
        fs::symlink_metadata(&saved)
            .expect("saved")
            .file_type()
            .is_file()
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_writability_probe_does_not_follow_a_planted_link() {
    let dir = scratch("probe");
    let victim = dir.join("victim.txt");
    fs::write(&victim, "precious").expect("the victim");
    // The probe's name before issue 9.12.
    symlink(
        &victim,
        dir.join(format!(".eo-pipeline-probe-{}", std::process::id())),
    )
    .expect("a planted link");
    Sink::NpyDir(dir.clone()).prepare().expect("writable");
    assert_eq!(fs::read_to_string(&victim).expect("the victim"), "precious");
    assert!(dir.join("victim.txt").exists());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn many_threads_saving_the_same_images_into_one_directory_never_collide() {
    let dir = scratch("concurrent");
    let sink = Sink::NpyDir(dir.clone());
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                for index in 0..20 {
                    sink.save(index, spectrum(index as f64).view())
                        .expect("no collision on a temporary name");
                }
            });
        }
    });
    let wanted: Vec<String> = (0..20).map(Sink::file_name).collect();
    assert_eq!(
        names(&dir),
        wanted,
        "only complete files, under their final names"
    );
    for index in 0..20 {
        let back: Array2<Complex64> =
            ndarray_npy::read_npy(dir.join(Sink::file_name(index))).expect("readable");
        assert_eq!(back, spectrum(index as f64));
    }
    let _ = fs::remove_dir_all(&dir);
}
