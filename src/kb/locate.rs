//! Finding where a node, field or value sits in a YAML file's text.
//!
//! serde gives positions only for parse errors. Validation problems are found after
//! parsing, so this module recovers positions from the text: each node starts at its
//! `id:` line and runs to the next node's, and a value is found inside that span.

use super::problem::Location;
use std::collections::HashMap;

/// The node spans of one file: the node ID and its first line (0-based), in file order.
#[derive(Debug, Clone, Default)]
pub struct Spans {
    starts: Vec<(String, usize, usize)>,
    /// For each ID, its positions in `starts`: a lookup per problem stays constant-time,
    /// so reporting many problems in a large file is not quadratic.
    by_id: HashMap<String, Vec<usize>>,
    lines: Vec<String>,
}

impl Spans {
    /// Scan a file for the `id:` lines of list items under top-level keys. Answer IDs,
    /// nested deeper than their question, are not node starts.
    pub fn scan(text: &str) -> Spans {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut starts = Vec::new();
        // Indentation of the items of the current top-level list, once seen.
        let mut item_indent: Option<usize> = None;
        for (n, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            if indent == 0 && !trimmed.starts_with('-') {
                // A new top-level key such as `errors:`.
                item_indent = None;
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix("- ") {
                let at = *item_indent.get_or_insert(indent);
                if indent == at {
                    if let Some(id) = id_value(rest) {
                        starts.push((id, n, indent + 2 + rest.find("id:").unwrap_or(0)));
                    }
                }
            } else if let Some(at) = item_indent {
                // `id:` need not be the first key of its item.
                if indent == at + 2 {
                    if let Some(id) = id_value(trimmed) {
                        starts.push((id, n, indent));
                    }
                }
            }
        }
        let mut by_id: HashMap<String, Vec<usize>> = HashMap::new();
        for (pos, (id, _, _)) in starts.iter().enumerate() {
            by_id.entry(id.clone()).or_default().push(pos);
        }
        Spans {
            starts,
            by_id,
            lines,
        }
    }

    /// The position in `starts` of the `nth` node with this ID.
    fn pos(&self, id: &str, nth: usize) -> Option<usize> {
        self.by_id.get(id)?.get(nth).copied()
    }

    /// The line range (0-based, end exclusive) of the `nth` node with this ID.
    fn span(&self, id: &str, nth: usize) -> Option<(usize, usize)> {
        let pos = self.pos(id, nth)?;
        let start = self.starts[pos].1;
        let end = self
            .starts
            .get(pos + 1)
            .map(|(_, line, _)| *line)
            .unwrap_or(self.lines.len());
        Some((start, end))
    }

    /// Where the `nth` node with this ID starts (its `id:` line).
    pub fn node(&self, file: &str, id: &str, nth: usize) -> Option<Location> {
        let (_, line, col) = &self.starts[self.pos(id, nth)?];
        Some(Location {
            file: file.to_string(),
            line: line + 1,
            column: col + 1,
        })
    }

    /// Where the last of `needles` occurs, each searched after the previous one, inside
    /// the node: `["answers:", "id: no", "next:"]` finds the `next:` of answer `no`.
    pub fn within_after(&self, file: &str, id: &str, needles: &[&str]) -> Location {
        let fallback = self.node(file, id, 0).unwrap_or(Location {
            file: file.to_string(),
            line: 1,
            column: 1,
        });
        if needles.is_empty() {
            return fallback;
        }
        self.find_within_after(file, id, needles)
            .unwrap_or(fallback)
    }

    /// Like [`Spans::within_after`], but `None` when some needle is not found.
    pub fn find_within_after(&self, file: &str, id: &str, needles: &[&str]) -> Option<Location> {
        let (start, end) = self.span(id, 0)?;
        let mut line = start;
        let mut col = 0usize;
        for needle in needles {
            let mut found = None;
            for (n, text) in self.lines.iter().enumerate().take(end).skip(line) {
                let from = if n == line { col } else { 0 };
                let byte_from = text
                    .char_indices()
                    .nth(from)
                    .map(|(b, _)| b)
                    .unwrap_or(text.len());
                if let Some(b) = text[byte_from..].find(needle) {
                    found = Some((n, text[..byte_from + b].chars().count()));
                    break;
                }
            }
            let (n, c) = found?;
            line = n;
            col = c;
        }
        Some(Location {
            file: file.to_string(),
            line: line + 1,
            column: col + 1,
        })
    }

    /// The column (1-based, in characters) where `needle` starts on line `line` (1-based)
    /// at or after column `from`.
    pub fn column_of(&self, line: usize, from: usize, needle: &str) -> Option<usize> {
        let text = self.lines.get(line.checked_sub(1)?)?;
        let byte_from = text
            .char_indices()
            .nth(from.saturating_sub(1))
            .map_or(text.len(), |(b, _)| b);
        let at = text[byte_from..].find(needle)? + byte_from;
        Some(text[..at].chars().count() + 1)
    }

    /// The ID of the node whose span holds `line` (1-based), if any.
    pub fn node_at_line(&self, line: usize) -> Option<&str> {
        // Starts are in file order: the last one before `line`.
        let after = self.starts.partition_point(|(_, start, _)| *start < line);
        after.checked_sub(1).map(|pos| self.starts[pos].0.as_str())
    }
}

/// The value of an `id: value` line, unquoted.
fn id_value(s: &str) -> Option<String> {
    let v = s.strip_prefix("id:")?.trim();
    let v = v.split(" #").next().unwrap_or(v).trim();
    let v = v.trim_matches(|c| c == '"' || c == '\'');
    (!v.is_empty()).then(|| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
causes:
  - id: cause-a
    title: { en: A, zh: 甲 }
    fixes: [fix-a]
  - title: { en: B, zh: 乙 }
    id: cause-b
    fixes: [fix-b, fix-x]
questions:
- id: q-one
  answers:
    - id: yes
      next: cause-a
    - id: no
      next: cause-b
";

    #[test]
    fn finds_node_starts_not_answer_ids() {
        let spans = Spans::scan(TEXT);
        let ids: Vec<&str> = spans.starts.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(ids, ["cause-a", "cause-b", "q-one"]);
        assert_eq!(spans.node("f", "cause-b", 0).unwrap().line, 6);
        assert_eq!(spans.node("f", "q-one", 0).unwrap().column, 3);
    }

    #[test]
    fn locates_values_inside_a_node() {
        let spans = Spans::scan(TEXT);
        let loc = spans.within_after("f", "cause-b", &["fix-x"]);
        assert_eq!((loc.line, loc.column), (7, 20));
        let loc = spans.within_after("f", "q-one", &["id: no", "next:"]);
        assert_eq!((loc.line, loc.column), (14, 7));
        // A needle outside the node falls back to the node's start.
        let loc = spans.within_after("f", "cause-a", &["fix-b"]);
        assert_eq!(loc.line, 2);
    }

    #[test]
    fn maps_lines_to_nodes() {
        let spans = Spans::scan(TEXT);
        assert_eq!(spans.node_at_line(4), Some("cause-a"));
        assert_eq!(spans.node_at_line(13), Some("q-one"));
        assert_eq!(spans.node_at_line(1), None);
    }
}
