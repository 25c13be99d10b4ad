//! A problem found in a knowledge base, with the place it points at.
//!
//! Problems print as one line, compiler style: `file:line:col: message (hint: …)`, so
//! editors and CI logs can jump to them.

use std::fmt;

/// A position in a knowledge-base file; line and column count from 1, in characters.
/// Line 0 means the file as a whole (a directory entry that is not a readable file has no
/// lines to point at) and prints as the bare path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl Location {
    /// The file (or directory entry) as a whole.
    pub fn file(path: impl Into<String>) -> Location {
        Location {
            file: path.into(),
            line: 0,
            column: 0,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            return f.write_str(&self.file);
        }
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// The longest value, in characters, a message quotes in full; longer ones are cut there
/// and end in `…`, so one huge ID or line cannot flood a report.
pub const QUOTE_LIMIT: usize = 60;

/// `s` cut to [`QUOTE_LIMIT`] characters, with `…` when something was cut.
pub fn short(s: &str) -> String {
    match s.char_indices().nth(QUOTE_LIMIT) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

/// Every span of `message` between a pair of `quote` characters, cut with [`short`]. A
/// safety net for messages assembled from values (serde's included); an unpaired quote is
/// left alone.
pub fn bound_quoted(message: &str, quote: char) -> String {
    let mut out = String::with_capacity(message.len().min(4096));
    let mut rest = message;
    while let Some(open) = rest.find(quote) {
        let after = &rest[open + quote.len_utf8()..];
        let Some(close) = after.find(quote) else {
            break;
        };
        out.push_str(&rest[..open + quote.len_utf8()]);
        out.push_str(&short(&after[..close]));
        out.push(quote);
        rest = &after[close + quote.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// One problem. Ordered by location so reports are stable.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Problem {
    pub location: Location,
    /// The node the problem belongs to, when known.
    pub node: Option<String>,
    pub message: String,
    pub hint: Option<String>,
}

impl Problem {
    /// A problem; values quoted in backticks are cut to [`QUOTE_LIMIT`] characters.
    pub fn new(location: Location, node: Option<&str>, message: impl Into<String>) -> Problem {
        Problem {
            location,
            node: node.map(short),
            message: bound_quoted(&message.into(), '`'),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(bound_quoted(&hint.into(), '`'));
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.location)?;
        if let Some(node) = &self.node {
            write!(f, "in `{node}`: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_once_and_marked() {
        let id = "x".repeat(1 << 20);
        let p = Problem::new(
            Location {
                file: "k.yaml".into(),
                line: 3,
                column: 5,
            },
            Some(&id),
            format!("ID `{id}` is odd, and so is `{id}`"),
        );
        let shown = p.to_string();
        assert!(shown.len() < 400, "{} bytes", shown.len());
        assert_eq!(shown.matches('…').count(), 3, "{shown}");
        assert_eq!(short("abc"), "abc");
        assert_eq!(short(&"é".repeat(61)), format!("{}…", "é".repeat(60)));
        assert_eq!(
            bound_quoted("an `unpaired quote", '`'),
            "an `unpaired quote"
        );
    }

    #[test]
    fn a_whole_file_location_is_the_bare_path() {
        assert_eq!(Location::file("kb/x.yaml").to_string(), "kb/x.yaml");
    }
}
