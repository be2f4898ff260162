//! §5.3 — the order of work: depth first from the outputs.

use crate::{Graph, NodeId};

// ANCHOR: execution_order
/// The nodes `outputs` need, each once, every input before its consumer: a depth-first
/// post-order from each output in turn, inputs visited in the order the node lists them.
///
/// Depth first finishes one output (or one branch of a reduction tree) before starting the
/// next, so a chunk is consumed soon after it is made and can be freed; running the graph
/// level by level instead (every source, then every map, …) holds every chunk at once.
/// Iterative, so a long chain of tasks cannot overflow the stack.
pub fn execution_order(graph: &Graph, outputs: &[NodeId]) -> Vec<NodeId> {
    let mut visited = vec![false; graph.len()];
    let mut order = Vec::new();
    // (node, index of the next input to visit)
    let mut stack: Vec<(NodeId, usize)> = Vec::new();
    for &output in outputs {
        if visited[output] {
            continue;
        }
        visited[output] = true;
        stack.push((output, 0));
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            match graph.deps(node).get(*next) {
                Some(&dep) => {
                    *next += 1;
                    if !visited[dep] {
                        visited[dep] = true;
                        stack.push((dep, 0));
                    }
                }
                None => {
                    order.push(node);
                    stack.pop();
                }
            }
        }
    }
    order
}
// ANCHOR_END: execution_order
