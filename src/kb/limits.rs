//! Limits checked before a YAML text reaches the parser: its size, and how deeply it nests.
//!
//! The YAML parser's cost grows much faster than the text when collections nest deeply
//! (100,000 levels took 19 s), and nothing a knowledge base or an answers file needs comes
//! near these limits. A cheap scan of the text finds the first place past them, so such a
//! file is refused in milliseconds with its `file:line:col`, before any deep structure is
//! built.

/// The largest file the loader reads. The whole embedded knowledge base is far smaller.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// The deepest nesting accepted, counted separately for flow collections (`[`, `{`) and for
/// indentation. A knowledge-base file needs about eight levels.
pub const MAX_DEPTH: usize = 64;

/// Where a text first nests deeper than [`MAX_DEPTH`]; line and column count from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub line: usize,
    pub column: usize,
    /// `true` for brackets and braces, `false` for indentation.
    pub flow: bool,
}

/// A size limit in words, for messages: `4 MiB`, `512 KiB`.
pub fn size_words(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{} KiB", bytes.div_ceil(1024))
    }
}

/// The first place where `text` nests deeper than [`MAX_DEPTH`], if any.
///
/// The scan knows just enough YAML to count levels without being fooled by text: quoted
/// scalars (which may span lines), comments, block scalars (`|`, `>`: their lines are
/// text, however indented), and that `[` or `{` opens a collection only where a value
/// starts (in block context `key: a[1]` is plain text). Indentation levels are counted as
/// a stack of columns, compact sequences (`- - x`) included. It may over-count a level
/// where YAML would not (a continuation line of a plain scalar), never by dozens.
pub fn nesting(text: &str) -> Option<TooDeep> {
    let mut scan = Scan::default();
    for (n, line) in text.lines().enumerate() {
        if let Some(too_deep) = scan.line(n + 1, line) {
            return Some(too_deep);
        }
    }
    None
}

#[derive(Default)]
struct Scan {
    /// Depth of open `[` / `{`.
    flow: usize,
    /// Inside a quoted scalar that continues on the next line: its quote character.
    quote: Option<u8>,
    /// Inside a block scalar: lines indented deeper than this column are its text.
    block_scalar: Option<usize>,
    /// The columns of the open indentation levels, innermost last.
    levels: Vec<usize>,
}

impl Scan {
    /// Scan one line. Bytes, not characters: every character YAML gives meaning to is
    /// ASCII, and no byte of a multi-byte UTF-8 character is.
    fn line(&mut self, n: usize, line: &str) -> Option<TooDeep> {
        let b = line.as_bytes();
        let indent = b.iter().take_while(|c| **c == b' ').count();
        let blank = line[indent..]
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
            .is_empty();
        if let Some(parent) = self.block_scalar {
            if blank || indent > parent {
                return None;
            }
            self.block_scalar = None;
        }
        let too_deep = |at: usize, flow: bool| TooDeep {
            line: n,
            column: line[..at].chars().count() + 1,
            flow,
        };
        let mut i = 0;
        // The column of the innermost node begun on this line (a key or a sequence entry):
        // a block scalar opened here is indented deeper than it.
        let mut node = indent;
        if self.quote.is_none() && self.flow == 0 {
            if blank || b[indent] == b'#' {
                return None;
            }
            let marker = indent == 0
                && (b.starts_with(b"---") || b.starts_with(b"..."))
                && b.get(3).is_none_or(|c| c.is_ascii_whitespace());
            if marker {
                // A new document: nothing is open any more.
                self.levels.clear();
                i = 3;
            } else {
                i = indent;
                if self.open_level(indent) {
                    return Some(too_deep(indent, false));
                }
                // Compact nesting on one line: `- - x`, `? x`, `: x`.
                while i < b.len()
                    && matches!(b[i], b'-' | b'?' | b':')
                    && b.get(i + 1).is_none_or(|c| *c == b' ')
                {
                    i += 1;
                    while b.get(i) == Some(&b' ') {
                        i += 1;
                    }
                    if i >= b.len() {
                        break;
                    }
                    node = i;
                    if self.open_level(i) {
                        return Some(too_deep(i, false));
                    }
                }
            }
        }
        // True where a value starts, so that a quote or bracket there opens one.
        let mut at_start = self.quote.is_none();
        let mut token = i;
        while i < b.len() {
            let c = b[i];
            let next = b.get(i + 1).copied();
            if let Some(q) = self.quote {
                match (q, c) {
                    (b'\'', b'\'') if next == Some(b'\'') => i += 1,
                    (b'"', b'\\') => i += 1,
                    (q, c) if q == c => {
                        self.quote = None;
                        at_start = false;
                    }
                    _ => {}
                }
                i += 1;
                continue;
            }
            let after_space = i == 0 || b[i - 1].is_ascii_whitespace();
            match c {
                b'#' if after_space => break,
                b'\'' | b'"' if at_start => {
                    self.quote = Some(c);
                    token = i;
                }
                b'[' | b'{' if at_start || self.flow > 0 => {
                    self.flow += 1;
                    if self.flow > MAX_DEPTH {
                        return Some(too_deep(i, true));
                    }
                    at_start = true;
                }
                b']' | b'}' if self.flow > 0 => {
                    self.flow -= 1;
                    at_start = false;
                }
                b',' if self.flow > 0 => at_start = true,
                b':' if next.is_none_or(|c| c.is_ascii_whitespace())
                    || (self.flow > 0 && next.is_some_and(|c| b",[]{}".contains(&c))) =>
                {
                    if self.flow == 0 {
                        node = token;
                    }
                    at_start = true;
                }
                b'|' | b'>' if at_start && self.flow == 0 => {
                    // A block scalar header: indicators, then nothing or a comment.
                    let rest = &line[i + 1..];
                    let rest = rest.split(" #").next().unwrap_or("");
                    if rest
                        .trim_end()
                        .bytes()
                        .all(|c| c == b'-' || c == b'+' || c.is_ascii_digit())
                    {
                        self.block_scalar = Some(node);
                        return None;
                    }
                    at_start = false;
                }
                // Anchors, aliases and tags come before the value they name.
                b'&' | b'*' | b'!' if at_start => {
                    while i + 1 < b.len() && !b[i + 1].is_ascii_whitespace() {
                        i += 1;
                    }
                }
                c if c.is_ascii_whitespace() => {}
                _ => {
                    if at_start {
                        token = i;
                    }
                    at_start = false;
                }
            }
            i += 1;
        }
        None
    }

    /// Enter the indentation level at `column`, closing the deeper ones; `true` when that
    /// makes more than [`MAX_DEPTH`] levels.
    fn open_level(&mut self, column: usize) -> bool {
        while self.levels.last().is_some_and(|top| *top > column) {
            self.levels.pop();
        }
        if self.levels.last().is_none_or(|top| *top < column) {
            self.levels.push(column);
        }
        self.levels.len() > MAX_DEPTH
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn indented(levels: usize) -> String {
        (0..levels)
            .map(|d| format!("{}k{d}:\n", " ".repeat(d)))
            .collect()
    }

    #[test]
    fn shallow_texts_pass() {
        for dir in ["kb"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "yaml") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    assert_eq!(nesting(&text), None, "{}", path.display());
                }
            }
        }
        assert_eq!(nesting(&indented(MAX_DEPTH)), None);
        assert_eq!(nesting(&format!("a: {}", "[".repeat(MAX_DEPTH))), None);
    }

    #[test]
    fn deep_flow_collections_are_found_where_they_pass_the_limit() {
        let text = format!("sections:\n  - {}\n", "[".repeat(MAX_DEPTH + 5));
        assert_eq!(
            nesting(&text),
            Some(TooDeep {
                line: 2,
                column: 5 + MAX_DEPTH,
                flow: true
            })
        );
        let braces = format!("x: {}", "{a: ".repeat(MAX_DEPTH + 1));
        assert!(nesting(&braces).is_some_and(|t| t.flow));
    }

    #[test]
    fn deep_indentation_and_compact_sequences_are_found() {
        let t = nesting(&indented(MAX_DEPTH + 1)).unwrap();
        assert_eq!(
            (t.line, t.column, t.flow),
            (MAX_DEPTH + 1, MAX_DEPTH + 1, false)
        );
        let compact = format!("x:\n  {}y\n", "- ".repeat(MAX_DEPTH));
        assert!(nesting(&compact).is_some_and(|t| !t.flow && t.line == 2));
    }

    #[test]
    fn brackets_in_text_are_not_nesting() {
        let many = "[".repeat(MAX_DEPTH * 2);
        let texts = [
            format!("a: 'quoted {many}'\n"),
            format!("a: \"quoted {many} \\\" still\"\n"),
            format!("a: plain{many}\n"),
            format!("a: x # comment {many}\n"),
            format!("a: |\n  {many}\n    {many}\nb: 1\n"),
            format!("- key: >-\n    {many}\n  other: 1\n"),
            format!("a: 'it''s {many}\n  still quoted {many}'\n"),
            format!("a: [it's, x]\nb: 'q{many}'\n"),
        ];
        for text in texts {
            assert_eq!(nesting(&text), None, "{text}");
        }
        // After a block scalar ends, structure counts again.
        let after = format!("a: |\n  text\nb: {}\n", "[".repeat(MAX_DEPTH + 1));
        assert!(nesting(&after).is_some());
        // A quote in the middle of a plain scalar opens nothing.
        let hidden = format!("a: [it's, {}]\n", "[".repeat(MAX_DEPTH + 1));
        assert!(nesting(&hidden).is_some());
    }

    #[test]
    fn a_hundred_thousand_levels_are_refused_in_milliseconds() {
        let brackets = format!("x: {}", "[".repeat(100_000));
        let braces = format!("x: {}", "{a: ".repeat(100_000));
        let dashes = format!("x:\n{}y\n", "- ".repeat(100_000));
        let indent = indented(2_000);
        let start = Instant::now();
        for text in [&brackets, &braces, &dashes, &indent] {
            assert!(nesting(text).is_some());
        }
        assert!(
            start.elapsed() < Duration::from_millis(500),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(size_words(MAX_FILE_BYTES), "4 MiB");
        assert_eq!(size_words(1000), "1 KiB");
    }
}
