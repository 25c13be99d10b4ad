//! Validation of a parsed knowledge base. Returns every problem, like a compiler, each
//! pointing at the file, line and column of the value at fault.
//!
//! The rules keep the graph usable by every reader: IDs are unique and well formed,
//! references resolve to nodes of the right kind, every node is reachable from a symptom
//! or an error, every decision flow ends at a cause, causes have fixes, errors have causes,
//! texts exist in both languages, and every signature is a valid pattern that recognises
//! the error's own example lines, and nothing else: not the empty string, not only at the
//! start of a line, not a line of a working VPN's output.
//!
//! Every check is linear in the size of the knowledge base (or of the problems found), so
//! a generated graph of tens of thousands of nodes is checked in well under a second.

use super::ids::{self, ID_RULE};
use super::locate::Spans;
use super::problem::{short, Location, Problem};
use super::schema::{Section, Text};
use super::signatures::{anchored_at_start, check_syntax};
use super::{file_nodes, EdgeKind, Kb, Kind, Node};
use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

/// Output of working VPNs (IOS 12.4 and 15, IOS-XE, ASA 9): log lines, debug lines and
/// show output. A signature that matches one of these lines would report a fault on a
/// healthy tunnel.
const HEALTHY: &str = include_str!("healthy.log");

/// The lines of [`HEALTHY`], comments left out.
pub(crate) fn healthy_lines() -> impl Iterator<Item = &'static str> {
    HEALTHY
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("# "))
}

/// "Did you mean" hints compare an unknown ID with every node: offered for this many
/// unknown references, so a file with thousands of them is still reported at once.
const SUGGESTIONS: usize = 200;

pub(super) fn validate(kb: &Kb) -> Vec<Problem> {
    let v = Validator::new(kb);
    let mut out = Vec::new();
    v.duplicates(&mut out);
    v.sections(&mut out);
    for node in kb.nodes() {
        v.id_shape(node, &mut out);
        v.texts(node, &mut out);
        v.references(node, &mut out);
        v.structure(node, &mut out);
        v.patterns(node, &mut out);
        v.rules(node, &mut out);
    }
    v.graph(&mut out);
    v.informational(&mut out);
    out
}

struct Validator<'a> {
    kb: &'a Kb,
    /// Scanned only when a problem needs a location: a valid knowledge base never pays.
    spans: Vec<OnceLock<Spans>>,
    /// For each (error ID, signature index) matching a healthy line: the first such line.
    healthy: HashMap<(&'a str, usize), &'static str>,
    suggestions_left: Cell<usize>,
}

impl<'a> Validator<'a> {
    fn new(kb: &'a Kb) -> Self {
        let spans = kb.docs().iter().map(|_| OnceLock::new()).collect();
        let (set, _) = kb.compiled_signatures();
        let mut healthy = HashMap::new();
        for line in healthy_lines() {
            let collapsed = collapse_ws(line);
            for text in [line, collapsed.as_str()] {
                for owner in set.matches(text) {
                    healthy.entry(owner).or_insert(line);
                }
            }
        }
        Validator {
            kb,
            spans,
            healthy,
            suggestions_left: Cell::new(SUGGESTIONS),
        }
    }

    fn spans(&self, file: usize) -> &Spans {
        self.spans[file].get_or_init(|| Spans::scan(&self.kb.docs()[file].text))
    }

    /// The file index holding the (first) node or section with this ID.
    fn file_of(&self, id: &str) -> usize {
        if let Some(slot) = self.kb.slots.get(id) {
            return slot.file;
        }
        if let Some((f, _)) = self.kb.sections.get(id) {
            return *f;
        }
        self.kb
            .docs()
            .iter()
            .position(|d| d.content.informational.iter().any(|i| i.id == id))
            .unwrap_or(0)
    }

    fn at(&self, id: &str) -> Location {
        self.within(id, &[])
    }

    fn within(&self, id: &str, needles: &[&str]) -> Location {
        let file = self.file_of(id);
        let path = &self.kb.docs()[file].path;
        self.spans(file).within_after(path, id, needles)
    }

    fn problem(&self, id: &str, needles: &[&str], message: impl Into<String>) -> Problem {
        Problem::new(self.within(id, needles), Some(id), message)
    }

    /// The conditions of `when:`, `confirmed_by:`, `ruled_out_by:` and `triggered_by:`
    /// name a known fact and only what that fact has, with values it can take: a rule is
    /// checked like code.
    fn rules(&self, node: Node<'_>, out: &mut Vec<Problem>) {
        use crate::kb::schema::Condition;
        let mut lists: Vec<(&str, &[Condition])> = Vec::new();
        match node {
            Node::Question(q) => {
                for a in &q.answers {
                    lists.push(("when", &a.when));
                }
            }
            Node::Cause(c) => {
                lists.push(("confirmed_by", &c.confirmed_by));
                lists.push(("ruled_out_by", &c.ruled_out_by));
            }
            Node::Symptom(s) => lists.push(("triggered_by", &s.triggered_by)),
            _ => {}
        }
        let id = node.id();
        for (field, conds) in lists {
            for c in conds {
                for (message, value) in condition_problems(self.kb, c) {
                    let mut needles = vec![field, "fact:", c.fact.as_str()];
                    if !value.is_empty() {
                        needles.push(value.as_str());
                    }
                    out.push(
                        self.problem(id, &needles, format!("`{field}`: {message}"))
                            .hint("see \"Rules over facts\" in kb/README.md"),
                    );
                }
            }
        }
    }

    fn duplicates(&self, out: &mut Vec<Problem>) {
        // (file, nth occurrence within that file) of every definition of an ID.
        let mut seen: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
        for (file, doc) in self.kb.docs().iter().enumerate() {
            let nodes = file_nodes(&doc.content);
            let ids = doc
                .content
                .sections
                .iter()
                .map(|s| s.id.as_str())
                .chain(nodes.iter().map(|n| n.id()));
            let mut in_file: HashMap<&str, usize> = HashMap::new();
            for id in ids {
                let nth = in_file.entry(id).or_default();
                seen.entry(id).or_default().push((file, *nth));
                *nth += 1;
            }
        }
        for (id, places) in seen {
            let Some(((first_file, first_nth), rest)) = places.split_first() else {
                continue;
            };
            if rest.is_empty() {
                // Locating is for problems only: a valid file is never scanned for places.
                continue;
            }
            let doc_path = |f: usize| self.kb.docs()[f].path.as_str();
            let locate = |f: usize, nth: usize| {
                self.spans(f)
                    .node(doc_path(f), id, nth)
                    .unwrap_or_else(|| Location {
                        file: doc_path(f).to_string(),
                        line: 1,
                        column: 1,
                    })
            };
            let first = locate(*first_file, *first_nth);
            for (file, nth) in rest {
                out.push(
                    Problem::new(
                        locate(*file, *nth),
                        Some(id),
                        format!("duplicate ID `{id}`, first defined at {first}"),
                    )
                    .hint("give each node its own ID"),
                );
            }
        }
    }

    fn sections(&self, out: &mut Vec<Problem>) {
        let cited: BTreeSet<&str> = self
            .kb
            .nodes()
            .flat_map(|n| n.source().iter().map(String::as_str))
            .collect();
        for section in self.kb.sections() {
            let id = section.id.as_str();
            if !is_kebab(id) || !id.starts_with("sec-") {
                out.push(self.problem(
                    id,
                    &[],
                    format!("section ID `{id}` must be kebab-case and start with `sec-`"),
                ));
            }
            for (field, text) in section_texts(section) {
                self.text(id, &[field], field, text, out);
            }
            if let Some(parent) = &section.parent {
                if self.kb.section(parent).is_none() {
                    out.push(self.unknown(id, &["parent:", parent], "parent", parent, None));
                }
            }
            if section.not_encoded.is_none() && !cited.contains(id) {
                out.push(
                    self.problem(id, &[], format!("section `{id}` is cited by no node"))
                        .hint(
                            "cite it in some node's `source`, or set `not_encoded` with the reason",
                        ),
                );
            }
        }
    }

    /// Where the character at `index` (1-based, in characters) of `value` sits, `value`
    /// being the text `at` points to (or is found after it on the same line).
    fn char_at(&self, id: &str, at: Location, value: &str, index: usize) -> Location {
        let file = self.file_of(id);
        let column = self
            .spans(file)
            .column_of(at.line, at.column, value)
            .map_or(at.column, |start| start + index - 1);
        Location { column, ..at }
    }

    /// A problem for an ID with a non-ASCII character, pointing at that character:
    /// `` contains the non-ASCII character `е` (U+0435, a look-alike of `e`) at column 9 ``.
    /// `at` is only asked for when there is a problem: a valid knowledge base never pays
    /// for locating anything.
    fn non_ascii(
        &self,
        owner: &str,
        at: impl FnOnce() -> Location,
        value: &str,
        what: impl FnOnce(&str) -> String,
    ) -> Option<Problem> {
        let (index, c) = ids::first_non_ascii(value)?;
        let at = self.char_at(owner, at(), value, index);
        let message = format!(
            "{} contains {} at column {}; {ID_RULE}",
            what(&short(value)),
            ids::describe(c),
            at.column
        );
        let ascii = ids::skeleton(value);
        let problem = Problem::new(at, Some(owner), message);
        Some(if ascii.is_ascii() && is_kebab(&ascii) {
            problem.hint(format!("type it in ASCII: `{ascii}`"))
        } else {
            problem.hint("retype the ID in ASCII")
        })
    }

    fn id_shape(&self, node: Node<'_>, out: &mut Vec<Problem>) {
        let id = node.id();
        let prefix = node.kind().prefix();
        let kind = node.kind();
        if let Some(problem) = self.non_ascii(
            id,
            || self.within(id, &[id]),
            id,
            |id| format!("{kind} ID `{id}`"),
        ) {
            out.push(problem);
            return;
        }
        if !is_kebab(id) || !id.starts_with(prefix) || id.len() == prefix.len() {
            out.push(
                self.problem(
                    id,
                    &[],
                    format!(
                        "{} ID `{id}` must be kebab-case and start with `{prefix}`",
                        node.kind()
                    ),
                )
                .hint(format!(
                    "nodes in `{}:` are {}s",
                    node.kind().list_name(),
                    node.kind()
                )),
            );
        }
    }

    fn texts(&self, node: Node<'_>, out: &mut Vec<Problem>) {
        for (needles, field, text) in node_texts(node) {
            let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
            self.text(node.id(), &needles, &field, text, out);
        }
    }

    fn text(&self, id: &str, needles: &[&str], field: &str, text: &Text, out: &mut Vec<Problem>) {
        for (lang, value) in [("en", &text.en), ("zh", &text.zh)] {
            if value.trim().is_empty() {
                out.push(
                    self.problem(id, needles, format!("`{field}` has no `{lang}` text"))
                        .hint("every user-facing text needs both `en` and `zh`"),
                );
            }
        }
        if let Some(at) = cjk_gap(&text.zh) {
            out.push(
                self.problem(
                    id,
                    needles,
                    format!("`{field}.zh` has a space between Chinese characters: `{at}`"),
                )
                .hint("a folded YAML line break (`>`) becomes a space; join the lines or use `|`"),
            );
        }
        if !text.zh.trim().is_empty() && text.zh != text.en && !has_cjk(&text.zh) {
            out.push(
                self.problem(id, needles, format!("`{field}.zh` contains no Chinese"))
                    .hint("write the Simplified Chinese text, or make it identical to `en` for a bare command name"),
            );
        }
    }

    fn references(&self, node: Node<'_>, out: &mut Vec<Problem>) {
        let id = node.id();
        if node.source().is_empty() && node.references().is_empty() {
            out.push(
                self.problem(id, &["source:"], "cites no seed section and no public reference")
                    .hint("list the seed section IDs in `source: [sec-...]`, or the public documents it rests on in `references: [{title, url}]`"),
            );
        }
        for section in node.source() {
            if self.kb.section(section).is_none() {
                out.push(self.unknown(id, &["source:", section], "source", section, None));
            }
        }
        for (kind, target, answer) in node.edges() {
            let (field, allowed): (&str, &[Kind]) = match kind {
                EdgeKind::Next => ("next", &[Kind::Question, Kind::Cause]),
                EdgeKind::Answer => ("next", &[Kind::Question, Kind::Cause, Kind::Symptom]),
                EdgeKind::Runs => ("commands", &[Kind::Command]),
                EdgeKind::Cause => ("causes", &[Kind::Cause]),
                EdgeKind::ConfirmWith => ("confirm_with", &[Kind::Command]),
                EdgeKind::Fix => ("fixes", &[Kind::Fix]),
                EdgeKind::Verify => ("verify", &[Kind::Command]),
            };
            let target_kind = self.kb.node(target).map(|t| t.kind());
            if target_kind.is_some_and(|k| allowed.contains(&k)) {
                continue;
            }
            // Where the reference is written, built only for a problem.
            let answer_needle = answer.map(|a| format!("id: {a}"));
            let field_needle = format!("{field}:");
            let mut needles: Vec<&str> = Vec::new();
            if let Some(a) = &answer_needle {
                needles.extend(["answers:", a.as_str()]);
            }
            needles.extend([field_needle.as_str(), target]);
            match target_kind {
                None => out.push(self.unknown(id, &needles, field, target, Some(allowed))),
                Some(kind) => {
                    let expected: Vec<&str> = allowed.iter().map(|k| k.as_str()).collect();
                    out.push(self.problem(
                        id,
                        &needles,
                        format!(
                            "`{field}` names `{target}`, a {kind}; expected a {}",
                            expected.join(" or ")
                        ),
                    ));
                }
            }
        }
    }

    fn unknown(
        &self,
        id: &str,
        needles: &[&str],
        field: &str,
        target: &str,
        kinds: Option<&[Kind]>,
    ) -> Problem {
        let what = if kinds.is_some() { "node" } else { "section" };
        let at = self.within(id, needles);
        if let Some(problem) = self.non_ascii(
            id,
            || at.clone(),
            target,
            |target| format!("`{field}` names unknown {what} `{target}`, which"),
        ) {
            return problem;
        }
        let problem = Problem::new(
            at,
            Some(id),
            format!("`{field}` names unknown {what} `{target}`"),
        );
        let left = self.suggestions_left.get();
        if left == 0 {
            return problem;
        }
        self.suggestions_left.set(left - 1);
        let candidates: Vec<&str> = match kinds {
            Some(kinds) => self
                .kb
                .nodes()
                .filter(|n| kinds.contains(&n.kind()))
                .map(|n| n.id())
                .collect(),
            None => self.kb.sections().map(|s| s.id.as_str()).collect(),
        };
        match super::suggest(target, candidates.into_iter()).first() {
            Some(best) => problem.hint(format!("did you mean `{best}`?")),
            None => problem,
        }
    }

    fn structure(&self, node: Node<'_>, out: &mut Vec<Problem>) {
        let id = node.id();
        match node {
            Node::Question(q) => {
                if q.answers.len() < 2 {
                    out.push(
                        self.problem(id, &["answers:"], format!("question has {} answer(s); it needs at least two", q.answers.len()))
                            .hint("a question with one answer is a statement: link to the next node directly"),
                    );
                }
                if q.hints.is_empty() {
                    out.push(
                        self.problem(id, &["title:"], "question has no hint of its own")
                            .hint("add `hints:` with the lines of configuration or output to look at to answer it, per platform (`platform: any` for all)"),
                    );
                }
                for h in &q.hints {
                    if h.text.en.trim().is_empty() || h.text.zh.trim().is_empty() {
                        out.push(self.problem(
                            id,
                            &["hints:", &format!("platform: {}", h.platform)],
                            format!("the `{}` hint has an empty text", h.platform),
                        ));
                    }
                }
                let mut seen = BTreeSet::new();
                for a in &q.answers {
                    let needle = format!("id: {}", a.id);
                    let at = || self.within(id, &["answers:", &needle]);
                    if let Some(problem) =
                        self.non_ascii(id, at, &a.id, |answer| format!("answer ID `{answer}`"))
                    {
                        out.push(problem);
                    } else if !is_kebab(&a.id) {
                        out.push(self.problem(
                            id,
                            &["answers:", &needle],
                            format!("answer ID `{}` must be kebab-case", a.id),
                        ));
                    }
                    if !seen.insert(a.id.as_str()) {
                        out.push(self.problem(
                            id,
                            &["answers:", &needle],
                            format!("duplicate answer ID `{}`", a.id),
                        ));
                    }
                    if a.next == q.id {
                        out.push(
                            self.problem(
                                id,
                                &["answers:", &needle, "next:"],
                                format!("answer `{}` leads back to its own question", a.id),
                            )
                            .hint("an answer must move the user on"),
                        );
                    }
                }
            }
            Node::Command(c) => {
                if c.command.trim().is_empty() {
                    out.push(self.problem(id, &["command:"], "`command` is empty"));
                }
                if c.platforms.is_empty() {
                    out.push(self.problem(id, &["platforms:"], "command names no platform"));
                }
                if c.reading.is_empty() {
                    out.push(
                        self.problem(
                            id,
                            &["reading:"],
                            "command says nothing about how to read its output",
                        )
                        .hint("add `reading:` entries"),
                    );
                }
            }
            Node::Error(e) => {
                if e.causes.is_empty() {
                    out.push(
                        self.problem(id, &["causes:"], "error leads to no cause")
                            .hint("list the cause IDs under `causes:`"),
                    );
                }
                if e.signatures.is_empty() {
                    out.push(
                        self.problem(id, &["signatures:"], "error has no signature")
                            .hint("add a pattern that recognises the message"),
                    );
                }
                if e.examples.is_empty() {
                    out.push(
                        self.problem(id, &["examples:"], "error has no example line")
                            .hint("add the message as the seed prints it"),
                    );
                }
                for ex in &e.examples {
                    if ex.text.trim().is_empty() || ex.origin.trim().is_empty() {
                        out.push(self.problem(
                            id,
                            &["examples:"],
                            "an example needs a `text` and an `origin`",
                        ));
                    }
                }
            }
            Node::Cause(c) => {
                if c.fixes.is_empty() {
                    out.push(
                        self.problem(id, &["fixes:"], "cause has no fix")
                            .hint("list at least one fix ID under `fixes:`"),
                    );
                }
                if c.evidence.is_empty() {
                    out.push(
                        self.problem(id, &["evidence:"], "cause lists no evidence")
                            .hint("say what confirms it"),
                    );
                }
            }
            Node::Fix(f) => {
                if f.actions.is_empty() {
                    out.push(
                        self.problem(id, &["actions:"], "fix has no action")
                            .hint("add per-platform `actions:`"),
                    );
                } else if f
                    .actions
                    .iter()
                    .all(|a| a.config.as_deref().is_none_or(|c| c.trim().is_empty()))
                {
                    out.push(
                        self.problem(id, &["actions:"], "fix has no command: no action has `config`")
                            .hint("give at least one platform the exact lines to type (`config:`); keep steps that are not commands in `note:`"),
                    );
                }
                if f.weakens_security && f.kind != crate::kb::schema::FixKind::Workaround {
                    out.push(
                        self.problem(
                            id,
                            &["weakens_security:"],
                            "a fix that weakens security is not a remedy",
                        )
                        .hint("set `kind: workaround`: it is shown last, labelled"),
                    );
                }
                for a in &f.actions {
                    let empty =
                        |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
                    if empty(&a.config) && a.note.is_none() {
                        out.push(self.problem(
                            id,
                            &["actions:", &format!("platform: {}", a.platform)],
                            format!(
                                "the `{}` action has neither `config` nor `note`",
                                a.platform
                            ),
                        ));
                    }
                }
            }
            Node::Symptom(_) => {}
        }
    }

    fn patterns(&self, node: Node<'_>, out: &mut Vec<Problem>) {
        let id = node.id();
        match node {
            Node::Error(e) => {
                let (set, bad) = self.kb.compiled_signatures();
                let too_big = set.uncompilable();
                for b in bad.iter().chain(&too_big).filter(|b| b.error_id == id) {
                    out.push(self.bad_pattern_at(
                        self.signature_at(id, &b.pattern),
                        id,
                        "signature",
                        &b.pattern,
                        &b.reason,
                    ));
                }
                // Which of this error's signatures match each of its examples.
                let mut used = vec![false; e.signatures.len()];
                for ex in &e.examples {
                    let text = collapse_ws(&ex.text);
                    let mut matched = false;
                    for (owner, i) in set.matches(&text) {
                        if owner == id {
                            used[i] = true;
                            matched = true;
                        }
                    }
                    if !matched {
                        let first = ex.text.lines().next().unwrap_or("").trim();
                        out.push(
                            self.problem(
                                id,
                                &["examples:", first],
                                format!("example `{}` is matched by no signature", short(first)),
                            )
                            .hint(
                                "fix the signature, or the example if it is not the device's text",
                            ),
                        );
                    }
                }
                let empty: HashSet<usize> = set
                    .matches("")
                    .filter(|(owner, _)| *owner == id)
                    .map(|(_, i)| i)
                    .collect();
                for (i, (pattern, used)) in e.signatures.iter().zip(used).enumerate() {
                    let is_bad = bad
                        .iter()
                        .any(|b| b.error_id == id && &b.pattern == pattern);
                    if is_bad {
                        continue;
                    }
                    let shown = if pattern.is_empty() {
                        "''".to_string()
                    } else {
                        short(pattern)
                    };
                    let (message, hint) = if empty.contains(&i) {
                        (
                            format!("signature `{shown}` matches the empty string, so it matches every line"),
                            "match words only this message prints, e.g. `(?i)\\binvalid\\s+spi\\b`".to_string(),
                        )
                    } else if anchored_at_start(pattern) {
                        (
                            format!("signature `{shown}` is anchored at the start of the line (`^` or `\\A`), but log lines arrive behind syslog prefixes (timestamps, host names, sequence numbers)"),
                            "remove the anchor: match the message's words wherever they sit in the line".to_string(),
                        )
                    } else if let Some(line) = self.healthy.get(&(id, i)) {
                        (
                            format!("signature `{shown}` matches a line of healthy output: `{}`", short(line.trim())),
                            "a signature must not fire on a working VPN: match words only the error prints".to_string(),
                        )
                    } else if !used {
                        (
                            format!("signature `{shown}` matches none of the error's examples"),
                            "every signature must recognise at least one example line".to_string(),
                        )
                    } else {
                        continue;
                    };
                    out.push(
                        Problem::new(self.signature_at(id, pattern), Some(id), message).hint(hint),
                    );
                }
            }
            Node::Question(q) => {
                for a in &q.answers {
                    let needle = format!("id: {}", a.id);
                    for pattern in &a.recognise {
                        if let Err(reason) = check_syntax(pattern) {
                            out.push(self.bad_pattern(
                                id,
                                &["answers:", &needle, "recognise:", pattern],
                                "`recognise` pattern",
                                pattern,
                                &reason,
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// The messages of a healthy VPN: their IDs, texts, signatures and examples, and that
    /// no error signature fires on one of them (what is healthy is never a problem).
    fn informational(&self, out: &mut Vec<Problem>) {
        let (own, bad) = self.kb.compiled_informational();
        let too_big = own.uncompilable();
        let (errors, _) = self.kb.compiled_signatures();
        let mut seen = HashSet::new();
        for info in self.kb.informational() {
            let id = info.id.as_str();
            if !id.starts_with("info-") {
                out.push(
                    self.problem(
                        id,
                        &[],
                        format!(
                            "informational ID `{}` does not start with `info-`",
                            short(id)
                        ),
                    )
                    .hint("name informational messages `info-…`"),
                );
            }
            if !seen.insert(id) || self.kb.node(id).is_some() {
                out.push(
                    self.problem(
                        id,
                        &[],
                        format!("ID `{}` is defined more than once", short(id)),
                    )
                    .hint("give each entry its own ID"),
                );
            }
            self.text(id, &["title:"], "title", &info.title, out);
            self.text(id, &["summary:"], "summary", &info.summary, out);
            if info.references.is_empty() {
                out.push(
                    self.problem(id, &["references:"], "cites no public reference")
                        .hint("list the documents that print the message in `references: [{title, url}]`"),
                );
            }
            for b in bad.iter().chain(&too_big).filter(|b| b.error_id == id) {
                out.push(self.bad_pattern(
                    id,
                    &["signatures:", &b.pattern],
                    "signature",
                    &b.pattern,
                    &b.reason,
                ));
            }
            let mut used = vec![false; info.signatures.len()];
            for ex in &info.examples {
                let collapsed = collapse_ws(&ex.text);
                let mine: Vec<usize> = own
                    .matches(&collapsed)
                    .chain(own.matches(&ex.text))
                    .filter(|(owner, _)| *owner == id)
                    .map(|(_, i)| i)
                    .collect();
                for &i in &mine {
                    used[i] = true;
                }
                let first = ex.text.lines().next().unwrap_or("").trim();
                if mine.is_empty() {
                    out.push(
                        self.problem(
                            id,
                            &["examples:", first],
                            format!("example `{}` is matched by no signature", short(first)),
                        )
                        .hint("fix the signature, or the example if it is not the device's text"),
                    );
                }
                let errs: BTreeSet<&str> = errors
                    .matches(&collapsed)
                    .chain(errors.matches(&ex.text))
                    .map(|(owner, _)| owner)
                    .collect();
                for err in errs {
                    out.push(
                        self.problem(id, &["examples:", first], format!("a signature of `{err}` matches this healthy message: `{}`", short(first)))
                            .hint("an error signature must not fire on a working VPN: match words only the error prints"),
                    );
                }
            }
            for (pattern, used) in info.signatures.iter().zip(used) {
                let is_bad = bad
                    .iter()
                    .any(|b| b.error_id == id && &b.pattern == pattern);
                if !used && !is_bad {
                    out.push(
                        self.problem(
                            id,
                            &["signatures:", pattern],
                            format!(
                                "signature `{}` matches none of the examples",
                                short(pattern)
                            ),
                        )
                        .hint("every signature must recognise at least one example line"),
                    );
                }
            }
        }
    }

    fn bad_pattern(
        &self,
        id: &str,
        needles: &[&str],
        what: &str,
        pattern: &str,
        reason: &str,
    ) -> Problem {
        self.bad_pattern_at(self.within(id, needles), id, what, pattern, reason)
    }

    fn bad_pattern_at(
        &self,
        at: Location,
        id: &str,
        what: &str,
        pattern: &str,
        reason: &str,
    ) -> Problem {
        Problem::new(
            at,
            Some(id),
            format!(
                "{what} `{}` is not a valid regular expression: {reason}",
                short(pattern)
            ),
        )
        .hint("patterns use Rust `regex` syntax (no look-around or back-references)")
    }

    /// Where a signature of error `id` is written: the pattern as it reads in YAML, plain,
    /// single-quoted (`''` for `'`) or double-quoted (`\\` for `\`).
    fn signature_at(&self, id: &str, pattern: &str) -> Location {
        let file = self.file_of(id);
        let path = &self.kb.docs()[file].path;
        let spans = self.spans(file);
        let forms: Vec<String> = if pattern.is_empty() {
            vec!["''".into(), "\"\"".into()]
        } else {
            vec![
                pattern.to_string(),
                pattern.replace('\'', "''"),
                pattern.replace('\\', "\\\\").replace('"', "\\\""),
            ]
        };
        forms
            .iter()
            .find_map(|form| spans.find_within_after(path, id, &["signatures:", form]))
            .unwrap_or_else(|| self.within(id, &["signatures:"]))
    }

    fn graph(&self, out: &mut Vec<Problem>) {
        let graph = self.kb.graph();
        let reachable = graph.reachable_from_entries();
        let dead_ends: HashSet<&str> = graph.dead_ends().into_iter().collect();
        for node in self.kb.nodes() {
            let id = node.id();
            match node.kind() {
                Kind::Symptom | Kind::Error => {}
                kind if !reachable.contains(id) => out.push(
                    self.problem(
                        id,
                        &[],
                        format!("{kind} `{id}` is not reachable from any symptom or error"),
                    )
                    .hint("reference it from the graph, or remove it"),
                ),
                _ => {}
            }
            if dead_ends.contains(id) {
                out.push(
                    self.problem(id, &[], format!("{} `{id}` leads to no cause", node.kind()))
                        .hint("every decision flow must end at a cause"),
                );
            }
        }
        for cycle in graph.exitless_cycles() {
            let first = cycle[0];
            const SHOWN: usize = 8;
            let mut listed: Vec<String> = cycle
                .iter()
                .take(SHOWN)
                .map(|id| format!("`{id}`"))
                .collect();
            if cycle.len() > SHOWN {
                listed.push(format!("… ({} more)", cycle.len() - SHOWN));
            }
            out.push(
                Problem::new(
                    self.at(first),
                    Some(first),
                    format!("{} form a cycle that no answer leaves", listed.join(" → ")),
                )
                .hint("give one of them an answer that leads out, to a cause"),
            );
        }
    }
}

/// Every text of a node: (needles that find it, field name, text).
fn node_texts(node: Node<'_>) -> Vec<(Vec<String>, String, &Text)> {
    let plain = |field: &str| vec![format!("{field}:")];
    let mut out: Vec<(Vec<String>, String, &Text)> = vec![
        (plain("title"), "title".into(), node.title()),
        (plain("summary"), "summary".into(), node.summary()),
    ];
    let details = match node {
        Node::Symptom(n) => n.details.as_ref(),
        Node::Error(n) => n.details.as_ref(),
        Node::Cause(n) => n.details.as_ref(),
        _ => None,
    };
    if let Some(d) = details {
        out.push((plain("details"), "details".into(), d));
    }
    match node {
        Node::Question(q) => {
            for a in &q.answers {
                out.push((
                    vec!["answers:".into(), format!("id: {}", a.id), "label:".into()],
                    format!("answers.{}.label", a.id),
                    &a.label,
                ));
            }
        }
        Node::Command(c) => {
            for (i, r) in c.reading.iter().enumerate() {
                out.push((
                    vec!["reading:".into(), r.look_for.clone()],
                    format!("reading[{i}].meaning"),
                    &r.meaning,
                ));
            }
            for (i, s) in c.samples.iter().enumerate() {
                if let Some(note) = &s.note {
                    out.push((vec!["samples:".into()], format!("samples[{i}].note"), note));
                }
            }
        }
        Node::Cause(c) => {
            for (i, e) in c.evidence.iter().enumerate() {
                out.push((plain("evidence"), format!("evidence[{i}]"), e));
            }
        }
        Node::Fix(f) => {
            for (i, a) in f.actions.iter().enumerate() {
                if let Some(note) = &a.note {
                    out.push((
                        vec!["actions:".into(), format!("platform: {}", a.platform)],
                        format!("actions[{i}].note"),
                        note,
                    ));
                }
            }
            for (i, w) in f.warnings.iter().enumerate() {
                out.push((plain("warnings"), format!("warnings[{i}]"), w));
            }
        }
        _ => {}
    }
    out
}

fn section_texts(section: &Section) -> Vec<(&'static str, &Text)> {
    let mut out = vec![("title", &section.title)];
    if let Some(reason) = &section.not_encoded {
        out.push(("not_encoded", reason));
    }
    out
}

/// What is wrong with one condition: an unknown fact, a field the fact does not have, a
/// value it cannot take, an error ID that is no error.
fn condition_problems(kb: &Kb, c: &crate::kb::schema::Condition) -> Vec<(String, String)> {
    const FACTS: &[&str] = &[
        "error",
        "isakmp-sa",
        "ipsec-sa",
        "negotiation",
        "ikev2",
        "ping",
        "route",
        "config",
    ];
    let mut out = Vec::new();
    if !FACTS.contains(&c.fact.as_str()) {
        out.push((
            format!(
                "unknown fact `{}`; the facts are {}",
                short(&c.fact),
                FACTS
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            String::new(),
        ));
        return out;
    }
    let has = |field: &str, set: bool| {
        let allowed = match field {
            "id" => c.fact == "error",
            "state" => c.fact == "isakmp-sa" || c.fact == "route",
            "traffic" | "dropped" => c.fact == "ipsec-sa",
            "outcome" => c.fact == "negotiation" || c.fact == "ping" || c.fact == "config",
            "check" => c.fact == "config",
            "exchange" | "notify" => c.fact == "ikev2",
            _ => c.fact == "negotiation",
        };
        let article = if c.fact.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        (set && !allowed).then(|| {
            (
                format!("{article} `{}` fact has no `{field}`", c.fact),
                format!("{field}:"),
            )
        })
    };
    out.extend(has("id", !c.id.is_empty()));
    out.extend(has("state", !c.state.is_empty()));
    out.extend(has("traffic", !c.traffic.is_empty()));
    out.extend(has("dropped", !c.dropped.is_empty()));
    out.extend(has("exchange", !c.exchange.is_empty()));
    out.extend(has("notify", !c.notify.is_empty()));
    for (field, values, known) in [
        (
            "exchange",
            &c.exchange,
            crate::evidence::fact::IKEV2_EXCHANGES,
        ),
        ("notify", &c.notify, crate::evidence::fact::IKEV2_NOTIFIES),
    ] {
        for v in values.iter().filter(|v| !known.contains(&v.as_str())) {
            out.push((
                format!(
                    "`{}` is not an IKEv2 {field} ({})",
                    short(v),
                    known.join(", ")
                ),
                format!("{field}:"),
            ));
        }
    }
    for d in &c.dropped {
        if !crate::evidence::ipsec_sa::DROPS.contains(&d.as_str()) {
            out.push((
                format!(
                    "`{}` is not a drop counter ({})",
                    short(d),
                    crate::evidence::ipsec_sa::DROPS.join(", ")
                ),
                d.clone(),
            ));
        }
    }
    out.extend(has("check", !c.check.is_empty()));
    for ch in &c.check {
        if !crate::evidence::config::checks::CHECKS.contains(&ch.as_str()) {
            out.push((
                format!(
                    "`{}` is not a config check ({})",
                    short(ch),
                    crate::evidence::config::checks::CHECKS.join(", ")
                ),
                ch.clone(),
            ));
        }
    }
    if c.fact == "config" && c.check.is_empty() {
        out.push((
            "a `config` condition names the checks in `check`".to_string(),
            String::new(),
        ));
    }
    out.extend(has("phase", c.phase.is_some()));
    out.extend(has("outcome", c.outcome.is_some()));
    if c.fact == "error" && c.id.is_empty() {
        out.push((
            "an `error` condition names the error IDs in `id`".to_string(),
            String::new(),
        ));
    }
    for id in &c.id {
        if !matches!(kb.node(id), Some(Node::Error(_))) {
            out.push((
                format!("`{}` is not an error of the knowledge base", short(id)),
                id.clone(),
            ));
        }
    }
    for state in c.state.iter().filter(|_| c.fact == "route") {
        if state != "missing" && state != "present" {
            out.push((
                format!("a route is `missing` or `present`, not `{}`", short(state)),
                state.clone(),
            ));
        }
    }
    for state in c.state.iter().filter(|_| c.fact == "isakmp-sa") {
        let ok = state == "QM_IDLE"
            || crate::evidence::fact::OTHER_PHASE1_STATES.contains(&state.as_str())
            || ["MM_", "AM_"].iter().any(|p| {
                state.strip_prefix(p).is_some_and(|rest| {
                    !rest.is_empty()
                        && rest
                            .chars()
                            .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit() || ch == '_')
                })
            });
        if !ok {
            out.push((
                format!(
                    "`{}` is not a phase-1 state (QM_IDLE, MM_…, AM_…, an IKEv2 SA status such as READY, or a crypto session status such as UP-ACTIVE)",
                    short(state)
                ),
                state.clone(),
            ));
        }
    }
    for t in &c.traffic {
        if !crate::evidence::ipsec_sa::Traffic::WORDS.contains(&t.as_str()) {
            out.push((
                format!(
                    "`{}` is not what counters can say ({})",
                    short(t),
                    crate::evidence::ipsec_sa::Traffic::WORDS.join(", ")
                ),
                t.clone(),
            ));
        }
    }
    if let Some(p) = c.phase {
        if p != 1 && p != 2 {
            out.push((
                format!("phase {p} does not exist: IKE has phases 1 and 2"),
                "phase:".to_string(),
            ));
        }
    }
    if let Some(o) = &c.outcome {
        let config_word = c.fact == "config" && o == "unverified";
        if !config_word && o != "failed" && o != "succeeded" {
            out.push((
                format!("outcome `{}` is neither `failed` nor `succeeded`", short(o)),
                o.clone(),
            ));
        }
    }
    out
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}'))
}

fn is_han_or_cjk_punct(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{3000}'..='\u{303f}' | '\u{ff01}'..='\u{ff5e}')
}

/// The first place where spaces separate two Chinese characters (or punctuation), with
/// a little context; Chinese is written without spaces between characters.
fn cjk_gap(s: &str) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 1;
    while i + 1 < chars.len() {
        if chars[i] == ' ' || chars[i] == '\t' {
            let mut j = i;
            while j + 1 < chars.len() && (chars[j] == ' ' || chars[j] == '\t') {
                j += 1;
            }
            if is_han_or_cjk_punct(chars[i - 1]) && is_han_or_cjk_punct(chars[j]) {
                let from = i.saturating_sub(4);
                let to = (j + 4).min(chars.len());
                return Some(chars[from..to].iter().collect());
            }
            i = j;
        }
        i += 1;
    }
    None
}

/// Examples are matched with every whitespace run collapsed, so a message the seed wraps
/// over two lines is matched as the one line a device logs.
pub(crate) fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_ids() {
        assert!(is_kebab("err-invalid-spi"));
        assert!(is_kebab("q-1"));
        assert!(!is_kebab("err_invalid"));
        assert!(!is_kebab("err--x"));
        assert!(!is_kebab("Err-x"));
        assert!(!is_kebab(""));
    }

    #[test]
    fn spaces_between_chinese_characters_are_found() {
        assert_eq!(
            cjk_gap("两端必须使用转换集 参数一致").as_deref(),
            Some("用转换集 参数一致")
        );
        assert_eq!(
            cjk_gap("在 IOS 路由器上，运行 `show crypto isakmp sa`。"),
            None
        );
        // A line break in a literal block is meant.
        assert_eq!(cjk_gap("第一行。\n第二行"), None);
    }

    #[test]
    fn cjk_detection() {
        assert!(has_cjk("隧道"));
        assert!(!has_cjk("tunnel"));
    }

    #[test]
    fn whitespace_collapses_across_lines() {
        assert_eq!(
            collapse_ws("IKE message from 1.2.3.4 failed its\n  sanity check"),
            "IKE message from 1.2.3.4 failed its sanity check"
        );
    }

    fn text(s: &str) -> Text {
        Text {
            en: s.to_string(),
            zh: format!("{s}（中文）"),
        }
    }

    /// A symptom, `n` questions in a row (`go` to the next, `stop` to the cause), one cause.
    fn chain(n: usize) -> Kb {
        use super::super::schema::{
            Action, Answer, Cause, Fix, KbFile, Platform, Question, Symptom,
        };
        let source = vec!["sec-one".to_string()];
        let answer = |id: &str, next: String| Answer {
            id: id.into(),
            label: text(id),
            next,
            recognise: Vec::new(),
            detect: None,
            when: Vec::new(),
        };
        let content = KbFile {
            sections: vec![Section {
                id: "sec-one".into(),
                heading: "One".into(),
                title: text("One"),
                parent: None,
                not_encoded: None,
            }],
            symptoms: vec![Symptom {
                id: "sym-start".into(),
                title: text("Start"),
                summary: text("Start"),
                details: None,
                source: source.clone(),
                platforms: Vec::new(),
                topology: Default::default(),
                next: "q-1".into(),
                triggered_by: Vec::new(),
            }],
            questions: (1..=n)
                .map(|i| Question {
                    id: format!("q-{i}"),
                    title: text("Step"),
                    summary: text("Step"),
                    source: source.clone(),
                    commands: Vec::new(),
                    hints: vec![crate::kb::schema::Hint {
                        platform: Platform::Any,
                        text: text("Look"),
                    }],
                    checklist: false,
                    answers: vec![
                        answer(
                            "go",
                            if i < n {
                                format!("q-{}", i + 1)
                            } else {
                                "cause-end".into()
                            },
                        ),
                        answer("stop", "cause-end".into()),
                    ],
                })
                .collect(),
            causes: vec![Cause {
                id: "cause-end".into(),
                title: text("End"),
                summary: text("End"),
                details: None,
                source: source.clone(),
                references: Vec::new(),
                evidence: vec![text("End")],
                confirm_with: Vec::new(),
                fixes: vec!["fix-end".into()],
                confirmed_by: Vec::new(),
                ruled_out_by: Vec::new(),
            }],
            fixes: vec![Fix {
                id: "fix-end".into(),
                title: text("Fix"),
                summary: text("Fix"),
                source,
                references: Vec::new(),
                actions: vec![Action {
                    platform: Platform::Ios,
                    mode: None,
                    config: Some("crypto isakmp policy 10".into()),
                    rollback: None,
                    note: None,
                }],
                warnings: Vec::new(),
                verify: Vec::new(),
                kind: Default::default(),
                weakens_security: false,
                topology: Default::default(),
                inside: false,
            }],
            ..KbFile::default()
        };
        Kb::from_docs(vec![super::super::KbDoc {
            path: "chain.yaml".into(),
            text: String::new(),
            content,
        }])
    }

    /// Issue 9: a 20,000-question chain took 13 s, the work growing with the square of its
    /// length. Checked here in a debug build with a generous bound; `cargo bench --bench
    /// kb_check` measures the release build.
    #[test]
    fn a_long_chain_validates_in_linear_time() {
        let kb = chain(10_000);
        let start = std::time::Instant::now();
        let problems = validate(&kb);
        let took = start.elapsed();
        assert!(problems.is_empty(), "{:?}", problems.first());
        assert!(took < std::time::Duration::from_secs(5), "{took:?}");
        // Turn it into a ring no answer leaves: every node is then reported, still fast.
        let mut kb = chain(2_000);
        let n = kb.docs[0].content.questions.len();
        for (i, q) in kb.docs[0].content.questions.iter_mut().enumerate() {
            for a in &mut q.answers {
                a.next = format!("q-{}", (i + 1) % n + 1);
            }
        }
        let kb = Kb::from_docs(kb.docs);
        let start = std::time::Instant::now();
        let problems = validate(&kb);
        assert!(
            start.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
        let count = |needle: &str| {
            problems
                .iter()
                .filter(|p| p.message.contains(needle))
                .count()
        };
        assert_eq!(count("form a cycle that no answer leaves"), 1);
        assert!(problems.iter().all(|p| p.to_string().len() < 600));
        assert_eq!(count("leads to no cause"), n + 1);
        assert_eq!(count("is not reachable"), 2);
    }

    #[test]
    fn the_healthy_sample_is_real_output_of_working_tunnels() {
        let lines: Vec<&str> = healthy_lines().collect();
        assert!((40..=100).contains(&lines.len()), "{} lines", lines.len());
        for marker in [
            "%CRYPTO-5-SESSION_STATUS",
            "%ASA-5-713120",
            "QM_IDLE",
            "MM_ACTIVE",
            "#pkts decaps",
            "%IKEV2-5-SA_UP",
        ] {
            assert!(lines.iter().any(|l| l.contains(marker)), "{marker}");
        }
        // The embedded knowledge base's signatures fire on none of it.
        let kb = Kb::open(&super::super::KbSource::Embedded).unwrap();
        for line in &lines {
            let hits: Vec<_> = kb.signatures().matches(line).collect();
            assert!(hits.is_empty(), "{hits:?} on healthy line {line}");
        }
    }
}
