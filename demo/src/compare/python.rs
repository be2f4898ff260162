//! The Python side: `python/steps.py` in the venv that `python/setup-venv` makes, one fresh
//! process per step and round, read back as JSON.

use std::io::Read;
use std::path::PathBuf;
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
#[derive(Debug)]
pub struct PythonRow {
    pub key: String,
    pub what: String,
    /// Seconds per call or per image.
    pub samples: Vec<f64>,
}

/// What one `steps.py` process reported.
#[derive(Debug)]
pub struct StepResult {
    /// `Python 3.11.7, numpy 2.4.6, …`.
    pub versions: String,
    pub rows: Vec<PythonRow>,
}

/// The repository's `python/` folder.
fn python_dir() -> PathBuf {
    crate::paths::workspace_root().join("python")
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

    /// Before any work, makes sure the course's kernels in the environment are this
    /// checkout's (the `bridge` step imports them): with the project's venv, runs
    /// `python/build-bridge`, which rebuilds only what changed (seconds when nothing did).
    /// Without it, a module built before the last change of a kernel would be compared
    /// with the kernel as it is now, and the bridge rows would measure the change instead
    /// of the call from Python. With another interpreter (`--python`), only checks that the
    /// module imports. Errors: the build fails, or `eo_kernels` cannot be imported — with
    /// the command that builds it.
    pub fn check_bridge(&self) -> Result<(), String> {
        let venv_python = python_dir().join(".venv/bin/python");
        if self.interpreter == venv_python {
            let build = python_dir().join("build-bridge");
            eprintln!(
                "compare: rebuilding the course's kernels into the venv ({}), so that the \
                 bridge step measures this checkout's",
                build.display()
            );
            let built = Command::new(&build)
                .stdin(Stdio::null())
                .status()
                .map_err(|e| format!("could not run {}: {e}", build.display()))?;
            if !built.success() {
                return Err(format!(
                    "{} failed ({built}); its output is above. Fix it, or leave the bridge \
                     step out (--steps add,smooth,fft2,pipeline,dask)",
                    build.display()
                ));
            }
        }
        let imported = Command::new(&self.interpreter)
            .args(["-c", "import eo_kernels"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if imported {
            return Ok(());
        }
        Err(format!(
            "the bridge step needs the course's kernels in {}: build them with `{}` (maturin, \
             about a minute), or leave the step out (--steps add,smooth,fft2,pipeline,dask)",
            self.interpreter.display(),
            python_dir().join("build-bridge").display()
        ))
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

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"versions": {"numpy": "2.4.6", "python": "3.11.7"},
        "load_before": [0.1, 0.2, 0.3], "load_after": [0.1, 0.2, 0.3],
        "rows": [{"key": "fft2", "what": "np.fft.fft2", "unit": "call",
                  "samples_s": [0.013, 0.012], "median_s": 0.0125, "min_s": 0.012,
                  "max_s": 0.013, "n": 2}]}"#;

    #[test]
    fn the_json_of_steps_py_is_read_with_python_first() {
        let result = parse(&serde_json::from_str(GOOD).unwrap()).expect("parsed");
        assert_eq!(result.versions, "Python 3.11.7, numpy 2.4.6");
        assert_eq!(result.rows.len(), 1);
        assert_eq!(result.rows[0].key, "fft2");
        assert_eq!(result.rows[0].samples, vec![0.013, 0.012]);
    }

    #[test]
    fn json_of_another_shape_is_refused() {
        let missing_samples = GOOD.replace("samples_s", "samples");
        assert!(parse(&serde_json::from_str(&missing_samples).unwrap()).is_none());
        let text_sample = GOOD.replace("0.013, 0.012", "\"fast\"");
        assert!(parse(&serde_json::from_str(&text_sample).unwrap()).is_none());
    }

    #[test]
    fn a_missing_interpreter_says_how_to_make_the_venv() {
        let Err(error) = Python::find(Some("/nonexistent/python".into())) else {
            panic!("a missing interpreter was accepted");
        };
        assert!(error.contains("setup-venv"), "{error}");
    }

    #[test]
    fn steps_py_in_the_venv_reports_known_rows_with_versions() {
        let Ok(python) = Python::find(None) else {
            eprintln!("skipped: no python/.venv (python/setup-venv makes it)");
            return;
        };
        let work = Workload {
            repeats: 2,
            images: 1,
        };
        let result = python
            .run_step(Step::Fft2, work)
            .expect("steps.py fft2 runs");
        assert!(
            result.versions.starts_with("Python 3."),
            "{}",
            result.versions
        );
        assert_eq!(result.rows.len(), 1);
        assert_eq!(result.rows[0].key, "fft2");
        assert_eq!(result.rows[0].samples.len(), 2);
    }

    /// A fake `steps.py`: a shell script, run by `/bin/sh`, that ignores its arguments.
    /// `sh` reads it rather than the kernel executing it: executing a file just written fails
    /// now and then with "Text file busy" when another test forks at that moment (the child
    /// holds the write descriptor until its own exec).
    #[cfg(unix)]
    fn fake(name: &str, body: &str) -> Python {
        let dir = std::env::temp_dir().join(format!("demo-compare-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, format!("{body}\n")).unwrap();
        Python {
            interpreter: PathBuf::from("/bin/sh"),
            script: path,
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_failing_or_silent_step_is_an_error_carrying_its_stderr() {
        let work = Workload {
            repeats: 1,
            images: 1,
        };
        let failing = fake("failing", "echo 'ModuleNotFoundError: numba' >&2; exit 1");
        let error = failing.run_step(Step::Smooth, work).unwrap_err();
        assert!(
            error.contains("failed") && error.contains("numba"),
            "{error}"
        );
        let silent = fake("silent", "echo 'not json'");
        let error = silent.run_step(Step::Fft2, work).unwrap_err();
        assert!(error.contains("printed no JSON"), "{error}");
        let good = fake(
            "good",
            &format!("cat <<'END'\n{}\nEND", GOOD.replace('\n', " ")),
        );
        assert_eq!(good.run_step(Step::Fft2, work).unwrap().rows.len(), 1);
    }
}
