//! Reading libtest's plain output: which tests failed, and what each printed.

use std::collections::BTreeMap;

/// The names listed by `cargo test -- --list` (lines `name: test`).
pub fn listed_tests(list_output: &str) -> Vec<String> {
    list_output
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect()
}

/// For each failed test, what it printed (the `---- name stdout ----` sections).
pub fn failures(test_output: &str) -> BTreeMap<String, String> {
    let mut failed = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in test_output.lines() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            if let Some((n, text)) = current.take() {
                failed.insert(n, text);
            }
            current = Some((name.to_string(), String::new()));
        } else if line == "failures:" || line.starts_with("test result:") {
            if let Some((n, text)) = current.take() {
                failed.insert(n, text);
            }
        } else if let Some((_, text)) = current.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    if let Some((n, text)) = current {
        failed.insert(n, text);
    }
    failed
}

/// The check group of a test name: the part before the first `_` (`correctness`, …).
pub fn group(test_name: &str) -> &str {
    test_name.split('_').next().unwrap_or(test_name)
}

/// The step of a test name written `<group>_step<N>_…` (a chapter whose exercise is taken
/// in steps, each with its own checks and mutants), or `None`.
pub fn step(test_name: &str) -> Option<u32> {
    test_name
        .split('_')
        .find_map(|part| part.strip_prefix("step")?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_list_and_failures() {
        let list = "correctness_a: test\ntiming_b: test\n\n2 tests, 0 benchmarks\n";
        assert_eq!(listed_tests(list), vec!["correctness_a", "timing_b"]);
        let out = "running 2 tests\n\nfailures:\n\n---- correctness_a stdout ----\n\nthread 'x' panicked at a.rs:1:1:\nnot yet implemented: do it\n\n---- timing_b stdout ----\nboom\n\nfailures:\n    correctness_a\n    timing_b\n\ntest result: FAILED. 0 passed; 2 failed\n";
        let f = failures(out);
        assert_eq!(f.len(), 2);
        assert!(f["correctness_a"].contains("not yet implemented: do it"));
        assert!(f["timing_b"].contains("boom"));
        assert_eq!(group("properties_x_y"), "properties");
    }

    #[test]
    fn a_step_is_read_from_the_name() {
        assert_eq!(step("correctness_step2_results"), Some(2));
        assert_eq!(step("mechanism_step12_x"), Some(12));
        assert_eq!(step("correctness_halo_fixed_cases"), None);
        assert_eq!(step("correctness_steps_are_fine"), None);
    }
}
