//! Presentation: the one place that turns knowledge-base nodes, fixes, search answers,
//! diagnose findings and the wizard's end into words: styled terminal text
//! ([`terminal`]), Markdown for the runbook and transcripts ([`markdown`]), and the JSON
//! contracts of DESIGN.md ([`json`]). Readers hand it data; every fixed string comes from
//! [`labels`].

pub mod json;
pub mod labels;
pub mod markdown;
pub mod terminal;
pub mod wizard;

pub use terminal::Renderer;

use crate::kb::schema::{Action, Fix};
use crate::kb::{Kb, Node, Platform};

/// The causes an entry points to, nearest first: an error's causes, a symptom's causes by
/// how few answers lead to them, a cause itself. Text and JSON list them in this order.
pub fn causes_of<'k>(kb: &'k Kb, node: Node<'k>) -> Vec<&'k str> {
    match node {
        Node::Error(e) => e.causes.iter().map(String::as_str).collect(),
        Node::Symptom(s) => kb.graph().causes_by_distance(&s.id),
        Node::Cause(c) => vec![c.id.as_str()],
        _ => Vec::new(),
    }
}

/// A finding's causes narrowed by what the engine concluded from the same evidence: ruled-out
/// causes go; when some are confirmed, only those stay; otherwise the likely ones come first.
pub fn causes_concluded<'k>(
    kb: &'k Kb,
    node: Node<'k>,
    outcome: &crate::engine::Outcome,
) -> Vec<&'k str> {
    use crate::engine::Status;
    let status = |id: &str| {
        outcome
            .conclusions
            .iter()
            .find(|c| c.cause == id)
            .map(|c| c.status)
    };
    let mut causes: Vec<(&str, Option<Status>)> = causes_of(kb, node)
        .into_iter()
        .map(|id| (id, status(id)))
        .filter(|(_, st)| *st != Some(Status::RuledOut))
        .collect();
    if causes.iter().any(|(_, st)| *st == Some(Status::Confirmed)) {
        causes.retain(|(_, st)| *st == Some(Status::Confirmed));
    }
    // Stable: within one status the knowledge base's order (nearest first) stays.
    causes.sort_by_key(|(_, st)| match st {
        Some(Status::Confirmed) => 0,
        Some(Status::Likely) => 1,
        Some(Status::Possible) => 2,
        None => 3,
        Some(_) => 4,
    });
    causes.into_iter().map(|(id, _)| id).collect()
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
