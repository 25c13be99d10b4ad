//! The error signatures of a knowledge base, compiled together into one `RegexSet`.
//!
//! Validation uses it to check signatures against examples; search and diagnose use it to
//! recognise log lines. Compiling is the costliest part of opening a knowledge base, so a
//! [`Kb`](super::Kb) builds the set once, on first use, and shares it.

use super::prefilter::LazySet;

/// All error signatures, each compiled on first need (see [`LazySet`]).
#[derive(Debug, Clone)]
pub struct SignatureSet {
    set: LazySet,
    /// For each pattern in the set: the error ID and the signature's index in that error.
    owners: Vec<(String, usize)>,
}

/// A signature that does not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPattern {
    pub error_id: String,
    pub pattern: String,
    pub reason: String,
}

impl SignatureSet {
    /// Prepare `(error ID, signatures)` pairs. Patterns that do not parse are left out of
    /// the set and returned, each named, so one bad pattern hides nothing else; nothing is
    /// compiled until a line needs it ([`SignatureSet::uncompilable`] compiles them all).
    pub fn build<'a>(
        errors: impl Iterator<Item = (&'a str, &'a [String])>,
    ) -> (SignatureSet, Vec<BadPattern>) {
        let mut good: Vec<(&'a str, (String, usize))> = Vec::new();
        let mut bad = Vec::new();
        for (id, signatures) in errors {
            for (i, pattern) in signatures.iter().enumerate() {
                // A cheap syntax check names a bad pattern without compiling anything.
                match check_syntax(pattern) {
                    Ok(()) => good.push((pattern.as_str(), (id.to_string(), i))),
                    Err(reason) => bad.push(BadPattern {
                        error_id: id.to_string(),
                        pattern: pattern.clone(),
                        reason,
                    }),
                }
            }
        }
        let set = LazySet::new(good.iter().map(|(p, _)| p.to_string()));
        let owners = good.into_iter().map(|(_, owner)| owner).collect();
        (SignatureSet { set, owners }, bad)
    }

    /// The (error ID, signature index) of every signature matching `line`.
    pub fn matches<'s>(&'s self, line: &str) -> impl Iterator<Item = (&'s str, usize)> + 's {
        self.set
            .matches(line)
            .into_iter()
            .map(move |i| (self.owners[i].0.as_str(), self.owners[i].1))
    }

    /// Signatures whose syntax is valid but that still do not compile (too big).
    pub fn uncompilable(&self) -> Vec<BadPattern> {
        self.set
            .uncompilable()
            .into_iter()
            .map(|(i, reason)| BadPattern {
                error_id: self.owners[i].0.clone(),
                pattern: self.set.pattern(i).to_string(),
                reason: one_line_reason(&reason),
            })
            .collect()
    }

    pub fn len(&self) -> usize {
        self.owners.len()
    }

    pub fn is_empty(&self) -> bool {
        self.owners.is_empty()
    }
}

/// Check a pattern's syntax without compiling it (for `recognise` patterns).
pub fn check_syntax(pattern: &str) -> Result<(), String> {
    regex_syntax::Parser::new()
        .parse(pattern)
        .map(|_| ())
        .map_err(|err| one_line_reason(&err.to_string()))
}

/// Whether a pattern can only match at the start of the text or of a line (`^`, `\A`,
/// `(?m)^`) somewhere: a signature so anchored misses every line a syslog server or a
/// terminal puts a prefix before. `$` at the end is allowed: nothing follows a message.
pub fn anchored_at_start(pattern: &str) -> bool {
    use regex_syntax::hir::{Hir, HirKind, Look};
    fn walk(hir: &Hir) -> bool {
        match hir.kind() {
            HirKind::Look(look) => matches!(look, Look::Start | Look::StartLF | Look::StartCRLF),
            HirKind::Repetition(r) => walk(&r.sub),
            HirKind::Capture(c) => walk(&c.sub),
            HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().any(walk),
            HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => false,
        }
    }
    regex_syntax::Parser::new()
        .parse(pattern)
        .is_ok_and(|hir| walk(&hir))
}

/// The one-line reason of a regex error (its Display spans several lines).
fn one_line_reason(text: &str) -> String {
    text.lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .unwrap_or_else(|| text.lines().last().unwrap_or("invalid pattern"))
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_name_their_owner() {
        let a = vec!["(?i)replay check failed".to_string()];
        let b = vec!["foo".to_string(), "(?i)invalid spi".to_string()];
        let (set, bad) =
            SignatureSet::build([("err-a", a.as_slice()), ("err-b", b.as_slice())].into_iter());
        assert!(bad.is_empty());
        let hits: Vec<_> = set
            .matches("decaps: rec'd IPSEC packet has invalid SPI")
            .collect();
        assert_eq!(hits, [("err-b", 1)]);
        assert_eq!(set.len(), 3);
    }

    #[test]
    fn bad_patterns_are_named_with_a_one_line_reason() {
        let patterns = vec![["(?i)replay", "("].concat(), "fine".to_string()];
        let (set, err) = SignatureSet::build([("err-a", patterns.as_slice())].into_iter());
        assert_eq!(set.len(), 1);
        assert_eq!(err[0].error_id, "err-a");
        assert_eq!(err[0].reason, "unclosed group");
        assert_eq!(check_syntax("a(").unwrap_err(), "unclosed group");
        assert!(check_syntax(r"\bQM_IDLE\b").is_ok());
    }

    #[test]
    fn start_anchors_are_found_wherever_they_hide() {
        for anchored in [
            r"^%CRYPTO",
            r"\A%CRYPTO",
            r"(?m)^x",
            r"foo|(?:^bar)+",
            r"(^a)",
        ] {
            assert!(anchored_at_start(anchored), "{anchored}");
        }
        for free in [
            r"[^a]bc",
            r"(?i)\binvalid\s+spi\b",
            r"sequence fail$",
            r"\^x",
        ] {
            assert!(!anchored_at_start(free), "{free}");
        }
    }
}
