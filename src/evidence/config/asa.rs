//! The reader of PIX 6.x and ASA 7 / 8.2 / 8.3+ / 9.x `show running-config` text.
//!
//! One pass over the lines, by first token. A sub-mode line (one that starts with a space:
//! ` nameif`, ` hash`, ` pre-shared-key`, ` network-object`, …) belongs to the block the
//! last top-level line opened; a block ends at the next line that does not start with a
//! space. What may be named before it is defined — objects and object groups, interfaces,
//! tunnel-groups and their group-policies — is resolved at the end. Unknown, truncated or
//! malformed lines are skipped; nothing here fails or panics.

use super::model::{
    Ace, Addr, Config, Exemption, Family, Interface, Key, MapEntry, Nat, Policy, RemoteAccess,
    Route, Secret, TransformSet,
};
use super::{mask_len, net, range_nets};
use ipnet::Ipv4Net;
use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;

/// How deep object groups may nest (`group-object`) before the rest is ignored.
const MAX_NESTING: usize = 64;

/// The built-in tunnel-group of LAN-to-LAN peers that have none of their own: its key is a
/// wildcard key.
const DEFAULT_L2L_GROUP: &str = "DefaultL2LGroup";

/// The group-policy a tunnel-group without ` default-group-policy` uses.
const DEFAULT_GROUP_POLICY: &str = "DfltGrpPolicy";

/// Read a PIX (`family` [`Family::Pix`]) or ASA ([`Family::Asa`]) running-config.
pub fn read(text: &str, family: Family) -> Config {
    // `names` aliases (`name 10.1.1.5 LIMS-SERVER`): the config then writes the alias
    // wherever the address would stand (ACLs, routes, peers, objects); read each as its
    // address.
    let mut names: HashMap<&str, &str> = HashMap::new();
    for line in crate::evidence::lines(text) {
        if let Some(rest) = line.strip_prefix("name ") {
            let mut w = rest.split_whitespace();
            if let (Some(addr), Some(alias)) = (w.next(), w.next()) {
                if addr.parse::<Ipv4Addr>().is_ok() {
                    names.insert(alias, addr);
                }
            }
        }
    }
    if names.is_empty() {
        return read_lines(text, family);
    }
    let mut plain = String::with_capacity(text.len());
    for line in crate::evidence::lines(text) {
        let indent = &line[..line.len() - line.trim_start().len()];
        plain.push_str(indent);
        let words: Vec<&str> = line
            .split_whitespace()
            .map(|w| {
                if line.starts_with("name ") {
                    w
                } else {
                    names.get(w).copied().unwrap_or(w)
                }
            })
            .collect();
        plain.push_str(&words.join(" "));
        plain.push('\n');
    }
    read_lines(&plain, family)
}

fn read_lines(text: &str, family: Family) -> Config {
    let mut reader = Reader::new(family);
    let mut toks = Vec::new();
    for (i, line) in crate::evidence::lines(text).enumerate() {
        words(line, &mut toks);
        reader.line(i as u64 + 1, line, &toks);
    }
    reader.finish()
}

/// The words of a line into `toks` (ASCII lines, nearly all, split faster).
fn words<'a>(line: &'a str, toks: &mut Vec<&'a str>) {
    toks.clear();
    if line.is_ascii() {
        toks.extend(line.split_ascii_whitespace());
    } else {
        toks.extend(line.split_whitespace());
    }
}

/// An ASA `interface` block being read: it becomes an [`Interface`] if it has a `nameif`.
struct PendingInterface<'a> {
    hardware: &'a str,
    line: u64,
    nameif: Option<&'a str>,
    address: Option<Ipv4Net>,
    shutdown: bool,
}

/// The sub-mode the following space-indented lines belong to.
enum Block<'a> {
    /// None that is read: its sub-lines are skipped.
    None,
    Interface(PendingInterface<'a>),
    /// `crypto isakmp policy N` / `crypto ikev1 policy N`: the index in `Config::policies`.
    Policy(usize),
    /// `tunnel-group NAME ipsec-attributes`: the index in `Reader::tunnels`.
    TunnelIpsec(usize),
    /// `tunnel-group NAME general-attributes`.
    TunnelGeneral(usize),
    /// `group-policy NAME attributes`: the index in `Reader::group_policies`.
    GroupPolicy(usize),
    /// `object network NAME`.
    Object(&'a str),
    /// `object-group network NAME`.
    Group(&'a str),
}

/// A member of a network object group.
enum Member<'a> {
    Net(Ipv4Net),
    Object(&'a str),
    Group(&'a str),
}

/// A `tunnel-group`, from all its lines.
struct TunnelGroup<'a> {
    name: &'a str,
    line: u64,
    /// `type ipsec-l2l`, `remote-access`, `ipsec-ra`, `webvpn`.
    kind: Option<&'a str>,
    /// ` pre-shared-key K` (8.x) / ` ikev1 pre-shared-key K` (8.4+).
    ikev1: Option<(Secret, u64)>,
    /// ` ikev2 remote-authentication pre-shared-key K`.
    remote: Option<(Secret, u64)>,
    /// ` ikev2 local-authentication pre-shared-key K`.
    local: Option<(Secret, u64)>,
    /// ` address-pool POOL` (general-attributes).
    pool: Option<&'a str>,
    /// ` default-group-policy GP` (general-attributes).
    policy: Option<&'a str>,
}

impl TunnelGroup<'_> {
    /// A remote-access group (else LAN-to-LAN). Without a `type` line (a partial paste), a
    /// group named by an address is taken for LAN-to-LAN.
    fn remote_access(&self) -> bool {
        match self.kind {
            Some(kind) => kind != "ipsec-l2l",
            None => self.name != DEFAULT_L2L_GROUP && self.name.parse::<Ipv4Addr>().is_err(),
        }
    }

    fn group_policy(&self) -> &str {
        self.policy.unwrap_or(DEFAULT_GROUP_POLICY)
    }
}

/// A `group-policy`, from all its lines.
struct GroupPolicy<'a> {
    name: &'a str,
    line: u64,
    split_policy: Option<&'a str>,
    split_list: Option<&'a str>,
    pool: Option<&'a str>,
}

/// A NAT statement, resolved at the end (its objects may be defined after it).
enum PendingNat<'a> {
    Ready(Nat),
    /// ASA 8.3+ twice NAT: `nat (in,out) source static|dynamic REAL MAPPED [destination
    /// static MAPPED REAL]`.
    Twice {
        line: u64,
        fixed: bool,
        real: &'a str,
        mapped: &'a str,
        destination: Option<(&'a str, &'a str)>,
    },
    /// ASA 8.3+ object NAT: ` nat (in,out) static|dynamic MAPPED` under `object network`.
    Object {
        line: u64,
        object: &'a str,
        fixed: bool,
        mapped: Option<&'a str>,
    },
}

struct Reader<'a> {
    cfg: Config,
    pix: bool,
    block: Block<'a>,
    policy_at: HashMap<u32, usize>,
    /// (dynamic map, map, seq) → index in `Config::entries`.
    entry_at: HashMap<(bool, &'a str, u32), usize>,
    transform_at: HashMap<&'a str, usize>,
    /// PIX `interface ethernet0 auto [shutdown]`, by hardware name.
    pix_shutdown: HashMap<&'a str, bool>,
    /// `crypto map MAP interface IF`: (map, interface, line).
    bindings: Vec<(&'a str, &'a str, u64)>,
    /// `access-list` lines, read at the end when every object is known.
    aces: Vec<(u64, &'a str)>,
    objects: HashMap<&'a str, Vec<Ipv4Net>>,
    groups: HashMap<&'a str, Vec<Member<'a>>>,
    /// Service, protocol and ICMP-type objects and groups: never addresses.
    services: HashSet<&'a str>,
    nats: Vec<PendingNat<'a>>,
    tunnels: Vec<TunnelGroup<'a>>,
    tunnel_at: HashMap<&'a str, usize>,
    group_policies: Vec<GroupPolicy<'a>>,
    group_policy_at: HashMap<&'a str, usize>,
    /// PIX `vpngroup NAME …` → index in `Config::remote_access`.
    vpngroup_at: HashMap<&'a str, usize>,
    conduit: bool,
}

impl<'a> Reader<'a> {
    fn new(family: Family) -> Self {
        Reader {
            cfg: Config::new(family),
            pix: family == Family::Pix,
            block: Block::None,
            policy_at: HashMap::new(),
            entry_at: HashMap::new(),
            transform_at: HashMap::new(),
            pix_shutdown: HashMap::new(),
            bindings: Vec::new(),
            aces: Vec::new(),
            objects: HashMap::new(),
            groups: HashMap::new(),
            services: HashSet::new(),
            nats: Vec::new(),
            tunnels: Vec::new(),
            tunnel_at: HashMap::new(),
            group_policies: Vec::new(),
            group_policy_at: HashMap::new(),
            vpngroup_at: HashMap::new(),
            conduit: false,
        }
    }

    fn line(&mut self, n: u64, line: &'a str, toks: &[&'a str]) {
        let understood = if line.starts_with([' ', '\t']) {
            self.sub(n, toks)
        } else {
            self.close();
            self.top(n, line, toks)
        };
        if understood {
            self.cfg.recognised += 1;
        }
    }

    /// End the current block.
    fn close(&mut self) {
        if let Block::Interface(p) = std::mem::replace(&mut self.block, Block::None) {
            if let Some(name) = p.nameif {
                self.cfg.interfaces.push(Interface {
                    name: name.to_string(),
                    hardware: Some(p.hardware.to_string()),
                    address: p.address,
                    line: p.line,
                    crypto_map: None,
                    shutdown: p.shutdown,
                    vrf: false,
                });
            }
        }
    }

    /// A top-level line; whether it was understood.
    fn top(&mut self, n: u64, line: &'a str, t: &[&'a str]) -> bool {
        match t {
            ["hostname", name, ..] => self.cfg.hostname = Some((*name).to_string()),
            ["interface", hardware, rest @ ..] => {
                if !rest.is_empty() {
                    // PIX 6: `interface ethernet0 auto`, `interface ethernet2 auto shutdown`.
                    self.pix_shutdown
                        .insert(hardware, rest.contains(&"shutdown"));
                }
                self.block = Block::Interface(PendingInterface {
                    hardware,
                    line: n,
                    nameif: None,
                    address: None,
                    shutdown: false,
                });
            }
            ["nameif", hardware, name, ..] => {
                let i = self.pix_interface(n, name);
                self.cfg.interfaces[i].hardware = Some((*hardware).to_string());
            }
            ["ip", "address", _, "dhcp" | "pppoe", ..] => {}
            ["ip", "address", name, addr, mask, ..] => {
                let Some(address) = host_net(addr, mask) else {
                    return false;
                };
                let i = self.pix_interface(n, name);
                self.cfg.interfaces[i].address = Some(address);
            }
            ["ip", "local", "pool", name, range, ..] => return self.pool(n, name, range),
            ["isakmp", "policy", priority, rest @ ..]
            | ["crypto", "isakmp" | "ikev1", "policy", priority, rest @ ..] => {
                return self.policy(n, priority, rest)
            }
            ["isakmp", "key", key, "address", addr, rest @ ..] => {
                let len = match rest {
                    ["netmask", mask, ..] => mask_tok(mask),
                    _ => Some(32),
                };
                let Some(peer) = addr_tok(addr)
                    .zip(len)
                    .and_then(|(a, l)| Ipv4Net::new(a, l).ok())
                else {
                    return false;
                };
                self.cfg.keys.push(Key {
                    peer: Some(peer.trunc()),
                    secret: secret(&[key]).unwrap_or(Secret::Hidden),
                    line: n,
                });
            }
            ["isakmp", "key", key, "hostname", ..] => self.cfg.keys.push(Key {
                peer: None,
                secret: secret(&[key]).unwrap_or(Secret::Hidden),
                line: n,
            }),
            ["crypto", "ipsec", "transform-set", name, rest @ ..]
            | ["crypto", "ipsec", "ikev1", "transform-set", name, rest @ ..] => {
                return self.transform_set(n, name, rest)
            }
            ["crypto", "map", map, "interface", iface, ..] => self.bindings.push((map, iface, n)),
            ["crypto", "map", map, "local-address", iface, ..] => {
                self.cfg
                    .local_address
                    .insert((*map).to_string(), ((*iface).to_string(), n));
            }
            ["crypto", "map", map, seq, rest @ ..] => {
                return self.map_entry(n, false, map, seq, rest)
            }
            ["crypto", "dynamic-map", map, seq, rest @ ..] => {
                return self.map_entry(n, true, map, seq, rest)
            }
            // `isakmp enable outside`, `crypto ikev1 enable outside`, `crypto isakmp identity
            // address`, `crypto ikev2 policy 1` (not an IKEv1 policy), `crypto ipsec
            // security-association lifetime …`: understood, not needed.
            ["isakmp", _, ..] | ["crypto", "isakmp" | "ikev1" | "ikev2" | "ipsec", _, ..] => {}
            ["access-list", name, _, ..] => {
                if !self.cfg.acls.contains_key(*name) {
                    self.cfg.acls.insert((*name).to_string(), Vec::new());
                }
                self.aces.push((n, line));
            }
            ["object", "network", name, ..] => {
                self.objects.entry(name).or_default();
                self.block = Block::Object(name);
            }
            ["object-group", "network", name, ..] => {
                self.groups.entry(name).or_default();
                self.block = Block::Group(name);
            }
            ["object" | "object-group", _, name, ..] => {
                // service, protocol, icmp-type, user, security: not addresses.
                self.services.insert(name);
            }
            ["nat", rest @ ..] => return self.nat(n, rest),
            ["sysopt", "connection", "permit-ipsec" | "permit-vpn", ..] => {
                self.cfg.sysopt = Some((true, n))
            }
            ["no", "sysopt", "connection", "permit-ipsec" | "permit-vpn", ..] => {
                self.cfg.sysopt = Some((false, n))
            }
            ["access-group", acl, "in", "interface", iface, ..] => {
                self.cfg
                    .access_groups
                    .push(((*acl).to_string(), (*iface).to_string(), n))
            }
            ["access-group", acl, "global", ..] => {
                self.cfg
                    .access_groups
                    .push(((*acl).to_string(), "global".to_string(), n))
            }
            ["access-group", _, "out", ..] => {}
            ["conduit", "permit", ..] => {
                // One entry says it: decrypted traffic may be let in by conduits.
                if !self.conduit {
                    self.conduit = true;
                    self.cfg
                        .access_groups
                        .push(("conduit".to_string(), "outside".to_string(), n));
                }
            }
            ["vpngroup", name, rest @ ..] if !rest.is_empty() => self.vpngroup(n, name, rest),
            ["tunnel-group", name, rest @ ..] if !rest.is_empty() => {
                self.tunnel_group(n, name, rest)
            }
            ["group-policy", name, rest @ ..] if !rest.is_empty() => {
                let i = self.group_policy(n, name);
                if rest[0] == "attributes" {
                    self.block = Block::GroupPolicy(i);
                }
            }
            ["route", iface, addr, mask, gw, ..] => {
                let Some(net) = addr_mask(addr, mask) else {
                    return false;
                };
                self.cfg.routes.push(Route {
                    net,
                    interface: Some((*iface).to_string()),
                    gateway: gw.parse().ok(),
                    line: n,
                });
            }
            ["router", "ospf" | "ospfv3" | "eigrp" | "rip" | "bgp" | "isis", ..] => {
                self.cfg.dynamic_routing = true
            }
            ["PIX" | "ASA" | "FWSM", "Version", ..]
            | ["names"]
            | ["name", _, _, ..]
            | ["domain-name", _, ..]
            | ["global", _, _, ..]
            | ["static", _, ..]
            | ["nat-control"]
            | ["same-security-traffic", ..]
            | ["fixup", "protocol", ..]
            | ["mtu", _, _] => {}
            _ => return false,
        }
        true
    }

    /// A sub-mode line of the current block; whether it was understood.
    fn sub(&mut self, n: u64, t: &[&'a str]) -> bool {
        match &mut self.block {
            Block::None => return false,
            Block::Interface(p) => match t {
                ["nameif", name, ..] => p.nameif = Some(name),
                ["ip", "address", "dhcp" | "pppoe", ..] => {}
                ["ip", "address", addr, mask, ..] => match host_net(addr, mask) {
                    Some(a) => p.address = Some(a),
                    None => return false,
                },
                ["shutdown"] => p.shutdown = true,
                ["security-level", ..] | ["no", ..] | ["description", ..] | ["vlan", _] => {}
                _ => return false,
            },
            Block::Policy(i) => return policy_attr(&mut self.cfg.policies[*i], t),
            Block::TunnelIpsec(i) => {
                let tg = &mut self.tunnels[*i];
                match t {
                    ["pre-shared-key", k @ ..] | ["ikev1", "pre-shared-key", k @ ..] => {
                        tg.ikev1 = secret(k).map(|s| (s, n))
                    }
                    ["ikev2", "remote-authentication", "pre-shared-key", k @ ..] => {
                        tg.remote = secret(k).map(|s| (s, n))
                    }
                    ["ikev2", "local-authentication", "pre-shared-key", k @ ..] => {
                        tg.local = secret(k).map(|s| (s, n))
                    }
                    _ => return false,
                }
            }
            Block::TunnelGeneral(i) => {
                let tg = &mut self.tunnels[*i];
                match t {
                    // ` address-pool [(inside)] POOL [POOL2 …]`
                    ["address-pool", rest @ ..] => {
                        tg.pool = rest.iter().copied().find(|p| !p.starts_with('('));
                    }
                    ["default-group-policy", gp, ..] => tg.policy = Some(gp),
                    _ => return false,
                }
            }
            Block::GroupPolicy(i) => {
                let gp = &mut self.group_policies[*i];
                match t {
                    ["split-tunnel-policy", policy, ..] => gp.split_policy = Some(policy),
                    ["split-tunnel-network-list", "value", acl, ..] => gp.split_list = Some(acl),
                    ["split-tunnel-network-list", "none"] => gp.split_list = None,
                    ["address-pools", "value", pool, ..] => gp.pool = Some(pool),
                    ["address-pools", "none"] => gp.pool = None,
                    ["vpn-tunnel-protocol", ..] => {}
                    _ => return false,
                }
            }
            Block::Object(name) => {
                let name = *name;
                match t {
                    ["nat", rest @ ..] => return self.object_nat(n, name, rest),
                    ["description", ..] | ["fqdn", ..] => {}
                    _ => {
                        let Some(nets) = object_nets(t) else {
                            return false;
                        };
                        self.objects.entry(name).or_default().extend(nets);
                    }
                }
            }
            Block::Group(name) => {
                let member = match t {
                    ["network-object", "host", a, ..] => match net(a, 32) {
                        Some(net) => Member::Net(net),
                        None => return false,
                    },
                    ["network-object", "object", o, ..] => Member::Object(o),
                    ["network-object", a, m, ..] => match addr_mask(a, m) {
                        Some(net) => Member::Net(net),
                        None => return false,
                    },
                    ["group-object", g, ..] => Member::Group(g),
                    ["description", ..] => return true,
                    _ => return false,
                };
                self.groups.entry(name).or_default().push(member);
            }
        }
        true
    }

    /// The PIX interface of that nameif, made if new.
    fn pix_interface(&mut self, n: u64, name: &str) -> usize {
        match self.cfg.interfaces.iter().position(|i| i.name == name) {
            Some(i) => i,
            None => {
                self.cfg.interfaces.push(Interface {
                    name: name.to_string(),
                    line: n,
                    ..Interface::default()
                });
                self.cfg.interfaces.len() - 1
            }
        }
    }

    fn policy(&mut self, n: u64, priority: &str, rest: &[&str]) -> bool {
        let Ok(priority) = priority.parse::<u32>() else {
            return false;
        };
        let i = match self.policy_at.get(&priority) {
            Some(&i) => i,
            None => {
                self.cfg.policies.push(Policy {
                    priority,
                    encryption: if self.pix { "des" } else { "3des" }.to_string(),
                    hash: "sha".to_string(),
                    authentication: "rsa-sig".to_string(),
                    group: if self.pix { 1 } else { 2 },
                    lifetime: 86400,
                    line: n,
                });
                self.policy_at.insert(priority, self.cfg.policies.len() - 1);
                self.cfg.policies.len() - 1
            }
        };
        self.block = Block::Policy(i);
        // PIX and ASA 7 write each attribute on its own top-level line.
        rest.is_empty() || policy_attr(&mut self.cfg.policies[i], rest)
    }

    fn transform_set(&mut self, n: u64, name: &'a str, rest: &[&str]) -> bool {
        let transforms = transforms(rest);
        if transforms.is_empty() {
            // `crypto ipsec transform-set TS mode transport`
            return rest.first() == Some(&"mode");
        }
        match self.transform_at.get(name) {
            Some(&i) => self.cfg.transform_sets[i].transforms = transforms,
            None => {
                self.cfg.transform_sets.push(TransformSet {
                    name: name.to_string(),
                    transforms,
                    line: n,
                });
                self.transform_at
                    .insert(name, self.cfg.transform_sets.len() - 1);
            }
        }
        true
    }

    /// `crypto map MAP SEQ …` / `crypto dynamic-map DYN SEQ …`.
    fn map_entry(&mut self, n: u64, dynamic: bool, map: &'a str, seq: &str, rest: &[&str]) -> bool {
        let Ok(seq) = seq.parse::<u32>() else {
            return false;
        };
        let i = match self.entry_at.get(&(dynamic, map, seq)) {
            Some(&i) => i,
            None => {
                self.cfg.entries.push(MapEntry {
                    map: map.to_string(),
                    seq,
                    dynamic,
                    line: n,
                    ..MapEntry::default()
                });
                self.entry_at
                    .insert((dynamic, map, seq), self.cfg.entries.len() - 1);
                self.cfg.entries.len() - 1
            }
        };
        let pix = self.pix;
        let e = &mut self.cfg.entries[i];
        match rest {
            ["ipsec-isakmp", "dynamic", _, ..] => e.dynamic = true,
            ["match", "address", acl, ..] => e.acl = Some(((*acl).to_string(), n)),
            ["set", "peer", peers @ ..] => {
                e.peers = peers.iter().filter_map(|p| p.parse().ok()).collect();
                e.peer_line = n;
            }
            ["set", "transform-set", sets @ ..] | ["set", "ikev1", "transform-set", sets @ ..] => {
                e.transform_sets = sets.iter().map(|s| (*s).to_string()).collect();
                e.transform_line = n;
            }
            ["set", "pfs"] => {
                e.pfs = Some(if pix { "group1" } else { "group2" }.to_string());
                e.pfs_line = n;
            }
            ["set", "pfs", group, ..] => {
                e.pfs = Some(group.to_ascii_lowercase());
                e.pfs_line = n;
            }
            _ => {}
        }
        true
    }

    fn pool(&mut self, n: u64, name: &str, range: &str) -> bool {
        let (first, last) = range.split_once('-').unwrap_or((range, range));
        let (Ok(first), Ok(last)) = (first.parse::<Ipv4Addr>(), last.parse::<Ipv4Addr>()) else {
            return false;
        };
        let nets = range_nets(first, last);
        if nets.is_empty() {
            return false;
        }
        self.cfg.pools.insert(name.to_string(), (nets, n));
        true
    }

    /// `nat …` at top level: PIX / ASA 8.2 `nat (IF) ID …`, or ASA 8.3+ twice NAT.
    fn nat(&mut self, n: u64, t: &[&'a str]) -> bool {
        if let [ifc, id, rest @ ..] = t {
            if ifc.starts_with('(') && !ifc.contains(',') {
                if id.parse::<u32>().is_err() {
                    return false;
                }
                let interface = ifc.trim_matches(['(', ')']);
                let zero = *id == "0";
                let nat = match rest {
                    ["access-list", acl, ..] if zero => Nat {
                        exemption: Some(Exemption::NatZero {
                            interface: interface.to_string(),
                            acl: (*acl).to_string(),
                        }),
                        translates: Vec::new(),
                        line: n,
                    },
                    // Policy NAT: what it translates depends on the destination too.
                    ["access-list", ..] => Nat {
                        exemption: None,
                        translates: Vec::new(),
                        line: n,
                    },
                    [addr, mask, ..] => {
                        let Some(net) = addr_mask(addr, mask) else {
                            return false;
                        };
                        if zero {
                            // Identity NAT: the addresses are not translated, whatever the
                            // destination.
                            Nat {
                                exemption: Some(Exemption::Identity {
                                    source: vec![net],
                                    destination: vec![Ipv4Net::default()],
                                }),
                                translates: Vec::new(),
                                line: n,
                            }
                        } else {
                            Nat {
                                exemption: None,
                                translates: vec![net],
                                line: n,
                            }
                        }
                    }
                    _ => return false,
                };
                self.nats.push(PendingNat::Ready(nat));
                return true;
            }
        }
        if t.contains(&"inactive") {
            return true;
        }
        let Some(s) = t.iter().position(|x| *x == "source") else {
            return false;
        };
        let [kind @ ("static" | "dynamic"), real, mapped, ..] = t[s + 1..] else {
            return false;
        };
        let destination =
            t.iter()
                .position(|x| *x == "destination")
                .and_then(|d| match t[d + 1..] {
                    ["static", mapped, real, ..] => Some((mapped, real)),
                    _ => None,
                });
        self.nats.push(PendingNat::Twice {
            line: n,
            fixed: kind == "static",
            real,
            mapped,
            destination,
        });
        true
    }

    /// ` nat (in,out) static|dynamic MAPPED …` under `object network OBJECT`.
    fn object_nat(&mut self, n: u64, object: &'a str, t: &[&'a str]) -> bool {
        if t.contains(&"inactive") {
            return true;
        }
        let Some(k) = t.iter().position(|x| *x == "static" || *x == "dynamic") else {
            return false;
        };
        self.nats.push(PendingNat::Object {
            line: n,
            object,
            fixed: t[k] == "static",
            mapped: t.get(k + 1).copied(),
        });
        true
    }

    fn vpngroup(&mut self, n: u64, name: &'a str, rest: &[&str]) {
        let i = match self.vpngroup_at.get(name) {
            Some(&i) => i,
            None => {
                self.cfg.remote_access.push(RemoteAccess {
                    group: name.to_string(),
                    split_acl: None,
                    pool: None,
                    line: n,
                });
                self.vpngroup_at
                    .insert(name, self.cfg.remote_access.len() - 1);
                self.cfg.remote_access.len() - 1
            }
        };
        let ra = &mut self.cfg.remote_access[i];
        match rest {
            ["address-pool", pool, ..] => ra.pool = Some((*pool).to_string()),
            ["split-tunnel", acl, ..] => ra.split_acl = Some((*acl).to_string()),
            _ => {}
        }
    }

    fn tunnel_group(&mut self, n: u64, name: &'a str, rest: &[&'a str]) {
        let i = match self.tunnel_at.get(name) {
            Some(&i) => i,
            None => {
                self.tunnels.push(TunnelGroup {
                    name,
                    line: n,
                    kind: None,
                    ikev1: None,
                    remote: None,
                    local: None,
                    pool: None,
                    policy: None,
                });
                self.tunnel_at.insert(name, self.tunnels.len() - 1);
                self.tunnels.len() - 1
            }
        };
        match rest {
            ["type", kind, ..] => self.tunnels[i].kind = Some(kind),
            ["ipsec-attributes", ..] => self.block = Block::TunnelIpsec(i),
            ["general-attributes", ..] => self.block = Block::TunnelGeneral(i),
            _ => {}
        }
    }

    fn group_policy(&mut self, n: u64, name: &'a str) -> usize {
        match self.group_policy_at.get(name) {
            Some(&i) => i,
            None => {
                self.group_policies.push(GroupPolicy {
                    name,
                    line: n,
                    split_policy: None,
                    split_list: None,
                    pool: None,
                });
                self.group_policy_at
                    .insert(name, self.group_policies.len() - 1);
                self.group_policies.len() - 1
            }
        }
    }

    /// Everything that needed the whole config.
    fn finish(mut self) -> Config {
        self.close();
        let Reader {
            mut cfg,
            pix_shutdown,
            bindings,
            aces,
            objects,
            groups,
            services,
            nats,
            tunnels,
            group_policies,
            group_policy_at,
            ..
        } = self;

        for i in &mut cfg.interfaces {
            if let Some(&down) = i.hardware.as_deref().and_then(|h| pix_shutdown.get(h)) {
                i.shutdown |= down;
            }
        }
        for (map, iface, line) in bindings {
            let applied = Some((map.to_string(), line));
            match cfg
                .interfaces
                .iter_mut()
                .find(|i| i.name == iface || i.hardware.as_deref() == Some(iface))
            {
                Some(i) => i.crypto_map = applied,
                // A partial paste (`show run crypto`): the interface is known by name only.
                None => cfg.interfaces.push(Interface {
                    name: iface.to_string(),
                    line,
                    crypto_map: applied,
                    ..Interface::default()
                }),
            }
        }

        let mut names = Names {
            objects: &objects,
            groups: &groups,
            services: &services,
            resolved: HashMap::new(),
        };
        let mut toks = Vec::new();
        for (line, text) in aces {
            words(text, &mut toks);
            if let ["access-list", name, rest @ ..] = toks.as_slice() {
                if let Some(ace) = names.ace(rest, line, &cfg.interfaces) {
                    if let Some(acl) = cfg.acls.get_mut(*name) {
                        acl.push(ace);
                    }
                }
            }
        }

        for pending in nats {
            let nat = match pending {
                PendingNat::Ready(nat) => Some(nat),
                PendingNat::Twice {
                    line,
                    fixed,
                    real,
                    mapped,
                    destination,
                } => names.twice_nat(line, fixed, real, mapped, destination),
                PendingNat::Object {
                    line,
                    object,
                    fixed,
                    mapped,
                } => names.object_nat(line, object, fixed, mapped),
            };
            cfg.nat.extend(nat);
        }

        remote_access(&mut cfg, &tunnels, &group_policies, &group_policy_at);

        for tg in tunnels {
            let Some((secret, line)) = tg.ikev1.or(tg.remote).or(tg.local) else {
                continue;
            };
            let peer = if tg.name == DEFAULT_L2L_GROUP {
                Some(Ipv4Net::default())
            } else {
                tg.name.parse::<Ipv4Addr>().ok().map(Ipv4Net::from)
            };
            cfg.keys.push(Key { peer, secret, line });
        }
        cfg.keys.sort_by_key(|k| k.line);
        cfg.remote_access.sort_by_key(|r| r.line);
        cfg
    }
}

/// ASA `group-policy` (and the tunnel-groups that use them) as [`RemoteAccess`].
fn remote_access(
    cfg: &mut Config,
    tunnels: &[TunnelGroup],
    group_policies: &[GroupPolicy],
    group_policy_at: &HashMap<&str, usize>,
) {
    // How each group-policy is used: by remote-access groups, by LAN-to-LAN groups.
    let mut used: HashMap<&str, (bool, bool)> = HashMap::new();
    for tg in tunnels {
        let u = used.entry(tg.group_policy()).or_default();
        if tg.remote_access() {
            u.0 = true;
        } else {
            u.1 = true;
        }
    }
    for gp in group_policies {
        let (ra, l2l) = used.get(gp.name).copied().unwrap_or_default();
        if l2l && !ra {
            continue;
        }
        let pool = gp.pool.or_else(|| {
            tunnels
                .iter()
                .filter(|t| t.remote_access() && t.group_policy() == gp.name)
                .find_map(|t| t.pool)
        });
        let split_acl = match gp.split_policy {
            Some("tunnelspecified" | "excludespecified") => gp.split_list.map(str::to_string),
            _ => None,
        };
        cfg.remote_access.push(RemoteAccess {
            group: gp.name.to_string(),
            split_acl,
            pool: pool.map(str::to_string),
            line: gp.line,
        });
    }
    // Remote-access groups whose group-policy is not in the text.
    for tg in tunnels {
        if tg.remote_access() && !group_policy_at.contains_key(tg.group_policy()) {
            cfg.remote_access.push(RemoteAccess {
                group: tg.name.to_string(),
                split_acl: None,
                pool: tg.pool.map(str::to_string),
                line: tg.line,
            });
        }
    }
}

/// Objects and object groups by name, groups resolved on demand (and once).
struct Names<'a, 'r> {
    objects: &'r HashMap<&'a str, Vec<Ipv4Net>>,
    groups: &'r HashMap<&'a str, Vec<Member<'a>>>,
    services: &'r HashSet<&'a str>,
    resolved: HashMap<&'a str, Vec<Ipv4Net>>,
}

impl<'a> Names<'a, '_> {
    /// The networks of an object group, nested groups included.
    fn group(&mut self, name: &'a str) -> Vec<Ipv4Net> {
        self.resolve(name, 0);
        self.resolved.get(name).cloned().unwrap_or_default()
    }

    fn resolve(&mut self, name: &'a str, depth: usize) {
        if self.resolved.contains_key(name) || depth > MAX_NESTING {
            return;
        }
        let Some(members) = self.groups.get(name) else {
            return;
        };
        // In progress: a group that contains itself adds nothing more.
        self.resolved.insert(name, Vec::new());
        let mut nets = Vec::new();
        for m in members {
            match m {
                Member::Net(n) => nets.push(*n),
                Member::Object(o) => nets.extend(self.objects.get(o).into_iter().flatten()),
                Member::Group(g) => {
                    self.resolve(g, depth + 1);
                    nets.extend(self.resolved.get(g).into_iter().flatten());
                }
            }
        }
        nets.sort();
        nets.dedup();
        self.resolved.insert(name, nets);
    }

    /// The networks of a name in NAT: `any`, an object, or an object group.
    fn named(&mut self, name: &'a str) -> Vec<Ipv4Net> {
        if matches!(name, "any" | "any4") {
            return vec![Ipv4Net::default()];
        }
        match self.objects.get(name) {
            Some(nets) => nets.clone(),
            None => self.group(name),
        }
    }

    /// Whether a mapped name (or address) is the real one.
    fn same(&mut self, real: &'a str, mapped: &'a str) -> bool {
        if real == mapped {
            return true;
        }
        let mut a = self.named(real);
        let mut b = match mapped.parse::<Ipv4Addr>() {
            Ok(addr) => vec![Ipv4Net::from(addr)],
            Err(_) => self.named(mapped),
        };
        a.sort();
        b.sort();
        !a.is_empty() && a == b
    }

    fn twice_nat(
        &mut self,
        line: u64,
        fixed: bool,
        real: &'a str,
        mapped: &'a str,
        destination: Option<(&'a str, &'a str)>,
    ) -> Option<Nat> {
        let source = self.named(real);
        if !fixed || !self.same(real, mapped) {
            return Some(Nat {
                exemption: None,
                translates: source,
                line,
            });
        }
        let destination = match destination {
            None => vec![Ipv4Net::default()],
            Some((d_mapped, d_real)) if self.same(d_real, d_mapped) => self.named(d_real),
            // The source is kept, the destination translated: no exemption, no translation
            // of the local side.
            Some(_) => return None,
        };
        Some(Nat {
            exemption: Some(Exemption::Identity {
                source,
                destination,
            }),
            translates: Vec::new(),
            line,
        })
    }

    fn object_nat(
        &mut self,
        line: u64,
        object: &'a str,
        fixed: bool,
        mapped: Option<&'a str>,
    ) -> Option<Nat> {
        let nets = self.objects.get(object).cloned().unwrap_or_default();
        let identity = fixed && mapped.is_some_and(|m| self.same(object, m));
        Some(if identity {
            Nat {
                exemption: Some(Exemption::Identity {
                    source: nets,
                    destination: vec![Ipv4Net::default()],
                }),
                translates: Vec::new(),
                line,
            }
        } else {
            Nat {
                exemption: None,
                translates: nets,
                line,
            }
        })
    }

    /// An `access-list NAME …` entry (the tokens after the name); `None` for remarks,
    /// inactive entries, IPv6 and what cannot be read.
    fn ace(&mut self, t: &[&'a str], line: u64, interfaces: &[Interface]) -> Option<Ace> {
        let mut t = t;
        if let ["line", _, rest @ ..] = t {
            t = rest;
        }
        // ASA `extended` / `standard`; PIX 6 lists have no kind.
        let standard = t.first() == Some(&"standard");
        if let ["standard" | "extended", rest @ ..] = t {
            t = rest;
        }
        let permit = match t.first().copied()? {
            "permit" => true,
            "deny" => false,
            _ => return None,
        };
        let t = &t[1..];
        let mut i = 0;
        let protocol = if standard {
            "ip".to_string()
        } else {
            match t {
                [kind @ ("object-group" | "object"), name, ..] => {
                    i = 2;
                    format!("{kind} {name}")
                }
                [p, ..] => {
                    i = 1;
                    p.to_ascii_lowercase()
                }
                [] => return None,
            }
        };
        let source = self.addr(t, &mut i, interfaces)?;
        let destination = if standard {
            Addr {
                nets: vec![Ipv4Net::default()],
                text: "any".to_string(),
            }
        } else {
            self.skip_ports(t, &mut i);
            self.addr(t, &mut i, interfaces)?
        };
        if t.get(i..).is_some_and(|rest| rest.contains(&"inactive")) {
            return None;
        }
        Some(Ace {
            permit,
            protocol,
            source,
            destination,
            line,
        })
    }

    /// An address selector at `t[*i]`, moving `i` past it.
    fn addr(&mut self, t: &[&'a str], i: &mut usize, interfaces: &[Interface]) -> Option<Addr> {
        let first = *t.get(*i)?;
        let arg = t.get(*i + 1).copied();
        let (nets, used) = match first {
            "any" | "any4" => (vec![Ipv4Net::default()], 1),
            "host" => (vec![net(arg?, 32)?], 2),
            "object" => (self.objects.get(arg?).cloned().unwrap_or_default(), 2),
            "object-group" => (self.group(arg?), 2),
            "interface" => {
                let name = arg?;
                let nets = interfaces
                    .iter()
                    .find(|f| f.name == name)
                    .and_then(|f| f.address)
                    .map(|a| Ipv4Net::from(a.addr()));
                (nets.into_iter().collect(), 2)
            }
            addr => (vec![addr_mask(addr, arg?)?], 2),
        };
        let text = t[*i..*i + used].join(" ");
        *i += used;
        Some(Addr { nets, text })
    }

    /// Source port operators between the source and the destination.
    fn skip_ports(&self, t: &[&str], i: &mut usize) {
        match t.get(*i).copied() {
            Some("eq" | "lt" | "gt" | "neq") => *i += 2,
            Some("range") => *i += 3,
            Some("object-group") => {
                if let Some(name) = t.get(*i + 1) {
                    // A service group, or (not defined here) one followed by an address.
                    let service = self.services.contains(name)
                        || (!self.groups.contains_key(name)
                            && t.get(*i + 2).is_some_and(|n| starts_addr(n)));
                    if service {
                        *i += 2;
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether an access-list token begins an address selector.
fn starts_addr(tok: &str) -> bool {
    matches!(
        tok,
        "any" | "any4" | "host" | "object" | "object-group" | "interface"
    ) || tok.parse::<Ipv4Addr>().is_ok()
}

/// An ISAKMP policy attribute (` hash md5`, `… encryption aes-256`); whether understood.
fn policy_attr(p: &mut Policy, t: &[&str]) -> bool {
    match t {
        ["authentication", a, ..] => p.authentication = a.to_ascii_lowercase(),
        ["encryption", e, rest @ ..] => {
            let e = e.to_ascii_lowercase();
            p.encryption = match (e.as_str(), rest.first().copied()) {
                ("aes", Some("192" | "256")) => format!("aes-{}", rest[0]),
                _ => e,
            };
        }
        ["hash", h, ..] => p.hash = h.to_ascii_lowercase(),
        ["group", g, ..] => match g.parse() {
            Ok(g) => p.group = g,
            Err(_) => return false,
        },
        ["lifetime", rest @ ..] => match rest.iter().find_map(|s| s.parse().ok()) {
            Some(l) => p.lifetime = l,
            None => return false,
        },
        _ => return false,
    }
    true
}

/// The transforms of a transform-set line, lowercased, `esp-aes 256` joined.
fn transforms(t: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tok in t {
        let tok = tok.to_ascii_lowercase();
        if tok == "mode" {
            break;
        }
        if tok.bytes().all(|b| b.is_ascii_digit()) {
            if let Some(last) = out.last_mut() {
                if tok != "128" {
                    last.push('-');
                    last.push_str(&tok);
                }
                continue;
            }
        }
        out.push(tok);
    }
    out
}

/// A key as written after `pre-shared-key` / `isakmp key`: masked (`*****`) or encrypted
/// (`8 …`, `0 …`) keys are hidden.
fn secret(t: &[&str]) -> Option<Secret> {
    Some(match t {
        [] => return None,
        [k, ..] if k.bytes().all(|b| b == b'*') => Secret::Hidden,
        ["0" | "8", _, ..] => Secret::Hidden,
        [k, ..] => Secret::Clear((*k).to_string()),
    })
}

/// An `object network` sub-line: ` host A`, ` subnet A M`, ` range A B`.
fn object_nets(t: &[&str]) -> Option<Vec<Ipv4Net>> {
    match t {
        ["host", a, ..] => Some(vec![net(a, 32)?]),
        ["subnet", a, m, ..] => Some(vec![addr_mask(a, m)?]),
        ["range", a, b, ..] => {
            let nets = range_nets(a.parse().ok()?, b.parse().ok()?);
            (!nets.is_empty()).then_some(nets)
        }
        _ => None,
    }
}

/// An address, PIX's `0` for `0.0.0.0` included.
fn addr_tok(s: &str) -> Option<Ipv4Addr> {
    if s == "0" {
        Some(Ipv4Addr::UNSPECIFIED)
    } else {
        s.parse().ok()
    }
}

/// A netmask as a prefix length, PIX's `0` for `0.0.0.0` included.
fn mask_tok(s: &str) -> Option<u8> {
    if s == "0" {
        Some(0)
    } else {
        mask_len(s)
    }
}

/// `A M` as the network it names.
fn addr_mask(addr: &str, mask: &str) -> Option<Ipv4Net> {
    net(if addr == "0" { "0.0.0.0" } else { addr }, mask_tok(mask)?)
}

/// An interface address `A M`: the address with the prefix of its network.
fn host_net(addr: &str, mask: &str) -> Option<Ipv4Net> {
    Ipv4Net::new(addr.parse().ok()?, mask_len(mask)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Ipv4Net {
        s.parse().unwrap()
    }

    fn a(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    /// The 1-based line of the first line of `text` that starts with `start`.
    fn line_of(text: &str, start: &str) -> u64 {
        text.lines().position(|l| l.starts_with(start)).unwrap() as u64 + 1
    }

    const PIX63: &str = "\
PIX Version 6.3(5)
interface ethernet0 auto
interface ethernet1 100full
interface ethernet2 auto shutdown
nameif ethernet0 outside security0
nameif ethernet1 inside security100
nameif ethernet2 dmz security50
enable password 2KFQnbNIdI.2KYOU encrypted
hostname pixfw
domain-name example.net
fixup protocol ftp 21
names
object-group network BRANCH-NETS
  network-object 10.2.2.0 255.255.255.0
  network-object host 10.2.3.7
access-list 101 permit ip 10.1.1.0 255.255.255.0 object-group BRANCH-NETS
access-list NONAT permit ip 10.1.1.0 255.255.255.0 10.2.2.0 255.255.255.0
access-list outside_in permit tcp any host 192.0.2.10 eq www
access-list outside_in permit icmp any any echo-reply
mtu outside 1500
ip address outside 192.0.2.1 255.255.255.0
ip address inside 10.1.1.1 255.255.255.0
ip address dmz 172.16.1.1 255.255.255.0
global (outside) 1 interface
nat (inside) 0 access-list NONAT
nat (inside) 1 0.0.0.0 0.0.0.0 0 0
static (inside,outside) 192.0.2.10 10.1.1.10 netmask 255.255.255.255 0 0
access-group outside_in in interface outside
conduit permit tcp host 192.0.2.11 eq smtp any
conduit permit icmp any any
route outside 0.0.0.0 0.0.0.0 192.0.2.254 1
route inside 10.9.0.0 255.255.0.0 10.1.1.254 1
sysopt connection permit-ipsec
crypto ipsec transform-set TS esp-3des esp-sha-hmac
crypto map VPN 10 ipsec-isakmp
crypto map VPN 10 match address 101
crypto map VPN 10 set peer 198.51.100.2
crypto map VPN 10 set transform-set TS
crypto map VPN 10 set pfs
crypto map VPN interface outside
isakmp enable outside
isakmp key s3cr3tPIX address 198.51.100.2 netmask 255.255.255.255 no-xauth no-config-mode
isakmp identity address
isakmp policy 10 authentication pre-share
isakmp policy 10 encryption 3des
isakmp policy 10 hash md5
isakmp policy 10 group 2
isakmp policy 10 lifetime 86400
isakmp policy 20 authentication pre-share
: end
";

    #[test]
    fn pix63_lan_to_lan() {
        let c = read(PIX63, Family::Pix);
        assert_eq!(c.family, Family::Pix);
        assert_eq!(c.hostname.as_deref(), Some("pixfw"));

        assert_eq!(c.interfaces.len(), 3);
        let out = c.interface("outside").unwrap();
        assert_eq!(out.hardware.as_deref(), Some("ethernet0"));
        assert_eq!(out.address, Some(n("192.0.2.1/24")));
        assert_eq!(out.line, line_of(PIX63, "nameif ethernet0"));
        assert!(!out.shutdown);
        assert!(c.interface("dmz").unwrap().shutdown);
        assert_eq!(c.interface("ethernet1").unwrap().name, "inside");
        assert_eq!(
            out.crypto_map,
            Some((
                "VPN".to_string(),
                line_of(PIX63, "crypto map VPN interface")
            ))
        );

        assert_eq!(c.policies.len(), 2);
        let p = &c.policies[0];
        assert_eq!(
            (p.priority, p.encryption.as_str(), p.hash.as_str()),
            (10, "3des", "md5")
        );
        assert_eq!(
            (p.authentication.as_str(), p.group, p.lifetime),
            ("pre-share", 2, 86400)
        );
        assert_eq!(p.line, line_of(PIX63, "isakmp policy 10"));
        // PIX defaults for what policy 20 does not say.
        let p = &c.policies[1];
        assert_eq!(
            (p.encryption.as_str(), p.hash.as_str(), p.group),
            ("des", "sha", 1)
        );

        assert_eq!(c.keys.len(), 1);
        assert_eq!(c.keys[0].peer, Some(n("198.51.100.2/32")));
        assert_eq!(c.keys[0].secret, Secret::Clear("s3cr3tPIX".into()));

        assert_eq!(c.transform_sets[0].transforms, ["esp-3des", "esp-sha-hmac"]);
        assert_eq!(c.entries.len(), 1);
        let e = &c.entries[0];
        assert_eq!((e.map.as_str(), e.seq, e.dynamic), ("VPN", 10, false));
        assert_eq!(e.line, line_of(PIX63, "crypto map VPN 10 ipsec-isakmp"));
        assert_eq!(
            e.acl,
            Some(("101".into(), line_of(PIX63, "crypto map VPN 10 match")))
        );
        assert_eq!(e.peers, [a("198.51.100.2")]);
        assert_eq!(e.peer_line, line_of(PIX63, "crypto map VPN 10 set peer"));
        assert_eq!(e.transform_sets, ["TS"]);
        assert_eq!(e.pfs.as_deref(), Some("group1"));

        let acl = &c.acls["101"];
        assert_eq!(acl.len(), 1);
        assert_eq!(acl[0].source.nets, [n("10.1.1.0/24")]);
        assert_eq!(acl[0].source.text, "10.1.1.0 255.255.255.0");
        assert_eq!(
            acl[0].destination.nets,
            [n("10.2.2.0/24"), n("10.2.3.7/32")]
        );
        assert_eq!(acl[0].destination.text, "object-group BRANCH-NETS");
        assert_eq!(c.acls["outside_in"].len(), 2);
        assert_eq!(
            c.acls["outside_in"][0].destination.nets,
            [n("192.0.2.10/32")]
        );
        assert_eq!(c.acls["outside_in"][1].protocol, "icmp");

        assert_eq!(c.nat.len(), 2);
        assert_eq!(
            c.nat[0].exemption,
            Some(Exemption::NatZero {
                interface: "inside".into(),
                acl: "NONAT".into()
            })
        );
        assert_eq!(c.nat[1].exemption, None);
        assert_eq!(c.nat[1].translates, [n("0.0.0.0/0")]);

        assert_eq!(c.sysopt, Some((true, line_of(PIX63, "sysopt"))));
        assert_eq!(
            c.access_groups,
            [
                (
                    "outside_in".into(),
                    "outside".into(),
                    line_of(PIX63, "access-group")
                ),
                (
                    "conduit".into(),
                    "outside".into(),
                    line_of(PIX63, "conduit permit tcp")
                ),
            ]
        );
        assert_eq!(c.routes.len(), 2);
        assert_eq!(c.routes[0].net, n("0.0.0.0/0"));
        assert_eq!(c.routes[0].gateway, Some(a("192.0.2.254")));
        assert_eq!(c.routes[0].interface.as_deref(), Some("outside"));
        assert_eq!(c.egress(a("198.51.100.2")).unwrap().name, "outside");
        assert_eq!(c.egress(a("10.9.1.1")).unwrap().name, "inside");
        assert!(!c.dynamic_routing);
        assert!(c.recognised >= 45, "recognised {}", c.recognised);
    }

    const ASA82: &str = "\
: Saved
:
ASA Version 8.2(5)
!
hostname asa82
names
!
interface Ethernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.1 255.255.255.0 standby 203.0.113.2
!
interface Ethernet0/1
 nameif inside
 security-level 100
 ip address 10.10.0.1 255.255.0.0
!
interface Ethernet0/2
 shutdown
 no nameif
 no security-level
 no ip address
!
interface Management0/0
 shutdown
 nameif management
 security-level 100
 ip address 192.168.1.1 255.255.255.0
 management-only
!
access-list CRYPTO extended permit ip 10.10.0.0 255.255.0.0 10.20.0.0 255.255.0.0
access-list NONAT extended permit ip 10.10.0.0 255.255.0.0 10.20.0.0 255.255.0.0
access-list NONAT extended permit ip 10.10.0.0 255.255.0.0 host 10.30.0.5 inactive
access-list NONAT remark VPN to branch
global (outside) 1 interface
nat (inside) 0 access-list NONAT
nat (inside) 1 10.10.0.0 255.255.0.0
route outside 0.0.0.0 0.0.0.0 203.0.113.254 1
crypto ipsec transform-set ESP-AES256-SHA esp-aes-256 esp-sha-hmac
crypto map OUTSIDE_MAP 20 match address CRYPTO
crypto map OUTSIDE_MAP 20 set pfs group5
crypto map OUTSIDE_MAP 20 set peer 198.51.100.7 198.51.100.8
crypto map OUTSIDE_MAP 20 set transform-set ESP-AES256-SHA
crypto map OUTSIDE_MAP 20 set security-association lifetime seconds 28800
crypto map OUTSIDE_MAP interface outside
crypto isakmp enable outside
crypto isakmp policy 10
 authentication pre-share
 encryption aes-256
 hash sha
 group 5
 lifetime 28800
crypto isakmp policy 65535
 authentication pre-share
 encryption 3des
 hash sha
 group 2
 lifetime 86400
tunnel-group 198.51.100.7 type ipsec-l2l
tunnel-group 198.51.100.7 ipsec-attributes
 pre-shared-key Ex4mpleKey82
!
";

    #[test]
    fn asa82_lan_to_lan_with_nat_zero() {
        let c = read(ASA82, Family::Asa);
        assert_eq!(c.family, Family::Asa);
        assert_eq!(c.hostname.as_deref(), Some("asa82"));
        // Ethernet0/2 has no nameif.
        let names: Vec<&str> = c.interfaces.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["outside", "inside", "management"]);
        let out = c.interface("outside").unwrap();
        assert_eq!(out.hardware.as_deref(), Some("Ethernet0/0"));
        assert_eq!(out.address, Some(n("203.0.113.1/24")));
        assert_eq!(out.line, line_of(ASA82, "interface Ethernet0/0"));
        assert!(c.interface("management").unwrap().shutdown);
        assert_eq!(c.map_interface("OUTSIDE_MAP").unwrap().name, "outside");

        assert_eq!(c.policies.len(), 2);
        assert_eq!(c.policies[0].encryption, "aes-256");
        assert_eq!((c.policies[0].group, c.policies[0].lifetime), (5, 28800));
        assert_eq!(
            c.policies[0].line,
            line_of(ASA82, "crypto isakmp policy 10")
        );

        let e = &c.entries[0];
        assert_eq!((e.map.as_str(), e.seq), ("OUTSIDE_MAP", 20));
        assert_eq!(e.line, line_of(ASA82, "crypto map OUTSIDE_MAP 20 match"));
        assert_eq!(e.peers, [a("198.51.100.7"), a("198.51.100.8")]);
        assert_eq!(e.pfs.as_deref(), Some("group5"));
        assert_eq!(
            e.pfs_line,
            line_of(ASA82, "crypto map OUTSIDE_MAP 20 set pfs")
        );
        assert_eq!(e.transform_sets, ["ESP-AES256-SHA"]);
        assert_eq!(
            c.transform_sets[0].transforms,
            ["esp-aes-256", "esp-sha-hmac"]
        );

        // The inactive entry and the remark are not entries.
        assert_eq!(c.acls["NONAT"].len(), 1);
        assert_eq!(c.acls["CRYPTO"][0].destination.nets, [n("10.20.0.0/16")]);
        assert_eq!(
            c.nat[0].exemption,
            Some(Exemption::NatZero {
                interface: "inside".into(),
                acl: "NONAT".into()
            })
        );
        assert_eq!(c.nat[0].line, line_of(ASA82, "nat (inside) 0"));
        assert_eq!(c.nat[1].translates, [n("10.10.0.0/16")]);

        assert_eq!(c.keys.len(), 1);
        assert_eq!(c.keys[0].peer, Some(n("198.51.100.7/32")));
        assert_eq!(c.keys[0].secret, Secret::Clear("Ex4mpleKey82".into()));
        assert_eq!(c.keys[0].line, line_of(ASA82, " pre-shared-key"));
        // Not printed: ASA 7+ permits VPN traffic by default.
        assert_eq!(c.sysopt, None);
        assert!(c.remote_access.is_empty());
    }

    const ASA9: &str = "\
: Saved
ASA Version 9.8(4)
hostname asa9
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 192.0.2.10 255.255.255.240
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 10.1.0.1 255.255.255.0
object network LAN-A
 subnet 10.1.0.0 255.255.255.0
object network HOST-SRV
 host 10.1.0.20
object network REMOTE-B
 subnet 10.2.0.0 255.255.255.0
object network REMOTE-RANGE
 range 10.3.0.0 10.3.1.255
object network SRV-PUBLIC
 host 192.0.2.12
object-group network REMOTE-ALL
 description every branch
 network-object object REMOTE-B
 network-object object REMOTE-RANGE
 network-object host 10.4.0.9
 network-object 10.5.0.0 255.255.0.0
 group-object LATER
object-group service WEB tcp
 port-object eq www
access-list VPN-B extended permit ip object LAN-A object-group REMOTE-ALL
access-list OUT-IN extended permit tcp object-group REMOTE-ALL object-group WEB object HOST-SRV eq https
access-list OUT-IN extended permit ip any6 any6
access-list OUT-IN extended deny ip any4 any4 log
object-group network LATER
 network-object 10.6.0.0 255.255.255.0
nat (inside,outside) source static LAN-A LAN-A destination static REMOTE-ALL REMOTE-ALL no-proxy-arp route-lookup
nat (inside,outside) source static HOST-SRV HOST-SRV destination static REMOTE-B REMOTE-B inactive
object network HOST-SRV
 nat (inside,outside) static SRV-PUBLIC
object network LAN-A
 nat (inside,outside) dynamic interface
nat (inside,outside) after-auto source dynamic any interface
access-group OUT-IN in interface outside
route outside 0.0.0.0 0.0.0.0 192.0.2.1 1
crypto ipsec ikev1 transform-set AES256-SHA esp-aes 256 esp-sha-hmac
crypto ipsec ikev2 ipsec-proposal PROP
 protocol esp encryption aes-256
 protocol esp integrity sha-1
crypto map OUTSIDE_MAP 10 match address VPN-B
crypto map OUTSIDE_MAP 10 set peer 198.51.100.20
crypto map OUTSIDE_MAP 10 set ikev1 transform-set AES256-SHA
crypto map OUTSIDE_MAP 10 set ikev2 ipsec-proposal PROP
crypto map OUTSIDE_MAP 65535 ipsec-isakmp dynamic DYN
crypto map OUTSIDE_MAP interface outside
crypto dynamic-map DYN 10 set ikev1 transform-set AES256-SHA
crypto dynamic-map DYN 10 set pfs
crypto ikev1 enable outside
crypto ikev1 policy 10
 authentication pre-share
 encryption aes-256
 hash sha
 group 14
 lifetime 86400
crypto ikev2 policy 1
 encryption aes-256
 integrity sha256
 group 14
 prf sha256
 lifetime seconds 86400
tunnel-group 198.51.100.20 type ipsec-l2l
tunnel-group 198.51.100.20 ipsec-attributes
 ikev1 pre-shared-key V1nine-Key
 ikev2 remote-authentication pre-shared-key V2remote
 ikev2 local-authentication pre-shared-key V2local
router ospf 1
 network 10.1.0.0 255.255.255.0 area 0
";

    #[test]
    fn asa9_objects_twice_nat_and_ikev1() {
        let c = read(ASA9, Family::Asa);
        let remote_all = [
            n("10.2.0.0/24"),
            n("10.3.0.0/23"),
            n("10.4.0.9/32"),
            n("10.5.0.0/16"),
            n("10.6.0.0/24"),
        ];
        let vpn = &c.acls["VPN-B"];
        assert_eq!(vpn.len(), 1);
        assert_eq!(vpn[0].source.nets, [n("10.1.0.0/24")]);
        assert_eq!(vpn[0].source.text, "object LAN-A");
        // LATER is defined after its use.
        assert_eq!(vpn[0].destination.nets, remote_all);
        // A source port group, an IPv6 entry skipped.
        let out_in = &c.acls["OUT-IN"];
        assert_eq!(out_in.len(), 2);
        assert_eq!(out_in[0].protocol, "tcp");
        assert_eq!(out_in[0].source.nets, remote_all);
        assert_eq!(out_in[0].destination.nets, [n("10.1.0.20/32")]);
        assert!(!out_in[1].permit);
        assert_eq!(out_in[1].destination.nets, [n("0.0.0.0/0")]);

        assert_eq!(c.nat.len(), 4);
        assert_eq!(
            c.nat[0].exemption,
            Some(Exemption::Identity {
                source: vec![n("10.1.0.0/24")],
                destination: remote_all.to_vec(),
            })
        );
        assert_eq!(
            c.nat[0].line,
            line_of(ASA9, "nat (inside,outside) source static LAN-A")
        );
        // The inactive twice NAT is not there; the static to another address translates.
        assert_eq!(c.nat[1].exemption, None);
        assert_eq!(c.nat[1].translates, [n("10.1.0.20/32")]);
        assert_eq!(c.nat[2].translates, [n("10.1.0.0/24")]);
        assert_eq!(
            c.nat[2].line,
            line_of(ASA9, " nat (inside,outside) dynamic")
        );
        assert_eq!(c.nat[3].translates, [n("0.0.0.0/0")]);

        assert_eq!(c.policies.len(), 1, "the IKEv2 policy is not an IKEv1 one");
        let p = &c.policies[0];
        assert_eq!(
            (p.encryption.as_str(), p.group, p.authentication.as_str()),
            ("aes-256", 14, "pre-share")
        );
        assert_eq!(c.transform_sets.len(), 1);
        assert_eq!(c.transform_sets[0].name, "AES256-SHA");
        assert_eq!(
            c.transform_sets[0].transforms,
            ["esp-aes-256", "esp-sha-hmac"]
        );

        assert_eq!(c.entries.len(), 3);
        let e = &c.entries[0];
        assert_eq!(e.transform_sets, ["AES256-SHA"]);
        assert_eq!(
            e.transform_line,
            line_of(ASA9, "crypto map OUTSIDE_MAP 10 set ikev1")
        );
        assert_eq!(e.acl.as_ref().map(|x| x.0.as_str()), Some("VPN-B"));
        assert!(c.entries[1].dynamic);
        assert_eq!(c.entries[1].seq, 65535);
        let d = &c.entries[2];
        assert_eq!((d.map.as_str(), d.seq, d.dynamic), ("DYN", 10, true));
        assert_eq!(d.pfs.as_deref(), Some("group2"));

        assert_eq!(c.keys.len(), 1);
        assert_eq!(c.keys[0].secret, Secret::Clear("V1nine-Key".into()));
        assert_eq!(c.keys[0].peer, Some(n("198.51.100.20/32")));
        assert!(c.dynamic_routing);
        assert_eq!(
            c.map_interface("OUTSIDE_MAP").unwrap().hardware.as_deref(),
            Some("GigabitEthernet0/0")
        );
    }

    #[test]
    fn ikev2_keys_remote_then_local() {
        let text = "\
tunnel-group 198.51.100.30 type ipsec-l2l
tunnel-group 198.51.100.30 ipsec-attributes
 ikev2 local-authentication pre-shared-key L0cal-30
 ikev2 remote-authentication pre-shared-key R3mote-30
tunnel-group 198.51.100.31 type ipsec-l2l
tunnel-group 198.51.100.31 ipsec-attributes
 ikev2 local-authentication pre-shared-key L0cal-31
";
        let c = read(text, Family::Asa);
        assert_eq!(c.keys.len(), 2);
        assert_eq!(c.keys[0].secret, Secret::Clear("R3mote-30".into()));
        assert_eq!(c.keys[0].line, 4);
        assert_eq!(c.keys[1].secret, Secret::Clear("L0cal-31".into()));
        assert_eq!(c.keys[1].peer, Some(n("198.51.100.31/32")));
    }

    const ASA_RA: &str = "\
ASA Version 9.12(4)
hostname asa-ra
ip local pool RA-POOL 10.99.0.10-10.99.0.250 mask 255.255.255.0
access-list SPLIT standard permit 10.1.0.0 255.255.255.0
access-list SPLIT standard permit host 10.1.5.5
group-policy RA-GP internal
group-policy RA-GP attributes
 dns-server value 10.1.0.53
 vpn-tunnel-protocol ikev1
 split-tunnel-policy tunnelspecified
 split-tunnel-network-list value SPLIT
group-policy FULL-GP internal
group-policy FULL-GP attributes
 split-tunnel-policy tunnelall
 split-tunnel-network-list value SPLIT
 address-pools value RA-POOL
group-policy L2L-GP internal
group-policy L2L-GP attributes
 vpn-tunnel-protocol ikev1
tunnel-group RAVPN type remote-access
tunnel-group RAVPN general-attributes
 address-pool RA-POOL
 default-group-policy RA-GP
tunnel-group RAVPN ipsec-attributes
 ikev1 pre-shared-key RaGr0upKey
tunnel-group 198.51.100.9 type ipsec-l2l
tunnel-group 198.51.100.9 general-attributes
 default-group-policy L2L-GP
tunnel-group 198.51.100.9 ipsec-attributes
 ikev1 pre-shared-key L2Lkey-9
tunnel-group OLDRA type remote-access
tunnel-group OLDRA general-attributes
 address-pool (outside) RA-POOL
";

    #[test]
    fn asa_remote_access_split_tunnel() {
        let c = read(ASA_RA, Family::Asa);
        let groups: Vec<&str> = c.remote_access.iter().map(|r| r.group.as_str()).collect();
        // L2L-GP serves a LAN-to-LAN group only; OLDRA uses the unprinted DfltGrpPolicy.
        assert_eq!(groups, ["RA-GP", "FULL-GP", "OLDRA"]);
        let ra = &c.remote_access[0];
        assert_eq!(ra.split_acl.as_deref(), Some("SPLIT"));
        assert_eq!(ra.pool.as_deref(), Some("RA-POOL"), "from the tunnel-group");
        assert_eq!(ra.line, line_of(ASA_RA, "group-policy RA-GP internal"));
        let full = &c.remote_access[1];
        assert_eq!(full.split_acl, None, "tunnelall has no split ACL");
        assert_eq!(full.pool.as_deref(), Some("RA-POOL"));
        assert_eq!(c.remote_access[2].pool.as_deref(), Some("RA-POOL"));

        let (nets, line) = &c.pools["RA-POOL"];
        assert_eq!(*line, 3);
        assert!(nets[0].contains(&a("10.99.0.10")));
        let size: u32 = nets.iter().map(|x| 1u32 << (32 - x.prefix_len())).sum();
        assert_eq!(size, 241);

        let split = &c.acls["SPLIT"];
        assert_eq!(split.len(), 2);
        assert_eq!(split[0].source.nets, [n("10.1.0.0/24")]);
        assert_eq!(split[0].destination.nets, [n("0.0.0.0/0")]);
        assert_eq!(split[1].source.nets, [n("10.1.5.5/32")]);

        assert_eq!(c.keys.len(), 2);
        assert_eq!(c.keys[0].peer, None, "a remote-access group key");
        assert_eq!(c.keys[0].secret, Secret::Clear("RaGr0upKey".into()));
        assert_eq!(c.keys[1].peer, Some(n("198.51.100.9/32")));
    }

    #[test]
    fn masked_and_encrypted_keys_are_hidden() {
        let text = "\
tunnel-group 198.51.100.40 type ipsec-l2l
tunnel-group 198.51.100.40 ipsec-attributes
 pre-shared-key *****
tunnel-group 198.51.100.41 ipsec-attributes
 ikev1 pre-shared-key *
tunnel-group 198.51.100.42 ipsec-attributes
 ikev1 pre-shared-key 8 Zm9vYmFyRXhhbXBsZQ==
tunnel-group DefaultL2LGroup ipsec-attributes
 ikev1 pre-shared-key 0 d3fault-L2L
isakmp key ******** address 198.51.100.43 netmask 255.255.255.255
isakmp key Wildc4rd address 0.0.0.0 netmask 0.0.0.0 no-xauth no-config-mode
";
        let c = read(text, Family::Asa);
        assert_eq!(c.keys.len(), 6);
        let by_line: Vec<(u64, &Secret)> = c.keys.iter().map(|k| (k.line, &k.secret)).collect();
        assert_eq!(
            by_line,
            [
                (3, &Secret::Hidden),
                (5, &Secret::Hidden),
                (7, &Secret::Hidden),
                (9, &Secret::Hidden),
                (10, &Secret::Hidden),
                (11, &Secret::Clear("Wildc4rd".into())),
            ]
        );
        assert_eq!(
            c.keys[3].peer,
            Some(n("0.0.0.0/0")),
            "DefaultL2LGroup is a wildcard"
        );
        assert_eq!(c.keys[4].peer, Some(n("198.51.100.43/32")));
        assert_eq!(c.keys[5].peer, Some(n("0.0.0.0/0")));
        // Nothing the config holds as a key leaks elsewhere.
        assert!(!format!("{:?}", c.remote_access).contains("d3fault"));
    }

    const PIX_VPNGROUP: &str = "\
PIX Version 6.3(4)
nameif ethernet0 outside security0
nameif ethernet1 inside security100
hostname pixra
access-list SPLIT permit ip 10.1.1.0 255.255.255.0 10.50.0.0 255.255.255.0
access-list NONAT permit ip 10.1.1.0 255.255.255.0 10.50.0.0 255.255.255.0
ip address outside 198.51.100.1 255.255.255.0
ip address inside 10.1.1.1 255.255.255.0
ip local pool VPNPOOL 10.50.0.1-10.50.0.254
nat (inside) 0 access-list NONAT
sysopt connection permit-ipsec
crypto ipsec transform-set TS esp-aes 256 esp-md5-hmac
crypto dynamic-map DYN 10 set transform-set TS
crypto map VPN 65535 ipsec-isakmp dynamic DYN
crypto map VPN client authentication LOCAL
crypto map VPN interface outside
isakmp enable outside
isakmp key ******** address 0.0.0.0 netmask 0.0.0.0 no-xauth no-config-mode
isakmp policy 10 authentication pre-share
isakmp policy 10 encryption aes-256
vpngroup REMOTE address-pool VPNPOOL
vpngroup REMOTE dns-server 10.1.1.53
vpngroup REMOTE split-tunnel SPLIT
vpngroup REMOTE idle-time 1800
vpngroup REMOTE password ********
vpngroup OTHER address-pool VPNPOOL
";

    #[test]
    fn pix_vpngroup_remote_access() {
        let c = read(PIX_VPNGROUP, Family::Pix);
        assert_eq!(c.remote_access.len(), 2);
        let ra = &c.remote_access[0];
        assert_eq!(ra.group, "REMOTE");
        assert_eq!(ra.pool.as_deref(), Some("VPNPOOL"));
        assert_eq!(ra.split_acl.as_deref(), Some("SPLIT"));
        assert_eq!(ra.line, line_of(PIX_VPNGROUP, "vpngroup REMOTE"));
        assert_eq!(c.remote_access[1].split_acl, None);
        assert_eq!(c.pools["VPNPOOL"].0.len(), 14);

        assert_eq!(
            c.transform_sets[0].transforms,
            ["esp-aes-256", "esp-md5-hmac"]
        );
        let dynamic: Vec<(&str, u32)> = c
            .entries
            .iter()
            .filter(|e| e.dynamic)
            .map(|e| (e.map.as_str(), e.seq))
            .collect();
        assert_eq!(dynamic, [("DYN", 10), ("VPN", 65535)]);
        assert_eq!(c.entries[0].transform_sets, ["TS"]);
        assert_eq!(c.keys[0].peer, Some(n("0.0.0.0/0")));
        assert_eq!(c.keys[0].secret, Secret::Hidden);
        assert_eq!(c.policies[0].encryption, "aes-256");
        assert_eq!(c.policies[0].group, 1);
        assert_eq!(
            c.map_interface("VPN").unwrap().address,
            Some(n("198.51.100.1/24"))
        );
    }

    #[test]
    fn empty_policies_take_the_defaults() {
        let asa = read(
            "crypto ikev1 policy 30\ncrypto isakmp policy 40\n",
            Family::Asa,
        );
        assert_eq!(asa.policies.len(), 2);
        for p in &asa.policies {
            assert_eq!(
                (
                    p.encryption.as_str(),
                    p.hash.as_str(),
                    p.authentication.as_str()
                ),
                ("3des", "sha", "rsa-sig")
            );
            assert_eq!((p.group, p.lifetime), (2, 86400));
        }
        assert_eq!(asa.policies[1].line, 2);
        let pix = read("isakmp policy 5 lifetime 3600\n", Family::Pix);
        let p = &pix.policies[0];
        assert_eq!(
            (
                p.encryption.as_str(),
                p.hash.as_str(),
                p.authentication.as_str()
            ),
            ("des", "sha", "rsa-sig")
        );
        assert_eq!((p.priority, p.group, p.lifetime), (5, 1, 3600));
        // ASA 7: one-line attributes; one policy per priority, at its first line.
        let asa7 = read(
            "crypto isakmp policy 10 authentication pre-share\n\
             crypto isakmp policy 10 encryption aes 256\n\
             crypto isakmp policy 10 hash md5\n",
            Family::Asa,
        );
        assert_eq!(asa7.policies.len(), 1);
        let p = &asa7.policies[0];
        assert_eq!(
            (p.encryption.as_str(), p.hash.as_str(), p.line),
            ("aes-256", "md5", 1)
        );
        assert_eq!(p.authentication, "pre-share");
    }

    #[test]
    fn odds_and_ends() {
        let text = "\
interface GigabitEthernet0/0
 nameif outside
 ip address dhcp setroute
crypto map CMAP local-address outside
crypto map CMAP 5 set peer vpn.example.net
crypto map CMAP 5 set pfs group14
crypto map CMAP interface dmz
no sysopt connection permit-vpn
access-group GLOBAL-IN global
access-group OUT-RULES out interface outside
access-list GLOBAL-IN extended permit esp any interface outside
access-list GLOBAL-IN extended permit udp any object-group UNKNOWN-SVC any eq 500
access-list GLOBAL-IN extended permit tcp any object-group UNKNOWN-NET
access-list GLOBAL-IN line 4 extended permit ip host 10.7.0.1 10.8.0.0 255.255.0.0 range 1 2 log 6 interval 300
nat (inside) 0 10.1.1.0 255.255.255.0
nat (inside) 2 access-list POLICY-NAT
nat (inside,outside) source static LAN LAN
object network LAN
 subnet 10.1.1.0 255.255.255.0
router eigrp 100
";
        let c = read(text, Family::Asa);
        assert_eq!(c.local_address["CMAP"], ("outside".to_string(), 4));
        let e = &c.entries[0];
        assert!(e.peers.is_empty(), "a hostname peer is not an address");
        assert_eq!(e.pfs.as_deref(), Some("group14"));
        // dmz is known from the binding alone.
        let dmz = c.map_interface("CMAP").unwrap();
        assert_eq!((dmz.name.as_str(), dmz.address, dmz.line), ("dmz", None, 7));
        assert_eq!(c.interface("outside").unwrap().address, None);
        assert_eq!(c.sysopt, Some((false, 8)));
        assert_eq!(c.access_groups, [("GLOBAL-IN".into(), "global".into(), 9)]);
        let acl = &c.acls["GLOBAL-IN"];
        assert_eq!(acl.len(), 4);
        assert_eq!(acl[0].protocol, "esp");
        assert_eq!(acl[0].destination.text, "interface outside");
        assert!(
            acl[0].destination.nets.is_empty(),
            "outside has no static address"
        );
        assert_eq!(
            acl[1].destination.text, "any",
            "UNKNOWN-SVC is a port group"
        );
        assert_eq!(acl[2].destination.text, "object-group UNKNOWN-NET");
        assert_eq!(acl[3].destination.nets, [n("10.8.0.0/16")]);
        assert_eq!(
            c.nat[0].exemption,
            Some(Exemption::Identity {
                source: vec![n("10.1.1.0/24")],
                destination: vec![n("0.0.0.0/0")],
            })
        );
        assert_eq!(
            (c.nat[1].exemption.as_ref(), c.nat[1].translates.len()),
            (None, 0)
        );
        assert_eq!(
            c.nat[2].exemption,
            Some(Exemption::Identity {
                source: vec![n("10.1.1.0/24")],
                destination: vec![n("0.0.0.0/0")],
            })
        );
        assert!(c.dynamic_routing);
    }

    #[test]
    fn garbage_and_truncation_never_panic() {
        let garbage = "\
crypto map
crypto map X
crypto map X 10
crypto map X 99999999999 set peer 1.2.3.4
crypto map X 10 set peer
crypto map X 10 set transform-set
crypto map X 10 set pfs
crypto dynamic-map
access-list
access-list A
access-list A extended
access-list A extended permit
access-list A extended permit ip host
access-list A extended permit ip host 10.0.0.1 object-group
access-list A extended permit tcp any eq
access-list A permit ip 10.0.0.0 255.0.255.0 any
isakmp policy 99999999999 hash md5
isakmp policy 1 group x
isakmp key
isakmp key K address 300.1.1.1 netmask 255.255.255.255
nat (inside
nat (inside) x 10.0.0.0 255.0.0.0
nat (inside,outside) source static
nat (inside,outside) source
nat (inside,outside) source static A A destination
nat (inside,outside) source static A A destination static
route outside 10.0.0.0
route outside 10.0.0.0 255.0.0.0 not-an-address
ip local pool P 10.0.0.9-10.0.0.1
ip local pool Q 10.0.0.1-
ip address outside 300.1.1.1 255.255.255.0
interface
 nameif
 ip address 10.0.0.1
tunnel-group
tunnel-group X
tunnel-group X ipsec-attributes
 pre-shared-key
 ikev2 remote-authentication pre-shared-key
 pre-shared-key ok-after-all
group-policy G attributes
 split-tunnel-network-list value
 address-pools value
object network O
 range 10.0.0.9 10.0.0.1
 subnet 10.0.0.0
 nat (inside,outside)
object-group network G1
 group-object G2
object-group network G2
 group-object G1
 network-object 10.9.0.0 255.255.0.0
access-list B extended permit ip object-group G1 object-group G2
 orphan sub-line
\u{0}\u{7f}\u{fffd} ñ 日本
crypto map M 10 set peer 198.51.100.1\r
hostname
";
        let c = read(garbage, Family::Asa);
        assert_eq!(c.acls["B"][0].source.nets, [n("10.9.0.0/16")]);
        assert_eq!(c.acls["B"][0].destination.nets, [n("10.9.0.0/16")]);
        assert_eq!(c.keys.len(), 1);
        assert_eq!(c.keys[0].secret, Secret::Clear("ok-after-all".into()));
        let _ = read(garbage, Family::Pix);
        // Every prefix of real configs, cut anywhere (a truncated paste).
        for text in [PIX63, ASA82, ASA9, ASA_RA, PIX_VPNGROUP] {
            for (i, _) in text.char_indices() {
                let _ = read(&text[..i], Family::Asa);
            }
        }
        for line in ASA9.lines() {
            for (i, _) in line.char_indices() {
                let _ = read(&line[..i], Family::Pix);
            }
        }
        assert_eq!(read("", Family::Asa).recognised, 0);
        assert_eq!(read("not a config\nat all\n", Family::Asa).recognised, 0);
    }

    #[test]
    fn a_large_config_is_read() {
        let mut text = String::from("hostname big\n");
        for i in 0..25_000u32 {
            let (x, y) = (i / 250, i % 250);
            text.push_str(&format!(
                "access-list BIG extended permit tcp host 10.{x}.{y}.1 object-group NETS eq 443\n"
            ));
            text.push_str(&format!(" network-object 10.{x}.{y}.0 255.255.255.0\n"));
        }
        text.push_str("object-group network NETS\n network-object 172.16.0.0 255.240.0.0\n");
        let c = read(&text, Family::Asa);
        assert_eq!(c.acls["BIG"].len(), 25_000);
        assert_eq!(c.acls["BIG"][0].destination.nets, [n("172.16.0.0/12")]);
    }
}
