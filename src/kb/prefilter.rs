//! Many patterns, compiled only when a text could match them.
//!
//! Compiling a set of a hundred Unicode patterns costs about ten milliseconds, more than the
//! search that uses them. Almost every pattern needs a literal word somewhere in what it
//! matches (`(?i)\breplay\s+check\s+failed` cannot match a text without "replay" in it), so
//! [`LazySet`] finds those words in the text first, with one Aho-Corasick pass, and compiles
//! and runs only the patterns whose word is there (each once, on first need). A pattern with
//! no such word is always run.
//!
//! The words are taken from the pattern's syntax tree, so they are necessary by
//! construction: a literal in a concatenation every match goes through, a repetition of at
//! least one, a capture, or an alternation all of whose branches need one. Letters compare
//! without case, as `(?i)` does: its classes of one ASCII letter (with the Kelvin sign for
//! `k` and the long s for `s`) count as that letter, and texts are folded the same way.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use regex_syntax::hir::{Class, Hir, HirKind};
use std::sync::OnceLock;

/// Patterns, each compiled on first need.
#[derive(Debug)]
pub struct LazySet {
    patterns: Vec<String>,
    compiled: Vec<OnceLock<Option<Regex>>>,
    /// The needed words of all patterns, lower case.
    words: Option<AhoCorasick>,
    /// For each word: the patterns that need it.
    word_owners: Vec<Vec<usize>>,
    /// Patterns that need no word: run on every text.
    always: Vec<usize>,
}

impl Clone for LazySet {
    fn clone(&self) -> Self {
        LazySet::new(self.patterns.iter().cloned())
    }
}

impl LazySet {
    /// Prepare `patterns` (nothing is compiled yet). A pattern that does not parse never
    /// matches; [`LazySet::uncompilable`] names it.
    pub fn new(patterns: impl IntoIterator<Item = String>) -> LazySet {
        let patterns: Vec<String> = patterns.into_iter().collect();
        let mut words: Vec<String> = Vec::new();
        let mut word_owners: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            match needed_words(p) {
                Some(alternatives) => {
                    for w in alternatives {
                        match words.iter().position(|x| *x == w) {
                            Some(at) => word_owners[at].push(i),
                            None => {
                                words.push(w);
                                word_owners.push(vec![i]);
                            }
                        }
                    }
                }
                None => always.push(i),
            }
        }
        let words = (!words.is_empty())
            .then(|| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&words)
                    .ok()
            })
            .flatten();
        // Without the automaton (it cannot fail on so few words), every pattern runs.
        if words.is_none() {
            always = (0..patterns.len()).collect();
        }
        LazySet {
            compiled: patterns.iter().map(|_| OnceLock::new()).collect(),
            patterns,
            words,
            word_owners,
            always,
        }
    }

    pub fn pattern(&self, i: usize) -> &str {
        &self.patterns[i]
    }

    /// The compiled pattern `i`, or `None` when it does not compile.
    pub fn regex(&self, i: usize) -> Option<&Regex> {
        self.compiled[i]
            .get_or_init(|| Regex::new(&self.patterns[i]).ok())
            .as_ref()
    }

    /// The indices of the patterns that match `text`, in ascending order.
    pub fn matches(&self, text: &str) -> Vec<usize> {
        let mut candidates = self.always.clone();
        if let Some(words) = &self.words {
            // ASCII letters fold without help; the two non-ASCII forms of `k` and `s`
            // that `(?i)` also accepts are folded first.
            let folded;
            let haystack = if text.contains(['\u{212A}', '\u{17F}']) {
                folded = text.replace('\u{212A}', "k").replace('\u{17F}', "s");
                folded.as_str()
            } else {
                text
            };
            for m in words.find_overlapping_iter(haystack) {
                candidates.extend_from_slice(&self.word_owners[m.pattern().as_usize()]);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates.retain(|&i| self.regex(i).is_some_and(|r| r.is_match(text)));
        candidates
    }

    /// Every pattern that does not compile, with the reason (compiles them all).
    pub fn uncompilable(&self) -> Vec<(usize, String)> {
        (0..self.patterns.len())
            .filter(|&i| self.regex(i).is_none())
            .map(|i| {
                let reason = Regex::new(&self.patterns[i])
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_default();
                (i, reason)
            })
            .collect()
    }
}

/// Words (lower case) one of which every match of `pattern` contains, or `None` when no
/// such word is known.
pub fn needed_words(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    needed(&hir)
}

/// The requirement of a node: any one of the words (all non-empty).
fn needed(hir: &Hir) -> Option<Vec<String>> {
    match hir.kind() {
        HirKind::Literal(_) | HirKind::Class(_) => {
            literal_text(hir).map(|w| vec![w.to_ascii_lowercase()])
        }
        HirKind::Capture(c) => needed(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => needed(&r.sub),
        HirKind::Alternation(subs) => {
            let mut all = Vec::new();
            for s in subs {
                all.extend(needed(s)?);
            }
            Some(all)
        }
        HirKind::Concat(subs) => {
            // Runs of consecutive literal characters (look-arounds are zero-width and do
            // not break a run), and the requirements of the other parts: keep the best.
            let mut options: Vec<Vec<String>> = Vec::new();
            let mut run = String::new();
            for s in subs {
                if let Some(t) = literal_text(s) {
                    run.push_str(&t);
                    continue;
                }
                if matches!(s.kind(), HirKind::Look(_)) {
                    continue;
                }
                if !run.is_empty() {
                    options.push(vec![std::mem::take(&mut run)]);
                }
                if let Some(n) = needed(s) {
                    options.push(n);
                }
            }
            if !run.is_empty() {
                options.push(vec![run]);
            }
            for o in &mut options {
                for w in o.iter_mut() {
                    *w = w.to_ascii_lowercase();
                }
            }
            // The best requirement is the one whose shortest word is longest.
            options
                .into_iter()
                .max_by_key(|o| o.iter().map(String::len).min().unwrap_or(0))
        }
        _ => None,
    }
}

/// The text a literal node stands for: ASCII bytes as written, or a class of one ASCII
/// letter in its cases (what `(?i)x` becomes), as that letter in lower case.
pub(crate) fn literal_text(hir: &Hir) -> Option<String> {
    match hir.kind() {
        HirKind::Literal(lit) => {
            let text = std::str::from_utf8(&lit.0).ok()?;
            text.is_ascii().then(|| text.to_string())
        }
        HirKind::Class(Class::Unicode(class)) => {
            let mut letter: Option<char> = None;
            for range in class.ranges() {
                for c in range.start()..=range.end() {
                    let folded = match c {
                        '\u{212A}' => 'k',
                        '\u{17F}' => 's',
                        c if c.is_ascii_alphabetic() => c.to_ascii_lowercase(),
                        _ => return None,
                    };
                    if letter.is_some_and(|l| l != folded) {
                        return None;
                    }
                    letter = Some(folded);
                }
            }
            letter.map(String::from)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_needed_words_are_the_literal_runs() {
        // The longest run (the last of equals).
        assert_eq!(
            needed_words(r"(?i)\breplay\s+check\s+failed").unwrap(),
            ["failed"]
        );
        assert_eq!(needed_words(r"(?i)\bQM\s+FSM\s+error").unwrap(), ["error"]);
        assert_eq!(
            needed_words(r"\bTS_UNACCEPTABLE\b").unwrap(),
            ["ts_unacceptable"]
        );
        assert_eq!(
            needed_words(r"(?i)\bRECVD_PKT_MAC_ERR\b|\bmac\s+verify\s+failed\b").unwrap(),
            ["recvd_pkt_mac_err", "failed"]
        );
        assert_eq!(
            needed_words(r"(?:\d{1,3}\.){3}\d{1,3}\s+(?:\d{1,3}\.){3}\d{1,3}\s+MM_NO_STATE\b")
                .unwrap(),
            ["mm_no_state"]
        );
        // Nothing is needed: an optional part, or a pattern of classes only.
        assert_eq!(needed_words(r"(?:key)?\s+\S+"), None);
        assert_eq!(needed_words(r"^\s*\S+\s{2,}\S+$"), None);
        assert_eq!(needed_words("("), None);
    }

    #[test]
    fn a_lazy_set_matches_as_a_regex_set_does() {
        let patterns = [
            r"(?i)\breplay\s+check\s+failed",
            r"\bTS_UNACCEPTABLE\b",
            r"(?i)\bRECVD_PKT_MAC_ERR\b|\bmac\s+verify\s+failed\b",
            r"^\s*\S+\s{2,}(?:\S*[.:]\S*)\s{2,}(?P<s>\S+)\s*$",
            r"(?i)\bkey\s+(?P<s>\S+)",
        ];
        let lazy = LazySet::new(patterns.iter().map(|p| p.to_string()));
        let set = regex::RegexSet::new(patterns).unwrap();
        for text in [
            "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: REPLAY check failed connection id=3",
            "IKEv2 NOTIFY(TS_UNACCEPTABLE)",
            "ts_unacceptable",
            "decrypt: mac verify failed for connection id=294",
            "default  198.51.100.2  s3cr3t",
            "crypto isakmp \u{212A}EY s3cr3t address 192.0.2.1",
            "预共享密钥 key abc",
            "nothing here",
        ] {
            let want: Vec<usize> = set.matches(text).into_iter().collect();
            assert_eq!(lazy.matches(text), want, "{text}");
        }
    }

    #[test]
    fn a_pattern_that_does_not_compile_never_matches_and_is_named() {
        let lazy = LazySet::new(["(".to_string(), "fine".to_string()]);
        assert_eq!(lazy.matches("fine ("), [1]);
        assert_eq!(lazy.uncompilable().len(), 1);
        assert_eq!(lazy.uncompilable()[0].0, 0);
    }
}
