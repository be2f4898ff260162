//! Snapshot assertions with a learner-readable failure.

/// Compares `text` with the committed snapshot `harness/src/snapshots/harness__snapshot__<name>.snap`.
/// On a mismatch insta prints the diff, and this panics naming `whose` output differed and
/// the book section to read. Several implementations may be compared with one snapshot.
///
/// Snapshots are never written as a side effect (`INSTA_UPDATE=no` in `.cargo/config.toml`);
/// record one on purpose with `INSTA_UPDATE=always cargo test -p solution-NN snapshot_`.
#[track_caller]
pub fn assert_summary(name: &str, text: &str, whose: &str, book: &str) {
    let matched = std::panic::catch_unwind(|| insta::assert_snapshot!(name, text));
    if matched.is_err() {
        panic!(
            "snapshot: the summary of {whose}'s output differs from the stored one (diff above: \
             `-old` is the reference, `+new` is yours). insta's hint about `cargo insta` is for \
             the course's maintainers: you need no new tool, only to make the two agree.\n  \
             read: {book}"
        );
    }
}
