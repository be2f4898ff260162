//! The course's layout on disk: sections, their exercise and solution crates, chapters.

use std::fs;
use std::path::{Path, PathBuf};

/// One section: `exercises/NN-slug`, `solutions/NN-slug`, `book/src/NN-slug.md`.
#[derive(Debug, Clone)]
pub struct Section {
    /// `01`
    pub number: String,
    /// `add`
    pub slug: String,
}

impl Section {
    pub fn dir_name(&self) -> String {
        format!("{}-{}", self.number, self.slug)
    }

    pub fn exercise_package(&self) -> String {
        format!("exercise-{}", self.number)
    }

    pub fn solution_package(&self) -> String {
        format!("solution-{}", self.number)
    }

    pub fn exercise_dir(&self, root: &Path) -> PathBuf {
        root.join("exercises").join(self.dir_name())
    }

    pub fn solution_dir(&self, root: &Path) -> PathBuf {
        root.join("solutions").join(self.dir_name())
    }

    pub fn chapter(&self, root: &Path) -> PathBuf {
        root.join("book/src")
            .join(format!("{}.md", self.dir_name()))
    }

    /// The harness module holding this section's checks: the slug with `_` for `-`
    /// (`local-cluster` → `local_cluster`).
    pub fn harness_module(&self) -> String {
        self.slug.replace('-', "_")
    }

    /// The harness's mutant tests for this section: `harness/tests/mutants_<slug>.rs`.
    pub fn mutants_test(&self) -> String {
        format!("mutants_{}", self.slug.replace('-', "_"))
    }
}

/// Splits `NN-slug` into a section, if the name has that shape.
pub fn parse_section(name: &str) -> Option<Section> {
    let (number, slug) = name.split_once('-')?;
    let well_formed =
        number.len() == 2 && number.chars().all(|c| c.is_ascii_digit()) && !slug.is_empty();
    well_formed.then(|| Section {
        number: number.into(),
        slug: slug.into(),
    })
}

/// The sections, from the directories under `exercises/`, in order.
pub fn sections(root: &Path) -> Result<Vec<Section>, String> {
    let mut sections: Vec<Section> = names_in(&root.join("exercises"))?
        .iter()
        .filter_map(|name| parse_section(name))
        .collect();
    sections.sort_by(|a, b| a.number.cmp(&b.number));
    Ok(sections)
}

/// The file or directory names directly inside `dir`.
pub fn names_in(dir: &Path) -> Result<Vec<String>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    Ok(names)
}

/// Every `.rs` file below `dir`.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}
