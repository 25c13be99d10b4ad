//! IKEv2 exchanges in `debug crypto ikev2` (IOS-XE): which exchange a notify arrived in,
//! which request went unanswered, which child SA came up.
//!
//! A packet prints as a header (`Sending Packet [To 198.51.100.2:4500/From …]` or
//! `Received Packet [From …]`), a line naming the exchange (`IKEv2 IKE_AUTH Exchange
//! REQUEST`) and its payloads (` IDr AUTH SA TSi TSr`, ` NOTIFY(NO_PROPOSAL_CHOSEN)`). The
//! same notify means different things in different exchanges: INVALID_KE_PAYLOAD in
//! IKE_SA_INIT is the responder asking for another DH group, a normal retry; in
//! CREATE_CHILD_SA it is a PFS group the peers do not share. A request retransmitted
//! until "Maximum number of retransmissions reached" says who stopped answering: a DPD
//! liveness check (INFORMATIONAL) no longer answered is a dead peer; an IKE_AUTH sent to
//! port 4500 after IKE_SA_INIT was answered on port 500 is UDP 4500 blocked.

use regex::Regex;

pub const TRIGGERS: &[&str] = &[
    r"(?:Sending|Received)\s+Packet\s+\[(?:To|From)\s",
    r"\bIKEv2\s+(?:IKE_SA_INIT|IKE_AUTH|CREATE_CHILD_SA|INFORMATIONAL)\s+Exchange\s+(?:REQUEST|RESPONSE)",
    r"(?i)\bRetransmitting\s+packet",
    r"(?i)\bMaximum\s+number\s+of\s+retransmissions\s+reached",
    r"\bTSi\s+TSr\b",
];

/// What the exchanges show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A request was retransmitted until the device gave up.
    GaveUp {
        peer: String,
        port: u16,
        exchange: String,
    },
    /// A response carried a child SA's traffic selectors without an error notify: an IPsec
    /// SA was negotiated with the peer.
    ChildUp { peer: String },
}

#[derive(Debug, Clone)]
struct Header {
    sent: bool,
    peer: String,
    port: u16,
}

pub struct Parser {
    header: Regex,
    exchange: Regex,
}

impl Default for Parser {
    fn default() -> Self {
        Parser::new()
    }
}

impl Parser {
    pub fn new() -> Parser {
        Parser {
            header: Regex::new(
                r"(Sending|Received)\s+Packet\s+\[(?:To|From)\s+([0-9A-Fa-f.:]+):(\d+)/",
            )
            .expect("valid header pattern"),
            exchange: Regex::new(
                r"\bIKEv2\s+(IKE_SA_INIT|IKE_AUTH|CREATE_CHILD_SA|INFORMATIONAL)\s+Exchange\s+(REQUEST|RESPONSE)",
            )
            .expect("valid exchange pattern"),
        }
    }

    pub fn tracker(&self) -> Tracker<'_> {
        Tracker {
            parser: self,
            header: None,
            exchange: None,
            request: None,
        }
    }
}

/// One input's IKEv2 exchanges, fed line by line.
pub struct Tracker<'p> {
    parser: &'p Parser,
    header: Option<Header>,
    /// The exchange of the latest packet, and whether it is a response.
    exchange: Option<(String, bool)>,
    /// The latest request sent and not yet answered: (peer, port, exchange).
    request: Option<(String, u16, String)>,
}

impl Tracker<'_> {
    /// The exchange the latest packet belongs to (`IKE_SA_INIT`, …), if known.
    pub fn exchange(&self) -> Option<&str> {
        self.exchange.as_ref().map(|(e, _)| e.as_str())
    }

    /// The peer of the latest packet.
    pub fn peer(&self) -> Option<&str> {
        self.header.as_ref().map(|h| h.peer.as_str())
    }

    pub fn feed(&mut self, line: &str) -> Option<Event> {
        let p = self.parser;
        if let Some(c) = p.header.captures(line) {
            let sent = &c[1] == "Sending";
            let peer = c[2].to_string();
            let port = c[3].parse().unwrap_or(0);
            if !sent && self.request.as_ref().is_some_and(|(r, _, _)| *r == peer) {
                self.request = None;
            }
            self.header = Some(Header { sent, peer, port });
            self.exchange = None;
            return None;
        }
        if let Some(c) = p.exchange.captures(line) {
            let response = &c[2] == "RESPONSE";
            self.exchange = Some((c[1].to_string(), response));
            if let Some(h) = self.header.as_ref().filter(|h| h.sent && !response) {
                self.request = Some((h.peer.clone(), h.port, c[1].to_string()));
            }
            return None;
        }
        if line.contains("Maximum number of retransmissions")
            || line
                .to_ascii_lowercase()
                .contains("maximum number of retransmissions")
        {
            let (peer, port, exchange) = self.request.take()?;
            return Some(Event::GaveUp {
                peer,
                port,
                exchange,
            });
        }
        const ERRORS: &[&str] = &[
            "NO_PROPOSAL_CHOSEN",
            "TS_UNACCEPTABLE",
            "AUTHENTICATION_FAILED",
            "INVALID_KE_PAYLOAD",
            "INVALID_SYNTAX",
            "INTERNAL_ADDRESS_FAILURE",
            "FAILED_CP_REQUIRED",
            "SINGLE_PAIR_REQUIRED",
        ];
        if line.contains("TSi") && line.contains("TSr") && !ERRORS.iter().any(|e| line.contains(e))
        {
            let h = self.header.as_ref().filter(|h| !h.sent)?;
            let (exchange, response) = self.exchange.as_ref()?;
            if *response && (exchange == "IKE_AUTH" || exchange == "CREATE_CHILD_SA") {
                return Some(Event::ChildUp {
                    peer: h.peer.clone(),
                });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(text: &str) -> Vec<Event> {
        let p = Parser::new();
        let mut t = p.tracker();
        text.lines().filter_map(|l| t.feed(l)).collect()
    }

    #[test]
    fn an_unanswered_request_names_its_exchange_and_port() {
        let text = "IKEv2:(SESSION ID = 2,SA ID = 1):Sending Packet [To 198.51.100.150:4500/From 10.200.0.2:4500/VRF i0:f0]\nIKEv2 IKE_AUTH Exchange REQUEST\nIKEv2:(SESSION ID = 2,SA ID = 1):Retransmitting packet\nIKEv2:(SESSION ID = 2,SA ID = 1):Maximum number of retransmissions reached\n";
        assert_eq!(
            events(text),
            [Event::GaveUp {
                peer: "198.51.100.150".into(),
                port: 4500,
                exchange: "IKE_AUTH".into()
            }]
        );
    }

    #[test]
    fn an_answered_request_is_no_failure_and_a_child_sa_is_up() {
        let text = "Sending Packet [To 2001:DB8::1:500/From 2001:DB8::2:500/VRF i0:f0]\nIKEv2 IKE_AUTH Exchange REQUEST\nReceived Packet [From 2001:DB8::1:500/To 2001:DB8::2:500/VRF i0:f0]\nIKEv2 IKE_AUTH Exchange RESPONSE\n VID IDr AUTH SA TSi TSr NOTIFY(SET_WINDOW_SIZE)\nMaximum number of retransmissions reached\n";
        // The request was answered (no give-up), and a status notify beside the selectors
        // is no error: the child SA is up.
        assert_eq!(
            events(text),
            [Event::ChildUp {
                peer: "2001:DB8::1".into()
            }]
        );
        let clean = "Received Packet [From 198.51.100.2:500/To 192.0.2.1:500/VRF i0:f0]\nIKEv2 CREATE_CHILD_SA Exchange RESPONSE\n SA N TSi TSr\n";
        assert_eq!(
            events(clean),
            [Event::ChildUp {
                peer: "198.51.100.2".into()
            }]
        );
    }
}
