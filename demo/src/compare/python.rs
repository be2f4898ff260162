//! The Python side: `python/steps.py` in the venv that `python/setup-venv` makes, one fresh
//! process per step and round, read back as JSON.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{Step, Workload};

/// How long one `steps.py` process may take before it is killed: far above a normal run
/// (seconds to a minute), so only a hang reaches it.
const TIMEOUT: Duration = Duration::from_secs(900);

/// The interpreter and the script, both checked to exist.
pub struct Python {
    interpreter: PathBuf,
    script: PathBuf,
}

/// One row of `steps.py`'s JSON.
pub struct PythonRow {
    pub key: String,
    pub what: String,
    /// Seconds per call or per image.
    pub samples: Vec<f64>,
}

/// What one `steps.py` process reported.
pub struct StepResult {
    /// `Python 3.11.7, numpy 2.4.6, …`.
    pub versions: String,
    pub rows: Vec<PythonRow>,
}

/// The repository's `python/` folder.
fn python_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("python"), |root| root.join("python"))
}

impl Python {
    /// `interpreter`, or the venv's python. Errors: no Python 3 on the machine, no venv,
    /// no `steps.py` — each with what to do about it.
    pub fn find(interpreter: Option<PathBuf>) -> Result<Python, String> {
        let dir = python_dir();
        let script = dir.join("steps.py");
        if !script.is_file() {
            return Err(format!("{} is missing", script.display()));
        }
        let venv_python = if cfg!(windows) {
            dir.join(".venv").join("Scripts").join("python.exe")
        } else {
            dir.join(".venv").join("bin").join("python")
        };
        let interpreter = interpreter.unwrap_or(venv_python);
        if interpreter.is_file() {
            return Ok(Python {
                interpreter,
                script,
            });
        }
        let has_python3 = Command::new("python3")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        let setup = dir.join("setup-venv");
        Err(if has_python3 {
            format!(
                "no Python environment at {}: make it with `{}` (a one-time download of \
                 numpy, numba, scipy and dask into python/.venv), then run compare again",
                interpreter.display(),
                setup.display()
            )
        } else {
            format!(
                "Python 3 is not installed (no `python3` on PATH), so there is nothing to \
                 compare with. Install Python 3.11 or newer (Debian/Ubuntu: `sudo apt install \
                 python3 python3-venv`; others: https://www.python.org/downloads/), then run \
                 `{}` and compare again",
                setup.display()
            )
        })
    }

    /// The interpreter's path, for the header.
    pub fn describe(&self) -> String {
        self.interpreter.display().to_string()
    }

    /// Runs `steps.py --json` for `step`. Errors: the process cannot start, fails, hangs
    /// past [`TIMEOUT`], or prints something that is not the expected JSON — with its
    /// standard error, so the reason is visible.
    pub fn run_step(&self, step: Step, work: Workload) -> Result<StepResult, String> {
        let child = Command::new(&self.interpreter)
            .arg(&self.script)
            .args(["--json", "--repeats", &work.repeats.to_string()])
            .args(["--images", &work.images.to_string(), step.name()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.interpreter.display()))?;
        let (ok, stdout, stderr) = wait_with_timeout(child, TIMEOUT)?;
        let failed = |why: &str| {
            format!(
                "python/steps.py {} {why}; its standard error:\n{}",
                step.name(),
                stderr.trim_end()
            )
        };
        if !ok {
            return Err(failed("failed"));
        }
        let json: Value = stdout
            .lines()
            .last()
            .and_then(|line| serde_json::from_str(line).ok())
            .ok_or_else(|| failed("printed no JSON"))?;
        parse(&json).ok_or_else(|| failed("printed JSON of an unexpected shape"))
    }
}

fn parse(json: &Value) -> Option<StepResult> {
    let versions = json["versions"].as_object()?;
    // Python first, then the libraries (the JSON object's order is not kept).
    let python = format!("Python {}", versions.get("python")?.as_str()?);
    let libraries = versions
        .iter()
        .filter(|(name, _)| *name != "python")
        .map(|(name, v)| Some(format!("{name} {}", v.as_str()?)))
        .collect::<Option<Vec<_>>>()?;
    let versions = std::iter::once(python)
        .chain(libraries)
        .collect::<Vec<_>>()
        .join(", ");
    let rows = json["rows"]
        .as_array()?
        .iter()
        .map(|row| {
            Some(PythonRow {
                key: row["key"].as_str()?.to_string(),
                what: row["what"].as_str()?.to_string(),
                samples: row["samples_s"]
                    .as_array()?
                    .iter()
                    .map(Value::as_f64)
                    .collect::<Option<Vec<_>>>()?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(StepResult { versions, rows })
}

/// Waits for `child`, reading its output on two threads (so a full pipe cannot stall it),
/// and kills it after `timeout`. Returns success, standard output and standard error.
fn wait_with_timeout(
    mut child: Child,
    timeout: Duration,
) -> Result<(bool, String, String), String> {
    fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    }
    let stdout = drain(child.stdout.take().expect("stdout is piped"));
    let stderr = drain(child.stderr.take().expect("stderr is piped"));
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "python/steps.py did not finish within {} s and was stopped",
                    timeout.as_secs()
                ));
            }
            Err(e) => return Err(format!("waiting for python/steps.py: {e}")),
        }
    };
    let text = |h: std::thread::JoinHandle<String>| h.join().unwrap_or_default();
    Ok((status.success(), text(stdout), text(stderr)))
}
