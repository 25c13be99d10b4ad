//! Markdown: the runbook's pages and the wizard's transcript share these pieces, so a fix
//! reads the same in both.

use crate::kb::schema::{Action, Fix};
use crate::kb::{Kb, Lang, Node};
use crate::present::labels::{self as l};
use std::fmt::Write as _;

/// One action of a fix as Markdown: the platform and mode as a heading of `level`, the note,
/// the configuration and its rollback. Shared by the runbook and the wizard's transcript.
pub fn action(s: &mut String, a: &Action, level: &str, lang: Lang) {
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
        let _ = writeln!(
            s,
            "{}\n\n```text\n{}\n```\n",
            l::ROLLBACK.get(lang),
            rollback.trim_end()
        );
    }
}

/// A fix's body: the `actions` chosen for the reader's platform, its warnings and the
/// commands that verify it (`link` turns a command ID into a link, where there are pages).
pub fn fix_body(
    s: &mut String,
    kb: &Kb,
    f: &Fix,
    actions: &[&Action],
    level: &str,
    lang: Lang,
    link: impl Fn(&str) -> Option<String>,
) {
    for a in actions {
        action(s, a, level, lang);
    }
    if !f.warnings.is_empty() {
        let _ = writeln!(s, "{level} {}\n", l::WARNINGS.get(lang));
        for w in &f.warnings {
            let _ = writeln!(s, "> ⚠ {}\n", md(w.get(lang)));
        }
    }
    if !f.verify.is_empty() {
        let _ = writeln!(s, "{}\n", l::VERIFY_WITH.get(lang));
        for id in &f.verify {
            if let Some(Node::Command(cmd)) = kb.node(id) {
                match link(id) {
                    Some(link) => {
                        let _ = writeln!(s, "- {} — {link}", code(&cmd.command));
                    }
                    None => {
                        let _ = writeln!(s, "- {}", code(&cmd.command));
                    }
                }
            }
        }
        let _ = writeln!(s);
    }
}

/// Inline code, with enough backticks for the content.
pub fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// Prose for Markdown: `<` outside code spans is escaped, so a `<placeholder>` shows
/// instead of becoming an HTML tag.
pub fn md(text: &str) -> String {
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
pub fn link_text(text: &str) -> String {
    md(text).replace('[', "\\[").replace(']', "\\]")
}
