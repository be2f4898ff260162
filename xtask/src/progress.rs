//! `cargo xtask progress`: where a learner stands, section by section, without reading
//! libtest's output. Runs each exercise's checks quietly and prints one row per section:
//! the check groups that pass, and the next failing check with the first line of its
//! message. Timing checks run only with `--timing`, once the rest pass (they take seconds
//! each and are ignored by default). With `--watch`, runs again whenever a file under
//! `exercises/` is saved, until Ctrl-C.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use notify::event::ModifyKind;
use notify::{Event, EventKind, RecursiveMode, Watcher};

use crate::cargo::{capture_quietly, cargo};
use crate::course::Section;
use crate::stubs;

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed,
    Ignored,
}

/// Every `test NAME ... ok|FAILED|ignored` line of libtest's output.
pub fn outcomes(text: &str) -> BTreeMap<String, Outcome> {
    text.lines()
        .filter_map(|l| l.strip_prefix("test "))
        .filter_map(|l| l.split_once(" ... "))
        .filter_map(|(name, result)| {
            let outcome = match result.split([' ', ',']).next()? {
                "ok" => Outcome::Passed,
                "FAILED" => Outcome::Failed,
                "ignored" => Outcome::Ignored,
                _ => return None,
            };
            Some((name.to_string(), outcome))
        })
        .collect()
}

/// The order in which a learner meets the check groups.
const GROUP_ORDER: [&str; 7] = [
    "correctness",
    "properties",
    "mechanism",
    "snapshot",
    "stress",
    "faults",
    "timing",
];

/// `"3.10"` as `(3, 10)`, so that §3.10 comes after §3.9.
fn section_number(number: &str) -> (u32, u32) {
    let mut parts = number.split('.').map(|p| p.parse().unwrap_or(u32::MAX));
    (
        parts.next().unwrap_or(u32::MAX),
        parts.next().unwrap_or(u32::MAX),
    )
}

fn rank(check: &str) -> usize {
    let group = stubs::group(check);
    GROUP_ORDER
        .iter()
        .position(|g| *g == group)
        .unwrap_or(GROUP_ORDER.len())
}

/// The first line of a failed check's panic message (what follows `panicked at …:`), or
/// of NOT JUDGED when a timing check could not judge.
pub fn first_message_line(printed: &str) -> String {
    let mut lines = printed.lines();
    while let Some(line) = lines.next() {
        if line.contains("panicked at") {
            return lines.next().unwrap_or("").trim().to_string();
        }
    }
    printed.lines().next().unwrap_or("").trim().to_string()
}

/// One section's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub passed: usize,
    pub total: usize,
    pub timing: String,
    pub next: Option<(String, String)>,
    /// In a section taken in steps (checks named `<group>_step<N>_…`): the step of the next
    /// failing check, the number of steps, and the book section that check points to.
    pub step: Option<Step>,
}

/// Where a learner is in a section taken in steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub number: u32,
    pub of: u32,
    /// `§4.3 "The task graph"`, from the next failing check's message.
    pub read: Option<String>,
}

/// Summarises one run of a section's checks.
pub fn row(text: &str, timing_asked: bool) -> Row {
    let results = outcomes(text);
    let failures = stubs::failures(text);
    let mut failed: Vec<&String> = results
        .iter()
        .filter(|(_, o)| **o == Outcome::Failed)
        .map(|(n, _)| n)
        .collect();
    // The next check is the one of the earliest step (in a section taken in steps), then the
    // one the earliest book section helps with (a learner follows the chapter), then by
    // group: correctness before properties, and so on.
    let pointer = |name: &String| {
        failures
            .get(name)
            .and_then(|printed| crate::rules::pointers(printed).into_iter().next())
    };
    let section_of =
        |name: &String| pointer(name).map_or((u32::MAX, u32::MAX), |p| section_number(&p.section));
    let step_of = |name: &String| stubs::step(name).unwrap_or(u32::MAX);
    failed.sort_by_key(|n| (step_of(n), section_of(n), rank(n), (*n).clone()));
    let steps = results.keys().filter_map(|n| stubs::step(n)).max();
    let step = failed.first().zip(steps).and_then(|(name, of)| {
        Some(Step {
            number: stubs::step(name)?,
            of,
            read: pointer(name).map(|p| format!("§{} \"{}\"", p.section, p.title)),
        })
    });
    let next = failed.first().map(|name| {
        let message = failures
            .get(*name)
            .map(|p| first_message_line(p))
            .unwrap_or_default();
        ((*name).clone(), message)
    });
    let timing_checks: Vec<(&String, &Outcome)> = results
        .iter()
        .filter(|(n, _)| stubs::group(n) == "timing")
        .collect();
    let not_judged = text.lines().filter(|l| l.starts_with("NOT JUDGED")).count();
    let timing = if timing_checks.is_empty() {
        "none".to_string()
    } else if !timing_asked {
        format!("{} not run (--timing)", timing_checks.len())
    } else {
        let passed = timing_checks
            .iter()
            .filter(|(_, o)| **o == Outcome::Passed)
            .count();
        let judged_note = if not_judged > 0 {
            format!(", {not_judged} NOT JUDGED (busy machine)")
        } else {
            String::new()
        };
        format!("{passed}/{} pass{judged_note}", timing_checks.len())
    };
    Row {
        passed: results
            .iter()
            .filter(|(n, o)| **o == Outcome::Passed && stubs::group(n) != "timing")
            .count(),
        total: results
            .keys()
            .filter(|n| stubs::group(n) != "timing")
            .count(),
        timing,
        next,
        step,
    }
}

/// Set by Ctrl-C in `--watch` mode: stop between sections, print nothing half-run.
static STOPPED: AtomicBool = AtomicBool::new(false);

/// What wakes the watch loop.
enum Wake {
    Saved,
    Stop,
}

/// Runs [`run`], then again after every save of a `.rs` or `.toml` file under `exercises/`
/// (the saves of the next 300 ms count as the same one), until Ctrl-C.
///
/// Ctrl-C also reaches the `cargo test` running at that moment (it is in the terminal's
/// process group) and ends it; the loop then stops without printing the half-run table.
pub fn watch(root: &Path, sections: &[Section], timing: bool) -> Result<(), String> {
    let (wake, woken) = mpsc::channel();
    let saved = wake.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
        if event.is_ok_and(|e| is_a_save(&e)) {
            let _ = saved.send(Wake::Saved);
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    let exercises = root.join("exercises");
    watcher
        .watch(&exercises, RecursiveMode::Recursive)
        .map_err(|e| format!("cannot watch {}: {e}", exercises.display()))?;
    ctrlc::set_handler(move || {
        STOPPED.store(true, Ordering::SeqCst);
        let _ = wake.send(Wake::Stop);
    })
    .map_err(|e| format!("cannot handle Ctrl-C: {e}"))?;
    loop {
        run(sections, timing)?;
        if STOPPED.load(Ordering::SeqCst) {
            break;
        }
        println!("\nWatching exercises/ — save a file to run again, Ctrl-C to stop.");
        match woken.recv() {
            Ok(Wake::Saved) => {
                // An editor's save comes as several events (write, rename, …): one run.
                while let Ok(Wake::Saved) = woken.recv_timeout(Duration::from_millis(300)) {}
                if STOPPED.load(Ordering::SeqCst) {
                    break;
                }
            }
            Ok(Wake::Stop) | Err(_) => break,
        }
    }
    println!("\nStopped watching.");
    Ok(())
}

/// A source file was written, created, renamed or removed. Not an access, nor a change of
/// metadata only: compiling reads every source (and may update its access time), which must
/// not start another run.
fn is_a_save(event: &Event) -> bool {
    let source = event
        .paths
        .iter()
        .any(|p| p.extension().is_some_and(|e| e == "rs" || e == "toml"));
    let written = match event.kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    };
    source && written
}

/// Runs every section's checks (timing checks too with `timing`) and prints the table.
pub fn run(sections: &[Section], timing: bool) -> Result<(), String> {
    println!("Running each exercise's checks (quietly)…\n");
    let mut rows = Vec::new();
    for s in sections {
        let mut command = cargo();
        command.args([
            "test",
            "--package",
            &s.exercise_package(),
            "--test",
            "checks",
            "--no-fail-fast",
            "--",
        ]);
        if timing {
            command.arg("--include-ignored");
        }
        let out = capture_quietly(command)?;
        if STOPPED.load(Ordering::SeqCst) {
            return Ok(());
        }
        if !out.text.contains("test result:") {
            rows.push((s, None, first_error(&out.text)));
            continue;
        }
        rows.push((s, Some(row(&out.text, timing)), String::new()));
    }
    for (section, row, error) in &rows {
        let name = section.dir_name();
        match row {
            None => println!("{name}: does not compile yet\n    {error}\n"),
            Some(r) => {
                let status = if r.passed == r.total {
                    "all checks pass".to_string()
                } else {
                    format!("{}/{} checks pass", r.passed, r.total)
                };
                println!("{name}: {status}; timing checks: {}", r.timing);
                if let Some(step) = &r.step {
                    let read = step
                        .read
                        .as_deref()
                        .map(|r| format!(": {r}"))
                        .unwrap_or_default();
                    println!(
                        "    step {} of {}{read} (its checks: `cargo test -p {} step{}_`)",
                        step.number,
                        step.of,
                        section.exercise_package(),
                        step.number
                    );
                }
                if let Some((check, message)) = &r.next {
                    println!("    next: {check}\n    {message}");
                }
                println!();
            }
        }
    }
    println!(
        "Run one section's checks with `cargo test -p exercise-NN`, one group with \
         `cargo test -p exercise-NN correctness_`."
    );
    Ok(())
}

fn first_error(text: &str) -> String {
    text.lines()
        .find(|l| l.starts_with("error"))
        .unwrap_or("(no error line; run `cargo test` to see the output)")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "\
running 4 tests
test correctness_b ... FAILED
test properties_a ... FAILED
test snapshot_c ... ok
test timing_d ... ignored, a timing check
failures:

---- properties_a stdout ----

thread 'properties_a' panicked at src/lib.rs:1:1:
property a broke
  read: book §1.1 \"B\"
---- correctness_b stdout ----

thread 'correctness_b' panicked at src/lib.rs:2:2:
not yet implemented: write b — book §1.2 \"C\"
note: run with `RUST_BACKTRACE=1`

failures:
    correctness_b
    properties_a

test result: FAILED. 1 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out
";

    #[test]
    fn the_next_check_is_the_first_failing_one_in_learning_order() {
        let r = row(OUTPUT, false);
        assert_eq!((r.passed, r.total), (1, 3));
        assert_eq!(r.timing, "1 not run (--timing)");
        let (check, message) = r.next.expect("a failing check");
        // §1.1 comes before §1.2, whatever the group.
        assert_eq!(check, "properties_a");
        assert_eq!(message, "property a broke");
    }

    #[test]
    fn only_a_write_of_a_source_file_is_a_save() {
        use notify::event::{AccessKind, CreateKind, DataChange, MetadataKind};
        let event = |kind, path: &str| Event::new(kind).add_path(path.into());
        let written = EventKind::Modify(ModifyKind::Data(DataChange::Content));
        assert!(is_a_save(&event(written, "exercises/04/src/scheduler.rs")));
        assert!(is_a_save(&event(
            EventKind::Create(CreateKind::File),
            "a/Cargo.toml"
        )));
        assert!(!is_a_save(&event(written, "exercises/04/notes.txt")));
        assert!(!is_a_save(&event(
            EventKind::Access(AccessKind::Read),
            "a/lib.rs"
        )));
        let access_time = EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime));
        assert!(!is_a_save(&event(access_time, "a/lib.rs")));
    }

    #[test]
    fn a_solved_section_has_no_next_check() {
        let text = "test correctness_b ... ok\ntest timing_d ... ok\nNOT JUDGED timing_d: busy\ntest result: ok. 2 passed";
        let r = row(text, true);
        assert_eq!((r.passed, r.total), (1, 1));
        assert_eq!(r.next, None);
        assert_eq!(r.step, None);
        assert_eq!(r.timing, "1/1 pass, 1 NOT JUDGED (busy machine)");
    }

    #[test]
    fn in_a_section_taken_in_steps_the_next_check_is_of_the_earliest_failing_step() {
        let text = "\
test correctness_step1_a ... ok
test mechanism_step3_c ... FAILED
test correctness_step2_b ... FAILED
test timing_step3_d ... ignored, a timing check
failures:

---- mechanism_step3_c stdout ----

thread 'mechanism_step3_c' panicked at src/lib.rs:1:1:
c broke
  read: book §4.2 \"Early\"
---- correctness_step2_b stdout ----

thread 'correctness_step2_b' panicked at src/lib.rs:2:2:
b broke
  read: book §4.3 \"The task graph\"

failures:
    correctness_step2_b
    mechanism_step3_c

test result: FAILED. 1 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out
";
        let r = row(text, false);
        // Step 2 comes first although step 3's check points to an earlier book section.
        assert_eq!(r.next.expect("a failing check").0, "correctness_step2_b");
        assert_eq!(
            r.step,
            Some(Step {
                number: 2,
                of: 3,
                read: Some("§4.3 \"The task graph\"".into())
            })
        );
    }
}
