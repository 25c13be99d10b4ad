//! A symptom's decision flow as an SVG drawing, laid out in Rust (no Graphviz, no script):
//! the symptom on top, each question a row lower than the one that leads to it, causes
//! at the ends, edges labelled with the answers. Another symptom an answer leads to is
//! drawn as a leaf (it has its own page and drawing).

use crate::kb::{EdgeKind, Kb, Kind, Lang};
use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;

const BOX_W: i32 = 176;
const BOX_H: i32 = 58;
const GAP_X: i32 = 18;
const GAP_Y: i32 = 64;
const MARGIN: i32 = 16;
/// Boxes side by side at most: four fit a book page at full size; wider layers wrap.
const PER_ROW: usize = 4;
/// Text width per box line, in half-width units (a Han character counts two).
const LINE_UNITS: usize = 28;

struct Placed {
    id: String,
    kind: Kind,
    /// A symptom other than the one drawn: a leaf.
    leaf: bool,
    layer: usize,
    x: i32,
    y: i32,
}

/// The decision flow from `symptom`, in `lang`.
pub fn flow(kb: &Kb, symptom: &str, lang: Lang) -> String {
    // Breadth-first over decision edges: each node's row is its first distance.
    let mut layer_of: BTreeMap<String, usize> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut edges: Vec<(String, String, String)> = Vec::new();
    let mut queue = VecDeque::from([(symptom.to_string(), 0usize)]);
    layer_of.insert(symptom.to_string(), 0);
    order.push(symptom.to_string());
    let graph_edges = kb.graph().edges();
    while let Some((id, layer)) = queue.pop_front() {
        let is_leaf = id != symptom && kb.node(&id).is_some_and(|n| n.kind() == Kind::Symptom);
        if is_leaf {
            continue;
        }
        for (from, to, edge) in graph_edges
            .iter()
            .filter(|(f, _, e)| *f == id && e.kind.is_decision())
        {
            let label = match edge.kind {
                EdgeKind::Answer => edge.label.clone().unwrap_or_default(),
                _ => String::new(),
            };
            edges.push((from.to_string(), to.to_string(), label));
            if !layer_of.contains_key(*to) {
                layer_of.insert(to.to_string(), layer + 1);
                order.push(to.to_string());
                queue.push_back((to.to_string(), layer + 1));
            }
        }
    }
    // Layers in discovery order (the answers' order), wrapped into rows of PER_ROW boxes.
    let layers = layer_of.values().max().map_or(1, |m| m + 1);
    let mut by_layer: Vec<Vec<&String>> = vec![Vec::new(); layers];
    for id in &order {
        by_layer[layer_of[id]].push(id);
    }
    let rows: Vec<(usize, Vec<&String>)> = by_layer
        .iter()
        .enumerate()
        .flat_map(|(layer, members)| members.chunks(PER_ROW).map(move |c| (layer, c.to_vec())))
        .collect();
    let widest = rows.iter().map(|(_, r)| r.len()).max().unwrap_or(1) as i32;
    let width = widest * BOX_W + (widest - 1) * GAP_X + 2 * MARGIN;
    let height = rows.len() as i32 * BOX_H + (rows.len() as i32 - 1) * GAP_Y + 2 * MARGIN;
    let mut placed: BTreeMap<&str, Placed> = BTreeMap::new();
    for (row, (layer, members)) in rows.iter().enumerate() {
        let n = members.len() as i32;
        let row_width = n * BOX_W + (n - 1) * GAP_X;
        let start = (width - row_width) / 2;
        for (i, id) in members.iter().enumerate() {
            let kind = kb.node(id).map_or(Kind::Cause, |n| n.kind());
            placed.insert(
                id.as_str(),
                Placed {
                    id: id.to_string(),
                    kind,
                    leaf: kind == Kind::Symptom && id.as_str() != symptom,
                    layer: *layer,
                    x: start + i as i32 * (BOX_W + GAP_X),
                    y: MARGIN + row as i32 * (BOX_H + GAP_Y),
                },
            );
        }
    }

    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" style="max-width:100%;height:auto" font-family="Helvetica, Arial, 'Noto Sans CJK SC', sans-serif" font-size="11">"#
    );
    let _ = writeln!(
        s,
        r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>"##
    );
    let _ = writeln!(s, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    // Edges first, under the boxes.
    for (from, to, label) in &edges {
        let (Some(a), Some(b)) = (placed.get(from.as_str()), placed.get(to.as_str())) else {
            continue;
        };
        let (x1, y1) = (a.x + BOX_W / 2, a.y + BOX_H);
        let (x2, y2) = (b.x + BOX_W / 2, b.y);
        if b.y > a.y && b.layer > a.layer {
            let _ = writeln!(
                s,
                r##"<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#555" stroke-width="1.2" marker-end="url(#arrow)"/>"##
            );
        } else {
            // Back to an earlier row: a dashed curve around the side.
            let side = width - MARGIN / 2;
            let _ = writeln!(
                s,
                r##"<path d="M{x1},{y1} C{side},{y1} {side},{y2} {x2},{y2}" fill="none" stroke="#999" stroke-dasharray="4 3" marker-end="url(#arrow)"/>"##
            );
        }
        if !label.is_empty() {
            // Near the question the answer belongs to, clear of the boxes of later rows.
            let (lx, ly) = (x1 + (x2 - x1) * 3 / 10, y1 + (y2 - y1) * 3 / 10);
            let w = label.chars().count() as i32 * 6 + 8;
            let _ = writeln!(
                s,
                r##"<rect x="{}" y="{}" width="{w}" height="14" rx="3" fill="#f4f4f4" stroke="#ccc"/>"##,
                lx - w / 2,
                ly - 8
            );
            let _ = writeln!(
                s,
                r##"<text x="{lx}" y="{}" text-anchor="middle" font-size="10" fill="#333">{}</text>"##,
                ly + 3,
                escape(label)
            );
        }
    }
    for p in placed.values() {
        let (stroke, fill, dash) = match (p.kind, p.leaf) {
            (Kind::Symptom, false) => ("#c62828", "#ffebee", ""),
            (Kind::Symptom, true) => ("#c62828", "#ffffff", r#" stroke-dasharray="5 3""#),
            (Kind::Question, _) => ("#1565c0", "#e3f2fd", ""),
            _ => ("#6a1b9a", "#f3e5f5", ""),
        };
        let _ = writeln!(
            s,
            r#"<rect x="{}" y="{}" width="{BOX_W}" height="{BOX_H}" rx="8" fill="{fill}" stroke="{stroke}" stroke-width="1.5"{dash}/>"#,
            p.x, p.y
        );
        let title = kb
            .node(&p.id)
            .map(|n| n.title().get(lang).replace('`', ""))
            .unwrap_or_default();
        let lines = wrap(&title, LINE_UNITS, 3);
        let top = p.y + 14 + (3 - lines.len() as i32) * 6;
        for (i, line) in lines.iter().enumerate() {
            let _ = writeln!(
                s,
                r##"<text x="{}" y="{}" text-anchor="middle" fill="#111">{}</text>"##,
                p.x + BOX_W / 2,
                top + i as i32 * 13,
                escape(line)
            );
        }
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" text-anchor="middle" font-size="9" fill="#666">{}</text>"##,
            p.x + BOX_W / 2,
            p.y + BOX_H - 5,
            escape(&p.id)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// Display width of a character: Han and full-width forms take two units.
fn units(c: char) -> usize {
    if matches!(c, '\u{2e80}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}') {
        2
    } else {
        1
    }
}

/// Wrap text into at most `max_lines` lines of `width` units, breaking at spaces where it
/// can (anywhere in Chinese), with an ellipsis when it does not fit.
fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split_inclusive(' ') {
        // Whether the word fits is judged without its trailing space.
        let w: usize = word.trim_end().chars().map(units).sum();
        if used + w > width && !line.is_empty() && word.chars().all(|c| units(c) == 1) {
            lines.push(line.trim_end().to_string());
            line = String::new();
            used = 0;
        }
        for c in word.chars() {
            if used + units(c) > width && c != ' ' {
                lines.push(line.trim_end().to_string());
                line = String::new();
                used = 0;
            }
            line.push(c);
            used += units(c);
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while last.chars().map(units).sum::<usize>() + 1 > width {
                last.pop();
            }
            last.push('…');
        }
    }
    lines
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::KbSource;

    #[test]
    fn wraps_english_and_chinese() {
        assert_eq!(
            wrap("The tunnel is up but no traffic passes", 20, 3),
            ["The tunnel is up but", "no traffic passes"]
        );
        let zh = wrap(
            "隧道已建立但没有流量通过无法 ping 通 PIX 后面的内部网络",
            16,
            3,
        );
        assert!(
            zh.iter().all(|l| l.chars().map(units).sum::<usize>() <= 16),
            "{zh:?}"
        );
        assert_eq!(wrap(&"x".repeat(100), 10, 2)[1].chars().last(), Some('…'));
    }

    #[test]
    fn draws_every_node_of_the_flow() {
        let kb = Kb::open(&KbSource::Embedded).unwrap();
        let svg = flow(&kb, "sym-tunnel-not-established", Lang::En);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        for id in [
            "q-isakmp-sa-state",
            "q-phase1-debug",
            "cause-psk-mismatch",
            "cause-wrong-peer-address",
        ] {
            assert!(svg.contains(&format!(">{id}<")), "{id}");
        }
        assert!(svg.contains(">mm-key-exch<"), "answers label the edges");
        assert_eq!(
            svg,
            flow(&kb, "sym-tunnel-not-established", Lang::En),
            "deterministic"
        );
    }
}
