//! The knowledge base: schema, loading, the graph and its validation.
//!
//! This module is the only place that knows the knowledge base is YAML on disk (or embedded
//! in the binary). Everything else receives a validated [`Kb`] and reads nodes through
//! [`Kb::node`] and [`Kb::nodes`].

mod graph;
mod ids;
mod limits;
mod load;
mod locate;
pub(crate) mod prefilter;
mod problem;
pub mod schema;
mod signatures;
mod validate;

pub use graph::{Edge, EdgeKind, KbGraph};
pub use load::{dump_yaml, parse_yaml, KbError, KbSource};
pub use problem::{short, Location, Problem};
pub use schema::{Lang, Platform, Text};
pub use signatures::{BadPattern, SignatureSet};

use schema::{Cause, Command, ErrorMsg, Fix, KbFile, Question, Section, Symptom};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::OnceLock;

/// The kind of a node, given by the list it sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Symptom,
    Question,
    Command,
    Error,
    Cause,
    Fix,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Symptom,
        Kind::Question,
        Kind::Command,
        Kind::Error,
        Kind::Cause,
        Kind::Fix,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Symptom => "symptom",
            Kind::Question => "question",
            Kind::Command => "command",
            Kind::Error => "error",
            Kind::Cause => "cause",
            Kind::Fix => "fix",
        }
    }

    /// The ID prefix every node of this kind carries.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Symptom => "sym-",
            Kind::Question => "q-",
            Kind::Command => "cmd-",
            Kind::Error => "err-",
            Kind::Cause => "cause-",
            Kind::Fix => "fix-",
        }
    }

    /// The YAML list a node of this kind sits in.
    pub fn list_name(self) -> &'static str {
        match self {
            Kind::Symptom => "symptoms",
            Kind::Question => "questions",
            Kind::Command => "commands",
            Kind::Error => "errors",
            Kind::Cause => "causes",
            Kind::Fix => "fixes",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A borrowed view of one node, whatever its kind.
#[derive(Debug, Clone, Copy)]
pub enum Node<'a> {
    Symptom(&'a Symptom),
    Question(&'a Question),
    Command(&'a Command),
    Error(&'a ErrorMsg),
    Cause(&'a Cause),
    Fix(&'a Fix),
}

impl<'a> Node<'a> {
    pub fn id(&self) -> &'a str {
        match self {
            Node::Symptom(n) => &n.id,
            Node::Question(n) => &n.id,
            Node::Command(n) => &n.id,
            Node::Error(n) => &n.id,
            Node::Cause(n) => &n.id,
            Node::Fix(n) => &n.id,
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Node::Symptom(_) => Kind::Symptom,
            Node::Question(_) => Kind::Question,
            Node::Command(_) => Kind::Command,
            Node::Error(_) => Kind::Error,
            Node::Cause(_) => Kind::Cause,
            Node::Fix(_) => Kind::Fix,
        }
    }

    pub fn title(&self) -> &'a Text {
        match self {
            Node::Symptom(n) => &n.title,
            Node::Question(n) => &n.title,
            Node::Command(n) => &n.title,
            Node::Error(n) => &n.title,
            Node::Cause(n) => &n.title,
            Node::Fix(n) => &n.title,
        }
    }

    pub fn summary(&self) -> &'a Text {
        match self {
            Node::Symptom(n) => &n.summary,
            Node::Question(n) => &n.summary,
            Node::Command(n) => &n.summary,
            Node::Error(n) => &n.summary,
            Node::Cause(n) => &n.summary,
            Node::Fix(n) => &n.summary,
        }
    }

    pub fn source(&self) -> &'a [String] {
        match self {
            Node::Symptom(n) => &n.source,
            Node::Question(n) => &n.source,
            Node::Command(n) => &n.source,
            Node::Error(n) => &n.source,
            Node::Cause(n) => &n.source,
            Node::Fix(n) => &n.source,
        }
    }

    /// The public sources beyond the seed that the node cites.
    pub fn references(&self) -> &'a [schema::Reference] {
        match self {
            Node::Symptom(_) | Node::Question(_) => &[],
            Node::Command(n) => &n.references,
            Node::Error(n) => &n.references,
            Node::Cause(n) => &n.references,
            Node::Fix(n) => &n.references,
        }
    }

    /// The outgoing references of this node: (edge kind, target ID, answer ID if any).
    pub fn edges(&self) -> Vec<(EdgeKind, &'a str, Option<&'a str>)> {
        let mut out = Vec::new();
        let mut many = |kind, ids: &'a [String]| {
            out.extend(ids.iter().map(|id| (kind, id.as_str(), None)));
        };
        match self {
            Node::Symptom(n) => {
                return vec![(EdgeKind::Next, n.next.as_str(), None)];
            }
            Node::Question(n) => {
                many(EdgeKind::Runs, &n.commands);
                out.extend(
                    n.answers
                        .iter()
                        .map(|a| (EdgeKind::Answer, a.next.as_str(), Some(a.id.as_str()))),
                );
            }
            Node::Command(_) => {}
            Node::Error(n) => many(EdgeKind::Cause, &n.causes),
            Node::Cause(n) => {
                many(EdgeKind::ConfirmWith, &n.confirm_with);
                many(EdgeKind::Fix, &n.fixes);
            }
            Node::Fix(n) => many(EdgeKind::Verify, &n.verify),
        }
        out
    }

    /// Serialise the node for `--json` output, with its `kind` added.
    pub fn to_json(&self) -> serde_json::Value {
        let value = match self {
            Node::Symptom(n) => serde_json::to_value(n),
            Node::Question(n) => serde_json::to_value(n),
            Node::Command(n) => serde_json::to_value(n),
            Node::Error(n) => serde_json::to_value(n),
            Node::Cause(n) => serde_json::to_value(n),
            Node::Fix(n) => serde_json::to_value(n),
        };
        // Serialising plain data structs to a JSON value cannot fail.
        let mut value = value.unwrap_or_default();
        if let Some(map) = value.as_object_mut() {
            map.insert("kind".into(), self.kind().as_str().into());
        }
        value
    }
}

/// Where a node lives: file index, kind and index in that kind's list.
#[derive(Debug, Clone, Copy)]
struct Slot {
    file: usize,
    kind: Kind,
    index: usize,
}

/// One loaded YAML file.
#[derive(Debug, Clone)]
pub struct KbDoc {
    /// The path shown in messages (`kb/errors.yaml`).
    pub path: String,
    /// The file's text, kept to point problems at `line:col`.
    pub text: String,
    pub content: KbFile,
}

/// A loaded, validated knowledge base.
#[derive(Debug, Clone)]
pub struct Kb {
    docs: Vec<KbDoc>,
    slots: BTreeMap<String, Slot>,
    sections: BTreeMap<String, (usize, usize)>,
    graph: KbGraph,
    /// Compiled on first use: the costliest part of opening a knowledge base.
    signatures: OnceLock<(SignatureSet, Vec<BadPattern>)>,
    /// The informational messages' signatures, compiled on first use.
    informational: OnceLock<(SignatureSet, Vec<BadPattern>)>,
}

impl Kb {
    /// Load and validate a knowledge base; any problem is an error.
    pub fn open(source: &KbSource) -> Result<Kb, KbError> {
        // The embedded knowledge base is the one `kb check` and the test suite validated
        // when this binary was built (`tests/integration/kb_check.rs`): validating it again
        // on every start would cost more than the search it serves. It is still parsed,
        // and a file that does not parse is still an error.
        if *source == KbSource::Embedded {
            let (docs, mut problems) = load::read_docs(source)?;
            let (docs, parse_problems) = load::parse_docs(docs);
            problems.extend(parse_problems);
            if problems.is_empty() {
                return Ok(Kb::from_docs(docs));
            }
            problems.sort();
            return Err(KbError::Invalid {
                source_name: source.display_name(),
                problems,
            });
        }
        let (kb, problems) = Kb::check(source)?;
        match kb {
            Some(kb) if problems.is_empty() => Ok(kb),
            _ => Err(KbError::Invalid {
                source_name: source.display_name(),
                problems,
            }),
        }
    }

    /// Load a knowledge base and report every problem found in it. The `Kb` is returned
    /// when every file parsed, even if validation found problems.
    pub fn check(source: &KbSource) -> Result<(Option<Kb>, Vec<Problem>), KbError> {
        let (docs, mut problems) = load::read_docs(source)?;
        let (docs, parse_problems) = load::parse_docs(docs);
        problems.extend(parse_problems);
        // A file refused or unparsed stops here: validating the rest would only report
        // what the missing file defines, a cascade that hides the one real problem.
        if !problems.is_empty() {
            problems.sort();
            return Ok((None, problems));
        }
        let kb = Kb::from_docs(docs);
        let mut problems = validate::validate(&kb);
        problems.sort();
        problems.dedup();
        Ok((Some(kb), problems))
    }

    /// Build the indexes over parsed documents. Duplicate IDs keep their first occurrence
    /// here; validation reports them.
    pub(crate) fn from_docs(docs: Vec<KbDoc>) -> Kb {
        let mut slots = BTreeMap::new();
        let mut sections = BTreeMap::new();
        for (file, doc) in docs.iter().enumerate() {
            for (index, s) in doc.content.sections.iter().enumerate() {
                sections.entry(s.id.clone()).or_insert((file, index));
            }
            for kind in Kind::ALL {
                for (index, id) in ids_of(&doc.content, kind).into_iter().enumerate() {
                    slots
                        .entry(id.to_string())
                        .or_insert(Slot { file, kind, index });
                }
            }
        }
        let mut kb = Kb {
            docs,
            slots,
            sections,
            graph: KbGraph::default(),
            signatures: OnceLock::new(),
            informational: OnceLock::new(),
        };
        kb.graph = KbGraph::build(&kb);
        kb
    }

    /// The node with this ID.
    pub fn node(&self, id: &str) -> Option<Node<'_>> {
        self.slots.get(id).map(|slot| self.node_at(*slot))
    }

    fn node_at(&self, slot: Slot) -> Node<'_> {
        let c = &self.docs[slot.file].content;
        match slot.kind {
            Kind::Symptom => Node::Symptom(&c.symptoms[slot.index]),
            Kind::Question => Node::Question(&c.questions[slot.index]),
            Kind::Command => Node::Command(&c.commands[slot.index]),
            Kind::Error => Node::Error(&c.errors[slot.index]),
            Kind::Cause => Node::Cause(&c.causes[slot.index]),
            Kind::Fix => Node::Fix(&c.fixes[slot.index]),
        }
    }

    /// The command nodes among `ids` (a fix's `verify`, a cause's `confirm_with`), in order.
    pub fn commands<'a>(
        &'a self,
        ids: &'a [String],
    ) -> impl Iterator<Item = &'a schema::Command> + 'a {
        ids.iter().filter_map(|id| match self.node(id) {
            Some(Node::Command(c)) => Some(c),
            _ => None,
        })
    }

    /// Every node, sorted by ID.
    pub fn nodes(&self) -> impl Iterator<Item = Node<'_>> {
        self.slots.values().map(|slot| self.node_at(*slot))
    }

    /// Every node of one kind, sorted by ID.
    pub fn nodes_of(&self, kind: Kind) -> impl Iterator<Item = Node<'_>> {
        self.nodes().filter(move |n| n.kind() == kind)
    }

    /// The symptoms in the order the knowledge base lists them (files by name, then each
    /// file's order): the wizard's menu and the runbook's chapters follow it.
    pub fn symptoms(&self) -> Vec<&crate::kb::schema::Symptom> {
        let mut slots: Vec<Slot> = self
            .slots
            .values()
            .filter(|s| s.kind == Kind::Symptom)
            .copied()
            .collect();
        slots.sort_by_key(|s| (s.file, s.index));
        slots
            .into_iter()
            .filter_map(|slot| match self.node_at(slot) {
                Node::Symptom(sym) => Some(sym),
                _ => None,
            })
            .collect()
    }

    /// Every node ID, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.slots.keys().map(String::as_str)
    }

    /// A seed section by ID.
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections
            .get(id)
            .map(|(file, index)| &self.docs[*file].content.sections[*index])
    }

    /// Every seed section, in the order of the files that define them.
    pub fn sections(&self) -> impl Iterator<Item = &Section> {
        self.docs.iter().flat_map(|d| d.content.sections.iter())
    }

    /// The parsed files, in load order.
    pub fn docs(&self) -> &[KbDoc] {
        &self.docs
    }

    /// Every error signature, compiled into one set (built once, on first use).
    pub fn signatures(&self) -> &SignatureSet {
        &self.compiled_signatures().0
    }

    /// The set and the signatures that would not compile (validation reports them).
    pub(crate) fn compiled_signatures(&self) -> &(SignatureSet, Vec<BadPattern>) {
        self.signatures.get_or_init(|| {
            SignatureSet::build(self.nodes().filter_map(|n| match n {
                Node::Error(e) => Some((e.id.as_str(), e.signatures.as_slice())),
                _ => None,
            }))
        })
    }

    /// The messages of a healthy VPN, in file order.
    pub fn informational(&self) -> impl Iterator<Item = &schema::Informational> {
        self.docs
            .iter()
            .flat_map(|d| d.content.informational.iter())
    }

    /// The informational messages' signatures, compiled into one set (owners are their
    /// `info-` IDs).
    pub fn informational_signatures(&self) -> &SignatureSet {
        &self.compiled_informational().0
    }

    pub(crate) fn compiled_informational(&self) -> &(SignatureSet, Vec<BadPattern>) {
        self.informational.get_or_init(|| {
            SignatureSet::build(
                self.informational()
                    .map(|i| (i.id.as_str(), i.signatures.as_slice())),
            )
        })
    }

    pub fn graph(&self) -> &KbGraph {
        &self.graph
    }

    /// Node counts per kind, in [`Kind::ALL`] order.
    pub fn counts(&self) -> Vec<(Kind, usize)> {
        let mut counts: HashMap<Kind, usize> = HashMap::new();
        for slot in self.slots.values() {
            *counts.entry(slot.kind).or_default() += 1;
        }
        Kind::ALL
            .iter()
            .map(|k| (*k, counts.get(k).copied().unwrap_or(0)))
            .collect()
    }

    /// The node IDs closest to `id` (not `id` itself), for "did you mean" hints. Sections
    /// are not offered: they are not entries one can show. An ID that differs from a node's
    /// only by look-alike characters (Cyrillic `е` for `e`) or case offers that node first;
    /// [`Kb::explain_unknown_id`] says why, and should be shown with the hint.
    pub fn suggest(&self, id: &str) -> Vec<&str> {
        suggest(id, self.ids().filter(|c| *c != id))
    }

    /// Why `id`, which is no node, cannot be one, when the reason is not a plain typo: a
    /// non-ASCII character (perhaps one that looks like an ASCII letter), upper case, `_`
    /// or spaces. One sentence, for the line after "no entry `…`"; `None` when `id` is a
    /// node or looks like an ordinary ID.
    ///
    /// `show sym-tunnеl-not-established` (Cyrillic `е`) would otherwise answer "did you
    /// mean `sym-tunnel-not-established`?", naming what looks like the very ID typed.
    pub fn explain_unknown_id(&self, id: &str) -> Option<String> {
        if self.node(id).is_some() {
            return None;
        }
        let why = ids::explain(id)?;
        let ascii = ids::skeleton(id);
        Some(match self.node(&ascii) {
            Some(_) if ascii != id => format!("{why}; `{ascii}`, in ASCII, is an entry"),
            _ => why,
        })
    }
}

/// Up to three candidates close to `wanted`: those containing it, then by edit distance.
/// Look-alike characters are folded to ASCII first (see [`ids::skeleton`]).
pub(crate) fn suggest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted_lc = ids::skeleton(wanted);
    let mut scored: Vec<(usize, &str)> = candidates
        .filter_map(|c| {
            let contains = !wanted_lc.is_empty() && c.contains(wanted_lc.as_str());
            if contains {
                return Some((0, c));
            }
            // The distance is at least the difference in length: a candidate that cannot
            // come close is not compared (a huge ID would cost length × length).
            let (wanted_len, c_len) = (wanted_lc.chars().count(), c.chars().count());
            let limit = (wanted_len / 3).max(2);
            if wanted_len.abs_diff(c_len) > limit {
                return None;
            }
            let distance = strsim::levenshtein(&wanted_lc, c);
            (distance <= limit).then_some((distance, c))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// The IDs of one kind's list in a file, in file order.
pub(crate) fn ids_of(file: &KbFile, kind: Kind) -> Vec<&str> {
    match kind {
        Kind::Symptom => file.symptoms.iter().map(|n| n.id.as_str()).collect(),
        Kind::Question => file.questions.iter().map(|n| n.id.as_str()).collect(),
        Kind::Command => file.commands.iter().map(|n| n.id.as_str()).collect(),
        Kind::Error => file.errors.iter().map(|n| n.id.as_str()).collect(),
        Kind::Cause => file.causes.iter().map(|n| n.id.as_str()).collect(),
        Kind::Fix => file.fixes.iter().map(|n| n.id.as_str()).collect(),
    }
}

/// Every node of a file in file order, whatever its kind (duplicates included).
pub(crate) fn file_nodes(file: &KbFile) -> Vec<Node<'_>> {
    let mut out: Vec<Node<'_>> = Vec::new();
    out.extend(file.symptoms.iter().map(Node::Symptom));
    out.extend(file.questions.iter().map(Node::Question));
    out.extend(file.commands.iter().map(Node::Command));
    out.extend(file.errors.iter().map(Node::Error));
    out.extend(file.causes.iter().map(Node::Cause));
    out.extend(file.fixes.iter().map(Node::Fix));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_ids_that_look_known_are_explained() {
        let kb = Kb::open(&KbSource::Embedded).unwrap();
        let lookalike = "sym-tunn\u{435}l-not-established";
        assert_eq!(
            kb.explain_unknown_id(lookalike).as_deref(),
            Some("`sym-tunnеl-not-established` contains the non-ASCII character `е` (U+0435, a look-alike of `e`) at column 9; IDs are ASCII: lowercase letters, digits and `-`; `sym-tunnel-not-established`, in ASCII, is an entry")
        );
        assert_eq!(
            kb.suggest(lookalike).first(),
            Some(&"sym-tunnel-not-established")
        );
        assert!(kb
            .explain_unknown_id("SYM-TUNNEL-NOT-ESTABLISHED")
            .unwrap()
            .ends_with("`sym-tunnel-not-established`, in ASCII, is an entry"));
        assert!(kb
            .explain_unknown_id("err_invalid_spi")
            .unwrap()
            .contains("`_` at column 4"));
        // A known ID, or a plain typo, needs no explanation.
        assert_eq!(kb.explain_unknown_id("sym-tunnel-not-established"), None);
        assert_eq!(kb.explain_unknown_id("sym-tunel-not-established"), None);
        // A huge ID is quoted short.
        let huge = format!("sym-{}\u{435}", "x".repeat(100_000));
        assert!(kb.explain_unknown_id(&huge).unwrap().len() < 300);
    }
}
