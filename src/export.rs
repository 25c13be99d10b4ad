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

/// How evidence reaches each cause: the facts that prove it (`confirmed_by`), whether the
/// engine can walk to it on facts alone (from a symptom's `triggered_by` or an error
/// message, through answers that all have `when:`), and otherwise the questions on the way
/// that only the user can answer. The causes no evidence can confirm are listed last.
pub fn evidence_coverage(kb: &Kb) -> String {
    use crate::kb::Node;
    use std::collections::{BTreeMap, BTreeSet, VecDeque};
    // Walk from where facts start the engine, along answers the facts can give.
    let mut by_facts: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<String> = VecDeque::new();
    for s in kb.symptoms() {
        if !s.triggered_by.is_empty() {
            queue.push_back(s.next.clone());
        }
    }
    for node in kb.nodes_of(Kind::Error) {
        if let Node::Error(e) = node {
            queue.extend(e.causes.iter().cloned());
        }
    }
    // Which questions stand between a cause and the user (answers without `when:`).
    let mut asks: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for node in kb.nodes_of(Kind::Question) {
        if let Node::Question(q) = node {
            for a in q.answers.iter().filter(|a| a.when.is_empty()) {
                asks.entry(a.next.clone()).or_default().insert(q.id.clone());
            }
        }
    }
    while let Some(id) = queue.pop_front() {
        if !by_facts.insert(id.clone()) {
            continue;
        }
        match kb.node(&id) {
            Some(Node::Question(q)) => {
                for a in q.answers.iter().filter(|a| !a.when.is_empty()) {
                    queue.push_back(a.next.clone());
                }
            }
            Some(Node::Symptom(s)) => queue.push_back(s.next.clone()),
            _ => {}
        }
    }
    let mut s = String::from(
        "| Cause | Proved by a fact | Reached on facts alone | Otherwise the user answers |\n|---|---|---|---|\n",
    );
    let mut unconfirmable = Vec::new();
    for node in kb.nodes_of(Kind::Cause) {
        let Node::Cause(c) = node else { continue };
        let proved = c
            .confirmed_by
            .iter()
            .map(describe_condition)
            .collect::<Vec<_>>()
            .join("; ");
        let reached = by_facts.contains(&c.id);
        let questions = asks
            .get(&c.id)
            .map(|q| {
                q.iter()
                    .map(|id| format!("`{id}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        if c.confirmed_by.is_empty() && !reached {
            unconfirmable.push(format!("`{}`", c.id));
        }
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} |",
            c.id,
            if proved.is_empty() { "—" } else { &proved },
            if reached { "yes" } else { "no" },
            if questions.is_empty() {
                "—"
            } else {
                &questions
            }
        );
    }
    let _ = writeln!(
        s,
        "\n{} of {} causes no evidence can confirm yet: {}\n",
        unconfirmable.len(),
        kb.nodes_of(Kind::Cause).count(),
        if unconfirmable.is_empty() {
            "none".to_string()
        } else {
            unconfirmable.join(", ")
        }
    );
    s
}

fn describe_condition(c: &crate::kb::schema::Condition) -> String {
    let mut parts = vec![c.fact.clone()];
    for list in [&c.id, &c.state, &c.traffic, &c.dropped] {
        if !list.is_empty() {
            parts.push(list.join("/"));
        }
    }
    if let Some(p) = c.phase {
        parts.push(format!("phase {p}"));
    }
    if let Some(o) = &c.outcome {
        parts.push(o.clone());
    }
    format!("`{}`", parts.join(" "))
}
