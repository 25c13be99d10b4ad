//! The knowledge base as a directed graph (petgraph), and the questions it answers:
//! what is reachable, where the decision flows lead, which cycles trap a user.

use super::{Kb, Kind};
use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use std::collections::{BTreeSet, HashMap, VecDeque};

/// What an edge means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// Symptom → its first question.
    Next,
    /// Question → next node, through one answer.
    Answer,
    /// Question → a command that answers it.
    Runs,
    /// Error → a cause.
    Cause,
    /// Cause → a command that confirms it.
    ConfirmWith,
    /// Cause → a fix.
    Fix,
    /// Fix → a command that verifies it.
    Verify,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Next => "next",
            EdgeKind::Answer => "answer",
            EdgeKind::Runs => "runs",
            EdgeKind::Cause => "cause",
            EdgeKind::ConfirmWith => "confirm_with",
            EdgeKind::Fix => "fix",
            EdgeKind::Verify => "verify",
        }
    }

    /// Edges a user walks in the wizard, from a symptom to a cause.
    pub fn is_decision(self) -> bool {
        matches!(self, EdgeKind::Next | EdgeKind::Answer)
    }
}

/// One edge; `label` is the answer ID for answer edges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub kind: EdgeKind,
    pub label: Option<String>,
}

/// The graph of a knowledge base. Nodes are IDs; edges to unknown IDs are left out (the
/// validator reports them).
#[derive(Debug, Clone, Default)]
pub struct KbGraph {
    graph: DiGraph<(String, Kind), Edge>,
    index: HashMap<String, NodeIndex>,
}

impl KbGraph {
    pub(super) fn build(kb: &Kb) -> KbGraph {
        let mut g = KbGraph::default();
        for node in kb.nodes() {
            let ix = g.graph.add_node((node.id().to_string(), node.kind()));
            g.index.insert(node.id().to_string(), ix);
        }
        for node in kb.nodes() {
            let from = g.index[node.id()];
            for (kind, to, label) in node.edges() {
                if let Some(&to) = g.index.get(to) {
                    let edge = Edge {
                        kind,
                        label: label.map(str::to_string),
                    };
                    g.graph.add_edge(from, to, edge);
                }
            }
        }
        g
    }

    /// Every edge as (from, to, edge), in a stable order.
    pub fn edges(&self) -> Vec<(&str, &str, &Edge)> {
        let mut out: Vec<_> = self
            .graph
            .edge_references()
            .map(|e| {
                (
                    self.graph[e.source()].0.as_str(),
                    self.graph[e.target()].0.as_str(),
                    e.weight(),
                )
            })
            .collect();
        out.sort_by(|a, b| {
            (a.0, a.2.kind, a.2.label.as_deref(), a.1).cmp(&(
                b.0,
                b.2.kind,
                b.2.label.as_deref(),
                b.1,
            ))
        });
        out
    }

    /// IDs reachable from the symptoms and errors (the entry points), entry points included.
    /// One traversal from every entry point at once: linear in the size of the graph.
    pub fn reachable_from_entries(&self) -> BTreeSet<&str> {
        let mut seen = vec![false; self.graph.node_count()];
        let mut queue: VecDeque<NodeIndex> = self
            .graph
            .node_indices()
            .filter(|&ix| matches!(self.graph[ix].1, Kind::Symptom | Kind::Error))
            .collect();
        for ix in &queue {
            seen[ix.index()] = true;
        }
        while let Some(n) = queue.pop_front() {
            for next in self.graph.neighbors_directed(n, Direction::Outgoing) {
                if !std::mem::replace(&mut seen[next.index()], true) {
                    queue.push_back(next);
                }
            }
        }
        self.graph
            .node_indices()
            .filter(|ix| seen[ix.index()])
            .map(|ix| self.graph[ix].0.as_str())
            .collect()
    }

    /// The symptoms and questions from which no answer path reaches a cause, sorted.
    ///
    /// One backward traversal from every cause along the decision edges marks each node
    /// that leads to one, so the check is linear in the size of the graph; asking
    /// [`KbGraph::causes_reachable`] of every node is quadratic on a long chain of
    /// questions (a 20,000-question chain took 13 s).
    pub fn dead_ends(&self) -> Vec<&str> {
        let mut leads = vec![false; self.graph.node_count()];
        let mut queue: VecDeque<NodeIndex> = self
            .graph
            .node_indices()
            .filter(|&ix| self.graph[ix].1 == Kind::Cause)
            .collect();
        for ix in &queue {
            leads[ix.index()] = true;
        }
        while let Some(n) = queue.pop_front() {
            for e in self.graph.edges_directed(n, Direction::Incoming) {
                // A cause ends the walk: nothing passes through one (and a cause has no
                // decision edges of its own).
                let from = e.source();
                if e.weight().kind.is_decision()
                    && self.graph[from].1 != Kind::Cause
                    && !std::mem::replace(&mut leads[from.index()], true)
                {
                    queue.push_back(from);
                }
            }
        }
        let mut out: Vec<&str> = self
            .graph
            .node_indices()
            .filter(|&ix| {
                matches!(self.graph[ix].1, Kind::Symptom | Kind::Question) && !leads[ix.index()]
            })
            .map(|ix| self.graph[ix].0.as_str())
            .collect();
        out.sort_unstable();
        out
    }

    /// The causes reachable from `id`, nearest first (fewest answers away), then by ID: the
    /// order in which to present them.
    pub fn causes_by_distance(&self, id: &str) -> Vec<&str> {
        let Some(&start) = self.index.get(id) else {
            return Vec::new();
        };
        let mut depth_of: std::collections::HashMap<NodeIndex, usize> =
            std::collections::HashMap::from([(start, 0)]);
        let mut queue = std::collections::VecDeque::from([start]);
        let mut causes: Vec<(usize, &str)> = Vec::new();
        while let Some(n) = queue.pop_front() {
            let depth = depth_of[&n];
            if self.graph[n].1 == Kind::Cause {
                causes.push((depth, self.graph[n].0.as_str()));
                continue;
            }
            for e in self.graph.edges_directed(n, Direction::Outgoing) {
                if e.weight().kind.is_decision() && !depth_of.contains_key(&e.target()) {
                    depth_of.insert(e.target(), depth + 1);
                    queue.push_back(e.target());
                }
            }
        }
        causes.sort();
        causes.into_iter().map(|(_, id)| id).collect()
    }

    /// The causes a user can end at from `id` by answering questions.
    pub fn causes_reachable(&self, id: &str) -> BTreeSet<&str> {
        let mut out = BTreeSet::new();
        let Some(&start) = self.index.get(id) else {
            return out;
        };
        let mut stack = vec![start];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if !seen.insert(n) {
                continue;
            }
            if self.graph[n].1 == Kind::Cause {
                out.insert(self.graph[n].0.as_str());
                continue;
            }
            for e in self.graph.edges_directed(n, Direction::Outgoing) {
                if e.weight().kind.is_decision() {
                    stack.push(e.target());
                }
            }
        }
        out
    }

    /// Groups of questions and symptoms that lead only into each other: once in, no
    /// answer gets the user out. Each group is sorted; groups are sorted.
    pub fn exitless_cycles(&self) -> Vec<Vec<&str>> {
        let decision = self.graph.filter_map(
            |_, n| Some(n.clone()),
            |_, e| e.kind.is_decision().then(|| e.clone()),
        );
        // Kosaraju's algorithm, then one pass over the edges: linear in the size of the
        // graph. petgraph's Tarjan recurses once per node of a path and overflows the
        // stack on a long chain of questions; its Kosaraju walks with explicit stacks.
        let sccs = kosaraju_scc(&decision);
        let mut component = vec![0usize; decision.node_count()];
        for (c, scc) in sccs.iter().enumerate() {
            for n in scc {
                component[n.index()] = c;
            }
        }
        let mut out = Vec::new();
        for (c, scc) in sccs.iter().enumerate() {
            let is_cycle = scc.len() > 1
                || decision
                    .edges_directed(scc[0], Direction::Outgoing)
                    .any(|e| e.target() == scc[0]);
            if !is_cycle {
                continue;
            }
            let leaves = scc.iter().any(|&n| {
                decision
                    .edges_directed(n, Direction::Outgoing)
                    .any(|e| component[e.target().index()] != c)
            });
            if !leaves {
                let mut ids: Vec<&str> = scc.iter().map(|&n| self.graph[n].0.as_str()).collect();
                ids.sort();
                out.push(ids);
            }
        }
        out.sort();
        out
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }
}
