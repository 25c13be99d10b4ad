//! Running-configs as evidence: `show running-config` (whole, or partial pastes such as
//! `show run | section crypto`) of IOS 12.4 / 15 / IOS-XE, PIX 6.x and ASA 8.2 / 8.3+ / 9.x,
//! read into a [`model::Config`]; the checks on one config ([`checks`]) and on the two
//! peers of a tunnel ([`compare`]) turn it into facts for the engine.
//!
//! Unknown lines are skipped, never an error; text that is not a config is not read as one
//! ([`detect`]). Address arithmetic is `ipnet`'s.

pub mod asa;
pub mod checks;
pub mod compare;
pub mod ios;
pub mod model;

use ipnet::Ipv4Net;
use model::{Config, Family};
use std::net::Ipv4Addr;

/// The largest input read as a possible config; anything longer is a log.
pub const MAX_CONFIG_BYTES: usize = 8 << 20;

/// Commands that begin a line of a config at column 0 (or one space in, for sub-mode
/// lines, which are not counted here). Two distinct ones make a text a config.
const HEADS: &[&str] = &[
    "hostname ",
    "interface ",
    "crypto isakmp ",
    "crypto ikev1 ",
    "crypto ikev2 ",
    "crypto ipsec ",
    "crypto map ",
    "crypto dynamic-map ",
    "crypto keyring ",
    "isakmp ",
    "access-list ",
    "ip access-list ",
    "ip route ",
    "ip nat ",
    "route ",
    "nat (",
    "global (",
    "nameif ",
    "tunnel-group ",
    "group-policy ",
    "object network ",
    "object-group ",
    "sysopt ",
    "vpngroup ",
    "ip local pool ",
    "PIX Version ",
    "ASA Version ",
    "version ",
];

/// Which family printed `text`, if it is a config at all: at least two distinct config
/// commands at the start of a line.
pub fn detect(text: &str) -> Option<Family> {
    let mut seen = [false; HEADS.len()];
    let (mut pix, mut asa, mut ios) = (false, false, false);
    for line in super::lines(text) {
        if line.starts_with(' ') || line.is_empty() {
            if line.starts_with(" nameif ") {
                asa = true;
            }
            continue;
        }
        // Every word looked for starts with a small letter, `PIX` or `ASA`: a log's lines
        // (a time, `*`, `%`, `ISAKMP:`) are passed over at once.
        if !line.starts_with(|c: char| c.is_ascii_lowercase() || c == 'P' || c == 'A') {
            continue;
        }
        if let Some(i) = HEADS.iter().position(|h| line.starts_with(h)) {
            seen[i] = true;
        }
        if line.starts_with("PIX Version") || line.starts_with("nameif ethernet") {
            pix = true;
        } else if line.starts_with("ASA Version")
            || line.starts_with("tunnel-group ")
            || line.starts_with("crypto ikev1 ")
            || line.starts_with("object network ")
            || line.starts_with("group-policy ")
        {
            asa = true;
        } else if line.starts_with("ip route ")
            || line.starts_with("ip access-list ")
            || line.starts_with("ip nat ")
            || line.starts_with("crypto keyring ")
            || (line.starts_with("crypto map ") && line.ends_with("ipsec-isakmp"))
        {
            ios = true;
        }
        if line.starts_with("isakmp ") || line.starts_with("vpngroup ") {
            pix = true;
        }
    }
    if seen.iter().filter(|s| **s).count() < 2 {
        return None;
    }
    Some(if pix && !asa {
        Family::Pix
    } else if asa {
        Family::Asa
    } else if ios {
        Family::Ios
    } else if text.contains("\nnameif ") || text.contains("\n nameif ") {
        Family::Asa
    } else {
        Family::Ios
    })
}

/// Read `text` as a config, if it is one.
pub fn read(text: &str) -> Option<Config> {
    let family = detect(text)?;
    let mut c = match family {
        Family::Ios => ios::read(text),
        Family::Pix | Family::Asa => asa::read(text, family),
    };
    let header = super::lines(text).take(200).any(|l| {
        l.starts_with("Building configuration")
            || l.starts_with(": Saved")
            || l.starts_with("Current configuration")
            || l.starts_with("PIX Version ")
            || l.starts_with("ASA Version ")
            || l.starts_with("version ")
    });
    c.complete = header && !c.interfaces.is_empty();
    Some(c)
}

/// A dotted netmask (`255.255.255.0`) as a prefix length.
pub fn mask_len(mask: &str) -> Option<u8> {
    ipnet::ipv4_mask_to_prefix(mask.parse().ok()?).ok()
}

/// An IOS wildcard (`0.0.0.255`) as a prefix length; non-contiguous wildcards are refused.
pub fn wildcard_len(wildcard: &str) -> Option<u8> {
    let w: Ipv4Addr = wildcard.parse().ok()?;
    ipnet::ipv4_mask_to_prefix(Ipv4Addr::from(!u32::from(w))).ok()
}

/// `addr` with a prefix length, truncated to its network.
pub fn net(addr: &str, len: u8) -> Option<Ipv4Net> {
    Ipv4Net::new(addr.parse().ok()?, len)
        .ok()
        .map(|n| n.trunc())
}

/// The networks that cover the range `first`–`last` exactly.
pub fn range_nets(first: Ipv4Addr, last: Ipv4Addr) -> Vec<Ipv4Net> {
    if u32::from(first) > u32::from(last) {
        return Vec::new();
    }
    ipnet::Ipv4Subnets::new(first, last, 0).collect()
}

/// Whether two sets of networks share an address.
pub fn overlap(a: &[Ipv4Net], b: &[Ipv4Net]) -> bool {
    a.iter().any(|x| {
        b.iter()
            .any(|y| x.contains(&y.network()) || y.contains(&x.network()))
    })
}

/// Whether every address of `inner` is in `outer`.
pub fn covers(outer: &[Ipv4Net], inner: &[Ipv4Net]) -> bool {
    inner.iter().all(|i| outer.iter().any(|o| o.contains(i)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection() {
        assert_eq!(
            detect("hostname R1\n!\ninterface Gi0/0\n ip address 192.0.2.1 255.255.255.0\nip route 0.0.0.0 0.0.0.0 192.0.2.2\n"),
            Some(Family::Ios)
        );
        assert_eq!(
            detect(
                "PIX Version 6.3(5)\nnameif ethernet0 outside security0\nisakmp enable outside\n"
            ),
            Some(Family::Pix)
        );
        assert_eq!(
            detect(": Saved\nASA Version 9.8(4)\n!\ninterface GigabitEthernet0/0\n nameif outside\ntunnel-group 198.51.100.2 type ipsec-l2l\n"),
            Some(Family::Asa)
        );
        // A log, a show output, prose: not configs.
        assert_eq!(
            detect("Mar 1 10:00:00: %CRYPTO-6-IKMP_MODE_FAILURE: Processing of Main Mode failed\n"),
            None
        );
        assert_eq!(
            detect("R1#show crypto isakmp sa\ndst src state conn-id slot\n"),
            None
        );
        assert_eq!(detect("interface is down, check the route\n"), None);
    }

    #[test]
    fn arithmetic() {
        assert_eq!(wildcard_len("0.0.0.255"), Some(24));
        assert_eq!(wildcard_len("0.0.255.0"), None);
        assert_eq!(mask_len("255.255.0.0"), Some(16));
        let r = range_nets("10.1.1.0".parse().unwrap(), "10.1.1.255".parse().unwrap());
        assert_eq!(r, vec!["10.1.1.0/24".parse::<Ipv4Net>().unwrap()]);
        let a = ["10.1.0.0/16".parse().unwrap()];
        let b = ["10.1.5.0/24".parse().unwrap()];
        assert!(overlap(&a, &b) && covers(&a, &b) && !covers(&b, &a));
    }
}
