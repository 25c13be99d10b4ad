//! Checks on one config: the tech note's ACL checklist (the NAT exemption covers the crypto
//! ACL's traffic; crypto ACLs of different entries do not overlap; no ACL serves both NAT
//! exemption and a crypto map or split tunnel), the crypto map on the interface that faces
//! its peers, `local-address`, decrypted traffic permitted (sysopt), split tunnelling for
//! remote access, and routes to the protected inside networks.
//!
//! Each check yields a [`Check`]: its ID (what knowledge-base rules name), the verdict, the
//! line it rests on and why, in words that quote no secret.

use super::model::{Ace, Config, Exemption, Family, MapEntry};
use super::{covers, overlap};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// What a check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    Fault,
    Ok,
    /// The check could not be made (an encrypted key).
    Unverified,
}

impl Verdict {
    /// The word knowledge-base rules use (`outcome: failed`).
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Fault => "failed",
            Verdict::Ok => "succeeded",
            Verdict::Unverified => "unverified",
        }
    }
}

/// The checks, as knowledge-base rules name them (`{ fact: config, check: [acl-reused] }`).
pub const CHECKS: &[&str] = &[
    "acl-reused",
    "nat-exemption",
    "acl-overlap",
    "sysopt",
    "crypto-map-interface",
    "local-address",
    "split-tunnel",
    "route-to-inside",
    "isakmp-policy",
    "transform-set",
    "pfs",
    "crypto-acl-mirror",
    "crypto-acl-host-network",
    "peer-address",
    "psk",
];

/// Checks whose fault can rest on a line the config lacks.
const ABSENCE: &[&str] = &[
    "sysopt",
    "split-tunnel",
    "crypto-map-interface",
    "nat-exemption",
];

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub check: &'static str,
    pub verdict: Verdict,
    /// The tunnel's peer, for checks of one tunnel (pair checks).
    pub peer: Option<Ipv4Addr>,
    /// The input and line it rests on (the first, when it names both sides).
    pub input: String,
    pub line: u64,
    /// Why, with the lines of both sides when there are two: `hq.cfg:41 permits …`.
    pub why: String,
}

pub(super) fn check(
    check: &'static str,
    verdict: Verdict,
    input: &str,
    line: u64,
    why: String,
) -> Check {
    Check {
        check,
        verdict,
        peer: None,
        input: input.to_string(),
        line,
        why,
    }
}

/// The permit entries of an entry's crypto ACL: the traffic it protects.
pub fn protected<'c>(c: &'c Config, e: &MapEntry) -> Vec<&'c Ace> {
    let Some((acl, _)) = &e.acl else {
        return Vec::new();
    };
    c.acls
        .get(acl)
        .map(|aces| aces.iter().filter(|a| a.permit).collect())
        .unwrap_or_default()
}

/// Every check on one config. `input` names it in messages.
pub fn single(c: &Config, input: &str) -> Vec<Check> {
    let mut out = Vec::new();
    let at = |line: u64| format!("{input}:{line}");
    let statics: Vec<&MapEntry> = c.entries.iter().filter(|e| !e.dynamic).collect();

    // No ACL serves both NAT exemption and a crypto map (or a split tunnel).
    let exemption_acls: Vec<(&str, u64)> = c
        .nat
        .iter()
        .filter_map(|n| match &n.exemption {
            Some(Exemption::NatZero { acl, .. }) | Some(Exemption::IosNatAcl { acl }) => {
                Some((acl.as_str(), n.line))
            }
            _ => None,
        })
        .collect();
    if !exemption_acls.is_empty() {
        let mut reused = false;
        for (acl, nat_line) in &exemption_acls {
            for e in &c.entries {
                if let Some((crypto, line)) = &e.acl {
                    if crypto == acl {
                        reused = true;
                        out.push(check(
                            "acl-reused",
                            Verdict::Fault,
                            input,
                            *line,
                            format!(
                                "{} exempts NAT with access list {acl}; {} uses the same list as crypto map {} {}'s match address",
                                at(*nat_line),
                                at(*line),
                                e.map,
                                e.seq
                            ),
                        ));
                    }
                }
            }
            for ra in &c.remote_access {
                if ra.split_acl.as_deref() == Some(*acl) {
                    reused = true;
                    out.push(check(
                        "acl-reused",
                        Verdict::Fault,
                        input,
                        ra.line,
                        format!(
                            "{} exempts NAT with access list {acl}; {} uses the same list for the split tunnel of {}",
                            at(*nat_line),
                            at(ra.line),
                            ra.group
                        ),
                    ));
                }
            }
        }
        if !reused && !c.entries.is_empty() {
            out.push(check(
                "acl-reused",
                Verdict::Ok,
                input,
                exemption_acls[0].1,
                "the NAT exemption and the crypto maps use different access lists".into(),
            ));
        }
    }

    // The NAT exemption covers each crypto ACL's traffic, when the device translates it.
    for e in &statics {
        for ace in protected(c, e) {
            if let Some(ch) = nat_exemption(c, input, e, ace) {
                out.push(ch);
            }
        }
    }

    // Crypto ACLs of different entries of one map do not overlap.
    // A sweep over the destination ranges of each map's flows, so a hub with thousands of
    // entries costs n log n, not n².
    let mut overlapping = false;
    let flows: Vec<Vec<&Ace>> = statics.iter().map(|e| protected(c, e)).collect();
    // (destination range, entry, flow, source net)
    let mut spans: Vec<(u32, u32, usize, usize, Ipv4Net)> = Vec::new();
    for (i, fl) in flows.iter().enumerate() {
        for (k, f) in fl.iter().enumerate() {
            for d in &f.destination.nets {
                for src in &f.source.nets {
                    spans.push((u32::from(d.network()), u32::from(d.broadcast()), i, k, *src));
                }
            }
        }
    }
    spans.sort_unstable_by_key(|s| (s.0, s.1));
    let mut active: Vec<(u32, u32, usize, usize, Ipv4Net)> = Vec::new();
    let mut reported = std::collections::BTreeSet::new();
    for span in spans {
        active.retain(|a| a.1 >= span.0);
        for a in &active {
            let (i, j) = (a.2.min(span.2), a.2.max(span.2));
            let same_map = statics[a.2].map == statics[span.2].map;
            let src_overlap = a.4.contains(&span.4.network()) || span.4.contains(&a.4.network());
            if i == j || !same_map || !src_overlap || !reported.insert((i, j)) {
                continue;
            }
            let ((ea, x), (eb, y)) = if a.2 < span.2 {
                (
                    (statics[a.2], flows[a.2][a.3]),
                    (statics[span.2], flows[span.2][span.3]),
                )
            } else {
                (
                    (statics[span.2], flows[span.2][span.3]),
                    (statics[a.2], flows[a.2][a.3]),
                )
            };
            overlapping = true;
            out.push(check(
                "acl-overlap",
                Verdict::Fault,
                input,
                y.line,
                format!(
                    "{} (crypto map {} {}) permits {} → {}; {} (crypto map {} {}) permits {} → {}: the two crypto ACLs overlap",
                    at(x.line),
                    ea.map,
                    ea.seq,
                    x.source.text,
                    x.destination.text,
                    at(y.line),
                    eb.map,
                    eb.seq,
                    y.source.text,
                    y.destination.text
                ),
            ));
        }
        active.push(span);
    }
    if !overlapping && statics.len() > 1 {
        out.push(check(
            "acl-overlap",
            Verdict::Ok,
            input,
            statics[1].line,
            format!(
                "the crypto ACLs of the {} crypto map entries do not overlap",
                statics.len()
            ),
        ));
    }

    // Decrypted traffic is permitted (PIX: `sysopt connection permit-ipsec`; ASA: on
    // unless `no sysopt connection permit-vpn`), or an interface ACL may permit it.
    if !c.entries.is_empty() && matches!(c.family, Family::Pix | Family::Asa) {
        let outside: Vec<&str> = c
            .interfaces
            .iter()
            .filter(|i| i.crypto_map.is_some())
            .map(|i| i.name.as_str())
            .collect();
        let permitted_by_acl = c
            .access_groups
            .iter()
            .find(|(_, iface, _)| outside.contains(&iface.as_str()) || iface == "outside");
        match (c.family, c.sysopt) {
            (_, Some((true, line))) => out.push(check(
                "sysopt",
                Verdict::Ok,
                input,
                line,
                format!("{} permits decrypted IPsec traffic", at(line)),
            )),
            (Family::Asa, None) => {}
            (_, setting) => match permitted_by_acl {
                // A conduit may permit it: not provable here.
                Some((acl, _, _)) if !c.acls.contains_key(acl) => {}
                // The interface ACL is checked instead: does it permit every decrypted flow
                // (remote → local, the crypto ACLs reversed)?
                Some((acl, iface, line)) => {
                    let aces = &c.acls[acl];
                    let flows: Vec<&Ace> = statics.iter().flat_map(|e| protected(c, e)).collect();
                    let denied = flows.iter().find(|f| {
                        // Only an `ip` entry permits the whole flow (a port or ICMP type
                        // permits part of it).
                        !aces.iter().any(|x| {
                            x.permit
                                && x.protocol == "ip"
                                && covers(&x.source.nets, &f.destination.nets)
                                && covers(&x.destination.nets, &f.source.nets)
                        })
                    });
                    out.push(match denied {
                        Some(f) => check(
                            "sysopt",
                            Verdict::Fault,
                            input,
                            *line,
                            format!(
                                "{} checks decrypted traffic against access list {acl} on {iface}, which does not permit {} → {} (protected at {}); {}",
                                at(*line),
                                f.destination.text,
                                f.source.text,
                                at(f.line),
                                match setting {
                                    Some((_, l)) => format!("{} turns sysopt off", at(l)),
                                    None => "there is no `sysopt connection permit-ipsec`".to_string(),
                                }
                            ),
                        ),
                        None => check(
                            "sysopt",
                            Verdict::Ok,
                            input,
                            *line,
                            format!(
                                "{} permits the decrypted traffic on {iface} with access list {acl}",
                                at(*line)
                            ),
                        ),
                    });
                }
                None => {
                    let (line, what) = match setting {
                        Some((_, line)) => (line, format!("{} turns it off", at(line))),
                        None => (
                            c.entries[0].line,
                            "the config has no `sysopt connection permit-ipsec`".to_string(),
                        ),
                    };
                    out.push(check(
                        "sysopt",
                        Verdict::Fault,
                        input,
                        line,
                        format!(
                            "decrypted IPsec traffic is not permitted: {what}, and no access list or conduit is applied to the outside interface"
                        ),
                    ));
                }
            },
        }
    }

    // Each crypto map is applied to the interface that faces its peers.
    let mut maps: Vec<&str> = statics.iter().map(|e| e.map.as_str()).collect();
    maps.dedup();
    for map in maps {
        let Some(iface) = c.map_interface(map) else {
            let e = statics
                .iter()
                .find(|e| e.map == map)
                .expect("an entry of the map");
            out.push(check(
                "crypto-map-interface",
                Verdict::Fault,
                input,
                e.line,
                format!(
                    "crypto map {map} ({}) is not applied to any interface",
                    at(e.line)
                ),
            ));
            continue;
        };
        let (_, applied) = iface.crypto_map.clone().unwrap_or_default();
        let mut wrong = false;
        for e in statics.iter().filter(|e| e.map == map) {
            for peer in &e.peers {
                if let Some(egress) = c.egress(*peer) {
                    if egress.name != iface.name {
                        wrong = true;
                        out.push(check(
                            "crypto-map-interface",
                            Verdict::Fault,
                            input,
                            applied,
                            format!(
                                "{} applies crypto map {map} to {}, but peer {peer} is reached through {} ({})",
                                at(applied),
                                iface.name,
                                egress.name,
                                at(egress.line)
                            ),
                        ));
                    }
                }
            }
        }
        if !wrong {
            out.push(check(
                "crypto-map-interface",
                Verdict::Ok,
                input,
                applied,
                format!("{} applies crypto map {map} to {}", at(applied), iface.name),
            ));
        }
        // `local-address` names the interface the map is applied to.
        if let Some((named, line)) = c.local_address.get(map) {
            let same = named == &iface.name || iface.hardware.as_deref() == Some(named.as_str());
            out.push(check(
                "local-address",
                if same { Verdict::Ok } else { Verdict::Fault },
                input,
                *line,
                if same {
                    format!("{} sources crypto map {map} from {named}", at(*line))
                } else {
                    format!(
                        "{} sources crypto map {map} from {named}, but the map is applied to {} ({})",
                        at(*line),
                        iface.name,
                        at(applied)
                    )
                },
            ));
        }
    }

    // Remote access: a split tunnel, so clients still reach the Internet directly.
    for ra in &c.remote_access {
        match &ra.split_acl {
            Some(acl) if c.acls.contains_key(acl) => out.push(check(
                "split-tunnel",
                Verdict::Ok,
                input,
                ra.line,
                format!(
                    "{}: group {} tunnels only access list {acl}",
                    at(ra.line),
                    ra.group
                ),
            )),
            Some(acl) => out.push(check(
                "split-tunnel",
                Verdict::Fault,
                input,
                ra.line,
                format!(
                    "{}: group {} names split-tunnel access list {acl}, which is not defined",
                    at(ra.line),
                    ra.group
                ),
            )),
            None => out.push(check(
                "split-tunnel",
                Verdict::Fault,
                input,
                ra.line,
                format!(
                    "{}: group {} has no split tunnel: all client traffic enters the tunnel",
                    at(ra.line),
                    ra.group
                ),
            )),
        }
    }

    // A filtered paste (`show run | include crypto`) proves nothing by what it lacks: the
    // faults that rest on a missing line need the whole config.
    if !c.complete {
        out.retain(|ch| ch.verdict != Verdict::Fault || !ABSENCE.contains(&ch.check));
        return out;
    }
    // Routes to the inside networks a crypto ACL protects.
    if !c.dynamic_routing {
        for e in &statics {
            let crypto_if = c.map_interface(&e.map).map(|i| i.name.clone());
            for ace in protected(c, e) {
                for local in &ace.source.nets {
                    if let Some(ch) = route_to(c, input, local, crypto_if.as_deref(), ace.line) {
                        out.push(ch);
                    }
                }
            }
        }
    }
    out
}

/// Whether `local`, a network the crypto ACL at `acl_line` protects, is connected or routed
/// inside (not by the default route, not out of the crypto interface).
fn route_to(
    c: &Config,
    input: &str,
    local: &Ipv4Net,
    crypto_if: Option<&str>,
    acl_line: u64,
) -> Option<Check> {
    if local.prefix_len() == 0 {
        return None;
    }
    let connected = c.interfaces.iter().find(|i| {
        i.address
            .is_some_and(|a| a.trunc().contains(local) || local.contains(&a.trunc()))
    });
    if let Some(i) = connected {
        return Some(check(
            "route-to-inside",
            Verdict::Ok,
            input,
            i.line,
            format!("{local} is connected to {} ({input}:{})", i.name, i.line),
        ));
    }
    let route = c
        .routes
        .iter()
        .filter(|r| r.net.prefix_len() > 0 && (r.net.contains(local) || local.contains(&r.net)))
        .max_by_key(|r| r.net.prefix_len());
    match route {
        Some(r) if r.interface.as_deref().is_some_and(|i| Some(i) == crypto_if) => Some(check(
            "route-to-inside",
            Verdict::Fault,
            input,
            r.line,
            format!(
                "{input}:{} routes {local} out of {}, the interface with the crypto map",
                r.line,
                crypto_if.unwrap_or_default()
            ),
        )),
        Some(r) => Some(check(
            "route-to-inside",
            Verdict::Ok,
            input,
            r.line,
            format!("{input}:{} routes {local} inside", r.line),
        )),
        None => Some(check(
            "route-to-inside",
            Verdict::Fault,
            input,
            acl_line,
            format!(
                "{input}:{acl_line} protects {local}, but it is not connected and no route leads to it (only the default route, if any)"
            ),
        )),
    }
}

/// The NAT exemption check for one protected flow, when the device translates it.
fn nat_exemption(c: &Config, input: &str, e: &MapEntry, ace: &Ace) -> Option<Check> {
    let flow = format!("{} → {}", ace.source.text, ace.destination.text);
    let at = |line: u64| format!("{input}:{line}");
    // IOS: the NAT ACL's first matching line decides (deny exempts).
    for n in &c.nat {
        if let Some(Exemption::IosNatAcl { acl }) = &n.exemption {
            let Some(aces) = c.acls.get(acl) else {
                continue;
            };
            let first = aces.iter().find(|x| {
                overlap(&x.source.nets, &ace.source.nets)
                    && overlap(&x.destination.nets, &ace.destination.nets)
            })?;
            let exempt = !first.permit
                && covers(&first.source.nets, &ace.source.nets)
                && covers(&first.destination.nets, &ace.destination.nets);
            return Some(check(
                "nat-exemption",
                if exempt { Verdict::Ok } else { Verdict::Fault },
                input,
                first.line,
                if exempt {
                    format!("{} denies {flow} in NAT list {acl}: exempt", at(first.line))
                } else {
                    format!(
                        "{} (crypto map {} {}) protects {flow}, but {} matches it first in NAT list {acl} ({}): the traffic is translated",
                        at(ace.line),
                        e.map,
                        e.seq,
                        at(first.line),
                        if first.permit { "permit" } else { "a deny that covers only part of it" }
                    )
                },
            ));
        }
    }
    // PIX / ASA: exempt by `nat (…) 0 access-list` or identity twice NAT.
    let exempt_by = c.nat.iter().find_map(|n| match &n.exemption {
        Some(Exemption::NatZero { acl, .. }) => c.acls.get(acl).and_then(|aces| {
            aces.iter()
                .find(|x| {
                    x.permit
                        && covers(&x.source.nets, &ace.source.nets)
                        && covers(&x.destination.nets, &ace.destination.nets)
                })
                .map(|x| x.line)
        }),
        Some(Exemption::Identity {
            source,
            destination,
        }) if covers(source, &ace.source.nets) && covers(destination, &ace.destination.nets) => {
            Some(n.line)
        }
        _ => None,
    });
    if let Some(line) = exempt_by {
        return Some(check(
            "nat-exemption",
            Verdict::Ok,
            input,
            line,
            format!("{} exempts {flow} from NAT", at(line)),
        ));
    }
    let translated = c
        .nat
        .iter()
        .find(|n| n.exemption.is_none() && overlap(&n.translates, &ace.source.nets))?;
    let named: Vec<String> = c
        .nat
        .iter()
        .filter_map(|n| match &n.exemption {
            Some(Exemption::NatZero { acl, .. }) if !c.acls.contains_key(acl) => Some(format!(
                "{} names access list {acl}, which is not defined; ",
                at(n.line)
            )),
            _ => None,
        })
        .collect();
    Some(check(
        "nat-exemption",
        Verdict::Fault,
        input,
        translated.line,
        format!(
            "{}{} (crypto map {} {}) protects {flow}, but {} translates it and no NAT exemption covers it",
            named.concat(),
            at(ace.line),
            e.map,
            e.seq,
            at(translated.line)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::config::read;

    fn checks(text: &str) -> Vec<(&'static str, Verdict)> {
        single(&read(text).expect("a config"), "r.cfg")
            .into_iter()
            .map(|c| (c.check, c.verdict))
            .collect()
    }

    const IOS: &str = "version 15.4
hostname R1
interface GigabitEthernet0/0
 ip address 203.0.113.1 255.255.255.248
 ip nat outside
 crypto map VPN
interface GigabitEthernet0/1
 ip address 10.1.1.1 255.255.255.0
 ip nat inside
crypto map VPN 10 ipsec-isakmp
 set peer 198.51.100.2
 set transform-set TS
 match address 110
crypto map VPN 20 ipsec-isakmp
 set peer 198.51.100.3
 set transform-set TS
 match address 120
access-list 110 permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255
access-list 120 permit ip 10.1.1.0 0.0.0.255 10.3.3.0 0.0.0.255
access-list 100 deny ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255
access-list 100 deny ip 10.1.1.0 0.0.0.255 10.3.3.0 0.0.0.255
access-list 100 permit ip 10.1.1.0 0.0.0.255 any
ip nat inside source list 100 interface GigabitEthernet0/0 overload
ip route 0.0.0.0 0.0.0.0 203.0.113.6
";

    #[test]
    fn a_healthy_ios_hub_passes_every_check() {
        let got = checks(IOS);
        assert!(got.iter().all(|(_, v)| *v == Verdict::Ok), "{got:?}");
        for id in [
            "acl-reused",
            "nat-exemption",
            "acl-overlap",
            "crypto-map-interface",
            "route-to-inside",
        ] {
            assert!(
                got.iter().any(|(c, _)| *c == id),
                "{id} not checked: {got:?}"
            );
        }
    }

    #[test]
    fn each_planted_fault_is_found() {
        let nat = IOS.replace(
            "access-list 100 deny ip 10.1.1.0 0.0.0.255 10.3.3.0 0.0.0.255\n",
            "",
        );
        assert!(checks(&nat).contains(&("nat-exemption", Verdict::Fault)));
        let overlap = IOS.replace(
            "10.3.3.0 0.0.0.255\naccess-list 100",
            "10.2.0.0 0.0.255.255\naccess-list 100",
        );
        assert!(
            checks(&overlap).contains(&("acl-overlap", Verdict::Fault)),
            "{:?}",
            checks(&overlap)
        );
        let reused = IOS.replace(
            "ip nat inside source list 100",
            "ip nat inside source list 110",
        );
        assert!(checks(&reused).contains(&("acl-reused", Verdict::Fault)));
        let unapplied = IOS.replace(" crypto map VPN\n", "");
        assert!(checks(&unapplied).contains(&("crypto-map-interface", Verdict::Fault)));
        let inside = IOS.replace(
            " crypto map VPN\ninterface GigabitEthernet0/1\n",
            "interface GigabitEthernet0/1\n crypto map VPN\n",
        );
        assert!(
            checks(&inside).contains(&("crypto-map-interface", Verdict::Fault)),
            "{:?}",
            checks(&inside)
        );
        let far = IOS.replace("10.1.1.0 0.0.0.255 10.2.2.0", "10.1.9.0 0.0.0.255 10.2.2.0");
        assert!(checks(&far).contains(&("route-to-inside", Verdict::Fault)));
        let local = format!("{IOS}crypto map VPN local-address GigabitEthernet0/1\n");
        assert!(checks(&local).contains(&("local-address", Verdict::Fault)));
    }
}
