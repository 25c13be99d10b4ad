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
    /// A known error message (the knowledge base's error ID).
    Error { id: String },
    /// A row of a `show crypto isakmp sa` table: the peer and the phase-1 state.
    IsakmpSa { peer: String, state: String },
    /// A `show crypto ipsec sa` SA and what its counters say.
    IpsecSa { sa: String, traffic: Traffic },
    /// A `show crypto ipsec sa detail` drop counter that rose (`replay-failed`,
    /// `verify-failed`).
    IpsecDrop { sa: String, counter: &'static str },
    /// An IKE negotiation's outcome, from `debug crypto isakmp` / `ipsec`.
    Negotiation { phase: u8, succeeded: bool },
}

impl Fact {
    /// The fact's kind as knowledge-base rules name it (`fact: isakmp-sa`).
    pub fn kind(&self) -> &'static str {
        match self {
            Fact::Error { .. } => "error",
            Fact::IsakmpSa { .. } => "isakmp-sa",
            Fact::IpsecSa { .. } | Fact::IpsecDrop { .. } => "ipsec-sa",
            Fact::Negotiation { .. } => "negotiation",
        }
    }

    /// A short description for a conclusion's `because`, e.g. `isakmp-sa 198.51.100.2
    /// MM_KEY_EXCH`.
    pub fn describe(&self) -> String {
        match self {
            Fact::Error { id } => format!("error {id}"),
            Fact::IsakmpSa { peer, state } => format!("isakmp-sa {peer} {state}"),
            Fact::IpsecSa { sa, traffic } => format!("ipsec-sa {sa} {}", traffic.word()),
            Fact::IpsecDrop { sa, counter } => format!("ipsec-sa {sa} {counter}"),
            Fact::Negotiation { phase, succeeded } => format!(
                "negotiation phase {phase} {}",
                if *succeeded { "succeeded" } else { "failed" }
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

/// The phase-1 states of an SA that is up.
pub const PHASE1_UP: &[&str] = &["QM_IDLE", "MM_ACTIVE", "AM_ACTIVE"];
