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
}
