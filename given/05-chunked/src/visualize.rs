//! The task graph as a picture (Dask's `visualize()`, the tutorial's Figure 2): one box per
//! task, one arrow per input. As DOT text for Graphviz, or laid out and drawn as SVG by
//! the `layout-rs` crate.

use std::fmt::Write as _;

use layout::backends::svg::SVGWriter;
use layout::core::base::Orientation;
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;

use crate::graph::{Graph, Kind};

/// Graphs larger than this are not drawn: a picture of thousands of boxes shows nothing,
/// and the layout's cost grows faster than the graph.
pub const MAX_DRAWN_NODES: usize = 400;

fn label(kind: Kind, id: usize) -> String {
    let name = match kind {
        Kind::Source => "source",
        Kind::Map => "map",
        Kind::Overlap => "overlap",
        Kind::Partial => "partial",
        Kind::Combine => "combine",
    };
    format!("{name} {id}")
}

impl Graph {
    /// The graph in Graphviz's DOT language (`dot -Tsvg graph.dot`), inputs above consumers.
    pub fn to_dot(&self) -> String {
        let mut dot = String::from("digraph tasks {\n  rankdir=TB;\n  node [shape=box];\n");
        for id in 0..self.len() {
            let _ = writeln!(
                dot,
                "  n{id} [label=\"{}\"];",
                label(self.node(id).kind, id)
            );
        }
        for id in 0..self.len() {
            for &d in self.deps(id) {
                let _ = writeln!(dot, "  n{d} -> n{id};");
            }
        }
        dot.push_str("}\n");
        dot
    }

    /// The graph drawn as an SVG document, inputs above consumers.
    ///
    /// # Errors
    /// A sentence when the graph has more than [`MAX_DRAWN_NODES`] nodes (use a coarser
    /// chunking, or [`to_dot`](Self::to_dot) and Graphviz).
    pub fn to_svg(&self) -> Result<String, String> {
        if self.len() > MAX_DRAWN_NODES {
            return Err(format!(
                "the graph has {} nodes; visualize() draws at most {MAX_DRAWN_NODES}",
                self.len()
            ));
        }
        let mut picture = VisualGraph::new(Orientation::TopToBottom);
        let handles: Vec<_> = (0..self.len())
            .map(|id| {
                picture.add_node(Element::create(
                    ShapeKind::new_box(&label(self.node(id).kind, id)),
                    StyleAttr::simple(),
                    Orientation::LeftToRight,
                    Point::new(90., 30.),
                ))
            })
            .collect();
        for id in 0..self.len() {
            for &d in self.deps(id) {
                picture.add_edge(Arrow::simple(""), handles[d], handles[id]);
            }
        }
        let mut svg = SVGWriter::new();
        picture.do_it(false, false, false, &mut svg);
        Ok(svg.finalize())
    }
}
