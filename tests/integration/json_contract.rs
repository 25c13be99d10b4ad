//! The JSON shapes are documented once, in README.md, and printed by the structs of
//! `present::json`: this test holds the two together (issue 10). Every field the binary
//! prints is documented, and every documented field is printed.

use crate::util::{fixtures, ipsec_doctor, repo};
use std::collections::BTreeSet;

/// The field names in the README's "`--json` prints `{…}`" sentence that follows `after`.
fn documented(after: &str) -> BTreeSet<String> {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let from = readme
        .find(after)
        .unwrap_or_else(|| panic!("README lacks {after:?}"));
    let rest = &readme[from..];
    let start = rest
        .find("`--json` prints `{")
        .expect("a `--json` prints sentence")
        + 16;
    let end = start + rest[start..].find("}`").expect("the shape closes with }`") + 1;
    let shape = &rest[start..end];
    shape
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn keys(value: &serde_json::Value, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                out.insert(k.clone());
                // `peers` is a map whose keys are data (peer addresses), not fields.
                if k != "peers" {
                    keys(v, out);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

fn printed(args: &[&str], stdin: &str) -> BTreeSet<String> {
    let out = ipsec_doctor(args).stdin(stdin).run();
    let doc: serde_json::Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}):\n{}", out.stdout));
    let mut set = BTreeSet::new();
    keys(&doc, &mut set);
    set
}

#[test]
fn diagnose_json_fields_are_the_documented_ones() {
    let paste = std::fs::read_to_string(fixtures().join("diagnose/router-a-b-hash-mismatch.txt"))
        .unwrap()
        // A peer stuck in MM_KEY_EXCH: conclusions that say what to check next.
        + "dst             src             state          conn-id slot status\n198.51.100.9    203.0.113.1     MM_KEY_EXCH          1    0 ACTIVE\n"
        + "interface: outside\n   local  ident (addr/mask/prot/port): (10.1.0.0/255.255.255.0/0/0)\n   remote ident (addr/mask/prot/port): (10.2.0.0/255.255.255.0/0/0)\n   current_peer 198.51.100.2 port 500\n    #pkts encaps: 9, #pkts encrypt: 9\n    #pkts decaps: 9, #pkts decrypt: 9\n    #send errors 0, #recv errors 0\n"
        + "interface: outside\n   local  ident (addr/mask/prot/port): (10.1.0.0/255.255.255.0/0/0)\n   remote ident (addr/mask/prot/port): (10.2.0.0/255.255.255.0/0/0)\n   current_peer 198.51.100.2 port 500\n    #pkts encaps: 1, #pkts encrypt: 1\n    #pkts decaps: 1, #pkts decrypt: 1\n    #send errors 0, #recv errors 0\n";
    let printed = printed(&["diagnose", "--json"], &paste);
    let documented = documented("### Diagnose");
    assert_eq!(
        printed, documented,
        "diagnose --json: printed (left) and README (right) differ"
    );
}

#[test]
fn search_json_fields_are_the_documented_ones() {
    // An error line, and a healthy message (which adds `informational`).
    let mut printed = printed(
        &["search", "--json"],
        "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=3",
    );
    printed.extend(self::printed(
        &["search", "--json"],
        "%ASA-5-713119: Group = 198.51.100.24, IP = 198.51.100.24, PHASE 1 COMPLETED",
    ));
    let documented = documented("### How search decides");
    assert_eq!(
        printed, documented,
        "search --json: printed (left) and README (right) differ"
    );
}

#[test]
fn scores_are_rounded_to_three_decimals() {
    let out = ipsec_doctor(&["search", "--json", "transform", "set", "mismatch"]).run();
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    for r in doc["results"].as_array().unwrap() {
        let text = r["score"].to_string();
        let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
        assert!(decimals <= 3, "score {text} is not rounded");
    }
}
