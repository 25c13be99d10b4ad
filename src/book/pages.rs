//! The runbook's pages as Markdown: introduction, one page per symptom (flow diagram and
//! numbered steps), error, cause, fix and command, an index of error strings and an index
//! of every entry. Links are relative and file names are node IDs, so
//! `errors/err-invalid-spi.html` stays stable.

use crate::kb::schema::{Cause, Command, ErrorMsg, Fix, Question, Symptom};
use crate::kb::{Kb, Kind, Lang, Node, Text};
use crate::present::labels as l;
use crate::present::markdown::{self, code, link_text, md};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;

pub struct Pages<'k> {
    kb: &'k Kb,
    lang: Lang,
    /// Question ID → the symptom page that explains it first (for links).
    question_home: BTreeMap<String, String>,
}

/// The directory of a kind's pages.
pub fn dir_of(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Symptom => Some("symptoms"),
        Kind::Error => Some("errors"),
        Kind::Cause => Some("causes"),
        Kind::Fix => Some("fixes"),
        Kind::Command => Some("commands"),
        Kind::Question => None,
    }
}

impl<'k> Pages<'k> {
    pub fn new(kb: &'k Kb, lang: Lang) -> Pages<'k> {
        let mut question_home = BTreeMap::new();
        for sym in kb.nodes_of(Kind::Symptom) {
            for q in steps(kb, sym.id()) {
                question_home
                    .entry(q.id.clone())
                    .or_insert_with(|| sym.id().to_string());
            }
        }
        Pages {
            kb,
            lang,
            question_home,
        }
    }

    fn t(&self, label: l::Label) -> &'static str {
        label.get(self.lang)
    }

    fn text(&self, t: &Text) -> String {
        md(t.get(self.lang))
    }

    /// A link to a node from a page `depth` directories below `src/`.
    fn link(&self, id: &str, depth: usize) -> String {
        let up = "../".repeat(depth);
        let Some(node) = self.kb.node(id) else {
            return format!("`{id}`");
        };
        let title = link_text(node.title().get(self.lang));
        match dir_of(node.kind()) {
            Some(dir) => format!("[{title}]({up}{dir}/{id}.md)"),
            None => match self.question_home.get(id) {
                Some(sym) => format!("[{title}]({up}symptoms/{sym}.md#{id})"),
                None => title,
            },
        }
    }

    pub fn summary(&self) -> String {
        let mut s = format!(
            "# {}\n\n[{}](introduction.md)\n",
            self.t(l::SUMMARY),
            self.t(l::INTRODUCTION)
        );
        let parts = [
            (Kind::Symptom, self.t(l::SYMPTOMS)),
            (Kind::Error, self.t(l::ERROR_MESSAGES)),
            (Kind::Cause, self.t(l::ROOT_CAUSES)),
            (Kind::Fix, self.t(l::FIXES)),
            (Kind::Command, self.t(l::COMMAND_REFERENCE)),
        ];
        for (kind, title) in parts {
            let _ = writeln!(s, "\n# {title}\n");
            if kind == Kind::Error {
                let _ = writeln!(
                    s,
                    "- [{}](error-strings.md)",
                    self.t(l::INDEX_OF_ERROR_STRINGS)
                );
            }
            for node in self.ordered(kind) {
                let _ = writeln!(
                    s,
                    "- [{}]({}/{}.md)",
                    link_text(node.title().get(self.lang)),
                    dir_of(kind).unwrap_or(""),
                    node.id()
                );
            }
        }
        let _ = writeln!(
            s,
            "\n# {}\n\n- [{}](entries.md)",
            self.t(l::INDEX),
            self.t(l::EVERY_ENTRY)
        );
        s
    }

    /// The nodes of a kind in reading order: the knowledge base's order for symptoms, by ID
    /// otherwise.
    pub fn ordered(&self, kind: Kind) -> Vec<Node<'k>> {
        if kind == Kind::Symptom {
            return self.kb.symptoms().into_iter().map(Node::Symptom).collect();
        }
        self.kb.nodes_of(kind).collect()
    }

    pub fn introduction(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "# {}\n", self.t(l::IPSEC_DOCTOR_RUNBOOK));
        let _ = writeln!(s, "{}\n", self.t(l::THIS_RUNBOOK_IS_GENERATED_FROM_THE));
        let _ = writeln!(s, "## {}\n", self.t(l::HOW_TO_USE_IT));
        let items = [
            self.t(l::YOU_SEE_A_SYMPTOM_THE_TUNNEL),
            self.t(l::YOU_HAVE_AN_ERROR_LINE_FROM),
            self.t(l::YOU_KNOW_THE_ROOT_CAUSE_ITS),
            self.t(l::THE_COMMAND_REFERENCE_EXPLAINS_EVERY_SHOW),
        ];
        for item in items {
            let _ = writeln!(s, "- {item}");
        }
        let _ = writeln!(s, "\n## {}\n", self.t(l::PLATFORMS_2));
        let _ = writeln!(s, "{}", self.t(l::CISCO_IOS_ROUTERS_DES_NEEDS_A));
        s
    }

    pub fn symptom(&self, sym: &Symptom) -> String {
        let mut s = format!(
            "# {}\n\n{}\n",
            md(sym.title.get(self.lang)),
            self.text(&sym.summary)
        );
        if let Some(d) = &sym.details {
            let _ = writeln!(s, "\n{}", self.text(d));
        }
        if !sym.platforms.is_empty() {
            let names: Vec<&str> = sym.platforms.iter().map(|p| p.label()).collect();
            let _ = writeln!(s, "\n*{}* {}", self.t(l::PLATFORMS_3), names.join(", "));
        }
        let _ = writeln!(s, "\n## {}\n", self.t(l::DECISION_FLOW));
        let _ = writeln!(
            s,
            "![{}](../diagrams/{}.svg)",
            self.t(l::DECISION_FLOW),
            sym.id
        );
        let steps = steps(self.kb, &sym.id);
        let number: BTreeMap<&str, usize> = steps
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.as_str(), i + 1))
            .collect();
        let _ = writeln!(s, "\n## {}\n", self.t(l::STEPS));
        for (i, q) in steps.iter().enumerate() {
            self.step(&mut s, i + 1, q, &number);
        }
        let causes = self.kb.graph().causes_by_distance(&sym.id);
        let _ = writeln!(s, "\n## {}\n", self.t(l::POSSIBLE_ROOT_CAUSES));
        for c in causes {
            let _ = writeln!(s, "- {}", self.link(c, 1));
        }
        s
    }

    fn step(&self, s: &mut String, n: usize, q: &Question, number: &BTreeMap<&str, usize>) {
        let _ = writeln!(
            s,
            "<a id=\"{}\"></a>\n\n### {n}. {}\n",
            q.id,
            md(q.title.get(self.lang))
        );
        let _ = writeln!(s, "{}\n", self.text(&q.summary));
        if !q.commands.is_empty() {
            let _ = writeln!(s, "{}\n", self.t(l::RUN));
            for id in &q.commands {
                if let Some(Node::Command(c)) = self.kb.node(id) {
                    let _ = writeln!(s, "- {} — {}", code(&c.command), self.link(id, 1));
                }
            }
            let _ = writeln!(s);
        }
        if !q.hints.is_empty() {
            let _ = writeln!(s, "{}\n", self.t(l::LOOK_AT));
            for h in &q.hints {
                let on = if h.platform == crate::kb::Platform::Any {
                    String::new()
                } else {
                    format!("**{}**: ", h.platform.label())
                };
                let _ = writeln!(s, "- {on}{}", self.text(&h.text));
            }
            let _ = writeln!(s);
        }
        let _ = writeln!(s, "{}\n", self.t(l::ANSWERS));
        for a in &q.answers {
            let target = match number.get(a.next.as_str()) {
                Some(k) => format!("[{} {k}](#{})", self.t(l::STEP), a.next),
                None => self.link(&a.next, 1),
            };
            let _ = writeln!(s, "- {} → {}", self.text(&a.label), target);
        }
        let _ = writeln!(s);
    }

    pub fn error(&self, e: &ErrorMsg) -> String {
        let mut s = format!(
            "# {}\n\n{}\n",
            md(e.title.get(self.lang)),
            self.text(&e.summary)
        );
        if let Some(d) = &e.details {
            let _ = writeln!(s, "\n{}", self.text(d));
        }
        let names: Vec<&str> = e.platforms.iter().map(|p| p.label()).collect();
        let _ = writeln!(s, "\n*{}* {}", self.t(l::PLATFORMS_3), names.join(", "));
        let _ = writeln!(s, "\n## {}\n", self.t(l::WHAT_IT_LOOKS_LIKE));
        for x in &e.examples {
            let origin = match x.origin.strip_prefix("seed") {
                Some(rest) => format!("{}{rest}", self.t(l::CISCO_TECH_NOTE)),
                None => x.origin.clone(),
            };
            let _ = writeln!(
                s,
                "```text\n{}\n```\n\n*{}*\n",
                x.text.trim_end(),
                md(&origin)
            );
        }
        let _ = writeln!(s, "## {}\n", self.t(l::SIGNATURES));
        let _ = writeln!(
            s,
            "{}\n",
            self.t(l::IPSEC_DOCTOR_SEARCH_AND_DIAGNOSE_RECOGNISE)
        );
        for sig in &e.signatures {
            let _ = writeln!(s, "- {}", code(sig));
        }
        let _ = writeln!(s, "\n## {}\n", self.t(l::CAUSES));
        for c in &e.causes {
            if let Some(Node::Cause(cause)) = self.kb.node(c) {
                let _ = writeln!(s, "- {} — {}", self.link(c, 1), self.text(&cause.summary));
                for f in &cause.fixes {
                    let _ = writeln!(s, "  - {} {}", self.t(l::FIX_2), self.link(f, 1));
                }
            }
        }
        s
    }

    pub fn cause(&self, c: &Cause) -> String {
        let mut s = format!(
            "# {}\n\n{}\n",
            md(c.title.get(self.lang)),
            self.text(&c.summary)
        );
        if let Some(d) = &c.details {
            let _ = writeln!(s, "\n{}", self.text(d));
        }
        let _ = writeln!(s, "\n## {}\n", self.t(l::WHAT_CONFIRMS_IT));
        for e in &c.evidence {
            let _ = writeln!(s, "- {}", self.text(e));
        }
        if !c.confirm_with.is_empty() {
            let _ = writeln!(s, "\n{}\n", self.t(l::CONFIRM_WITH));
            for id in &c.confirm_with {
                if let Some(Node::Command(cmd)) = self.kb.node(id) {
                    let _ = writeln!(s, "- {} — {}", code(&cmd.command), self.link(id, 1));
                }
            }
        }
        for f in &c.fixes {
            if let Some(Node::Fix(fix)) = self.kb.node(f) {
                let _ = writeln!(
                    s,
                    "\n## {} {}\n",
                    self.t(l::FIX_2),
                    md(fix.title.get(self.lang))
                );
                let _ = writeln!(s, "{} ({})\n", self.text(&fix.summary), self.link(f, 1));
                self.fix_body(&mut s, fix, "###");
            }
        }
        let reported: Vec<String> = self
            .kb
            .nodes_of(Kind::Error)
            .filter(|n| matches!(n, Node::Error(e) if e.causes.contains(&c.id)))
            .map(|n| self.link(n.id(), 1))
            .collect();
        if !reported.is_empty() {
            let _ = writeln!(s, "\n## {}\n", self.t(l::ERROR_MESSAGES_THAT_POINT_HERE));
            for r in reported {
                let _ = writeln!(s, "- {r}");
            }
        }
        let symptoms: Vec<String> = self
            .ordered(Kind::Symptom)
            .into_iter()
            .filter(|n| {
                self.kb
                    .graph()
                    .causes_reachable(n.id())
                    .contains(c.id.as_str())
            })
            .map(|n| self.link(n.id(), 1))
            .collect();
        if !symptoms.is_empty() {
            let _ = writeln!(s, "\n## {}\n", self.t(l::SYMPTOMS_THAT_LEAD_HERE));
            for r in symptoms {
                let _ = writeln!(s, "- {r}");
            }
        }
        s
    }

    pub fn fix(&self, f: &Fix) -> String {
        let mut s = format!(
            "# {}\n\n{}\n\n",
            md(f.title.get(self.lang)),
            self.text(&f.summary)
        );
        self.fix_body(&mut s, f, "##");
        let causes: Vec<String> = self
            .kb
            .nodes_of(Kind::Cause)
            .filter(|n| matches!(n, Node::Cause(c) if c.fixes.contains(&f.id)))
            .map(|n| self.link(n.id(), 1))
            .collect();
        let _ = writeln!(s, "\n## {}\n", self.t(l::ROOT_CAUSES_IT_REMOVES));
        for c in causes {
            let _ = writeln!(s, "- {c}");
        }
        s
    }

    fn fix_body(&self, s: &mut String, f: &Fix, level: &str) {
        markdown::fix_body(
            s,
            self.kb,
            f,
            &f.actions.iter().collect::<Vec<_>>(),
            level,
            self.lang,
            |id| Some(self.link(id, 1)),
        );
    }

    pub fn command(&self, c: &Command) -> String {
        let mut s = format!(
            "# {}\n\n```text\n{}\n```\n\n{}\n",
            md(c.title.get(self.lang)),
            c.command,
            self.text(&c.summary)
        );
        let names: Vec<&str> = c.platforms.iter().map(|p| p.label()).collect();
        let _ = writeln!(s, "\n*{}* {}", self.t(l::PLATFORMS_3), names.join(", "));
        let _ = writeln!(s, "\n## {}\n", self.t(l::HOW_TO_READ_IT));
        for r in &c.reading {
            let _ = writeln!(s, "- {} — {}", code(&r.look_for), self.text(&r.meaning));
        }
        for sample in &c.samples {
            let _ = writeln!(
                s,
                "\n## {} ({})\n",
                self.t(l::SAMPLE_OUTPUT),
                sample.platform.label()
            );
            if let Some(note) = &sample.note {
                let _ = writeln!(s, "*{}*\n", self.text(note));
            }
            let _ = writeln!(s, "```text\n{}\n```", sample.output.trim_end());
        }
        s
    }

    pub fn error_strings(&self) -> String {
        let mut s = format!(
            "# {}\n\n{}\n\n",
            self.t(l::INDEX_OF_ERROR_STRINGS),
            self.t(l::EVERY_MESSAGE_THE_KNOWLEDGE_BASE_RECOGNISES)
        );
        let mut rows: Vec<(String, String)> = Vec::new();
        for node in self.kb.nodes_of(Kind::Error) {
            if let Node::Error(e) = node {
                for x in &e.examples {
                    for line in x.text.lines().filter(|l| !l.trim().is_empty()) {
                        rows.push((line.trim().to_string(), e.id.clone()));
                    }
                }
            }
        }
        rows.sort();
        rows.dedup();
        for (line, id) in rows {
            let _ = writeln!(s, "- {}  \n  → {}", code(&line), self.link(&id, 0));
        }
        s
    }

    pub fn entries(&self) -> String {
        let mut s = format!(
            "# {}\n\n{}\n",
            self.t(l::EVERY_ENTRY),
            self.t(l::EVERY_ENTRY_OF_THE_KNOWLEDGE_BASE)
        );
        let kinds = [
            (Kind::Symptom, self.t(l::SYMPTOMS)),
            (Kind::Question, self.t(l::QUESTIONS)),
            (Kind::Error, self.t(l::ERROR_MESSAGES)),
            (Kind::Cause, self.t(l::ROOT_CAUSES)),
            (Kind::Fix, self.t(l::FIXES)),
            (Kind::Command, self.t(l::COMMANDS)),
        ];
        for (kind, title) in kinds {
            let _ = writeln!(s, "\n## {title}\n");
            for n in self.ordered(kind) {
                let _ = writeln!(s, "- {} — `{}`", self.link(n.id(), 0), n.id());
            }
        }
        s
    }
}

/// The questions of a symptom's flow, breadth first, not crossing into other symptoms.
pub fn steps<'k>(kb: &'k Kb, symptom: &str) -> Vec<&'k Question> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let first = match kb.node(symptom) {
        Some(Node::Symptom(s)) => s.next.clone(),
        _ => return out,
    };
    let mut queue = VecDeque::from([first]);
    while let Some(id) = queue.pop_front() {
        if !seen.insert(id.clone()) {
            continue;
        }
        if let Some(Node::Question(q)) = kb.node(&id) {
            out.push(q);
            queue.extend(q.answers.iter().map(|a| a.next.clone()));
        }
    }
    out
}
