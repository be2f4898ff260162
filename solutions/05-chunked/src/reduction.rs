//! §5.2 — the reduction tree: partial results combined `split_every` at a time.

use crate::{CombineFn, Graph, NodeId, Summary, nan_max, nan_min};

// ANCHOR: combine
/// Merges partial results: the sums through one compensated sum (each part's rounded sum
/// *and* its compensation, so nothing a part kept is lost), the counts added, NaN-aware
/// minimum and maximum. `combine(&[])` is [`Summary::EMPTY`].
pub fn combine(parts: &[Summary]) -> Summary {
    let mut total = Summary::EMPTY;
    for part in parts {
        total.sum.add(part.sum.sum);
        total.sum.add(part.sum.compensation);
        total.count += part.count;
        total.min = nan_min(total.min, part.min);
        total.max = nan_max(total.max, part.max);
    }
    total
}
// ANCHOR_END: combine

// ANCHOR: reduction_tree
/// Adds a reduction tree over `leaves` to `graph` and returns its root: level by level,
/// consecutive groups of at most `split_every` nodes are merged by one combine node each,
/// until one node is left. `n` leaves give `⌈log_s n⌉` levels and fewer than `n / (s - 1) + 1`
/// combine nodes. No leaves give one combine node of nothing ([`Summary::EMPTY`]); a single
/// leaf gets one combine node on top, so the root is always a combine.
///
/// `split_every` must be at least 2 (the given `ChunkedArray::reduction` checks it).
pub fn reduction_tree(
    graph: &mut Graph,
    leaves: &[NodeId],
    split_every: usize,
    combine: CombineFn,
) -> NodeId {
    let mut level = leaves.to_vec();
    loop {
        level = level
            .chunks(split_every)
            .map(|group| graph.add_combine(group, combine))
            .collect();
        if level.len() <= 1 {
            return level
                .first()
                .copied()
                .unwrap_or_else(|| graph.add_combine(&[], combine));
        }
    }
}
// ANCHOR_END: reduction_tree
