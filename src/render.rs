//! Rendering knowledge-base nodes as text for a terminal (`ipsec-doctor show`).
//!
//! The layout answers an engineer's questions in order: what is this, what do I run and
//! how do I read it, what causes it, and what configuration fixes it.

use crate::diagnose;
use crate::kb::schema::{Cause, Command, ErrorMsg, Fix, Question, Symptom};
use crate::kb::{Kb, Lang, Node, Text};
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
    fn t(&self, en: &'static str, zh: &'static str) -> &'static str {
        match self.lang {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    fn text(&self, t: &'a Text) -> &'a str {
        t.get(self.lang)
    }

    fn kind_label(&self, node: Node<'_>) -> &'static str {
        use crate::kb::Kind::*;
        match node.kind() {
            Symptom => self.t("symptom", "症状"),
            Question => self.t("question", "问题"),
            Command => self.t("command", "命令"),
            Error => self.t("error message", "错误消息"),
            Cause => self.t("root cause", "根本原因"),
            Fix => self.t("fix", "修复"),
        }
    }

    /// A node with everything an engineer needs from it.
    pub fn node(&self, node: Node<'_>) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{}", self.style.heading(self.text(node.title())));
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
            Node::Fix(n) => self.fix_body(&mut s, n, ""),
        }
        self.sources(&mut s, node.source());
        s
    }

    /// Diagnose findings, grouped, with their evidence lines, causes and fixes.
    pub fn diagnose_report(&self, report: &diagnose::Report) -> String {
        let mut s = String::new();
        let inputs = report.inputs.len();
        if report.sas_not_followed > 0 {
            let _ = writeln!(
                s,
                "{} {} {}",
                self.style.warn(self.t("note:", "注意：")),
                report.sas_not_followed,
                self.t(
                    "more `show crypto ipsec sa` SAs than diagnose follows per input were not judged; split the input to judge them.",
                    "个 `show crypto ipsec sa` SA 超出了每个输入可跟踪的数量，未作判断；请拆分输入后再诊断。"
                )
            );
        }
        for note in &report.notes {
            let what = match note.what {
                diagnose::NoteKind::CountersWentBackwards => self.t(
                    "the counters went backwards between the two snapshots: they were cleared, or the pastes are out of order; nothing is judged from them",
                    "两次快照之间计数器变小：计数器已被清零，或粘贴顺序颠倒；未据此作判断",
                ),
            };
            let _ = writeln!(
                s,
                "{} {}:{}: SA {}: {what} ({})",
                self.style.warn(self.t("note:", "注意：")),
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
                self.t("No known IPsec problem found", "未发现已知的 IPsec 问题"),
                report.lines,
                self.t("lines", "行"),
                inputs,
                self.t("input(s)", "个输入")
            );
            return s;
        }
        let _ = writeln!(
            s,
            "{} {} ({} {}, {} {}):",
            report.findings.len(),
            self.t("problem(s) found", "个问题"),
            report.lines,
            self.t("lines", "行"),
            inputs,
            self.t("input(s)", "个输入")
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
                self.style.heading(self.text(node.title())),
                self.style
                    .dim(&format!("[{} · {}]", self.kind_label(node), f.id))
            );
            let where_ = if f.count > 1 {
                format!(
                    "{} × {}, {} {}:{}, {} {}:{}",
                    f.count,
                    self.t("seen", "出现"),
                    self.t("first at", "首次"),
                    f.first.input,
                    f.first.line,
                    self.t("last at", "最后"),
                    f.last.input,
                    f.last.line
                )
            } else {
                format!(
                    "{} {}:{}",
                    self.t("at", "位置"),
                    f.first.input,
                    f.first.line
                )
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
            self.summary_of_next_steps(&mut s, node);
            self.more(&mut s, "   ", &f.id);
        }
        s
    }

    /// Search results: the confident answers with their causes and fixes, then the other
    /// candidates; or an honest "no confident match" with the closest entries.
    pub fn search_report(&self, outcome: &search::Outcome) -> String {
        let mut s = String::new();
        let (confident, others): (Vec<_>, Vec<_>) = outcome.hits.iter().partition(|h| h.confident);
        if confident.is_empty() {
            let _ = writeln!(
                s,
                "{}",
                self.style
                    .heading(self.t("No confident match.", "没有可信的匹配结果。"))
            );
            let _ = writeln!(
                s,
                "{}",
                self.t(
                    "The text does not look like a known IPsec problem from the knowledge base.",
                    "该文本看起来不属于知识库中已知的 IPsec 问题。"
                )
            );
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
                self.style.heading(self.text(node.title())),
                self.style
                    .dim(&format!("[{} · {}]", self.kind_label(node), hit.id))
            );
            let _ = writeln!(
                s,
                "  {}",
                self.style
                    .dim(&format!("{}{}", self.t("matched: ", "匹配："), hit.matched))
            );
            let _ = writeln!(s, "{}", self.text(node.summary()));
            self.summary_of_next_steps(&mut s, node);
            self.more(&mut s, "  ", &hit.id);
        }
        if !others.is_empty() {
            let _ = writeln!(s);
            let heading = if confident.is_empty() {
                self.t(
                    "Closest entries (low confidence):",
                    "最接近的条目（可信度低）：",
                )
            } else {
                self.t("Other candidates:", "其他候选：")
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
        let line = format!("{}ipsec-doctor show {id}", self.t("More: ", "详情："));
        let _ = writeln!(s, "{indent}{}", self.style.dim(&line));
    }

    /// What to do next from a search answer: an error's or symptom's causes with their
    /// fixes, a cause's fixes.
    fn summary_of_next_steps(&self, s: &mut String, node: Node<'_>) {
        let causes: Vec<String> = match node {
            Node::Error(e) => e.causes.clone(),
            Node::Symptom(sym) => self
                .kb
                .graph()
                .causes_by_distance(&sym.id)
                .into_iter()
                .map(str::to_string)
                .collect(),
            Node::Cause(c) => vec![c.id.clone()],
            _ => Vec::new(),
        };
        for id in &causes {
            let Some(Node::Cause(c)) = self.kb.node(id) else {
                continue;
            };
            let _ = writeln!(
                s,
                "  {} {} {}",
                self.t("Cause:", "原因："),
                self.text(&c.title),
                self.style.dim(&format!("({})", c.id))
            );
            for f in &c.fixes {
                let _ = writeln!(
                    s,
                    "      {} {} {}",
                    self.t("Fix:", "修复："),
                    self.title_of(f),
                    self.style.dim(&format!("({f})"))
                );
            }
        }
    }

    fn section(&self, s: &mut String, en: &'static str, zh: &'static str) {
        let _ = writeln!(s);
        let _ = writeln!(s, "{}", self.style.heading(self.t(en, zh)));
    }

    fn paragraph(&self, s: &mut String, t: Option<&'a Text>) {
        if let Some(t) = t {
            let _ = writeln!(s);
            let _ = writeln!(s, "{}", self.text(t));
        }
    }

    fn title_of<'b>(&self, id: &'b str) -> &'b str
    where
        'a: 'b,
    {
        self.kb.node(id).map(|n| self.text(n.title())).unwrap_or(id)
    }

    fn platforms(&self, s: &mut String, platforms: &[crate::kb::Platform]) {
        if !platforms.is_empty() {
            let names: Vec<&str> = platforms.iter().map(|p| p.label()).collect();
            let _ = writeln!(s, "{}{}", self.t("Platforms: ", "平台："), names.join(", "));
        }
    }

    fn symptom(&self, s: &mut String, n: &'a Symptom) {
        self.paragraph(s, n.details.as_ref());
        if !n.platforms.is_empty() {
            let _ = writeln!(s);
            self.platforms(s, &n.platforms);
        }
        if let Some(Node::Question(q)) = self.kb.node(&n.next) {
            self.section(s, "Start here", "从这里开始");
            let _ = writeln!(s, "{}", self.text(&q.title));
            self.question_commands(s, q, "  ");
            self.answers(s, q);
        }
        let causes = self.kb.graph().causes_by_distance(&n.id);
        if !causes.is_empty() {
            self.section(s, "Possible root causes", "可能的根本原因");
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
        self.answers(s, q);
    }

    fn question_commands(&self, s: &mut String, q: &'a Question, indent: &str) {
        if q.commands.is_empty() {
            return;
        }
        self.section(s, "Run", "运行");
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
        self.section(s, "Answers", "答案");
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
        self.section(s, "How to read it", "如何解读输出");
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
                self.style.heading(self.t("Sample output", "示例输出")),
                sample.platform.label()
            );
            if let Some(note) = &sample.note {
                let _ = writeln!(s, "{}", self.style.dim(self.text(note)));
            }
            block(s, &sample.output, "    ");
        }
    }

    fn error(&self, s: &mut String, e: &'a ErrorMsg) {
        self.paragraph(s, e.details.as_ref());
        let _ = writeln!(s);
        self.platforms(s, &e.platforms);
        self.section(s, "What it looks like", "日志示例");
        for ex in &e.examples {
            block(s, &ex.text, "    ");
            // `seed` is the authors' name for Cisco's tech note; users know it as the latter.
            let origin = match ex.origin.strip_prefix("seed") {
                Some(rest) => format!("{}{rest}", self.t("Cisco tech note", "思科技术说明")),
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
                    self.style.heading(self.t("Cause:", "原因：")),
                    self.style.heading(self.text(&c.title)),
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
        self.section(s, "Evidence", "证据");
        for e in &c.evidence {
            let _ = writeln!(s, "  • {}", self.text(e));
        }
        if !c.confirm_with.is_empty() {
            self.section(s, "Confirm with", "确认方法");
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
                let _ = writeln!(s);
                let _ = writeln!(
                    s,
                    "{} {} {}",
                    self.style.heading(self.t("Fix:", "修复：")),
                    self.style.heading(self.text(&f.title)),
                    self.style.dim(&format!("({})", f.id))
                );
                let _ = writeln!(s, "{}", self.text(&f.summary));
                self.fix_body(s, f, "  ");
            }
        }
    }

    fn fix_body(&self, s: &mut String, f: &'a Fix, indent: &str) {
        for a in &f.actions {
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
                block(s, config, &format!("{indent}    "));
            }
            if let Some(rollback) = &a.rollback {
                let _ = writeln!(s, "{indent}  {}", self.t("Rollback:", "回退："));
                block(s, rollback, &format!("{indent}    "));
            }
        }
        if !f.warnings.is_empty() {
            let _ = writeln!(s);
            for w in &f.warnings {
                let _ = writeln!(
                    s,
                    "{indent}{} {}",
                    self.style.warn(self.t("Warning:", "警告：")),
                    self.text(w)
                );
            }
        }
        if !f.verify.is_empty() {
            let _ = writeln!(s);
            let _ = writeln!(s, "{indent}{}", self.t("Verify with:", "验证方法："));
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
                self.t("Tech note section: ", "技术说明章节："),
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

/// The `diagnose --json` document (the contract in DESIGN.md, with a few added fields).
pub fn diagnose_json(kb: &Kb, report: &diagnose::Report, lang: Lang) -> serde_json::Value {
    let findings: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|f| {
            let node = kb.node(&f.id);
            let causes: Vec<String> = match node {
                Some(Node::Error(e)) => e.causes.clone(),
                Some(Node::Cause(c)) => vec![c.id.clone()],
                Some(Node::Symptom(s)) => kb
                    .graph()
                    .causes_reachable(&s.id)
                    .into_iter()
                    .map(String::from)
                    .collect(),
                _ => Vec::new(),
            };
            let fixes: Vec<String> = causes
                .iter()
                .filter_map(|c| match kb.node(c) {
                    Some(Node::Cause(c)) => Some(c.fixes.clone()),
                    _ => None,
                })
                .flatten()
                .collect();
            let evidence: Vec<serde_json::Value> = f
                .evidence
                .iter()
                .map(|e| serde_json::json!({"input": e.input, "line": e.line, "text": e.text}))
                .collect();
            serde_json::json!({
                "id": f.id,
                "kind": f.kind.as_str(),
                "title": node.map(|n| n.title().get(lang).to_string()).unwrap_or_default(),
                "count": f.count,
                "first_line": f.first.line,
                "last_line": f.last.line,
                "details": f.details,
                "causes": causes,
                "fixes": fixes,
                "evidence": evidence,
            })
        })
        .collect();
    serde_json::json!({
        "lines": report.lines,
        "inputs": report.inputs,
        "sas_not_followed": report.sas_not_followed,
        "notes": report.notes.iter().map(|n| serde_json::json!({
            "kind": match n.what {
                crate::diagnose::NoteKind::CountersWentBackwards => "counters_went_backwards",
            },
            "subject": n.subject,
            "detail": n.detail,
            "input": n.evidence.input,
            "line": n.evidence.line,
            "text": n.evidence.text,
        })).collect::<Vec<_>>(),
        "findings": findings,
    })
}
