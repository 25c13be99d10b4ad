//! `ipsec-doctor kb check` on the real knowledge base and on broken ones.
//!
//! Every directory under `tests/fixtures/kb/` is a knowledge base named after the defect it
//! carries; `expected.txt` beside it is the exact report (`IPSEC_DOCTOR_BLESS=1` rewrites).

use crate::util::{fixtures, golden, ipsec_doctor, repo};

#[test]
fn embedded_kb_is_valid_and_counts_nodes() {
    ipsec_doctor(&["kb", "check"])
        .run()
        .code(0)
        .stdout_has("ok: the embedded knowledge base is valid: 8 symptoms,")
        .stdout_has(" errors, ")
        .stdout_has(" causes, ");
}

#[test]
fn repository_kb_dir_is_valid() {
    ipsec_doctor(&["kb", "check", "--kb", "kb"])
        .cwd(repo())
        .run()
        .code(0)
        .stdout_has("ok: `kb` is valid");
}

#[test]
fn every_fixture_matches_its_golden_report() {
    let root = fixtures().join("kb");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let broken = dirs
        .iter()
        .filter(|d| !d.ends_with("valid-minimal"))
        .count();
    assert!(
        broken >= 12,
        "only {broken} broken knowledge bases under {}",
        root.display()
    );
    for dir in dirs {
        let name = dir.file_name().unwrap().to_str().unwrap();
        let out = ipsec_doctor(&["kb", "check", "--kb", name])
            .cwd(&root)
            .run();
        if name == "valid-minimal" {
            assert_eq!(out.code, 0, "{}", out.transcript());
        } else {
            assert_eq!(
                out.code,
                1,
                "{name} should fail the check\n{}",
                out.transcript()
            );
            // One problem per line, each `file:line:col: in `node`: …`.
            for line in out.stdout.lines() {
                assert!(
                    line.starts_with(&format!("{name}/kb.yaml:")),
                    "{name}: {line}"
                );
            }
        }
        golden(&dir.join("expected.txt"), &out.transcript());
    }
}

#[test]
fn missing_directory_is_an_error() {
    ipsec_doctor(&["kb", "check", "--kb", "no/such/dir"])
        .run()
        .code(2)
        .stderr_has("error: knowledge base directory `no/such/dir` does not exist");
}

#[test]
fn directory_without_yaml_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    ipsec_doctor(&["kb", "check", "--kb", dir.path().to_str().unwrap()])
        .run()
        .code(2)
        .stderr_has("no `*.yaml` files in");
}

#[test]
fn other_commands_refuse_a_broken_kb_and_point_at_kb_check() {
    ipsec_doctor(&["show", "sym-down", "--kb", "dangling-edge"])
        .cwd(fixtures().join("kb"))
        .run()
        .code(2)
        .stderr_has("error: `dangling-edge` has 2 problems; first: dangling-edge/kb.yaml:54:13")
        .stderr_has("hint: run `ipsec-doctor kb check --kb dangling-edge` to see every problem");
}

#[test]
fn kb_from_environment_variable() {
    ipsec_doctor(&["show", "sym-down"])
        .cwd(fixtures().join("kb"))
        .env("IPSEC_DOCTOR_KB", "valid-minimal")
        .run()
        .code(0)
        .stdout_has("The tunnel does not come up");
}

#[test]
fn graph_exports() {
    let out = ipsec_doctor(&["kb", "graph", "--format", "json"])
        .run()
        .code(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let nodes = v["nodes"].as_array().unwrap();
    let edges = v["edges"].as_array().unwrap();
    assert!(nodes
        .iter()
        .any(|n| n["id"] == "err-invalid-spi" && n["kind"] == "error"));
    assert!(edges.iter().any(|e| e["from"] == "err-invalid-spi"
        && e["to"] == "cause-sa-out-of-sync"
        && e["kind"] == "cause"));
    ipsec_doctor(&["kb", "graph"])
        .run()
        .code(0)
        .stdout_has("digraph ipsec_doctor {")
        .stdout_has("\"sym-tunnel-not-established\" -> \"q-isakmp-sa-state\" [label=\"next\"];");
}

#[test]
fn usage_errors_exit_2() {
    ipsec_doctor(&["kb", "graph", "--format", "png"])
        .run()
        .code(2)
        .stderr_has("invalid value 'png'");
    ipsec_doctor(&["frobnicate"]).run().code(2);
}
