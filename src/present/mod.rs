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

/// Where a fix stands for the user: for their platform, for the peer's (a LAN-to-LAN
/// tunnel has two gateways, and the faulty one may be the other), or neither known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FixFor {
    /// Has lines for the user's platform (or for any platform).
    Mine,
    /// Has lines only for other platforms: the peer's, in a LAN-to-LAN tunnel.
    Peer,
}

/// A cause's fixes in the order an engineer applies them: those that remove the cause
/// first, then prevention, then workarounds (those that weaken security last of all);
/// within each, the user's platform before the peer's. Fixes of another topology are left
/// out, and so, in remote access, are fixes only for another platform (the user has one
/// gateway). `None` for platform or topology means not known: nothing is left out for it.
pub fn ordered_fixes<'k>(
    kb: &'k Kb,
    fixes: &[String],
    platform: Option<Platform>,
    topology: Option<crate::kb::schema::Topology>,
) -> Vec<(&'k Fix, FixFor)> {
    use crate::kb::schema::Topology;
    let mut out: Vec<(&Fix, FixFor)> = fixes
        .iter()
        .filter_map(|id| match kb.node(id) {
            Some(Node::Fix(f)) => Some(f),
            _ => None,
        })
        .filter(|f| f.topology.fits(topology))
        .map(|f| {
            let mine = f.inside
                || platform.is_none_or(|p| {
                    f.actions.iter().any(|a| {
                        a.platform == p || matches!(a.platform, Platform::Any | Platform::VpnClient)
                    })
                });
            (f, if mine { FixFor::Mine } else { FixFor::Peer })
        })
        .collect();
    // In remote access the user has one gateway: another platform's fix is not theirs,
    // unless no fix is (then its lines are still the way to the remedy).
    if topology == Some(Topology::RemoteAccess) && out.iter().any(|(_, at)| *at == FixFor::Mine) {
        out.retain(|(_, at)| *at == FixFor::Mine);
    }
    // Stable: within one rank the knowledge base's order stays.
    out.sort_by_key(|(f, at)| (f.kind, f.weakens_security, *at));
    out
}

/// The actions of a fix for `platform` first, then, when `peer_too` (a LAN-to-LAN tunnel,
/// whose other gateway may be the faulty one), those for the other platforms.
pub fn actions_in_order(fix: &Fix, platform: Option<Platform>, peer_too: bool) -> Vec<&Action> {
    let mut out = actions_for(fix, platform);
    if peer_too && platform.is_some() {
        for a in &fix.actions {
            if !out.iter().any(|o| std::ptr::eq(*o, a)) {
                out.push(a);
            }
        }
    }
    out
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
