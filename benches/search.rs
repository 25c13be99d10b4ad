//! Search benchmark: index build and query latency in process, and the whole
//! `ipsec-doctor search` process (index build included), on the embedded knowledge base.
//!
//! Run with `cargo bench --bench search`. Targets (issue #3): whole process median under
//! 30 ms on the 2-core reference machine; in-process query under 1 ms.

use ipsec_doctor::kb::{Kb, KbSource, Kind, Node};
use ipsec_doctor::search::Searcher;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let kb = Kb::open(&KbSource::Embedded).expect("embedded kb");
    let opens: Vec<Duration> = (0..20)
        .map(|_| {
            let t = Instant::now();
            Kb::open(&KbSource::Embedded).unwrap();
            t.elapsed()
        })
        .collect();
    println!("open + validate kb:          median {:.2?}", median(opens));
    let builds: Vec<Duration> = (0..20)
        .map(|_| {
            let t = Instant::now();
            Searcher::new(&kb).unwrap();
            t.elapsed()
        })
        .collect();
    println!("build search index:          median {:.2?}", median(builds));

    let searcher = Searcher::new(&kb).unwrap();
    let mut queries: Vec<String> = kb
        .nodes_of(Kind::Error)
        .flat_map(|n| match n {
            Node::Error(e) => e.examples.iter().map(|x| x.text.clone()).collect(),
            _ => Vec::new(),
        })
        .collect();
    queries.extend(
        [
            "vpn users cannot browse the internet",
            "phase 1 policy mismatch",
            "分割隧道",
            "预共享密钥不匹配",
            "%LINK-3-UPDOWN: Interface Gi0/1, changed state to up",
        ]
        .map(String::from),
    );
    let _ = searcher.search(&queries[0], 5); // warm up
    let mut times = Vec::new();
    for _ in 0..20 {
        for q in &queries {
            let t = Instant::now();
            std::hint::black_box(searcher.search(q, 5));
            times.push(t.elapsed());
        }
    }
    let n = times.len();
    let mut sorted = times.clone();
    sorted.sort();
    println!(
        "query (in process, {} queries): median {:.0?}, p90 {:.0?}, max {:.0?}",
        n,
        sorted[n / 2],
        sorted[n * 9 / 10],
        sorted[n - 1]
    );

    let exe = env!("CARGO_BIN_EXE_ipsec-doctor");
    let line = "*Mar  1 00:12:34.567: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=3";
    let runs: Vec<Duration> = (0..30)
        .map(|_| {
            let t = Instant::now();
            let status = Command::new(exe)
                .args(["search", line])
                .stdout(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
            t.elapsed()
        })
        .collect();
    println!(
        "whole `ipsec-doctor search` process: median {:.2?}",
        median(runs)
    );
}
