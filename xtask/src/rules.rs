//! Rules of the course's layout that `cargo xtask verify` enforces beyond "the tests pass":
//! no exercise links its own answers, every book pointer names a real heading, and every
//! check a section module defines is instantiated by its macro.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use crate::cargo::{capture, cargo};
use crate::course::{self, Section};

/// `cargo tree -p exercise-NN` (normal, build and dev dependencies, transitively) must not
/// show `solution-NN`: a learner could otherwise re-export the answers.
pub fn exercises_do_not_link_their_answers(sections: &[Section]) -> Result<String, Vec<String>> {
    let mut problems = Vec::new();
    for s in sections {
        let mut command = cargo();
        command.args([
            "tree",
            "--package",
            &s.exercise_package(),
            "--edges",
            "normal,build,dev",
            "--prefix",
            "none",
        ]);
        let out = capture(command).map_err(|e| vec![e])?;
        if !out.success {
            problems.push(format!("cargo tree failed:\n{}", out.text));
            continue;
        }
        let own = format!("{} v", s.solution_package());
        if out.text.lines().any(|l| l.starts_with(&own)) {
            problems.push(format!(
                "{} depends (directly or through another crate) on {}: move what it needs \
                 into given/{}",
                s.exercise_package(),
                s.solution_package(),
                s.dir_name()
            ));
        }
    }
    if problems.is_empty() {
        Ok(format!(
            "{} exercises, none depends on its own solution",
            sections.len()
        ))
    } else {
        Err(problems)
    }
}

/// A `book §N.M "Title"` pointer found in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pointer {
    pub section: String,
    pub title: String,
}

/// Every `book §N.M "Title"` in `text` (in Rust sources the quotes are escaped: `\"`).
pub fn pointers(text: &str) -> Vec<Pointer> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("book §") {
        rest = &rest[start + "book §".len()..];
        let number: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let after_number = &rest[number.len()..];
        // A title follows after a space: `book §1.2 "Title"` (in Rust: `\"Title\"`). A quote
        // right after the number closes a string instead (`"book §1.2"`).
        if !after_number.starts_with(' ') {
            continue;
        }
        let after = after_number.trim_start();
        let after = after.strip_prefix('\\').unwrap_or(after);
        let Some(quoted) = after.strip_prefix('"') else {
            continue;
        };
        let end = quoted.find(['"', '\\']).unwrap_or(quoted.len());
        found.push(Pointer {
            section: number.trim_end_matches('.').to_string(),
            title: quoted[..end].to_string(),
        });
    }
    found
}

/// The headings `## N.M Title` (any level) of every numbered chapter: `("N.M", "Title")`.
fn headings(root: &Path) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    let src = root.join("book/src");
    for name in course::names_in(&src).unwrap_or_default() {
        if !name.ends_with(".md") {
            continue;
        }
        let text = fs::read_to_string(src.join(&name)).unwrap_or_default();
        for line in text.lines() {
            let Some(heading) = line.strip_prefix('#') else {
                continue;
            };
            let heading = heading.trim_start_matches('#').trim();
            if let Some((number, title)) = heading.split_once(' ')
                && number.contains('.')
                && number.chars().all(|c| c.is_ascii_digit() || c == '.')
            {
                found.insert((number.to_string(), title.trim().to_string()));
            }
        }
    }
    found
}

/// Every book pointer in `exercises/`, `given/` and `harness/` names a heading that exists,
/// with the same number and title; in the harness, pointers are written only in the table
/// `harness/src/book.rs`.
pub fn book_pointers_resolve(root: &Path) -> Result<String, Vec<String>> {
    let headings = headings(root);
    let mut problems = Vec::new();
    let mut checked = 0;
    for dir in ["exercises", "harness", "given"] {
        for file in course::rust_files(&root.join(dir)) {
            let text = fs::read_to_string(&file).unwrap_or_default();
            let relative = file.strip_prefix(root).unwrap_or(&file).to_path_buf();
            let harness_table = Path::new("harness/src/book.rs");
            let in_harness = relative.starts_with("harness/src");
            for p in pointers(&text) {
                checked += 1;
                if in_harness && relative != harness_table {
                    problems.push(format!(
                        "{}: book §{} \"{}\": the harness's pointers live in one table, \
                         harness/src/book.rs; use its constant",
                        relative.display(),
                        p.section,
                        p.title
                    ));
                }
                if !headings.contains(&(p.section.clone(), p.title.clone())) {
                    problems.push(format!(
                        "{}: book §{} \"{}\" names no heading of the book",
                        file.strip_prefix(root).unwrap_or(&file).display(),
                        p.section,
                        p.title
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(format!("{checked} pointers name real headings"))
    } else {
        Err(problems)
    }
}

/// The check functions a harness section module defines: `pub fn <group>_<name>(`.
pub fn defined_checks(module_text: &str) -> BTreeSet<String> {
    const GROUPS: [&str; 7] = [
        "correctness_",
        "properties_",
        "mechanism_",
        "snapshot_",
        "timing_",
        "stress_",
        "faults_",
    ];
    module_text
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("pub fn "))
        .filter_map(|l| l.split(['(', '<']).next())
        .filter(|name| GROUPS.iter().any(|g| name.starts_with(g)))
        .map(str::to_string)
        .collect()
}

/// The harness module of a section: `harness/src/<slug>.rs` or `harness/src/<slug>/`; an
/// error naming both places when neither exists.
pub fn module_text(root: &Path, section: &Section) -> Result<String, String> {
    let name = section.harness_module();
    let single = root.join("harness/src").join(format!("{name}.rs"));
    let mut files = course::rust_files(&root.join("harness/src").join(&name));
    if single.exists() {
        files.push(single.clone());
    }
    if files.is_empty() {
        return Err(format!(
            "section {}: its checks belong in {} or harness/src/{name}/",
            section.dir_name(),
            single.display()
        ));
    }
    Ok(files
        .iter()
        .map(|f| fs::read_to_string(f).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n"))
}

/// Every check the module defines is instantiated (the section macro is the only list of
/// checks, so one forgotten there is never run).
pub fn unlisted_checks(defined: &BTreeSet<String>, instantiated: &[String]) -> Vec<String> {
    defined
        .iter()
        .filter(|d| !instantiated.iter().any(|i| i == *d))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_are_found_in_rust_and_plain_text() {
        let rust = r#"todo!("… book §3.1 \"Stage 1: images from an index\" (book/src/03.md)")"#;
        let plain = r#"read: book §4.2 "The task graph" (x)"#;
        assert_eq!(
            pointers(rust),
            vec![Pointer {
                section: "3.1".into(),
                title: "Stage 1: images from an index".into()
            }]
        );
        assert_eq!(pointers(plain)[0].title, "The task graph");
        assert!(pointers("book § and nothing").is_empty());
        assert!(pointers(r#"compare("add", "book §1.2", a, b)"#).is_empty());
    }

    #[test]
    fn defined_checks_are_the_grouped_pub_fns() {
        let text = "pub fn correctness_a(api: &A) {}\nfn properties_b() {}\npub fn helper() {}\n    pub fn timing_c<T>(x: T) {}";
        let found: Vec<String> = defined_checks(text).into_iter().collect();
        assert_eq!(found, vec!["correctness_a", "timing_c"]);
        let missing = unlisted_checks(&defined_checks(text), &["correctness_a".into()]);
        assert_eq!(missing, vec!["timing_c"]);
    }
}
