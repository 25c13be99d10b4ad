//! diagnose: find every known IPsec problem in whole logs and pasted show/debug output.
//!
//! One scan per input ([`scan`]) finds, at grep speed, the lines that matter: error
//! signatures, `show crypto isakmp sa` rows, `show crypto ipsec sa` counters, and IKE
//! negotiation debug ([`negotiation`]). Signature hits become findings directly, except
//! those that normal negotiation also prints ("offered does not match policy", "transform
//! proposal not supported"): they count only when their negotiation failed. Show output
//! yields a finding only when it shows a fault; healthy output yields none.

mod ikev2;
pub mod negotiation;
pub mod scan;

use crate::engine;
use crate::evidence::fact::{Fact, Observed, Source, PHASE1_UP};
use crate::evidence::ipsec_sa::{self, Traffic};
use crate::evidence::{config, contains_ci, ping, route, session};
use crate::kb::{Kb, Kind, Node};
use crate::redact::Redactor;
use negotiation::{Negotiations, Phase};
use regex::Regex;
use scan::Scanner;
use std::collections::BTreeMap;
use std::io::{self, Read};

/// How many evidence lines a finding keeps: the first few and the last.
const EVIDENCE_KEPT: usize = 3;
/// How many notes a report keeps, whatever the input's size.
const NOTES_KEPT: usize = 20;
/// How many distinct facts the engine is given: peers, SAs, errors (one each per input is
/// the common case; a hub's log has one phase-1 row per peer).
const FACTS_KEPT: usize = 20_000;
/// How many peers' phase-1 rows an input keeps; rows of further peers are not judged.
const ROWS_KEPT: usize = 20_000;

/// Errors whose message normal negotiation also prints, before a later offer is accepted.
const NEGOTIATION_ERRORS: &[&str] = &[
    "err-algorithm-offered-mismatch",
    "err-transform-proposal-not-supported",
];

/// ISAKMP SA states, in any `show crypto isakmp sa` layout.
const ISAKMP_STATE: &str = r"\b(?:QM_IDLE|MM_[A-Z0-9_]+|AM_[A-Z0-9_]+)\b";

/// One line of evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub input: String,
    pub line: u64,
    pub text: String,
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The node found: an error, a symptom read from show output, or a cause.
    pub id: String,
    pub kind: Kind,
    /// How many lines (or SAs, or negotiations) show it.
    pub count: u64,
    pub first: Evidence,
    pub last: Evidence,
    /// The first few evidence lines.
    pub evidence: Vec<Evidence>,
    /// What the evidence says beyond the entry, e.g. which attribute the peers disagree on.
    pub details: Vec<String>,
    /// How many of `count` each peer accounts for, when the evidence names the peer (a
    /// failed negotiation, a phase-1 row); at most [`PEERS_KEPT`] peers.
    pub peers: BTreeMap<String, u64>,
}

/// How many peers a finding counts separately.
pub const PEERS_KEPT: usize = 4096;

/// Everything found in the inputs.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub lines: u64,
    pub inputs: Vec<String>,
    /// Strongest evidence first.
    pub findings: Vec<Finding>,
    /// `show crypto ipsec sa` SAs beyond the number followed per input, not judged.
    pub sas_not_followed: u64,
    /// What the input says that is not a problem but limits what can be judged, e.g. two
    /// snapshots whose counters go backwards.
    pub notes: Vec<Note>,
    /// What the engine concludes from the facts of every input together.
    pub engine: engine::Outcome,
    /// The facts it reasoned over.
    pub facts: Vec<Observed>,
    /// How many inputs were read as running-configs.
    pub configs: usize,
}

/// Something worth saying about the input that is not a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub what: NoteKind,
    /// The SA or line it is about, e.g. `10.1.0.0/24 → 10.2.0.0/24 @ 198.51.100.2`.
    pub subject: String,
    /// The figures it rests on.
    pub detail: String,
    pub evidence: Evidence,
}

/// The kinds of note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// A counter of a `show crypto ipsec sa` SA went backwards between two snapshots.
    CountersWentBackwards,
}

/// What a scanner pattern is for.
#[derive(Debug, Clone)]
enum Role {
    Signature(String),
    IsakmpState,
    /// ASA `IKE Peer: A`, the head of a `show crypto isakmp sa` entry.
    IsakmpPeer,
    IpsecSa,
    Negotiation,
    /// Routing tables and lookups.
    Route,
    Ping,
    /// `show crypto session`, `show crypto ikev2 sa`, `show vpn-sessiondb l2l`.
    Session,
    /// `debug crypto ikev2` packets and exchanges.
    Ikev2,
    /// Not a trigger: the line matches this pattern of [`negotiation::reading_patterns`].
    Reading(usize),
}

/// The compiled diagnosis of one knowledge base; build once, run on many inputs.
pub struct Diagnoser<'k> {
    kb: &'k Kb,
    scanner: Scanner,
    roles: Vec<Role>,
    patterns: Vec<String>,
    state: Regex,
    counters: ipsec_sa::Parser,
    routes: route::Parser,
    pings: ping::Parser,
    sessions: session::Parser,
    ikev2: ikev2::Parser,
    redactor: Redactor,
    /// For each pattern: whether it is a signature made of a phase-1 state word
    /// (`… MM_KEY_EXCH`), read from table rows only.
    row_signature: Vec<bool>,
    /// Threads that search one input ([`Diagnoser::with_threads`]).
    threads: usize,
}

/// What a matching line says on its own, read on the thread that found it (see
/// [`Diagnoser::prepare`]); the rest is done in input order. Small, as a region holds
/// thousands.
enum Prepared {
    Nothing,
    /// Its reading as negotiation debug, when it is some or is an error a negotiation
    /// holds.
    Negotiation(negotiation::Reading),
    /// Its reading as `show crypto ipsec sa` output.
    Sa(ipsec_sa::Line),
    Both(Box<(negotiation::Reading, ipsec_sa::Line)>),
    /// A line that is not valid UTF-8: its text with replacement characters, and the rest.
    Lossy(Box<(String, Prepared)>),
}

impl Prepared {
    /// The text of a line that is not UTF-8, its negotiation reading, its counters.
    fn into_parts(
        self,
    ) -> (
        Option<String>,
        Option<negotiation::Reading>,
        Option<ipsec_sa::Line>,
    ) {
        match self {
            Prepared::Nothing => (None, None, None),
            Prepared::Negotiation(r) => (None, Some(r), None),
            Prepared::Sa(l) => (None, None, Some(l)),
            Prepared::Both(b) => (None, Some(b.0), Some(b.1)),
            Prepared::Lossy(b) => {
                let (text, rest) = *b;
                let (_, r, l) = rest.into_parts();
                (Some(text), r, l)
            }
        }
    }
}

/// An input to scan.
pub struct Input<'a> {
    pub name: String,
    pub reader: Box<dyn Read + Send + 'a>,
}

/// An input's reader that keeps what it reads while that is small enough to be a
/// running-config, and reads it as one at the end of the input.
struct Head<'a> {
    inner: Box<dyn Read + Send + 'a>,
    kept: Vec<u8>,
    /// More was read than a config can be.
    over: bool,
    /// What the input says as a running-config, once it is read to its end.
    config: Option<config::model::Config>,
}

impl<'a> Head<'a> {
    fn new(inner: Box<dyn Read + Send + 'a>) -> Head<'a> {
        Head {
            inner,
            kept: Vec::new(),
            over: false,
            config: None,
        }
    }
}

impl Read for Head<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.over {
            return Ok(n);
        }
        if n == 0 && !buf.is_empty() {
            // The end: read it on the thread that reads, and keep only the config.
            self.config = config::read(&String::from_utf8_lossy(&self.kept));
            self.over = true;
            self.kept = Vec::new();
        } else if self.kept.len() + n > config::MAX_CONFIG_BYTES {
            self.over = true;
            self.kept = Vec::new();
        } else {
            self.kept.extend_from_slice(&buf[..n]);
        }
        Ok(n)
    }
}

/// Per-input analysis state.
struct Pass<'d> {
    input: String,
    /// Negotiations per peer; each holds the signature hits that normal negotiation also
    /// prints until its outcome is known.
    negotiations: Negotiations<(String, Evidence)>,
    counters: ipsec_sa::Collector,
    routes: route::Collector<'d>,
    pings: ping::Collector<'d>,
    sessions: session::Reader<'d>,
    ikev2: ikev2::Tracker<'d>,
    /// The peer of the ASA `show crypto isakmp sa` entry being read (`IKE Peer: A`): its
    /// `State` line comes a line or two later.
    last_peer: String,
    /// Each peer's latest `show crypto isakmp sa` row, by peer.
    rows: BTreeMap<String, Row>,
}

/// A peer's phase-1 row: its state, the errors its state word is a signature of, the line.
struct Row {
    state: String,
    errors: Vec<String>,
    ev: Evidence,
}

impl<'k> Diagnoser<'k> {
    pub fn new(kb: &'k Kb) -> Result<Diagnoser<'k>, Box<dyn std::error::Error + Send + Sync>> {
        let mut patterns = Vec::new();
        let mut roles = Vec::new();
        let mut row_signature = Vec::new();
        // Each reader's trigger patterns, and the role its hits play; first, since most
        // matching lines are theirs and a line's patterns are listed in order.
        let readers: [(&[&str], Role); 8] = [
            (&[ISAKMP_STATE], Role::IsakmpState),
            (&[r"IKE Peer:\s*\S+"], Role::IsakmpPeer),
            (ipsec_sa::TRIGGERS, Role::IpsecSa),
            (negotiation::TRIGGERS, Role::Negotiation),
            (route::TRIGGERS, Role::Route),
            (ping::TRIGGERS, Role::Ping),
            (session::TRIGGERS, Role::Session),
            (ikev2::TRIGGERS, Role::Ikev2),
        ];
        for (triggers, role) in readers {
            for t in triggers {
                patterns.push(t.to_string());
                roles.push(role.clone());
                row_signature.push(false);
            }
        }
        for node in kb.nodes_of(Kind::Error) {
            if let Node::Error(e) = node {
                for s in &e.signatures {
                    patterns.push(s.clone());
                    roles.push(Role::Signature(e.id.clone()));
                    // A row signature is an address pair before a state word; a debug
                    // line that names a state (`retransmitting phase 1 MM_KEY_EXCH`) is none.
                    row_signature.push(
                        s.contains(r"(?:\d{1,3}\.){3}")
                            && ["MM_", "QM_", "AM_"].iter().any(|w| s.contains(w)),
                    );
                }
            }
        }
        // The negotiation reader's own patterns are searched with the triggers, so that a
        // debug line is searched once.
        let classes = negotiation::reading_patterns();
        roles.extend((0..classes.len()).map(Role::Reading));
        Ok(Diagnoser {
            kb,
            scanner: Scanner::with_classes(&patterns, classes)?,
            roles,
            patterns,
            state: Regex::new(ISAKMP_STATE)?,
            counters: ipsec_sa::Parser::new(),
            routes: route::Parser::new(),
            pings: ping::Parser::new(),
            sessions: session::Parser::new(),
            ikev2: ikev2::Parser::new(),
            redactor: Redactor::new(),
            row_signature,
            threads: 1,
        })
    }

    /// Search each input on this many threads (1 by default): the findings are the same
    /// whatever the number.
    pub fn with_threads(mut self, threads: usize) -> Diagnoser<'k> {
        self.threads = threads.max(1);
        self
    }

    /// The patterns scanned for, one per line (for `grep -f`, `rg -f`).
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Scan every input; `progress` is told the bytes read of the current input.
    pub fn run(
        &self,
        inputs: Vec<Input<'_>>,
        mut progress: impl FnMut(&str, u64),
    ) -> io::Result<Report> {
        let mut found = Found::default();
        let mut report = Report::default();
        let mut routing = Routing::default();
        let mut configs: Vec<(String, config::model::Config)> = Vec::new();
        let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
        let readers: Vec<Head<'_>> = inputs.into_iter().map(|i| Head::new(i.reader)).collect();
        let mut pass: Option<Pass<'_>> = None;
        let new_pass = |name: &str| Pass {
            input: name.to_string(),
            negotiations: Negotiations::new(),
            counters: self.counters.collector(),
            routes: self.routes.collector(),
            pings: self.pings.collector(),
            sessions: self.sessions.reader(),
            ikev2: self.ikev2.tracker(),
            last_peer: String::new(),
            rows: BTreeMap::new(),
        };
        self.scanner.scan_inputs(
            readers,
            self.threads,
            &|text, patterns| self.prepare(text, patterns),
            |event| match event {
                scan::Scanned::Hit { input, hit, item } => {
                    let pass = pass.get_or_insert_with(|| new_pass(&names[input]));
                    self.line(pass, &mut found, hit, item);
                }
                scan::Scanned::Progress { input, bytes } => progress(&names[input], bytes),
                scan::Scanned::End {
                    input,
                    lines,
                    reader,
                } => {
                    let pass = pass.take().unwrap_or_else(|| new_pass(&names[input]));
                    // A small input may be a running-config: it is read as one, and
                    // scanned too.
                    if let Some(cfg) = reader.config {
                        configs.push((names[input].clone(), cfg));
                    }
                    report.sas_not_followed +=
                        self.finish(pass, &mut found, &mut report.notes, &mut routing);
                    report.lines += lines;
                    report.inputs.push(names[input].clone());
                }
            },
        )?;
        routing.judge(&mut found, &self.redactor);
        self.configs(&configs, &mut found);
        report.configs = configs.len();
        report.engine = engine::conclude(self.kb, &found.facts);
        // A cause a config check proves is a finding of its own.
        for c in &report.engine.conclusions {
            if c.status != engine::Status::Confirmed {
                continue;
            }
            for b in c.because.iter().filter(|b| b.fact.starts_with("config ")) {
                let ev = Evidence {
                    input: b.source.input.clone(),
                    line: b.source.line,
                    text: b.source.text.clone(),
                };
                found.add(&c.cause, ev, None);
            }
        }
        report.facts = std::mem::take(&mut found.facts);
        report.findings = found.ranked(self.kb);
        // A consequence is not a further problem: while phase 1 is down, phase-2 SAs with
        // no traffic follow from it.
        let phase1_down = report.facts.iter().any(|o| {
            matches!(&o.fact, Fact::IsakmpSa { state, .. } if !PHASE1_UP.contains(&state.as_str()))
        });
        if phase1_down {
            report
                .findings
                .retain(|f| f.id != "sym-no-traffic-after-tunnel-up");
        }
        Ok(report)
    }

    /// The checks of each config, and of each pair of configs that point at each other, as
    /// facts. A pair is compared from both sides; the second adds only faults the first
    /// did not find (a wrong `set peer` shows from the side that has it).
    fn configs(&self, configs: &[(String, config::model::Config)], found: &mut Found) {
        let mut checks = Vec::new();
        for (name, c) in configs {
            checks.extend(config::checks::single(c, name));
        }
        for (i, (na, a)) in configs.iter().enumerate() {
            for (nb, b) in configs.iter().skip(i + 1) {
                let first = config::compare::pair((na, a), (nb, b));
                let second = config::compare::pair((nb, b), (na, a));
                let faulted = |id: &str| {
                    first
                        .iter()
                        .any(|c| c.check == id && c.verdict == config::checks::Verdict::Fault)
                };
                let extra: Vec<_> = if first.is_empty() {
                    second
                } else {
                    second
                        .into_iter()
                        .filter(|c| {
                            c.verdict == config::checks::Verdict::Fault && !faulted(c.check)
                        })
                        .collect()
                };
                checks.extend(first);
                checks.extend(extra);
            }
        }
        checks.extend(rows_against_configs(&found.facts, configs));
        for c in checks {
            let ev = Evidence {
                input: c.input.clone(),
                line: c.line,
                text: self.redactor.redact(&c.why),
            };
            found.fact(
                Fact::Config {
                    check: c.check,
                    outcome: c.verdict.word(),
                    peer: c.peer.map(|p| p.to_string()),
                },
                &ev,
            );
        }
    }

    fn evidence(&self, pass: &Pass<'_>, line: u64, text: &str) -> Evidence {
        Evidence {
            input: pass.input.clone(),
            line,
            text: self.redactor.redact(text.trim()),
        }
    }

    /// What a line says on its own: whatever does not depend on the lines before it, so
    /// that it can be read on any thread.
    fn prepare(&self, text: &[u8], patterns: &[usize]) -> Prepared {
        let valid = std::str::from_utf8(text).ok();
        let lossy = valid
            .is_none()
            .then(|| String::from_utf8_lossy(text).into_owned());
        let text = valid.or(lossy.as_deref()).unwrap_or_default();
        let wants = |f: fn(&Role) -> bool| patterns.iter().any(|&i| f(&self.roles[i]));
        let negotiation = wants(|r| match r {
            Role::Negotiation => true,
            Role::Signature(id) => NEGOTIATION_ERRORS.contains(&id.as_str()),
            _ => false,
        });
        let reading = || {
            let matched = patterns.iter().fold(0, |mask, &i| match self.roles[i] {
                Role::Reading(k) => mask | 1 << k,
                _ => mask,
            });
            negotiation::read_matched(text, matched)
        };
        let negotiation = negotiation.then(reading);
        let sa = wants(|r| matches!(r, Role::IpsecSa)).then(|| ipsec_sa::Line::read(text));
        let prepared = match (negotiation, sa) {
            (None, None) => Prepared::Nothing,
            (Some(r), None) => Prepared::Negotiation(r),
            (None, Some(l)) => Prepared::Sa(l),
            (Some(r), Some(l)) => Prepared::Both(Box::new((r, l))),
        };
        match lossy {
            Some(text) => Prepared::Lossy(Box::new((text, prepared))),
            None => prepared,
        }
    }

    fn line(&self, pass: &mut Pass<'_>, found: &mut Found, hit: scan::Hit<'_>, prepared: Prepared) {
        let (lossy, reading, sa) = prepared.into_parts();
        let text = match (lossy, std::str::from_utf8(hit.text)) {
            (Some(t), _) => std::borrow::Cow::Owned(t),
            (None, Ok(t)) => std::borrow::Cow::Borrowed(t),
            (None, Err(_)) => String::from_utf8_lossy(hit.text),
        };
        let mut errors: Vec<&str> = Vec::new();
        let mut row_errors: Vec<&str> = Vec::new();
        let (mut state, mut counters, mut negotiation) = (false, false, false);
        let (mut routes, mut pings, mut sessions, mut exchanges) = (false, false, false, false);
        for &i in hit.patterns {
            match &self.roles[i] {
                Role::Signature(id) if self.row_signature[i] => {
                    if !row_errors.contains(&id.as_str()) {
                        row_errors.push(id);
                    }
                }
                Role::Signature(id) if !errors.contains(&id.as_str()) => errors.push(id),
                Role::Signature(_) => {}
                Role::IsakmpState => state = true,
                Role::IsakmpPeer => {
                    if let Some(peer) = text.split("IKE Peer:").nth(1) {
                        pass.last_peer = peer.split_whitespace().next().unwrap_or("").to_string();
                    }
                }
                Role::IpsecSa => counters = true,
                Role::Negotiation => negotiation = true,
                Role::Route => routes = true,
                Role::Ping => pings = true,
                Role::Session => sessions = true,
                Role::Ikev2 => exchanges = true,
                Role::Reading(_) => {}
            }
        }
        // Errors that normal negotiation also prints wait for their negotiation's outcome;
        // outside a negotiation they stand on their own.
        // Errors read from the state word of a table row (MM_KEY_EXCH) belong to that row:
        // a comment that names the state is none, and a later row of the peer supersedes it.
        row_errors.retain(|id| !errors.contains(id));
        if state {
            self.isakmp_state(pass, hit.number, &text, &row_errors);
        }
        // The line's negotiation first, so that a line that opens one is held by it.
        let mut reading = reading;
        if negotiation {
            let reading = reading.get_or_insert_with(|| negotiation::read(&text));
            if let Some(outcome) = pass.negotiations.feed_reading(hit.number, &text, reading) {
                self.outcome(pass, found, outcome);
            }
        }
        if exchanges {
            self.exchange(pass, found, hit.number, &text);
        }
        // IKEv2 notifies read in the exchange they arrived in.
        let (exchange, ikev2_peer) = if errors.is_empty() {
            (None, None)
        } else {
            let owned = |s: Option<&str>| s.map(str::to_string);
            (owned(pass.ikev2.exchange()), owned(pass.ikev2.peer()))
        };
        // One retransmission is a slow answer, not a failure: in a log, what counts is the
        // state the SA is left in and the line that gives up ("Death by retransmission
        // P1"). Search still explains a pasted retransmission line.
        let retransmission = !errors.is_empty() && contains_ci(&text, "retransmitting phase");
        errors.retain(|id| {
            // INVALID_KE_PAYLOAD in IKE_SA_INIT asks the initiator for another DH group:
            // a normal retry, not a PFS mismatch.
            let dh_retry = *id == "err-pfs-mismatch"
                && text.contains("INVALID_KE_PAYLOAD")
                && exchange.as_deref() == Some("IKE_SA_INIT");
            !dh_retry && !retransmission
        });
        for id in &errors {
            if let Some(notify) = ikev2_notify(id) {
                let ev = self.evidence(pass, hit.number, &text);
                notify_facts(found, &ev, id, notify, exchange.as_deref(), &ikev2_peer);
            }
        }
        for id in errors {
            let ev = self.evidence(pass, hit.number, &text);
            let error = (id.to_string(), ev);
            let stands = if NEGOTIATION_ERRORS.contains(&id) {
                let reading = reading.get_or_insert_with(|| negotiation::read(&text));
                pass.negotiations.hold_reading(hit.number, reading, error)
            } else {
                Some(error)
            };
            if let Some((id, ev)) = stands {
                found.add(&id, ev, None);
                if ikev2_notify(&id).is_some() && text.contains("NOTIFY(") {
                    found.peer(&id, ikev2_peer.as_deref());
                }
            }
        }
        if counters {
            match &sa {
                Some(sa) => pass.counters.feed_read(hit.number, &text, sa),
                None => pass.counters.feed(hit.number, &text),
            }
        }
        if routes {
            pass.routes.feed(hit.number, &text);
        }
        if pings {
            pass.pings.feed(hit.number, &text);
        }
        if sessions {
            match pass.sessions.feed(hit.number, &text) {
                Some(session::Read::State {
                    peer,
                    state,
                    line,
                    text,
                }) if pass.rows.len() < ROWS_KEPT || pass.rows.contains_key(&peer) => {
                    let ev = self.evidence(pass, line, &text);
                    pass.rows.insert(
                        peer,
                        Row {
                            state,
                            errors: Vec::new(),
                            ev,
                        },
                    );
                }
                Some(session::Read::Bytes { peer, tx, rx, line }) => {
                    pass.counters.session(&peer, tx, rx, line);
                }
                _ => {}
            }
        }
    }

    /// A line of `debug crypto ikev2`: a request given up on says who stopped answering;
    /// a child SA's selectors in a response, that phase 2 succeeded.
    fn exchange(&self, pass: &mut Pass<'_>, found: &mut Found, number: u64, text: &str) {
        let Some(event) = pass.ikev2.feed(text) else {
            return;
        };
        let ev = self.evidence(pass, number, text);
        match event {
            ikev2::Event::GaveUp {
                peer,
                port,
                exchange,
            } => {
                let (id, detail) = match exchange.as_str() {
                    "INFORMATIONAL" => (
                        "err-dpd-peer-dead",
                        format!("the peer {peer} stopped answering the liveness check (DPD)"),
                    ),
                    "IKE_AUTH" if port == 4500 => (
                        "err-natt-blocked",
                        format!("IKE_AUTH to {peer} on UDP 4500 was never answered"),
                    ),
                    _ => return,
                };
                found.add(id, ev, Some(detail));
                found.peer(id, Some(&peer));
            }
            ikev2::Event::ChildUp { peer } => found.fact(
                Fact::Negotiation {
                    phase: 2,
                    succeeded: true,
                    peer: Some(peer),
                },
                &ev,
            ),
        }
    }

    /// A negotiation ended: a failure brings out what it held and names its cause.
    fn outcome(
        &self,
        pass: &Pass<'_>,
        found: &mut Found,
        outcome: negotiation::Outcome<(String, Evidence)>,
    ) {
        if let Some((n, t)) = outcome.evidence.last() {
            let fact = Fact::Negotiation {
                phase: match outcome.phase {
                    Phase::One => 1,
                    Phase::Two => 2,
                },
                succeeded: outcome.succeeded,
                peer: outcome.peer.clone(),
            };
            // A hub's log repeats each peer's outcome thousands of times: the line of a
            // fact already known is not redacted for nothing.
            if !found.knows(&fact) {
                let ev = self.evidence(pass, *n, t);
                found.fact(fact, &ev);
            }
        }
        if outcome.succeeded {
            return;
        }
        for (id, ev) in outcome.held {
            found.add(&id, ev, None);
            found.peer(&id, outcome.peer.as_deref());
        }
        // A failed phase 1 is a policy mismatch; a failed phase 2 is the transform
        // sets' only when a transform was refused (proxy-identity failures have
        // error messages of their own).
        let cause = match outcome.phase {
            Phase::One => "cause-phase1-policy-mismatch",
            Phase::Two if outcome.transforms_refused => "cause-transform-set-mismatch",
            Phase::Two => return,
        };
        let mut evidence = outcome
            .evidence
            .iter()
            .map(|(n, t)| self.evidence(pass, *n, t));
        if let Some(first) = evidence.next() {
            found.add(cause, first, Some(outcome.detail.clone()));
            found.peer(cause, outcome.peer.as_deref());
            found.extend_evidence(cause, evidence);
        }
    }

    /// A `show crypto isakmp sa` row: QM_IDLE / MM_ACTIVE are healthy, MM_NO_STATE and
    /// MM_KEY_EXCH are error signatures of their own; any other state means the SA is
    /// stuck on its way up (an ASA waiting in MM_WAIT_MSG2 hears nothing from its peer).
    fn isakmp_state(&self, pass: &mut Pass<'_>, number: u64, text: &str, errors: &[&str]) {
        // Debug lines name states too ("New State = …"), and so do comments and prose in
        // a transcript: only table rows count.
        let trimmed = text.trim_start();
        if text.contains("ISAKMP")
            || contains_ci(text, "state =")
            || trimmed.starts_with(['!', '#'])
            || !is_table_row(text)
        {
            return;
        }
        let Some(m) = self.state.find(text) else {
            return;
        };
        let state = m.as_str();
        // A peer's row waits for the end of the input: a later paste of the table (the SA
        // went on from MM_WAIT_MSG2 to MM_ACTIVE) supersedes it.
        let peer = row_peer(text).unwrap_or_else(|| pass.last_peer.clone());
        if pass.rows.len() >= ROWS_KEPT && !pass.rows.contains_key(&peer) {
            return;
        }
        let ev = self.evidence(pass, number, text);
        pass.rows.insert(
            peer,
            Row {
                state: state.to_string(),
                errors: errors.iter().map(|e| e.to_string()).collect(),
                ev,
            },
        );
    }

    /// Each peer's latest phase-1 row: a fact, its error signatures (MM_KEY_EXCH), and a
    /// stuck state as a finding.
    fn rows(&self, pass: &mut Pass<'_>, found: &mut Found) {
        for (peer, row) in std::mem::take(&mut pass.rows) {
            found.fact(
                Fact::IsakmpSa {
                    peer: peer.clone(),
                    state: row.state.clone(),
                },
                &row.ev,
            );
            for id in &row.errors {
                found.add_read(id, row.ev.clone(), None, true);
                found.peer(id, Some(&peer));
            }
            // Up, or not up for a reason of its own: MM_NO_STATE and MM_KEY_EXCH are error
            // signatures; UP-NO-IKE is IPsec up with the IKE SA gone; DOWN is a crypto map
            // tunnel no traffic has asked for; DELETE is an SA a rekey replaces.
            if PHASE1_UP.contains(&row.state.as_str())
                || matches!(
                    row.state.as_str(),
                    "MM_NO_STATE" | "MM_KEY_EXCH" | "UP-NO-IKE" | "DOWN" | "DELETE"
                )
            {
                continue;
            }
            found.add(
                "sym-tunnel-not-established",
                row.ev,
                Some(format!("an ISAKMP SA is stuck in {}", row.state)),
            );
            found.peer("sym-tunnel-not-established", Some(&peer));
        }
    }

    fn finish(
        &self,
        mut pass: Pass<'_>,
        found: &mut Found,
        notes: &mut Vec<Note>,
        routing: &mut Routing,
    ) -> u64 {
        self.rows(&mut pass, found);
        for p in pass.pings.take() {
            let ev = self.evidence(&pass, p.line, &p.text);
            found.fact(
                Fact::Ping {
                    target: p.target.to_string(),
                    succeeded: !p.failed(),
                },
                &ev,
            );
            if p.failed() && routing.unreached.len() < route::MAX_ROUTES {
                routing.unreached.insert(p.target);
            }
        }
        // A negotiation the log ends in the middle of: its mismatches stand, unless its
        // accepted offer was never refused.
        for outcome in pass.negotiations.finish_all() {
            self.outcome(&pass, found, outcome);
        }
        let blocks = pass.counters.finish();
        let not_followed = blocks.skipped;
        let table = pass.routes.take();
        for l in table.lookups.iter().filter(|l| !l.found) {
            if routing.unreached.len() < route::MAX_ROUTES {
                routing.unreached.insert(l.dest);
            }
        }
        if !table.is_empty() {
            let mut sides: Vec<route::Side> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for pair in blocks.iter() {
                let sa = pair.last.as_ref().unwrap_or(&pair.first);
                if let Some(local) = route::ident_net(&sa.local) {
                    let side = route::Side {
                        local,
                        interface: sa.interface.clone(),
                    };
                    if seen.insert(side.clone()) {
                        sides.push(side);
                    }
                }
            }
            if !sides.is_empty() {
                routing.tables.push((pass.input.clone(), table, sides));
            }
        }
        for pair in blocks.iter() {
            let verdict = ipsec_sa::verdict(&pair);
            let sa = &pair.first;
            found.fact(
                Fact::IpsecSa {
                    sa: sa.key.clone(),
                    traffic: verdict.traffic,
                },
                &Evidence {
                    input: pass.input.clone(),
                    line: sa.line,
                    text: counters_text(sa),
                },
            );
            for counter in &verdict.dropped {
                found.fact(
                    Fact::IpsecDrop {
                        sa: sa.key.clone(),
                        counter,
                    },
                    &Evidence {
                        input: pass.input.clone(),
                        line: sa.line,
                        text: format!(
                            "#pkts replay failed (rcv): {}, #pkts verify failed: {}",
                            sa.replay_failed, sa.verify_failed
                        ),
                    },
                );
            }
            // An idle SA with zero counters is healthy: nothing was sent through it.
            if verdict.traffic == Traffic::None {
                continue;
            }
            if verdict.traffic == Traffic::Reset {
                // Counters that go backwards are not a traffic problem: they were cleared
                // between the two pastes, or the pastes are out of order.
                if notes.len() < NOTES_KEPT {
                    notes.push(Note {
                        what: NoteKind::CountersWentBackwards,
                        subject: sa.key.clone(),
                        detail: verdict.evidence.clone(),
                        evidence: Evidence {
                            input: pass.input.clone(),
                            line: sa.line,
                            text: counters_text(sa),
                        },
                    });
                }
                continue;
            }
            let id = match verdict.traffic {
                Traffic::Both | Traffic::Reset => continue,
                Traffic::EncapsOnly | Traffic::DecapsOnly => "sym-traffic-one-direction",
                Traffic::None => "sym-no-traffic-after-tunnel-up",
                Traffic::Errors => "sym-intermittent-packet-errors",
            };
            let what = match verdict.traffic {
                Traffic::EncapsOnly => "packets are encrypted and sent, none come back",
                Traffic::DecapsOnly => "packets arrive and are decrypted, none go back",
                Traffic::None => "no packet is encrypted or decrypted",
                _ => "send or receive errors",
            };
            let sa_name = sa
                .key
                .trim_matches(|c: char| c == ' ' || c == '→' || c == '@');
            let detail = if sa.local == "vpn-sessiondb" {
                // An ASA session's counters are bytes, not packets.
                let figures = verdict
                    .evidence
                    .replace("#pkts encaps", "Bytes Tx")
                    .replace("#pkts decaps", "Bytes Rx");
                format!("session with {}: {what} ({figures})", sa.peer_or_key())
            } else if sa_name.is_empty() {
                format!("{what} ({})", verdict.evidence)
            } else {
                format!("SA {}: {what} ({})", sa.key, verdict.evidence)
            };
            let ev = Evidence {
                input: pass.input.clone(),
                line: sa.line,
                text: counters_text(sa),
            };
            found.add(id, ev, Some(detail));
        }
        not_followed
    }
}

/// A phase-1 row that names a configured peer (`set peer` with a key for it): the address
/// is right, whatever else is wrong (MM_KEY_EXCH with the right peer is the key's fault).
fn rows_against_configs(
    facts: &[Observed],
    configs: &[(String, config::model::Config)],
) -> Vec<config::checks::Check> {
    let mut out = Vec::new();
    for o in facts {
        let Fact::IsakmpSa { peer, state } = &o.fact else {
            continue;
        };
        let addrs: Vec<std::net::Ipv4Addr> = peer
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        for (name, c) in configs {
            let own: Vec<_> = c.addresses().map(|(a, _)| a).collect();
            for e in &c.entries {
                let Some(p) = e
                    .peers
                    .iter()
                    .find(|p| addrs.contains(p) && !own.contains(p))
                else {
                    continue;
                };
                let Some(k) = c
                    .keys
                    .iter()
                    .find(|k| k.peer.is_some_and(|n| n.prefix_len() > 0 && n.contains(p)))
                else {
                    continue;
                };
                out.push(config::checks::Check {
                    check: "peer-address",
                    verdict: config::checks::Verdict::Ok,
                    peer: Some(p.to_string()).and_then(|s| s.parse().ok()),
                    input: name.clone(),
                    line: e.peer_line.max(e.line),
                    why: format!(
                        "{name}:{} sets peer {p}, with a key at {name}:{}; {}:{} shows {state} with {p}: the address is right",
                        e.peer_line.max(e.line),
                        k.line,
                        o.source.input,
                        o.source.line
                    ),
                });
            }
        }
    }
    out
}

/// The routing evidence of every input, judged once all are read: a ping that fails on one
/// device is answered by the routing table of the device behind which its target lives.
#[derive(Default)]
struct Routing {
    /// Destinations that could not be reached: failed pings, failed route lookups.
    unreached: std::collections::BTreeSet<std::net::Ipv4Addr>,
    /// Each input's routes, with the networks its SAs protect.
    tables: Vec<(String, route::Table, Vec<route::Side>)>,
}

impl Routing {
    /// A route fact per unreached destination that some input's table can judge. Once a
    /// route is missing, routes that are present say nothing more.
    fn judge(self, found: &mut Found, redactor: &Redactor) {
        let mut verdicts = Vec::new();
        for dest in &self.unreached {
            for (input, table, sides) in &self.tables {
                if let Some(v) = route::judge(table, sides, *dest) {
                    verdicts.push((input, v));
                }
            }
        }
        let any_missing = verdicts.iter().any(|(_, v)| v.missing);
        for (input, v) in verdicts {
            if any_missing && !v.missing {
                continue;
            }
            found.fact(
                Fact::Route {
                    dest: v.dest.to_string(),
                    missing: v.missing,
                },
                &Evidence {
                    input: input.clone(),
                    line: v.line,
                    text: redactor.redact(&v.text),
                },
            );
        }
    }
}

/// An SA's counters as the evidence line quotes them; an ASA session's are bytes.
fn counters_text(sa: &ipsec_sa::SaCounters) -> String {
    if sa.local == "vpn-sessiondb" {
        format!("Bytes Tx: {}, Bytes Rx: {}", sa.encaps, sa.decaps)
    } else {
        format!("#pkts encaps: {}, #pkts decaps: {}", sa.encaps, sa.decaps)
    }
}

/// Errors that are IKEv2 notifies (`NOTIFY(NO_PROPOSAL_CHOSEN)`), with the notify: the
/// exchange they arrive in says which phase failed.
const IKEV2_NOTIFY_ERRORS: &[(&str, &str)] = &[
    ("err-ikev2-no-proposal-chosen", "NO_PROPOSAL_CHOSEN"),
    ("err-ikev2-ts-unacceptable", "TS_UNACCEPTABLE"),
    ("err-pfs-mismatch", "INVALID_KE_PAYLOAD"),
    ("err-ikev2-auth-failed", "AUTHENTICATION_FAILED"),
];

/// The IKEv2 notify an error is, if it is one.
fn ikev2_notify(id: &str) -> Option<&'static str> {
    IKEV2_NOTIFY_ERRORS
        .iter()
        .find(|(e, _)| *e == id)
        .map(|(_, n)| *n)
}

/// The facts of a notify error read in its exchange: the refused exchange itself, and the
/// phase it fails (a NO_PROPOSAL_CHOSEN in IKE_SA_INIT fails phase 1; a refusal in
/// IKE_AUTH or CREATE_CHILD_SA other than authentication fails phase 2).
fn notify_facts(
    found: &mut Found,
    ev: &Evidence,
    id: &str,
    notify: &'static str,
    exchange: Option<&str>,
    peer: &Option<String>,
) {
    if ev.text.contains("NOTIFY(") {
        let phase = match exchange {
            Some("IKE_SA_INIT") if id == "err-ikev2-no-proposal-chosen" => Some(1),
            Some("IKE_AUTH" | "CREATE_CHILD_SA") if id != "err-ikev2-auth-failed" => Some(2),
            _ => None,
        };
        if let Some(phase) = phase {
            found.fact(
                Fact::Negotiation {
                    phase,
                    succeeded: false,
                    peer: peer.clone(),
                },
                ev,
            );
        }
    }
    if let Some(exchange) = exchange.filter(|_| ev.text.contains(notify)) {
        found.fact(
            Fact::Exchange {
                exchange: exchange.to_string(),
                notify,
                peer: peer.clone(),
            },
            ev,
        );
    }
}

/// Whether a line holding a state word is a row of a `show crypto isakmp sa` table: IOS
/// (`dst src state conn-id …`, IPv6 rows too), PIX (`dst src state pending created`), or
/// the ASA's `State : MM_ACTIVE` line under `IKE Peer:`. Prose that merely names a state
/// ("the SA sat in MM_NO_STATE") is none of these.
fn is_table_row(text: &str) -> bool {
    let t = text.trim();
    if t.starts_with("State") || t.contains("State   :") || t.contains("State :") {
        return true;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    let addresses = words.iter().filter(|w| looks_like_address(w)).count();
    addresses >= 2
        || (addresses == 1 && words.len() <= 8 && words.iter().any(|w| w.parse::<u64>().is_ok()))
}

fn looks_like_address(word: &str) -> bool {
    let w = word.trim_matches(|c: char| c == ',' || c == '[' || c == ']');
    w.parse::<std::net::IpAddr>().is_ok()
        || w.split_once('/')
            .is_some_and(|(a, _)| a.parse::<std::net::IpAddr>().is_ok())
}

/// The peer of a table row: its addresses, as the row gives them (`dst src`).
fn row_peer(text: &str) -> Option<String> {
    let addrs: Vec<&str> = text
        .split_whitespace()
        .filter(|w| looks_like_address(w))
        .collect();
    (!addrs.is_empty()).then(|| addrs.join(" "))
}

/// Findings being gathered, by node ID, and the distinct facts behind them; bounded memory
/// whatever the input size.
#[derive(Default)]
struct Found {
    by_id: BTreeMap<String, Finding>,
    facts: Vec<Observed>,
    /// Which facts are in `facts`: a fact is kept once, where it was seen first, except a
    /// phase-1 row, whose latest state supersedes the earlier.
    known: std::collections::HashMap<Fact, usize>,
    /// Where each peer's phase-1 row is in `facts`.
    peers: std::collections::HashMap<String, usize>,
}

impl Found {
    /// Whether `fact` is known already, so that [`Found::fact`] would add nothing (a
    /// phase-1 row always adds: a later row of a peer supersedes its earlier one).
    fn knows(&self, fact: &Fact) -> bool {
        !matches!(fact, Fact::IsakmpSa { .. }) && self.known.contains_key(fact)
    }

    fn fact(&mut self, fact: Fact, ev: &Evidence) {
        let source = Source {
            input: ev.input.clone(),
            line: ev.line,
            text: ev.text.clone(),
        };
        if let Fact::IsakmpSa { peer, .. } = &fact {
            // The same peer again: a later paste of the table.
            if let Some(&i) = self.peers.get(peer) {
                self.known.remove(&self.facts[i].fact);
                self.known.insert(fact.clone(), i);
                self.facts[i] = Observed { fact, source };
                return;
            }
            if self.facts.len() < FACTS_KEPT {
                self.peers.insert(peer.clone(), self.facts.len());
            }
        }
        if self.known.contains_key(&fact) {
            return;
        }
        // Past the bound, further distinct facts are not reasoned over (memory stays flat);
        // the findings still count every line.
        if self.facts.len() >= FACTS_KEPT {
            return;
        }
        self.known.insert(fact.clone(), self.facts.len());
        self.facts.push(Observed { fact, source });
    }

    fn add(&mut self, id: &str, ev: Evidence, detail: Option<String>) {
        self.add_read(id, ev, detail, false);
    }

    /// `from_state`: the error was read from a phase-1 row's state word.
    fn add_read(&mut self, id: &str, ev: Evidence, detail: Option<String>, from_state: bool) {
        if id.starts_with("err-") {
            self.fact(
                Fact::Error {
                    id: id.to_string(),
                    from_state,
                },
                &ev,
            );
        }
        let f = self.by_id.entry(id.to_string()).or_insert_with(|| Finding {
            id: id.to_string(),
            kind: Kind::Error,
            count: 0,
            first: ev.clone(),
            last: ev.clone(),
            evidence: Vec::new(),
            details: Vec::new(),
            peers: BTreeMap::new(),
        });
        f.count += 1;
        if f.evidence.len() < EVIDENCE_KEPT {
            f.evidence.push(ev.clone());
        }
        f.last = ev;
        if let Some(d) = detail {
            if f.details.len() < EVIDENCE_KEPT && !f.details.contains(&d) {
                f.details.push(d);
            }
        }
    }

    /// The latest occurrence of `id` was `peer`'s.
    fn peer(&mut self, id: &str, peer: Option<&str>) {
        let (Some(f), Some(peer)) = (self.by_id.get_mut(id), peer) else {
            return;
        };
        if let Some(n) = f.peers.get_mut(peer) {
            *n += 1;
        } else if f.peers.len() < PEERS_KEPT {
            f.peers.insert(peer.to_string(), 1);
        }
    }

    fn extend_evidence(&mut self, id: &str, evidence: impl Iterator<Item = Evidence>) {
        if let Some(f) = self.by_id.get_mut(id) {
            for ev in evidence {
                if f.evidence.len() < EVIDENCE_KEPT * 2 {
                    f.evidence.push(ev.clone());
                }
                f.last = ev;
            }
        }
    }

    /// Strongest evidence first: root causes read from a failed negotiation (they say what
    /// to fix), then more occurrences, then the earlier one.
    fn ranked(self, kb: &Kb) -> Vec<Finding> {
        let mut out: Vec<Finding> = self
            .by_id
            .into_values()
            .filter_map(|mut f| {
                f.kind = kb.node(&f.id)?.kind();
                Some(f)
            })
            .collect();
        out.sort_by(|a, b| {
            (a.kind != Kind::Cause)
                .cmp(&(b.kind != Kind::Cause))
                .then(b.count.cmp(&a.count))
                .then((&a.first.input, a.first.line).cmp(&(&b.first.input, b.first.line)))
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::KbSource;

    fn diagnose(text: &str) -> Report {
        let kb = Kb::open(&KbSource::Embedded).unwrap();
        let d = Diagnoser::new(&kb).unwrap();
        d.run(
            vec![Input {
                name: "paste".into(),
                reader: Box::new(text.as_bytes()),
            }],
            |_, _| {},
        )
        .unwrap()
    }

    fn ids(r: &Report) -> Vec<&str> {
        r.findings.iter().map(|f| f.id.as_str()).collect()
    }

    #[test]
    fn healthy_output_has_no_finding() {
        let healthy = "\
dst          src          state      conn-id    slot
10.1.0.2    10.1.0.1    QM_IDLE    1          0
interface: outside
  local ident (addr/mask/prot/port): (10.1.0.0/255.255.255.0/0/0)
  remote ident (addr/mask/prot/port): (10.1.0.2/255.255.255.255/0/0)
  current_peer: 10.2.1.1
  #pkts encaps: 345, #pkts encrypt: 345, #pkts digest 0
  #pkts decaps: 366, #pkts decrypt: 366, #pkts verify 0
  #pkts decompress failed: 0, #send errors 0, #recv errors 0
";
        assert!(
            diagnose(healthy).findings.is_empty(),
            "{:?}",
            diagnose(healthy).findings
        );
    }

    #[test]
    fn errors_states_and_counters() {
        let text = "\
Sep 22 11:02:39 gw 12: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=2
Total      : 2
Embryonic : 1
      dst          src          state    pending    created
192.168.254.250  10.177.243.187  MM_KEY_EXCH  0          0
198.51.100.7  203.0.113.1  MM_WAIT_MSG2  0          0
    #pkts encaps: 120, #pkts encrypt: 120, #pkts digest: 120
    #pkts decaps: 0, #pkts decrypt: 0, #pkts verify: 0
    #send errors: 0, #recv errors: 0
Sep 22 11:09:39 gw 13: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=2
";
        let r = diagnose(text);
        assert_eq!(r.lines, 10);
        let found = ids(&r);
        assert_eq!(
            found[0], "err-replay-check-failed",
            "most frequent first: {found:?}"
        );
        assert!(found.contains(&"err-mm-key-exch"));
        assert!(found.contains(&"sym-tunnel-not-established"));
        assert!(found.contains(&"sym-traffic-one-direction"));
        let replay = &r.findings[0];
        assert_eq!(
            (replay.count, replay.first.line, replay.last.line),
            (2, 1, 10)
        );
    }

    #[test]
    fn negotiation_is_judged_by_its_outcome() {
        // The tech note's PIX debug: offers rejected, then accepted: nothing to report.
        let normal = "\
ISAKMP : Checking IPsec proposal 1
ISAKMP: transform 1, ESP_DES
IPSEC(validate_proposal): transform proposal (prot 3, trans 2, hmac_alg 1) not supported
ISAKMP (0): atts not acceptable. Next payload is 0
ISAKMP : Checking IPsec proposal 2
ISAKMP: transform 1, ESP_3DES
ISAKMP (0): atts are acceptable.
";
        assert!(diagnose(normal).findings.is_empty());
        let failed = "\
ISAKMP (0:1): Checking ISAKMP transform 1 against priority 65535 policy
ISAKMP:      encryption 3DES-CBC
ISAKMP:      hash MD5
ISAKMP (0:1): Encryption algorithm offered does not match policy!
ISAKMP (0:1): atts are not acceptable. Next payload is 0
ISAKMP (0:1): no offers accepted!
";
        let r = diagnose(failed);
        let found = ids(&r);
        assert!(
            found.contains(&"err-algorithm-offered-mismatch"),
            "{found:?}"
        );
        let cause = r
            .findings
            .iter()
            .find(|f| f.id == "cause-phase1-policy-mismatch")
            .unwrap();
        assert!(
            cause.details[0].contains("disagree on encryption"),
            "{:?}",
            cause.details
        );
    }

    #[test]
    fn negotiation_errors_outside_a_negotiation_stand() {
        let text = "\
ISAKMP (0:1): Hash algorithm offered does not match policy!
ISAKMP : Checking IPsec proposal 1
ISAKMP (0): atts are acceptable.
";
        assert!(ids(&diagnose(text)).contains(&"err-algorithm-offered-mismatch"));
    }

    #[test]
    fn keys_in_evidence_are_redacted() {
        let r = diagnose("%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 10.0.0.1 failed its sanity check or is malformed; crypto isakmp key s3cret address 10.0.0.1\n");
        assert!(r.findings[0].evidence[0].text.contains("<redacted>"));
        assert!(!r.findings[0].evidence[0].text.contains("s3cret"));
    }
}
