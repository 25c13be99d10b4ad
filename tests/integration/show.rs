//! `ipsec-doctor show ID` on the embedded knowledge base.

use crate::util::{all_passed, ipsec_doctor};

#[test]
fn every_canonical_id_resolves_with_both_languages() {
    let mut failures = Vec::new();
    for (id, kind) in crate::kb_content::CANONICAL {
        let out = ipsec_doctor(&["show", id, "--json"]).run();
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&out.stdout) else {
            failures.push(format!("{id}: not JSON\n{}", out.transcript()));
            continue;
        };
        let mut problems = Vec::new();
        if out.code != 0 {
            problems.push(format!("exit {}", out.code));
        }
        if v["id"] != *id {
            problems.push(format!("id {}", v["id"]));
        }
        if v["kind"] != *kind {
            problems.push(format!("kind {}, expected {kind}", v["kind"]));
        }
        for field in ["title", "summary"] {
            for lang in ["en", "zh"] {
                let text = v[field][lang].as_str().unwrap_or_default();
                if text.trim().is_empty() {
                    problems.push(format!("empty {field}.{lang}"));
                }
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{id}: {}", problems.join(", ")));
        }
    }
    all_passed(
        "canonical IDs",
        crate::kb_content::CANONICAL.len(),
        &failures,
    );
}

#[test]
fn unknown_id_suggests_the_closest() {
    ipsec_doctor(&["show", "err-invalid-spy"])
        .run()
        .code(1)
        .stderr_has("error: no entry `err-invalid-spy` in the knowledge base")
        .stderr_has("hint: did you mean `err-invalid-spi`");
    ipsec_doctor(&["show", "replay"])
        .run()
        .code(1)
        .stderr_has("`err-replay-check-failed`");
}

#[test]
fn error_shows_example_causes_and_fix_config() {
    ipsec_doctor(&["show", "err-esp-sequence-fail"])
        .run()
        .code(0)
        .stdout_has("%C1700_EM-1-ERROR: packet-rx error: ESP sequence fail")
        .stdout_has("crypto ipsec fragmentation before-encryption")
        .stdout_has("Tech note section:");
}

#[test]
fn chinese_output_keeps_commands_untranslated() {
    ipsec_doctor(&["show", "sym-tunnel-not-established", "--lang", "zh"])
        .run()
        .code(0)
        .stdout_has("从这里开始")
        .stdout_has("$ show crypto isakmp sa")
        .stdout_lacks("Start here");
}

#[test]
fn language_follows_the_locale() {
    ipsec_doctor(&["show", "cause-psk-mismatch"])
        .env("LANG", "zh_CN.UTF-8")
        .run()
        .code(0)
        .stdout_has("证据");
    ipsec_doctor(&["show", "cause-psk-mismatch"])
        .env("LANG", "zh_CN.UTF-8")
        .env("LC_ALL", "en_US.UTF-8")
        .run()
        .code(0)
        .stdout_has("Evidence");
}

#[test]
fn colour_only_when_asked() {
    ipsec_doctor(&["show", "fix-ip-mtu"])
        .run()
        .code(0)
        .stdout_lacks("\x1b[");
    ipsec_doctor(&["show", "fix-ip-mtu", "--color", "always"])
        .run()
        .code(0)
        .stdout_has("\x1b[1m");
}

/// The seed's fix commands are where an engineer looks for them: under the cause.
#[test]
fn causes_carry_the_seed_fix_commands() {
    let expectations = [
        (
            "cause-fragmentation",
            "crypto ipsec fragmentation before-encryption",
        ),
        ("cause-fragmentation", "ip tcp adjust-mss 1300"),
        ("cause-mtu-too-large", "ip tcp adjust-mss 1300"),
        ("cause-sysopt-not-enabled", "sysopt connection permit-ipsec"),
        ("cause-no-split-tunnel", "vpngroup vpn3000 split-tunnel 90"),
        ("cause-no-split-tunnel", "acl 150"),
        (
            "cause-missing-route",
            "route inside 172.16.0.0 255.255.0.0 10.1.1.2 1",
        ),
        (
            "cause-missing-route",
            "ip route 10.1.2.0 255.255.255.0 10.1.1.1",
        ),
        ("cause-crypto-map-local-address", "local-address"),
        ("cause-fast-switch-cache-expiry", "no ip route-cache"),
        (
            "cause-crypto-acl-not-mirrored",
            "access-list 150 permit ip 172.21.114.0 0.0.0.255 172.21.113.0 0.0.0.255",
        ),
        ("cause-nat-exemption-missing", "nat (inside) 0 access-list"),
    ];
    let mut failures = Vec::new();
    for (id, needle) in expectations {
        let out = ipsec_doctor(&["show", id]).run();
        if out.code != 0 || !out.stdout.contains(needle) {
            failures.push(format!("`show {id}` (exit {}) lacks {needle:?}", out.code));
        }
    }
    all_passed("seed fix commands", expectations.len(), &failures);
}

#[test]
fn mtu_fix_warns_that_tunnels_drop() {
    ipsec_doctor(&["show", "fix-ip-mtu"])
        .run()
        .code(0)
        .stdout_has("Warning:")
        .stdout_has("ip mtu");
}

#[test]
fn works_from_any_directory() {
    let dir = tempfile::tempdir().unwrap();
    ipsec_doctor(&["show", "sym-no-traffic-after-tunnel-up"])
        .cwd(dir.path())
        .run()
        .code(0);
}
