//! `ipsec-doctor export sigma`: one rule per error entry, IDs that never change, and the
//! committed rules under `sigma/rules/` as current as the knowledge base.

use crate::util::{ipsec_doctor, repo};
use ipsec_doctor::kb::{Kb, KbSource, Kind};

#[test]
fn one_valid_rule_per_error_entry_with_stable_ids() {
    let kb = Kb::open(&KbSource::Embedded).unwrap();
    let errors: Vec<&str> = kb.nodes_of(Kind::Error).map(|n| n.id()).collect();
    let out = ipsec_doctor(&["export", "sigma"]).run().code(0).stdout;
    let docs: Vec<&str> = out.split("\n---\n").collect();
    let groups = ipsec_doctor::sigma::GROUPS.len();
    let correlations = ipsec_doctor::sigma::CORRELATIONS.len();
    assert_eq!(docs.len(), errors.len() + groups + correlations);
    let mut ids = std::collections::BTreeSet::new();
    let mut names = std::collections::BTreeSet::new();
    let mut seen_correlations = 0;
    for doc in &docs {
        let v: serde_yaml::Value = serde_yaml::from_str(doc).unwrap();
        for key in [
            "title",
            "id",
            "status",
            "description",
            "tags",
            "falsepositives",
            "level",
        ] {
            assert!(v.get(key).is_some(), "{key} missing in\n{doc}");
        }
        if let Some(c) = v.get("correlation") {
            // A correlation counts the events of a group rule exported before it.
            seen_correlations += 1;
            let group = c["rules"][0].as_str().unwrap();
            assert!(names.contains(group), "{group} not exported before\n{doc}");
            assert!(c["timespan"].as_str().is_some() && c["condition"]["gte"].as_u64().is_some());
            assert!(c["group-by"].as_sequence().is_some_and(|g| !g.is_empty()));
            assert!(v.get("references").is_some());
        } else {
            assert_eq!(v["logsource"]["product"].as_str(), Some("cisco"));
            assert!(v["detection"]["condition"].as_str().is_some());
        }
        if let Some(name) = v.get("name").and_then(|n| n.as_str()) {
            names.insert(name.to_string());
        }
        let id = v["id"].as_str().unwrap().to_string();
        assert!(ids.insert(id), "duplicate id");
    }
    assert_eq!(seen_correlations, correlations);
    // The same IDs on every run, and for the entries the committed rules name.
    assert_eq!(ipsec_doctor(&["export", "sigma"]).run().code(0).stdout, out);
    assert_eq!(
        ipsec_doctor_sigma_id("err-replay-check-failed"),
        ipsec_doctor::sigma::rule_id("err-replay-check-failed")
    );
}

/// The ID a committed rule carries: an ID change breaks every saved search built on it.
fn ipsec_doctor_sigma_id(node: &str) -> String {
    let text =
        std::fs::read_to_string(repo().join("sigma/rules").join(format!("{node}.yml"))).unwrap();
    let v: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    v["id"].as_str().unwrap().to_string()
}

/// Exporting after a knowledge-base change is one command; this fails until it is run.
#[test]
fn committed_rules_are_current() {
    let dir = tempfile::tempdir().unwrap();
    ipsec_doctor(&["export", "sigma", "--out", dir.path().to_str().unwrap()])
        .run()
        .code(0)
        .stdout_has("wrote ");
    let committed = repo().join("sigma/rules");
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        let fresh = std::fs::read_to_string(&path).unwrap();
        match std::fs::read_to_string(committed.join(name)) {
            Ok(old) if old == fresh => {}
            _ => stale.push(name.to_string_lossy().into_owned()),
        }
    }
    let count = |d: &std::path::Path| std::fs::read_dir(d).unwrap().count();
    assert!(
        stale.is_empty() && count(&committed) == count(dir.path()),
        "sigma/rules is stale ({stale:?}); run `ipsec-doctor export sigma --out sigma/rules`"
    );
}
