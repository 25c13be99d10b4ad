//! `show crypto ipsec sa` counters, on IOS, PIX and ASA layouts.
//!
//! IOS 12 prints `#pkts digest 7767918` and `#send errors 1`; later IOS and ASA add colons
//! (`#pkts digest: 4`, `#send errors: 0`). One paste may hold several SAs (one block per
//! pair of proxy identities) and, when the engineer ran the command twice, two snapshots of
//! each: then what moved between them is what counts, as the tech note's "run it while you
//! ping" advice intends.

/// The counters of one SA block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaCounters {
    /// `local ident` → `remote ident` @ `current_peer`, to pair snapshots.
    pub key: String,
    pub encaps: u64,
    pub decaps: u64,
    pub send_errors: u64,
    pub recv_errors: u64,
    /// `#pkts replay failed (rcv)` and `#pkts verify failed` (`show crypto ipsec sa
    /// detail`): packets dropped by the anti-replay check, and by the HMAC check.
    pub replay_failed: u64,
    pub verify_failed: u64,
    /// The line number of its `#pkts encaps` line (1-based, in the text it came from).
    pub line: u64,
    /// `local ident` (`10.1.1.0/255.255.255.0/0/0`): the networks behind this device.
    pub local: String,
    /// The `interface:` the SA's crypto map is applied to (`GigabitEthernet0/0`, `outside`).
    pub interface: String,
}

impl SaCounters {
    /// The peer the SA's key names (`… @ 198.51.100.2`), or the whole key.
    pub fn peer_or_key(&self) -> &str {
        self.key
            .rsplit_once(" @ ")
            .map_or(self.key.as_str(), |(_, p)| p)
    }
}

/// Reads SA blocks line by line (a paste, or a stream in which only the relevant lines
/// are fed): each `local ident` line starts a block; a block counts once it has both
/// counters.
///
/// A hub's dump holds thousands of SAs, so each followed SA costs little: its key once, in
/// the index, and two snapshots of numbers (about 250 bytes in all); at most [`MAX_SAS`]
/// are followed.
#[derive(Default)]
pub struct Collector {
    /// Each SA's first and latest snapshot, in order of first appearance. Only two
    /// snapshots per SA are kept, whatever the input's length.
    sas: Vec<Stored>,
    /// Each SA's key (`local → remote @ peer`) and its place in `sas`.
    index: std::collections::HashMap<Box<str>, u32>,
    /// The interfaces SAs were seen under, each once, and their places.
    interfaces: Vec<String>,
    interface_index: std::collections::HashMap<String, u32>,
    /// SAs beyond [`MAX_SAS`], not followed.
    pub skipped: u64,
    current: Partial,
    /// The last `interface:` line: it heads the SAs of one crypto-map interface.
    interface: String,
    /// The key of the block being closed, built here to look it up without allocating.
    key: String,
}

/// The most SAs followed in one input: bounds memory on a log of any size.
pub const MAX_SAS: usize = 50_000;
/// The most distinct interfaces named; SAs under further ones are named under none.
const MAX_INTERFACES: usize = 4096;

/// An SA's first snapshot and, when it appeared again, its latest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaPair {
    pub first: SaCounters,
    pub last: Option<SaCounters>,
}

/// A followed SA: where its `local` ends in its key, and its snapshots.
struct Stored {
    local_len: u32,
    first: Snapshot,
    last: Option<Snapshot>,
}

/// One snapshot's numbers.
#[derive(Clone, Copy)]
struct Snapshot {
    encaps: u64,
    decaps: u64,
    send: u64,
    recv: u64,
    replay: u64,
    verify: u64,
    line: u64,
    /// Its place in `Collector::interfaces` (`u32::MAX`: none).
    interface: u32,
}

/// What [`Collector::finish`] read: every SA, in order of first appearance.
pub struct Sas {
    /// SAs beyond [`MAX_SAS`], not followed (the last block included).
    pub skipped: u64,
    sas: Vec<Stored>,
    keys: Vec<Box<str>>,
    interfaces: Vec<String>,
}

impl Sas {
    pub fn len(&self) -> usize {
        self.sas.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sas.is_empty()
    }

    /// Each SA with its snapshots, made one at a time.
    pub fn iter(&self) -> impl Iterator<Item = SaPair> + '_ {
        self.sas.iter().zip(&self.keys).map(|(s, key)| {
            let make = |n: &Snapshot| SaCounters {
                key: key.to_string(),
                encaps: n.encaps,
                decaps: n.decaps,
                send_errors: n.send,
                recv_errors: n.recv,
                replay_failed: n.replay,
                verify_failed: n.verify,
                line: n.line,
                local: key.get(..s.local_len as usize).unwrap_or("").to_string(),
                interface: self
                    .interfaces
                    .get(n.interface as usize)
                    .cloned()
                    .unwrap_or_default(),
            };
            SaPair {
                first: make(&s.first),
                last: s.last.as_ref().map(make),
            }
        })
    }
}

#[derive(Default)]
struct Partial {
    local: String,
    remote: String,
    peer: String,
    encaps: Option<(u64, u64)>,
    decaps: Option<u64>,
    send: u64,
    recv: u64,
    replay: u64,
    verify: u64,
}

impl Partial {
    /// Empty again, keeping the strings' room.
    fn clear(&mut self) {
        self.local.clear();
        self.remote.clear();
        self.peer.clear();
        self.encaps = None;
        self.decaps = None;
        (self.send, self.recv, self.replay, self.verify) = (0, 0, 0, 0);
    }
}

/// Overwrites `to` with `text`, keeping its allocation: one per field, not one per line.
fn set(to: &mut String, text: &str) {
    to.clear();
    to.push_str(text);
}

impl Collector {
    pub fn feed(&mut self, number: u64, line: &str) {
        self.feed_read(number, line, &Line::read(line));
    }

    /// [`Collector::feed`] with the line already read ([`Line::read`]).
    pub fn feed_read(&mut self, number: u64, text: &str, line: &Line) {
        let part = |r: Option<Span>| r.and_then(|r| text.get(r.0 as usize..r.1 as usize));
        if let Some(interface) = part(line.interface) {
            self.close();
            set(&mut self.interface, interface);
            return;
        }
        if line.block {
            self.close();
        }
        if let Some(local) = part(line.local) {
            set(&mut self.current.local, local);
        }
        if let Some(remote) = part(line.remote) {
            set(&mut self.current.remote, remote);
        }
        if let Some(peer) = part(line.peer) {
            set(&mut self.current.peer, peer);
        }
        if let Some(n) = line.encaps {
            // A second counter set without a `local ident` between: the next snapshot.
            if self.current.encaps.is_some() {
                let keep = (
                    self.current.local.clone(),
                    self.current.remote.clone(),
                    self.current.peer.clone(),
                );
                self.close();
                (self.current.local, self.current.remote, self.current.peer) = keep;
            }
            self.current.encaps = Some((n, number));
        }
        if let Some(n) = line.decaps {
            self.current.decaps = Some(n);
        }
        if let Some(n) = line.send {
            self.current.send = n;
        }
        if let Some(n) = line.recv {
            self.current.recv = n;
        }
        if let Some(n) = line.replay {
            self.current.replay = n;
        }
        if let Some(n) = line.verify {
            self.current.verify = n;
        }
    }

    /// An ASA LAN-to-LAN session's byte counts (`show vpn-sessiondb l2l`), read like an SA's
    /// counters: bytes sent into the tunnel as encapsulated, bytes received as
    /// decapsulated. Two pastes of the session are two snapshots of it.
    pub fn session(&mut self, peer: &str, tx: u64, rx: u64, number: u64) {
        self.close();
        self.current.local.push_str("vpn-sessiondb");
        self.current.remote.push_str(peer);
        self.current.peer.push_str(peer);
        self.current.encaps = Some((tx, number));
        self.current.decaps = Some(rx);
        self.close();
    }

    fn close(&mut self) {
        let c = &self.current;
        let (Some((encaps, line)), Some(decaps)) = (c.encaps, c.decaps) else {
            self.current.clear();
            return;
        };
        self.key.clear();
        for part in [c.local.as_str(), " → ", &c.remote, " @ ", &c.peer] {
            self.key.push_str(part);
        }
        let interface = match self.interface_index.get(&self.interface) {
            Some(&i) => i,
            None if self.interfaces.len() < MAX_INTERFACES => {
                let i = self.interfaces.len() as u32;
                self.interfaces.push(self.interface.clone());
                self.interface_index.insert(self.interface.clone(), i);
                i
            }
            None => u32::MAX,
        };
        let snapshot = Snapshot {
            encaps,
            decaps,
            send: c.send,
            recv: c.recv,
            replay: c.replay,
            verify: c.verify,
            line,
            interface,
        };
        match self.index.get(self.key.as_str()) {
            Some(&i) => self.sas[i as usize].last = Some(snapshot),
            None if self.sas.len() < MAX_SAS => {
                self.index
                    .insert(self.key.as_str().into(), self.sas.len() as u32);
                self.sas.push(Stored {
                    local_len: c.local.len() as u32,
                    first: snapshot,
                    last: None,
                });
            }
            None => self.skipped += 1,
        }
        self.current.clear();
    }

    pub fn finish(mut self) -> Sas {
        self.close();
        let mut keys: Vec<Box<str>> = vec![Box::default(); self.sas.len()];
        for (key, i) in self.index {
            keys[i as usize] = key;
        }
        Sas {
            skipped: self.skipped,
            sas: self.sas,
            keys,
            interfaces: self.interfaces,
        }
    }
}

/// What the counters say about the traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Traffic {
    /// Nothing encapsulated or decapsulated.
    None,
    /// Packets leave through the tunnel; nothing comes back.
    EncapsOnly,
    /// Packets arrive and are decrypted; nothing goes back.
    DecapsOnly,
    /// Both directions carry traffic.
    Both,
    /// Send or receive errors are rising (or are a noticeable share of the packets).
    Errors,
    /// A counter went backwards between the two snapshots: the counters were cleared
    /// (`clear crypto sa counters`, a rekey that rebuilt the SA) or the pastes are out of
    /// order. Nothing can be said about the traffic.
    Reset,
}

/// The verdict on a paste, with the figures it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub traffic: Traffic,
    /// Human-readable evidence, e.g. `#pkts encaps 345 → 360, #pkts decaps 0 → 0`.
    pub evidence: String,
    /// Whether two snapshots were compared (otherwise one snapshot's totals were read).
    pub compared: bool,
    /// The detail drop counters that rose between the snapshots (or, in one snapshot, are
    /// not zero): `replay-failed`, `verify-failed`.
    pub dropped: Vec<&'static str>,
}

/// The words of the detail drop counters, as knowledge-base rules name them.
pub const DROPS: &[&str] = &["replay-failed", "verify-failed"];

fn drops(before: Option<&SaCounters>, after: &SaCounters) -> Vec<&'static str> {
    let rose = |b: u64, a: u64| a > b;
    let (r0, v0) = before.map_or((0, 0), |b| (b.replay_failed, b.verify_failed));
    let mut out = Vec::new();
    if rose(r0, after.replay_failed) {
        out.push(DROPS[0]);
    }
    if rose(v0, after.verify_failed) {
        out.push(DROPS[1]);
    }
    out
}

/// The reader of `show crypto ipsec sa` output.
#[derive(Default)]
pub struct Parser;

/// What one line of `show crypto ipsec sa` says, read by hand without allocating (a dump of
/// a hub's SAs is nearly all such lines): each part as a byte range of the line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    /// `interface: GigabitEthernet0/0`: the name.
    interface: Option<Span>,
    /// The line starts a block (`local ident …`).
    block: bool,
    local: Option<Span>,
    remote: Option<Span>,
    peer: Option<Span>,
    encaps: Option<u64>,
    decaps: Option<u64>,
    send: Option<u64>,
    recv: Option<u64>,
    replay: Option<u64>,
    verify: Option<u64>,
}

/// A part of a line: its start and end, in bytes (a line of 4 GiB or more has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span(u32, u32);

fn span(start: usize, len: usize) -> Option<Span> {
    Some(Span(
        u32::try_from(start).ok()?,
        u32::try_from(start + len).ok()?,
    ))
}

impl Line {
    /// Read one line (any case; with or without the colons of later IOS and the ASA).
    pub fn read(line: &str) -> Line {
        let b = line.as_bytes();
        let mut out = Line::default();
        // `interface: NAME` alone on its line.
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        if let Some(rest) = strip_ci(trimmed, "interface:") {
            let name = rest.trim();
            if !name.is_empty() && !name.contains(char::is_whitespace) {
                let start = lead + "interface:".len() + (rest.len() - rest.trim_start().len());
                out.interface = span(start, name.len());
                return out;
            }
        }
        out.block = strip_ci(trimmed, "local")
            .and_then(|r| strip_ci(spaces(r, 1)?, "ident"))
            .is_some_and(|r| !r.starts_with(|c: char| c.is_alphanumeric() || c == '_'));
        let ident = |side: &str| {
            super::find_all_ci(line, side).find_map(|at| {
                let r = spaces(&line[at + side.len()..], 1)?;
                let r = strip_ci(r, "ident")?;
                let r = strip_ci(spaces(r, 0)?, "(addr/mask/prot/port):")?;
                let r = spaces(r, 0)?.strip_prefix('(')?;
                let r = spaces(r, 0)?;
                let len = r
                    .find(|c: char| c == ')' || c.is_whitespace())
                    .unwrap_or(r.len());
                let start = line.len() - r.len();
                (len > 0).then(|| span(start, len)).flatten()
            })
        };
        out.local = ident("local");
        out.remote = ident("remote");
        out.peer = super::find_all_ci(line, "current_peer").find_map(|at| {
            let r = &line[at + "current_peer".len()..];
            let r = spaces(r.strip_prefix(':').unwrap_or(r), 0)?;
            let len = r
                .find(|c: char| !(c.is_ascii_hexdigit() || c == '.' || c == ':'))
                .unwrap_or(r.len());
            let start = line.len() - r.len();
            (len > 0).then(|| span(start, len)).flatten()
        });
        // `#pkts encaps: 4`, `#send errors 0`, `#pkts replay failed (rcv): 0`: each counter
        // by the words of its name after `#`.
        for at in memchr::memchr_iter(b'#', b) {
            let counters: [(&[&str], &mut Option<u64>); 6] = [
                (&["pkts", "encaps"], &mut out.encaps),
                (&["pkts", "decaps"], &mut out.decaps),
                (&["pkts", "replay", "failed"], &mut out.replay),
                (&["pkts", "verify", "failed"], &mut out.verify),
                (&["send", "errors"], &mut out.send),
                (&["recv", "errors"], &mut out.recv),
            ];
            let Some((name, counter, r)) = counters.into_iter().find_map(|(name, counter)| {
                words_ci(&line[at + 1..], name).map(|r| (name, counter, r))
            }) else {
                continue;
            };
            // Only the replay counter names its direction.
            let r = if name[1] == "replay" {
                let r = spaces(r, 0).unwrap_or(r);
                strip_ci(r, "(rcv)").unwrap_or(r)
            } else {
                r
            };
            if counter.is_some() {
                continue;
            }
            let r = r.strip_prefix(':').unwrap_or(r);
            let r = spaces(r, 0).unwrap_or(r);
            let digits = r.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 {
                *counter = r[..digits].parse().ok();
            }
        }
        out
    }
}

/// `text` without its first `prefix.len()` bytes, if they are `prefix` in any case.
fn strip_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.as_bytes().get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix.as_bytes())
        .then(|| &text[prefix.len()..])
}

/// `text` past `words`, in any case, the first at its start and each next one after
/// whitespace.
fn words_ci<'a>(text: &'a str, words: &[&str]) -> Option<&'a str> {
    let (first, rest) = words.split_first()?;
    let mut r = strip_ci(text, first)?;
    for word in rest {
        r = strip_ci(spaces(r, 1)?, word)?;
    }
    Some(r)
}

/// `text` past its leading whitespace, if there are at least `min` characters of it.
fn spaces(text: &str, min: usize) -> Option<&str> {
    let rest = text.trim_start();
    (text.len() - rest.len() >= min).then_some(rest)
}

/// The lines a stream must keep for this reader, as scanner patterns (Unicode off).
pub const TRIGGERS: &[&str] = &[
    r"(?i)local\s+ident\s*\(",
    r"(?i)remote\s+ident\s*\(",
    r"(?i)current_peer",
    r"(?i)#pkts\s+(?:encaps|decaps)",
    r"(?i)#(?:send|recv)\s+errors",
    r"(?i)#pkts\s+(?:replay|verify)\s+failed",
    r"(?i)\binterface:\s",
];

impl Parser {
    pub fn new() -> Parser {
        Parser
    }

    pub fn collector(&self) -> Collector {
        Collector::default()
    }

    /// Every SA with counters, in order, with its later snapshot if any.
    pub fn blocks(&self, text: &str) -> Vec<SaPair> {
        let mut c = self.collector();
        for (i, line) in super::lines(text).enumerate() {
            c.feed(i as u64 + 1, line);
        }
        c.finish().iter().collect()
    }

    /// Read the traffic from a paste: the first SA's verdict.
    pub fn verdict(&self, text: &str) -> Option<Verdict> {
        verdicts(&self.blocks(text))
            .into_iter()
            .next()
            .map(|(_, v)| v)
    }
}

/// One verdict per SA: from what moved between its first and last snapshot when it appears
/// more than once, else from its one snapshot's totals. With the SA's first block.
pub fn verdicts(sas: &[SaPair]) -> Vec<(&SaCounters, Verdict)> {
    sas.iter()
        .map(|pair| (&pair.first, verdict(pair)))
        .collect()
}

/// The verdict on one SA: from what moved between its first and last snapshot when it
/// appears more than once, else from its one snapshot's totals.
pub fn verdict(pair: &SaPair) -> Verdict {
    let SaPair { first, last } = pair;
    {
        let later = last.as_ref();
        let verdict = match later {
            Some(after) => {
                let d = |a: u64, b: u64| b.saturating_sub(a);
                let (enc, dec) = (d(first.encaps, after.encaps), d(first.decaps, after.decaps));
                let errors = d(first.send_errors, after.send_errors)
                    + d(first.recv_errors, after.recv_errors);
                let backwards = after.encaps < first.encaps
                    || after.decaps < first.decaps
                    || after.send_errors < first.send_errors
                    || after.recv_errors < first.recv_errors;
                Verdict {
                    traffic: if backwards {
                        Traffic::Reset
                    } else if errors > 0 {
                        Traffic::Errors
                    } else {
                        classify(enc, dec)
                    },
                    evidence: format!(
                        "#pkts encaps {} → {}, #pkts decaps {} → {}, errors {} → {}",
                        first.encaps,
                        after.encaps,
                        first.decaps,
                        after.decaps,
                        first.send_errors + first.recv_errors,
                        after.send_errors + after.recv_errors
                    ),
                    compared: true,
                    dropped: drops(Some(first), after),
                }
            }
            None => {
                let errors = first.send_errors + first.recv_errors;
                let packets = first.encaps + first.decaps;
                // One snapshot cannot show errors rising; only a noticeable share counts
                // (the tech note's healthy router shows 1 send error in 15 million packets).
                let traffic = if errors > 0 && errors * 100 >= packets.max(1) {
                    Traffic::Errors
                } else {
                    classify(first.encaps, first.decaps)
                };
                Verdict {
                    traffic,
                    evidence: format!(
                        "#pkts encaps {}, #pkts decaps {}, #send errors {}, #recv errors {}",
                        first.encaps, first.decaps, first.send_errors, first.recv_errors
                    ),
                    compared: false,
                    dropped: drops(None, first),
                }
            }
        };
        verdict
    }
}

impl Traffic {
    /// The word knowledge-base rules use (`traffic: [encaps-only]`).
    pub fn word(self) -> &'static str {
        match self {
            Traffic::None => "none",
            Traffic::EncapsOnly => "encaps-only",
            Traffic::DecapsOnly => "decaps-only",
            Traffic::Both => "both",
            Traffic::Errors => "errors",
            Traffic::Reset => "reset",
        }
    }

    /// Every word, for `kb check`.
    pub const WORDS: &'static [&'static str] = &[
        "none",
        "encaps-only",
        "decaps-only",
        "both",
        "errors",
        "reset",
    ];
}

fn classify(encaps: u64, decaps: u64) -> Traffic {
    match (encaps > 0, decaps > 0) {
        (false, false) => Traffic::None,
        (true, false) => Traffic::EncapsOnly,
        (false, true) => Traffic::DecapsOnly,
        (true, true) => Traffic::Both,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PIX: &str = "\
interface: outside
  Crypto map tag: vpn, local addr. 10.1.0.1
  local ident (addr/mask/prot/port): (10.1.0.0/255.255.255.0/0/0)
  remote ident (addr/mask/prot/port): (10.1.0.2/255.255.255.255/0/0)
  current_peer: 10.2.1.1
  PERMIT, flags={}
  #pkts encaps: 345, #pkts encrypt: 345, #pkts digest 0
  #pkts decaps: 366, #pkts decrypt: 366, #pkts verify 0
  #pkts decompress failed: 0, #send errors 0, #recv errors 0
";

    fn with(encaps: u64, decaps: u64, recv: u64) -> String {
        PIX.replace("encaps: 345", &format!("encaps: {encaps}"))
            .replace("decaps: 366", &format!("decaps: {decaps}"))
            .replace("#recv errors 0", &format!("#recv errors {recv}"))
    }

    #[test]
    fn reads_one_snapshot() {
        let p = Parser::new();
        assert_eq!(p.blocks(PIX)[0].first.encaps, 345);
        assert_eq!(p.verdict(PIX).unwrap().traffic, Traffic::Both);
        assert_eq!(
            p.verdict(&with(12, 0, 0)).unwrap().traffic,
            Traffic::EncapsOnly
        );
        assert_eq!(
            p.verdict(&with(0, 7, 0)).unwrap().traffic,
            Traffic::DecapsOnly
        );
        assert_eq!(p.verdict(&with(0, 0, 0)).unwrap().traffic, Traffic::None);
        assert_eq!(
            p.verdict(&with(100, 100, 50)).unwrap().traffic,
            Traffic::Errors
        );
        // The IOS sample's 1 send error in 15 million packets is not a fault.
        assert_eq!(
            p.verdict(&with(7_767_918, 7_760_382, 1)).unwrap().traffic,
            Traffic::Both
        );
    }

    #[test]
    fn compares_two_snapshots() {
        let p = Parser::new();
        let two = format!("{}\n{}", with(345, 366, 0), with(360, 366, 0));
        let v = p.verdict(&two).unwrap();
        assert!(v.compared);
        assert_eq!(v.traffic, Traffic::EncapsOnly);
        assert!(v.evidence.contains("345 → 360"), "{}", v.evidence);
        let errors = format!("{}\n{}", with(345, 366, 0), with(360, 380, 3));
        assert_eq!(p.verdict(&errors).unwrap().traffic, Traffic::Errors);
    }

    #[test]
    fn sas_past_the_bound_are_counted_the_last_one_too() {
        let mut c = Parser::new().collector();
        let mut n = 0;
        for i in 0..MAX_SAS as u64 + 2 {
            for line in [
                format!(
                    "local  ident (addr/mask/prot/port): (10.{}.{}.0/255.255.255.0/0/0)",
                    i >> 8,
                    i % 256
                ),
                "remote ident (addr/mask/prot/port): (10.9.0.0/255.255.0.0/0/0)".into(),
                "#pkts encaps: 5, #pkts encrypt: 5".into(),
                "#pkts decaps: 4, #pkts decrypt: 4".into(),
            ] {
                n += 1;
                c.feed(n, &line);
            }
        }
        let sas = c.finish();
        assert_eq!((sas.len(), sas.skipped), (MAX_SAS, 2));
        let first = sas.iter().next().unwrap();
        assert_eq!(first.first.local, "10.0.0.0/255.255.255.0/0/0");
        assert_eq!((first.first.encaps, first.first.line), (5, 3));
    }

    #[test]
    fn reads_each_kind_of_line_by_hand() {
        let part = |text: &str, r: Option<Span>| {
            r.map(|Span(a, b)| text[a as usize..b as usize].to_string())
        };
        let t = "   local  ident (addr/mask/prot/port): (10.1.1.0/255.255.255.0/0/0)";
        let l = Line::read(t);
        assert!(l.block);
        assert_eq!(
            part(t, l.local).as_deref(),
            Some("10.1.1.0/255.255.255.0/0/0")
        );
        let t = "   REMOTE IDENT (addr/mask/prot/port): ( 2001:db8::/ffff:ffff::/0/0 )";
        let l = Line::read(t);
        assert!(!l.block);
        assert_eq!(
            part(t, l.remote).as_deref(),
            Some("2001:db8::/ffff:ffff::/0/0")
        );
        for (t, peer) in [
            ("   current_peer 198.51.100.2 port 500", "198.51.100.2"),
            ("  current_peer: 10.2.1.1", "10.2.1.1"),
            ("  current_peer:2001:DB8::2", "2001:DB8::2"),
        ] {
            assert_eq!(part(t, Line::read(t).peer).as_deref(), Some(peer), "{t}");
        }
        assert_eq!(Line::read("  current_peer: (none)").peer, None);
        let t = "interface: GigabitEthernet0/0 ";
        assert_eq!(
            part(t, Line::read(t).interface).as_deref(),
            Some("GigabitEthernet0/0")
        );
        assert_eq!(Line::read("interface: Tunnel0 is up").interface, None);
        // IOS 12 without colons, later IOS and the ASA with them.
        let l =
            Line::read("    #pkts encaps: 7767918, #pkts encrypt: 7767918, #pkts digest 7767918");
        assert_eq!(l.encaps, Some(7_767_918));
        let l = Line::read("#pkts decaps 7760382, #pkts decrypt: 7760382, #pkts verify 7760382");
        assert_eq!((l.decaps, l.verify), (Some(7_760_382), None));
        let l = Line::read("    #pkts decompress failed: 0, #send errors 1, #recv errors 0");
        assert_eq!((l.send, l.recv), (Some(1), Some(0)));
        let l = Line::read("    #send errors: 12, #recv errors: 3");
        assert_eq!((l.send, l.recv), (Some(12), Some(3)));
        let l = Line::read("    ##pkts replay failed (rcv): 4");
        assert_eq!(l.replay, Some(4));
        let l = Line::read("    #pkts replay failed: 5");
        assert_eq!(l.replay, Some(5));
        let l = Line::read("    #pkts invalid prot (recv) 0, #pkts verify failed: 6");
        assert_eq!(l.verify, Some(6));
        // Failure counters are not the traffic counters.
        let l = Line::read("    #pkts encaps failed (send) 0, #pkts decaps failed (rcv) 0");
        assert_eq!((l.encaps, l.decaps), (None, None));
        // A number too big for a counter is none.
        assert_eq!(
            Line::read("#pkts encaps: 99999999999999999999999").encaps,
            None
        );
        assert_eq!(Line::read("nothing here"), Line::default());
    }

    #[test]
    fn reads_modern_layouts_and_bare_counter_lines() {
        let asa = "    #pkts encaps: 4, #pkts encrypt: 4, #pkts digest: 4\n    #pkts decaps: 0, #pkts decrypt: 0, #pkts verify: 0\n    #send errors: 0, #recv errors: 0\n";
        assert_eq!(
            Parser::new().verdict(asa).unwrap().traffic,
            Traffic::EncapsOnly
        );
        assert!(Parser::new().verdict("no counters here").is_none());
    }
}
