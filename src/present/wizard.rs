//! The wizard's end: the root cause, its explanation and evidence, the configuration fix
//! for the user's platform with rollback lines and warnings, the commands that verify it,
//! and the path taken. Rendered for the terminal and as a Markdown transcript. What the
//! user pasted was redacted when it was read (`redact::user_text`).

use super::labels as l;
use super::{actions_for, markdown, Renderer};
use crate::kb::schema::Cause;
use crate::kb::{Lang, Node, Platform};
use crate::term::Style;
use crate::wizard::engine::{Engine, How, Step};
use std::fmt::Write as _;

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
            Step::Symptom(id) => format!("{} {}", l::STARTED_FROM.get(lang), title(id)),
            Step::Error { id, line } if line.is_empty() => {
                format!("{} {}", l::ERROR_MESSAGE_2.get(lang), title(id))
            }
            Step::Error { id, line } => format!(
                "{} `{}` → {}",
                l::ERROR_MESSAGE_2.get(lang),
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
                if let How::FromEvidence {
                    input,
                    line: n,
                    text,
                } = how
                {
                    let _ = write!(
                        line,
                        " ({}{input}:{n}: `{}`)",
                        l::ANSWERED_FROM_EVIDENCE.get(lang),
                        text.trim()
                    );
                }
                if let How::Recognised { evidence, .. } = how {
                    let _ = write!(
                        line,
                        " ({} {evidence})",
                        l::RECOGNISED_FROM_PASTED_OUTPUT.get(lang)
                    );
                }
                line
            }
            Step::ChoseCause(id) => format!("{} {}", l::CHOSE_THE_CAUSE.get(lang), title(id)),
            Step::KeepChecking { cause, .. } => {
                format!("{} {}", l::KEPT_CHECKING.get(lang), title(cause))
            }
        })
        .collect()
}

/// What else this path says: causes found before the checklist went on, and the causes
/// still possible after this one with the question that would rule them out. Lines of
/// (text, is-heading).
fn others(engine: &Engine<'_>, cause: &Cause, lang: Lang) -> Vec<(String, bool)> {
    let kb = engine.kb();
    let title = |id: &str| match kb.node(id) {
        Some(n) => format!("{} ({id})", n.title().get(lang)),
        None => id.to_string(),
    };
    let mut out = Vec::new();
    let found: Vec<&str> = engine
        .found_before()
        .into_iter()
        .filter(|c| *c != cause.id)
        .collect();
    if !found.is_empty() {
        out.push((l::ALSO_FOUND.get(lang).to_string(), true));
        for c in found {
            out.push((title(c), false));
        }
    }
    if let Some((_, answer)) = engine.keep_checking() {
        let possible = kb.graph().causes_reachable(&answer.next);
        if !possible.is_empty() {
            out.push((l::STILL_POSSIBLE_ON_PATH.get(lang).to_string(), true));
            for c in &possible {
                out.push((title(c), false));
            }
            if let Some(next) = engine.next_check() {
                out.push((l::TO_RULE_THEM_OUT.get(lang).to_string(), true));
                let commands: Vec<String> = next
                    .commands
                    .iter()
                    .filter_map(|id| match kb.node(id) {
                        Some(Node::Command(c)) => Some(format!("`{}`", c.command)),
                        _ => None,
                    })
                    .collect();
                let mut line = next.title.get(lang).to_string();
                if !commands.is_empty() {
                    let _ = write!(line, " — {}", commands.join("; "));
                }
                out.push((line, false));
            }
        }
    }
    out
}

/// The end screen for a terminal.
pub fn end_screen(
    engine: &Engine<'_>,
    cause: &Cause,
    platform: Option<Platform>,
    lang: Lang,
    style: Style,
) -> String {
    l::tidy(lang, end_screen_text(engine, cause, platform, lang, style))
}

fn end_screen_text(
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
        style.heading(l::ROOT_CAUSE_2.get(lang)),
        style.heading(&style.inline(cause.title.get(lang)))
    );
    let _ = writeln!(s, "{}", style.dim(&cause.id));
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", style.inline(cause.summary.get(lang)));
    if let Some(d) = &cause.details {
        let _ = writeln!(s);
        let _ = writeln!(s, "{}", style.inline(d.get(lang)));
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", style.heading(l::WHAT_CONFIRMS_IT.get(lang)));
    for e in &cause.evidence {
        let _ = writeln!(s, "  • {}", style.inline(e.get(lang)));
    }
    let renderer = Renderer::new(kb, lang, style);
    for fix_id in &cause.fixes {
        if let Some(Node::Fix(fix)) = kb.node(fix_id) {
            renderer.fix(&mut s, fix, platform);
        }
    }
    let others = others(engine, cause, lang);
    if !others.is_empty() {
        let _ = writeln!(s);
    }
    for (line, heading) in &others {
        if *heading {
            let _ = writeln!(s, "{}", style.heading(line));
        } else {
            let _ = writeln!(s, "  • {}", style.inline(line));
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", style.heading(l::HOW_YOU_GOT_HERE.get(lang)));
    for (i, line) in path_lines(engine, lang).iter().enumerate() {
        let _ = writeln!(s, "  {}. {}", i + 1, style.inline(line));
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
) -> String {
    l::tidy(lang, transcript_text(engine, cause, platform, lang))
}

fn transcript_text(
    engine: &Engine<'_>,
    cause: &Cause,
    platform: Option<Platform>,
    lang: Lang,
) -> String {
    let kb = engine.kb();
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", l::IPSEC_DOCTOR_TRANSCRIPT.get(lang));
    let _ = writeln!(s, "## {}\n", l::PATH.get(lang));
    let mut n = 0;
    for (step, line) in engine.steps().iter().zip(path_lines(engine, lang)) {
        n += 1;
        let _ = writeln!(s, "{n}. {line}");
        if let Step::Answered {
            how: How::Recognised { output, .. },
            ..
        } = step
        {
            let _ = writeln!(s, "\n   ```text");
            for l in output.trim_end().lines() {
                let _ = writeln!(s, "   {l}");
            }
            let _ = writeln!(s, "   ```\n");
        }
    }
    let _ = writeln!(
        s,
        "\n## {} {}\n",
        l::ROOT_CAUSE_2.get(lang),
        cause.title.get(lang)
    );
    let _ = writeln!(s, "`{}`\n", cause.id);
    let _ = writeln!(s, "{}\n", cause.summary.get(lang));
    if let Some(d) = &cause.details {
        let _ = writeln!(s, "{}\n", d.get(lang));
    }
    let _ = writeln!(s, "### {}\n", l::WHAT_CONFIRMS_IT.get(lang));
    for e in &cause.evidence {
        let _ = writeln!(s, "- {}", e.get(lang));
    }
    for (line, heading) in others(engine, cause, lang) {
        if heading {
            let _ = writeln!(s, "\n### {}\n", line.trim_end_matches([':', '：']));
        } else {
            let _ = writeln!(s, "- {line}");
        }
    }
    for fix_id in &cause.fixes {
        let Some(Node::Fix(fix)) = kb.node(fix_id) else {
            continue;
        };
        let _ = writeln!(s, "\n## {} {}\n", l::FIX_2.get(lang), fix.title.get(lang));
        let _ = writeln!(s, "`{}`: {}\n", fix.id, fix.summary.get(lang));
        let actions = actions_for(fix, platform);
        markdown::fix_body(&mut s, kb, fix, &actions, "###", lang, |_| None);
    }
    s
}
