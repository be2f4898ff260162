//! §5.2 — the reduction tree: partial results combined `split_every` at a time.

use crate::{CombineFn, Graph, NodeId, Summary, nan_max, nan_min};

// ANCHOR: combine
/// Merges partial results into one: the sums without losing what each part's compensated
/// sum kept, the counts added, minimum and maximum with NaN propagating (numpy's rule).
/// `combine(&[])` is [`Summary::EMPTY`].
pub fn combine(parts: &[Summary]) -> Summary {
    todo!(
        "combine: start from Summary::EMPTY and, for every part, add both its sum.sum and its \
         sum.compensation into the total's Compensated, add the counts, and take nan_min / \
         nan_max — book §5.2 \"The reduction tree\" (book/src/05-chunked.md)"
    )
}
// ANCHOR_END: combine

// ANCHOR: reduction_tree
/// Adds a reduction tree over `leaves` to `graph` and returns its root: no combine node reads
/// more than `split_every` values, the tree has `⌈log_split_every(n)⌉` levels for `n` leaves,
/// and every leaf is read exactly once. No leaves: a root that combines nothing. The root is
/// always a combine node made with `graph.add_combine(…, combine)`.
pub fn reduction_tree(
    graph: &mut Graph,
    leaves: &[NodeId],
    split_every: usize,
    combine: CombineFn,
) -> NodeId {
    todo!(
        "reduction_tree: cut the current level into groups of at most split_every nodes, add \
         one graph.add_combine(group, combine) per group, and repeat on the new level until \
         one node is left — book §5.2 \"The reduction tree\" (book/src/05-chunked.md)"
    )
}
// ANCHOR_END: reduction_tree
