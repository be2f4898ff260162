//! `cargo xtask verify`: proves the course is sound, step by step, and reports every
//! problem found rather than stopping at the first.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::book;
use crate::cargo::{capture, cargo, workspace_root};
use crate::course::{self, Section};
use crate::rules;
use crate::stubs;

/// A step's one-line summary, or every problem it found.
type StepResult = Result<String, Vec<String>>;
/// A named step of the verification.
type Step<'a> = (&'static str, Box<dyn Fn() -> StepResult + 'a>);

/// Runs every step; `after_cargo_test` says a plain `cargo test` of this tree has just
/// passed, so the first step only adds the timing checks it leaves out.
pub fn run(after_cargo_test: bool) -> Result<(), String> {
    let root = workspace_root();
    let sections = course::sections(&root)?;
    if sections.is_empty() {
        return Err("no sections found under exercises/".into());
    }
    let names: Vec<String> = sections.iter().map(Section::dir_name).collect();
    println!("verify: sections {}\n", names.join(", "));

    let steps: Vec<Step> = vec![
        (
            "solutions pass every check; every mutant is rejected",
            Box::new(|| solutions_pass(&sections, after_cargo_test)),
        ),
        (
            "every check group (and every step of a section taken in steps) has a mutant",
            Box::new(|| mutants_cover_groups(&sections)),
        ),
        (
            "each section macro instantiates every check its module defines",
            Box::new(|| macros_list_every_check(&root, &sections)),
        ),
        (
            "timing checks, and only they, wait to be asked for",
            Box::new(|| only_timing_checks_are_ignored(&sections)),
        ),
        (
            "no exercise depends on its own section's solution",
            Box::new(|| rules::exercises_do_not_link_their_answers(&sections)),
        ),
        (
            "every `book §N.M \"Title\"` pointer names a real heading",
            Box::new(|| rules::book_pointers_resolve(&root)),
        ),
        (
            "pristine stubs fail every check with a todo! naming the book",
            Box::new(|| stubs_fail(&sections)),
        ),
        (
            "stubs with the solution's bodies pasted in pass",
            Box::new(|| pasted_solutions_pass(&root, &sections)),
        ),
        (
            "no todo!/unimplemented! left in solutions, harness or tooling",
            Box::new(|| no_todo_left(&root)),
        ),
        (
            "chapters match exercises; every include names a file and a non-empty anchor",
            Box::new(|| book_is_consistent(&root, &sections)),
        ),
        ("`mdbook build` succeeds", Box::new(|| mdbook_builds(&root))),
    ];

    let mut failed = Vec::new();
    for (i, (title, step)) in steps.iter().enumerate() {
        println!("[{}/{}] {title}", i + 1, steps.len());
        match step() {
            Ok(summary) => println!("  ok: {summary}\n"),
            Err(problems) => {
                for p in &problems {
                    println!("  FAILED: {p}");
                }
                println!();
                failed.push(*title);
            }
        }
    }
    if failed.is_empty() {
        println!("verify: all {} steps passed", steps.len());
        Ok(())
    } else {
        Err(format!(
            "{} of {} steps failed: {}",
            failed.len(),
            steps.len(),
            failed.join("; ")
        ))
    }
}

fn solutions_pass(sections: &[Section], after_cargo_test: bool) -> StepResult {
    let mut command = cargo();
    command.args(["test", "--package", "harness"]);
    for s in sections {
        command.args(["--package", &s.solution_package()]);
    }
    // Timing checks are ignored by default (see harness::instantiate_checks!): include them
    // (or, after a passing `cargo test`, run only them), and show their measurements, which
    // libtest hides for a passing test.
    let which = if after_cargo_test {
        "--ignored"
    } else {
        "--include-ignored"
    };
    command.args(["--", which, "--show-output"]);
    let out = capture(command).map_err(|e| vec![e])?;
    let passed = count_passed(&out.text);
    if out.success {
        // The solutions' own verdicts (a mutant's rejection reads "should be at least" or
        // "allowed:"), each once.
        let mut timings: Vec<&str> = out
            .text
            .lines()
            .filter(|l| {
                // A passing verdict reads "… is N x faster than …" or "… took N x as long
                // …"; a rejection (a mutant's) "should be at least", "slower with", "allowed:".
                l.starts_with("timing: ")
                    && (l.contains(" faster than ") || l.contains(" as long "))
                    && !l.contains("should be at least")
                    && !l.contains("allowed:")
                    || l.starts_with("NOT JUDGED")
            })
            .collect();
        timings.sort_unstable();
        timings.dedup();
        let what = if after_cargo_test {
            "the timing checks; the rest passed in the `cargo test` just before"
        } else {
            "solutions with their timing checks, harness and its mutant tests"
        };
        Ok(format!(
            "{passed} tests passed ({what})\n    {}",
            timings.join("\n    ")
        ))
    } else {
        Err(vec![format!("tests failed:\n{}", tail(&out.text, 60))])
    }
}

fn list_tests(package: &str, test_target: Option<&str>) -> Result<Vec<String>, Vec<String>> {
    let mut command = cargo();
    command.args(["test", "--package", package]);
    if let Some(target) = test_target {
        command.args(["--test", target]);
    }
    command.args(["--", "--list"]);
    let out = capture(command).map_err(|e| vec![e])?;
    if !out.success {
        return Err(vec![format!(
            "could not list the tests of {package}:\n{}",
            tail(&out.text, 30)
        )]);
    }
    Ok(stubs::listed_tests(&out.text))
}

fn mutants_cover_groups(sections: &[Section]) -> StepResult {
    let mut problems = Vec::new();
    let mut covered = 0;
    for s in sections {
        let checks = list_tests(&s.exercise_package(), Some("checks"))?;
        let mutants = list_tests("harness", Some(&s.mutants_test()))?;
        let (found, missing) = uncovered(&checks, &mutants);
        covered += found;
        for what in missing {
            problems.push(format!(
                "section {}: no mutant test in harness/tests/{}.rs {what}",
                s.dir_name(),
                s.mutants_test()
            ));
        }
    }
    if problems.is_empty() {
        Ok(format!(
            "{covered} check groups and steps each have a mutant"
        ))
    } else {
        Err(problems)
    }
}

/// How many of the checks' groups and steps have a mutant test, and a line for each that
/// has none. A mutant test is named like the checks: `<group>_…`, and in a section taken
/// in steps `<group>_step<N>_…` after the step of the check that rejects it.
fn uncovered(checks: &[String], mutants: &[String]) -> (usize, Vec<String>) {
    let mut groups: Vec<&str> = checks.iter().map(|c| stubs::group(c)).collect();
    groups.sort_unstable();
    groups.dedup();
    let mut steps: Vec<u32> = checks.iter().filter_map(|c| stubs::step(c)).collect();
    steps.sort_unstable();
    steps.dedup();
    let mut missing = Vec::new();
    for group in &groups {
        if !mutants.iter().any(|m| stubs::group(m) == *group) {
            missing.push(format!("starts with `{group}_`"));
        }
    }
    for step in &steps {
        if !mutants.iter().any(|m| stubs::step(m) == Some(*step)) {
            missing.push(format!(
                "is named `…_step{step}_…` (each step needs a mutant)"
            ));
        }
    }
    (groups.len() + steps.len() - missing.len(), missing)
}

/// Timing checks are `#[ignore]`d by default and nothing else is: the learner's edit–test
/// loop stays fast, and the timing checks run only when asked for.
fn only_timing_checks_are_ignored(sections: &[Section]) -> StepResult {
    let mut problems = Vec::new();
    let mut timing = 0;
    for s in sections {
        let package = s.exercise_package();
        let all = list_tests(&package, Some("checks"))?;
        let mut command = cargo();
        command.args(["test", "--package", &package, "--test", "checks", "--"]);
        command.args(["--list", "--ignored"]);
        let out = capture(command).map_err(|e| vec![e])?;
        let ignored = stubs::listed_tests(&out.text);
        for check in &all {
            let is_timing = stubs::group(check) == "timing";
            match (is_timing, ignored.contains(check)) {
                (true, true) => timing += 1,
                (true, false) => problems.push(format!("{package}: {check} runs by default")),
                (false, true) => problems.push(format!("{package}: {check} is ignored")),
                (false, false) => {}
            }
        }
    }
    if problems.is_empty() {
        Ok(format!(
            "{timing} timing checks ignored by default, nothing else"
        ))
    } else {
        Err(problems)
    }
}

fn macros_list_every_check(root: &Path, sections: &[Section]) -> StepResult {
    let mut problems = Vec::new();
    let mut listed = 0;
    for s in sections {
        let text = rules::module_text(root, s).map_err(|e| vec![e])?;
        let defined = rules::defined_checks(&text);
        let instantiated = list_tests(&s.exercise_package(), Some("checks"))?;
        listed += defined.len();
        for missing in rules::unlisted_checks(&defined, &instantiated) {
            problems.push(format!(
                "section {}: harness::{}::{missing} is defined but its section macro does \
                 not instantiate it, so it never runs",
                s.dir_name(),
                s.harness_module()
            ));
        }
    }
    if problems.is_empty() {
        Ok(format!(
            "{listed} checks, each instantiated by its section macro"
        ))
    } else {
        Err(problems)
    }
}

fn stubs_fail(sections: &[Section]) -> StepResult {
    let mut problems = Vec::new();
    let mut total = 0;
    for s in sections {
        let package = s.exercise_package();
        let checks = list_tests(&package, Some("checks"))?;
        let mut command = cargo();
        command.args([
            "test",
            "--package",
            &package,
            "--test",
            "checks",
            "--no-fail-fast",
            "--",
            "--include-ignored",
        ]);
        let out = capture(command).map_err(|e| vec![e])?;
        if out.success {
            problems.push(format!("{package}: the pristine stubs PASSED their checks"));
            continue;
        }
        let failures = stubs::failures(&out.text);
        for check in &checks {
            match failures.get(check) {
                None => problems.push(format!("{package}: {check} passed on the pristine stub")),
                Some(text) if !text.contains("not yet implemented") => problems.push(format!(
                    "{package}: {check} failed, but not with the stub's todo! message:\n{}",
                    tail(text, 12)
                )),
                Some(text) if !text.contains("book §") => problems.push(format!(
                    "{package}: {check}'s todo! message does not name a book section:\n{}",
                    tail(text, 12)
                )),
                Some(_) => total += 1,
            }
        }
    }
    if problems.is_empty() {
        Ok(format!(
            "{total} checks fail on the stubs, each with a todo! naming a book section"
        ))
    } else {
        Err(problems)
    }
}

/// Copies the workspace to a scratch directory, replaces every stub file that still holds a
/// `todo!` with the solution's file of the same name, and runs the exercise's checks there.
fn pasted_solutions_pass(root: &Path, sections: &[Section]) -> StepResult {
    let target = crate::cargo::target_dir().map_err(|e| vec![e])?;
    let scratch = target.join("xtask-pasted");
    let _ = fs::remove_dir_all(&scratch);
    copy_tree(root, &scratch).map_err(|e| vec![format!("copying the workspace: {e}")])?;
    let mut problems = Vec::new();
    let mut pasted = 0;
    for s in sections {
        for stub in course::rust_files(&s.exercise_dir(&scratch).join("src")) {
            let text = fs::read_to_string(&stub).unwrap_or_default();
            if !text.contains("todo!(") {
                continue;
            }
            let relative = stub
                .strip_prefix(s.exercise_dir(&scratch))
                .expect("below the exercise");
            let solution_file = s.solution_dir(root).join(relative);
            match fs::copy(&solution_file, &stub) {
                Ok(_) => pasted += 1,
                Err(e) => problems.push(format!(
                    "{}: stub {} has no solution counterpart {} ({e})",
                    s.dir_name(),
                    relative.display(),
                    solution_file.display()
                )),
            }
        }
        let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        command
            .current_dir(&scratch)
            // Reuse the compiled dependencies; the copied workspace crates get their own
            // artifacts because their paths differ.
            .env("CARGO_TARGET_DIR", &target)
            // The checks only: the solutions' doc examples name `solution_NN`, which a
            // pasted copy inside `exercise-NN` is not.
            .args([
                "test",
                "--package",
                &s.exercise_package(),
                "--test",
                "checks",
            ])
            .args(["--", "--include-ignored"]);
        let out = capture(command).map_err(|e| vec![e])?;
        if !out.success {
            problems.push(format!(
                "{} with the solution pasted in fails:\n{}",
                s.exercise_package(),
                tail(&out.text, 40)
            ));
        }
    }
    let _ = fs::remove_dir_all(&scratch);
    problems.extend(mark_exercises_changed(root, sections));
    if problems.is_empty() {
        Ok(format!(
            "{pasted} stub files replaced; every exercise passes"
        ))
    } else {
        Err(problems)
    }
}

/// Cargo names a path package's artifacts by its path relative to the workspace, so the
/// pasted copy's build above reused the real exercises' artifact names and fingerprints,
/// with newer source times: without this, `cargo test -p exercise-NN` (and `cargo xtask
/// progress`) would then run the *pasted solution* as if it were the learner's code, until
/// a stub file changed. Touching the real sources makes cargo rebuild them.
fn mark_exercises_changed(root: &Path, sections: &[Section]) -> Vec<String> {
    let now = std::time::SystemTime::now();
    let mut problems = Vec::new();
    for s in sections {
        for file in course::rust_files(&s.exercise_dir(root)) {
            let touched = fs::File::options()
                .append(true)
                .open(&file)
                .and_then(|f| f.set_modified(now));
            if let Err(e) = touched {
                problems.push(format!(
                    "{}: could not mark it changed after the pasted run ({e}); run `touch` on it \
                     before `cargo test`",
                    file.display()
                ));
            }
        }
    }
    problems
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        // Build output, git's store, the book's output and the Python venv (hundreds of MB)
        // are not part of the course's sources.
        if matches!(
            name.to_str(),
            Some("target" | ".git" | "build" | ".venv" | "__pycache__")
        ) {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if entry.file_type()?.is_dir() {
            copy_tree(&src, &dst)?;
        } else {
            fs::copy(&src, &dst)?;
        }
    }
    Ok(())
}

fn no_todo_left(root: &Path) -> StepResult {
    let mut problems = Vec::new();
    let mut files = 0;
    for dir in ["solutions", "harness", "demo"] {
        for file in course::rust_files(&root.join(dir)) {
            files += 1;
            let text = fs::read_to_string(&file).unwrap_or_default();
            for (n, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if code.starts_with("//") {
                    continue;
                }
                if code.contains("todo!(") || code.contains("unimplemented!(") {
                    problems.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(format!("{files} files clean"))
    } else {
        Err(problems)
    }
}

fn book_is_consistent(root: &Path, sections: &[Section]) -> StepResult {
    let mut problems = book::check_chapters(root, sections);
    let src = root.join("book/src");
    let mut checked = 0;
    for name in course::names_in(&src).map_err(|e| vec![e])? {
        if name.ends_with(".md") {
            checked += 1;
            problems.extend(book::check_includes(&src.join(&name)));
            problems.extend(book::check_solutions_hidden(&src.join(&name)));
        }
    }
    if problems.is_empty() {
        Ok(format!(
            "{} chapters for {} exercises; includes of {checked} pages resolve",
            sections.len(),
            sections.len()
        ))
    } else {
        Err(problems)
    }
}

fn mdbook_builds(root: &Path) -> StepResult {
    let mut command = Command::new("mdbook");
    command.arg("build").arg(root.join("book"));
    let out = capture(command).map_err(|e| {
        vec![format!(
            "{e}\n  install it with `cargo install mdbook --version 0.5.4 --locked` (see README.md)"
        )]
    })?;
    if !out.success {
        return Err(vec![format!(
            "mdbook build failed:\n{}",
            tail(&out.text, 30)
        )]);
    }
    // mdbook reports a missing include only as a warning; treat any warning or error as a failure.
    let noisy: Vec<&str> = out
        .text
        .lines()
        .filter(|l| l.contains("WARN") || l.contains("ERROR"))
        .collect();
    if noisy.is_empty() {
        Ok("book/build/index.html written".into())
    } else {
        Err(noisy.iter().map(|l| format!("mdbook: {l}")).collect())
    }
}

fn count_passed(text: &str) -> usize {
    text.lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum()
}

/// The last `lines` lines of a test run's output, without its stack backtraces: a
/// backtrace is 20-odd lines of frames that would push the failure's own message (the
/// ratio, the expected and actual values) out of the excerpt.
fn tail(text: &str, lines: usize) -> String {
    let mut kept = Vec::new();
    let mut in_backtrace = false;
    for line in text.lines() {
        if line.starts_with("stack backtrace:") {
            in_backtrace = true;
        } else if in_backtrace {
            // A backtrace ends with this note (or, without it, at the next blank line).
            in_backtrace = !(line.starts_with("note: Some details are omitted") || line.is_empty());
        } else {
            kept.push(line);
        }
    }
    kept[kept.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_passed_tests_over_binaries() {
        let text = "test result: ok. 3 passed; 0 failed\nx\ntest result: ok. 10 passed; 0 failed\n";
        assert_eq!(count_passed(text), 13);
    }

    #[test]
    fn every_group_and_every_step_needs_a_mutant() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let checks = names(&["correctness_step1_a", "mechanism_step2_b", "timing_step2_c"]);
        let mutants = names(&["correctness_step1_x", "timing_step2_y"]);
        let (covered, missing) = uncovered(&checks, &mutants);
        assert_eq!(covered, 4);
        assert_eq!(missing, vec!["starts with `mechanism_`"]);
        let (_, missing) = uncovered(
            &checks,
            &names(&["correctness_x", "mechanism_y", "timing_z"]),
        );
        assert_eq!(missing.len(), 2, "{missing:?}");
    }

    #[test]
    fn tail_keeps_the_last_lines() {
        assert_eq!(tail("a\nb\nc", 2), "b\nc");
        assert_eq!(tail("a", 5), "a");
    }

    #[test]
    fn tail_leaves_out_backtraces_but_keeps_the_message() {
        let text = "thread 't' panicked at x.rs:1:2:\ntiming: the ratio was 1.13x\nstack backtrace:\n   0: frame\n             at here\nnote: Some details are omitted, run with `RUST_BACKTRACE=full`\n\nfailures:\n    t";
        assert_eq!(
            tail(text, 4),
            "timing: the ratio was 1.13x\n\nfailures:\n    t"
        );
    }
}
