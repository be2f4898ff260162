//! What a section of the demonstration prints, kept so that it can also be recorded as a
//! Markdown file the book includes (`--record`): one source for every table the book shows.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use measure::{LoadNote, LoadWatch};

use crate::table::Table;

/// One section's output: printed as it comes, kept as Markdown for [`Report::record`].
pub struct Report {
    section: &'static str,
    title: String,
    markdown: String,
    watch: LoadWatch,
}

impl Report {
    /// Starts section `section` (e.g. `"02"`) and prints its title.
    pub fn start(section: &'static str, title: &str) -> Report {
        println!("{title}");
        Report {
            section,
            title: title.to_string(),
            markdown: String::new(),
            watch: LoadWatch::start(),
        }
    }

    /// Prints a paragraph and keeps it.
    pub fn say(&mut self, text: &str) {
        println!("{text}");
        let _ = writeln!(self.markdown, "{text}\n");
    }

    /// Prints a table, followed by how busy the machine was while it was measured, and
    /// keeps both. `watch` should have started just before the table's measurements.
    pub fn table(&mut self, table: &Table, watch: &LoadWatch) {
        let note = watch.finish();
        println!("{table}");
        println!("({})\n", note.describe());
        let _ = writeln!(
            self.markdown,
            "{}\n*Measured with {}.*\n",
            table.markdown(),
            note.describe()
        );
    }

    /// How busy the machine was over the whole section so far.
    pub fn load(&self) -> LoadNote {
        self.watch.finish()
    }

    /// Writes the kept output to `dir/demo-NN.md`, with a header naming the machine, the
    /// toolchain, the date and the command, and returns the path.
    pub fn record(&self, dir: &Path, command: &str) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(format!("demo-{}.md", self.section));
        let header = format!(
            "<!-- Written by `{command}`; do not edit by hand. -->\n\n\
             **{}** — measured on {} ({} cores), {}, {}; {}.\n\n",
            self.title.trim_end_matches('.'),
            crate::machine::cpu_model(),
            measure::cores(),
            crate::machine::rustc_version(),
            crate::machine::today(),
            self.load().describe(),
        );
        // Write to a temporary file first: a half-written table must never be included.
        let partial = path.with_extension("md.partial");
        std::fs::write(&partial, header + &self.markdown)?;
        std::fs::rename(&partial, &path)?;
        Ok(path)
    }
}
