//! Exports of the knowledge base: the graph as Graphviz DOT or JSON, and the seed-coverage
//! table. All are deterministic, so they can be committed and compared.

use crate::kb::{Kb, Kind, Lang};
use serde_json::json;
use std::fmt::Write as _;

/// The graph as DOT, one node per entry (shape by kind), edges labelled with answer IDs.
pub fn dot(kb: &Kb, lang: Lang) -> String {
    let mut s =
        String::from("digraph ipsec_doctor {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
    for node in kb.nodes() {
        let (shape, color) = match node.kind() {
            Kind::Symptom => ("doubleoctagon", "#d62728"),
            Kind::Question => ("diamond", "#1f77b4"),
            Kind::Command => ("note", "#7f7f7f"),
            Kind::Error => ("box", "#ff7f0e"),
            Kind::Cause => ("ellipse", "#9467bd"),
            Kind::Fix => ("component", "#2ca02c"),
        };
        let label = format!("{}\\n{}", node.id(), escape(node.title().get(lang)));
        let _ = writeln!(
            s,
            "  \"{}\" [shape={shape}, color=\"{color}\", label=\"{label}\"];",
            node.id()
        );
    }
    for (from, to, edge) in kb.graph().edges() {
        let label = edge.label.as_deref().unwrap_or(edge.kind.as_str());
        let _ = writeln!(s, "  \"{from}\" -> \"{to}\" [label=\"{}\"];", escape(label));
    }
    s.push_str("}\n");
    s
}

/// The graph as `{"nodes": [{id, kind, title}], "edges": [{from, to, kind, label}]}`.
pub fn json(kb: &Kb, lang: Lang) -> serde_json::Value {
    let nodes: Vec<_> = kb
        .nodes()
        .map(|n| json!({"id": n.id(), "kind": n.kind().as_str(), "title": n.title().get(lang)}))
        .collect();
    let edges: Vec<_> = kb
        .graph()
        .edges()
        .into_iter()
        .map(|(from, to, e)| json!({"from": from, "to": to, "kind": e.kind.as_str(), "label": e.label}))
        .collect();
    json!({"nodes": nodes, "edges": edges})
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The seed-coverage table: each seed section, in document order, with the nodes that cite
/// it (or why it encodes nothing), as Markdown.
pub fn coverage(kb: &Kb) -> String {
    let mut s = String::from("| Seed section | Heading in the seed | Nodes |\n|---|---|---|\n");
    for section in kb.sections() {
        let mut cited: Vec<(Kind, &str)> = kb
            .nodes()
            .filter(|n| n.source().iter().any(|id| id == &section.id))
            .map(|n| (n.kind(), n.id()))
            .collect();
        cited.sort();
        let nodes = match &section.not_encoded {
            Some(reason) if cited.is_empty() => format!("not encoded: {}", reason.en),
            _ => cited
                .iter()
                .map(|(_, id)| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let depth = if section.parent.is_some() {
            "&nbsp;&nbsp;"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "| {depth}`{}` {} | {} | {nodes} |",
            section.id,
            section.title.en.replace('|', "\\|"),
            section.heading.replace('|', "\\|")
        );
    }
    s
}
