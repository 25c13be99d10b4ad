//! The knowledge base's error entries as Sigma rules, for the log engines that operators of
//! many devices already run (Splunk, Elasticsearch / OpenSearch, Loki, Sentinel).
//!
//! One rule per error entry. Its `id` is a name-based UUID (version 5, SHA-1) of the node ID
//! in a namespace of this project: the same entry has the same rule ID in every release and
//! every build. The detection is on two fields of the Sigma taxonomy this export documents:
//! `message`, the text of the log line, and `message_id`, the ASA/FTD message number. A
//! signature made of fixed words separated by white space becomes `message|contains|all` of
//! those words; a signature that is only an ASA message number becomes `message_id`; any
//! other keeps its regular expression (`message|re`, with `|i` for `(?i)`) and is listed as
//! such. Field-mapping pipelines (`sigma/pipelines/`) map the two fields to each ingest
//! shape.

use crate::kb::schema::ErrorMsg;
use crate::kb::{Kb, Kind, Lang, Node, Platform};
use regex_syntax::hir::{Hir, HirKind};
use std::fmt::Write as _;

/// The namespace of the rule IDs (a random UUID, fixed forever).
const NAMESPACE: [u8; 16] = [
    0x5b, 0x1f, 0x3c, 0x7e, 0x9a, 0x42, 0x4d, 0x0b, 0x8e, 0x61, 0x2f, 0xc4, 0x93, 0x57, 0xa8, 0x0d,
];
/// The date the rules were first published: Sigma's `date`, stable across exports.
const FIRST_PUBLISHED: &str = "2026-12-02";
/// Where the runbook is read by default; `--book-url` names another.
pub const DEFAULT_BOOK_URL: &str = "https://ipsec-doctor.invalid/book";

/// One exported rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub node: String,
    pub id: String,
    /// The file name it is written to.
    pub file: String,
    pub yaml: String,
    /// Whether a signature of it kept its regular expression.
    pub uses_regex: bool,
}

/// Every error entry as a rule, in knowledge-base order, then the fleet rules: for each
/// [`GROUPS`] entry one file with the rule any of its messages matches and the
/// [`CORRELATIONS`] on it.
pub fn rules(kb: &Kb, book_url: &str) -> Vec<Rule> {
    let mut out: Vec<Rule> = kb
        .nodes_of(Kind::Error)
        .filter_map(|n| match n {
            Node::Error(e) => Some(rule(kb, e, book_url)),
            _ => None,
        })
        .collect();
    for g in GROUPS {
        let members: Vec<&ErrorMsg> = g
            .members
            .iter()
            .filter_map(|id| match kb.node(id) {
                Some(Node::Error(e)) => Some(e),
                _ => None,
            })
            .collect();
        // A knowledge base of its own (`--kb`) may lack them all.
        if members.is_empty() {
            continue;
        }
        // The group's rule and its correlations in one file, the group first: pySigma
        // converts a correlation only after the rule it counts, and sigma-cli reads the
        // files of a directory in no set order.
        let mut rule = group_rule(g, &members);
        for c in CORRELATIONS.iter().filter(|c| c.group == g.name) {
            rule.yaml.push_str("---\n");
            rule.yaml.push_str(&correlation_rule(c, kb, book_url));
        }
        out.push(rule);
    }
    out
}

/// Messages that mean one thing to an operator of many devices: a phase-1 negotiation
/// failed, a phase-2 one failed, a packet of an established tunnel was dropped.
pub struct Group {
    pub name: &'static str,
    title: &'static str,
    description: &'static str,
    /// Error entries, by ID.
    pub members: &'static [&'static str],
}

/// The fleet patterns the knowledge base names, as Sigma correlation rules over a
/// [`Group`]'s rule.
pub struct Correlation {
    pub name: &'static str,
    pub group: &'static str,
    title: &'static str,
    description: &'static str,
    /// `None`: count the events; `Some(field)`: count the distinct values of the field.
    distinct: Option<&'static str>,
    group_by: &'static [&'static str],
    timespan: &'static str,
    at_least: u32,
    /// The runbook entry that says what to do.
    entry: &'static str,
    level: &'static str,
}

pub const GROUPS: &[Group] = &[
    Group {
        name: "fleet-phase1-failure",
        title: "IPsec phase 1 (IKE) negotiation failed",
        description: "Any message of a failed IKE (phase 1) negotiation that the knowledge base knows: no matching policy or proposal, no key or certificate for the peer, an authentication failure, no answer. Used by the fleet correlation rules; each message also has a rule of its own.",
        members: &[
            "err-main-mode-failed",
            "err-algorithm-offered-mismatch",
            "err-no-cert-no-keys",
            "err-peer-address-not-found",
            "err-remote-peer-not-responding",
            "err-ikev2-no-proposal-chosen",
            "err-ikev2-auth-failed",
            "err-ikev2-profile-mismatch",
            "err-natt-blocked",
        ],
    },
    Group {
        name: "fleet-phase2-failure",
        title: "IPsec phase 2 (quick mode / child SA) negotiation failed",
        description: "Any message of a failed phase 2 negotiation that the knowledge base knows: proxy identities or traffic selectors that do not match, a transform set or PFS group the peer refuses. Used by the fleet correlation rules; each message also has a rule of its own.",
        members: &[
            "err-qm-fsm",
            "err-proxy-identities-not-supported",
            "err-transform-proposal-not-supported",
            "err-invalid-proxy-ids",
            "err-invalid-local-address",
            "err-all-ipsec-proposals-unacceptable",
            "err-pfs-mismatch",
            "err-ikev2-ts-unacceptable",
        ],
    },
    Group {
        name: "fleet-packet-error",
        title: "IPsec packet of an established tunnel dropped",
        description: "Any message of an ESP packet dropped on an established tunnel: replay check, integrity (HMAC) check, ESP sequence, invalid SPI, hardware decryption error. Used by the fleet correlation rules; each message also has a rule of its own.",
        members: &[
            "err-replay-check-failed",
            "err-hmac-verification-failed",
            "err-esp-sequence-fail",
            "err-invalid-spi",
            "err-packet-encryption-decryption",
        ],
    },
];

pub const CORRELATIONS: &[Correlation] = &[
    Correlation {
        name: "fleet-phase1-failures-one-peer",
        group: "fleet-phase1-failure",
        title: "IPsec phase 1 keeps failing with the same peer",
        description: "One gateway logged five or more phase 1 failures with the same peer in ten minutes. A refused first offer is part of a normal negotiation; a failure that repeats is a lasting mismatch of the two peers' IKE settings (policy, key, identity) or a path that drops IKE.",
        distinct: None,
        group_by: &["host", "peer"],
        timespan: "10m",
        at_least: 5,
        entry: "sym-tunnel-not-established",
        level: "high",
    },
    Correlation {
        name: "fleet-phase1-failures-many-peers",
        group: "fleet-phase1-failure",
        title: "IPsec phase 1 fails with many peers of one gateway at once",
        description: "One gateway logged phase 1 failures with five or more different peers in ten minutes. When many tunnels fail together, what changed is most likely on this gateway (its IKE policy, its keys or certificate, its address) or on its path, not on each peer.",
        distinct: Some("peer"),
        group_by: &["host"],
        timespan: "10m",
        at_least: 5,
        entry: "sym-tunnel-not-established",
        level: "critical",
    },
    Correlation {
        name: "fleet-phase2-failures-one-peer",
        group: "fleet-phase2-failure",
        title: "IPsec phase 2 keeps failing with the same peer",
        description: "One gateway logged three or more phase 2 failures with the same peer in ten minutes: the two peers' crypto ACLs (proxy identities), transform sets or PFS groups differ.",
        distinct: None,
        group_by: &["host", "peer"],
        timespan: "10m",
        at_least: 3,
        entry: "sym-tunnel-not-established",
        level: "high",
    },
    Correlation {
        name: "fleet-packet-errors-one-peer",
        group: "fleet-packet-error",
        title: "Repeated IPsec packet errors on the tunnel with one peer",
        description: "One gateway dropped ten or more ESP packets from the same peer in ten minutes (replay, integrity, sequence or SPI errors): the intermittent loss of the knowledge base's symptom, from reordering, corruption on the path or SAs out of sync.",
        distinct: None,
        group_by: &["host", "peer"],
        timespan: "10m",
        at_least: 10,
        entry: "sym-intermittent-packet-errors",
        level: "medium",
    },
];

/// The head every rule shares: title, ID, name (when other rules refer to it), status,
/// description, references, author, date and tags. The tag says a detection for
/// investigation (Sigma's `detection.dfir`): the rules detect faults, not an attacker's
/// technique, so no ATT&CK tag. (No TLP tag either: pySigma's TLP 1 and TLP 2 validators
/// reject each other's `white` and `clear`.)
fn head(
    y: &mut String,
    title: &str,
    id: &str,
    name: Option<&str>,
    description: &str,
    references: &[String],
) {
    let _ = writeln!(y, "title: {}", quote(title));
    let _ = writeln!(y, "id: {id}");
    if let Some(name) = name {
        let _ = writeln!(y, "name: {name}");
    }
    let _ = writeln!(y, "status: test");
    let _ = writeln!(y, "description: {}", quote(description));
    if !references.is_empty() {
        let _ = writeln!(y, "references:");
        for r in references {
            let _ = writeln!(y, "    - {}", quote(r));
        }
    }
    let _ = writeln!(y, "author: ipsec-doctor");
    let _ = writeln!(y, "date: {FIRST_PUBLISHED}");
    let _ = writeln!(y, "tags:");
    let _ = writeln!(y, "    - detection.dfir");
}

/// The rule any message of the group matches: the members' selections, each named after
/// its entry.
fn group_rule(g: &Group, members: &[&ErrorMsg]) -> Rule {
    let id = rule_id(g.name);
    let mut y = String::new();
    head(&mut y, g.title, &id, Some(g.name), g.description, &[]);
    let _ = writeln!(y, "logsource:");
    let _ = writeln!(y, "    product: cisco");
    let _ = writeln!(y, "    service: syslog");
    let _ = writeln!(y, "detection:");
    let mut uses_regex = false;
    for e in members {
        let name = format!(
            "selection_{}",
            e.id.trim_start_matches("err-").replace('-', "_")
        );
        uses_regex |= selections(&mut y, e, &name);
    }
    let _ = writeln!(y, "    condition: 1 of selection_*");
    let _ = writeln!(y, "falsepositives:");
    let _ = writeln!(
        y,
        "    - 'One message alone: see the falsepositives of its own rule.'"
    );
    let _ = writeln!(y, "level: low");
    Rule {
        node: g.name.to_string(),
        file: format!("{}.yml", g.name),
        id,
        yaml: y,
        uses_regex,
    }
}

/// A correlation rule's YAML document.
fn correlation_rule(c: &Correlation, kb: &Kb, book_url: &str) -> String {
    let id = rule_id(c.name);
    let mut y = String::new();
    let references: Vec<String> = kb
        .node(c.entry)
        .map(|_| {
            format!(
                "{}/en/symptoms/{}.html",
                book_url.trim_end_matches('/'),
                c.entry
            )
        })
        .into_iter()
        .collect();
    head(
        &mut y,
        c.title,
        &id,
        Some(c.name),
        c.description,
        &references,
    );
    let _ = writeln!(y, "correlation:");
    let kind = if c.distinct.is_some() {
        "value_count"
    } else {
        "event_count"
    };
    let _ = writeln!(y, "    type: {kind}");
    let _ = writeln!(y, "    rules:");
    let _ = writeln!(y, "        - {}", c.group);
    let _ = writeln!(y, "    group-by:");
    for f in c.group_by {
        let _ = writeln!(y, "        - {f}");
    }
    let _ = writeln!(y, "    timespan: {}", c.timespan);
    let _ = writeln!(y, "    condition:");
    if let Some(field) = c.distinct {
        let _ = writeln!(y, "        field: {field}");
    }
    let _ = writeln!(y, "        gte: {}", c.at_least);
    let _ = writeln!(y, "falsepositives:");
    let _ = writeln!(
        y,
        "    - 'A planned change or a peer being rebuilt while it keeps retrying.'"
    );
    let _ = writeln!(y, "level: {}", c.level);
    y
}

/// The rule ID of a node: a version-5 UUID of its ID.
pub fn rule_id(node_id: &str) -> String {
    let mut data = NAMESPACE.to_vec();
    data.extend_from_slice(node_id.as_bytes());
    let hash = sha1(&data);
    let mut b = [0u8; 16];
    b.copy_from_slice(&hash[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// How one signature is detected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detection {
    /// Every fragment appears in the message.
    Contains(Vec<String>),
    /// The ASA message number.
    MessageId(String),
    /// The regular expression, and whether it ignores case.
    Regex(String, bool),
}

/// The portable form of a signature, else its regular expression.
pub fn detection(pattern: &str) -> Detection {
    let (body, insensitive) = match pattern.strip_prefix("(?i)") {
        Some(rest) => (rest, true),
        None => (pattern, false),
    };
    // `-4-402120\b`: the message number of an ASA message decides.
    let id_only = body.trim_end_matches("\\b");
    if let Some(rest) = id_only.strip_prefix('-') {
        let parts: Vec<&str> = rest.split('-').collect();
        if parts.len() == 2
            && parts[0].len() == 1
            && parts[0].bytes().all(|b| b.is_ascii_digit())
            && parts[1].len() == 6
            && parts[1].bytes().all(|b| b.is_ascii_digit())
        {
            return Detection::MessageId(parts[1].to_string());
        }
    }
    match fragments(pattern) {
        Some(f) if !f.is_empty() => Detection::Contains(f),
        _ => Detection::Regex(body.to_string(), insensitive),
    }
}

/// The fixed words of a pattern that is only words, white space and word boundaries:
/// `(?i)\breplay\s+check\s+failed` → `["replay check failed"]`. `None` for anything else.
fn fragments(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let subs: Vec<&Hir> = match hir.kind() {
        HirKind::Concat(subs) => subs.iter().collect(),
        _ => vec![&hir],
    };
    let mut out = Vec::new();
    let mut run = String::new();
    for s in subs {
        if let Some(t) = crate::kb::prefilter::literal_text(s) {
            run.push_str(&t);
            continue;
        }
        match s.kind() {
            HirKind::Look(_) => {}
            // White space between words: one space in the fragment; after a colon, where
            // the ASA pads with two (`Phase 1 failure:  Mismatched …`), a new fragment.
            HirKind::Repetition(r) if r.min >= 1 && is_space(&r.sub) => space(&mut run, &mut out),
            _ if is_space(s) => space(&mut run, &mut out),
            _ => return None,
        }
    }
    if !run.trim().is_empty() {
        out.push(run.trim().to_string());
    }
    Some(out)
}

fn space(run: &mut String, out: &mut Vec<String>) {
    if run.ends_with(':') {
        out.push(std::mem::take(run));
    } else if !run.is_empty() {
        run.push(' ');
    }
}

fn is_space(h: &Hir) -> bool {
    match h.kind() {
        HirKind::Class(regex_syntax::hir::Class::Unicode(c)) => {
            c.ranges().iter().any(|r| r.start() == '\t')
        }
        _ => false,
    }
}

/// The Sigma level of an error: from the severity its examples print (`%ASA-3-…`,
/// `%CRYPTO-4-…`): 0 to 3 high, 4 medium, 5 to 7 low; medium for debug lines, which carry
/// none.
fn level(e: &ErrorMsg) -> &'static str {
    let severity = e
        .examples
        .iter()
        .filter_map(|x| {
            let at = x.text.find('%')?;
            let rest = &x.text[at + 1..];
            let mut parts = rest.splitn(3, '-');
            let _facility = parts.next()?;
            parts.next()?.parse::<u8>().ok()
        })
        .min();
    match severity {
        Some(0..=3) => "high",
        Some(4) => "medium",
        Some(_) => "low",
        None => "medium",
    }
}

/// The log source, from the messages the examples show: the ASA's (or PIX's, or FTD's)
/// syslog (`asa`), the router's (`ios`), or `syslog` when the entry has both.
fn service(e: &ErrorMsg) -> &'static str {
    let firewall = |t: &str| {
        [
            "%ASA-",
            "%PIX-",
            "%FTD-",
            "[IKEv1]",
            "[IKEv2]",
            "Group = ",
            "IKEv2-PLAT",
            "IKEv2-PROTO",
        ]
        .iter()
        .any(|m| t.contains(m))
    };
    let asa = e.examples.iter().any(|x| firewall(&x.text))
        || (e.examples.is_empty()
            && e.platforms
                .iter()
                .any(|p| matches!(p, Platform::Asa | Platform::Pix)));
    let ios = e.examples.iter().any(|x| !firewall(&x.text));
    match (asa, ios) {
        (true, false) => "asa",
        (false, true) => "ios",
        _ => "syslog",
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn rule(kb: &Kb, e: &ErrorMsg, book_url: &str) -> Rule {
    let id = rule_id(&e.id);
    let mut y = String::new();
    let summary = e
        .summary
        .get(Lang::En)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let references: Vec<String> = std::iter::once(format!(
        "{}/en/errors/{}.html",
        book_url.trim_end_matches('/'),
        e.id
    ))
    .chain(e.references.iter().filter_map(|r| r.url.clone()))
    .collect();
    head(&mut y, &e.title.en, &id, None, &summary, &references);
    let _ = writeln!(y, "logsource:");
    let _ = writeln!(y, "    product: cisco");
    let _ = writeln!(y, "    service: {}", service(e));
    let _ = writeln!(y, "detection:");
    let uses_regex = selections(&mut y, e, "selection");
    let _ = writeln!(y, "    condition: 1 of selection_*");
    let _ = writeln!(y, "falsepositives:");
    if e.false_positives.is_empty() {
        let _ = writeln!(y, "    - Unknown");
    }
    for f in &e.false_positives {
        let text = f.en.split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = writeln!(y, "    - {}", quote(&text));
    }
    let _ = writeln!(y, "level: {}", level(e));
    let _ = kb;
    Rule {
        node: e.id.clone(),
        file: format!("{}.yml", e.id),
        id,
        yaml: y,
        uses_regex,
    }
}

/// The detection's selections of one entry's signatures, named `{name}_1`, `{name}_2`, …
/// (and `{name}_N_text` for the raw-syslog form of a message number); whether one of them
/// kept its regular expression.
fn selections(y: &mut String, e: &ErrorMsg, name: &str) -> bool {
    let mut uses_regex = false;
    for (i, sig) in e.signatures.iter().enumerate() {
        let _ = writeln!(y, "    {name}_{}:", i + 1);
        match detection(sig) {
            Detection::Contains(words) => {
                let _ = writeln!(y, "        message|contains|all:");
                for w in words {
                    let _ = writeln!(y, "            - {}", quote(&w));
                }
            }
            Detection::MessageId(n) => {
                // The number where the ingest parsed it out, and the text where it did
                // not (raw syslog): `%ASA-4-402120: …`.
                let _ = writeln!(y, "        message_id: {n}");
                let _ = writeln!(y, "    {name}_{}_text:", i + 1);
                let _ = writeln!(y, "        message|contains: {}", quote(&format!("-{n}:")));
            }
            Detection::Regex(re, insensitive) => {
                uses_regex = true;
                let modifier = if insensitive { "re|i" } else { "re" };
                let _ = writeln!(y, "        message|{modifier}: {}", quote(&re));
            }
        }
    }
    uses_regex
}

/// SHA-1 (FIPS 180-4), for the name-based rule IDs: no dependency for twenty lines.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fleet_groups_name_error_entries_and_correlations_name_groups() {
        let kb = crate::kb::Kb::open(&crate::kb::KbSource::Embedded).unwrap();
        let mut all = std::collections::BTreeSet::new();
        for g in GROUPS {
            for m in g.members {
                assert!(
                    matches!(kb.node(m), Some(Node::Error(_))),
                    "{}: {m} is no error entry",
                    g.name
                );
                assert!(all.insert(*m), "{m} is in two groups");
            }
        }
        for c in CORRELATIONS {
            assert!(GROUPS.iter().any(|g| g.name == c.group), "{}", c.name);
            assert!(kb.node(c.entry).is_some(), "{}: {}", c.name, c.entry);
        }
    }

    #[test]
    fn sha1_is_sha1() {
        let hex = |b: [u8; 20]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        assert_eq!(
            hex(sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(hex(sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        let long = vec![b'a'; 1000];
        assert_eq!(hex(sha1(&long)), "291e9a6c66994949b57ba5e650361e98fc36b1ba");
    }

    #[test]
    fn rule_ids_are_stable_version_5_uuids() {
        let a = rule_id("err-replay-check-failed");
        assert_eq!(a, rule_id("err-replay-check-failed"));
        assert_ne!(a, rule_id("err-invalid-spi"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "5");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn signatures_become_portable_detections_where_they_can() {
        assert_eq!(
            detection(r"(?i)\breplay\s+check\s+failed"),
            Detection::Contains(vec!["replay check failed".into()])
        );
        assert_eq!(
            detection(r"\bTS_UNACCEPTABLE\b"),
            Detection::Contains(vec!["TS_UNACCEPTABLE".into()])
        );
        assert_eq!(
            detection(r"(?i)-4-402120\b"),
            Detection::MessageId("402120".into())
        );
        assert_eq!(
            detection(r"(?i)\bNo\s+pre-shared\s+key\s+with\s+\S+"),
            Detection::Regex(r"\bNo\s+pre-shared\s+key\s+with\s+\S+".into(), true)
        );
    }
}
