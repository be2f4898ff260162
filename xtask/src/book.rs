//! Book checks that `mdbook build` does not make: a missing `{{#include}}` file or anchor is
//! only a warning there, and the build still succeeds.

use std::fs;
use std::path::Path;

use crate::course::Section;

/// One `{{#include …}}` (or `{{#rustdoc_include …}}`) found in a chapter.
#[derive(Debug, PartialEq, Eq)]
pub struct Include {
    pub path: String,
    pub anchor: Option<String>,
}

/// Finds every include directive in `markdown`.
pub fn includes(markdown: &str) -> Vec<Include> {
    let mut found = Vec::new();
    for directive in ["{{#include ", "{{#rustdoc_include "] {
        let mut rest = markdown;
        while let Some(start) = rest.find(directive) {
            let after = &rest[start + directive.len()..];
            let Some(end) = after.find("}}") else { break };
            let target = after[..end].trim();
            let (path, anchor) = match target.split_once(':') {
                Some((path, anchor)) => (path, Some(anchor.to_string())),
                None => (target, None),
            };
            found.push(Include {
                path: path.to_string(),
                anchor,
            });
            rest = &after[end..];
        }
    }
    found
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, without other anchor markers.
pub fn anchor_body(source: &str, name: &str) -> Option<String> {
    // `// ANCHOR: name` in Rust, `# ANCHOR: name` in Python and shell, as mdBook reads them.
    let is_marker = |line: &str, kind: &str| {
        let line = line.trim_start();
        line.strip_prefix("//")
            .or_else(|| line.strip_prefix('#'))
            .map(str::trim)
            .and_then(|l| l.strip_prefix(kind))
            .is_some_and(|n| n.trim() == name)
    };
    let mut lines = source.lines().skip_while(|l| !is_marker(l, "ANCHOR:"));
    lines.next()?;
    let mut body = Vec::new();
    for line in lines {
        if is_marker(line, "ANCHOR_END:") {
            let text: Vec<&str> = body
                .into_iter()
                .filter(|l: &&str| !l.contains("ANCHOR:") && !l.contains("ANCHOR_END:"))
                .collect();
            return Some(text.join("\n"));
        }
        body.push(line);
    }
    None
}

/// Problems with the includes of one chapter file.
pub fn check_includes(chapter: &Path) -> Vec<String> {
    let Ok(markdown) = fs::read_to_string(chapter) else {
        return vec![format!("{}: cannot read", chapter.display())];
    };
    let dir = chapter.parent().unwrap_or(Path::new("."));
    let mut problems = Vec::new();
    for include in includes(&markdown) {
        let where_ = format!("{}: {{{{#include {}}}}}", chapter.display(), include.path);
        let target = dir.join(&include.path);
        let Ok(source) = fs::read_to_string(&target) else {
            problems.push(format!("{where_}: no such file {}", target.display()));
            continue;
        };
        match &include.anchor {
            None => {}
            Some(anchor) if anchor.chars().next().is_some_and(|c| c.is_ascii_digit()) => problems
                .push(format!(
                    "{where_}:{anchor}: include by named anchor, never by line numbers"
                )),
            Some(anchor) => match anchor_body(&source, anchor) {
                None => problems.push(format!(
                    "{where_}:{anchor}: no anchor '{anchor}' in {}",
                    target.display()
                )),
                Some(body) if body.trim().is_empty() => {
                    problems.push(format!("{where_}:{anchor}: anchor '{anchor}' is empty"))
                }
                Some(body) if include.path.ends_with(".rs") && brace_depth(&body) != 0 => problems
                    .push(format!(
                        "{where_}:{anchor}: the included code opens {} more braces than it closes; \
                     end the anchor where the block ends",
                        brace_depth(&body)
                    )),
                Some(_) => {}
            },
        }
    }
    problems
}

/// Braces opened minus braces closed in Rust `code`, outside comments, strings and character
/// literals: 0 when an included excerpt shows whole blocks.
pub fn brace_depth(code: &str) -> i64 {
    let mut depth = 0;
    for line in code.lines() {
        let mut chars = line.chars().peekable();
        let mut in_string = false;
        while let Some(c) = chars.next() {
            match c {
                '\\' if in_string => {
                    chars.next();
                }
                '"' => in_string = !in_string,
                _ if in_string => {}
                '/' if chars.peek() == Some(&'/') => break,
                // A character literal such as '{' or '\''; a lifetime ('a) has no closing quote.
                '\'' => {
                    let mut ahead = chars.clone();
                    let first = ahead.next();
                    let literal = match first {
                        Some('\\') => ahead.nth(1) == Some('\''),
                        Some(_) => ahead.next() == Some('\''),
                        None => false,
                    };
                    if literal {
                        chars.nth(if first == Some('\\') { 2 } else { 1 });
                    }
                }
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
        }
    }
    depth
}

/// A chapter's solutions page is `NN-name-solutions.md`.
pub const SOLUTIONS_SUFFIX: &str = "-solutions";

/// Solutions stay out of sight until the learner asks: an include of `solutions/` code is
/// allowed only on a solutions page, or inside a collapsed `<details>` block.
pub fn check_solutions_hidden(chapter: &Path) -> Vec<String> {
    let Ok(markdown) = fs::read_to_string(chapter) else {
        return vec![format!("{}: cannot read", chapter.display())];
    };
    let is_solutions_page = chapter
        .file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| s.ends_with(SOLUTIONS_SUFFIX));
    if is_solutions_page {
        return Vec::new();
    }
    let mut problems = Vec::new();
    let mut open_details = 0_i32;
    for (n, line) in markdown.lines().enumerate() {
        open_details += line.matches("<details").count() as i32;
        open_details -= line.matches("</details>").count() as i32;
        for include in includes(line) {
            if include.path.contains("solutions/") && open_details <= 0 {
                problems.push(format!(
                    "{}:{}: includes solution code {} outside a solutions page or a \
                     <details> block",
                    chapter.display(),
                    n + 1,
                    include.path
                ));
            }
        }
    }
    problems
}

/// Every exercise has a chapter listed in SUMMARY.md, and every numbered chapter an exercise.
pub fn check_chapters(root: &Path, sections: &[Section]) -> Vec<String> {
    let mut problems = Vec::new();
    let summary = fs::read_to_string(root.join("book/src/SUMMARY.md")).unwrap_or_default();
    for section in sections {
        let chapter = section.chapter(root);
        if !chapter.exists() {
            problems.push(format!(
                "exercise {} has no chapter {}",
                section.dir_name(),
                chapter.display()
            ));
        }
        if !summary.contains(&format!("({}.md)", section.dir_name())) {
            problems.push(format!(
                "book/src/SUMMARY.md does not list {}.md",
                section.dir_name()
            ));
        }
        if !section.solution_dir(root).exists() {
            problems.push(format!(
                "exercise {} has no solution {}",
                section.dir_name(),
                section.solution_dir(root).display()
            ));
        }
    }
    let chapters = crate::course::names_in(&root.join("book/src")).unwrap_or_default();
    for name in chapters {
        let Some(stem) = name.strip_suffix(".md") else {
            continue;
        };
        if stem.ends_with(SOLUTIONS_SUFFIX) {
            continue;
        }
        if let Some(section) = crate::course::parse_section(stem)
            && !section.exercise_dir(root).exists()
        {
            problems.push(format!(
                "chapter book/src/{name} has no exercise {}",
                section.exercise_dir(root).display()
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_includes_with_and_without_anchors() {
        let md = "a {{#include ../x.rs:body}} b {{#rustdoc_include y.rs}} c";
        assert_eq!(
            includes(md),
            vec![
                Include {
                    path: "../x.rs".into(),
                    anchor: Some("body".into())
                },
                Include {
                    path: "y.rs".into(),
                    anchor: None
                },
            ]
        );
    }

    #[test]
    fn anchor_bodies_are_found_and_empty_ones_detected() {
        let src = "// ANCHOR: a\nfn a() {}\n// ANCHOR_END: a\n// ANCHOR: e\n// ANCHOR_END: e\n";
        assert_eq!(anchor_body(src, "a").as_deref(), Some("fn a() {}"));
        assert_eq!(anchor_body(src, "e").as_deref(), Some(""));
        assert_eq!(anchor_body(src, "missing"), None);
    }

    #[test]
    fn solution_includes_outside_details_are_problems() {
        let dir = std::env::temp_dir().join(format!("xtask-hidden-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let lesson = "{{#include ../../exercises/a.rs:x}}\n<details>\n{{#include ../../solutions/a.rs:x}}\n</details>\n{{#include ../../solutions/a.rs:y}}\n";
        fs::write(dir.join("01-a.md"), lesson).unwrap();
        fs::write(dir.join("01-a-solutions.md"), lesson).unwrap();
        let lesson_problems = check_solutions_hidden(&dir.join("01-a.md"));
        let solutions_problems = check_solutions_hidden(&dir.join("01-a-solutions.md"));
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(lesson_problems.len(), 1, "{lesson_problems:#?}");
        assert!(lesson_problems[0].contains(":5:"), "{lesson_problems:#?}");
        assert!(solutions_problems.is_empty());
    }

    #[test]
    fn python_anchors_are_found() {
        let src = "# ANCHOR: loop\nfor i in range(3):\n    pass\n# ANCHOR_END: loop\n";
        assert_eq!(
            anchor_body(src, "loop").as_deref(),
            Some("for i in range(3):\n    pass")
        );
    }

    #[test]
    fn brace_depth_ignores_strings_comments_and_chars() {
        assert_eq!(brace_depth("fn f() {\n    g();\n}"), 0);
        assert_eq!(brace_depth("if let Err(e) = x {"), 1);
        assert_eq!(brace_depth(r#"println!("{{ {x} }}"); // {"#), 0);
        assert_eq!(
            brace_depth("let c = '{'; let d = '\\''; fn f<'a>(x: &'a str) {}"),
            0
        );
    }

    #[test]
    fn line_number_includes_and_missing_anchors_are_problems() {
        let dir = std::env::temp_dir().join(format!("xtask-book-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("code.rs"),
            "// ANCHOR: ok\nfn f() {}\n// ANCHOR_END: ok\n",
        )
        .unwrap();
        fs::write(
            dir.join("ch.md"),
            "{{#include code.rs:ok}}\n{{#include code.rs:3:5}}\n{{#include code.rs:nope}}\n{{#include gone.rs}}\n",
        )
        .unwrap();
        let problems = check_includes(&dir.join("ch.md"));
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(problems[0].contains("never by line numbers"));
        assert!(problems[1].contains("no anchor 'nope'"));
        assert!(problems[2].contains("no such file"));
    }
}
