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
use std::fmt::Write as _;
use std::path::Path;
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

/// The chain the integration tests generate (tests/integration/kb_check.rs): 1,000
/// questions to a file, each file well under the 4 MiB limit.
fn write_chain(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("base.yaml"),
        "\
sections:
  - id: sec-one
    heading: One
    title: { en: One, zh: 第一节 }
symptoms:
  - id: sym-start
    title: { en: Start, zh: 开始 }
    summary: { en: Where the chain starts., zh: 链的起点。 }
    source: [sec-one]
    next: q-1
causes:
  - id: cause-end
    title: { en: The end of the chain, zh: 链的终点 }
    summary: { en: Where every answer leads., zh: 每个回答都通向这里。 }
    source: [sec-one]
    evidence:
      - { en: The chain ends., zh: 链结束了。 }
    fixes: [fix-end]
fixes:
  - id: fix-end
    title: { en: Nothing to fix, zh: 无需修复 }
    summary: { en: A placeholder fix., zh: 占位修复。 }
    source: [sec-one]
    actions:
      - platform: ios
        config: |
          crypto isakmp policy 10
",
    )
    .unwrap();
    for first in (1..=n).step_by(1000) {
        let mut text = String::from("questions:\n");
        for i in first..(first + 1000).min(n + 1) {
            let next = if i < n {
                format!("q-{}", i + 1)
            } else {
                "cause-end".to_string()
            };
            write!(
                text,
                "  - id: q-{i}
    title: {{ en: Step {i}?, zh: 第 {i} 步？ }}
    summary: {{ en: One more step., zh: 又一步。 }}
    source: [sec-one]
    answers:
      - id: go
        label: {{ en: Go on, zh: 继续 }}
        next: {next}
      - id: stop
        label: {{ en: Stop, zh: 停止 }}
        next: cause-end
"
            )
            .unwrap();
        }
        std::fs::write(dir.join(format!("q{first:06}.yaml")), text).unwrap();
    }
}

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
