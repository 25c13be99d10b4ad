//! The IOS reader: IOS 12.4 / 15.x and IOS-XE 16/17 `show running-config` into a
//! [`Config`]. Sub-mode lines (one space in) belong to the last top-level command.

use super::model::{
    Ace, Addr, Config, Exemption, Family, Interface, Key, MapEntry, Nat, Policy, RemoteAccess,
    Route, Secret, TransformSet,
};
use super::{net, range_nets, wildcard_len};
use ipnet::Ipv4Net;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// The top-level command a sub-mode line belongs to.
enum Block {
    None,
    Interface(usize),
    Policy(usize),
    Keyring,
    TransformSet,
    MapEntry(usize),
    Acl { name: String, standard: bool },
    ObjectGroup(String),
    ClientGroup(usize),
    RouteMap(String),
}

/// Read an IOS config.
pub fn read(text: &str) -> Config {
    let mut c = Config::new(Family::Ios);
    let mut block = Block::None;
    let mut groups: BTreeMap<String, Vec<Ipv4Net>> = BTreeMap::new();
    // ACL lines are resolved once every object group is known.
    let mut pending: Vec<Pending<'_>> = Vec::new();
    let mut route_maps: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut nat_route_maps: Vec<(usize, String)> = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    for (i, raw) in super::super::lines(text).enumerate() {
        let n = i as u64 + 1;
        let line = raw.trim_end();
        let sub = line.starts_with(' ');
        words.clear();
        words.extend(line.split_whitespace());
        if words.is_empty() || words[0] == "!" {
            if !sub {
                block = Block::None;
            }
            continue;
        }
        if sub {
            if sub_line(
                &mut c,
                &block,
                &words,
                line,
                n,
                &mut groups,
                &mut pending,
                &mut route_maps,
            ) {
                c.recognised += 1;
            }
            continue;
        }
        block = Block::None;
        let known = top_line(
            &mut c,
            &mut block,
            &words,
            line,
            n,
            &mut pending,
            &mut nat_route_maps,
        );
        if known {
            c.recognised += 1;
        }
    }
    for (name, standard, text, skip, line) in pending {
        words.clear();
        words.extend(text.split_whitespace().skip(skip));
        if let Some(ace) = ace(&words, standard, line, &groups) {
            match c.acls.get_mut(&name) {
                Some(list) => list.push(ace),
                None => {
                    c.acls.insert(name, vec![ace]);
                }
            }
        }
    }
    // `ip nat inside source route-map RM`: the ACLs the route-map matches.
    for (i, rm) in nat_route_maps {
        if let Some(acl) = route_maps.get(&rm).and_then(|acls| acls.first()) {
            c.nat[i].exemption = Some(Exemption::IosNatAcl { acl: acl.clone() });
        }
    }
    c
}

/// An access-list line read at the end: list, standard, the line, words to skip, line number.
type Pending<'a> = (String, bool, &'a str, usize, u64);

fn top_line<'a>(
    c: &mut Config,
    block: &mut Block,
    w: &[&'a str],
    raw: &'a str,
    n: u64,
    pending: &mut Vec<Pending<'a>>,
    nat_route_maps: &mut Vec<(usize, String)>,
) -> bool {
    match w {
        ["hostname", name, ..] => c.hostname = Some(name.to_string()),
        ["interface", name, ..] => {
            c.interfaces.push(Interface {
                name: name.to_string(),
                line: n,
                ..Interface::default()
            });
            *block = Block::Interface(c.interfaces.len() - 1);
        }
        ["crypto", "isakmp", "policy", p, ..] => {
            let Ok(priority) = p.parse() else {
                return false;
            };
            c.policies.push(Policy {
                priority,
                encryption: "des".into(),
                hash: "sha".into(),
                authentication: "rsa-sig".into(),
                group: 1,
                lifetime: 86_400,
                line: n,
            });
            *block = Block::Policy(c.policies.len() - 1);
        }
        ["crypto", "isakmp", "key", rest @ ..] => {
            // `crypto isakmp key [0|6|7] KEY address A [MASK] [no-xauth]` or `… hostname H`.
            let (secret, rest) = secret(rest);
            let peer = match rest {
                ["address", a, m, ..] if m.contains('.') => {
                    super::mask_len(m).and_then(|l| net(a, l))
                }
                ["address", a, ..] => net(a, 32),
                _ => None,
            };
            c.keys.push(Key {
                peer,
                secret,
                line: n,
            });
        }
        ["crypto", "keyring", ..] => *block = Block::Keyring,
        ["crypto", "ipsec", "transform-set", name, transforms @ ..] => {
            c.transform_sets.push(TransformSet {
                name: name.to_string(),
                transforms: transform_list(transforms),
                line: n,
            });
            *block = Block::TransformSet;
        }
        ["crypto", "map", map, "local-address", iface, ..] => {
            c.local_address
                .insert(map.to_string(), (iface.to_string(), n));
        }
        ["crypto", "map", map, seq, kind, rest @ ..] if kind.starts_with("ipsec-") => {
            let Ok(seq) = seq.parse() else { return false };
            let i = entry(c, map, seq, n);
            if rest.first() == Some(&"dynamic") {
                c.entries[i].dynamic = true;
            }
            *block = Block::MapEntry(i);
        }
        ["crypto", "dynamic-map", map, seq, ..] => {
            let Ok(seq) = seq.parse() else { return false };
            let i = entry(c, map, seq, n);
            c.entries[i].dynamic = true;
            *block = Block::MapEntry(i);
        }
        ["crypto", "isakmp", "client", "configuration", "group", name, ..] => {
            c.remote_access.push(RemoteAccess {
                group: name.to_string(),
                split_acl: None,
                pool: None,
                line: n,
            });
            *block = Block::ClientGroup(c.remote_access.len() - 1);
        }
        ["access-list", name, "permit" | "deny", ..] => {
            // Numbered: 1–99 and 1300–1999 are standard lists.
            let standard = name
                .parse::<u32>()
                .is_ok_and(|x| x < 100 || (1300..2000).contains(&x));
            pending.push((name.to_string(), standard, raw, 2, n));
        }
        ["access-list", ..] => {}
        ["ip", "access-list", kind @ ("extended" | "standard"), name, ..] => {
            *block = Block::Acl {
                name: name.to_string(),
                standard: *kind == "standard",
            };
        }
        ["object-group", "network", name, ..] => *block = Block::ObjectGroup(name.to_string()),
        ["route-map", name, "permit", ..] => *block = Block::RouteMap(name.to_string()),
        ["ip", "nat", "inside", "source", kind @ ("list" | "route-map"), name, rest @ ..] => {
            // A static (`ip nat inside source static …`) is not matched here.
            let overload_or_pool = rest.iter().any(|w| *w == "overload" || *w == "pool")
                || rest.first() == Some(&"interface");
            if !overload_or_pool {
                return false;
            }
            c.nat.push(Nat {
                exemption: (*kind == "list").then(|| Exemption::IosNatAcl {
                    acl: name.to_string(),
                }),
                translates: Vec::new(),
                line: n,
            });
            if *kind == "route-map" {
                nat_route_maps.push((c.nat.len() - 1, name.to_string()));
            }
        }
        ["ip", "route", rest @ ..] => {
            // `ip route [vrf V] N M {IF [GW] | GW} [distance] [name X] [permanent]`
            // A VRF's routes are not the global table's.
            if rest.first() == Some(&"vrf") {
                return true;
            }
            let [a, m, next, tail @ ..] = rest else {
                return false;
            };
            let Some(network) = super::mask_len(m).and_then(|l| net(a, l)) else {
                return false;
            };
            let (interface, gateway) = match next.parse::<Ipv4Addr>() {
                Ok(gw) => (None, Some(gw)),
                Err(_) => (
                    Some(next.to_string()),
                    tail.first().and_then(|g| g.parse().ok()),
                ),
            };
            c.routes.push(Route {
                net: network,
                interface,
                gateway,
                line: n,
            });
        }
        ["ip", "local", "pool", name, first, rest @ ..] => {
            let (Ok(a), Some(b)) = (
                first.parse::<Ipv4Addr>(),
                rest.first()
                    .and_then(|b| b.parse::<Ipv4Addr>().ok())
                    .or_else(|| first.parse().ok()),
            ) else {
                return false;
            };
            c.pools.insert(name.to_string(), (range_nets(a, b), n));
        }
        ["router", "ospf" | "eigrp" | "bgp" | "rip" | "isis" | "odr", ..] => {
            c.dynamic_routing = true
        }
        ["version", ..] | ["crypto", ..] | ["ip", ..] => {}
        _ => return false,
    }
    true
}

#[allow(clippy::too_many_arguments)]
fn sub_line<'a>(
    c: &mut Config,
    block: &Block,
    w: &[&'a str],
    raw: &'a str,
    n: u64,
    groups: &mut BTreeMap<String, Vec<Ipv4Net>>,
    pending: &mut Vec<Pending<'a>>,
    route_maps: &mut BTreeMap<String, Vec<String>>,
) -> bool {
    match block {
        Block::Interface(i) => {
            let iface = &mut c.interfaces[*i];
            match w {
                ["ip", "address", a, m, rest @ ..] if !rest.contains(&"secondary") => {
                    if let (Ok(addr), Some(len)) = (a.parse::<Ipv4Addr>(), super::mask_len(m)) {
                        iface.address = Ipv4Net::new(addr, len).ok();
                    }
                }
                ["crypto", "map", map, ..] => iface.crypto_map = Some((map.to_string(), n)),
                ["shutdown"] => iface.shutdown = true,
                ["vrf", "forwarding", ..] | ["ip", "vrf", "forwarding", ..] => iface.vrf = true,
                ["ip", "access-group", acl, "in"] => {
                    c.access_groups
                        .push((acl.to_string(), iface.name.clone(), n));
                }
                _ => return false,
            }
        }
        Block::Policy(i) => {
            let p = &mut c.policies[*i];
            match w {
                ["encryption" | "encr", alg, rest @ ..] => {
                    p.encryption = match (alg, rest.first()) {
                        (&"aes", Some(bits)) if bits.parse::<u32>().is_ok() => {
                            format!("aes-{bits}")
                        }
                        (&"aes", _) => "aes".into(),
                        _ => alg.to_string(),
                    }
                }
                ["hash", h] => p.hash = h.to_string(),
                ["authentication", a] => p.authentication = a.to_string(),
                ["group", g] => p.group = g.parse().unwrap_or(p.group),
                ["lifetime", l] => p.lifetime = l.parse().unwrap_or(p.lifetime),
                _ => return false,
            }
        }
        Block::Keyring => match w {
            // ` pre-shared-key address A [M] key [0|6|7] KEY`
            ["pre-shared-key", "address", a, rest @ ..] => {
                let (mask, rest) = match rest {
                    [m, tail @ ..] if m.contains('.') => (super::mask_len(m), tail),
                    _ => (Some(32), rest),
                };
                let Some(["key", tail @ ..]) = Some(rest) else {
                    return false;
                };
                let (secret, _) = secret(tail);
                c.keys.push(Key {
                    peer: mask.and_then(|l| net(a, l)),
                    secret,
                    line: n,
                });
            }
            _ => return false,
        },
        Block::TransformSet => {}
        Block::MapEntry(i) => {
            let e = &mut c.entries[*i];
            match w {
                ["set", "peer", a, ..] => {
                    if let Ok(addr) = a.parse() {
                        if e.peers.is_empty() {
                            e.peer_line = n;
                        }
                        e.peers.push(addr);
                    }
                }
                ["set", "transform-set", sets @ ..] => {
                    e.transform_sets = sets.iter().map(|s| s.to_string()).collect();
                    e.transform_line = n;
                }
                ["set", "pfs", rest @ ..] => {
                    e.pfs = Some(rest.first().unwrap_or(&"group1").to_string());
                    e.pfs_line = n;
                }
                ["match", "address", acl] => e.acl = Some((acl.to_string(), n)),
                _ => return false,
            }
        }
        Block::Acl { name, standard } => {
            // IOS-XE may print sequence numbers; remarks are skipped.
            let (w, skip) = match w {
                [seq, rest @ ..] if seq.parse::<u32>().is_ok() => (rest, 1),
                _ => (w, 0),
            };
            if !matches!(w.first(), Some(&"permit" | &"deny")) {
                return false;
            }
            pending.push((name.clone(), *standard, raw, skip, n));
        }
        Block::ObjectGroup(name) => {
            let nets: Vec<Ipv4Net> = match w {
                ["host", a] => net(a, 32).into_iter().collect(),
                ["range", a, b] => match (a.parse(), b.parse()) {
                    (Ok(a), Ok(b)) => range_nets(a, b),
                    _ => Vec::new(),
                },
                ["group-object", g] => groups.get(*g).cloned().unwrap_or_default(),
                [a, m] => super::mask_len(m)
                    .or_else(|| m.strip_prefix('/').and_then(|l| l.parse().ok()))
                    .and_then(|l| net(a, l))
                    .into_iter()
                    .collect(),
                _ => return false,
            };
            groups.entry(name.clone()).or_default().extend(nets);
        }
        Block::ClientGroup(i) => match w {
            ["acl", acl] => c.remote_access[*i].split_acl = Some(acl.to_string()),
            ["pool", p] => c.remote_access[*i].pool = Some(p.to_string()),
            ["key", ..] => {}
            _ => return false,
        },
        Block::RouteMap(name) => match w {
            ["match", "ip", "address", acls @ ..] => {
                route_maps
                    .entry(name.clone())
                    .or_default()
                    .extend(acls.iter().map(|s| s.to_string()));
            }
            _ => return false,
        },
        Block::None => return false,
    }
    true
}

/// The map entry `map seq`, created on first sight.
fn entry(c: &mut Config, map: &str, seq: u32, n: u64) -> usize {
    // Entries come in order: the last is the usual match; else search back.
    if let Some(i) = c.entries.iter().rposition(|e| e.seq == seq && e.map == map) {
        return i;
    }
    c.entries.push(MapEntry {
        map: map.to_string(),
        seq,
        line: n,
        ..MapEntry::default()
    });
    c.entries.len() - 1
}

/// `[0|6|7] KEY rest…`: the key (clear, or hidden when encrypted) and what follows.
fn secret<'a, 'b>(w: &'b [&'a str]) -> (Secret, &'b [&'a str]) {
    match w {
        ["0", key, rest @ ..] => (Secret::Clear(key.to_string()), rest),
        ["6" | "7", _, rest @ ..] => (Secret::Hidden, rest),
        [key, rest @ ..] => (Secret::Clear(key.to_string()), rest),
        [] => (Secret::Hidden, w),
    }
}

/// `esp-aes 256 esp-sha-hmac` → `esp-aes-256`, `esp-sha-hmac`.
pub(super) fn transform_list(words: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words {
        if w.parse::<u32>().is_ok() {
            if let Some(last) = out.last_mut() {
                last.push('-');
                last.push_str(w);
            }
            continue;
        }
        out.push(w.to_ascii_lowercase());
    }
    out
}

/// An access-list entry from `permit|deny [proto] SRC [ports] [DST [ports]] …`.
fn ace(
    w: &[&str],
    standard: bool,
    line: u64,
    groups: &BTreeMap<String, Vec<Ipv4Net>>,
) -> Option<Ace> {
    let permit = match *w.first()? {
        "permit" => true,
        "deny" => false,
        _ => return None,
    };
    if standard {
        let (source, _) = addr(&w[1..], groups)?;
        return Some(Ace {
            permit,
            protocol: "ip".into(),
            source,
            destination: Addr {
                nets: vec!["0.0.0.0/0".parse().ok()?],
                text: "any".into(),
            },
            line,
        });
    }
    let protocol = w.get(1)?.to_string();
    let (source, rest) = addr(&w[2..], groups)?;
    let rest = skip_ports(rest);
    let (destination, _) = addr(rest, groups)?;
    Some(Ace {
        permit,
        protocol,
        source,
        destination,
        line,
    })
}

fn skip_ports<'a, 'b>(w: &'b [&'a str]) -> &'b [&'a str] {
    match w {
        ["eq" | "lt" | "gt" | "neq", _, rest @ ..] => rest,
        ["range", _, _, rest @ ..] => rest,
        _ => w,
    }
}

/// An IOS address selector and the words after it.
fn addr<'a, 'b>(
    w: &'b [&'a str],
    groups: &BTreeMap<String, Vec<Ipv4Net>>,
) -> Option<(Addr, &'b [&'a str])> {
    match w {
        ["any", rest @ ..] => Some((
            Addr {
                nets: vec!["0.0.0.0/0".parse().ok()?],
                text: "any".into(),
            },
            rest,
        )),
        ["host", a, rest @ ..] => Some((
            Addr {
                nets: vec![net(a, 32)?],
                text: format!("host {a}"),
            },
            rest,
        )),
        ["object-group", g, rest @ ..] => Some((
            Addr {
                nets: groups.get(*g).cloned().unwrap_or_default(),
                text: format!("object-group {g}"),
            },
            rest,
        )),
        [a, wild, rest @ ..] if wild.parse::<Ipv4Addr>().is_ok() => Some((
            Addr {
                nets: vec![net(a, wildcard_len(wild)?)?],
                text: format!("{a} {wild}"),
            },
            rest,
        )),
        // A standard list's lone address is a host.
        [a, rest @ ..] if a.parse::<Ipv4Addr>().is_ok() => Some((
            Addr {
                nets: vec![net(a, 32)?],
                text: a.to_string(),
            },
            rest,
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HQ: &str = "\
Building configuration...

Current configuration : 4120 bytes
!
version 15.4
hostname R-HQ
!
crypto isakmp policy 10
 encr aes 256
 authentication pre-share
 group 14
crypto isakmp policy 20
 hash md5
 authentication pre-share
crypto isakmp key S3cr3tHQ address 198.51.100.2
crypto isakmp key 6 FHeQ]bJ_XbM address 198.51.100.3 255.255.255.255
!
crypto keyring SPOKES
  pre-shared-key address 198.51.100.9 key K3yr1ng!
!
crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac
 mode tunnel
!
crypto map VPN 10 ipsec-isakmp
 set peer 198.51.100.2
 set transform-set TS
 set pfs group14
 match address 110
crypto map VPN local-address GigabitEthernet0/0
!
interface GigabitEthernet0/0
 ip address 203.0.113.1 255.255.255.248
 ip nat outside
 crypto map VPN
!
interface GigabitEthernet0/1
 ip address 10.1.1.1 255.255.255.0
 ip nat inside
!
ip nat inside source route-map NONAT interface GigabitEthernet0/0 overload
ip route 0.0.0.0 0.0.0.0 203.0.113.6
ip route 10.1.20.0 255.255.255.0 10.1.1.2
!
ip access-list extended NAT-ACL
 deny   ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255
 permit ip 10.1.0.0 0.0.255.255 any
access-list 110 permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255
access-list 10 permit 10.1.1.0 0.0.0.255
!
route-map NONAT permit 10
 match ip address NAT-ACL
!
router ospf 1
 network 10.1.1.0 0.0.0.255 area 0
!
end
";

    #[test]
    fn reads_an_ios15_config() {
        let c = read(HQ);
        assert_eq!(c.hostname.as_deref(), Some("R-HQ"));
        assert_eq!(c.policies.len(), 2);
        assert_eq!(c.policies[0].encryption, "aes-256");
        assert_eq!(c.policies[0].group, 14);
        assert_eq!(c.policies[1].encryption, "des");
        assert_eq!(c.policies[1].hash, "md5");
        assert_eq!(c.keys.len(), 3);
        assert_eq!(c.keys[0].secret, Secret::Clear("S3cr3tHQ".into()));
        assert_eq!(c.keys[1].secret, Secret::Hidden);
        assert_eq!(c.keys[2].peer, Some("198.51.100.9/32".parse().unwrap()));
        assert_eq!(
            c.transform_sets[0].transforms,
            ["esp-aes-256", "esp-sha-hmac"]
        );
        let e = &c.entries[0];
        assert_eq!((e.map.as_str(), e.seq), ("VPN", 10));
        assert_eq!(e.peers, ["198.51.100.2".parse::<Ipv4Addr>().unwrap()]);
        assert_eq!(e.pfs.as_deref(), Some("group14"));
        assert_eq!(e.acl.as_ref().map(|a| a.0.as_str()), Some("110"));
        assert_eq!(c.map_interface("VPN").unwrap().name, "GigabitEthernet0/0");
        assert_eq!(c.local_address["VPN"].0, "GigabitEthernet0/0");
        let acl = &c.acls["110"][0];
        assert!(acl.permit);
        assert_eq!(acl.source.nets, ["10.1.0.0/16".parse::<Ipv4Net>().unwrap()]);
        assert_eq!(
            acl.destination.nets,
            ["10.2.0.0/16".parse::<Ipv4Net>().unwrap()]
        );
        let std10 = &c.acls["10"][0];
        assert_eq!(std10.destination.text, "any");
        assert_eq!(
            c.nat[0].exemption,
            Some(Exemption::IosNatAcl {
                acl: "NAT-ACL".into()
            })
        );
        assert_eq!(c.acls["NAT-ACL"].len(), 2);
        assert!(!c.acls["NAT-ACL"][0].permit);
        assert_eq!(c.routes.len(), 2);
        assert!(c.dynamic_routing);
        assert_eq!(
            c.egress("10.1.20.5".parse().unwrap()).unwrap().name,
            "GigabitEthernet0/1"
        );
        assert_eq!(
            c.egress("198.51.100.2".parse().unwrap()).unwrap().name,
            "GigabitEthernet0/0"
        );
    }

    #[test]
    fn easy_vpn_group_and_object_groups() {
        let c = read(
            "hostname EZ\n\
             object-group network LANS\n 10.5.0.0 255.255.0.0\n host 10.6.0.9\n\
             ip access-list extended SPLIT\n 10 permit ip object-group LANS any\n\
             crypto isakmp client configuration group SALES\n key Gr0upK3y\n pool EZPOOL\n acl SPLIT\n\
             ip local pool EZPOOL 10.9.9.1 10.9.9.254\n",
        );
        assert_eq!(c.remote_access[0].split_acl.as_deref(), Some("SPLIT"));
        assert_eq!(c.acls["SPLIT"][0].source.nets.len(), 2);
        assert_eq!(c.pools["EZPOOL"].0.len(), 14);
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "crypto map\ncrypto map X\ncrypto map X y ipsec-isakmp\n set peer\n",
            "access-list 110 permit\naccess-list 110 permit ip host\nip route 1.2.3.4\n",
            "interface X\n ip address 999.1.1.1 255.0.0.0\n ip address 1.1.1.1 255.0.255.0\n",
            "crypto isakmp key\ncrypto isakmp key 6\ncrypto keyring K\n pre-shared-key address\n",
        ] {
            let _ = read(text);
        }
    }
}
