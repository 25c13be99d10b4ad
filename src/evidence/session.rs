//! Today's status outputs, read as a peer's phase-1 state or its traffic:
//!
//! - IOS / IOS-XE `show crypto session [detail]`: `Session status: UP-ACTIVE` (or
//!   `Crypto Session Status:` inside `show dmvpn detail`), then `Peer: A port 500`;
//! - `show crypto ikev2 sa [detail]`: the IOS-XE row `1  192.0.2.1/500  198.51.100.2/500
//!   none/none  READY`, its IPv6 form (`1  none/none  READY`, then `Local …` and `Remote …`
//!   lines), and the ASA row `41877302 198.51.100.2/500  192.0.2.1/500  READY  RESPONDER`;
//! - ASA `show vpn-sessiondb [detail] l2l`: `Connection : A`, then `Bytes Tx : N  Bytes Rx : M`.
//!
//! Layouts as printed by IOS-XE 16/17 and ASA 9.x (genieparser and ntc-templates test
//! outputs, Cisco tech notes); leading spaces vary between captures, so lines are matched
//! by their words, not their columns.

use regex::Regex;

/// Lines that may carry a session status, an IKEv2 SA row or a session's byte counts. The
/// scanner runs them over whole buffers: a line start is `(?m:^)`.
pub const TRIGGERS: &[&str] = &[
    r"(?i)Session\s+Status\s*:\s*(?:UP|DOWN)",
    r"(?m:^)\s*Peer:\s*\S+\s+port\s+\d+",
    r"\b(?:READY|IN-NEG|DELETE)\b",
    r"(?m)^\s*Remote\s+\S+/\d+\s*$",
    r"(?m:^)\s*Connection\s*:\s*\S+",
    r"(?m:^)\s*Bytes\s+Tx\s*:\s*\d+\s+Bytes\s+Rx\s*:\s*\d+",
];

/// What a line established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// The peer's phase-1 state: a session status (`UP-ACTIVE`) or an IKEv2 SA status
    /// (`READY`). `line`: where the state was printed.
    State {
        peer: String,
        state: String,
        line: u64,
        text: String,
    },
    /// A LAN-to-LAN session's bytes sent into the tunnel and received from it.
    Bytes {
        peer: String,
        tx: u64,
        rx: u64,
        line: u64,
    },
}

/// The compiled patterns; build once.
pub struct Parser {
    status: Regex,
    peer: Regex,
    xe_row: Regex,
    asa_row: Regex,
    v6_row: Regex,
    remote: Regex,
    connection: Regex,
    bytes: Regex,
}

impl Default for Parser {
    fn default() -> Self {
        Parser::new()
    }
}

const ADDR: &str = r"(\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})";

impl Parser {
    pub fn new() -> Parser {
        let re = |p: String| Regex::new(&p).expect("valid session pattern");
        Parser {
            status: re(
                r"(?i)Session\s+Status\s*:\s*(UP-ACTIVE|UP-IDLE|UP-NO-IKE|DOWN-NEGOTIATING|DOWN)\b"
                    .into(),
            ),
            peer: re(format!(r"^\s*Peer:\s*{ADDR}\s+port\s+\d+")),
            xe_row: re(format!(
                r"^\s*\d+\s+{ADDR}/\d+\s+{ADDR}/\d+\s+\S+/\S+\s+(READY|IN-NEG|DELETE)\s*$"
            )),
            asa_row: re(format!(
                r"^\s*\d+\s+{ADDR}/\d+\s+{ADDR}/\d+\s+(READY|IN-NEG|DELETE)\s+(?:INITIATOR|RESPONDER)\s*$"
            )),
            v6_row: re(r"^\s*\d+\s+\S+/\S+\s+(READY|IN-NEG|DELETE)\s*$".into()),
            remote: re(format!(r"^\s*Remote\s+{ADDR}/\d+\s*$")),
            connection: re(format!(r"^\s*Connection\s*:\s*{ADDR}\s*$")),
            bytes: re(r"^\s*Bytes\s+Tx\s*:\s*(\d+)\s+Bytes\s+Rx\s*:\s*(\d+)".into()),
        }
    }

    pub fn reader(&self) -> Reader<'_> {
        Reader {
            parser: self,
            status: None,
            v6_state: None,
            connection: None,
        }
    }
}

/// Reads one input's lines in order (only the lines that match a trigger need be fed).
pub struct Reader<'p> {
    parser: &'p Parser,
    /// A `Session status:` waiting for its `Peer:` line.
    status: Option<(String, u64, String)>,
    /// An IPv6 IKEv2 row's status waiting for its `Remote` line.
    v6_state: Option<(String, u64, String)>,
    /// The ASA session being read (`Connection :`).
    connection: Option<String>,
}

impl Reader<'_> {
    pub fn feed(&mut self, number: u64, line: &str) -> Option<Read> {
        let p = self.parser;
        if let Some(c) = p.status.captures(line) {
            self.status = Some((c[1].to_ascii_uppercase(), number, line.trim().to_string()));
            return None;
        }
        if let Some(c) = p.peer.captures(line) {
            let (state, at, text) = self.status.take()?;
            return Some(Read::State {
                peer: c[1].to_string(),
                state,
                line: at,
                text,
            });
        }
        if let Some(c) = p.xe_row.captures(line).or_else(|| p.asa_row.captures(line)) {
            return Some(Read::State {
                peer: c[2].to_string(),
                state: c[3].to_string(),
                line: number,
                text: line.trim().to_string(),
            });
        }
        if let Some(c) = p.v6_row.captures(line) {
            self.v6_state = Some((c[1].to_string(), number, line.trim().to_string()));
            return None;
        }
        if let Some(c) = p.remote.captures(line) {
            let (state, at, text) = self.v6_state.take()?;
            return Some(Read::State {
                peer: c[1].to_string(),
                state,
                line: at,
                text,
            });
        }
        if let Some(c) = p.connection.captures(line) {
            self.connection = Some(c[1].to_string());
            return None;
        }
        if let Some(c) = p.bytes.captures(line) {
            // Only the session's own line counts: the detail's per-tunnel lines repeat it.
            let peer = self.connection.take()?;
            return Some(Read::Bytes {
                peer,
                tx: c[1].parse().ok()?,
                rx: c[2].parse().ok()?,
                line: number,
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Read> {
        let p = Parser::new();
        let mut r = p.reader();
        text.lines()
            .enumerate()
            .filter_map(|(i, l)| r.feed(i as u64 + 1, l))
            .collect()
    }

    fn states(text: &str) -> Vec<(String, String)> {
        read(text)
            .into_iter()
            .filter_map(|r| match r {
                Read::State { peer, state, .. } => Some((peer, state)),
                Read::Bytes { .. } => None,
            })
            .collect()
    }

    #[test]
    fn crypto_session_states_are_per_peer() {
        let text = "Interface: Tunnel7\nSession status: DOWN-NEGOTIATING\nPeer: 203.0.113.9 port 500 fvrf: (none) ivrf: (none)\n  IKEv1 SA: local 192.0.2.1/500 remote 203.0.113.9/500 Inactive\nInterface: Tunnel8\nCrypto Session Status: UP-ACTIVE\nPeer: 2001:DB8:5::2 port 500\n";
        assert_eq!(
            states(text),
            [
                ("203.0.113.9".to_string(), "DOWN-NEGOTIATING".to_string()),
                ("2001:DB8:5::2".to_string(), "UP-ACTIVE".to_string())
            ]
        );
    }

    #[test]
    fn ikev2_rows_of_ios_xe_and_asa() {
        let text = "1         192.0.2.1/500         198.51.100.2/4500     none/none            READY  \n 41877302 198.51.100.7/500                                    192.0.2.8/500                                            IN-NEG   INITIATOR\nTunnel-id    fvrf/ivrf              Status\n1          none/none             READY\nLocal  2001:DB8:1::1/500\nRemote  2001:DB8:2::2/500\n";
        assert_eq!(
            states(text),
            [
                ("198.51.100.2".to_string(), "READY".to_string()),
                ("192.0.2.8".to_string(), "IN-NEG".to_string()),
                ("2001:DB8:2::2".to_string(), "READY".to_string())
            ]
        );
    }

    #[test]
    fn session_bytes_are_read_once_per_connection() {
        let text = "Connection   : 198.51.100.2\nIndex        : 17                     IP Addr      : 198.51.100.2\nBytes Tx     : 48213944               Bytes Rx     : 0\nIPsec:\n  Bytes Tx     : 48213944               Bytes Rx     : 0\n";
        assert_eq!(
            read(text),
            [Read::Bytes {
                peer: "198.51.100.2".into(),
                tx: 48213944,
                rx: 0,
                line: 3
            }]
        );
    }
}
