//! Facts: what the evidence readers establish from the user's input, each with the line it
//! came from. The engine reasons over facts and knows nothing of device text; the
//! knowledge base says what each fact means (`when:`, `confirmed_by:`, `ruled_out_by:`).

use super::ipsec_sa::Traffic;

/// Where a fact was read: input name, 1-based line, and the line (secrets redacted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub input: String,
    pub line: u64,
    pub text: String,
}

/// One thing the input shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fact {
    /// A known error message (the knowledge base's error ID). `from_state`: read from the
    /// state word of a `show crypto isakmp sa` row (MM_NO_STATE is a signature of "main mode
    /// failed"), which says where phase 1 stopped; a message in the log says why.
    Error { id: String, from_state: bool },
    /// A row of a `show crypto isakmp sa` table: the peer and the phase-1 state.
    IsakmpSa { peer: String, state: String },
    /// A `show crypto ipsec sa` SA and what its counters say.
    IpsecSa { sa: String, traffic: Traffic },
    /// A `show crypto ipsec sa detail` drop counter that rose (`replay-failed`,
    /// `verify-failed`).
    IpsecDrop { sa: String, counter: &'static str },
    /// An IKE negotiation's outcome, from `debug crypto isakmp` / `ipsec`.
    Negotiation {
        phase: u8,
        succeeded: bool,
        /// The peer's address, when the debug names it.
        peer: Option<String>,
    },
    /// A check of a running-config, or of two peers' configs compared
    /// (`evidence::config::checks::CHECKS`), and its outcome (`failed`, `succeeded`,
    /// `unverified`). `peer`: the tunnel's peer, for checks of one tunnel.
    Config {
        check: &'static str,
        outcome: &'static str,
        peer: Option<String>,
    },
    /// A ping and whether any echo came back.
    Ping { target: String, succeeded: bool },
    /// An IKEv2 exchange that a peer refused with an error notify (`debug crypto ikev2`):
    /// the exchange (`IKE_SA_INIT`, `IKE_AUTH`, `CREATE_CHILD_SA`, `INFORMATIONAL`) says
    /// which part of the negotiation the notify is about.
    Exchange {
        exchange: String,
        notify: &'static str,
        peer: Option<String>,
    },
    /// Whether a destination the user could not reach, behind a device whose SAs protect
    /// it, has a route inside there (judged from that device's routing table).
    Route { dest: String, missing: bool },
}

impl Fact {
    /// Whether the fact shows something wrong by itself (a config check that failed, a
    /// route that is missing).
    pub fn shows_fault(&self) -> bool {
        matches!(
            self,
            Fact::Config {
                outcome: "failed",
                ..
            } | Fact::Route { missing: true, .. }
        )
    }

    /// The peer a fact is about, when it names one: a phase-1 row's addresses, a
    /// negotiation's peer. Facts of one peer are reasoned about together.
    pub fn peer(&self) -> Option<&str> {
        match self {
            Fact::IsakmpSa { peer, .. } => Some(peer),
            Fact::Negotiation { peer, .. }
            | Fact::Config { peer, .. }
            | Fact::Exchange { peer, .. } => peer.as_deref(),
            _ => None,
        }
    }

    /// The fact's kind as knowledge-base rules name it (`fact: isakmp-sa`).
    pub fn kind(&self) -> &'static str {
        match self {
            Fact::Error { .. } => "error",
            Fact::IsakmpSa { .. } => "isakmp-sa",
            Fact::IpsecSa { .. } | Fact::IpsecDrop { .. } => "ipsec-sa",
            Fact::Negotiation { .. } => "negotiation",
            Fact::Ping { .. } => "ping",
            Fact::Config { .. } => "config",
            Fact::Route { .. } => "route",
            Fact::Exchange { .. } => "ikev2",
        }
    }

    /// A short description for a conclusion's `because`, e.g. `isakmp-sa 198.51.100.2
    /// MM_KEY_EXCH`.
    pub fn describe(&self) -> String {
        match self {
            Fact::Error { id, .. } => format!("error {id}"),
            Fact::IsakmpSa { peer, state } => format!("isakmp-sa {peer} {state}"),
            Fact::IpsecSa { sa, traffic } => format!("ipsec-sa {sa} {}", traffic.word()),
            Fact::IpsecDrop { sa, counter } => format!("ipsec-sa {sa} {counter}"),
            Fact::Negotiation {
                phase,
                succeeded,
                peer,
            } => format!(
                "negotiation phase {phase} {}{}",
                if *succeeded { "succeeded" } else { "failed" },
                peer.as_deref()
                    .map(|p| format!(" with {p}"))
                    .unwrap_or_default()
            ),
            Fact::Config { check, outcome, .. } => format!("config {check} {outcome}"),
            Fact::Ping { target, succeeded } => format!(
                "ping {target} {}",
                if *succeeded { "succeeded" } else { "failed" }
            ),
            Fact::Exchange {
                exchange,
                notify,
                peer,
            } => format!(
                "ikev2 {exchange} {notify}{}",
                peer.as_deref()
                    .map(|p| format!(" from {p}"))
                    .unwrap_or_default()
            ),
            Fact::Route { dest, missing } => format!(
                "route {dest} {}",
                if *missing { "missing" } else { "present" }
            ),
        }
    }
}

/// A fact and where it was seen first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    pub fact: Fact,
    pub source: Source,
}

/// The phase-1 states of an SA that is up: IKEv1 table states, the IKEv2 SA status
/// (`show crypto ikev2 sa`) and the crypto session status (`show crypto session`) of a
/// peer whose IKE SA is up.
pub const PHASE1_UP: &[&str] = &[
    "QM_IDLE",
    "MM_ACTIVE",
    "AM_ACTIVE",
    "READY",
    "UP-ACTIVE",
    "UP-IDLE",
];

/// Phase-1 state words other than the IKEv1 `QM_IDLE` / `MM_…` / `AM_…`: IKEv2 SA statuses
/// and crypto session statuses. `UP-NO-IKE`: IPsec SAs up, the IKE SA gone (it expired or
/// the peer rebooted); `DOWN`: no SA at all (a crypto map tunnel is down until traffic
/// needs it); `DOWN-NEGOTIATING` and `IN-NEG`: IKE is negotiating.
/// The IKEv2 exchanges, as `debug crypto ikev2` names them.
pub const IKEV2_EXCHANGES: &[&str] = &[
    "IKE_SA_INIT",
    "IKE_AUTH",
    "CREATE_CHILD_SA",
    "INFORMATIONAL",
];

/// The IKEv2 error notifies the knowledge base reasons about (RFC 7296, section 3.10.1).
pub const IKEV2_NOTIFIES: &[&str] = &[
    "NO_PROPOSAL_CHOSEN",
    "TS_UNACCEPTABLE",
    "INVALID_KE_PAYLOAD",
    "AUTHENTICATION_FAILED",
];

pub const OTHER_PHASE1_STATES: &[&str] = &[
    "READY",
    "IN-NEG",
    "DELETE",
    "UP-ACTIVE",
    "UP-IDLE",
    "UP-NO-IKE",
    "DOWN-NEGOTIATING",
    "DOWN",
];
