//! The content of the real knowledge base: canonical IDs, round trip, coverage table,
//! and faithfulness to the seed document.

use crate::util::{all_passed, in_ci, ipsec_doctor, note, repo};
use ipsec_doctor::kb::{Kb, KbSource, Kind};

/// The IDs DESIGN.md fixes as a contract, with their kinds.
pub const CANONICAL: &[(&str, &str)] = &[
    ("err-replay-check-failed", "error"),
    ("err-qm-fsm", "error"),
    ("err-invalid-local-address", "error"),
    ("err-ike-sanity-check-failed", "error"),
    ("err-main-mode-failed", "error"),
    ("err-proxy-identities-not-supported", "error"),
    ("err-transform-proposal-not-supported", "error"),
    ("err-no-cert-no-keys", "error"),
    ("err-peer-address-not-found", "error"),
    ("err-invalid-spi", "error"),
    ("err-invalid-proxy-ids", "error"),
    ("err-reserved-not-zero", "error"),
    ("err-algorithm-offered-mismatch", "error"),
    ("err-hmac-verification-failed", "error"),
    ("err-remote-peer-not-responding", "error"),
    ("err-all-ipsec-proposals-unacceptable", "error"),
    ("err-packet-encryption-decryption", "error"),
    ("err-esp-sequence-fail", "error"),
    ("err-crypto-engine-cannot-handle", "error"),
    ("err-mm-key-exch", "error"),
    ("sym-tunnel-not-established", "symptom"),
    ("sym-no-traffic-after-tunnel-up", "symptom"),
    ("sym-cannot-browse-internet", "symptom"),
    ("sym-some-apps-broken", "symptom"),
    ("sym-cannot-reach-subnets-outside-tunnel", "symptom"),
    ("sym-traffic-one-direction", "symptom"),
    ("sym-intermittent-packet-errors", "symptom"),
    ("sym-ipsec-blocked-by-acl", "symptom"),
    ("cause-phase1-policy-mismatch", "cause"),
    ("cause-psk-mismatch", "cause"),
    ("cause-wrong-peer-address", "cause"),
    ("cause-transform-set-mismatch", "cause"),
    ("cause-crypto-acl-not-mirrored", "cause"),
    ("cause-crypto-acl-host-vs-network", "cause"),
    ("cause-crypto-map-local-address", "cause"),
    ("cause-crypto-map-wrong-interface", "cause"),
    ("cause-proposal-order-host-vs-network", "cause"),
    ("cause-sa-out-of-sync", "cause"),
    ("cause-packet-reordering", "cause"),
    ("cause-packet-corruption", "cause"),
    ("cause-fragmentation", "cause"),
    ("cause-no-hardware-crypto", "cause"),
    ("cause-missing-route", "cause"),
    ("cause-no-split-tunnel", "cause"),
    ("cause-mtu-too-large", "cause"),
    ("cause-sysopt-not-enabled", "cause"),
    ("cause-nat-exemption-missing", "cause"),
    ("cause-acl-overlap", "cause"),
];

fn kb() -> Kb {
    Kb::open(&KbSource::Embedded).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn canonical_ids_exist_with_their_kind() {
    let kb = kb();
    let failures: Vec<String> = CANONICAL
        .iter()
        .filter_map(|(id, kind)| match kb.node(id) {
            None => Some(format!("`{id}` is missing")),
            Some(node) if node.kind().as_str() != *kind => Some(format!(
                "`{id}` has kind `{}`, not `{kind}`",
                node.kind().as_str()
            )),
            Some(_) => None,
        })
        .collect();
    all_passed("canonical IDs", CANONICAL.len(), &failures);
}

#[test]
fn every_canonical_cause_is_reachable_from_a_symptom() {
    let kb = kb();
    let symptoms: Vec<&str> = kb.nodes_of(Kind::Symptom).map(|n| n.id()).collect();
    let causes: Vec<&str> = CANONICAL
        .iter()
        .filter(|(_, k)| *k == "cause")
        .map(|(id, _)| *id)
        .collect();
    let failures: Vec<String> = causes
        .iter()
        .filter(|id| {
            !symptoms
                .iter()
                .any(|s| kb.graph().causes_reachable(s).contains(*id))
        })
        .map(|id| format!("no symptom leads to `{id}`"))
        .collect();
    all_passed("canonical causes", causes.len(), &failures);
}

#[test]
fn load_dump_load_is_identity() {
    let kb = kb();
    let dir = tempfile::tempdir().unwrap();
    for doc in kb.docs() {
        let name = std::path::Path::new(&doc.path).file_name().unwrap();
        std::fs::write(
            dir.path().join(name),
            ipsec_doctor::kb::dump_yaml(&doc.content),
        )
        .unwrap();
    }
    let again =
        Kb::open(&KbSource::Dir(dir.path().to_path_buf())).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kb.docs().len(), again.docs().len());
    let failures: Vec<String> = kb
        .docs()
        .iter()
        .zip(again.docs())
        .filter(|(a, b)| a.content != b.content)
        .map(|(a, _)| format!("{} changed in the round trip", a.path))
        .collect();
    all_passed("knowledge-base files", kb.docs().len(), &failures);
}

#[test]
fn embedded_kb_is_the_repository_kb() {
    let embedded = kb();
    let dir = Kb::open(&KbSource::Dir(repo().join("kb"))).unwrap_or_else(|e| panic!("{e}"));
    let a: Vec<_> = embedded.docs().iter().map(|d| &d.content).collect();
    let b: Vec<_> = dir.docs().iter().map(|d| &d.content).collect();
    assert!(a == b, "the binary embeds a stale kb/; rebuild");
}

/// kb/README.md keeps the coverage table; it must be what the knowledge base says.
#[test]
fn readme_coverage_table_is_current() {
    let table = ipsec_doctor(&["kb", "coverage"]).run().code(0).stdout;
    let readme = std::fs::read_to_string(repo().join("kb/README.md")).unwrap();
    let start = readme
        .find("<!-- coverage:start -->\n")
        .expect("coverage start marker")
        + 24;
    let end = readme
        .find("<!-- coverage:end -->")
        .expect("coverage end marker");
    assert!(
        readme[start..end] == table,
        "kb/README.md coverage table is stale; replace it with `ipsec-doctor kb coverage`\n{table}"
    );
}

/// The seed document, when the checkout sits beside `shared/` as in development and CI.
fn seed_dir() -> std::path::PathBuf {
    repo().join("../shared/seed")
}

fn seed() -> Option<String> {
    let mut text = String::new();
    for entry in std::fs::read_dir(seed_dir()).ok()? {
        text.push_str(&std::fs::read_to_string(entry.ok()?.path()).ok()?);
    }
    Some(text)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Examples that claim to come from the seed must be in the seed: no invented output.
#[test]
fn seed_examples_and_headings_are_in_the_seed() {
    let Some(seed) = seed() else {
        // In CI the seed is checked out beside the repository; its absence there is a broken
        // setup, not a reason to pass.
        let missing = format!(
            "the seed document ({}) is missing or unreadable; examples marked `origin: seed` \
             and section headings are NOT checked against it",
            seed_dir().display()
        );
        assert!(!in_ci(), "{missing} (CI is set: this must not be skipped)");
        note(&missing);
        return;
    };
    // The seed is an HTML extraction: code fences and `<#root>` markers split device lines.
    let seed = collapse(&seed.replace("```", " ").replace("<#root>", " "));
    let kb = kb();
    let mut missing = Vec::new();
    for section in kb.sections() {
        if !seed.contains(&collapse(&section.heading)) {
            missing.push(format!("heading of `{}`: {}", section.id, section.heading));
        }
    }
    for node in kb.nodes_of(Kind::Error) {
        let ipsec_doctor::kb::Node::Error(e) = node else {
            unreachable!()
        };
        for ex in e.examples.iter().filter(|x| x.origin == "seed") {
            if !seed.contains(&collapse(&ex.text)) {
                missing.push(format!("example of `{}`: {}", e.id, ex.text));
            }
        }
    }
    let checked = kb.sections().count()
        + kb.nodes_of(Kind::Error)
            .map(|n| match n {
                ipsec_doctor::kb::Node::Error(e) => {
                    e.examples.iter().filter(|x| x.origin == "seed").count()
                }
                _ => 0,
            })
            .sum::<usize>();
    all_passed("seed headings and examples", checked, &missing);
}
