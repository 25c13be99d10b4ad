//! The model a running-config is read into: only what IPsec troubleshooting needs, each
//! item with the 1-based line it came from. The readers (`ios.rs`, `asa.rs`) fill it; the
//! checks (`checks.rs`, `compare.rs`) read it and never see device text.

use ipnet::Ipv4Net;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// Which family printed the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// IOS 12.x / 15.x / IOS-XE.
    Ios,
    /// PIX 6.x (`nameif ethernet0 outside security0`, `isakmp policy`, `conduit`).
    Pix,
    /// ASA 7–8.2 (`nat (inside) 0 access-list`) and 8.3+ / 9.x (objects, twice NAT,
    /// `crypto ikev1 …`).
    Asa,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Ios => "ios",
            Family::Pix => "pix",
            Family::Asa => "asa",
        }
    }
}

/// An interface: its name as the crypto map and routes refer to it (IOS `GigabitEthernet0/0`;
/// PIX/ASA the `nameif`, e.g. `outside`), its address, and the crypto map applied to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Interface {
    pub name: String,
    /// The hardware name when it differs from `name` (ASA `GigabitEthernet0/0` for `outside`).
    pub hardware: Option<String>,
    pub address: Option<Ipv4Net>,
    pub line: u64,
    /// The crypto map applied here (IOS ` crypto map NAME` under the interface; PIX/ASA
    /// `crypto map NAME interface IF`), with its line.
    pub crypto_map: Option<(String, u64)>,
    /// Shut down (` shutdown`).
    pub shutdown: bool,
    /// In a VRF (` vrf forwarding X`): not in the global table the crypto map uses.
    pub vrf: bool,
}

/// An ISAKMP / IKEv1 policy. Unset attributes hold the platform default, filled in by the
/// reader (IOS/PIX: des, sha, rsa-sig, group 1, 86400 s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub priority: u32,
    /// `des`, `3des`, `aes`, `aes-192`, `aes-256`, …: AES written `aes 256` is `aes-256`.
    pub encryption: String,
    /// `sha`, `md5`, `sha256`, …
    pub hash: String,
    /// `pre-share`, `rsa-sig`, `rsa-encr`, `crack`.
    pub authentication: String,
    pub group: u32,
    pub lifetime: u64,
    pub line: u64,
}

/// A pre-shared key as configured: clear (comparable) or encrypted / masked (present, but
/// not comparable). The value never leaves the model: checks compare, output redacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Secret {
    Clear(String),
    /// `crypto isakmp key 6 …`, `pre-shared-key *****`, `key 7 …`.
    Hidden,
}

/// A pre-shared key and whom it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The peer address (or `0.0.0.0/0` for a wildcard key); `None` for a hostname key.
    pub peer: Option<Ipv4Net>,
    pub secret: Secret,
    pub line: u64,
}

/// A transform set: its transforms (`esp-aes 256` is written `esp-aes-256`), in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransformSet {
    pub name: String,
    pub transforms: Vec<String>,
    pub line: u64,
}

/// One entry of a crypto map (`crypto map NAME SEQ ipsec-isakmp` and its `set` / `match`
/// lines, or the ASA's one-line `crypto map NAME SEQ set …` commands).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MapEntry {
    pub map: String,
    pub seq: u32,
    /// `match address ACL`, with its line.
    pub acl: Option<(String, u64)>,
    /// `set peer A` (several for failover), with the line of the first.
    pub peers: Vec<Ipv4Addr>,
    pub peer_line: u64,
    pub transform_sets: Vec<String>,
    pub transform_line: u64,
    /// `set pfs [groupN]`: the group (`group2`); `None` without PFS.
    pub pfs: Option<String>,
    pub pfs_line: u64,
    /// `ipsec-isakmp dynamic DYN` or an ASA `dynamic-map`: matches any peer.
    pub dynamic: bool,
    pub line: u64,
}

/// An address selector of an access-list entry, as the set of networks it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addr {
    /// `any` is `0.0.0.0/0`; a host is a /32; an object group is each of its networks; a
    /// range is the networks that cover it exactly.
    pub nets: Vec<Ipv4Net>,
    /// As written (`10.1.1.0 0.0.0.255`, `host 10.1.1.5`, `object-group LAN`), for messages.
    pub text: String,
}

/// One entry of an access list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ace {
    pub permit: bool,
    /// `ip`, `tcp`, `udp`, `icmp`, `esp`, …
    pub protocol: String,
    pub source: Addr,
    pub destination: Addr,
    pub line: u64,
}

/// How the config exempts traffic from NAT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exemption {
    /// PIX / ASA 8.2 `nat (IF) 0 access-list ACL`.
    NatZero { interface: String, acl: String },
    /// ASA 8.3+ identity twice NAT: `nat (in,out) source static A A destination static B B`
    /// (both sides mapped to themselves), the networks of A and B.
    Identity {
        source: Vec<Ipv4Net>,
        destination: Vec<Ipv4Net>,
    },
    /// IOS: the ACL (or route-map's `match ip address` ACLs) of `ip nat inside source`,
    /// whose deny lines exempt.
    IosNatAcl { acl: String },
}

/// A NAT statement that matters to IPsec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nat {
    pub exemption: Option<Exemption>,
    /// The statement translates (dynamic NAT / PAT, or a static to another address): the
    /// networks it translates when they can be told (`nat (inside) 1 0.0.0.0 0.0.0.0`,
    /// `object network … nat (inside,outside) dynamic interface`, the permit lines of an IOS
    /// NAT ACL are resolved by the checks).
    pub translates: Vec<Ipv4Net>,
    pub line: u64,
}

/// A remote-access group (PIX `vpngroup`, IOS `crypto isakmp client configuration group`,
/// ASA `group-policy`), with its split-tunnel ACL if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteAccess {
    pub group: String,
    pub split_acl: Option<String>,
    /// The address pool handed to clients (`ip local pool`), by name.
    pub pool: Option<String>,
    pub line: u64,
}

/// A static route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub net: Ipv4Net,
    /// PIX/ASA `route IF …`; IOS `ip route N M IF [GW]`.
    pub interface: Option<String>,
    pub gateway: Option<Ipv4Addr>,
    pub line: u64,
}

/// What a running-config says about IPsec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub family: Family,
    pub hostname: Option<String>,
    pub interfaces: Vec<Interface>,
    pub policies: Vec<Policy>,
    pub keys: Vec<Key>,
    pub transform_sets: Vec<TransformSet>,
    pub entries: Vec<MapEntry>,
    /// `crypto map NAME local-address IF`, by map.
    pub local_address: BTreeMap<String, (String, u64)>,
    /// Access lists by name (numbered ones by their number), entries in order.
    pub acls: BTreeMap<String, Vec<Ace>>,
    pub nat: Vec<Nat>,
    /// `sysopt connection permit-ipsec` / `permit-vpn`: `Some(true)` with its line when
    /// configured, `Some(false)` when `no sysopt connection permit-…` is, `None` when the
    /// config says nothing (PIX 6: off; ASA 7+: on by default, not printed).
    pub sysopt: Option<(bool, u64)>,
    /// Interface ACLs (`access-group ACL in interface IF`, IOS ` ip access-group ACL in`).
    pub access_groups: Vec<(String, String, u64)>,
    pub remote_access: Vec<RemoteAccess>,
    /// `ip local pool NAME A-B`: the networks covering each pool.
    pub pools: BTreeMap<String, (Vec<Ipv4Net>, u64)>,
    pub routes: Vec<Route>,
    /// A dynamic routing protocol is configured (`router ospf|eigrp|bgp|rip`): routes the
    /// config does not show may exist.
    pub dynamic_routing: bool,
    /// Lines read as config (the reader's confidence that this is a config at all).
    pub recognised: u64,
    /// The whole config, not a filtered paste (`show run | include crypto`): it has the
    /// header a device prints (`Building configuration...`, `: Saved`, a version line) and
    /// interfaces. Only then does a missing line (no sysopt, no split tunnel, no route)
    /// prove anything.
    pub complete: bool,
}

impl Config {
    pub fn new(family: Family) -> Config {
        Config {
            family,
            hostname: None,
            interfaces: Vec::new(),
            policies: Vec::new(),
            keys: Vec::new(),
            transform_sets: Vec::new(),
            entries: Vec::new(),
            local_address: BTreeMap::new(),
            acls: BTreeMap::new(),
            nat: Vec::new(),
            sysopt: None,
            access_groups: Vec::new(),
            remote_access: Vec::new(),
            pools: BTreeMap::new(),
            routes: Vec::new(),
            dynamic_routing: false,
            recognised: 0,
            complete: false,
        }
    }

    /// The interface named `name` (nameif or hardware name).
    pub fn interface(&self, name: &str) -> Option<&Interface> {
        self.interfaces
            .iter()
            .find(|i| i.name == name || i.hardware.as_deref() == Some(name))
    }

    /// The interface a crypto map is applied to.
    pub fn map_interface(&self, map: &str) -> Option<&Interface> {
        self.interfaces
            .iter()
            .find(|i| i.crypto_map.as_ref().is_some_and(|(m, _)| m == map))
    }

    /// Every address of the config's interfaces.
    pub fn addresses(&self) -> impl Iterator<Item = (Ipv4Addr, &Interface)> {
        self.interfaces
            .iter()
            .filter_map(|i| i.address.map(|a| (a.addr(), i)))
    }

    /// The interface a packet to `dest` leaves by: a connected network, else the longest
    /// static route (its interface, or the interface of its gateway's network).
    pub fn egress(&self, dest: Ipv4Addr) -> Option<&Interface> {
        let connected = self
            .interfaces
            .iter()
            .filter(|i| !i.vrf && i.address.is_some_and(|a| a.trunc().contains(&dest)))
            .max_by_key(|i| i.address.map(|a| a.prefix_len()));
        if connected.is_some() {
            return connected;
        }
        let route = self
            .routes
            .iter()
            .filter(|r| r.net.contains(&dest))
            .max_by_key(|r| r.net.prefix_len())?;
        if let Some(name) = &route.interface {
            if let Some(i) = self.interface(name) {
                return Some(i);
            }
        }
        let gw = route.gateway?;
        self.interfaces
            .iter()
            .find(|i| !i.vrf && i.address.is_some_and(|a| a.trunc().contains(&gw)))
    }
}
