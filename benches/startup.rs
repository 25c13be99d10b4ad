//! Startup benchmark: how long loading and validating the embedded knowledge base takes in
//! process, generating both runbooks, and a whole `ipsec-doctor show` process.
//!
//! Run with `cargo bench --bench startup`. Prints medians and 90th percentiles; it asserts
//! nothing, so a slow machine gives figures rather than a failure.

use ipsec_doctor::kb::{Kb, KbSource};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn stats(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let median = samples[samples.len() / 2];
    let p90 = samples[samples.len() * 9 / 10];
    (median, p90)
}

fn time<F: FnMut()>(runs: usize, mut f: F) -> (Duration, Duration) {
    f(); // warm up
    stats(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let (m, p) = time(50, || {
        let (kb, problems) = Kb::check(&KbSource::Embedded).unwrap();
        assert!(kb.is_some() && problems.is_empty());
    });
    println!("load + validate embedded kb (in process): median {m:.2?}, p90 {p:.2?}");

    let kb = Kb::open(&KbSource::Embedded).unwrap();
    let (m, p) = time(20, || {
        for lang in [ipsec_doctor::kb::Lang::En, ipsec_doctor::kb::Lang::Zh] {
            std::hint::black_box(ipsec_doctor::book::generate(&kb, lang));
        }
    });
    println!("generate both runbooks (in process, no writing): median {m:.2?}, p90 {p:.2?}");

    let exe = env!("CARGO_BIN_EXE_ipsec-doctor");
    let (m, p) = time(30, || {
        let status = Command::new(exe)
            .args(["show", "err-invalid-spi"])
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    });
    println!("`ipsec-doctor show err-invalid-spi` (whole process): median {m:.2?}, p90 {p:.2?}");
}
