//! Config benchmark (issue 12): a 50,000-line running-config of each family, read and
//! checked, alone and against its peer; target under 100 ms for read + checks of one
//! config. Run with `cargo bench --bench config`; prints medians, asserts nothing.
//!
//! The generated hub has 2,000 crypto map entries with their ACLs, keys, NAT exemption
//! lines and routes, plus interface and ACL noise to make up the lines: the shape of a
//! real concentrator's config, at the size where a quadratic check would show.

use ipsec_doctor::evidence::config::{checks, compare, read};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut v: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    v.sort();
    v[v.len() / 2]
}

/// An IOS hub of `tunnels` tunnels, padded to `lines` lines.
fn ios_hub(tunnels: u32, lines: usize) -> String {
    let mut s = String::from("Building configuration...\n!\nversion 15.4\nhostname HUB\n!\n");
    s.push_str("crypto isakmp policy 10\n encr aes 256\n authentication pre-share\n group 14\n!\n");
    s.push_str("crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac\n mode tunnel\n!\n");
    for t in 0..tunnels {
        let (hi, lo) = (t / 250, t % 250 + 1);
        let _ = writeln!(
            s,
            "crypto isakmp key Key{t}x! address 198.{}.{hi}.{lo}",
            18 + hi / 200
        );
        let _ = write!(
            s,
            "crypto map VPN {} ipsec-isakmp\n set peer 198.{}.{hi}.{lo}\n set transform-set TS\n match address VPN{t}\n",
            t + 10,
            18 + hi / 200
        );
        let _ = writeln!(
            s,
            "ip access-list extended VPN{t}\n permit ip 10.0.0.0 0.0.255.255 172.{}.{}.0 0.0.0.255",
            16 + t / 256 % 16,
            t % 256
        );
    }
    s.push_str("interface GigabitEthernet0/0\n ip address 203.0.113.1 255.255.255.248\n crypto map VPN\n!\n");
    s.push_str("interface GigabitEthernet0/1\n ip address 10.0.0.1 255.255.0.0\n!\n");
    s.push_str("ip route 0.0.0.0 0.0.0.0 203.0.113.6\n");
    let mut n = s.lines().count();
    let mut i = 0;
    while n < lines {
        let _ = writeln!(
            s,
            "access-list 150 permit tcp 10.{}.{}.0 0.0.0.255 any eq {}",
            i / 256 % 256,
            i % 256,
            1024 + i % 60000
        );
        i += 1;
        n += 1;
    }
    s
}

/// An ASA 9 hub of `tunnels` tunnels, padded to `lines` lines.
fn asa_hub(tunnels: u32, lines: usize) -> String {
    let mut s = String::from(": Saved\n:\nASA Version 9.8(4)\n!\nhostname asa-hub\n");
    s.push_str("interface GigabitEthernet0/0\n nameif outside\n security-level 0\n ip address 203.0.113.1 255.255.255.248\n!\n");
    s.push_str("interface GigabitEthernet0/1\n nameif inside\n security-level 100\n ip address 10.0.0.1 255.255.0.0\n!\n");
    s.push_str("crypto ikev1 policy 10\n authentication pre-share\n encryption aes-256\n hash sha\n group 14\n");
    s.push_str("crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac\n");
    for t in 0..tunnels {
        let (hi, lo) = (t / 250, t % 250 + 1);
        let peer = format!("198.{}.{hi}.{lo}", 18 + hi / 200);
        let remote = format!("172.{}.{}.0", 16 + t / 256 % 16, t % 256);
        let _ = writeln!(
            s,
            "access-list VPN{t} extended permit ip 10.0.0.0 255.255.0.0 {remote} 255.255.255.0"
        );
        let _ = writeln!(s, "crypto map VPN {} match address VPN{t}", t + 10);
        let _ = writeln!(s, "crypto map VPN {} set peer {peer}", t + 10);
        let _ = writeln!(s, "crypto map VPN {} set ikev1 transform-set TS", t + 10);
        let _ = writeln!(s, "tunnel-group {peer} type ipsec-l2l\ntunnel-group {peer} ipsec-attributes\n ikev1 pre-shared-key Key{t}x!");
    }
    s.push_str("crypto map VPN interface outside\nroute outside 0.0.0.0 0.0.0.0 203.0.113.6 1\n");
    let mut n = s.lines().count();
    let mut i = 0;
    while n < lines {
        let _ = writeln!(
            s,
            "access-list OUTSIDE-IN extended permit tcp any host 10.{}.{}.{} eq {}",
            i / 65536 % 256,
            i / 256 % 256,
            i % 256,
            1024 + i % 60000
        );
        i += 1;
        n += 1;
    }
    s
}

fn main() {
    let asa = asa_hub(2_000, 50_000);
    let cfg = read(&asa).expect("the generated ASA hub is a config");
    println!(
        "ASA hub: {} lines, {} map entries, {} keys",
        asa.lines().count(),
        cfg.entries.len(),
        cfg.keys.len()
    );
    let rc = median(11, || {
        let cfg = read(&asa).unwrap();
        let _ = checks::single(&cfg, "asa.cfg");
    });
    println!(
        "ASA read + checks:    median {:>8.2} ms (target: under 100 ms)",
        rc.as_secs_f64() * 1e3
    );
    let hub = ios_hub(2_000, 50_000);
    let lines = hub.lines().count();
    let config = read(&hub).expect("the generated hub is a config");
    println!(
        "IOS hub: {lines} lines, {} map entries, {} ACLs",
        config.entries.len(),
        config.acls.len()
    );
    let r = median(11, || {
        let _ = read(&hub);
    });
    println!(
        "read:                 median {:>8.2} ms",
        r.as_secs_f64() * 1e3
    );
    let c = median(11, || {
        let _ = checks::single(&config, "hub.cfg");
    });
    println!(
        "single-config checks: median {:>8.2} ms",
        c.as_secs_f64() * 1e3
    );
    let rc = median(11, || {
        let cfg = read(&hub).unwrap();
        let _ = checks::single(&cfg, "hub.cfg");
    });
    println!(
        "read + checks:        median {:>8.2} ms (target: under 100 ms)",
        rc.as_secs_f64() * 1e3
    );
    let branch = read(
        "version 15.4\nhostname BR\ncrypto isakmp policy 10\n encr aes 256\n authentication pre-share\n group 14\n\
         crypto isakmp key Key7x! address 203.0.113.1\n\
         crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac\n\
         crypto map VPN 10 ipsec-isakmp\n set peer 203.0.113.1\n set transform-set TS\n match address 110\n\
         interface GigabitEthernet0/0\n ip address 198.18.0.8 255.255.255.0\n crypto map VPN\n\
         interface GigabitEthernet0/1\n ip address 172.16.7.1 255.255.255.0\n\
         access-list 110 permit ip 172.16.7.0 0.0.0.255 10.0.0.0 0.0.255.255\n\
         ip route 0.0.0.0 0.0.0.0 198.18.0.1\n",
    )
    .unwrap();
    let p = median(11, || {
        let _ = compare::pair(("hub.cfg", &config), ("br.cfg", &branch));
        let _ = compare::pair(("br.cfg", &branch), ("hub.cfg", &config));
    });
    println!(
        "hub against a branch: median {:>8.2} ms",
        p.as_secs_f64() * 1e3
    );
}
