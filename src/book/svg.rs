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
const GAP_Y: i32 = 76;
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
                EdgeKind::Answer => answer_label(kb, from, edge.label.as_deref(), lang),
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
    // Edges first, under the boxes; each label where it covers no box and no other label.
    let mut labels: Vec<Rect> = Vec::new();
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
            let w = label.chars().map(units).sum::<usize>() as i32 * LABEL_UNIT_PX + 8;
            let boxes: Vec<Rect> = placed.values().map(Placed::rect).collect();
            let r = place_label((x1, y1), (x2, y2), w, &boxes, &labels, (width, height));
            let _ = writeln!(
                s,
                r##"<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="#f4f4f4" stroke="#ccc"/>"##,
                r.x, r.y, r.w, r.h
            );
            let _ = writeln!(
                s,
                r##"<text x="{}" y="{}" text-anchor="middle" font-size="10" fill="#333">{}</text>"##,
                r.x + r.w / 2,
                r.y + 11,
                escape(label)
            );
            labels.push(r);
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

/// The width of one half-width unit of a label's text at its font size, generously.
const LABEL_UNIT_PX: i32 = 6;
const LABEL_H: i32 = 15;
/// The most units of an edge label: the answer's short form.
const LABEL_UNITS: usize = 22;

/// An axis-aligned rectangle of the drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

impl Rect {
    /// Whether the two overlap, or come closer than `pad`.
    pub fn meets(&self, other: &Rect, pad: i32) -> bool {
        self.x < other.x + other.w + pad
            && other.x < self.x + self.w + pad
            && self.y < other.y + other.h + pad
            && other.y < self.y + self.h + pad
    }

    fn inside(&self, width: i32, height: i32) -> bool {
        self.x >= 0 && self.y >= 0 && self.x + self.w <= width && self.y + self.h <= height
    }
}

impl Placed {
    fn rect(&self) -> Rect {
        Rect {
            x: self.x,
            y: self.y,
            w: BOX_W,
            h: BOX_H,
        }
    }
}

/// Where an edge's label goes: on the edge, as near its start (the question it answers) as
/// it can be without covering a box or another label, else beside the edge.
fn place_label(
    from: (i32, i32),
    to: (i32, i32),
    w: i32,
    boxes: &[Rect],
    labels: &[Rect],
    (width, height): (i32, i32),
) -> Rect {
    let at = |t10: i32, dx: i32| {
        let cx = from.0 + (to.0 - from.0) * t10 / 20 + dx;
        let cy = from.1 + (to.1 - from.1) * t10 / 20;
        Rect {
            x: cx - w / 2,
            y: cy - LABEL_H / 2,
            w,
            h: LABEL_H,
        }
    };
    let free = |r: &Rect| {
        r.inside(width, height)
            && boxes.iter().all(|b| !b.meets(r, 2))
            && labels.iter().all(|l| !l.meets(r, 2))
    };
    // Along the edge (in twentieths of it), then shifted sideways, step by step.
    let along: &[i32] = if to.1 > from.1 {
        &[6, 5, 7, 4, 8, 3, 9, 10, 11, 12, 13, 14, 2, 15, 16, 17]
    } else {
        &[]
    };
    for dx in [0, 1, -1, 2, -2, 3, -3, 4, -4, 6, -6, 8, -8] {
        for &t in along {
            let r = at(t, dx * (w / 2 + 4));
            if free(&r) {
                return r;
            }
        }
    }
    // Anywhere in the band between the two rows, nearest the edge's first third.
    let (cx, cy) = (
        from.0 + (to.0 - from.0) * 3 / 10,
        from.1 + (to.1 - from.1) * 3 / 10,
    );
    // An edge back to its own row or an earlier one curves around the side: its label
    // goes in the gap under the question it answers.
    let (top, bottom) = if to.1 > from.1 {
        (from.1, to.1)
    } else {
        (from.1, (from.1 + GAP_Y).min(height))
    };
    let mut best: Option<(i64, Rect)> = None;
    for y in (top..=bottom - LABEL_H).step_by(3) {
        for x in (0..=width - w).step_by(6) {
            let r = Rect {
                x,
                y,
                w,
                h: LABEL_H,
            };
            if free(&r) {
                let d = ((x + w / 2 - cx) as i64).pow(2) + ((y + LABEL_H / 2 - cy) as i64).pow(2);
                if best.is_none_or(|(b, _)| d < b) {
                    best = Some((d, r));
                }
            }
        }
    }
    best.map_or(at(6, 0), |(_, r)| r)
}

/// The short form of an answer's label, as an edge shows it: the words before its
/// explanation ("`MM_NO_STATE` — main mode failed" → "MM_NO_STATE", "不一致：…" → "不一致"),
/// in the book's language, cut to [`LABEL_UNITS`].
fn answer_label(kb: &Kb, question: &str, answer: Option<&str>, lang: Lang) -> String {
    let Some(answer) = answer else {
        return String::new();
    };
    let text = match kb.node(question) {
        Some(crate::kb::Node::Question(q)) => q
            .answers
            .iter()
            .find(|a| a.id == answer)
            .map(|a| a.label.get(lang).to_string()),
        _ => None,
    };
    let Some(text) = text else {
        return answer.to_string();
    };
    let text = text.replace('`', "");
    let short = [" — ", " - ", "：", ": ", "（", " ("]
        .iter()
        .filter_map(|sep| text.find(sep))
        .min()
        .map_or(text.as_str(), |i| &text[..i])
        .trim();
    wrap(short, LABEL_UNITS, 1)
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// A drawing read back: its boxes, its edge labels with their text, and its size.
pub type Drawn = (Vec<Rect>, Vec<(Rect, String)>, (i32, i32));

/// The boxes and edge labels of a drawing, read back from its SVG: what the geometry
/// test checks (every `<rect>` but the background, labels being those with `rx="3"`).
pub fn rects_of(svg: &str) -> Drawn {
    let attr = |tag: &str, name: &str| -> Option<i32> {
        let key = format!(" {name}=\"");
        let at = tag.find(&key)? + key.len();
        tag[at..].split('"').next()?.parse().ok()
    };
    let mut boxes = Vec::new();
    let mut labels = Vec::new();
    let mut size = (0, 0);
    let mut rest = svg;
    let mut last_label: Option<Rect> = None;
    while let Some(at) = rest.find('<') {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        let tag = &rest[at..end];
        let after = &rest[end..];
        if tag.starts_with("<svg") {
            size = (
                attr(tag, "width").unwrap_or(0),
                attr(tag, "height").unwrap_or(0),
            );
        } else if tag.starts_with("<rect") && !tag.contains("width=\"100%\"") {
            let r = Rect {
                x: attr(tag, "x").unwrap_or(0),
                y: attr(tag, "y").unwrap_or(0),
                w: attr(tag, "width").unwrap_or(0),
                h: attr(tag, "height").unwrap_or(0),
            };
            if tag.contains("rx=\"3\"") {
                last_label = Some(r);
            } else {
                boxes.push(r);
            }
        } else if tag.starts_with("<text") {
            if let Some(r) = last_label.take() {
                let text = after.split('<').next().unwrap_or("").to_string();
                labels.push((r, text));
            }
        }
        rest = &rest[end..];
    }
    (boxes, labels, size)
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

    /// Issue 14: in every flow of both books, no edge label covers a box or another label
    /// or leaves the drawing, and the Chinese book's labels are the Chinese answers.
    #[test]
    fn every_diagram_keeps_its_labels_clear() {
        let kb = Kb::open(&KbSource::Embedded).unwrap();
        let mut failures = Vec::new();
        for symptom in kb.symptoms() {
            for lang in [Lang::En, Lang::Zh] {
                let svg = flow(&kb, &symptom.id, lang);
                let (boxes, labels, (width, height)) = rects_of(&svg);
                assert!(!boxes.is_empty() && width > 0);
                for (i, (l, text)) in labels.iter().enumerate() {
                    let name = format!("{} ({lang:?}) label `{text}`", symptom.id);
                    if let Some(b) = boxes.iter().find(|b| b.meets(l, 0)) {
                        failures.push(format!("{name} covers the box at {b:?}"));
                    }
                    if labels[..i].iter().any(|(o, _)| o.meets(l, 0)) {
                        failures.push(format!("{name} covers another label"));
                    }
                    if !l.inside(width, height) {
                        failures.push(format!("{name} leaves the drawing"));
                    }
                    let half_width: usize = text.chars().map(units).sum();
                    if (half_width as i32) * LABEL_UNIT_PX + 8 > l.w {
                        failures.push(format!("{name} is wider than its box"));
                    }
                }
                // Each label is taken from an answer's text in the book's language.
                let texts: Vec<String> = kb
                    .nodes_of(Kind::Question)
                    .filter_map(|n| match n {
                        crate::kb::Node::Question(q) => Some(q),
                        _ => None,
                    })
                    .flat_map(|q| q.answers.iter().map(|a| a.label.get(lang).replace('`', "")))
                    .collect();
                for (_, text) in &labels {
                    let stem = text.trim_end_matches('…');
                    if !texts
                        .iter()
                        .any(|t| t.contains(&escape(stem)) || t.contains(stem))
                    {
                        failures.push(format!(
                            "{} ({lang:?}): label `{text}` is no answer's text in this language",
                            symptom.id
                        ));
                    }
                }
                if lang == Lang::Zh && !labels.iter().any(|(_, t)| t.chars().any(|c| units(c) == 2))
                {
                    failures.push(format!(
                        "{}: no Chinese label in the Chinese book",
                        symptom.id
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
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
        assert!(svg.contains(">MM_KEY_EXCH<"), "answers label the edges");
        assert_eq!(
            svg,
            flow(&kb, "sym-tunnel-not-established", Lang::En),
            "deterministic"
        );
    }
}
