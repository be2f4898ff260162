//! Stage 4: where the spectra go. Given code (not part of the exercise).

use std::collections::BTreeSet;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

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
    ///
    /// # Errors
    /// [`SaveError`] naming the directory and what is wrong with it (missing, not a
    /// directory, not writable).
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
        let (probe, file) =
            create_unique(dir, ".eo-pipeline-probe").map_err(|e| SaveError::NotWritable {
                dir: dir.clone(),
                reason: e.to_string(),
            })?;
        let written = { file }.write_all(b"probe");
        let _ = fs::remove_file(&probe);
        written.map_err(|e| SaveError::NotWritable {
            dir: dir.clone(),
            reason: e.to_string(),
        })
    }

    // ANCHOR: save
    /// Saves the spectrum of image `index`.
    ///
    /// [`Sink::NpyDir`] writes to a hidden temporary file in the same directory,
    /// `.spectrum-NNNNN.npy.<process id>-<sequence>.partial`, and renames it to its final
    /// name only once it is complete, so a reader never sees a half-written
    /// `spectrum-NNNNN.npy` (a rename within one directory is atomic). The temporary file
    /// is created exclusively (`create_new`, and `O_NOFOLLOW` on Unix): it never opens an
    /// existing file or follows a symbolic link planted under its name, and two runs (or
    /// two sinks) saving into one directory never share one. An existing file or link
    /// under the final name is replaced, never written through.
    ///
    /// After [`stop_saving`] (the program was interrupted) no temporary file is created or
    /// renamed any more, and those being written have been removed.
    ///
    /// # Errors
    /// [`SaveError::Write`] naming the image and path; the temporary file is removed.
    /// Call [`Sink::prepare`] once before the first image.
    ///
    /// Cost: [`Sink::Discard`] nothing; [`Sink::Hook`] its function; [`Sink::NpyDir`]
    /// writes 16 bytes per pixel plus a 128-byte header (16 MB for 1000 × 1000) through the
    /// page cache (not `fsync`ed).
    pub fn save(&self, index: u64, spectrum: ArrayView2<Complex64>) -> Result<(), SaveError> {
        let dir = match self {
            Sink::Discard => return Ok(()),
            Sink::Hook(hook) => return (hook.0)(index, spectrum),
            Sink::NpyDir(dir) => dir,
        };
        let name = Sink::file_name(index);
        let path = dir.join(&name);
        let failed = |reason: String| SaveError::Write {
            index,
            path: path.clone(),
            reason,
        };
        // The registry's lock is held while the temporary file is created and while it is
        // renamed, never while it is written: `stop_saving` then sees every temporary file
        // that exists, and none appears or is renamed after it.
        let (partial, file) = {
            let mut unfinished = unfinished_files();
            let Some(set) = unfinished.as_mut() else {
                return Err(failed("interrupted".into()));
            };
            let (partial, file) =
                create_unique(dir, &format!(".{name}")).map_err(|e| failed(e.to_string()))?;
            set.insert(partial.clone());
            (partial, file)
        };
        let written = write_npy(file, spectrum);
        let mut unfinished = unfinished_files();
        let Some(set) = unfinished.as_mut() else {
            // Interrupted while writing: `stop_saving` has removed the file already.
            return Err(failed("interrupted".into()));
        };
        set.remove(&partial);
        let renamed = written.and_then(|()| fs::rename(&partial, &path).map_err(|e| e.to_string()));
        if let Err(reason) = renamed {
            let _ = fs::remove_file(&partial);
            return Err(failed(reason));
        }
        Ok(())
    }
    // ANCHOR_END: save
}

fn write_npy(file: File, spectrum: ArrayView2<Complex64>) -> Result<(), String> {
    let mut writer = BufWriter::new(file);
    spectrum.write_npy(&mut writer).map_err(|e| e.to_string())?;
    writer.flush().map_err(|e| e.to_string())
}

/// Numbers this process's temporary files, so that none is ever asked for twice.
static SEQUENCE: AtomicU64 = AtomicU64::new(0);

/// Tries this many names before giving up (each taken name is another process's file or
/// something planted; 16 in a row means something is wrong with the directory).
const NAME_ATTEMPTS: usize = 16;

/// Creates a new file `<prefix>.<process id>-<sequence>.partial` in `dir`, exclusively and
/// without following a symbolic link; a name that exists already is skipped for the next.
fn create_unique(dir: &Path, prefix: &str) -> std::io::Result<(PathBuf, File)> {
    let mut last_error = None;
    for _ in 0..NAME_ATTEMPTS {
        let sequence = SEQUENCE.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(
            "{prefix}.{}-{sequence}.partial",
            std::process::id()
        ));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NOFOLLOW);
        }
        match options.open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last_error = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_error.expect("at least one attempt"))
}

/// The temporary files being written by this process; `None` once [`stop_saving`] ran.
static UNFINISHED: Mutex<Option<BTreeSet<PathBuf>>> = Mutex::new(Some(BTreeSet::new()));

fn unfinished_files() -> MutexGuard<'static, Option<BTreeSet<PathBuf>>> {
    UNFINISHED.lock().unwrap_or_else(|e| e.into_inner())
}

// ANCHOR: stop_saving
/// For an interrupted program (its Ctrl-C handler): removes every temporary file this
/// process is writing and makes every later [`Sink::save`] fail, so that no `.partial`
/// file is left behind and no new one appears. Returns how many files it removed.
///
/// What is left in the directory afterwards: every `spectrum-NNNNN.npy` present is
/// complete (it was renamed into place whole), and no other file of this run. In a
/// parallel run the complete images are *not* a prefix `0..k`: each thread works through
/// its own part of the index range, so any subset may be done. Only a process killed
/// outright (`SIGKILL`, power loss) can leave a `.spectrum-….partial` file: hidden, never
/// under a final name, and safe to delete.
pub fn stop_saving() -> usize {
    let mut unfinished = unfinished_files();
    let files = unfinished.take().unwrap_or_default();
    files.iter().filter(|f| fs::remove_file(f).is_ok()).count()
}
// ANCHOR_END: stop_saving
