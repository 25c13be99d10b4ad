//! The runbook's pages as Markdown: introduction, one page per symptom (flow diagram and
//! numbered steps), error, cause, fix and command, an index of error strings and an index
//! of every entry. Links are relative and file names are node IDs, so
//! `errors/err-invalid-spi.html` stays stable.

use crate::kb::schema::{Action, Cause, Command, ErrorMsg, Fix, Question, Symptom};
use crate::kb::{Kb, Kind, Lang, Node, Text};
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

    fn t(&self, en: &'static str, zh: &'static str) -> &'static str {
        match self.lang {
            Lang::En => en,
            Lang::Zh => zh,
        }
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
            self.t("Summary", "目录"),
            self.t("Introduction", "简介")
        );
        let parts = [
            (Kind::Symptom, self.t("Symptoms", "症状")),
            (Kind::Error, self.t("Error messages", "错误消息")),
            (Kind::Cause, self.t("Root causes", "根本原因")),
            (Kind::Fix, self.t("Fixes", "修复")),
            (Kind::Command, self.t("Command reference", "命令参考")),
        ];
        for (kind, title) in parts {
            let _ = writeln!(s, "\n# {title}\n");
            if kind == Kind::Error {
                let _ = writeln!(
                    s,
                    "- [{}](error-strings.md)",
                    self.t("Index of error strings", "错误字符串索引")
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
            self.t("Index", "索引"),
            self.t("Every entry", "全部条目")
        );
        s
    }

    /// The nodes of a kind in reading order: the menu order for symptoms, by ID otherwise.
    pub fn ordered(&self, kind: Kind) -> Vec<Node<'k>> {
        let mut nodes: Vec<Node<'k>> = self.kb.nodes_of(kind).collect();
        if kind == Kind::Symptom {
            nodes.sort_by_key(|n| crate::wizard::interactive::menu_rank(n.id()));
        }
        nodes
    }

    pub fn introduction(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# {}\n",
            self.t("ipsec-doctor runbook", "ipsec-doctor 运行手册")
        );
        let _ = writeln!(
            s,
            "{}\n",
            self.t(
                "This runbook is generated from the ipsec-doctor knowledge base, which encodes Cisco's tech note *Understanding and Using debug Commands to Troubleshoot IPsec* for Cisco IOS routers and PIX/ASA firewalls. It says exactly what `ipsec-doctor wizard`, `search` and `diagnose` say.",
                "本运行手册由 ipsec-doctor 知识库生成。知识库编码了思科技术说明《了解并使用调试命令排除 IPsec 问题》，适用于 Cisco IOS 路由器和 PIX/ASA 防火墙。手册内容与 `ipsec-doctor wizard`、`search` 和 `diagnose` 的结论完全一致。"
            )
        );
        let _ = writeln!(s, "## {}\n", self.t("How to use it", "使用方法"));
        let items = [
            self.t("**You see a symptom** (the tunnel does not come up, no traffic passes, users cannot browse the Internet, …): open its page under *Symptoms*. The diagram shows the decision flow; the numbered steps say which command to run and how each answer leads on, down to a root cause.", "**您看到某种症状**（隧道无法建立、没有流量、用户无法上网……）：在“症状”下打开对应页面。流程图展示决策过程；编号步骤说明要运行哪些命令、每个答案通向哪里，直至根本原因。"),
            self.t("**You have an error line** from a log or a debug: search for its text in the *Index of error strings* (Ctrl-F), or run `ipsec-doctor search '<the line>'`.", "**您有一条错误日志**：在“错误字符串索引”中查找其文本（Ctrl-F），或运行 `ipsec-doctor search '<日志行>'`。"),
            self.t("**You know the root cause**: its page lists what confirms it and the fixes for IOS, PIX and ASA, with the lines that undo them and what to watch out for.", "**您已知道根本原因**：其页面列出确认依据，以及 IOS、PIX、ASA 的修复配置、回退命令和注意事项。"),
            self.t("The *Command reference* explains every show and debug command with the tech note's sample output and how to read it.", "“命令参考”解释每条 show 和 debug 命令，附有技术说明中的示例输出及解读方法。"),
        ];
        for item in items {
            let _ = writeln!(s, "- {item}");
        }
        let _ = writeln!(s, "\n## {}\n", self.t("Platforms", "平台"));
        let _ = writeln!(
            s,
            "{}",
            self.t(
                "Cisco IOS routers (DES needs a 56i image, 3DES a k2 image), PIX firewalls from version 5.0 (with a DES or 3DES licence) using 6.x syntax, ASA firewalls, and the Cisco VPN Client. Commands, configuration and log lines are shown as the devices print them.",
                "Cisco IOS 路由器（DES 需要 56i 映像，3DES 需要 k2 映像）、5.0 及以上版本的 PIX 防火墙（需要 DES 或 3DES 许可证，配置采用 6.x 语法）、ASA 防火墙以及 Cisco VPN Client。命令、配置和日志行均按设备原样显示，不作翻译。"
            )
        );
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
            let _ = writeln!(
                s,
                "\n*{}* {}",
                self.t("Platforms:", "平台："),
                names.join(", ")
            );
        }
        let _ = writeln!(s, "\n## {}\n", self.t("Decision flow", "决策流程"));
        let _ = writeln!(
            s,
            "![{}](../diagrams/{}.svg)",
            self.t("Decision flow", "决策流程"),
            sym.id
        );
        let steps = steps(self.kb, &sym.id);
        let number: BTreeMap<&str, usize> = steps
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.as_str(), i + 1))
            .collect();
        let _ = writeln!(s, "\n## {}\n", self.t("Steps", "步骤"));
        for (i, q) in steps.iter().enumerate() {
            self.step(&mut s, i + 1, q, &number);
        }
        let causes = self.kb.graph().causes_by_distance(&sym.id);
        let _ = writeln!(
            s,
            "\n## {}\n",
            self.t("Possible root causes", "可能的根本原因")
        );
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
            let _ = writeln!(s, "{}\n", self.t("Run:", "运行："));
            for id in &q.commands {
                if let Some(Node::Command(c)) = self.kb.node(id) {
                    let _ = writeln!(s, "- {} — {}", code(&c.command), self.link(id, 1));
                }
            }
            let _ = writeln!(s);
        }
        let _ = writeln!(s, "{}\n", self.t("Answers:", "答案："));
        for a in &q.answers {
            let target = match number.get(a.next.as_str()) {
                Some(k) => format!("[{} {k}](#{})", self.t("step", "步骤"), a.next),
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
        let _ = writeln!(
            s,
            "\n*{}* {}",
            self.t("Platforms:", "平台："),
            names.join(", ")
        );
        let _ = writeln!(s, "\n## {}\n", self.t("What it looks like", "日志示例"));
        for x in &e.examples {
            let origin = match x.origin.strip_prefix("seed") {
                Some(rest) => format!("{}{rest}", self.t("Cisco tech note", "思科技术说明")),
                None => x.origin.clone(),
            };
            let _ = writeln!(
                s,
                "```text\n{}\n```\n\n*{}*\n",
                x.text.trim_end(),
                md(&origin)
            );
        }
        let _ = writeln!(s, "## {}\n", self.t("Signatures", "特征"));
        let _ = writeln!(s, "{}\n", self.t("`ipsec-doctor search` and `diagnose` recognise the message with these patterns, whatever the syslog prefix:", "`ipsec-doctor search` 和 `diagnose` 用以下模式识别该消息，与 syslog 前缀无关："));
        for sig in &e.signatures {
            let _ = writeln!(s, "- {}", code(sig));
        }
        let _ = writeln!(s, "\n## {}\n", self.t("Causes", "原因"));
        for c in &e.causes {
            if let Some(Node::Cause(cause)) = self.kb.node(c) {
                let _ = writeln!(s, "- {} — {}", self.link(c, 1), self.text(&cause.summary));
                for f in &cause.fixes {
                    let _ = writeln!(s, "  - {} {}", self.t("Fix:", "修复："), self.link(f, 1));
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
        let _ = writeln!(s, "\n## {}\n", self.t("What confirms it", "确认依据"));
        for e in &c.evidence {
            let _ = writeln!(s, "- {}", self.text(e));
        }
        if !c.confirm_with.is_empty() {
            let _ = writeln!(s, "\n{}\n", self.t("Confirm with:", "确认方法："));
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
                    self.t("Fix:", "修复："),
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
            let _ = writeln!(
                s,
                "\n## {}\n",
                self.t("Error messages that point here", "指向此原因的错误消息")
            );
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
            let _ = writeln!(
                s,
                "\n## {}\n",
                self.t("Symptoms that lead here", "通向此原因的症状")
            );
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
        let _ = writeln!(
            s,
            "\n## {}\n",
            self.t("Root causes it removes", "所解决的根本原因")
        );
        for c in causes {
            let _ = writeln!(s, "- {c}");
        }
        s
    }

    fn fix_body(&self, s: &mut String, f: &Fix, level: &str) {
        for a in &f.actions {
            action_markdown(s, a, level, self.lang);
        }
        if !f.warnings.is_empty() {
            let _ = writeln!(s, "{level} {}\n", self.t("Warnings", "警告"));
            for w in &f.warnings {
                let _ = writeln!(s, "> ⚠ {}\n", self.text(w));
            }
        }
        if !f.verify.is_empty() {
            let _ = writeln!(s, "{}\n", self.t("Verify with:", "验证方法："));
            for id in &f.verify {
                if let Some(Node::Command(cmd)) = self.kb.node(id) {
                    let _ = writeln!(s, "- {} — {}", code(&cmd.command), self.link(id, 1));
                }
            }
            let _ = writeln!(s);
        }
    }

    pub fn command(&self, c: &Command) -> String {
        let mut s = format!(
            "# {}\n\n```text\n{}\n```\n\n{}\n",
            md(c.title.get(self.lang)),
            c.command,
            self.text(&c.summary)
        );
        let names: Vec<&str> = c.platforms.iter().map(|p| p.label()).collect();
        let _ = writeln!(
            s,
            "\n*{}* {}",
            self.t("Platforms:", "平台："),
            names.join(", ")
        );
        let _ = writeln!(s, "\n## {}\n", self.t("How to read it", "如何解读输出"));
        for r in &c.reading {
            let _ = writeln!(s, "- {} — {}", code(&r.look_for), self.text(&r.meaning));
        }
        for sample in &c.samples {
            let _ = writeln!(
                s,
                "\n## {} ({})\n",
                self.t("Sample output", "示例输出"),
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
            self.t("Index of error strings", "错误字符串索引"),
            self.t(
                "Every message the knowledge base recognises, as devices print it. Find yours with Ctrl-F.",
                "知识库能识别的每条消息，按设备原样列出。请用 Ctrl-F 查找。"
            )
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
            self.t("Every entry", "全部条目"),
            self.t(
                "Every entry of the knowledge base with its ID, by kind.",
                "按类别列出知识库的每个条目及其 ID。由于 mdBook 的搜索不支持中文，请在本页用 Ctrl-F 查找。"
            )
        );
        let kinds = [
            (Kind::Symptom, self.t("Symptoms", "症状")),
            (Kind::Question, self.t("Questions", "问题")),
            (Kind::Error, self.t("Error messages", "错误消息")),
            (Kind::Cause, self.t("Root causes", "根本原因")),
            (Kind::Fix, self.t("Fixes", "修复")),
            (Kind::Command, self.t("Commands", "命令")),
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

/// One action of a fix as Markdown: the platform and mode as a heading of `level`, the note,
/// the configuration and its rollback. Shared by the runbook and the wizard's transcript.
pub fn action_markdown(s: &mut String, a: &Action, level: &str, lang: Lang) {
    let mode = a
        .mode
        .as_deref()
        .map(|m| format!(" ({m})"))
        .unwrap_or_default();
    let _ = writeln!(s, "{level} {}{mode}\n", a.platform.label());
    if let Some(note) = &a.note {
        let _ = writeln!(s, "{}\n", md(note.get(lang)));
    }
    if let Some(config) = &a.config {
        let _ = writeln!(s, "```text\n{}\n```\n", config.trim_end());
    }
    if let Some(rollback) = &a.rollback {
        let rollback_label = match lang {
            Lang::En => "Rollback:",
            Lang::Zh => "回退：",
        };
        let _ = writeln!(
            s,
            "{rollback_label}\n\n```text\n{}\n```\n",
            rollback.trim_end()
        );
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

/// Inline code, with enough backticks for the content.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// Prose for Markdown: `<` outside code spans is escaped, so a `<placeholder>` shows
/// instead of becoming an HTML tag.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '<' if !in_code => out.push_str("&lt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text inside `[…]` of a link.
fn link_text(text: &str) -> String {
    md(text).replace('[', "\\[").replace(']', "\\]")
}
