//! The wizard's end: the root cause, its explanation and evidence, the configuration fix
//! for the user's platform with rollback lines and warnings, the commands that verify it,
//! and the path taken. Rendered for the terminal and as a Markdown transcript; pasted
//! output in a transcript has its secrets redacted.

use super::engine::{Engine, How, Step};
use crate::kb::schema::{Action, Cause, Fix};
use crate::kb::{Lang, Node, Platform};
use crate::redact::Redactor;
use crate::term::Style;
use std::fmt::Write as _;

/// Labels in the user's language.
fn t(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The actions of a fix that apply to `platform` (with those for any platform and for the
/// VPN Client, which every remote-access user also runs). `None` shows them all.
pub fn actions_for(fix: &Fix, platform: Option<Platform>) -> Vec<&Action> {
    let Some(p) = platform else {
        return fix.actions.iter().collect();
    };
    let wanted: Vec<&Action> = fix
        .actions
        .iter()
        .filter(|a| a.platform == p || matches!(a.platform, Platform::Any | Platform::VpnClient))
        .collect();
    // A fix with no line for this platform still shows what it has.
    if wanted.is_empty() {
        fix.actions.iter().collect()
    } else {
        wanted
    }
}

/// One line per step: what was asked and answered.
pub fn path_lines(engine: &Engine<'_>, lang: Lang) -> Vec<String> {
    let kb = engine.kb();
    let title = |id: &str| {
        kb.node(id)
            .map(|n| n.title().get(lang).to_string())
            .unwrap_or_else(|| id.to_string())
    };
    engine
        .steps()
        .iter()
        .map(|step| match step {
            Step::Symptom(id) => format!("{} {}", t(lang, "Started from:", "起点："), title(id)),
            Step::Error { id, line } if line.is_empty() => {
                format!("{} {}", t(lang, "Error message:", "错误消息："), title(id))
            }
            Step::Error { id, line } => format!(
                "{} `{}` → {}",
                t(lang, "Error message:", "错误消息："),
                line.trim(),
                title(id)
            ),
            Step::Answered {
                question,
                answer,
                how,
            } => {
                let label = match kb.node(question) {
                    Some(Node::Question(q)) => q
                        .answers
                        .iter()
                        .find(|a| &a.id == answer)
                        .map(|a| a.label.get(lang).to_string())
                        .unwrap_or_else(|| answer.clone()),
                    _ => answer.clone(),
                };
                let mut line = format!("{} → {label}", title(question));
                if let How::Recognised { evidence, .. } = how {
                    let _ = write!(
                        line,
                        " ({} {evidence})",
                        t(
                            lang,
                            "recognised from pasted output:",
                            "从粘贴的输出中识别："
                        )
                    );
                }
                line
            }
            Step::ChoseCause(id) => format!(
                "{} {}",
                t(lang, "Chose the cause:", "选择的原因："),
                title(id)
            ),
        })
        .collect()
}

/// The end screen for a terminal.
pub fn end_screen(
    engine: &Engine<'_>,
    cause: &Cause,
    platform: Option<Platform>,
    lang: Lang,
    style: Style,
) -> String {
    let kb = engine.kb();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} {}",
        style.heading(t(lang, "Root cause:", "根本原因：")),
        style.heading(cause.title.get(lang))
    );
    let _ = writeln!(s, "{}", style.dim(&cause.id));
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", cause.summary.get(lang));
    if let Some(d) = &cause.details {
        let _ = writeln!(s);
        let _ = writeln!(s, "{}", d.get(lang));
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{}",
        style.heading(t(lang, "What confirms it", "确认依据"))
    );
    for e in &cause.evidence {
        let _ = writeln!(s, "  • {}", e.get(lang));
    }
    for fix_id in &cause.fixes {
        let Some(Node::Fix(fix)) = kb.node(fix_id) else {
            continue;
        };
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{} {} {}",
            style.heading(t(lang, "Fix:", "修复：")),
            style.heading(fix.title.get(lang)),
            style.dim(&format!("({})", fix.id))
        );
        let _ = writeln!(s, "{}", fix.summary.get(lang));
        for a in actions_for(fix, platform) {
            let mode = a
                .mode
                .as_deref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default();
            let _ = writeln!(s);
            let _ = writeln!(s, "  {}{mode}", style.heading(a.platform.label()));
            if let Some(note) = &a.note {
                for line in note.get(lang).lines() {
                    let _ = writeln!(s, "    {line}");
                }
            }
            if let Some(config) = &a.config {
                for line in config.trim_end().lines() {
                    let _ = writeln!(s, "      {}", style.code(line));
                }
            }
            if let Some(rollback) = &a.rollback {
                let _ = writeln!(s, "    {}", t(lang, "Rollback:", "回退："));
                for line in rollback.trim_end().lines() {
                    let _ = writeln!(s, "      {line}");
                }
            }
        }
        for w in &fix.warnings {
            let _ = writeln!(
                s,
                "  {} {}",
                style.warn(t(lang, "Warning:", "警告：")),
                w.get(lang)
            );
        }
        let verify: Vec<String> = kb
            .commands(&fix.verify)
            .map(|c| c.command.clone())
            .collect();
        if !verify.is_empty() {
            let _ = writeln!(
                s,
                "  {} {}",
                t(lang, "Verify with:", "验证方法："),
                verify.join("; ")
            );
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{}",
        style.heading(t(lang, "How you got here", "诊断路径"))
    );
    for (i, line) in path_lines(engine, lang).iter().enumerate() {
        let _ = writeln!(s, "  {}. {line}", i + 1);
    }
    s
}

/// The Markdown transcript: the path with pasted output (secrets redacted), the root cause
/// and the fix. Deterministic: no timestamps.
pub fn transcript(
    engine: &Engine<'_>,
    cause: &Cause,
    platform: Option<Platform>,
    lang: Lang,
    redactor: &Redactor,
) -> String {
    let kb = engine.kb();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# {}\n",
        t(lang, "ipsec-doctor transcript", "ipsec-doctor 诊断记录")
    );
    let _ = writeln!(s, "## {}\n", t(lang, "Path", "诊断路径"));
    let mut n = 0;
    for (step, line) in engine.steps().iter().zip(path_lines(engine, lang)) {
        n += 1;
        let _ = writeln!(s, "{n}. {}", redactor.redact(&line));
        if let Step::Answered {
            how: How::Recognised { output, .. },
            ..
        } = step
        {
            let _ = writeln!(s, "\n   ```text");
            for l in redactor.redact(output).trim_end().lines() {
                let _ = writeln!(s, "   {l}");
            }
            let _ = writeln!(s, "   ```\n");
        }
    }
    let _ = writeln!(
        s,
        "\n## {} {}\n",
        t(lang, "Root cause:", "根本原因："),
        cause.title.get(lang)
    );
    let _ = writeln!(s, "`{}`\n", cause.id);
    let _ = writeln!(s, "{}\n", cause.summary.get(lang));
    if let Some(d) = &cause.details {
        let _ = writeln!(s, "{}\n", d.get(lang));
    }
    let _ = writeln!(s, "### {}\n", t(lang, "What confirms it", "确认依据"));
    for e in &cause.evidence {
        let _ = writeln!(s, "- {}", e.get(lang));
    }
    for fix_id in &cause.fixes {
        let Some(Node::Fix(fix)) = kb.node(fix_id) else {
            continue;
        };
        let _ = writeln!(
            s,
            "\n## {} {}\n",
            t(lang, "Fix:", "修复："),
            fix.title.get(lang)
        );
        let _ = writeln!(s, "`{}`: {}\n", fix.id, fix.summary.get(lang));
        for a in actions_for(fix, platform) {
            crate::book::pages::action_markdown(&mut s, a, "###", lang);
        }
        for w in &fix.warnings {
            let _ = writeln!(
                s,
                "> **{}** {}\n",
                t(lang, "Warning:", "警告："),
                w.get(lang)
            );
        }
        let verify: Vec<String> = kb
            .commands(&fix.verify)
            .map(|c| format!("`{}`", c.command))
            .collect();
        if !verify.is_empty() {
            let _ = writeln!(
                s,
                "{} {}",
                t(lang, "Verify with:", "验证方法："),
                verify.join(", ")
            );
        }
    }
    s
}
