//! Both peers of a tunnel compared, from their two configs: paired by address (one side's
//! `set peer` against the other side's interface addresses), then phase-1 policies (a common
//! one must exist; a different lifetime is no mismatch), transform sets and PFS, the crypto
//! ACLs as mirror images (and host against network), `set peer` and key addresses, and the
//! pre-shared keys, compared without ever being shown (hidden on either side: unverified).

use super::checks::{check, protected, Check, Verdict};
use super::model::{Ace, Config, Key, MapEntry, Policy, Secret};
use std::net::Ipv4Addr;

/// A config and the name it is known by in messages.
pub type Named<'c> = (&'c str, &'c Config);

/// Every check between two configs, for each tunnel they form. Nothing when they do not
/// point at each other.
pub fn pair(a: Named<'_>, b: Named<'_>) -> Vec<Check> {
    let mut out = Vec::new();
    for (ea, eb, wrong_peer) in tunnels(a, b) {
        let peer_of_a = peer_address(b.1, ea, eb);
        let mut checks = Vec::new();
        if let Some(w) = wrong_peer {
            checks.push(w);
        }
        checks.extend(keys(a, b, ea, eb));
        checks.extend(policies(a, b));
        checks.extend(transforms(a, b, ea, eb));
        checks.extend(mirror(a, b, ea, eb));
        for mut c in checks {
            c.peer = peer_of_a;
            out.push(c);
        }
    }
    out
}

/// The address of `b` that `a`'s entry points at, or `b`'s own address facing `a`.
fn peer_address(b: &Config, ea: &MapEntry, eb: &MapEntry) -> Option<Ipv4Addr> {
    ea.peers
        .iter()
        .copied()
        .find(|p| b.addresses().any(|(x, _)| x == *p))
        .or_else(|| {
            b.map_interface(&eb.map)
                .and_then(|i| i.address.map(|n| n.addr()))
        })
}

/// The tunnels between `a` and `b`: entry pairs that point at each other, and entries whose
/// traffic mirrors the other side's while one `set peer` misses (with that fault).
fn tunnels<'c>(a: Named<'c>, b: Named<'c>) -> Vec<(&'c MapEntry, &'c MapEntry, Option<Check>)> {
    let points =
        |e: &MapEntry, to: &Config| e.peers.iter().any(|p| to.addresses().any(|(x, _)| x == *p));
    let mut out = Vec::new();
    for ea in a.1.entries.iter().filter(|e| !e.dynamic) {
        // The partner entry on b: one that points back at a (or a dynamic entry, which
        // accepts any peer), preferring one whose traffic mirrors ea's.
        let candidates: Vec<&MapEntry> =
            b.1.entries
                .iter()
                .filter(|eb| eb.dynamic || points(eb, a.1))
                .collect();
        let a_points = points(ea, b.1);
        let mirrored = |eb: &&MapEntry| traffic_mirrors(a.1, ea, b.1, eb);
        let eb = candidates
            .iter()
            .find(|eb| mirrored(eb))
            .or_else(|| if a_points { candidates.first() } else { None })
            .copied();
        let Some(eb) = eb else { continue };
        if a_points {
            out.push((ea, eb, None));
            continue;
        }
        // b points at a and carries the mirror of ea's traffic, but ea's `set peer` is not
        // b's address: the peer address is wrong (or has changed).
        if eb.dynamic || !mirrored(&eb) {
            continue;
        }
        let facing =
            b.1.map_interface(&eb.map)
                .and_then(|i| i.address.map(|n| (n.addr(), i.line)));
        let set = if ea.peers.is_empty() {
            "sets no peer".to_string()
        } else {
            format!(
                "sets peer {}",
                ea.peers
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let (addr, line) = facing.unwrap_or((Ipv4Addr::UNSPECIFIED, eb.line));
        out.push((
            ea,
            eb,
            Some(check(
                "peer-address",
                Verdict::Fault,
                a.0,
                if ea.peer_line > 0 { ea.peer_line } else { ea.line },
                format!(
                    "{}:{} (crypto map {} {}) {set}, but {}'s address is {addr} ({}:{line}), and {}:{} points back at {}",
                    a.0,
                    if ea.peer_line > 0 { ea.peer_line } else { ea.line },
                    ea.map,
                    ea.seq,
                    b.0,
                    b.0,
                    b.0,
                    if eb.peer_line > 0 { eb.peer_line } else { eb.line },
                    a.0
                ),
            )),
        ));
    }
    out
}

/// Whether the traffic of `ea` is the mirror image of `eb`'s (as sets of flows).
fn traffic_mirrors(a: &Config, ea: &MapEntry, b: &Config, eb: &MapEntry) -> bool {
    let fa = protected(a, ea);
    let fb = protected(b, eb);
    !fa.is_empty()
        && fa.iter().all(|x| fb.iter().any(|y| mirror_of(x, y)))
        && fb.iter().all(|y| fa.iter().any(|x| mirror_of(x, y)))
}

fn mirror_of(x: &Ace, y: &Ace) -> bool {
    let same = |p: &[ipnet::Ipv4Net], q: &[ipnet::Ipv4Net]| {
        let (mut p, mut q) = (p.to_vec(), q.to_vec());
        p.sort();
        q.sort();
        p == q
    };
    same(&x.source.nets, &y.destination.nets)
        && same(&x.destination.nets, &y.source.nets)
        && (x.protocol == y.protocol || x.protocol == "ip" && y.protocol == "ip")
}

/// The key `c` holds for `peer`: the most specific one whose network contains it.
fn key_for(c: &Config, peer: Ipv4Addr) -> Option<&Key> {
    c.keys
        .iter()
        .filter(|k| k.peer.is_some_and(|n| n.contains(&peer)))
        .max_by_key(|k| k.peer.map(|n| n.prefix_len()))
}

/// Keys: each side has one for the other's address, and they are equal.
fn keys(a: Named<'_>, b: Named<'_>, ea: &MapEntry, eb: &MapEntry) -> Vec<Check> {
    let mut out = Vec::new();
    // Where each side's packets come from: the address of the interface its map is on.
    // (The interface towards its peer, when the map sits on the wrong one.)
    let source = |c: &Config, e: &MapEntry| {
        e.peers
            .first()
            .and_then(|p| c.egress(*p))
            .or_else(|| c.map_interface(&e.map))
            .and_then(|i| i.address.map(|n| n.addr()))
    };
    let (Some(addr_a), Some(addr_b)) = (source(a.1, ea), source(b.1, eb)) else {
        return out;
    };
    let ka = key_for(a.1, addr_b);
    let kb = key_for(b.1, addr_a);
    for (side, other, key, want) in [(a, b, ka, addr_b), (b, a, kb, addr_a)] {
        if key.is_none() && !side.1.keys.is_empty() && side.1.complete {
            let others: Vec<String> = side
                .1
                .keys
                .iter()
                .filter_map(|k| k.peer.map(|p| format!("{p} ({}:{})", side.0, k.line)))
                .collect();
            out.push(check(
                "peer-address",
                Verdict::Fault,
                side.0,
                side.1.keys[0].line,
                format!(
                    "{} has no pre-shared key for {want}, the address of {}; its keys are for {}",
                    side.0,
                    other.0,
                    others.join(", ")
                ),
            ));
        }
    }
    let (Some(ka), Some(kb)) = (ka, kb) else {
        return out;
    };
    let sides = format!("{}:{} and {}:{}", a.0, ka.line, b.0, kb.line);
    out.push(match (&ka.secret, &kb.secret) {
        (Secret::Clear(x), Secret::Clear(y)) if x == y => check(
            "psk",
            Verdict::Ok,
            a.0,
            ka.line,
            format!("the pre-shared keys at {sides} are equal"),
        ),
        (Secret::Clear(_), Secret::Clear(_)) => check(
            "psk",
            Verdict::Fault,
            a.0,
            ka.line,
            format!("the pre-shared keys at {sides} differ"),
        ),
        _ => check(
            "psk",
            Verdict::Unverified,
            a.0,
            ka.line,
            format!(
                "the pre-shared keys at {sides} cannot be compared: one is stored encrypted or masked"
            ),
        ),
    });
    out
}

/// `aes` and `aes-128` are one cipher.
fn cipher(p: &Policy) -> &str {
    match p.encryption.as_str() {
        "aes-128" => "aes",
        e => e,
    }
}

fn describe(p: &Policy) -> String {
    format!(
        "policy {}: {}/{}/group {}/{}",
        p.priority, p.encryption, p.hash, p.group, p.authentication
    )
}

/// Phase 1: at least one policy in common (lifetimes may differ).
fn policies(a: Named<'_>, b: Named<'_>) -> Vec<Check> {
    if a.1.policies.is_empty() || b.1.policies.is_empty() {
        return Vec::new();
    }
    for pa in &a.1.policies {
        for pb in &b.1.policies {
            if cipher(pa) == cipher(pb)
                && pa.hash == pb.hash
                && pa.group == pb.group
                && pa.authentication == pb.authentication
            {
                return vec![check(
                    "isakmp-policy",
                    Verdict::Ok,
                    a.0,
                    pa.line,
                    format!(
                        "{}:{} {} matches {}:{} {}",
                        a.0,
                        pa.line,
                        describe(pa),
                        b.0,
                        pb.line,
                        describe(pb)
                    ),
                )];
            }
        }
    }
    let list = |n: &str, c: &Config| {
        c.policies
            .iter()
            .map(|p| format!("{n}:{} {}", p.line, describe(p)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![check(
        "isakmp-policy",
        Verdict::Fault,
        a.0,
        a.1.policies[0].line,
        format!(
            "no ISAKMP policy in common: {}; {}",
            list(a.0, a.1),
            list(b.0, b.1)
        ),
    )]
}

/// Phase 2: a transform set in common between the two entries, and the same PFS.
fn transforms(a: Named<'_>, b: Named<'_>, ea: &MapEntry, eb: &MapEntry) -> Vec<Check> {
    let mut out = Vec::new();
    let sets = |c: &Config, e: &MapEntry| -> Vec<(String, Vec<String>, u64)> {
        e.transform_sets
            .iter()
            .filter_map(|name| {
                c.transform_sets.iter().find(|t| &t.name == name).map(|t| {
                    let mut x = t.transforms.clone();
                    x.sort();
                    (t.name.clone(), x, t.line)
                })
            })
            .collect()
    };
    let (sa, sb) = (sets(a.1, ea), sets(b.1, eb));
    if !sa.is_empty() && !sb.is_empty() {
        let common = sa
            .iter()
            .find_map(|x| sb.iter().find(|y| y.1 == x.1).map(|y| (x, y)));
        let show = |n: &str, s: &[(String, Vec<String>, u64)]| {
            s.iter()
                .map(|(name, t, line)| format!("{n}:{line} {name} = {}", t.join(" ")))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push(match common {
            Some((x, y)) => check(
                "transform-set",
                Verdict::Ok,
                a.0,
                x.2,
                format!("{}:{} {} matches {}:{} {}", a.0, x.2, x.0, b.0, y.2, y.0),
            ),
            None => check(
                "transform-set",
                Verdict::Fault,
                a.0,
                sa[0].2,
                format!(
                    "no transform set in common between crypto map {} {} and {} {}: {}; {}",
                    ea.map,
                    ea.seq,
                    eb.map,
                    eb.seq,
                    show(a.0, &sa),
                    show(b.0, &sb)
                ),
            ),
        });
    }
    // A dynamic entry accepts the initiator's PFS; only two static entries must agree.
    if !eb.dynamic {
        let pfs = |e: &MapEntry| e.pfs.clone().unwrap_or_else(|| "no PFS".into());
        let line = |e: &MapEntry| if e.pfs_line > 0 { e.pfs_line } else { e.line };
        let same = ea.pfs == eb.pfs;
        out.push(check(
            "pfs",
            if same { Verdict::Ok } else { Verdict::Fault },
            a.0,
            line(ea),
            format!(
                "{}:{} {}; {}:{} {}{}",
                a.0,
                line(ea),
                pfs(ea),
                b.0,
                line(eb),
                pfs(eb),
                if same { "" } else { ": PFS differs" }
            ),
        ));
    }
    out
}

/// The crypto ACLs: mirror images, entry by entry; else host against network.
fn mirror(a: Named<'_>, b: Named<'_>, ea: &MapEntry, eb: &MapEntry) -> Vec<Check> {
    let (fa, fb) = (protected(a.1, ea), protected(b.1, eb));
    if fa.is_empty() || fb.is_empty() || eb.dynamic {
        return Vec::new();
    }
    let show = |n: &str, x: &Ace| {
        format!(
            "{n}:{} permits {} → {}",
            x.line, x.source.text, x.destination.text
        )
    };
    if traffic_mirrors(a.1, ea, b.1, eb) {
        return vec![check(
            "crypto-acl-mirror",
            Verdict::Ok,
            a.0,
            fa[0].line,
            format!("{}; {}: mirror images", show(a.0, fa[0]), show(b.0, fb[0])),
        )];
    }
    // Host against network: the flows overlap, and where they differ one side names a
    // single host inside the other side's network.
    let host_vs_net = |x: &Ace, y: &Ace| {
        let one = |p: &[ipnet::Ipv4Net], q: &[ipnet::Ipv4Net]| {
            p == q
                || (p.len() == 1
                    && q.len() == 1
                    && (p[0].prefix_len() == 32 && q[0].contains(&p[0])
                        || q[0].prefix_len() == 32 && p[0].contains(&q[0])))
        };
        one(&x.source.nets, &y.destination.nets) && one(&x.destination.nets, &y.source.nets)
    };
    for x in &fa {
        for y in &fb {
            if host_vs_net(x, y) && !mirror_of(x, y) {
                return vec![check(
                    "crypto-acl-host-network",
                    Verdict::Fault,
                    a.0,
                    x.line,
                    format!(
                        "{}; {}: one side names a host where the other names its network",
                        show(a.0, x),
                        show(b.0, y)
                    ),
                )];
            }
        }
    }
    // Name the flows each side lacks the mirror of.
    let lone_a = fa.iter().find(|x| !fb.iter().any(|y| mirror_of(x, y)));
    let lone_b = fb.iter().find(|y| !fa.iter().any(|x| mirror_of(x, y)));
    let why = match (lone_a, lone_b) {
        (Some(x), Some(y)) => format!(
            "{}, which {} does not mirror; {}, which {} does not mirror: not mirror images",
            show(a.0, x),
            b.0,
            show(b.0, y),
            a.0
        ),
        (Some(x), None) => format!(
            "{}, which {} does not mirror: not mirror images",
            show(a.0, x),
            b.0
        ),
        (None, Some(y)) => format!(
            "{}, which {} does not mirror: not mirror images",
            show(b.0, y),
            a.0
        ),
        (None, None) => format!(
            "{}; {}: not mirror images",
            show(a.0, fa[0]),
            show(b.0, fb[0])
        ),
    };
    let line = lone_a.map_or(fa[0].line, |x| x.line);
    vec![check("crypto-acl-mirror", Verdict::Fault, a.0, line, why)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::config::read;

    const HQ: &str = "version 15.4
hostname HQ
crypto isakmp policy 10
 encr aes 256
 authentication pre-share
 group 14
crypto isakmp key Sh4red!Key address 198.51.100.2
crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac
crypto map VPN 10 ipsec-isakmp
 set peer 198.51.100.2
 set transform-set TS
 match address 110
interface GigabitEthernet0/0
 ip address 203.0.113.1 255.255.255.248
 crypto map VPN
interface GigabitEthernet0/1
 ip address 10.1.1.1 255.255.255.0
access-list 110 permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255
ip route 0.0.0.0 0.0.0.0 203.0.113.6
";

    const BR: &str = "version 15.4
hostname BR
crypto isakmp policy 5
 encr 3des
 authentication pre-share
 group 2
crypto isakmp policy 10
 encr aes 256
 authentication pre-share
 group 14
 lifetime 28800
crypto isakmp key Sh4red!Key address 203.0.113.1
crypto ipsec transform-set T1 esp-3des esp-md5-hmac
crypto ipsec transform-set T2 esp-aes 256 esp-sha-hmac
crypto map VPN 10 ipsec-isakmp
 set peer 203.0.113.1
 set transform-set T1 T2
 match address 110
interface GigabitEthernet0/0
 ip address 198.51.100.2 255.255.255.248
 crypto map VPN
interface GigabitEthernet0/1
 ip address 10.2.2.1 255.255.255.0
access-list 110 permit ip 10.2.2.0 0.0.0.255 10.1.1.0 0.0.0.255
ip route 0.0.0.0 0.0.0.0 198.51.100.6
";

    fn compare(a: &str, b: &str) -> Vec<(&'static str, Verdict)> {
        let (ca, cb) = (read(a).unwrap(), read(b).unwrap());
        pair(("hq.cfg", &ca), ("br.cfg", &cb))
            .into_iter()
            .map(|c| (c.check, c.verdict))
            .collect()
    }

    #[test]
    fn a_matching_pair_passes() {
        let got = compare(HQ, BR);
        assert!(got.iter().all(|(_, v)| *v == Verdict::Ok), "{got:?}");
        for id in [
            "psk",
            "isakmp-policy",
            "transform-set",
            "pfs",
            "crypto-acl-mirror",
        ] {
            assert!(got.iter().any(|(c, _)| *c == id), "{id}: {got:?}");
        }
    }

    #[test]
    fn planted_faults() {
        let psk = BR.replace("Sh4red!Key", "Other!Key");
        assert!(compare(HQ, &psk).contains(&("psk", Verdict::Fault)));
        let hidden = BR.replace("key Sh4red!Key", "key 6 AbCdEf]gH");
        assert!(compare(HQ, &hidden).contains(&("psk", Verdict::Unverified)));
        let policy = HQ.replace(" group 14\n", " group 5\n");
        assert!(compare(&policy, BR).contains(&("isakmp-policy", Verdict::Fault)));
        let ts = HQ.replace("esp-aes 256 esp-sha-hmac", "esp-aes 128 esp-sha-hmac");
        assert!(compare(&ts, BR).contains(&("transform-set", Verdict::Fault)));
        let pfs = HQ.replace(
            " set transform-set TS\n",
            " set transform-set TS\n set pfs group14\n",
        );
        assert!(compare(&pfs, BR).contains(&("pfs", Verdict::Fault)));
        let mirror = BR.replace(
            "10.2.2.0 0.0.0.255 10.1.1.0 0.0.0.255",
            "10.2.2.0 0.0.0.255 10.1.0.0 0.0.255.255",
        );
        assert!(
            compare(HQ, &mirror).contains(&("crypto-acl-mirror", Verdict::Fault)),
            "{:?}",
            compare(HQ, &mirror)
        );
        let host = BR.replace(
            "10.2.2.0 0.0.0.255 10.1.1.0 0.0.0.255",
            "10.2.2.0 0.0.0.255 host 10.1.1.5",
        );
        assert!(compare(HQ, &host).contains(&("crypto-acl-host-network", Verdict::Fault)));
        let moved = HQ
            .replace("set peer 198.51.100.2", "set peer 198.51.100.20")
            .replace("address 198.51.100.2\n", "address 198.51.100.20\n");
        let got = compare(&moved, BR);
        assert!(got.contains(&("peer-address", Verdict::Fault)), "{got:?}");
    }
}
