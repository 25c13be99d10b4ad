//! `diagnose` on the debug log of a hub that negotiates with many peers at once (issue 11):
//! a refused offer is settled by the same peer's acceptance, never by another peer's.
//!
//! The logs are written here, in IOS 15 / IOS-XE, PIX 6 and ASA layouts, by small
//! generators: twenty peers whose packets interleave as a hub prints them, each peer's
//! lines remembered so that every piece of evidence can be checked to be that peer's.

use crate::util::ipsec_doctor;
use std::collections::BTreeSet;

const HUB: &str = "203.0.113.1";

/// A generated log and which lines each peer's packets occupy.
struct Hub {
    log: String,
    peers: Vec<String>,
    lines_of: Vec<BTreeSet<u64>>,
}

/// How a peer's negotiations go.
#[derive(Clone, Copy, PartialEq)]
enum Story {
    /// Phase 2 succeeds after a refused first offer (phase 1 too, where the layout has one).
    RefusedThenAccepted,
    /// Every phase 2 proposal is refused: the hub says so.
    Fails,
    /// Every phase 2 proposal is refused, and the log ends before the verdict.
    FailsAtTheEnd,
}

/// A peer's packets, each as the lines the hub prints while processing it.
type Packets = Vec<Vec<String>>;

/// Interleave the peers' packets packet by packet, in a fixed pseudo-random order; a
/// peer's packets stay in order. `last`: a peer whose final packet ends the log.
fn interleave(
    peers: Vec<String>,
    mut packets: Vec<Packets>,
    last: Option<usize>,
    stamp: bool,
) -> Hub {
    let mut held_back = last.and_then(|i| packets[i].pop());
    let mut next = vec![0usize; packets.len()];
    let mut hub = Hub {
        log: String::new(),
        lines_of: vec![BTreeSet::new(); peers.len()],
        peers,
    };
    let mut line = 0u64;
    let mut ms = 101u64;
    let mut seed = 0x2545_f491_u64;
    let mut emit = |hub: &mut Hub, peer: usize, packet: &[String]| {
        ms += 7;
        for text in packet {
            line += 1;
            hub.lines_of[peer].insert(line);
            // Continuation lines are printed without a stamp, as IOS does.
            if stamp && !text.starts_with([' ', '\t']) {
                let (s, m) = (ms / 1000, ms % 1000);
                hub.log.push_str(&format!(
                    "*Jun 18 16:{:02}:{:02}.{m:03}: ",
                    22 + s / 60,
                    s % 60
                ));
            }
            hub.log.push_str(text);
            hub.log.push('\n');
        }
    };
    loop {
        let waiting: Vec<usize> = (0..packets.len())
            .filter(|&p| next[p] < packets[p].len())
            .collect();
        if waiting.is_empty() {
            break;
        }
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let peer = waiting[(seed >> 33) as usize % waiting.len()];
        let packet = packets[peer][next[peer]].clone();
        next[peer] += 1;
        emit(&mut hub, peer, &packet);
    }
    if let (Some(peer), Some(packet)) = (last, held_back.take()) {
        emit(&mut hub, peer, &packet);
    }
    hub
}

fn peer_address(i: usize) -> String {
    format!("198.51.100.{}", 10 + i)
}

fn lines(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|s| s.to_string()).collect()
}

/// IOS 15 / IOS-XE `debug crypto isakmp` + `debug crypto ipsec`: main mode under
/// `ISAKMP:(0)` until the SA gets its connection ID, then quick mode under `ISAKMP:(N)`.
fn ios15(stories: &[Story]) -> Hub {
    let mut peers = Vec::new();
    let mut all = Vec::new();
    let mut last = None;
    for (i, &story) in stories.iter().enumerate() {
        let p = peer_address(i);
        let n = 1001 + i;
        let net = format!("172.16.{i}.0");
        let mut packets: Packets = Vec::new();
        let offer = |prio: u32, group: u32| {
            lines(&[
                &format!("ISAKMP:(0):Checking ISAKMP transform 1 against priority {prio} policy"),
                "ISAKMP:      encryption AES-CBC",
                "ISAKMP:      keylength of 256",
                "ISAKMP:      hash SHA",
                &format!("ISAKMP:      default group {group}"),
                "ISAKMP:      auth pre-share",
                "ISAKMP:      life type in seconds",
                "ISAKMP:      life duration (VPI) of  0x0 0x1 0x51 0x80",
            ])
        };
        let mut mm1 = lines(&[
            &format!("ISAKMP (0): received packet from {p} dport 500 sport 500 Global (N) NEW SA"),
            &format!("ISAKMP: Created a peer struct for {p}, peer port 500"),
            "ISAKMP: local port 500, remote port 500",
            "ISAKMP:(0): processing SA payload. message ID = 0",
            &format!("ISAKMP:(0):found peer pre-shared key matching {p}"),
            "ISAKMP:(0): local preshared key found",
        ]);
        mm1.extend(offer(10, 2));
        mm1.extend(lines(&[
            "ISAKMP:(0):Diffie-Hellman group offered does not match policy!",
            "ISAKMP:(0):atts are not acceptable. Next payload is 0",
        ]));
        mm1.extend(offer(20, 2));
        mm1.extend(lines(&[
            "ISAKMP:(0):atts are acceptable. Next payload is 0",
            &format!("ISAKMP:(0): sending packet to {p} my_port 500 peer_port 500 (R) MM_SA_SETUP"),
            "ISAKMP:(0):Old State = IKE_R_MM1  New State = IKE_R_MM2",
        ]));
        packets.push(mm1);
        packets.push(lines(&[
            &format!(
                "ISAKMP (0): received packet from {p} dport 500 sport 500 Global (R) MM_SA_SETUP"
            ),
            "ISAKMP:(0): processing KE payload. message ID = 0",
            "ISAKMP:(0): processing NONCE payload. message ID = 0",
            &format!("ISAKMP:({n}): processing vendor id payload"),
            &format!("ISAKMP:({n}): speaking to another IOS box!"),
            &format!(
                "ISAKMP:({n}): sending packet to {p} my_port 500 peer_port 500 (R) MM_KEY_EXCH"
            ),
            &format!("ISAKMP:({n}):Old State = IKE_R_MM3  New State = IKE_R_MM4"),
        ]));
        packets.push(lines(&[
            &format!(
                "ISAKMP ({n}): received packet from {p} dport 500 sport 500 Global (R) MM_KEY_EXCH"
            ),
            &format!("ISAKMP:({n}): processing ID payload. message ID = 0"),
            &format!("ISAKMP:({n}):SA authentication status:"),
            "        authenticated",
            &format!("ISAKMP:({n}):SA has been authenticated with {p}"),
            &format!(
                "ISAKMP:({n}): sending packet to {p} my_port 500 peer_port 500 (R) MM_KEY_EXCH"
            ),
            &format!("ISAKMP:({n}):Old State = IKE_R_MM5  New State = IKE_P1_COMPLETE"),
        ]));
        let m = 1_780_513_917 + i as u64;
        let proposal = |k: u32, transform: &str, auth: &str, set: &str, refused: bool| {
            let mut l = lines(&[
                &format!("ISAKMP:({n}):Checking IPSec proposal {k}"),
                &format!("ISAKMP: transform 1, {transform}"),
                "ISAKMP:   attributes in transform:",
                "ISAKMP:      encaps is 1 (Tunnel)",
                "ISAKMP:      SA life type in seconds",
                "ISAKMP:      SA life duration (basic) of 3600",
                &format!("ISAKMP:      authenticator is {auth}"),
                &format!("ISAKMP:({n}):atts are acceptable."),
                "IPSEC(validate_proposal_request): proposal part #1",
                "IPSEC(validate_proposal_request): proposal part #1,",
                &format!("  (key eng. msg.) INBOUND local= {HUB}:0, remote= {p}:0,"),
                "    local_proxy= 10.0.0.0/255.255.0.0/256/0,",
                &format!("    remote_proxy= {net}/255.255.255.0/256/0,"),
                "    protocol= ESP, transform= NONE  (Tunnel),",
            ]);
            if refused {
                l.extend(lines(&[
                    &format!("IPSEC(ipsec_process_proposal): transform proposal not supported for identity: {{{set} }}"),
                    &format!("ISAKMP:({n}): IPSec policy invalidated proposal with error 256"),
                ]));
            }
            l
        };
        let mut qm1 = lines(&[
            &format!(
                "ISAKMP ({n}): received packet from {p} dport 500 sport 500 Global (R) QM_IDLE"
            ),
            &format!("ISAKMP: set new node {m} to QM_IDLE"),
            &format!("ISAKMP:({n}): processing SA payload. message ID = {m}"),
        ]);
        qm1.extend(proposal(
            1,
            "ESP_3DES",
            "HMAC-MD5",
            "esp-3des esp-md5-hmac",
            true,
        ));
        match story {
            Story::RefusedThenAccepted => {
                qm1.extend(proposal(
                    2,
                    "ESP_AES",
                    "HMAC-SHA",
                    "esp-aes esp-sha-hmac",
                    false,
                ));
                qm1.extend(lines(&[
                    &format!("ISAKMP:({n}): processing NONCE payload. message ID = {m}"),
                    &format!("ISAKMP:({n}):QM Responder gets spi"),
                    "IPSEC(create_sa): sa created,",
                    &format!("  (sa) sa_dest= {HUB}, sa_proto= 50,"),
                    &format!("ISAKMP:({n}): sending packet to {p} my_port 500 peer_port 500 (R) QM_IDLE"),
                    &format!("ISAKMP:({n}):Old State = IKE_QM_IPSEC_INSTALL_AWAIT  New State = IKE_QM_R_QM2"),
                ]));
                packets.push(qm1);
                packets.push(lines(&[
                    &format!("ISAKMP ({n}): received packet from {p} dport 500 sport 500 Global (R) QM_IDLE"),
                    &format!("ISAKMP:({n}):deleting node {m} error FALSE reason \"QM done (await)\""),
                    &format!("ISAKMP:({n}):Old State = IKE_QM_R_QM2  New State = IKE_QM_PHASE2_COMPLETE"),
                ]));
            }
            Story::Fails | Story::FailsAtTheEnd => {
                qm1.extend(proposal(
                    2,
                    "ESP_DES",
                    "HMAC-SHA",
                    "esp-des esp-sha-hmac",
                    true,
                ));
                if story == Story::Fails {
                    qm1.extend(lines(&[
                        &format!("ISAKMP:({n}): phase 2 SA policy not acceptable! (local {HUB} remote {p})"),
                        &format!("ISAKMP:({n}):Sending NOTIFY PROPOSAL_NOT_CHOSEN protocol 3"),
                        &format!("ISAKMP:({n}):deleting node {m} error TRUE reason \"QM rejected\""),
                    ]));
                } else {
                    last = Some(i);
                }
                packets.push(qm1);
            }
        }
        peers.push(p);
        all.push(packets);
    }
    interleave(peers, all, last, true)
}

/// PIX 6 `debug crypto isakmp` + `debug crypto ipsec`: every packet opens with
/// `crypto_isakmp_process_block:src:PEER, dest:HUB`, every line says `ISAKMP (0)`.
fn pix(stories: &[Story]) -> Hub {
    let mut peers = Vec::new();
    let mut all = Vec::new();
    for (i, &story) in stories.iter().enumerate() {
        let p = peer_address(i);
        let block = format!("crypto_isakmp_process_block:src:{p}, dest:{HUB} spt:500 dpt:500");
        let m = 818_324_052 + i as u64;
        let mut packets: Packets = vec![
            lines(&[
                &block,
                "OAK_MM exchange",
                "ISAKMP (0): processing SA payload. message ID = 0",
                "ISAKMP (0): Checking ISAKMP transform 1 against priority 10 policy",
                "ISAKMP:      encryption DES-CBC",
                "ISAKMP:      hash MD5",
                "ISAKMP:      default group 1",
                "ISAKMP:      auth pre-share",
                "ISAKMP (0): atts are not acceptable. Next payload is 3",
                "ISAKMP (0): Checking ISAKMP transform 2 against priority 10 policy",
                "ISAKMP:      encryption 3DES-CBC",
                "ISAKMP:      hash SHA",
                "ISAKMP:      default group 2",
                "ISAKMP:      auth pre-share",
                "ISAKMP (0): atts are acceptable. Next payload is 3",
                "return status is IKMP_NO_ERROR",
            ]),
            lines(&[
                &block,
                "OAK_MM exchange",
                "ISAKMP (0): processing ID payload. message ID = 0",
                "ISAKMP (0): processing HASH payload. message ID = 0",
                "ISAKMP (0): SA has been authenticated",
                "return status is IKMP_NO_ERROR",
            ]),
        ];
        let mut qm = lines(&[
            &block,
            "OAK_QM exchange",
            "oakley_process_quick_mode:",
            "OAK_QM_IDLE",
            &format!("ISAKMP (0): processing SA payload. message ID = {m}"),
            "ISAKMP : Checking IPsec proposal 1",
            "ISAKMP: transform 1, ESP_DES",
            "ISAKMP:   attributes in transform:",
            "ISAKMP:      authenticator is HMAC-MD5",
            "ISAKMP:      encaps is 1",
            "IPSEC(validate_proposal): transform proposal (prot 3, trans 2, hmac_alg 1) not supported",
            "ISAKMP (0): atts not acceptable. Next payload is 0",
            "ISAKMP : Checking IPsec proposal 2",
        ]);
        if story == Story::Fails {
            qm.extend(lines(&[
                "ISAKMP: transform 1, ESP_AES",
                "ISAKMP:   attributes in transform:",
                "ISAKMP:      authenticator is HMAC-SHA",
                "ISAKMP:      encaps is 1",
                "IPSEC(validate_proposal): transform proposal (prot 3, trans 12, hmac_alg 2) not supported",
                "ISAKMP (0): atts not acceptable. Next payload is 0",
                "ISAKMP (0): SA not acceptable!",
                "return status is IKMP_ERR_NO_RETRANS",
            ]));
            packets.push(qm);
        } else {
            qm.extend(lines(&[
                "ISAKMP: transform 1, ESP_3DES",
                "ISAKMP:   attributes in transform:",
                "ISAKMP:      authenticator is HMAC-MD5",
                "ISAKMP:      encaps is 1",
                "ISAKMP (0): atts are acceptable.",
                &format!("ISAKMP (0): processing NONCE payload. message ID = {m}"),
                "IPSEC(key_engine): got a queue event...",
                "return status is IKMP_NO_ERROR",
            ]));
            packets.push(qm);
            packets.push(lines(&[
                &block,
                "OAK_QM exchange",
                "oakley_process_quick_mode:",
                "OAK_QM_AUTH_AWAIT",
                "ISAKMP (0): Creating IPsec SAs",
                &format!("        inbound SA from {p} to {HUB} (proxy 10.2.{i}.0 to 10.1.1.0)"),
                &format!("        outbound SA from {HUB} to {p} (proxy 10.1.1.0 to 10.2.{i}.0)"),
                "return status is IKMP_NO_ERROR",
            ]));
        }
        peers.push(p);
        all.push(packets);
    }
    interleave(peers, all, None, false)
}

/// ASA 8 / 9 `debug crypto isakmp 127` with buffered syslog: every debug line names the
/// peer (`IP = …`); a policy that refuses the offer logs %ASA-5-713257 before one accepts.
fn asa(stories: &[Story]) -> Hub {
    let mut peers = Vec::new();
    let mut all = Vec::new();
    for (i, &story) in stories.iter().enumerate() {
        let p = peer_address(i);
        let g = format!("Group = {p}, IP = {p}");
        let mut packets: Packets = vec![
            lines(&[
                &format!("Feb 21 09:31:44 [IKEv1]: IP = {p}, IKE_DECODE RECEIVED Message (msgid=0) with payloads : HDR + SA (1) + VENDOR (13) + NONE (0) total length : 172"),
                &format!("Feb 21 09:31:44 [IKEv1 DEBUG]: IP = {p}, processing SA payload"),
                "Feb 21 09:31:44 %ASA-5-713257: Phase 1 failure:  Mismatched attribute types for class Encryption Alg:  Rcv'd: 3DES  Cfg'd: AES-256",
                &format!("Feb 21 09:31:44 [IKEv1 DEBUG]: IP = {p}, Oakley proposal is acceptable"),
                &format!("Feb 21 09:31:44 [IKEv1 DEBUG]: IP = {p}, IKE SA Proposal # 1, Transform # 1 acceptable  Matches global IKE entry # 20"),
                &format!("Feb 21 09:31:44 [IKEv1]: IP = {p}, IKE_DECODE SENDING Message (msgid=0) with payloads : HDR + SA (1) + VENDOR (13) + NONE (0) total length : 124"),
            ]),
            lines(&[&format!("Feb 21 09:31:45 [IKEv1]: {g}, PHASE 1 COMPLETED")]),
        ];
        let mut qm = lines(&[
            &format!("Feb 21 09:31:46 [IKEv1]: IP = {p}, IKE_DECODE RECEIVED Message (msgid=7d0a1c{i:02x}) with payloads : HDR + HASH (8) + SA (1) + NONCE (10) + ID (5) + ID (5) + NONE (0) total length : 172"),
            &format!("Feb 21 09:31:46 [IKEv1 DEBUG]: {g}, processing SA payload"),
            &format!("Feb 21 09:31:46 [IKEv1]: {g}, Received remote IP Proxy Subnet data in ID Payload:   Address 10.2.{i}.0, Mask 255.255.255.0, Protocol 0, Port 0"),
            &format!("Feb 21 09:31:46 [IKEv1]: {g}, Static Crypto Map check, map outside_map, seq = 10 is a successful match"),
            &format!("Feb 21 09:31:46 [IKEv1 DEBUG]: {g}, processing IPSec SA payload"),
        ]);
        if story == Story::Fails {
            qm.extend(lines(&[
                &format!("Feb 21 09:31:46 [IKEv1]: {g}, All IPSec SA proposals found unacceptable!"),
                &format!("Feb 21 09:31:46 [IKEv1 DEBUG]: {g}, sending notify message"),
                &format!("Feb 21 09:31:46 [IKEv1]: {g}, QM FSM error (P2 struct &0xcc19ed48, mess id 0x7d0a1c{i:02x})!"),
                &format!("Feb 21 09:31:46 [IKEv1]: {g}, Removing peer from correlator table failed, no match!"),
            ]));
            packets.push(qm);
        } else {
            qm.extend(lines(&[
                &format!("Feb 21 09:31:46 [IKEv1 DEBUG]: {g}, IPSec SA Proposal # 1, Transform # 1 acceptable  Matches global IPSec SA entry # 10"),
                &format!("Feb 21 09:31:46 [IKEv1]: {g}, IKE: requesting SPI!"),
            ]));
            packets.push(qm);
            packets.push(lines(&[
                &format!("Feb 21 09:31:47 [IKEv1]: {g}, Security negotiation complete for LAN-to-LAN Group ({p})  Responder, Inbound SPI = 0x1c2d3e{i:02x}, Outbound SPI = 0x5a6b7c{i:02x}"),
                &format!("Feb 21 09:31:47 [IKEv1]: {g}, PHASE 2 COMPLETED (msgid=7d0a1c{i:02x})"),
            ]));
        }
        peers.push(p);
        all.push(packets);
    }
    interleave(peers, all, None, false)
}

/// Twenty peers; the one at `failing` fails with `story`, the others succeed after a
/// refused first offer.
fn stories(failing: Option<usize>, story: Story) -> Vec<Story> {
    (0..20)
        .map(|i| {
            if Some(i) == failing {
                story
            } else {
                Story::RefusedThenAccepted
            }
        })
        .collect()
}

fn diagnose(hub: &Hub, code: i32) -> serde_json::Value {
    let out = ipsec_doctor(&["diagnose", "--json"])
        .stdin(&hub.log)
        .run()
        .code(code);
    serde_json::from_str(&out.stdout).unwrap()
}

/// Exactly the failing peer's failure is reported, once, with that peer's lines as its
/// evidence; nothing any other peer printed is evidence of anything.
#[track_caller]
fn only_this_peer_failed(hub: &Hub, failing: usize) {
    let v = diagnose(hub, 0);
    let findings = v["findings"].as_array().unwrap();
    let cause = findings
        .iter()
        .find(|f| f["id"] == "cause-transform-set-mismatch")
        .unwrap_or_else(|| panic!("no cause-transform-set-mismatch in {v:#}"));
    assert_eq!(cause["count"], 1, "{cause:#}");
    let peer = &hub.peers[failing];
    // Counted against that peer, and no other.
    assert_eq!(
        cause["peers"],
        serde_json::json!({ peer.as_str(): 1 }),
        "{cause:#}"
    );
    // The engine reasons per peer: the other peers' successful phase 2 does not rule the
    // failing peer's transform-set mismatch out.
    let concluded = v["conclusions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["cause"] == "cause-transform-set-mismatch")
        .unwrap_or_else(|| panic!("no conclusion in {v:#}"));
    assert_eq!(concluded["status"], "likely", "{concluded:#}");
    for f in findings {
        for e in f["evidence"].as_array().unwrap() {
            let line = e["line"].as_u64().unwrap();
            assert!(
                hub.lines_of[failing].contains(&line),
                "{} cites line {line} ({}), not a line of the failing peer {peer}:\n{v:#}",
                f["id"],
                e["text"]
            );
        }
    }
    assert!(
        cause["details"][0]
            .as_str()
            .unwrap()
            .contains(peer.as_str()),
        "{cause:#}"
    );
}

#[test]
fn ios15_hub_reports_the_one_peer_whose_phase_2_fails() {
    let hub = ios15(&stories(Some(7), Story::Fails));
    only_this_peer_failed(&hub, 7);
}

#[test]
fn ios15_hub_whose_peers_all_succeed_after_refused_offers_is_healthy() {
    let hub = ios15(&stories(None, Story::Fails));
    let v = diagnose(&hub, 1);
    assert_eq!(v["findings"], serde_json::json!([]), "{v:#}");
}

#[test]
fn pix_hub_reports_the_one_peer_whose_phase_2_fails() {
    only_this_peer_failed(&pix(&stories(Some(12), Story::Fails)), 12);
    let v = diagnose(&pix(&stories(None, Story::Fails)), 1);
    assert_eq!(v["findings"], serde_json::json!([]), "{v:#}");
}

#[test]
fn asa_hub_reports_the_one_peer_whose_phase_2_fails() {
    only_this_peer_failed(&asa(&stories(Some(3), Story::Fails)), 3);
    let v = diagnose(&asa(&stories(None, Story::Fails)), 1);
    assert_eq!(v["findings"], serde_json::json!([]), "{v:#}");
}

/// The log ends after the failing peer's proposals were refused, before the hub's verdict:
/// the refusal stands.
#[test]
fn a_refusal_the_log_ends_on_is_reported() {
    let hub = ios15(&stories(Some(15), Story::FailsAtTheEnd));
    assert!(hub.lines_of[15].contains(&(hub.log.lines().count() as u64)));
    only_this_peer_failed(&hub, 15);
}

/// More negotiations open at once than are followed ([`MAX_OPEN`]): the oldest are
/// dropped, not judged; none of them is reported, nothing fails.
///
/// [`MAX_OPEN`]: ipsec_doctor::diagnose::negotiation::MAX_OPEN
#[test]
fn more_open_negotiations_than_the_bound_are_dropped_not_misjudged() {
    let peers = ipsec_doctor::diagnose::negotiation::MAX_OPEN + 904;
    let address = |i: usize| format!("10.{}.{}.{}", 100 + i / 65_536, (i / 256) % 256, i % 256);
    let mut log = String::new();
    // Every peer's first proposal is refused, then every peer's second is accepted.
    for i in 0..peers {
        let (p, n) = (address(i), 1001 + i);
        log.push_str(&format!(
            "ISAKMP ({n}): received packet from {p} dport 500 sport 500 Global (R) QM_IDLE\n\
             ISAKMP:({n}):Checking IPSec proposal 1\n\
             ISAKMP:({n}):atts are acceptable.\n\
             ISAKMP:({n}): IPSec policy invalidated proposal with error 256\n"
        ));
    }
    for i in 0..peers {
        let (p, n) = (address(i), 1001 + i);
        log.push_str(&format!(
            "ISAKMP ({n}): received packet from {p} dport 500 sport 500 Global (R) QM_IDLE\n\
             ISAKMP:({n}):Checking IPSec proposal 2\n\
             ISAKMP:({n}):atts are acceptable.\n\
             ISAKMP:({n}):Old State = IKE_QM_R_QM2  New State = IKE_QM_PHASE2_COMPLETE\n"
        ));
    }
    let out = ipsec_doctor(&["diagnose", "--json"])
        .stdin(&log)
        .run()
        .code(1);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["findings"], serde_json::json!([]), "{v:#}");
}
