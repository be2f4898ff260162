//! The hostfile: one `host:port` per line, line K for process K.

use std::fmt;
use std::path::Path;

/// Why a hostfile was refused. Every variant names the file, and the line where there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostfileError {
    /// The file could not be read.
    Unreadable { path: String, reason: String },
    /// A line is not `host:port` with a port in 1..=65535.
    BadLine {
        path: String,
        line: usize,
        text: String,
        reason: String,
    },
    /// The same address appears twice (two processes cannot listen on one port).
    Duplicate {
        path: String,
        line: usize,
        first: usize,
        address: String,
    },
    /// No address at all.
    Empty { path: String },
}

impl fmt::Display for HostfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostfileError::Unreadable { path, reason } => {
                write!(f, "cannot read the hostfile {path}: {reason}")
            }
            HostfileError::BadLine {
                path,
                line,
                text,
                reason,
            } => write!(
                f,
                "hostfile {path}, line {line}: '{text}' {reason} (expected host:port, e.g. \
                 node07:2101)"
            ),
            HostfileError::Duplicate {
                path,
                line,
                first,
                address,
            } => write!(
                f,
                "hostfile {path}, line {line}: address {address} already on line {first}; each \
                 process needs its own host:port"
            ),
            HostfileError::Empty { path } => write!(f, "hostfile {path} lists no address"),
        }
    }
}

impl std::error::Error for HostfileError {}

// ANCHOR: parse_hostfile
/// The addresses of a hostfile's `text` (read from `path`, used in messages): one `host:port`
/// per line, process K on the K-th address line. Blank lines and lines starting with `#` are
/// skipped; spaces around an address are ignored.
///
/// # Errors
/// [`HostfileError::BadLine`] naming the first line that is not `host:port` with a port in
/// 1..=65535, [`HostfileError::Duplicate`] for an address listed twice,
/// [`HostfileError::Empty`] when no address is left.
pub fn parse_hostfile(text: &str, path: &str) -> Result<Vec<String>, HostfileError> {
    let mut addresses: Vec<(usize, String)> = Vec::new();
    for (number, raw) in text.lines().enumerate() {
        let line = number + 1;
        let address = raw.trim();
        if address.is_empty() || address.starts_with('#') {
            continue;
        }
        let bad = |reason: &str| HostfileError::BadLine {
            path: path.to_string(),
            line,
            text: address.to_string(),
            reason: reason.to_string(),
        };
        let (host, port) = address
            .rsplit_once(':')
            .ok_or_else(|| bad("has no ':port'"))?;
        if host.is_empty() || host.contains(char::is_whitespace) {
            return Err(bad("has no host name before ':' (or spaces in it)"));
        }
        match port.parse::<u16>() {
            Ok(p) if p > 0 => {}
            _ => return Err(bad("has a port that is not a number in 1..=65535")),
        }
        if let Some((first, _)) = addresses.iter().find(|(_, a)| a == address) {
            return Err(HostfileError::Duplicate {
                path: path.to_string(),
                line,
                first: *first,
                address: address.to_string(),
            });
        }
        addresses.push((line, address.to_string()));
    }
    if addresses.is_empty() {
        return Err(HostfileError::Empty {
            path: path.to_string(),
        });
    }
    Ok(addresses.into_iter().map(|(_, a)| a).collect())
}
// ANCHOR_END: parse_hostfile

/// [`parse_hostfile`] of the file at `path`.
///
/// # Errors
/// [`HostfileError::Unreadable`], or what [`parse_hostfile`] refuses.
pub fn read_hostfile(path: &Path) -> Result<Vec<String>, HostfileError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| HostfileError::Unreadable {
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    parse_hostfile(&text, &shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_blank_lines_are_skipped() {
        let text = "# two hosts\nnode01:2101\n\n  node02:2101  \n";
        assert_eq!(
            parse_hostfile(text, "hosts").unwrap(),
            vec!["node01:2101", "node02:2101"]
        );
    }

    #[test]
    fn a_bad_line_is_named() {
        let e = parse_hostfile("node01:2101\nnode02\n", "hosts").unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
        let e = parse_hostfile("a:1\nb:99999\n", "hosts").unwrap_err();
        assert!(e.to_string().contains("line 2: 'b:99999'"), "{e}");
        let e = parse_hostfile("a:1\n:5\n", "hosts").unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
    }

    #[test]
    fn duplicates_and_empty_files_are_refused() {
        let e = parse_hostfile("a:1\n\na:1\n", "h").unwrap_err();
        assert!(
            e.to_string().contains("line 3") && e.to_string().contains("line 1"),
            "{e}"
        );
        assert!(matches!(
            parse_hostfile("# nothing\n", "h"),
            Err(HostfileError::Empty { .. })
        ));
    }
}
