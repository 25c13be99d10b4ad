//! Reading IKE negotiations in `debug crypto isakmp` / `debug crypto ipsec` output.
//!
//! Each `Checking ISAKMP transform N against priority M policy` block lists the offered
//! attributes and ends with a verdict; likewise `Checking IPsec proposal N`. As the tech
//! note's PIX debug shows, a rejected offer followed by an accepted one is normal
//! negotiation: a negotiation is judged by its outcome. A failed phase 1 names the
//! attributes the peers disagree on (encryption, hash, Diffie-Hellman group,
//! authentication, lifetime); a failed phase 2 lists the transforms that were refused.
//!
//! A hub negotiates with many peers at once and their debug output interleaves packet by
//! packet, so negotiations are followed per peer: a refused offer is settled by the same
//! peer's acceptance or verdict, never by another peer's (issue 11). A line's peer is what
//! the line names — PIX `crypto_isakmp_process_block: src …, dest …`, IOS `received packet
//! from …` and `(local … remote …)`, the ASA's `IP = …` — or its IKE connection ID (IOS 12
//! `ISAKMP (0:N)`, IOS 15 / IOS-XE `ISAKMP:(N)`), bound to the peer when a line shows both
//! or, while the ID is new, to the peer of the packet it appears in. `ISAKMP:(0)` means "no
//! ID yet", so IOS 15's early offers and its later verdict under `ISAKMP:(1001)` are one
//! negotiation. Lines that carry neither (attributes, `IPSEC(…)` lines) belong to the packet
//! being processed: IOS, PIX and ASA print one packet's processing without interruption.

use crate::evidence::{contains_ci, find_ci};
use regex::{Captures, Regex, RegexSet};
use std::collections::{BTreeMap, HashMap, VecDeque};

/// The most negotiations followed at once. A hub's debug has a few dozen open at any time;
/// when a log opens more, the one silent the longest is dropped and counted in
/// [`Negotiations::not_judged`], so memory stays constant whatever the input's size
/// (each open negotiation keeps at most a few kilobytes: the caps below).
pub const MAX_OPEN: usize = 4096;
/// Connection ID → peer bindings kept; an older one is forgotten and learnt again from the
/// next line that shows both.
const MAX_BINDINGS: usize = 8192;
/// Our own addresses, learnt from `(local … remote …)` and the PIX's `process_block` lines.
const MAX_LOCALS: usize = 8;
/// How close (in lines) a new connection ID must follow the line that named its peer to be
/// bound to it: the packet that assigns the ID names the peer a few lines earlier.
const HANDOVER_LINES: u64 = 50;
/// Evidence lines kept per negotiation: the first ones and the latest.
const EVIDENCE_KEPT: usize = 12;
/// Offers kept per negotiation (the first ones and the latest) and attributes per offer.
const OFFERS_KEPT: usize = 8;
const ATTRIBUTES_KEPT: usize = 12;
/// Items kept with one negotiation by [`Negotiations::hold`]; further ones are dropped.
const HELD_KEPT: usize = 16;
/// Bytes of a line kept as evidence.
const TEXT_KEPT: usize = 512;

/// The phase a negotiation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    One,
    Two,
}

/// A negotiation that ended, with its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome<H = ()> {
    pub phase: Phase,
    pub succeeded: bool,
    /// (line number, line) of the lines that show what happened.
    pub evidence: Vec<(u64, String)>,
    /// What the peers disagree on, for a failure ("hash: offered MD5").
    pub detail: String,
    /// Phase 2: a transform was refused ("transform proposal … not supported", the ASA's
    /// "All IPSec SA proposals found unacceptable"), so the failure is the transform
    /// sets', not the proxy identities'.
    pub transforms_refused: bool,
    /// The peer's address, when the debug names it.
    pub peer: Option<String>,
    /// What was held with this negotiation ([`Negotiations::hold`]), in order.
    pub held: Vec<H>,
}

#[derive(Debug, Default)]
struct Offer {
    /// e.g. "transform 1 against priority 1 policy" or "proposal 1".
    name: String,
    /// Offered attributes in order: (attribute, value).
    attributes: Vec<(String, String)>,
    /// Attributes a "… offered does not match policy" line named.
    mismatched: Vec<String>,
    rejected: bool,
    /// Phase 2: "atts are acceptable". IOS then still checks the transform against the
    /// crypto map ("transform proposal not supported for identity"), so an accepted offer
    /// can be rejected after all.
    accepted: bool,
}

/// Who a line is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Peer(String),
    /// A connection ID not yet bound to a peer.
    Conn(u64),
    /// A paste that names neither (a fragment of one negotiation).
    Unnamed,
}

struct Open<H> {
    phase: Phase,
    offers: Vec<Offer>,
    evidence: Vec<(u64, String)>,
    held: Vec<H>,
    transforms_refused: bool,
    /// When it was last fed a line: its place in `Negotiations::order`.
    stamp: u64,
    /// When it was opened: the order of the negotiations still open at the end.
    opened: u64,
}

impl<H> Open<H> {
    fn new(phase: Phase, clock: u64) -> Open<H> {
        Open {
            phase,
            offers: Vec::new(),
            evidence: Vec::new(),
            held: Vec::new(),
            transforms_refused: false,
            stamp: clock,
            opened: clock,
        }
    }

    /// The latest offer was accepted and not refused since: the negotiation succeeded
    /// unless a verdict says otherwise.
    fn accepted(&self) -> bool {
        self.offers
            .last()
            .is_some_and(|o| o.accepted && !o.rejected)
    }

    fn refused(&self) -> bool {
        self.offers
            .iter()
            .any(|o| o.rejected || !o.mismatched.is_empty())
    }

    fn push_evidence(&mut self, number: u64, text: String) {
        if self.evidence.len() >= EVIDENCE_KEPT {
            self.evidence.pop();
        }
        self.evidence.push((number, text));
    }

    fn push_offer(&mut self, offer: Offer) {
        if self.offers.len() >= OFFERS_KEPT {
            self.offers.pop();
        }
        self.offers.push(offer);
    }

    fn last_offer(&mut self) -> &mut Offer {
        if self.offers.is_empty() {
            self.offers.push(Offer {
                name: "offer".into(),
                ..Offer::default()
            });
        }
        self.offers.last_mut().expect("an offer was just ensured")
    }

    /// Take over what another record of the same negotiation saw (its lines came under a
    /// connection ID before the ID was bound to this peer).
    fn absorb(&mut self, other: Open<H>) {
        for (n, t) in other.evidence {
            self.push_evidence(n, t);
        }
        self.evidence.sort_by_key(|(n, _)| *n);
        for o in other.offers {
            self.push_offer(o);
        }
        for h in other.held {
            if self.held.len() < HELD_KEPT {
                self.held.push(h);
            }
        }
        self.transforms_refused |= other.transforms_refused;
        self.opened = self.opened.min(other.opened);
    }
}

/// What one line says about a negotiation.
enum Event {
    /// The start of an offer's check.
    Check(Phase, String),
    /// The ASA's "processing IPSec SA payload": phase 2 offers are about to be checked.
    Begin(Phase),
    /// "Hash algorithm offered does not match policy!".
    Mismatch(&'static str),
    /// The ASA's "Phase 1 failure: Mismatched attribute types for class …": one policy
    /// refused the offer; another may accept it.
    PolicyMismatch {
        attribute: &'static str,
        offered: String,
        configured: String,
    },
    /// A phase 1 attribute of the offer being checked.
    Attribute(&'static str, String),
    /// A phase 2 transform or authenticator of the offer being checked.
    Transform(&'static str, String),
    /// The offer being checked is refused.
    Refused {
        transform: bool,
    },
    /// "atts are acceptable".
    Accepted,
    /// The ASA's "IKE|IPSec SA Proposal # N, Transform # M acceptable".
    ProposalAccepted(Phase, String),
    Authenticated,
    /// "New State = IKE_QM_PHASE2_COMPLETE", the ASA's "PHASE 2 COMPLETED".
    Complete(Phase),
    /// A verdict: the negotiation failed. `alone`: the line is the whole negotiation when
    /// nothing before it was seen (the ASA prints no offer checks below level 255).
    Failed {
        phase: Option<Phase>,
        transforms: bool,
        alone: bool,
    },
}

/// Who a line is about, before anything is learnt from it.
struct Located {
    key: Key,
    /// A connection ID and the peer it belongs to.
    bind: Option<(u64, String)>,
    /// One of our addresses.
    local: Option<String>,
    /// A PIX `process_block` (src, dest).
    pair: Option<(String, String)>,
}

/// What a line says on its own, before the lines around it place it: read on any thread
/// with [`read`], then fed in order with [`Negotiations::feed_reading`].
pub struct Reading {
    event: Option<Event>,
    named: Named,
    conn: Option<u64>,
}

/// The addresses a line names.
enum Named {
    Nothing,
    /// IOS `received packet from A`, the ASA's `IP = A`, …
    Peer(String),
    /// A PIX `process_block: src S, dest D`.
    Pair(String, String),
    /// `(local L remote R)`.
    LocalRemote(String, String),
}

/// Read one line: what it says about a negotiation, and whom it names.
pub fn read(line: &str) -> Reading {
    let re = Patterns::get();
    let set = re.set().matches(line);
    read_matched(line, set.iter().fold(0, |mask, i| mask | 1 << i))
}

/// The patterns a line is read with ([`read_matched`]): a caller that already searches each
/// line with a `RegexSet` can add them to it and save a second search.
pub fn reading_patterns() -> &'static [String] {
    &Patterns::get().sources
}

/// [`read`] for a line known to match exactly the [`reading_patterns`] whose bits are set
/// in `matched` (bit `i` for pattern `i`).
pub fn read_matched(line: &str, matched: u32) -> Reading {
    let m = Matched {
        set: matched,
        re: Patterns::get(),
        line,
    };
    Reading {
        event: classify(&m),
        named: named(&m),
        conn: connection_id(line),
    }
}

/// The addresses the line names.
fn named(m: &Matched<'_>) -> Named {
    // IOS's `received packet from A`, an eighth of a debug log, without captures.
    let received = m
        .has(Pattern::Named)
        .then(|| memchr::memmem::find(m.line.as_bytes(), b"received packet from "))
        .flatten()
        .and_then(|at| address_at(&m.line[at + "received packet from ".len()..]));
    if let Some(p) = received {
        return Named::Peer(p.to_string());
    }
    let Some(c) = m.captures(Pattern::Named) else {
        return Named::Nothing;
    };
    if let Some(p) = c.get(1) {
        Named::Peer(p.as_str().to_string())
    } else if let (Some(s), Some(d)) = (c.get(2), c.get(3)) {
        Named::Pair(s.as_str().to_string(), d.as_str().to_string())
    } else if let (Some(l), Some(r)) = (c.get(4), c.get(5)) {
        Named::LocalRemote(l.as_str().to_string(), r.as_str().to_string())
    } else {
        Named::Nothing
    }
}

/// What the line says, if anything.
fn classify(m: &Matched<'_>) -> Option<Event> {
    if let Some(c) = m.captures(Pattern::Phase1Check) {
        let name = format!("transform {} against priority {} policy", &c[1], &c[2]);
        return Some(Event::Check(Phase::One, name));
    }
    if let Some(c) = m.captures(Pattern::Phase2Check) {
        return Some(Event::Check(Phase::Two, format!("proposal {}", &c[1])));
    }
    if let Some(c) = m.captures(Pattern::AsaAccepted) {
        let phase = if c[1].eq_ignore_ascii_case("IKE") {
            Phase::One
        } else {
            Phase::Two
        };
        let name = format!("proposal {}, transform {}", &c[2], &c[3]);
        return Some(Event::ProposalAccepted(phase, name));
    }
    if let Some(c) = m.captures(Pattern::PolicyMismatch) {
        return Some(Event::PolicyMismatch {
            attribute: attribute_name(&c[1]),
            offered: c[2].trim().to_string(),
            configured: c[3].trim().to_string(),
        });
    }
    if m.has(Pattern::AsaBegin) {
        return Some(Event::Begin(Phase::Two));
    }
    let verdict = if m.has(Pattern::Phase1Failed) {
        Some(Some(Phase::One))
    } else if m.has(Pattern::Phase2Failed) {
        Some(Some(Phase::Two))
    } else if m.has(Pattern::Failed) {
        Some(None)
    } else {
        None
    };
    if let Some(phase) = verdict {
        let asa = contains_ci(m.line, "proposals found unacceptable");
        return Some(Event::Failed {
            phase,
            transforms: asa && contains_ci(m.line, "ipsec"),
            alone: asa,
        });
    }
    if let Some(c) = m.captures(Pattern::Mismatch) {
        return Some(Event::Mismatch(attribute_name(&c[1])));
    }
    // Attribute lines are a third of a debug log: read by hand, not with captures.
    if m.has(Pattern::Attribute) {
        if let Some((name, value)) = phase1_attribute(m.line) {
            return Some(Event::Attribute(name, value.to_string()));
        }
    }
    if m.has(Pattern::Transform) {
        if let Some((name, value)) = phase2_attribute(m.line) {
            return Some(Event::Transform(name, value.to_string()));
        }
    }
    if m.has(Pattern::Refused) {
        let transform =
            contains_ci(m.line, "transform proposal") || contains_ci(m.line, "hmac_alg");
        return Some(Event::Refused { transform });
    }
    if m.has(Pattern::Acceptable) {
        return Some(Event::Accepted);
    }
    if m.has(Pattern::Authenticated) {
        return Some(Event::Authenticated);
    }
    if m.has(Pattern::Complete) {
        let two = m.line.contains("QM_PHASE2_COMPLETE") || m.line.contains("PHASE 2 COMPLETED");
        return Some(Event::Complete(if two { Phase::Two } else { Phase::One }));
    }
    None
}

/// A streaming reader of negotiations: feed it the lines that match [`TRIGGERS`], in order.
///
/// `H` is whatever the caller wants kept with a negotiation until its outcome is known
/// ([`Negotiations::hold`]), e.g. an error line that normal negotiation also prints.
pub struct Negotiations<H = ()> {
    open: HashMap<Key, Open<H>>,
    /// Open negotiations by `stamp`, the one silent the longest first.
    order: BTreeMap<u64, Key>,
    clock: u64,
    bindings: HashMap<u64, String>,
    bound_order: VecDeque<u64>,
    locals: VecDeque<String>,
    last_pair: Option<(String, String)>,
    /// The negotiation of the last line fed, and its line number.
    context: Option<(Key, u64)>,
    not_judged: u64,
}

/// The patterns a line is read with, each at its place ([`Pattern`]) in one `RegexSet`, so
/// that a line is searched once and only the patterns it matches are run for captures.
struct Patterns {
    /// Compiled when first needed: diagnose searches with the scanner's set instead.
    set: std::sync::OnceLock<RegexSet>,
    each: Vec<Regex>,
    sources: Vec<String>,
}

/// The patterns, by what they find.
#[derive(Debug, Clone, Copy)]
enum Pattern {
    /// A line that names the peer: group 1, or a PIX (src 2, dest 3), or (local 4, remote 5).
    Named,
    Phase1Check,
    Phase2Check,
    AsaBegin,
    AsaAccepted,
    PolicyMismatch,
    Attribute,
    Transform,
    Mismatch,
    Acceptable,
    /// A refusal of the offer being checked; IOS goes on to the next one.
    Refused,
    Phase1Failed,
    Phase2Failed,
    Failed,
    Authenticated,
    Complete,
}

impl Patterns {
    /// The patterns, compiled once per process: compiling them takes longer than reading
    /// a small paste.
    fn get() -> &'static Patterns {
        static PATTERNS: std::sync::OnceLock<Patterns> = std::sync::OnceLock::new();
        PATTERNS.get_or_init(Patterns::new)
    }

    fn set(&self) -> &RegexSet {
        self.set
            .get_or_init(|| RegexSet::new(&self.sources).expect("valid negotiation patterns"))
    }

    fn new() -> Patterns {
        let named = format!(
            r"(?i)(?:received\s+packet\s+from|authenticated\s+with|with\s+peer\s+at|\bIP\s*=)\s*{ADDR}|process_block:?\s*src[:\s]\s*{ADDR},?\s*dest[:\s]\s*{ADDR}|\(local\s+{ADDR}\s+remote\s+{ADDR}\)"
        );
        // In the order of `Pattern`.
        let patterns: [&str; 16] = [
            &named,
            r"(?i)Checking\s+ISAKMP\s+transform\s+(\d+)\s+against\s+priority\s+(\d+)\s+policy",
            r"(?i)Checking\s+IPsec\s+proposal\s*(\d+)",
            r"(?i)processing\s+IPSec\s+SA\s+payload",
            r"(?i)\b(IKE|IPSec)\s+SA\s+Proposal\s+#\s*(\d+),\s*Transform\s+#\s*(\d+)\s+acceptable",
            r"(?i)Phase\s+1\s+failure:\s+Mismatched\s+attr\w*\s+types\s+for\s+class\s+(.+?):\s*Rcv'?d:\s*(.+?)\s+Cfg'?d:\s*(.+?)\s*$",
            r"(?i)ISAKMP:\s+(encryption|hash|default\s+group|group|auth|life\s+type|life\s+duration)\b\s*(?:of|in|is)?\s*(.*)$",
            r"(?i)(?:transform\s+\d+,\s*(\S+)|authenticator\s+is\s+(\S+))",
            r"(?i)(hash\s+algorithm|encryption\s+algorithm|diffie-hellman\s+group|authentication\s+method|lifetime|group)\s+offered\s+does\s+not\s+match\s+policy",
            r"(?i)atts\s+are\s+acceptable",
            r"(?i)atts\s+(?:are\s+)?not\s+acceptable|not\s+supported|policy\s+invalidated\s+proposal",
            r"(?i)no\s+offers\s+accepted|phase\s+1\s+SA\s+(?:policy\s+)?not\s+acceptable|Processing\s+of\s+(?:Main|Aggressive)\s+mode\s+failed|All\s+SA\s+proposals\s+found\s+unacceptable",
            r"(?i)phase\s+2\s+SA\s+(?:policy\s+)?not\s+acceptable|Processing\s+of\s+Quick\s+mode\s+failed|All\s+IPSec\s+SA\s+proposals\s+found\s+unacceptable|Rejecting\s+IPSec\s+tunnel",
            r"(?i)\bSA\s+(?:policy\s+)?not\s+acceptable",
            r"(?i)SA\s+has\s+been\s+authenticated",
            r"New\s+State\s*=\s*IKE_(P1_COMPLETE|QM_PHASE2_COMPLETE)|PHASE\s+([12])\s+COMPLETED",
        ];
        Patterns {
            set: std::sync::OnceLock::new(),
            sources: patterns.iter().map(|p| p.to_string()).collect(),
            each: patterns
                .iter()
                .map(|p| Regex::new(p).expect("valid negotiation pattern"))
                .collect(),
        }
    }
}

/// What one line matched.
struct Matched<'a> {
    /// Bit `i`: the line matches pattern `i`.
    set: u32,
    re: &'a Patterns,
    line: &'a str,
}

impl<'a> Matched<'a> {
    fn has(&self, p: Pattern) -> bool {
        self.set & 1 << p as usize != 0
    }

    fn captures(&self, p: Pattern) -> Option<Captures<'a>> {
        if self.has(p) {
            self.re.each[p as usize].captures(self.line)
        } else {
            None
        }
    }
}

impl<H> Default for Negotiations<H> {
    fn default() -> Self {
        Negotiations::new()
    }
}

/// The lines a negotiation is read from, as patterns for the scanner (Unicode off).
pub const TRIGGERS: &[&str] = &[
    r"(?i)Checking\s+ISAKMP\s+transform",
    r"(?i)Checking\s+IPsec\s+proposal",
    r"(?i)ISAKMP:\s+(?:encryption|hash|default\s+group|group|auth|life\s+type|life\s+duration|authenticator\s+is|encaps\s+is|transform\s+\d)",
    r"(?i)algorithm\s+offered\s+does\s+not\s+match|offered\s+does\s+not\s+match\s+policy",
    r"(?i)atts\s+(?:are\s+)?(?:not\s+)?acceptable",
    r"(?i)no\s+offers\s+accepted|SA\s+(?:policy\s+)?not\s+acceptable|policy\s+invalidated\s+proposal|Processing\s+of\s+\w+\s+mode\s+failed",
    r"(?i)SA\s+has\s+been\s+authenticated",
    r"(?i)transform\s+proposal.*not\s+supported|hmac_alg\s+\d+\s*\)\s*not\s+supported",
    // Whose packet the next lines are about.
    r"(?i)received\s+packet\s+from|crypto_isakmp_process_block",
    r"(?i)IP\s*=\s*[0-9a-f:.]+,\s*processing\s+(?:IPSec\s+)?SA\s+payload",
    // The ASA's offers and verdicts.
    r"(?i)(?:IKE|IPSec)\s+SA\s+Proposal\s+#\s*\d+,\s*Transform\s+#\s*\d+\s+acceptable",
    r"(?i)All\s+(?:IPSec\s+)?SA\s+proposals\s+found\s+unacceptable|Rejecting\s+IPSec\s+tunnel",
    r"(?i)Phase\s+1\s+failure:\s+Mismatched\s+attr",
    // A negotiation completed.
    r"New\s+State\s*=\s*IKE_(?:P1_COMPLETE|QM_PHASE2_COMPLETE)|PHASE\s+[12]\s+COMPLETED",
];

/// An IPv4 or IPv6 address.
const ADDR: &str = r"(\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{0,4}){2,7})";

impl<H> Negotiations<H> {
    pub fn new() -> Negotiations<H> {
        Negotiations {
            open: HashMap::new(),
            order: BTreeMap::new(),
            clock: 0,
            bindings: HashMap::new(),
            bound_order: VecDeque::new(),
            locals: VecDeque::new(),
            last_pair: None,
            context: None,
            not_judged: 0,
        }
    }

    /// Negotiations dropped undecided: more than [`MAX_OPEN`] were open at once, or a peer
    /// started a new exchange while a refused offer of its last one had no verdict.
    pub fn not_judged(&self) -> u64 {
        self.not_judged
    }

    /// Feed one line; returns a negotiation that this line ended, if any.
    pub fn feed(&mut self, number: u64, line: &str) -> Option<Outcome<H>> {
        self.feed_reading(number, line, &mut read(line))
    }

    /// [`Negotiations::feed`] with the line already read ([`read`]); takes its event.
    pub fn feed_reading(
        &mut self,
        number: u64,
        line: &str,
        reading: &mut Reading,
    ) -> Option<Outcome<H>> {
        let event = reading.event.take();
        let located = self.locate(number, reading);
        let key = self.learn(number, located);
        self.apply(key, event?, number, line)
    }

    /// Keep `item` with the open negotiation `line` belongs to, until its outcome; gives it
    /// back when no negotiation of that peer is open. Call it after [`Negotiations::feed`]
    /// for the same line, so that a line that opens a negotiation is held by it.
    pub fn hold(&mut self, number: u64, line: &str, item: H) -> Option<H> {
        self.hold_reading(number, &read(line), item)
    }

    /// [`Negotiations::hold`] with the line already read ([`read`]).
    pub fn hold_reading(&mut self, number: u64, reading: &Reading, item: H) -> Option<H> {
        let key = self.locate(number, reading).key;
        match self.open.get_mut(&key) {
            Some(open) => {
                if open.held.len() < HELD_KEPT {
                    open.held.push(item);
                }
                None
            }
            None => Some(item),
        }
    }

    /// The end of the input: a negotiation whose latest offer was accepted succeeded; one
    /// with a refused offer and no acceptance failed (the log ends before its verdict);
    /// one with neither is not judged (read [`Negotiations::not_judged`] after this). In
    /// the order they were opened.
    pub fn finish_all(&mut self) -> Vec<Outcome<H>> {
        self.order.clear();
        let mut open: Vec<(Key, Open<H>)> = self.open.drain().collect();
        open.sort_by_key(|(_, o)| o.opened);
        let mut ended = Vec::new();
        for (key, o) in open {
            if o.accepted() {
                ended.push(outcome(key, o, true));
            } else if o.refused() {
                ended.push(outcome(key, o, false));
            } else {
                self.not_judged += 1;
            }
        }
        ended
    }

    /// Who the line is about, from what it names and from the lines before it; learns
    /// nothing (see [`Negotiations::learn`]).
    fn locate(&self, number: u64, reading: &Reading) -> Located {
        let mut located = Located {
            key: Key::Unnamed,
            bind: None,
            local: None,
            pair: None,
        };
        let peer = match &reading.named {
            Named::Nothing => None,
            Named::Peer(p) => Some(p.clone()),
            Named::Pair(s, d) => {
                let (p, local) = self.peer_of_pair(s, d);
                located.local = local;
                located.pair = Some((s.clone(), d.clone()));
                Some(p)
            }
            Named::LocalRemote(l, r) => {
                located.local = Some(l.clone());
                Some(r.clone())
            }
        };
        located.key = match (peer, reading.conn) {
            (Some(p), conn) => {
                located.bind = conn.map(|c| (c, p.clone()));
                Key::Peer(p)
            }
            (None, Some(c)) => match self.bindings.get(&c) {
                Some(p) => Key::Peer(p.clone()),
                // A new ID: the SA of the packet being processed, which named its peer.
                None => match &self.context {
                    Some((Key::Peer(p), at)) if number.saturating_sub(*at) <= HANDOVER_LINES => {
                        located.bind = Some((c, p.clone()));
                        Key::Peer(p.clone())
                    }
                    _ => Key::Conn(c),
                },
            },
            (None, None) => self
                .context
                .as_ref()
                .map_or(Key::Unnamed, |(k, _)| k.clone()),
        };
        located
    }

    /// The peer of a PIX `process_block: src, dest` line: the end that is not us. Ours is
    /// the address a hub's every packet shares; until that is known, the end already
    /// negotiating, else the source (the PIX prints the packets it receives).
    fn peer_of_pair(&self, src: &str, dest: &str) -> (String, Option<String>) {
        let ours = |a: &str| self.locals.iter().any(|l| l == a);
        match (ours(src), ours(dest)) {
            (false, true) => return (src.to_string(), None),
            (true, false) => return (dest.to_string(), None),
            _ => {}
        }
        if let Some((a, b)) = &self.last_pair {
            let same = (a == src && b == dest) || (a == dest && b == src);
            if !same {
                if a == dest || b == dest {
                    return (src.to_string(), Some(dest.to_string()));
                }
                if a == src || b == src {
                    return (dest.to_string(), Some(src.to_string()));
                }
            }
        }
        let known = |a: &str| self.open.contains_key(&Key::Peer(a.to_string()));
        if !known(src) && known(dest) {
            (dest.to_string(), None)
        } else {
            (src.to_string(), None)
        }
    }

    /// Remember what the line showed: our address, a connection ID's peer, whose packet
    /// the next lines are about. Returns the line's negotiation key.
    fn learn(&mut self, number: u64, located: Located) -> Key {
        if let Some(local) = located.local {
            if !self.locals.contains(&local) {
                if self.locals.len() >= MAX_LOCALS {
                    self.locals.pop_front();
                }
                self.locals.push_back(local);
            }
        }
        if let Some(pair) = located.pair {
            self.last_pair = Some(pair);
        }
        if let Some((conn, peer)) = located.bind {
            self.bind(conn, peer);
        }
        self.context = Some((located.key.clone(), number));
        located.key
    }

    fn bind(&mut self, conn: u64, peer: String) {
        // What was seen under the bare ID is the same negotiation.
        if let Some(earlier) = self.open.remove(&Key::Conn(conn)) {
            self.order.remove(&earlier.stamp);
            let key = Key::Peer(peer.clone());
            match self.open.get_mut(&key) {
                Some(open) => open.absorb(earlier),
                None => {
                    self.order.insert(earlier.stamp, key.clone());
                    self.open.insert(key, earlier);
                }
            }
        }
        if self.bindings.insert(conn, peer).is_none() {
            self.bound_order.push_back(conn);
            if self.bound_order.len() > MAX_BINDINGS {
                if let Some(old) = self.bound_order.pop_front() {
                    self.bindings.remove(&old);
                }
            }
        }
    }

    /// The open negotiation of `key`, marked as the most recently fed.
    fn touch(&mut self, key: &Key) -> Option<&mut Open<H>> {
        let open = self.open.get_mut(key)?;
        self.order.remove(&open.stamp);
        self.clock += 1;
        open.stamp = self.clock;
        self.order.insert(self.clock, key.clone());
        Some(open)
    }

    /// Make sure `key` has an open negotiation of `phase`. The peer's previous one ends
    /// here: an accepted one succeeded; one of the other phase is dropped (a phase 2 check
    /// means phase 1 succeeded; a phase 2 refusal without a verdict is not judged).
    fn begin(&mut self, key: &Key, phase: Phase) -> Option<Outcome<H>> {
        let mut ended = None;
        match self.open.get(key) {
            Some(o) if o.accepted() => ended = self.close(key, true),
            Some(o) if o.phase != phase => {
                if o.phase == Phase::Two && o.refused() {
                    self.not_judged += 1;
                }
                if let Some(o) = self.open.remove(key) {
                    self.order.remove(&o.stamp);
                }
            }
            Some(_) => return None,
            None => {}
        }
        while self.open.len() >= MAX_OPEN {
            let Some((_, oldest)) = self.order.pop_first() else {
                break;
            };
            if let Some(o) = self.open.remove(&oldest) {
                if !o.accepted() {
                    self.not_judged += 1;
                }
            }
        }
        self.clock += 1;
        self.order.insert(self.clock, key.clone());
        self.open.insert(key.clone(), Open::new(phase, self.clock));
        ended
    }

    fn close(&mut self, key: &Key, succeeded: bool) -> Option<Outcome<H>> {
        let open = self.open.remove(key)?;
        self.order.remove(&open.stamp);
        Some(outcome(key.clone(), open, succeeded))
    }

    fn apply(&mut self, key: Key, event: Event, number: u64, line: &str) -> Option<Outcome<H>> {
        let text = clip(line);
        let is_open = |s: &Self, phase: Phase| s.open.get(&key).is_some_and(|o| o.phase == phase);
        let ended = match &event {
            Event::Check(phase, _) | Event::Begin(phase) => self.begin(&key, *phase),
            Event::PolicyMismatch { .. } if !is_open(self, Phase::One) => {
                self.begin(&key, Phase::One)
            }
            Event::Failed {
                phase, alone: true, ..
            } if !self.open.contains_key(&key) => self.begin(&key, phase.unwrap_or(Phase::Two)),
            _ => None,
        };
        let Some(open) = self.touch(&key) else {
            return ended;
        };
        match event {
            Event::Check(_, name) => {
                open.push_offer(Offer {
                    name,
                    ..Offer::default()
                });
                open.push_evidence(number, text);
            }
            Event::Begin(_) => open.push_evidence(number, text),
            Event::PolicyMismatch {
                attribute,
                offered,
                configured,
            } => {
                open.push_offer(Offer {
                    name: format!("policy with {attribute} {configured}"),
                    attributes: vec![(attribute.to_string(), offered)],
                    mismatched: vec![attribute.to_string()],
                    rejected: true,
                    accepted: false,
                });
                open.push_evidence(number, text);
            }
            Event::Mismatch(attribute) => {
                open.last_offer().mismatched.push(attribute.to_string());
                open.push_evidence(number, text);
            }
            Event::Attribute(attribute, value) => {
                if open.phase == Phase::One {
                    push_attribute(open.last_offer(), attribute, value);
                }
            }
            Event::Transform(attribute, value) => {
                if open.phase == Phase::Two {
                    push_attribute(open.last_offer(), attribute, value);
                }
            }
            Event::Refused { transform } => {
                let offer = open.last_offer();
                offer.rejected = true;
                open.transforms_refused |= transform;
                open.push_evidence(number, text);
            }
            Event::Accepted => {
                open.push_evidence(number, text);
                if open.phase == Phase::One {
                    return self.close(&key, true);
                }
                open.last_offer().accepted = true;
            }
            Event::ProposalAccepted(phase, name) => {
                open.push_evidence(number, text);
                if phase == Phase::One && open.phase == Phase::One {
                    return self.close(&key, true);
                }
                if phase == Phase::Two && open.phase == Phase::Two {
                    open.push_offer(Offer {
                        name,
                        accepted: true,
                        ..Offer::default()
                    });
                }
            }
            Event::Authenticated | Event::Complete(Phase::One) => {
                if open.phase == Phase::One {
                    open.push_evidence(number, text);
                    return self.close(&key, true);
                }
            }
            Event::Complete(Phase::Two) => {
                if open.phase == Phase::Two {
                    open.push_evidence(number, text);
                    return self.close(&key, true);
                }
            }
            Event::Failed {
                phase, transforms, ..
            } => {
                open.push_evidence(number, text);
                open.transforms_refused |= transforms;
                if let Some(phase) = phase {
                    open.phase = phase;
                }
                return self.close(&key, false);
            }
        }
        ended
    }
}

/// The address a text starts with.
fn address_at(text: &str) -> Option<&str> {
    let end = text
        .find(|c: char| !(c.is_ascii_hexdigit() || c == '.' || c == ':'))
        .unwrap_or(text.len());
    let a = text[..end].trim_end_matches(':');
    a.parse::<std::net::IpAddr>().is_ok().then_some(a)
}

/// A phase 1 attribute line, `ISAKMP:      hash SHA`: the attribute and its value.
fn phase1_attribute(line: &str) -> Option<(&'static str, &str)> {
    const NAMES: [&str; 7] = [
        "encryption",
        "hash",
        "default group",
        "group",
        "auth",
        "life type",
        "life duration",
    ];
    let at = memchr::memmem::find(line.as_bytes(), b"ISAKMP:")?;
    let rest = line[at + "ISAKMP:".len()..].trim_start();
    let name = NAMES.iter().find(|n| {
        rest.get(..n.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(n))
            && !rest[n.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
    })?;
    let mut value = rest[name.len()..].trim_start();
    for word in ["of ", "in ", "is "] {
        if let Some(v) = value.strip_prefix(word) {
            value = v.trim_start();
        }
    }
    Some((attribute_name(name), value.trim_end()))
}

/// A phase 2 attribute line: `transform 1, ESP_3DES` or `authenticator is HMAC-SHA`.
fn phase2_attribute(line: &str) -> Option<(&'static str, &str)> {
    fn word(s: &str) -> &str {
        s.split_whitespace().next().unwrap_or("")
    }
    if let Some(at) = find_ci(line, "authenticator is") {
        return Some((
            "authenticator",
            word(&line[at + "authenticator is".len()..]),
        ));
    }
    let at = find_ci(line, "transform ")?;
    let (_, after) = line[at..].split_once(',')?;
    Some(("transform", word(after)))
}

/// The IKE connection ID a line carries: IOS 15 `ISAKMP:(N)` and `ISAKMP (N)`, IOS 12
/// `ISAKMP (0:N)`, IOS-XE `ISAKMP-PAK: (N)`. 0 means none yet. Read by hand: nearly every
/// debug line has one, and a regex with captures per line costs more than the rest.
fn connection_id(line: &str) -> Option<u64> {
    let b = line.as_bytes();
    let number = |j: &mut usize| {
        let start = *j;
        while b.get(*j).is_some_and(u8::is_ascii_digit) {
            *j += 1;
        }
        line[start..*j].parse::<u64>().ok()
    };
    let spaces = |j: &mut usize| {
        while b.get(*j).is_some_and(u8::is_ascii_whitespace) {
            *j += 1;
        }
    };
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&b[from..], b"ISAKMP") {
        let mut j = from + i + "ISAKMP".len();
        from = j;
        if b.get(j) == Some(&b'-') {
            j += 1;
            while b
                .get(j)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
            {
                j += 1;
            }
        }
        spaces(&mut j);
        if b.get(j) == Some(&b':') {
            j += 1;
        }
        spaces(&mut j);
        if b.get(j) != Some(&b'(') {
            continue;
        }
        j += 1;
        let Some(first) = number(&mut j) else {
            continue;
        };
        let id = if b.get(j) == Some(&b':') {
            j += 1;
            match number(&mut j) {
                Some(second) => second,
                None => continue,
            }
        } else {
            first
        };
        if b.get(j) == Some(&b')') {
            return (id != 0).then_some(id);
        }
    }
    None
}

fn push_attribute(offer: &mut Offer, attribute: &str, value: String) {
    if offer.attributes.len() < ATTRIBUTES_KEPT {
        offer.attributes.push((attribute.to_string(), value));
    }
}

/// A line as evidence: trimmed, and cut to [`TEXT_KEPT`] bytes.
fn clip(line: &str) -> String {
    let t = line.trim();
    if t.len() <= TEXT_KEPT {
        return t.to_string();
    }
    let mut end = TEXT_KEPT;
    while !t.is_char_boundary(end) {
        end -= 1;
    }
    t[..end].to_string()
}

fn outcome<H>(key: Key, open: Open<H>, succeeded: bool) -> Outcome<H> {
    let peer = match key {
        Key::Peer(p) => Some(p),
        Key::Conn(_) | Key::Unnamed => None,
    };
    let detail = if succeeded {
        String::new()
    } else {
        describe(&open, peer.as_deref())
    };
    Outcome {
        phase: open.phase,
        succeeded,
        evidence: open.evidence,
        detail,
        transforms_refused: open.transforms_refused,
        peer,
        held: open.held,
    }
}

/// A failed negotiation in one sentence: with whom, what was offered and what did not match.
fn describe<H>(open: &Open<H>, peer: Option<&str>) -> String {
    let parts: Vec<String> = open
        .offers
        .iter()
        .map(|o| {
            let offered: Vec<String> = o
                .attributes
                .iter()
                .map(|(a, v)| format!("{a} {v}"))
                .collect();
            let mut s = format!(
                "{}: offered {}",
                o.name,
                if offered.is_empty() {
                    "—".into()
                } else {
                    offered.join(", ")
                }
            );
            if !o.mismatched.is_empty() {
                s.push_str(&format!(
                    "; does not match the policy's {}",
                    o.mismatched.join(" and ")
                ));
            } else if o.rejected {
                s.push_str("; rejected");
            }
            s
        })
        .collect();
    let disagreement: Vec<&str> = open
        .offers
        .iter()
        .flat_map(|o| o.mismatched.iter().map(String::as_str))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let with = peer.map(|p| format!(" with {p}")).unwrap_or_default();
    let head = match (open.phase, disagreement.is_empty()) {
        (Phase::One, false) => format!(
            "phase 1 failed{with}: the peers disagree on {}",
            disagreement.join(" and ")
        ),
        (Phase::One, true) => format!("phase 1 failed{with}: no offered transform was acceptable"),
        (Phase::Two, _) => format!("phase 2 failed{with}: no IPsec proposal was acceptable"),
    };
    if parts.is_empty() {
        head
    } else {
        format!("{head} ({})", parts.join("; "))
    }
}

fn attribute_name(raw: &str) -> &'static str {
    let raw = raw.trim().to_ascii_lowercase();
    if raw.starts_with("hash") {
        "hash"
    } else if raw.starts_with("encryption") {
        "encryption"
    } else if raw.contains("group") || raw.starts_with("diffie") {
        "DH group"
    } else if raw.starts_with("auth") {
        "authentication"
    } else {
        "lifetime"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<Outcome> {
        let mut n: Negotiations = Negotiations::new();
        let mut out: Vec<Outcome> = text
            .lines()
            .enumerate()
            .filter_map(|(i, l)| n.feed(i as u64 + 1, l))
            .collect();
        out.extend(n.finish_all());
        out
    }

    /// The tech note's PIX debug: transform 1 rejected, transform 3 accepted; proposal 1
    /// not supported, proposal 2 accepted. Normal negotiation, twice.
    #[test]
    fn rejected_then_accepted_is_normal() {
        let pix = "\
ISAKMP (0): Checking ISAKMP transform 1 against priority 1 policy
ISAKMP:      encryption DES-CBC
ISAKMP:      hash MD5
ISAKMP:      default group 1
ISAKMP:      auth pre-share
ISAKMP (0): atts are not acceptable. Next payload is 3
ISAKMP (0): Checking ISAKMP transform 3 against priority 1 policy
ISAKMP:      encryption 3DES-CBC
ISAKMP:      hash SHA
ISAKMP (0): atts are acceptable. Next payload is 3
ISAKMP : Checking IPsec proposal 1
ISAKMP: transform 1, ESP_DES
ISAKMP:      authenticator is HMAC-MD5
IPSEC(validate_proposal): transform proposal (prot 3, trans 2, hmac_alg 1) not supported
ISAKMP (0): atts not acceptable. Next payload is 0
ISAKMP : Checking IPsec proposal 2
ISAKMP: transform 1, ESP_3DES
ISAKMP (0): atts are acceptable.
";
        let outcomes = run(pix);
        assert_eq!(outcomes.len(), 2);
        assert!(outcomes.iter().all(|o| o.succeeded), "{outcomes:?}");
        assert_eq!(outcomes[1].phase, Phase::Two);
    }

    /// The tech note's RouterB: the only transform fails on encryption; no offers accepted.
    #[test]
    fn a_failed_phase_1_names_the_attribute() {
        let router_b = "\
ISAKMP (0:1): Checking ISAKMP transform 1 against priority 65535 policy
ISAKMP:      encryption 3DES-CBC
ISAKMP:      hash MD5
ISAKMP:      default group 1
ISAKMP:      auth pre-share
ISAKMP:      life type in seconds
ISAKMP (0:1): Encryption algorithm offered does not match policy!
ISAKMP (0:1): atts are not acceptable. Next payload is 0
ISAKMP (0:1): no offers accepted!
ISAKMP (0:1): phase 1 SA not acceptable!
";
        let outcomes = run(router_b);
        assert_eq!(outcomes.len(), 1);
        let o = &outcomes[0];
        assert!(!o.succeeded);
        assert!(
            o.detail
                .starts_with("phase 1 failed: the peers disagree on encryption"),
            "{}",
            o.detail
        );
        assert!(
            o.detail
                .contains("encryption 3DES-CBC, hash MD5, DH group 1"),
            "{}",
            o.detail
        );
        assert_eq!(o.evidence.last().unwrap().0, 9);
    }

    /// IOS 12.4T and later accept the ISAKMP attributes, then refuse the transform.
    #[test]
    fn a_later_refusal_overrides_accepted_attributes() {
        let text = "\
ISAKMP:(1012):Checking IPSec proposal 1
ISAKMP:(1012):atts are acceptable.
IPSEC(ipsec_process_proposal): transform proposal not supported for identity: {esp-3des esp-md5-hmac }
ISAKMP:(1012): phase 2 SA policy not acceptable! (local 198.51.100.1 remote 203.0.113.2)
";
        let o = run(text);
        assert_eq!(o.len(), 1);
        assert!(!o[0].succeeded && o[0].phase == Phase::Two);
        assert!(o[0].transforms_refused);
        // The verdict names the peer; the earlier lines under the bare ID are the same
        // negotiation.
        assert_eq!(o[0].peer.as_deref(), Some("203.0.113.2"));
        assert_eq!(o[0].evidence.first().unwrap().0, 1);
    }

    #[test]
    fn a_failed_phase_2_lists_the_refused_transforms() {
        let text = "\
ISAKMP : Checking IPsec proposal 1
ISAKMP: transform 1, ESP_AES
ISAKMP:      authenticator is HMAC-SHA
IPSEC(validate_proposal): transform proposal (prot 3, trans 12, hmac_alg 2) not supported
ISAKMP (0:2): atts not acceptable. Next payload is 0
ISAKMP: IPsec policy invalidated proposal
";
        let o = &run(text)[0];
        assert!(!o.succeeded && o.phase == Phase::Two);
        assert!(
            o.detail
                .contains("transform ESP_AES, authenticator HMAC-SHA; rejected"),
            "{}",
            o.detail
        );
    }

    /// IOS 15: a proposal refused for the crypto map's identity, the next one accepted.
    /// "IPSec policy invalidated proposal" refuses one proposal, not the negotiation.
    #[test]
    fn an_invalidated_proposal_followed_by_an_accepted_one_is_normal() {
        let text = "\
ISAKMP (1001): received packet from 198.51.100.2 dport 500 sport 500 Global (R) QM_IDLE
ISAKMP:(1001):Checking IPSec proposal 1
ISAKMP: transform 1, ESP_3DES
ISAKMP:      authenticator is HMAC-MD5
ISAKMP:(1001):atts are acceptable.
IPSEC(ipsec_process_proposal): transform proposal not supported for identity: {esp-3des esp-md5-hmac }
ISAKMP:(1001): IPSec policy invalidated proposal with error 256
ISAKMP:(1001):Checking IPSec proposal 2
ISAKMP: transform 1, ESP_AES
ISAKMP:      authenticator is HMAC-SHA
ISAKMP:(1001):atts are acceptable.
ISAKMP:(1001):Old State = IKE_QM_R_QM2  New State = IKE_QM_PHASE2_COMPLETE
";
        let o = run(text);
        assert_eq!(o.len(), 1, "{o:?}");
        assert!(o[0].succeeded);
        assert_eq!(o[0].peer.as_deref(), Some("198.51.100.2"));
    }

    /// Two peers interleaved packet by packet: the first one's refusal is not settled by
    /// the second one's acceptance (issue 11).
    #[test]
    fn another_peers_acceptance_does_not_settle_a_refusal() {
        let text = "\
ISAKMP (1001): received packet from 198.51.100.2 dport 500 sport 500 Global (R) QM_IDLE
ISAKMP:(1001):Checking IPSec proposal 1
ISAKMP:(1001):atts are acceptable.
IPSEC(ipsec_process_proposal): transform proposal not supported for identity: {esp-3des esp-md5-hmac }
ISAKMP:(1001): IPSec policy invalidated proposal with error 256
ISAKMP (1002): received packet from 198.51.100.3 dport 500 sport 500 Global (R) QM_IDLE
ISAKMP:(1002):Checking IPSec proposal 1
ISAKMP:(1002):atts are acceptable.
ISAKMP:(1002):Old State = IKE_QM_R_QM2  New State = IKE_QM_PHASE2_COMPLETE
ISAKMP:(1001): phase 2 SA policy not acceptable! (local 203.0.113.1 remote 198.51.100.2)
";
        let o = run(text);
        assert_eq!(o.len(), 2, "{o:?}");
        assert!(o[0].succeeded && o[0].peer.as_deref() == Some("198.51.100.3"));
        assert!(!o[1].succeeded && o[1].peer.as_deref() == Some("198.51.100.2"));
        assert!(o[1].transforms_refused);
        let lines: Vec<u64> = o[1].evidence.iter().map(|(n, _)| *n).collect();
        assert_eq!(lines, [2, 3, 4, 5, 10]);
    }

    /// IOS 15 checks phase 1 offers under `ISAKMP:(0)`: they belong to the peer the packet
    /// came from, not to the ID-less lines of another peer's packet.
    #[test]
    fn offers_under_id_0_belong_to_the_packets_peer() {
        let text = "\
ISAKMP (0): received packet from 198.51.100.9 dport 500 sport 500 Global (N) NEW SA
ISAKMP:(0):Checking ISAKMP transform 1 against priority 10 policy
ISAKMP:      encryption AES-CBC
ISAKMP:(0):Diffie-Hellman group offered does not match policy!
ISAKMP:(0):atts are not acceptable. Next payload is 0
ISAKMP (0): received packet from 198.51.100.10 dport 500 sport 500 Global (N) NEW SA
ISAKMP:(0):Checking ISAKMP transform 1 against priority 10 policy
ISAKMP:(0):atts are acceptable. Next payload is 0
ISAKMP:(0):phase 1 SA policy not acceptable! (local 203.0.113.1 remote 198.51.100.9)
";
        let o = run(text);
        assert_eq!(o.len(), 2, "{o:?}");
        assert!(o[0].succeeded && o[0].peer.as_deref() == Some("198.51.100.10"));
        assert!(!o[1].succeeded && o[1].peer.as_deref() == Some("198.51.100.9"));
        assert!(
            o[1].detail.contains("disagree on DH group"),
            "{}",
            o[1].detail
        );
    }

    /// A new connection ID in a peer's packet is bound to that peer: a verdict that names
    /// only the ID is that peer's.
    #[test]
    fn a_new_connection_id_is_handed_to_the_packets_peer() {
        let text = "\
ISAKMP (0): received packet from 198.51.100.9 dport 500 sport 500 Global (R) QM_IDLE
ISAKMP:(1001):Checking IPSec proposal 1
ISAKMP:(1001): IPSec policy invalidated proposal with error 256
ISAKMP (0): received packet from 198.51.100.10 dport 500 sport 500 Global (R) QM_IDLE
ISAKMP:(1002):Checking IPSec proposal 1
ISAKMP:(1002):atts are acceptable.
ISAKMP:(1001): phase 2 SA policy not acceptable!
ISAKMP:(1002):Old State = IKE_QM_R_QM2  New State = IKE_QM_PHASE2_COMPLETE
";
        let o = run(text);
        assert_eq!(o.len(), 2, "{o:?}");
        assert!(!o[0].succeeded && o[0].peer.as_deref() == Some("198.51.100.9"));
        assert!(o[1].succeeded && o[1].peer.as_deref() == Some("198.51.100.10"));
    }

    /// The PIX names the peer in `process_block`; the hub's address is the one every pair
    /// shares.
    #[test]
    fn the_pix_peer_is_the_end_that_is_not_the_hub() {
        let text = "\
crypto_isakmp_process_block:src:198.51.100.2, dest:203.0.113.1 spt:500 dpt:500
ISAKMP : Checking IPsec proposal 1
ISAKMP (0): atts not acceptable. Next payload is 0
crypto_isakmp_process_block:src:198.51.100.3, dest:203.0.113.1 spt:500 dpt:500
ISAKMP : Checking IPsec proposal 1
ISAKMP (0): atts are acceptable.
crypto_isakmp_process_block:src:203.0.113.1, dest:198.51.100.2 spt:500 dpt:500
ISAKMP (0): SA not acceptable!
";
        let o = run(text);
        assert_eq!(o.len(), 2, "{o:?}");
        assert!(!o[0].succeeded && o[0].peer.as_deref() == Some("198.51.100.2"));
        assert!(o[1].succeeded && o[1].peer.as_deref() == Some("198.51.100.3"));
    }

    /// The ASA names the peer on every line; a policy that refuses the offer is followed
    /// by one that accepts it.
    #[test]
    fn asa_policy_mismatch_then_acceptance_is_normal() {
        let text = "\
[IKEv1 DEBUG]: IP = 198.51.100.4, processing SA payload
%ASA-5-713257: Phase 1 failure:  Mismatched attribute types for class Encryption Alg:  Rcv'd: 3DES  Cfg'd: AES-256
[IKEv1 DEBUG]: IP = 198.51.100.4, IKE SA Proposal # 1, Transform # 1 acceptable  Matches global IKE entry # 20
[IKEv1 DEBUG]: IP = 198.51.100.5, processing SA payload
%ASA-5-713257: Phase 1 failure:  Mismatched attribute types for class Group Description:  Rcv'd: Group 2  Cfg'd: Group 5
[IKEv1 DEBUG]: IP = 198.51.100.5, All SA proposals found unacceptable
[IKEv1]: Group = 198.51.100.6, IP = 198.51.100.6, All IPSec SA proposals found unacceptable!
";
        let o = run(text);
        assert_eq!(o.len(), 3, "{o:?}");
        assert!(o[0].succeeded && o[0].peer.as_deref() == Some("198.51.100.4"));
        assert!(!o[1].succeeded && o[1].phase == Phase::One);
        assert!(
            o[1].detail.contains("disagree on DH group"),
            "{}",
            o[1].detail
        );
        assert!(!o[2].succeeded && o[2].phase == Phase::Two && o[2].transforms_refused);
    }

    /// A refusal the log ends on is a failure; an offer that was only checked is not judged.
    #[test]
    fn the_end_of_the_log_judges_what_is_open() {
        let text = "\
ISAKMP (1001): received packet from 198.51.100.2 dport 500 sport 500 Global (R) QM_IDLE
ISAKMP:(1001):Checking IPSec proposal 1
IPSEC(ipsec_process_proposal): transform proposal not supported for identity: {esp-3des esp-md5-hmac }
ISAKMP (1002): received packet from 198.51.100.3 dport 500 sport 500 Global (R) QM_IDLE
ISAKMP:(1002):Checking IPSec proposal 1
";
        let mut n: Negotiations = Negotiations::new();
        for (i, l) in text.lines().enumerate() {
            assert!(n.feed(i as u64 + 1, l).is_none());
        }
        let o = n.finish_all();
        assert_eq!(o.len(), 1);
        assert!(!o[0].succeeded && o[0].peer.as_deref() == Some("198.51.100.2"));
    }

    /// Held items go with their own negotiation's outcome.
    #[test]
    fn held_items_follow_their_negotiation() {
        let lines = [
            "ISAKMP (1001): received packet from 198.51.100.2 dport 500 sport 500 Global (R) QM_IDLE",
            "ISAKMP:(1001):Checking IPSec proposal 1",
            "IPSEC(ipsec_process_proposal): transform proposal not supported for identity: {esp-3des esp-md5-hmac }",
            "ISAKMP (1002): received packet from 198.51.100.3 dport 500 sport 500 Global (R) QM_IDLE",
            "ISAKMP:(1002):Checking IPSec proposal 1",
            "ISAKMP:(1002):atts are acceptable.",
            "ISAKMP:(1002):Old State = IKE_QM_R_QM2  New State = IKE_QM_PHASE2_COMPLETE",
            "ISAKMP:(1001): phase 2 SA policy not acceptable! (local 203.0.113.1 remote 198.51.100.2)",
        ];
        let mut n: Negotiations<u64> = Negotiations::new();
        let mut out = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            let number = i as u64 + 1;
            out.extend(n.feed(number, l));
            if l.contains("not supported") {
                assert_eq!(n.hold(number, l, number), None);
            }
        }
        assert_eq!(n.hold(9, "IPSEC(validate_proposal): transform proposal (prot 3, trans 2, hmac_alg 1) not supported", 9), Some(9));
        assert_eq!(out.len(), 2);
        assert!(out[0].succeeded && out[0].held.is_empty());
        assert!(!out[1].succeeded && out[1].held == [3]);
    }

    /// More open negotiations than the bound: the oldest are dropped and counted.
    #[test]
    fn open_negotiations_are_bounded() {
        let mut n: Negotiations = Negotiations::new();
        let peers = MAX_OPEN as u64 + 1000;
        let mut line = 0;
        for p in 0..peers {
            let peer = format!("10.{}.{}.{}", p >> 16, (p >> 8) & 255, p & 255);
            for l in [
                format!("ISAKMP (0): received packet from {peer} dport 500 sport 500 Global (R) QM_IDLE"),
                "ISAKMP : Checking IPsec proposal 1".to_string(),
                "ISAKMP (0): atts not acceptable. Next payload is 0".to_string(),
            ] {
                line += 1;
                assert!(n.feed(line, &l).is_none());
            }
            assert!(n.open.len() <= MAX_OPEN && n.order.len() == n.open.len());
        }
        assert_eq!(n.not_judged(), 1000);
        assert_eq!(n.finish_all().len(), MAX_OPEN);
    }

    #[test]
    fn attribute_lines() {
        assert_eq!(
            phase1_attribute("ISAKMP:      default group 14"),
            Some(("DH group", "14"))
        );
        assert_eq!(
            phase1_attribute("*Mar  1 00:00:01.1: ISAKMP:      life duration (VPI) of  0x0 0x1"),
            Some(("lifetime", "(VPI) of  0x0 0x1"))
        );
        assert_eq!(
            phase1_attribute("ISAKMP:      auth pre-share"),
            Some(("authentication", "pre-share"))
        );
        assert_eq!(
            phase1_attribute("ISAKMP:      authenticator is HMAC-SHA"),
            None
        );
        assert_eq!(
            phase2_attribute("ISAKMP: transform 1, ESP_3DES"),
            Some(("transform", "ESP_3DES"))
        );
        assert_eq!(
            phase2_attribute("ISAKMP:      authenticator is HMAC-MD5"),
            Some(("authenticator", "HMAC-MD5"))
        );
    }

    #[test]
    fn connection_ids_in_every_layout() {
        for (line, id) in [
            ("ISAKMP:(1001):Checking IPSec proposal 1", Some(1001)),
            (
                "ISAKMP (1001): received packet from 198.51.100.2",
                Some(1001),
            ),
            ("ISAKMP (0:7): SA not acceptable!", Some(7)),
            (
                "ISAKMP-PAK: (1003):received packet from 198.51.100.2",
                Some(1003),
            ),
            ("ISAKMP: (1004):Checking IPSec proposal 1", Some(1004)),
            ("ISAKMP (0): atts are acceptable.", None),
            ("ISAKMP:(0):Checking ISAKMP transform 1", None),
            ("ISAKMP (0:0): received packet from 198.51.100.2", None),
            ("ISAKMP : Checking IPsec proposal 1", None),
            (
                "ISAKMP:      life duration (VPI) of  0x0 0x1 0x51 0x80",
                None,
            ),
            ("*Mar  1 00:00:01.123: ISAKMP (12) x ISAKMP:(13):", Some(12)),
            ("ISAKMP (x) then ISAKMP:(14):", Some(14)),
        ] {
            assert_eq!(connection_id(line), id, "{line}");
        }
    }

    /// Every line the reader reacts to is one the scanner hands it.
    #[test]
    fn every_line_read_matches_a_trigger() {
        let set = regex::RegexSet::new(TRIGGERS).unwrap();
        let samples = [
            "ISAKMP (0): Checking ISAKMP transform 1 against priority 1 policy",
            "ISAKMP:(1001):Checking IPSec proposal 2",
            "ISAKMP:      encryption DES-CBC",
            "ISAKMP: transform 1, ESP_3DES",
            "ISAKMP:      authenticator is HMAC-MD5",
            "ISAKMP (0:1): Hash algorithm offered does not match policy!",
            "ISAKMP:(0):atts are not acceptable. Next payload is 0",
            "ISAKMP (0): atts are acceptable.",
            "IPSEC(validate_proposal): transform proposal (prot 3, trans 2, hmac_alg 1) not supported",
            "    (prot 3, trans 2, hmac_alg 1) not supported",
            "ISAKMP:(1001): IPSec policy invalidated proposal with error 256",
            "ISAKMP:(1001): phase 2 SA policy not acceptable! (local 203.0.113.1 remote 198.51.100.2)",
            "ISAKMP (0:1): SA not acceptable!",
            "ISAKMP (0:1): no offers accepted!",
            "%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Quick mode failed with peer at 203.0.113.2",
            "ISAKMP:(1001):SA has been authenticated with 198.51.100.2",
            "ISAKMP:(1001):Old State = IKE_QM_R_QM2  New State = IKE_QM_PHASE2_COMPLETE",
            "ISAKMP (1001): received packet from 198.51.100.2 dport 500 sport 500 Global (R) QM_IDLE",
            "crypto_isakmp_process_block:src:198.51.100.2, dest:203.0.113.1 spt:500 dpt:500",
            "[IKEv1 DEBUG]: IP = 198.51.100.4, processing SA payload",
            "[IKEv1 DEBUG]: Group = 198.51.100.4, IP = 198.51.100.4, processing IPSec SA payload",
            "[IKEv1 DEBUG]: IP = 198.51.100.4, IKE SA Proposal # 1, Transform # 1 acceptable  Matches global IKE entry # 20",
            "[IKEv1 DEBUG]: Group = 198.51.100.4, IP = 198.51.100.4, IPSec SA Proposal # 1, Transform # 1 acceptable  Matches global IPSec SA entry # 10",
            "%ASA-5-713257: Phase 1 failure:  Mismatched attribute types for class Group Description:  Rcv'd: Group 2  Cfg'd: Group 5",
            "[IKEv1]: IP = 198.51.100.5, All SA proposals found unacceptable",
            "[IKEv1]: Group = 198.51.100.6, IP = 198.51.100.6, All IPSec SA proposals found unacceptable!",
            "[IKEv1]: Group = 198.51.100.6, IP = 198.51.100.6, PHASE 2 COMPLETED (msgid=3b2c1a09)",
        ];
        for line in samples {
            assert!(
                {
                    let r = read(line);
                    r.event.is_some() || !matches!(r.named, Named::Nothing)
                },
                "not read: {line}"
            );
            assert!(set.is_match(line), "no trigger: {line}");
        }
    }
}
