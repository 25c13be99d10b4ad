//! `kb check` benchmark: validating generated knowledge bases whose size would expose any
//! check that grows faster than the graph (issue 9, item 3), and refusing a file nested
//! 100,000 levels deep.
//!
//! Run with `cargo bench --bench kb_check`. Target: a 10,000-question chain (one symptom,
//! each question's answers leading to the next question or to the one cause) loaded and
//! validated in under 0.5 s, in process and as a whole `ipsec-doctor kb check` process;
//! it took 13 s for 20,000 questions when validation was quadratic. It prints medians and
//! asserts nothing, so a slow machine gives figures rather than a failure.

use ipsec_doctor::kb::{Kb, KbSource};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    f(); // warm up
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

/// The chain the integration tests generate, from the same file.
#[path = "../tests/support/chain.rs"]
mod chain;
use chain::write_chain;

fn main() {
    let exe = env!("CARGO_BIN_EXE_ipsec-doctor");
    let tmp = tempfile::tempdir().unwrap();
    for n in [10_000, 20_000] {
        let dir = tmp.path().join(format!("chain-{n}"));
        write_chain(&dir, n);
        let source = KbSource::Dir(dir.clone());
        let m = median(10, || {
            let (kb, problems) = Kb::check(&source).unwrap();
            assert!(
                kb.is_some() && problems.is_empty(),
                "{:?}",
                problems.first()
            );
        });
        println!("{n}-question chain: load + validate (in process): median {m:.2?}");
        let m = median(10, || {
            let status = Command::new(exe)
                .args(["kb", "check", "--kb"])
                .arg(&dir)
                .stdout(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
        });
        println!(
            "{n}-question chain: `ipsec-doctor kb check --kb DIR` (whole process): median {m:.2?}"
        );
    }

    let deep = tmp.path().join("deep");
    std::fs::create_dir(&deep).unwrap();
    std::fs::write(
        deep.join("kb.yaml"),
        format!("sections: {}", "[".repeat(100_000)),
    )
    .unwrap();
    let source = KbSource::Dir(deep);
    let m = median(20, || {
        let (kb, problems) = Kb::check(&source).unwrap();
        assert!(kb.is_none() && problems.len() == 1);
    });
    println!("100,000 levels of `[` refused (in process): median {m:.2?}");
}
