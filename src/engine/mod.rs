//! The engine: facts (and, in the wizard, the user's answers) + the knowledge base →
//! conclusions. It walks the decision graph from every symptom the facts show and every
//! error they contain; each question whose answers' `when:` conditions single out one
//! answer is answered from the evidence, and the walk stops where a question stays open.
//! No I/O: diagnose and the wizard are its front ends, `present` words its result.
//!
//! Facts about one peer are reasoned about together, apart from other peers' facts: a hub
//! with twenty healthy peers and one stuck in MM_KEY_EXCH has one problem, not an
//! ambiguous answer. Facts that name no peer (error messages, counters, negotiations) go
//! with every peer.

use crate::evidence::fact::{Fact, Observed, Source};
use crate::kb::schema::Condition;
use crate::kb::{Kb, Node};
use std::collections::{BTreeMap, BTreeSet};

/// How sure a conclusion is, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// A fact proves it (its `confirmed_by`).
    Confirmed,
    /// The facts answered every question on the way to it.
    Likely,
    /// A question on the way is still open.
    Possible,
    /// The check could not be made (e.g. both keys encrypted); never a problem.
    Unverified,
    /// A fact rules it out (its `ruled_out_by`, or an answer that leads elsewhere).
    RuledOut,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Likely => "likely",
            Status::Possible => "possible",
            Status::Unverified => "unverified",
            Status::RuledOut => "ruled_out",
        }
    }
}

/// A fact a conclusion rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Because {
    /// The fact, described (`isakmp-sa 198.51.100.2 MM_KEY_EXCH`).
    pub fact: String,
    pub source: Source,
}

/// The question that would settle an open conclusion, and the commands that answer it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Next {
    pub question: String,
    pub commands: Vec<String>,
}

/// One root cause and what the evidence says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conclusion {
    pub cause: String,
    pub status: Status,
    pub because: Vec<Because>,
    pub next: Vec<Next>,
}

/// A question the facts answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    pub question: String,
    pub answer: String,
    pub because: Because,
}

/// What the engine concluded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Confirmed first, then likely, possible, unverified, ruled out.
    pub conclusions: Vec<Conclusion>,
    /// The questions the facts answered, in the order they were met.
    pub settled: Vec<Settled>,
}

/// Whether `fact` satisfies `cond`.
pub fn satisfies(cond: &Condition, fact: &Fact) -> bool {
    let any = |wanted: &[String], got: &str| wanted.is_empty() || wanted.iter().any(|w| w == got);
    match fact {
        Fact::Error { id, .. } => cond.fact == "error" && any(&cond.id, id),
        Fact::IsakmpSa { state, .. } => cond.fact == "isakmp-sa" && any(&cond.state, state),
        Fact::IpsecSa { traffic, .. } => {
            cond.fact == "ipsec-sa" && cond.dropped.is_empty() && any(&cond.traffic, traffic.word())
        }
        Fact::IpsecDrop { counter, .. } => {
            cond.fact == "ipsec-sa"
                && cond.traffic.is_empty()
                && !cond.dropped.is_empty()
                && any(&cond.dropped, counter)
        }
        Fact::Negotiation {
            phase, succeeded, ..
        } => {
            cond.fact == "negotiation"
                && cond.phase.is_none_or(|p| p == *phase)
                && cond
                    .outcome
                    .as_deref()
                    .is_none_or(|o| (o == "succeeded") == *succeeded)
        }
        Fact::Config { check, outcome, .. } => {
            cond.fact == "config"
                && any(&cond.check, check)
                && cond.outcome.as_deref().is_none_or(|o| o == *outcome)
        }
        Fact::Ping { succeeded, .. } => {
            cond.fact == "ping"
                && cond
                    .outcome
                    .as_deref()
                    .is_none_or(|o| (o == "succeeded") == *succeeded)
        }
        Fact::Route { missing, .. } => {
            let word = if *missing { "missing" } else { "present" };
            cond.fact == "route" && any(&cond.state, word)
        }
        Fact::Exchange {
            exchange, notify, ..
        } => cond.fact == "ikev2" && any(&cond.exchange, exchange) && any(&cond.notify, notify),
    }
}

/// The first fact that satisfies any of `conds`.
pub fn first_holding<'f>(conds: &[Condition], facts: &[&'f Observed]) -> Option<&'f Observed> {
    facts
        .iter()
        .copied()
        .find(|o| conds.iter().any(|c| satisfies(c, &o.fact)))
}

/// The answers of a question that the facts give, each with the fact that gives it. When
/// several hold and only one of them rests on an error message, that one wins: a failed
/// negotiation says that phase 1 failed, "No cert, and no keys" says why.
pub fn answers_held<'q, 'f>(
    q: &'q crate::kb::schema::Question,
    facts: &[&'f Observed],
) -> Vec<(&'q crate::kb::schema::Answer, &'f Observed)> {
    let holding: Vec<_> = q
        .answers
        .iter()
        .filter_map(|a| first_holding(&a.when, facts).map(|o| (a, o)))
        .collect();
    if holding.len() > 1 {
        let by_message: Vec<_> = holding
            .iter()
            .filter(|(a, _)| {
                facts.iter().any(|o| {
                    matches!(
                        o.fact,
                        Fact::Error {
                            from_state: false,
                            ..
                        }
                    ) && a.when.iter().any(|c| satisfies(c, &o.fact))
                })
            })
            .cloned()
            .collect();
        if by_message.len() == 1 {
            return by_message;
        }
        // On a checklist item, a fault shown anywhere beats a pass shown elsewhere (one
        // tunnel's NAT exemption may be right and another's missing).
        let faults: Vec<_> = holding
            .iter()
            .filter(|(a, _)| {
                facts
                    .iter()
                    .any(|o| o.fact.shows_fault() && a.when.iter().any(|c| satisfies(c, &o.fact)))
            })
            .cloned()
            .collect();
        if q.checklist && faults.len() == 1 {
            return faults;
        }
    }
    holding
}

/// Facts grouped for reasoning: one group per peer with a phase-1 row (its latest row,
/// since a later paste supersedes an earlier one, plus every fact that names no peer), or
/// a single group when no row names a peer.
fn groups(facts: &[Observed]) -> Vec<Vec<&Observed>> {
    let mut latest: BTreeMap<&str, &Observed> = BTreeMap::new();
    let mut shared = Vec::new();
    let mut peered: Vec<(&str, &Observed)> = Vec::new();
    for o in facts {
        match (&o.fact, o.fact.peer()) {
            (Fact::IsakmpSa { peer, .. }, _) => {
                latest.insert(peer.as_str(), o);
            }
            (_, Some(peer)) => peered.push((peer, o)),
            _ => shared.push(o),
        }
    }
    // A row names its peer as `dst src` (or one address); a negotiation names one address.
    // A fact with a peer joins the row that names it, else a group of its own peer's.
    let mut keyed: BTreeMap<String, Vec<&Observed>> = BTreeMap::new();
    for (key, row) in &latest {
        keyed.insert(key.to_string(), vec![*row]);
    }
    for (peer, o) in peered {
        let row = latest
            .keys()
            .find(|k| k.split_whitespace().any(|w| w == peer))
            .map(|k| k.to_string());
        keyed
            .entry(row.unwrap_or_else(|| peer.to_string()))
            .or_default()
            .push(o);
    }
    if keyed.is_empty() {
        return vec![shared];
    }
    keyed
        .into_values()
        .map(|mut g| {
            g.extend(shared.iter().copied());
            g
        })
        .collect()
}

/// Draw the conclusions the facts support.
pub fn conclude(kb: &Kb, facts: &[Observed]) -> Outcome {
    let mut walk = Walk {
        kb,
        best: BTreeMap::new(),
        order: Vec::new(),
        settled: Vec::new(),
        ruled: BTreeMap::new(),
    };
    for group in groups(facts) {
        // What this group's facts rule out by themselves is not possible on any path of
        // the same group (another peer's facts may still support it).
        walk.ruled = kb
            .nodes_of(crate::kb::Kind::Cause)
            .filter_map(|node| match node {
                Node::Cause(c) => {
                    first_holding(&c.ruled_out_by, &group).map(|o| (c.id.clone(), because(o)))
                }
                _ => None,
            })
            .collect();
        // A state word says where phase 1 stopped, a message says why: the causes of an
        // error read from a state are only possible while a message names another.
        let messages: BTreeSet<&str> = group
            .iter()
            .filter_map(|o| match &o.fact {
                Fact::Error {
                    id,
                    from_state: false,
                } => Some(id.as_str()),
                _ => None,
            })
            .collect();
        // Symptoms the facts show.
        for sym in kb.symptoms() {
            if let Some(o) = first_holding(&sym.triggered_by, &group) {
                let because = vec![because(o)];
                walk.node(&sym.next, &group, because, &mut BTreeSet::new());
            }
        }
        // Error messages: their causes.
        for o in &group {
            let Fact::Error { id, from_state } = &o.fact else {
                continue;
            };
            let Some(Node::Error(e)) = kb.node(id) else {
                continue;
            };
            let overruled = *from_state
                && messages.iter().any(|m| {
                    matches!(kb.node(m), Some(Node::Error(other))
                        if other.causes.iter().any(|c| !e.causes.contains(c)))
                });
            let status = if e.causes.len() == 1 && !overruled {
                Status::Likely
            } else {
                Status::Possible
            };
            for c in &e.causes {
                let next = if status == Status::Possible {
                    questions_leading_to(kb, c)
                } else {
                    Vec::new()
                };
                walk.record(c, status, vec![because(o)], next);
            }
        }
        // What a fact proves or rules out by itself.
        for node in kb.nodes_of(crate::kb::Kind::Cause) {
            let Node::Cause(c) = node else { continue };
            if let Some(o) = first_holding(&c.confirmed_by, &group) {
                walk.record(&c.id, Status::Confirmed, vec![because(o)], Vec::new());
            } else if let Some(o) = first_holding(&c.ruled_out_by, &group) {
                walk.rule_out(&c.id, because(o));
            } else if let Some(o) = first_holding(&unverifiable(&c.confirmed_by), &group) {
                // The check that would prove it could not be made (an encrypted key).
                walk.record(&c.id, Status::Unverified, vec![because(o)], Vec::new());
            }
        }
    }
    let mut conclusions: Vec<Conclusion> = walk
        .order
        .iter()
        .filter_map(|id| walk.best.remove(id))
        .collect();
    conclusions.sort_by_key(|c| c.status);
    Outcome {
        conclusions,
        settled: walk.settled,
    }
}

fn because(o: &Observed) -> Because {
    Because {
        fact: o.fact.describe(),
        source: o.source.clone(),
    }
}

/// The config checks of `conds` that prove a cause when they fail, as the conditions that
/// hold when the check could not be made.
fn unverifiable(conds: &[Condition]) -> Vec<Condition> {
    conds
        .iter()
        .filter(|c| c.fact == "config" && c.outcome.as_deref() == Some("failed"))
        .map(|c| Condition {
            outcome: Some("unverified".into()),
            ..c.clone()
        })
        .collect()
}

/// The questions with an answer that leads straight to `cause`, with their commands.
fn questions_leading_to(kb: &Kb, cause: &str) -> Vec<Next> {
    kb.nodes_of(crate::kb::Kind::Question)
        .filter_map(|n| match n {
            Node::Question(q) if q.answers.iter().any(|a| a.next == cause) => Some(Next {
                question: q.id.clone(),
                commands: q.commands.clone(),
            }),
            _ => None,
        })
        .collect()
}

struct Walk<'k> {
    kb: &'k Kb,
    best: BTreeMap<String, Conclusion>,
    /// Causes in the order first met.
    order: Vec<String>,
    settled: Vec<Settled>,
    /// Causes the current group's facts rule out (`ruled_out_by`), with the fact: not
    /// possible on any open path of the group.
    ruled: BTreeMap<String, Because>,
}

impl Walk<'_> {
    /// Keep the strongest conclusion for a cause; a rule-out never hides a cause another
    /// peer's facts support.
    fn record(&mut self, cause: &str, status: Status, because: Vec<Because>, next: Vec<Next>) {
        // A fact that rules a cause out beats an open question on the way to it; it does
        // not beat other facts that lead to it (a peer whose phase 2 failed once and
        // succeeded for another SA still has the failure).
        if status == Status::Possible {
            if let Some(b) = self.ruled.get(cause).cloned() {
                self.rule_out(cause, b);
                return;
            }
        }
        if !self.best.contains_key(cause) {
            self.order.push(cause.to_string());
        }
        let entry = self.best.entry(cause.to_string()).or_insert(Conclusion {
            cause: cause.to_string(),
            status,
            because: Vec::new(),
            next: Vec::new(),
        });
        if status < entry.status || entry.because.is_empty() {
            entry.status = status;
            entry.because.clear();
            entry.next = next;
            for b in because {
                if !entry.because.contains(&b) {
                    entry.because.push(b);
                }
            }
        } else if status == entry.status {
            for b in because {
                if !entry.because.contains(&b) && entry.because.len() < 5 {
                    entry.because.push(b);
                }
            }
            for n in next {
                if !entry.next.contains(&n) {
                    entry.next.push(n);
                }
            }
        }
    }

    fn rule_out(&mut self, cause: &str, because: Because) {
        match self.best.get(cause) {
            Some(c) if c.status < Status::RuledOut => {}
            _ => self.record(cause, Status::RuledOut, vec![because], Vec::new()),
        }
    }

    /// Walk from `id` with the evidence gathered so far.
    fn node(
        &mut self,
        id: &str,
        facts: &[&Observed],
        path: Vec<Because>,
        seen: &mut BTreeSet<String>,
    ) {
        if !seen.insert(id.to_string()) {
            return;
        }
        match self.kb.node(id) {
            Some(Node::Cause(c)) => self.record(&c.id, Status::Likely, path, Vec::new()),
            Some(Node::Symptom(s)) => {
                let next = s.next.clone();
                self.node(&next, facts, path, seen);
            }
            Some(Node::Question(q)) => {
                let holding = answers_held(q, facts);
                if let [(answer, o)] = holding.as_slice() {
                    let b = because(o);
                    self.settled.push(Settled {
                        question: q.id.clone(),
                        answer: answer.id.clone(),
                        because: b.clone(),
                    });
                    // What only the other answers lead to is ruled out by this fact, when
                    // it is a state (states exclude one another; an error message shows one
                    // problem, not the absence of others).
                    let is_state = matches!(
                        o.fact,
                        Fact::IsakmpSa { .. } | Fact::IpsecSa { .. } | Fact::Route { .. }
                    );
                    let chosen = self.kb.graph().causes_reachable(&answer.next);
                    // On a checklist, only the cause the item itself leads to can be ruled out.
                    let others = q.answers.iter().filter(|a| {
                        a.id != answer.id
                            && is_state
                            && (!q.checklist
                                || matches!(self.kb.node(&a.next), Some(Node::Cause(_))))
                    });
                    for other in others {
                        for c in self.kb.graph().causes_reachable(&other.next) {
                            if !chosen.contains(&c) {
                                self.rule_out(c, b.clone());
                            }
                        }
                    }
                    // A checklist item that found its cause: the items after it are still
                    // to check, on the evidence gathered before it.
                    if q.checklist && matches!(self.kb.node(&answer.next), Some(Node::Cause(_))) {
                        let goes_on = |a: &&crate::kb::schema::Answer| {
                            a.next != answer.next
                                && !matches!(self.kb.node(&a.next), Some(Node::Cause(_)))
                        };
                        for other in q.answers.iter().filter(goes_on) {
                            let next = other.next.clone();
                            self.node(&next, facts, path.clone(), seen);
                        }
                    }
                    let mut path = path;
                    path.push(b);
                    let next = answer.next.clone();
                    self.node(&next, facts, path, seen);
                } else {
                    // Open: every cause still reachable from here is possible.
                    let next = Next {
                        question: q.id.clone(),
                        commands: q.commands.clone(),
                    };
                    let targets: Vec<&str> = if holding.is_empty() {
                        self.kb
                            .graph()
                            .causes_reachable(&q.id)
                            .into_iter()
                            .collect()
                    } else {
                        holding
                            .iter()
                            .flat_map(|(a, _)| self.kb.graph().causes_reachable(&a.next))
                            .collect()
                    };
                    for c in targets {
                        self.record(c, Status::Possible, path.clone(), vec![next.clone()]);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::ipsec_sa::Traffic;
    use crate::kb::KbSource;

    fn kb() -> Kb {
        Kb::open(&KbSource::Embedded).unwrap()
    }

    fn seen(fact: Fact, line: u64) -> Observed {
        Observed {
            source: Source {
                input: "paste".into(),
                line,
                text: fact.describe(),
            },
            fact,
        }
    }

    fn row(peer: &str, state: &str, line: u64) -> Observed {
        seen(
            Fact::IsakmpSa {
                peer: peer.into(),
                state: state.into(),
            },
            line,
        )
    }

    fn status(outcome: &Outcome, cause: &str) -> Option<Status> {
        outcome
            .conclusions
            .iter()
            .find(|c| c.cause == cause)
            .map(|c| c.status)
    }

    #[test]
    fn a_healthy_peer_leaves_only_rule_outs() {
        let kb = kb();
        let out = conclude(&kb, &[row("198.51.100.2 203.0.113.1", "QM_IDLE", 2)]);
        assert!(
            out.conclusions.iter().all(|c| c.status == Status::RuledOut),
            "{out:?}"
        );
        assert_eq!(status(&out, "cause-psk-mismatch"), Some(Status::RuledOut));
    }

    #[test]
    fn one_stuck_peer_among_healthy_ones_is_reasoned_about_alone() {
        let kb = kb();
        let mut facts: Vec<Observed> = (0..20)
            .map(|i| row(&format!("198.51.100.{i} 203.0.113.1"), "QM_IDLE", i + 2))
            .collect();
        facts.push(row("192.0.2.9 203.0.113.1", "MM_KEY_EXCH", 30));
        let out = conclude(&kb, &facts);
        // MM_KEY_EXCH: the key or the peer address; the next question tells which.
        assert_eq!(status(&out, "cause-psk-mismatch"), Some(Status::Possible));
        assert_eq!(
            status(&out, "cause-wrong-peer-address"),
            Some(Status::Possible)
        );
        let psk = out
            .conclusions
            .iter()
            .find(|c| c.cause == "cause-psk-mismatch")
            .unwrap();
        assert_eq!(psk.because[0].source.line, 30);
        assert_eq!(psk.next[0].question, "q-mm-key-exch");
        // The state excludes what only other states lead to.
        assert_eq!(
            status(&out, "cause-phase1-policy-mismatch"),
            Some(Status::RuledOut)
        );
        assert_eq!(out.settled[0].question, "q-isakmp-sa-state");
        assert_eq!(out.settled[0].answer, "mm-key-exch");
    }

    #[test]
    fn a_second_fact_settles_the_next_question() {
        let kb = kb();
        let out = conclude(
            &kb,
            &[
                row("192.0.2.9 203.0.113.1", "MM_KEY_EXCH", 3),
                seen(
                    Fact::Error {
                        id: "err-no-cert-no-keys".into(),
                        from_state: false,
                    },
                    7,
                ),
            ],
        );
        assert_eq!(out.conclusions[0].cause, "cause-wrong-peer-address");
        assert_eq!(out.conclusions[0].status, Status::Likely);
        let lines: Vec<u64> = out.conclusions[0]
            .because
            .iter()
            .map(|b| b.source.line)
            .collect();
        assert!(lines.contains(&3) && lines.contains(&7), "{lines:?}");
        // An error message shows one problem, not the absence of another.
        assert_ne!(status(&out, "cause-psk-mismatch"), Some(Status::RuledOut));
    }

    #[test]
    fn a_failed_main_mode_makes_the_policy_mismatch_likely() {
        let kb = kb();
        let out = conclude(
            &kb,
            &[seen(
                Fact::Negotiation {
                    phase: 1,
                    succeeded: false,
                    peer: None,
                },
                12,
            )],
        );
        assert_eq!(out.conclusions[0].cause, "cause-phase1-policy-mismatch");
        assert_eq!(out.conclusions[0].status, Status::Likely);
    }

    #[test]
    fn idle_counters_are_no_symptom() {
        let kb = kb();
        let out = conclude(
            &kb,
            &[seen(
                Fact::IpsecSa {
                    sa: "10.1.0.0/24 → 10.2.0.0/24".into(),
                    traffic: crate::evidence::ipsec_sa::Traffic::None,
                },
                9,
            )],
        );
        assert!(
            out.conclusions.iter().all(|c| c.status == Status::RuledOut),
            "{out:?}"
        );
    }

    /// A route proved missing settles the routing item of the checklist; the items after
    /// it (sysopt, the ACL checks) stay possible instead of being ruled out, and the
    /// cause is confirmed by the same fact.
    #[test]
    fn a_checklist_item_does_not_end_the_walk() {
        let kb = kb();
        let out = conclude(
            &kb,
            &[
                seen(
                    Fact::IpsecSa {
                        sa: "a".into(),
                        traffic: Traffic::DecapsOnly,
                    },
                    3,
                ),
                seen(
                    Fact::Route {
                        dest: "10.1.1.9".into(),
                        missing: true,
                    },
                    9,
                ),
            ],
        );
        assert_eq!(out.conclusions[0].cause, "cause-missing-route");
        assert_eq!(out.conclusions[0].status, Status::Confirmed);
        assert_eq!(
            status(&out, "cause-sysopt-not-enabled"),
            Some(Status::Possible)
        );
        assert_eq!(status(&out, "cause-acl-reused"), Some(Status::Possible));
        // The other way round: a route that is there rules the missing route out only.
        let out = conclude(
            &kb,
            &[
                seen(
                    Fact::IpsecSa {
                        sa: "a".into(),
                        traffic: Traffic::DecapsOnly,
                    },
                    3,
                ),
                seen(
                    Fact::Route {
                        dest: "10.1.1.9".into(),
                        missing: false,
                    },
                    9,
                ),
            ],
        );
        assert_eq!(status(&out, "cause-missing-route"), Some(Status::RuledOut));
        assert_eq!(
            status(&out, "cause-sysopt-not-enabled"),
            Some(Status::Possible)
        );
    }
}
