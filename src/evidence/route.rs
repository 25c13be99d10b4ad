//! Routing tables: IOS `show ip route`, ASA `show route` and PIX 6 `show route`, and the
//! one-destination lookups (`show ip route 10.1.2.5` → `% Subnet not in table`).
//!
//! A table by itself proves nothing; what matters is whether the destination the user could
//! not reach has a route the right way. [`judge`] answers that for the destinations a
//! failed ping names, on the device whose SAs protect them (the tech note's "the PIX needs a
//! route to the inside network"): no covering route, only the default route, or a route out
//! of the interface that carries the crypto map means the decrypted packets are never
//! delivered inside.
//!
//! IPv4 only: IPv6 tables (`show ipv6 route`) are not read.

use ipnet::Ipv4Net;
use regex::Regex;
use std::net::Ipv4Addr;

/// One route of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub net: Ipv4Net,
    /// The outgoing interface, when the row names it (connected routes always do; a
    /// recursive IOS static `via 10.1.1.2` does not).
    pub interface: Option<String>,
    /// 1-based line of the row.
    pub line: u64,
    /// The row, trimmed.
    pub text: String,
}

/// A one-destination lookup and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    pub dest: Ipv4Addr,
    pub found: bool,
    pub line: u64,
    pub text: String,
}

/// The most routes kept per input: a pasted full Internet table stays within memory.
pub const MAX_ROUTES: usize = 100_000;

/// The lines a stream must keep for this reader, as scanner patterns (Unicode off).
pub const TRIGGERS: &[&str] = &[
    r"\[\d+/\d+\]\s+via\s",
    r"is directly connected",
    r"is (?:variably )?subnetted",
    r"\s(?:CONNECT|OTHER)\s+static",
    r"(?i)(?:subnet|network) not in table",
    r"Routing entry for\s",
    r"(?i)[#>]\s*sh(?:o|ow)?\s+(?:ip\s+)?ro(?:u|ut|ute)?\s+\d",
];

/// The patterns of the reader; build once.
pub struct Parser {
    /// IOS and ASA rows: codes, network (`/len`, a mask, or neither under an "is subnetted"
    /// header), then `[ad/metric] via` or `is directly connected`.
    row: Regex,
    /// `10.0.0.0/24 is subnetted, 2 subnets`: the mask of the rows below that print none.
    header: Regex,
    /// PIX 6: `inside 10.1.1.0 255.255.255.0 10.1.1.1 1 CONNECT static`.
    pix: Regex,
    command: Regex,
    not_found: Regex,
    entry: Regex,
}

impl Default for Parser {
    fn default() -> Self {
        Parser::new()
    }
}

impl Parser {
    pub fn new() -> Parser {
        let re = |p: &str| Regex::new(p).expect("valid route pattern");
        Parser {
            row: re(concat!(
                r"^\s*[A-Za-z][A-Za-z0-9*+%]{0,3}(?:\s+(?:E[12]|N[12]|IA|L[12]|ia|su|EX))?\*?\s+",
                r"(\d{1,3}(?:\.\d{1,3}){3})(?:/(\d{1,2})|\s+(\d{1,3}(?:\.\d{1,3}){3}))?\s+",
                r"(?:\[\d+/\d+\]\s+via\s+\S+?(?:,\s*(?:[\dwdhms:]+,\s*)?([A-Za-z][\w./:-]*))?\s*$",
                r"|is directly connected,\s*([A-Za-z][\w./:-]*))"
            )),
            header: re(r"^\s*(\d{1,3}(?:\.\d{1,3}){3})/(\d{1,2}) is (?:variably )?subnetted"),
            pix: re(concat!(
                r"^\s*([A-Za-z][\w-]*)\s+(\d{1,3}(?:\.\d{1,3}){3})\s+(\d{1,3}(?:\.\d{1,3}){3})\s+",
                r"\d{1,3}(?:\.\d{1,3}){3}\s+\d+\s+(CONNECT|OTHER)\s+static"
            )),
            command: re(
                r"(?i)[#>]\s*sh(?:o|ow)?\s+(?:ip\s+)?ro(?:u|ut|ute)?\s+(\d{1,3}(?:\.\d{1,3}){3})\b",
            ),
            not_found: re(r"(?i)%\s*(?:subnet|network) not in table"),
            entry: re(r"Routing entry for\s"),
        }
    }

    pub fn collector(&self) -> Collector<'_> {
        Collector {
            parser: self,
            routes: Vec::new(),
            lookups: Vec::new(),
            subnet_len: None,
            asking: None,
        }
    }

    /// Every route and lookup of a paste.
    pub fn table(&self, text: &str) -> Table {
        let mut c = self.collector();
        for (i, line) in super::lines(text).enumerate() {
            c.feed(i as u64 + 1, line);
        }
        c.finish()
    }
}

/// Reads a table line by line (a paste, or a stream that feeds only the trigger lines).
pub struct Collector<'p> {
    parser: &'p Parser,
    routes: Vec<Route>,
    lookups: Vec<Lookup>,
    /// The prefix length of the last "is subnetted" header.
    subnet_len: Option<u8>,
    /// The destination of the last `show ip route A.B.C.D` command, waiting for its answer.
    asking: Option<Ipv4Addr>,
}

impl Collector<'_> {
    pub fn feed(&mut self, number: u64, line: &str) {
        let p = self.parser;
        if let Some(c) = p.command.captures(line) {
            self.asking = c[1].parse().ok();
            return;
        }
        if p.not_found.is_match(line) || p.entry.is_match(line) {
            if let Some(dest) = self.asking.take() {
                self.lookups.push(Lookup {
                    dest,
                    found: !p.not_found.is_match(line),
                    line: number,
                    text: line.trim().to_string(),
                });
            }
            return;
        }
        if let Some(c) = p.header.captures(line) {
            self.subnet_len = c[2].parse().ok().filter(|l| *l <= 32);
            return;
        }
        if self.routes.len() >= MAX_ROUTES {
            return;
        }
        let route = if let Some(c) = p.row.captures(line) {
            let Ok(addr) = c[1].parse::<Ipv4Addr>() else {
                return;
            };
            let len = match (c.get(2), c.get(3)) {
                (Some(len), _) => len.as_str().parse::<u8>().ok(),
                (None, Some(mask)) => mask
                    .as_str()
                    .parse::<Ipv4Addr>()
                    .ok()
                    .and_then(|m| ipnet::ipv4_mask_to_prefix(m).ok()),
                // IOS 12 under "10.0.0.0/24 is subnetted": the header's length; a classful
                // network otherwise.
                (None, None) => self.subnet_len.or(Some(classful(addr))),
            };
            let Some(net) = len.and_then(|l| Ipv4Net::new(addr, l).ok()) else {
                return;
            };
            let interface = c.get(4).or(c.get(5)).map(|m| m.as_str().to_string());
            Route {
                net: net.trunc(),
                interface,
                line: number,
                text: line.trim().to_string(),
            }
        } else if let Some(c) = p.pix.captures(line) {
            let (Ok(addr), Ok(mask)) = (c[2].parse::<Ipv4Addr>(), c[3].parse::<Ipv4Addr>()) else {
                return;
            };
            let Some(net) = ipnet::ipv4_mask_to_prefix(mask)
                .ok()
                .and_then(|l| Ipv4Net::new(addr, l).ok())
            else {
                return;
            };
            Route {
                net: net.trunc(),
                interface: Some(c[1].to_string()),
                line: number,
                text: line.trim().to_string(),
            }
        } else {
            return;
        };
        self.routes.push(route);
    }

    pub fn finish(mut self) -> Table {
        self.take()
    }

    /// What was read so far; the collector starts afresh.
    pub fn take(&mut self) -> Table {
        self.subnet_len = None;
        self.asking = None;
        Table {
            routes: std::mem::take(&mut self.routes),
            lookups: std::mem::take(&mut self.lookups),
        }
    }
}

fn classful(addr: Ipv4Addr) -> u8 {
    match addr.octets()[0] {
        0..=127 => 8,
        128..=191 => 16,
        _ => 24,
    }
}

/// The routes and lookups one input shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub routes: Vec<Route>,
    pub lookups: Vec<Lookup>,
}

impl Table {
    pub fn is_empty(&self) -> bool {
        self.routes.is_empty() && self.lookups.is_empty()
    }

    /// The longest-prefix match for `dest`.
    pub fn best(&self, dest: Ipv4Addr) -> Option<&Route> {
        self.routes
            .iter()
            .filter(|r| r.net.contains(&dest))
            .max_by_key(|r| r.net.prefix_len())
    }
}

/// What an input knows of the tunnels it terminates: the networks its SAs protect on its
/// side (`local ident`) and the interface carrying the crypto map.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Side {
    pub local: Ipv4Net,
    pub interface: String,
}

/// Parses a `local ident` value (`10.1.1.0/255.255.255.0/0/0`) into a network.
pub fn ident_net(ident: &str) -> Option<Ipv4Net> {
    let mut parts = ident.split('/');
    let addr: Ipv4Addr = parts.next()?.parse().ok()?;
    let mask: Ipv4Addr = parts.next()?.parse().ok()?;
    let len = ipnet::ipv4_mask_to_prefix(mask).ok()?;
    Ipv4Net::new(addr, len).ok().map(|n| n.trunc())
}

/// The verdict on one destination's route, with the line that shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub dest: Ipv4Addr,
    /// The route is missing (or leads the wrong way).
    pub missing: bool,
    /// Why, in words: "% Subnet not in table", "only the default route (…)".
    pub why: String,
    pub line: u64,
    pub text: String,
}

/// Whether `dest`, a host behind this device (inside one of its SAs' `local ident`), is
/// routed inside. `None` when this input cannot tell (no table, or `dest` is not behind it).
pub fn judge(table: &Table, sides: &[Side], dest: Ipv4Addr) -> Option<Verdict> {
    let side = sides.iter().find(|s| s.local.contains(&dest))?;
    if let Some(l) = table.lookups.iter().rev().find(|l| l.dest == dest) {
        if !l.found {
            return Some(Verdict {
                dest,
                missing: true,
                why: format!("`show ip route {dest}`: {}", l.text),
                line: l.line,
                text: l.text.clone(),
            });
        }
    }
    if table.routes.is_empty() {
        return None;
    }
    let Some(best) = table.best(dest) else {
        let last = table.routes.last()?;
        return Some(Verdict {
            dest,
            missing: true,
            why: format!("no route covers {dest}"),
            line: last.line,
            text: last.text.clone(),
        });
    };
    let (missing, why) = if best.net.prefix_len() == 0 {
        (
            true,
            format!("only the default route covers {dest}: decrypted packets leave to the outside"),
        )
    } else if best.interface.as_deref() == Some(side.interface.as_str()) {
        (
            true,
            format!(
                "{dest} is routed out of {}, the interface with the crypto map",
                side.interface
            ),
        )
    } else {
        (false, format!("{dest} is routed via {}", best.text))
    };
    Some(Verdict {
        dest,
        missing,
        why,
        line: best.line,
        text: best.text.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const IOS15: &str = "\
R-HQ#show ip route
Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
Gateway of last resort is 192.0.2.6 to network 0.0.0.0

S*    0.0.0.0/0 [1/0] via 192.0.2.6
      10.0.0.0/8 is variably subnetted, 4 subnets, 2 masks
C        10.20.1.0/24 is directly connected, GigabitEthernet0/1
L        10.20.1.1/32 is directly connected, GigabitEthernet0/1
S        10.20.30.0/24 [1/0] via 10.20.1.2
O E2     10.20.50.0/24 [110/20] via 10.20.1.3, 00:12:01, GigabitEthernet0/1
      192.0.2.0/24 is variably subnetted, 2 subnets, 2 masks
C        192.0.2.0/29 is directly connected, GigabitEthernet0/0
R-HQ#show ip route 10.20.99.7
% Subnet not in table
";

    fn ios15() -> Table {
        Parser::new().table(IOS15)
    }

    fn side() -> Vec<Side> {
        vec![Side {
            local: "10.20.0.0/16".parse().unwrap(),
            interface: "GigabitEthernet0/0".into(),
        }]
    }

    #[test]
    fn ios_rows_and_lookups() {
        let t = ios15();
        let nets: Vec<String> = t.routes.iter().map(|r| r.net.to_string()).collect();
        assert_eq!(
            nets,
            [
                "0.0.0.0/0",
                "10.20.1.0/24",
                "10.20.1.1/32",
                "10.20.30.0/24",
                "10.20.50.0/24",
                "192.0.2.0/29"
            ]
        );
        assert_eq!(t.routes[4].interface.as_deref(), Some("GigabitEthernet0/1"));
        assert_eq!(t.routes[3].interface, None);
        assert_eq!(t.lookups.len(), 1);
        assert!(!t.lookups[0].found);
    }

    #[test]
    fn verdicts() {
        let t = ios15();
        let v = |d: &str| judge(&t, &side(), d.parse().unwrap());
        assert!(!v("10.20.30.9").unwrap().missing);
        assert!(!v("10.20.1.7").unwrap().missing);
        let default_only = v("10.20.40.5").unwrap();
        assert!(default_only.missing, "{default_only:?}");
        assert!(default_only.why.contains("default route"));
        let looked_up = v("10.20.99.7").unwrap();
        assert!(looked_up.missing && looked_up.text.contains("not in table"));
        // Not behind this device: nothing to say.
        assert_eq!(v("172.16.5.5"), None);
    }

    #[test]
    fn out_of_the_crypto_interface_is_the_wrong_way() {
        let t = Parser::new().table(
            "S    10.20.40.0/24 is directly connected, GigabitEthernet0/0\n\
             C    10.20.1.0/24 is directly connected, GigabitEthernet0/1\n",
        );
        let v = judge(&t, &side(), "10.20.40.1".parse().unwrap()).unwrap();
        assert!(v.missing && v.why.contains("crypto map"), "{v:?}");
    }

    #[test]
    fn ios12_subnetted_header_gives_the_mask() {
        let t = Parser::new().table(
            "     10.0.0.0/24 is subnetted, 2 subnets\n\
             C       10.1.1.0 is directly connected, Ethernet0\n\
             S       10.1.5.0 [1/0] via 10.1.1.2\n\
             S*   0.0.0.0/0 [1/0] via 172.16.1.1\n",
        );
        let nets: Vec<String> = t.routes.iter().map(|r| r.net.to_string()).collect();
        assert_eq!(nets, ["10.1.1.0/24", "10.1.5.0/24", "0.0.0.0/0"]);
    }

    #[test]
    fn asa_and_pix_tables() {
        let asa = Parser::new().table(
            "asa# show route\n\
             C    10.30.1.0 255.255.255.0 is directly connected, inside\n\
             S    10.30.8.0 255.255.248.0 [1/0] via 10.30.1.2, inside\n\
             S*   0.0.0.0 0.0.0.0 [1/0] via 192.0.2.33, outside\n",
        );
        assert_eq!(asa.routes.len(), 3);
        assert_eq!(asa.routes[1].net.to_string(), "10.30.8.0/21");
        assert_eq!(asa.routes[1].interface.as_deref(), Some("inside"));
        let pix = Parser::new().table(
            "        outside 0.0.0.0 0.0.0.0 192.0.2.1 1 OTHER static\n\
             \x20       inside 10.30.1.0 255.255.255.0 10.30.1.1 1 CONNECT static\n\
             \x20       inside 172.16.0.0 255.255.0.0 10.30.1.2 1 OTHER static\n",
        );
        assert_eq!(pix.routes.len(), 3);
        assert_eq!(pix.routes[2].net.to_string(), "172.16.0.0/16");
        let sides = [Side {
            local: "172.16.0.0/16".parse().unwrap(),
            interface: "outside".into(),
        }];
        assert!(
            !judge(&pix, &sides, "172.16.9.9".parse().unwrap())
                .unwrap()
                .missing
        );
    }

    #[test]
    fn prose_is_not_a_route() {
        let t = Parser::new().table(
            "The LAN 10.1.1.0/24 is directly connected to the hub, so no route is needed.\n\
             Debug: 10.1.1.0 via tunnel\n",
        );
        assert!(t.routes.is_empty(), "{:?}", t.routes);
    }
}
