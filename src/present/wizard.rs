//! The wizard's end: the root cause, its explanation and evidence, the configuration fix
//! for the user's platform with rollback lines and warnings, the commands that verify it,
//! and the path taken. Rendered for the terminal and as a Markdown transcript. What the
//! user pasted was redacted when it was read (`redact::user_text`).

use super::labels as l;
use super::{actions_for, markdown, Renderer};
use crate::kb::schema::{Cause, Topology};
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

/// The kind of VPN the walk shows: the symptom's, or the answer to "VPN Client or
/// LAN-to-LAN?". `None` when nothing tells.
pub fn inferred_topology(engine: &Engine<'_>) -> Option<Topology> {
    let kb = engine.kb();
    let mut found = None;
    for step in engine.steps() {
        match step {
            Step::Symptom(id) => {
                if let Some(Node::Symptom(s)) = kb.node(id) {
                    if s.topology != Topology::Any {
                        found = Some(s.topology);
                    }
                }
            }
            Step::Answered {
                question, answer, ..
            } if question == "q-client-or-l2l" => {
                found = Some(if answer == "l2l" {
                    Topology::L2l
                } else {
                    Topology::RemoteAccess
                });
            }
            _ => {}
        }
    }
    found
}

/// The kind of VPN a cause belongs to when all its fixes say the same (split tunnelling
/// for VPN Clients is remote access).
fn cause_topology(engine: &Engine<'_>, cause: &Cause) -> Option<Topology> {
    let kb = engine.kb();
    let mut kinds = cause.fixes.iter().filter_map(|id| match kb.node(id) {
        Some(Node::Fix(f)) => Some(f.topology),
        _ => None,
    });
    let first = kinds.next()?;
    (first != Topology::Any && kinds.all(|t| t == first)).then_some(first)
}

/// The end screen: what fits the first screenful (the root cause, why, and the first fix for
/// the user's platform) and the rest (the explanation, every fix with rollback, warnings
/// and verification, what else is possible, the path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndScreen {
    pub first: String,
    pub rest: String,
}

/// The most lines of [`EndScreen::first`], at [`SCREEN_WIDTH`] columns: a 24-row terminal
/// keeps it in view with the menu that follows (a prompt and up to six choices).
pub const FIRST_SCREEN_LINES: usize = 16;
pub const SCREEN_WIDTH: usize = 80;

/// The end screen for a terminal. `more` is the line that says where the rest is (below,
/// or behind a choice of the menu).
pub fn end_screen(
    engine: &Engine<'_>,
    cause: &Cause,
    platform: Option<Platform>,
    topology: Option<Topology>,
    lang: Lang,
    style: Style,
    more: l::Label,
) -> EndScreen {
    let topology = topology.or_else(|| cause_topology(engine, cause));
    EndScreen {
        first: l::tidy(
            lang,
            first_screen(engine, cause, platform, topology, lang, style, more),
        ),
        rest: l::tidy(
            lang,
            end_screen_text(engine, cause, platform, topology, lang, style),
        ),
    }
}

/// `text` wrapped to `width` display columns (a Chinese character takes two), each line
/// after the first indented by `indent`.
fn wrap(text: &str, width: usize, indent: &str) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    let mut word = String::new();
    let mut word_width = 0;
    let flush_word = |line: &mut String,
                      used: &mut usize,
                      word: &mut String,
                      word_width: &mut usize,
                      lines: &mut Vec<String>| {
        if word.is_empty() {
            return;
        }
        if *used + *word_width > width && !line.trim().is_empty() {
            lines.push(std::mem::take(line).trim_end().to_string());
            line.push_str(indent);
            *used = indent.len();
            let trimmed = word.trim_start().to_string();
            *word_width -= word.len() - trimmed.len();
            *word = trimmed;
        }
        line.push_str(word);
        *used += *word_width;
        word.clear();
        *word_width = 0;
    };
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        // A space, or any wide character, ends a word: Chinese breaks between characters.
        if c == ' ' || w > 1 {
            flush_word(&mut line, &mut used, &mut word, &mut word_width, &mut lines);
        }
        word.push(c);
        word_width += w;
        if w > 1 {
            flush_word(&mut line, &mut used, &mut word, &mut word_width, &mut lines);
        }
    }
    flush_word(&mut line, &mut used, &mut word, &mut word_width, &mut lines);
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// The heading of a fix: its label (a fix, prevention, a workaround, one that weakens
/// security), its title, and the platform its lines are for.
fn fix_heading(fix: &crate::kb::schema::Fix, lang: Lang) -> &'static str {
    use crate::kb::schema::FixKind;
    match (fix.kind, fix.weakens_security) {
        (_, true) => l::WORKAROUND_WEAKENS.get(lang),
        (FixKind::Workaround, false) => l::WORKAROUND_2.get(lang),
        (FixKind::Prevention, _) => l::PREVENTION_2.get(lang),
        (FixKind::Remedy, _) => l::FIX_2.get(lang),
    }
}

fn first_screen(
    engine: &Engine<'_>,
    cause: &Cause,
    platform: Option<Platform>,
    topology: Option<Topology>,
    lang: Lang,
    style: Style,
    more: l::Label,
) -> String {
    let kb = engine.kb();
    let width = SCREEN_WIDTH - 1;
    let mut head: Vec<String> = Vec::new();
    head.extend(wrap(
        &format!(
            "{} {}",
            l::ROOT_CAUSE_2.get(lang),
            style.inline(cause.title.get(lang))
        ),
        width,
        "  ",
    ));
    head.push(format!("  {}", cause.id));
    // The fix: the first for this platform and topology, and its lines.
    let fixes = super::ordered_fixes(kb, &cause.fixes, platform, topology);
    let mut fix_lines: Vec<String> = Vec::new();
    let mut config: Vec<String> = Vec::new();
    if let Some((fix, _)) = fixes.first() {
        let actions = actions_for(fix, platform);
        let action = actions
            .iter()
            .find(|a| a.config.is_some())
            .or(actions.first());
        // Lines for another platform than the user's are the peer's (or the only ones).
        let other = topology != Some(Topology::RemoteAccess)
            && action.is_some_and(|a| {
                platform.is_some_and(|p| {
                    a.platform != p && !matches!(a.platform, Platform::Any | Platform::VpnClient)
                })
            });
        let on = action
            .map(|a| {
                if other {
                    format!(" ({}, {})", a.platform.label(), l::FOR_THE_PEER.get(lang))
                } else {
                    format!(" ({})", a.platform.label())
                }
            })
            .unwrap_or_default();
        fix_lines.extend(wrap(
            &format!(
                "{} {}{on}  ({})",
                fix_heading(fix, lang),
                style.inline(fix.title.get(lang)),
                fix.id
            ),
            width,
            "  ",
        ));
        if let Some(a) = action {
            if let Some(mode) = &a.mode {
                fix_lines.push(format!("  ({mode})"));
            }
            for line in a.config.as_deref().unwrap_or("").trim_end().lines() {
                config.push(format!("    {}", line.trim_end()));
            }
        }
    }
    // Why: the answers that led here, the last ones first (they decided it).
    let path = path_lines(engine, lang);
    let mut why: Vec<Vec<String>> = path
        .iter()
        .rev()
        .take(3)
        .map(|line| wrap(&format!("  • {}", style.inline(line)), width, "    "))
        .collect();
    why.reverse();
    // The budget: heading, blank, why, blank, fix, config, blank, the line about the rest.
    let fixed = head.len() + 1 + 1 + fix_lines.len() + 1 + 1 + 1;
    let mut left = FIRST_SCREEN_LINES.saturating_sub(fixed);
    // At least four lines of the fix's configuration, then the evidence, then the rest of
    // the configuration.
    let config_first = config.len().min(4).min(left);
    left -= config_first;
    let mut why_lines: Vec<String> = Vec::new();
    for item in why.iter().rev() {
        if item.len() <= left {
            left -= item.len();
            why_lines.splice(0..0, item.iter().cloned());
        }
    }
    // A configuration line is not wrapped (it is typed as it stands): a long one takes
    // the rows it fills.
    let rows = |line: &String| {
        use unicode_width::UnicodeWidthStr;
        line.width().max(1).div_ceil(SCREEN_WIDTH)
    };
    let extra: usize = config[..config_first].iter().map(|l| rows(l) - 1).sum();
    left = left.saturating_sub(extra);
    let mut config_shown = config_first;
    while config_shown < config.len() && left >= rows(&config[config_shown]) {
        // The last line left says how many more there are, when they do not all fit.
        if config.len() - config_shown > 1 && left == 1 {
            break;
        }
        left -= rows(&config[config_shown]);
        config_shown += 1;
    }
    let mut s = String::new();
    for (i, line) in head.iter().enumerate() {
        let line = if i == 0 {
            style.heading(line)
        } else if i == head.len() - 1 {
            style.dim(line)
        } else {
            style.heading(line)
        };
        let _ = writeln!(s, "{line}");
    }
    let _ = writeln!(s);
    if !why_lines.is_empty() {
        let _ = writeln!(s, "{}", style.heading(l::WHY_2.get(lang)));
        for line in &why_lines {
            let _ = writeln!(s, "{line}");
        }
        let _ = writeln!(s);
    }
    for line in &fix_lines {
        let _ = writeln!(s, "{}", style.heading(line));
    }
    for line in &config[..config_shown] {
        let _ = writeln!(s, "{}", style.code(line));
    }
    if config_shown < config.len() {
        let _ = writeln!(
            s,
            "    … {} {}",
            config.len() - config_shown,
            l::MORE_LINES.get(lang)
        );
    }
    let _ = writeln!(s);
    for line in wrap(more.get(lang), width, "") {
        let _ = writeln!(s, "{}", style.dim(&line));
    }
    s
}

fn end_screen_text(
    engine: &Engine<'_>,
    cause: &Cause,
    platform: Option<Platform>,
    topology: Option<Topology>,
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
    // In LAN-to-LAN (or when the kind is not known) the other gateway may be the faulty
    // one: its platform's lines follow the user's.
    let peer_too = topology != Some(Topology::RemoteAccess);
    for (fix, at) in super::ordered_fixes(kb, &cause.fixes, platform, topology) {
        // A fix only for another platform is the peer's: all its lines are shown.
        let shown = if at == super::FixFor::Peer {
            None
        } else {
            platform
        };
        renderer.fix_labelled(
            &mut s,
            fix,
            shown,
            fix_heading(fix, lang),
            at == super::FixFor::Peer,
            peer_too,
        );
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
    topology: Option<Topology>,
    lang: Lang,
) -> String {
    let topology = topology.or_else(|| cause_topology(engine, cause));
    l::tidy(
        lang,
        transcript_text(engine, cause, platform, topology, lang),
    )
}

fn transcript_text(
    engine: &Engine<'_>,
    cause: &Cause,
    platform: Option<Platform>,
    topology: Option<Topology>,
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
    for (fix, at) in super::ordered_fixes(kb, &cause.fixes, platform, topology) {
        let peer = if at == super::FixFor::Peer {
            format!(" ({})", l::FOR_THE_PEER.get(lang))
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "\n## {} {}{peer}\n",
            fix_heading(fix, lang),
            fix.title.get(lang)
        );
        let _ = writeln!(s, "`{}`: {}\n", fix.id, fix.summary.get(lang));
        let actions = super::actions_in_order(
            fix,
            if at == super::FixFor::Peer {
                None
            } else {
                platform
            },
            topology != Some(Topology::RemoteAccess),
        );
        markdown::fix_body(&mut s, kb, fix, &actions, "###", lang, |_| None);
    }
    s
}
