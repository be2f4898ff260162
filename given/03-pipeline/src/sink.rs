//! Stage 4: where the spectra go. Given code (not part of the exercise).

use std::fmt;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ndarray::ArrayView2;
use ndarray_npy::WriteNpyExt;

use crate::Complex64;

// ANCHOR: sink
/// Stage 4: what happens to each image's spectrum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sink {
    /// Nothing is written, like the tutorial's `save` (a function that does nothing).
    Discard,
    /// One `spectrum-NNNNN.npy` file per image in this existing directory, which
    /// `numpy.load` reads as a `complex128` array of the image's shape.
    NpyDir(PathBuf),
    /// A function called with each image's index and spectrum instead of saving it: for
    /// tests and measurements (the course's checks use one to make image 0 finish last).
    Hook(SaveHook),
}
// ANCHOR_END: sink

/// The function of a [`Sink::Hook`]: called once per image, from whichever thread
/// processed it; an `Err` stops the run like a failed write.
pub type SaveFn = dyn Fn(u64, ArrayView2<Complex64>) -> Result<(), SaveError> + Send + Sync;

/// A shared [`SaveFn`]. Two hooks are equal when they are the same function object.
#[derive(Clone)]
pub struct SaveHook(pub Arc<SaveFn>);

impl SaveHook {
    /// Wraps `f`.
    pub fn new(
        f: impl Fn(u64, ArrayView2<Complex64>) -> Result<(), SaveError> + Send + Sync + 'static,
    ) -> SaveHook {
        SaveHook(Arc::new(f))
    }
}

impl fmt::Debug for SaveHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SaveHook(..)")
    }
}

impl PartialEq for SaveHook {
    fn eq(&self, other: &SaveHook) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for SaveHook {}

/// Why the sink refused, with the path involved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveError {
    /// The output directory does not exist (it is not created for you: a typo in a path
    /// should not silently create a new directory somewhere).
    MissingDirectory { dir: PathBuf },
    /// The output path exists but is not a directory.
    NotADirectory { path: PathBuf },
    /// The directory exists but a test file could not be created in it.
    NotWritable { dir: PathBuf, reason: String },
    /// Writing image `index` failed; no file is left under its final name.
    Write {
        index: u64,
        path: PathBuf,
        reason: String,
    },
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SaveError::MissingDirectory { dir } => write!(
                f,
                "the output directory {} does not exist (create it first)",
                dir.display()
            ),
            SaveError::NotADirectory { path } => {
                write!(f, "the output path {} is not a directory", path.display())
            }
            SaveError::NotWritable { dir, reason } => write!(
                f,
                "cannot write into the output directory {}: {reason}",
                dir.display()
            ),
            SaveError::Write {
                index,
                path,
                reason,
            } => write!(
                f,
                "saving image {index} to {} failed: {reason}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for SaveError {}

impl Sink {
    /// The file name image `index` is saved under: `spectrum-00042.npy`.
    pub fn file_name(index: u64) -> String {
        format!("spectrum-{index:05}.npy")
    }

    /// Checks, before any work starts, that saving can succeed: for [`Sink::NpyDir`], the
    /// directory exists, is a directory, and a file can be created in it (a probe file is
    /// created and removed). Cost: a few system calls.
    pub fn prepare(&self) -> Result<(), SaveError> {
        let Sink::NpyDir(dir) = self else {
            return Ok(());
        };
        match fs::metadata(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(SaveError::MissingDirectory { dir: dir.clone() });
            }
            Err(e) => {
                return Err(SaveError::NotWritable {
                    dir: dir.clone(),
                    reason: e.to_string(),
                });
            }
            Ok(meta) if !meta.is_dir() => {
                return Err(SaveError::NotADirectory { path: dir.clone() });
            }
            Ok(_) => {}
        }
        let probe = dir.join(format!(".eo-pipeline-probe-{}", std::process::id()));
        let written = File::create(&probe).and_then(|mut f| f.write_all(b"probe"));
        let _ = fs::remove_file(&probe);
        written.map_err(|e| SaveError::NotWritable {
            dir: dir.clone(),
            reason: e.to_string(),
        })
    }

    // ANCHOR: save
    /// Saves the spectrum of image `index`.
    ///
    /// [`Sink::NpyDir`] writes to a hidden temporary file in the same directory and renames
    /// it to its final name only once it is complete, so a reader never sees a half-written
    /// `spectrum-NNNNN.npy` (a rename within one directory is atomic). On failure the
    /// temporary file is removed and the error names the image and path. An existing file
    /// of the same name is replaced. Call [`Sink::prepare`] once before the first image.
    ///
    /// Cost: [`Sink::Discard`] nothing; [`Sink::Hook`] its function; [`Sink::NpyDir`] writes 16 bytes per pixel plus a
    /// 128-byte header (16 MB for 1000 × 1000) through the page cache (not `fsync`ed).
    pub fn save(&self, index: u64, spectrum: ArrayView2<Complex64>) -> Result<(), SaveError> {
        let dir = match self {
            Sink::Discard => return Ok(()),
            Sink::Hook(hook) => return (hook.0)(index, spectrum),
            Sink::NpyDir(dir) => dir,
        };
        let name = Sink::file_name(index);
        let path = dir.join(&name);
        let partial = dir.join(format!(".{name}.partial"));
        let failed = |reason: String| SaveError::Write {
            index,
            path: path.clone(),
            reason,
        };
        if let Err(reason) = write_npy_file(&partial, spectrum) {
            let _ = fs::remove_file(&partial);
            return Err(failed(reason));
        }
        fs::rename(&partial, &path).map_err(|e| {
            let _ = fs::remove_file(&partial);
            failed(e.to_string())
        })
    }
    // ANCHOR_END: save
}

fn write_npy_file(path: &Path, spectrum: ArrayView2<Complex64>) -> Result<(), String> {
    let file = File::create(path).map_err(|e| e.to_string())?;
    let mut writer = BufWriter::new(file);
    spectrum.write_npy(&mut writer).map_err(|e| e.to_string())?;
    writer.flush().map_err(|e| e.to_string())
}
