//! Terminal text: knowledge-base nodes (`ipsec-doctor show`), search answers, diagnose
//! reports, and the fix blocks the wizard's end screen shares.
//!
//! The layout answers an engineer's questions in order: what is this, what do I run and
//! how do I read it, what causes it, and what configuration fixes it.

use super::actions_for;
use crate::diagnose;
use crate::kb::schema::{Cause, Command, ErrorMsg, Fix, Question, Symptom};
use crate::kb::{Kb, Lang, Node, Text};
use crate::present::labels as l;
use crate::search;
use crate::term::Style;
use std::fmt::Write as _;

/// Renders nodes in one language and style.
pub struct Renderer<'a> {
    kb: &'a Kb,
    lang: Lang,
    style: Style,
}

impl<'a> Renderer<'a> {
    pub fn new(kb: &'a Kb, lang: Lang, style: Style) -> Self {
        Renderer { kb, lang, style }
    }

    /// Pick the label for the current language.
    fn t(&self, label: l::Label) -> &'static str {
        label.get(self.lang)
    }

    /// Knowledge-base prose for the terminal: inline code styled, no backticks.
    fn text(&self, t: &Text) -> String {
        self.style.inline(t.get(self.lang))
    }

    fn kind_label(&self, node: Node<'_>) -> &'static str {
        use crate::kb::Kind::*;
        match node.kind() {
            Symptom => self.t(l::SYMPTOM),
            Question => self.t(l::QUESTION),
            Command => self.t(l::COMMAND),
            Error => self.t(l::ERROR_MESSAGE),
            Cause => self.t(l::ROOT_CAUSE),
            Fix => self.t(l::FIX),
        }
    }

    /// A node with everything an engineer needs from it.
    pub fn node(&self, node: Node<'_>) -> String {
        l::tidy(self.lang, self.node_text(node))
    }

    fn node_text(&self, node: Node<'_>) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{}", self.style.heading(&self.text(node.title())));
        let _ = writeln!(
            s,
            "{}",
            self.style
                .dim(&format!("{} · {}", self.kind_label(node), node.id()))
        );
        let _ = writeln!(s);
        let _ = writeln!(s, "{}", self.text(node.summary()));
        match node {
            Node::Symptom(n) => self.symptom(&mut s, n),
            Node::Question(n) => self.question(&mut s, n),
            Node::Command(n) => self.command_full(&mut s, n),
            Node::Error(n) => self.error(&mut s, n),
            Node::Cause(n) => self.cause_body(&mut s, n, true),
            Node::Fix(n) => self.fix_body(&mut s, n, "", None),
        }
        self.sources(&mut s, node.source());
        for r in node.references() {
            let place = r
                .url
                .as_deref()
                .map(|u| format!(" <{u}>"))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "{}",
                self.style
                    .dim(&format!("{}{}{place}", self.t(l::REFERENCE), r.title))
            );
        }
        s
    }

    /// Diagnose findings, grouped, with their evidence lines, causes and fixes.
    pub fn diagnose_report(&self, report: &diagnose::Report) -> String {
        l::tidy(self.lang, self.diagnose_text(report))
    }

    fn diagnose_text(&self, report: &diagnose::Report) -> String {
        let mut s = String::new();
        self.conclusions(&mut s, &report.engine);
        self.checked(&mut s, report);
        let inputs = report.inputs.len();
        if report.sas_not_followed > 0 {
            let _ = writeln!(
                s,
                "{} {} {}",
                self.style.warn(self.t(l::NOTE)),
                report.sas_not_followed,
                self.t(l::MORE_SHOW_CRYPTO_IPSEC_SA_SAS)
            );
        }
        for note in &report.notes {
            let what = match note.what {
                diagnose::NoteKind::CountersWentBackwards => {
                    self.t(l::THE_COUNTERS_WENT_BACKWARDS_BETWEEN_THE)
                }
            };
            let _ = writeln!(
                s,
                "{} {}:{}: SA {}: {what} ({})",
                self.style.warn(self.t(l::NOTE)),
                note.evidence.input,
                note.evidence.line,
                note.subject,
                note.detail
            );
        }
        if report.findings.is_empty() {
            let _ = writeln!(
                s,
                "{} ({} {}, {} {}).",
                self.t(l::NO_KNOWN_IPSEC_PROBLEM_FOUND),
                report.lines,
                self.t(l::LINES),
                inputs,
                self.t(l::INPUT_S)
            );
            return s;
        }
        let _ = writeln!(
            s,
            "{} {} ({} {}, {} {}):",
            report.findings.len(),
            self.t(l::PROBLEM_S_FOUND),
            report.lines,
            self.t(l::LINES),
            inputs,
            self.t(l::INPUT_S)
        );
        for (i, f) in report.findings.iter().enumerate() {
            let Some(node) = self.kb.node(&f.id) else {
                continue;
            };
            let _ = writeln!(s);
            let _ = writeln!(
                s,
                "{}. {} {}",
                i + 1,
                self.style.heading(&self.text(node.title())),
                self.style
                    .dim(&format!("[{} · {}]", self.kind_label(node), f.id))
            );
            let where_ = if f.count > 1 {
                format!(
                    "{} × {}, {} {}:{}, {} {}:{}",
                    f.count,
                    self.t(l::SEEN),
                    self.t(l::FIRST_AT),
                    f.first.input,
                    f.first.line,
                    self.t(l::LAST_AT),
                    f.last.input,
                    f.last.line
                )
            } else {
                format!("{} {}:{}", self.t(l::AT), f.first.input, f.first.line)
            };
            let _ = writeln!(s, "   {}", self.style.dim(&where_));
            for d in &f.details {
                let _ = writeln!(s, "   {}", d);
            }
            for e in &f.evidence {
                let _ = writeln!(
                    s,
                    "     {} {}",
                    self.style.dim(&format!("{}:{}", e.input, e.line)),
                    self.style.code(&e.text)
                );
            }
            let causes = super::causes_concluded(self.kb, node, &report.engine);
            self.next_steps(&mut s, &causes);
            self.more(&mut s, "   ", &f.id);
        }
        s
    }

    /// The engine's conclusions, strongest first: what is proven or likely and why, what is
    /// still possible and the question that settles it, what the evidence rules out.
    fn conclusions(&self, s: &mut String, outcome: &crate::engine::Outcome) {
        use crate::engine::Status;
        if outcome.conclusions.is_empty() {
            return;
        }
        let _ = writeln!(s, "{}", self.style.heading(self.t(l::CONCLUSIONS)));
        for c in &outcome.conclusions {
            let status = match c.status {
                Status::Confirmed => self.t(l::STATUS_CONFIRMED),
                Status::Likely => self.t(l::STATUS_LIKELY),
                Status::Possible => self.t(l::STATUS_POSSIBLE),
                Status::Unverified => self.t(l::STATUS_UNVERIFIED),
                Status::RuledOut => self.t(l::STATUS_RULED_OUT),
            };
            let styled = match c.status {
                Status::Confirmed | Status::Likely => self.style.warn(status),
                _ => self.style.dim(status),
            };
            let _ = writeln!(
                s,
                "  {styled} {} {}",
                self.title_of(&c.cause),
                self.style.dim(&format!("({})", c.cause))
            );
            let shown = if c.status == Status::RuledOut { 1 } else { 3 };
            for b in c.because.iter().take(shown) {
                // A config check's words already name the lines of both sides.
                let at = format!("{}:{}", b.source.input, b.source.line);
                if b.source.text.starts_with(&at) {
                    let _ = writeln!(s, "      {}{}", self.t(l::BECAUSE), b.source.text);
                    continue;
                }
                let _ = writeln!(
                    s,
                    "      {}{} {}",
                    self.t(l::BECAUSE),
                    self.style.dim(&at),
                    self.style.code(&b.source.text)
                );
            }
            for n in &c.next {
                let commands: Vec<String> = self
                    .kb
                    .commands(&n.commands)
                    .map(|cmd| cmd.command.clone())
                    .collect();
                let _ = writeln!(
                    s,
                    "      {}{}{}",
                    self.t(l::CHECK_NEXT),
                    self.title_of(&n.question),
                    if commands.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", self.style.code(&commands.join("; ")))
                    }
                );
            }
        }
        let _ = writeln!(s);
    }

    /// What was checked, as OK lines: phase 1 up with N peers, counters moving on M SAs,
    /// idle SAs, error messages.
    fn checked(&self, s: &mut String, report: &diagnose::Report) {
        use crate::evidence::fact::{Fact, PHASE1_UP};
        use crate::evidence::ipsec_sa::Traffic;
        let (mut up, mut both, mut idle, mut errors, mut passed) = (0, 0, 0, 0, 0);
        for o in &report.facts {
            match &o.fact {
                Fact::IsakmpSa { state, .. } if PHASE1_UP.contains(&state.as_str()) => up += 1,
                Fact::IpsecSa {
                    traffic: Traffic::Both,
                    ..
                } => both += 1,
                Fact::IpsecSa {
                    traffic: Traffic::None,
                    ..
                } => idle += 1,
                Fact::Error { .. } => errors += 1,
                Fact::Config {
                    outcome: "succeeded",
                    ..
                } => passed += 1,
                _ => {}
            }
        }
        let mut lines = Vec::new();
        if up > 0 {
            lines.push(format!("{}{up}", self.t(l::CHECKED_PHASE1_UP)));
        }
        if both > 0 {
            lines.push(format!("{}{both}", self.t(l::CHECKED_BOTH_MOVING)));
        }
        if idle > 0 {
            lines.push(format!("{}{idle}", self.t(l::CHECKED_IDLE)));
        }
        if errors == 0 {
            lines.push(self.t(l::CHECKED_NO_ERROR).to_string());
        }
        if report.configs > 0 {
            lines.push(format!(
                "{}{} ({}{passed})",
                self.t(l::CHECKED_CONFIGS),
                report.configs,
                self.t(l::CHECKS_PASSED)
            ));
        }
        if lines.is_empty() {
            return;
        }
        let _ = writeln!(s, "{}", self.style.heading(self.t(l::CHECKED)));
        for line in lines {
            let _ = writeln!(s, "  {} {line}", self.style.dim("ok"));
        }
        let _ = writeln!(s);
    }

    /// Search results: the confident answers with their causes and fixes, then the other
    /// candidates; or an honest "no confident match" with the closest entries.
    pub fn search_report(&self, outcome: &search::Outcome) -> String {
        l::tidy(self.lang, self.search_text(outcome))
    }

    fn search_text(&self, outcome: &search::Outcome) -> String {
        let mut s = String::new();
        let (confident, others): (Vec<_>, Vec<_>) = outcome.hits.iter().partition(|h| h.confident);
        if !outcome.informational.is_empty() {
            let _ = writeln!(s, "{}", self.style.heading(self.t(l::HEALTHY_MESSAGES)));
            for (line, id) in &outcome.informational {
                if let Some(info) = self.kb.informational().find(|i| &i.id == id) {
                    let _ = writeln!(
                        s,
                        "  {} {}",
                        self.text(&info.title),
                        self.style.dim(&format!(
                            "[{}{line}{}]",
                            self.t(l::LINE_N),
                            if self.lang == Lang::Zh { " 行" } else { "" }
                        ))
                    );
                    let _ = writeln!(s, "    {}", self.text(&info.summary));
                }
            }
            let _ = writeln!(s);
        }
        if confident.is_empty() && outcome.informational.is_empty() {
            let _ = writeln!(s, "{}", self.style.heading(self.t(l::NO_CONFIDENT_MATCH)));
            let _ = writeln!(s, "{}", self.t(l::THE_TEXT_DOES_NOT_LOOK_LIKE));
        }
        for (i, hit) in confident.iter().enumerate() {
            let Some(node) = self.kb.node(&hit.id) else {
                continue;
            };
            if i > 0 {
                let _ = writeln!(s);
            }
            let _ = writeln!(
                s,
                "{} {}",
                self.style.heading(&self.text(node.title())),
                self.style
                    .dim(&format!("[{} · {}]", self.kind_label(node), hit.id))
            );
            let _ = writeln!(
                s,
                "  {}",
                self.style
                    .dim(&format!("{}{}", self.t(l::MATCHED), hit.matched))
            );
            let _ = writeln!(s, "{}", self.text(node.summary()));
            self.summary_of_next_steps(&mut s, node);
            self.more(&mut s, "  ", &hit.id);
        }
        if !others.is_empty() {
            let _ = writeln!(s);
            let heading = if confident.is_empty() {
                self.t(l::CLOSEST_ENTRIES_LOW_CONFIDENCE)
            } else {
                self.t(l::OTHER_CANDIDATES)
            };
            let _ = writeln!(s, "{}", self.style.heading(heading));
            for hit in others {
                if let Some(node) = self.kb.node(&hit.id) {
                    let _ = writeln!(
                        s,
                        "  {} {}",
                        self.text(node.title()),
                        self.style
                            .dim(&format!("[{} · {}]", self.kind_label(node), hit.id))
                    );
                }
            }
        }
        s
    }

    /// The pointer to an entry's full page.
    fn more(&self, s: &mut String, indent: &str, id: &str) {
        let line = format!("{}ipsec-doctor show {id}", self.t(l::MORE));
        let _ = writeln!(s, "{indent}{}", self.style.dim(&line));
    }

    /// What to do next from a search answer: an error's or symptom's causes with their
    /// fixes, a cause's fixes.
    fn summary_of_next_steps(&self, s: &mut String, node: Node<'_>) {
        self.next_steps(s, &super::causes_of(self.kb, node));
    }

    /// Each cause with its fixes.
    fn next_steps(&self, s: &mut String, causes: &[&str]) {
        for id in causes {
            let Some(Node::Cause(c)) = self.kb.node(id) else {
                continue;
            };
            let _ = writeln!(
                s,
                "  {} {} {}",
                self.t(l::CAUSE),
                self.text(&c.title),
                self.style.dim(&format!("({})", c.id))
            );
            for f in &c.fixes {
                let _ = writeln!(
                    s,
                    "      {} {} {}",
                    self.t(l::FIX_2),
                    self.title_of(f),
                    self.style.dim(&format!("({f})"))
                );
            }
        }
    }

    fn section(&self, s: &mut String, label: l::Label) {
        let _ = writeln!(s);
        let _ = writeln!(s, "{}", self.style.heading(self.t(label)));
    }

    fn paragraph(&self, s: &mut String, t: Option<&'a Text>) {
        if let Some(t) = t {
            let _ = writeln!(s);
            let _ = writeln!(s, "{}", self.text(t));
        }
    }

    fn title_of(&self, id: &str) -> String {
        self.kb
            .node(id)
            .map(|n| self.text(n.title()))
            .unwrap_or_else(|| id.to_string())
    }

    fn platforms(&self, s: &mut String, platforms: &[crate::kb::Platform]) {
        if !platforms.is_empty() {
            let names: Vec<&str> = platforms.iter().map(|p| p.label()).collect();
            let _ = writeln!(s, "{}{}", self.t(l::PLATFORMS), names.join(", "));
        }
    }

    fn symptom(&self, s: &mut String, n: &'a Symptom) {
        self.paragraph(s, n.details.as_ref());
        if !n.platforms.is_empty() {
            let _ = writeln!(s);
            self.platforms(s, &n.platforms);
        }
        if let Some(Node::Question(q)) = self.kb.node(&n.next) {
            self.section(s, l::START_HERE);
            let _ = writeln!(s, "{}", self.text(&q.title));
            self.question_commands(s, q, "  ");
            self.answers(s, q);
        }
        let causes = self.kb.graph().causes_by_distance(&n.id);
        if !causes.is_empty() {
            self.section(s, l::POSSIBLE_ROOT_CAUSES);
            for id in causes {
                let _ = writeln!(
                    s,
                    "  • {} {}",
                    self.title_of(id),
                    self.style.dim(&format!("({id})"))
                );
            }
        }
    }

    fn question(&self, s: &mut String, q: &'a Question) {
        self.question_commands(s, q, "");
        if !q.hints.is_empty() {
            self.section(s, l::LOOK_AT);
            for h in &q.hints {
                let on = if h.platform == crate::kb::Platform::Any {
                    String::new()
                } else {
                    format!("{}: ", h.platform.label())
                };
                let _ = writeln!(s, "  • {on}{}", self.text(&h.text));
            }
        }
        self.answers(s, q);
    }

    fn question_commands(&self, s: &mut String, q: &'a Question, indent: &str) {
        if q.commands.is_empty() {
            return;
        }
        self.section(s, l::RUN_S);
        for id in &q.commands {
            if let Some(Node::Command(c)) = self.kb.node(id) {
                let _ = writeln!(
                    s,
                    "{indent}  {}  {}",
                    self.style.code(&format!("$ {}", c.command)),
                    self.style.dim(&format!(
                        "— {} (ipsec-doctor show {})",
                        self.text(&c.title),
                        c.id
                    ))
                );
            }
        }
    }

    fn answers(&self, s: &mut String, q: &'a Question) {
        self.section(s, l::ANSWERS_S);
        for a in &q.answers {
            let _ = writeln!(s, "  [{}] {}", a.id, self.text(&a.label));
            let _ = writeln!(
                s,
                "      → {} {}",
                self.title_of(&a.next),
                self.style.dim(&format!("({})", a.next))
            );
        }
    }

    /// The command line and how to read it.
    fn command_brief(&self, s: &mut String, c: &'a Command, indent: &str) {
        let _ = writeln!(
            s,
            "{indent}  {}",
            self.style.code(&format!("$ {}", c.command))
        );
        for r in &c.reading {
            let _ = writeln!(
                s,
                "{indent}      {} — {}",
                self.style.code(&r.look_for),
                self.text(&r.meaning)
            );
        }
    }

    fn command_full(&self, s: &mut String, c: &'a Command) {
        let _ = writeln!(s);
        let _ = writeln!(s, "  {}", self.style.code(&format!("$ {}", c.command)));
        self.platforms(s, &c.platforms);
        self.section(s, l::HOW_TO_READ_IT);
        for r in &c.reading {
            let _ = writeln!(
                s,
                "  {} — {}",
                self.style.code(&r.look_for),
                self.text(&r.meaning)
            );
        }
        for sample in &c.samples {
            let _ = writeln!(s);
            let _ = writeln!(
                s,
                "{} ({})",
                self.style.heading(self.t(l::SAMPLE_OUTPUT)),
                sample.platform.label()
            );
            if let Some(note) = &sample.note {
                let _ = writeln!(s, "{}", self.style.dim(&self.text(note)));
            }
            block(s, &sample.output, "    ");
        }
    }

    fn error(&self, s: &mut String, e: &'a ErrorMsg) {
        self.paragraph(s, e.details.as_ref());
        let _ = writeln!(s);
        self.platforms(s, &e.platforms);
        self.section(s, l::WHAT_IT_LOOKS_LIKE);
        for ex in &e.examples {
            block(s, &ex.text, "    ");
            // `seed` is the authors' name for Cisco's tech note; users know it as the latter.
            let origin = match ex.origin.strip_prefix("seed") {
                Some(rest) => format!("{}{rest}", self.t(l::CISCO_TECH_NOTE)),
                None => ex.origin.clone(),
            };
            let _ = writeln!(s, "      {}", self.style.dim(&format!("— {origin}")));
        }
        for id in &e.causes {
            if let Some(Node::Cause(c)) = self.kb.node(id) {
                let _ = writeln!(s);
                let _ = writeln!(
                    s,
                    "{} {} {}",
                    self.style.heading(self.t(l::CAUSE)),
                    self.style.heading(&self.text(&c.title)),
                    self.style.dim(&format!("({})", c.id))
                );
                let _ = writeln!(s, "{}", self.text(&c.summary));
                self.cause_body(s, c, false);
            }
        }
    }

    fn cause_body(&self, s: &mut String, c: &'a Cause, full: bool) {
        if full {
            self.paragraph(s, c.details.as_ref());
        }
        self.section(s, l::EVIDENCE);
        for e in &c.evidence {
            let _ = writeln!(s, "  • {}", self.text(e));
        }
        if !c.confirm_with.is_empty() {
            self.section(s, l::CONFIRM_WITH_S);
            for id in &c.confirm_with {
                if let Some(Node::Command(cmd)) = self.kb.node(id) {
                    if full {
                        self.command_brief(s, cmd, "");
                    } else {
                        let _ = writeln!(s, "  {}", self.style.code(&format!("$ {}", cmd.command)));
                    }
                }
            }
        }
        for id in &c.fixes {
            if let Some(Node::Fix(f)) = self.kb.node(id) {
                self.fix(s, f, None);
            }
        }
    }

    /// A fix under a cause: its title, summary and body, with the actions for `platform`
    /// (all of them for `None`).
    /// A fix under its label (fix, prevention, workaround), marked as the peer's when its
    /// lines are for the other gateway's platform.
    pub fn fix_labelled(
        &self,
        s: &mut String,
        f: &'a Fix,
        platform: Option<crate::kb::Platform>,
        label: &str,
        peer: bool,
        peer_too: bool,
    ) {
        let _ = writeln!(s);
        let peer = if peer {
            format!(" ({})", self.t(l::FOR_THE_PEER))
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "{} {}{peer} {}",
            self.style.heading(label),
            self.style.heading(&self.text(&f.title)),
            self.style.dim(&format!("({})", f.id))
        );
        let _ = writeln!(s, "{}", self.text(&f.summary));
        self.fix_body_in(s, f, "  ", super::actions_in_order(f, platform, peer_too));
    }

    pub fn fix(&self, s: &mut String, f: &'a Fix, platform: Option<crate::kb::Platform>) {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{} {} {}",
            self.style.heading(self.t(l::FIX_2)),
            self.style.heading(&self.text(&f.title)),
            self.style.dim(&format!("({})", f.id))
        );
        let _ = writeln!(s, "{}", self.text(&f.summary));
        self.fix_body(s, f, "  ", platform);
    }

    fn fix_body(
        &self,
        s: &mut String,
        f: &'a Fix,
        indent: &str,
        platform: Option<crate::kb::Platform>,
    ) {
        self.fix_body_in(s, f, indent, actions_for(f, platform));
    }

    fn fix_body_in(
        &self,
        s: &mut String,
        f: &'a Fix,
        indent: &str,
        actions: Vec<&'a crate::kb::schema::Action>,
    ) {
        for a in actions {
            let _ = writeln!(s);
            let mode = a
                .mode
                .as_deref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "{indent}{}{mode}",
                self.style.heading(a.platform.label())
            );
            if let Some(note) = &a.note {
                for line in self.text(note).lines() {
                    let _ = writeln!(s, "{indent}  {line}");
                }
            }
            if let Some(config) = &a.config {
                for line in config.trim_end().lines() {
                    let _ = writeln!(s, "{indent}    {}", self.style.code(line.trim_end()));
                }
            }
            if let Some(rollback) = &a.rollback {
                let _ = writeln!(s, "{indent}  {}", self.t(l::ROLLBACK));
                block(s, rollback, &format!("{indent}    "));
            }
        }
        if !f.warnings.is_empty() {
            let _ = writeln!(s);
            for w in &f.warnings {
                let _ = writeln!(
                    s,
                    "{indent}{} {}",
                    self.style.warn(self.t(l::WARNING)),
                    self.text(w)
                );
            }
        }
        if !f.verify.is_empty() {
            let _ = writeln!(s);
            let _ = writeln!(s, "{indent}{}", self.t(l::VERIFY_WITH));
            for id in &f.verify {
                if let Some(Node::Command(cmd)) = self.kb.node(id) {
                    let _ = writeln!(
                        s,
                        "{indent}  {}",
                        self.style.code(&format!("$ {}", cmd.command))
                    );
                }
            }
        }
    }

    fn sources(&self, s: &mut String, sources: &[String]) {
        let _ = writeln!(s);
        if sources.is_empty() {
            return;
        }
        let names: Vec<String> = sources
            .iter()
            .map(|id| match self.kb.section(id) {
                Some(sec) => format!("“{}”", self.text(&sec.title)),
                None => id.clone(),
            })
            .collect();
        let _ = writeln!(
            s,
            "{}",
            self.style.dim(&format!(
                "{}{}",
                self.t(l::TECH_NOTE_SECTION),
                names.join("; ")
            ))
        );
    }
}

/// A multi-line block (config, output, log), indented, trailing blank lines removed.
fn block(s: &mut String, text: &str, indent: &str) {
    for line in text.trim_end().lines() {
        let _ = writeln!(s, "{indent}{}", line.trim_end());
    }
}
