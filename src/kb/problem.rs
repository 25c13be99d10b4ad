//! A problem found in a knowledge base, with the place it points at.
//!
//! Problems print as one line, compiler style: `file:line:col: message (hint: …)`, so
//! editors and CI logs can jump to them.

use std::fmt;

/// A position in a knowledge-base file; line and column count from 1, in characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
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
    pub fn new(location: Location, node: Option<&str>, message: impl Into<String>) -> Problem {
        Problem {
            location,
            node: node.map(str::to_string),
            message: message.into(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
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
