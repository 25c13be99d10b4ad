//! Ping results: IOS and ASA (`Sending 5, 100-byte ICMP Echos to A, …` then `Success rate
//! is N percent (r/s)`) and PIX 6 (`A response received -- 0ms`, `A NO response received
//! -- 1000ms`, one line per echo).

use regex::Regex;
use std::net::Ipv4Addr;

/// One ping: where to, how many echoes went out and how many came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ping {
    pub target: Ipv4Addr,
    pub sent: u32,
    pub received: u32,
    /// 1-based line of the result.
    pub line: u64,
    pub text: String,
}

impl Ping {
    /// No echo came back.
    pub fn failed(&self) -> bool {
        self.received == 0 && self.sent > 0
    }
}

/// The most pings kept per input.
pub const MAX_PINGS: usize = 10_000;

/// The lines a stream must keep for this reader, as scanner patterns (Unicode off).
pub const TRIGGERS: &[&str] = &[
    r"ICMP Echos to\s",
    r"Success rate is\s",
    r"(?i)response received\s+--",
];

/// The patterns of the reader; build once.
pub struct Parser {
    sending: Regex,
    rate: Regex,
    pix: Regex,
}

impl Default for Parser {
    fn default() -> Self {
        Parser::new()
    }
}

impl Parser {
    pub fn new() -> Parser {
        let re = |p: &str| Regex::new(p).expect("valid ping pattern");
        Parser {
            sending: re(r"Sending\s+\d+,\s*\d+-byte ICMP Echos to\s+(\d{1,3}(?:\.\d{1,3}){3})"),
            rate: re(r"Success rate is\s+\d+\s+percent\s+\((\d+)/(\d+)\)"),
            pix: re(r"^\s*(\d{1,3}(?:\.\d{1,3}){3})\s+(NO\s+)?response received\s+--"),
        }
    }

    pub fn collector(&self) -> Collector<'_> {
        Collector {
            parser: self,
            pings: Vec::new(),
            target: None,
        }
    }

    pub fn pings(&self, text: &str) -> Vec<Ping> {
        let mut c = self.collector();
        for (i, line) in super::lines(text).enumerate() {
            c.feed(i as u64 + 1, line);
        }
        c.finish()
    }
}

pub struct Collector<'p> {
    parser: &'p Parser,
    pings: Vec<Ping>,
    target: Option<Ipv4Addr>,
}

impl Collector<'_> {
    pub fn feed(&mut self, number: u64, line: &str) {
        let p = self.parser;
        if let Some(c) = p.sending.captures(line) {
            self.target = c[1].parse().ok();
            return;
        }
        if let Some(c) = p.rate.captures(line) {
            let (Some(target), Ok(received), Ok(sent)) =
                (self.target.take(), c[1].parse(), c[2].parse())
            else {
                return;
            };
            self.push(Ping {
                target,
                sent,
                received,
                line: number,
                text: line.trim().to_string(),
            });
            return;
        }
        if let Some(c) = p.pix.captures(line) {
            let Ok(target) = c[1].parse() else { return };
            let ok = c.get(2).is_none();
            // PIX prints one line per echo: consecutive lines for one target are one ping.
            if let Some(last) = self.pings.last_mut() {
                if last.target == target && last.line + 1 == number {
                    last.sent += 1;
                    last.received += u32::from(ok);
                    last.line = number;
                    last.text = line.trim().to_string();
                    return;
                }
            }
            self.push(Ping {
                target,
                sent: 1,
                received: u32::from(ok),
                line: number,
                text: line.trim().to_string(),
            });
        }
    }

    fn push(&mut self, ping: Ping) {
        if self.pings.len() < MAX_PINGS {
            self.pings.push(ping);
        }
    }

    pub fn finish(mut self) -> Vec<Ping> {
        self.take()
    }

    /// What was read so far; the collector starts afresh.
    pub fn take(&mut self) -> Vec<Ping> {
        self.target = None;
        std::mem::take(&mut self.pings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ios_and_asa() {
        let p = Parser::new().pings(
            "R1#ping 10.9.9.5 source 172.20.1.1\n\
             Type escape sequence to abort.\n\
             Sending 5, 100-byte ICMP Echos to 10.9.9.5, timeout is 2 seconds:\n\
             Packet sent with a source address of 172.20.1.1\n\
             .....\n\
             Success rate is 0 percent (0/5)\n\
             R1#ping 10.9.8.5\n\
             Sending 5, 100-byte ICMP Echos to 10.9.8.5, timeout is 2 seconds:\n\
             .!!!!\n\
             Success rate is 80 percent (4/5), round-trip min/avg/max = 1/2/4 ms\n",
        );
        assert_eq!(p.len(), 2);
        assert!(p[0].failed());
        assert_eq!(p[0].line, 6);
        assert_eq!((p[1].received, p[1].sent), (4, 5));
        assert!(!p[1].failed());
    }

    #[test]
    fn pix6_one_line_per_echo() {
        let p = Parser::new().pings(
            "pix# ping inside 10.9.9.5\n\
             \x20       10.9.9.5 NO response received -- 1000ms\n\
             \x20       10.9.9.5 NO response received -- 1000ms\n\
             \x20       10.9.9.5 NO response received -- 1000ms\n\
             pix# ping inside 10.9.9.1\n\
             \x20       10.9.9.1 response received -- 0ms\n",
        );
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].received, p[0].sent), (0, 3));
        assert!(p[0].failed());
        assert!(!p[1].failed());
    }

    #[test]
    fn a_rate_without_its_target_is_not_a_ping() {
        assert!(Parser::new()
            .pings("Success rate is 0 percent (0/5)\n")
            .is_empty());
    }
}
