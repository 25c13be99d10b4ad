//! Search benchmark: index build and query latency in process, the whole
//! `ipsec-doctor search` process (index build included) on one line, and the whole process
//! on the largest pastes it accepts (1 MiB on standard input), on the embedded knowledge base.
//!
//! Run with `cargo bench --bench search`; `IPSEC_DOCTOR_BENCH_EXE=PATH` measures another
//! build of the binary in the whole-process cases (to compare before and after). Targets: whole process on one line, median under
//! 30 ms on the 2-core reference machine; in-process query under 1 ms (issue #3). A 1 MiB
//! paste of distinct words, and a ~1 MB ASA syslog, each under 1 s and 64 MB peak resident
//! memory (issue #9); the longest text ranked by its words, all of them unknown, in the
//! same few milliseconds as any query. It prints figures and asserts nothing, so a slow machine gives figures
//! rather than a failure.
//!
//! Peak memory is the child's `ru_maxrss` as reported by GNU time (`/usr/bin/time -f %M`,
//! which reads it from `wait4`): exact, and taken after the child has exited, so no late peak
//! is missed (polling `/proc/PID/status` for `VmHWM` can miss one, and `libc` is not a
//! dependency). Without GNU time (`apt-get install time`) only wall time is printed.

use ipsec_doctor::kb::{Kb, KbSource, Kind, Node};
use ipsec_doctor::search::{Searcher, MAX_RANKED_BYTES};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The largest paste `search` accepts on standard input.
const PASTE_LIMIT: usize = 1 << 20;
/// A run that takes longer than this is killed: a regression must not eat the machine
/// (before issue #9 a paste of distinct words passed 19 GB in 60 s).
const KILL_AFTER: Duration = Duration::from_secs(30);
const GNU_TIME: &str = "/usr/bin/time";

/// A small deterministic generator (xorshift64*), so every run measures the same input.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Up to 1 MiB of distinct random lower-case words, twelve to a line.
fn distinct_words() -> String {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut seen = HashSet::new();
    let mut out = String::with_capacity(PASTE_LIMIT);
    let mut on_line = 0;
    loop {
        let len = 5 + rng.below(6);
        let word: String = (0..len)
            .map(|_| char::from(b'a' + rng.below(26) as u8))
            .collect();
        if !seen.insert(word.clone()) {
            continue;
        }
        if out.len() + word.len() + 1 > PASTE_LIMIT {
            break;
        }
        out.push_str(&word);
        on_line += 1;
        out.push(if on_line % 12 == 0 { '\n' } else { ' ' });
    }
    out
}

/// About 1 MB of ASA syslog: connection build-up and teardown with the user's identity,
/// ACL denies naming hosts, and a few IPsec lines (two of them known errors). Addresses,
/// ports and connection numbers vary, and so do user and host names, which the normaliser
/// cannot mask: thousands of distinct words, as in a real firewall's log.
fn asa_syslog() -> String {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let name = |rng: &mut Rng| -> String {
        let len = 4 + rng.below(5);
        (0..len)
            .map(|_| char::from(b'a' + rng.below(26) as u8))
            .collect()
    };
    let users: Vec<String> = (0..3000).map(|_| name(&mut rng)).collect();
    let hosts: Vec<String> = (0..3000).map(|_| name(&mut rng)).collect();
    let mut out = String::with_capacity(PASTE_LIMIT);
    let mut conn = 1_000_000u64;
    let mut line = String::new();
    loop {
        line.clear();
        let (h, m, s) = (rng.below(24), rng.below(60), rng.below(60));
        let _ = write!(line, "Jun 9 2026 {h:02}:{m:02}:{s:02} asa-edge : ");
        let (o3, o4, i2, i3) = (
            1 + rng.below(254),
            1 + rng.below(254),
            rng.below(256),
            1 + rng.below(254),
        );
        let port = 1024 + rng.below(64_000);
        let user = &users[rng.below(users.len() as u64) as usize];
        let host = &hosts[rng.below(hosts.len() as u64) as usize];
        conn += 1 + rng.below(7);
        let _ = match rng.below(100) {
            0..=39 => write!(
                line,
                "%ASA-6-302013: Built inbound TCP connection {conn} for outside:198.51.{o3}.{o4}/{port} (198.51.{o3}.{o4}/{port})(LOCAL\\{user}) to inside:10.{i2}.{i3}.{o4}/443 (203.0.113.{i3}/443)"
            ),
            40..=79 => write!(
                line,
                "%ASA-6-302014: Teardown TCP connection {conn} for outside:198.51.{o3}.{o4}/{port}(LOCAL\\{user}) to inside:10.{i2}.{i3}.{o4}/443 duration 0:{m:02}:{s:02} bytes {} TCP FINs",
                rng.below(10_000_000)
            ),
            80..=96 => write!(
                line,
                "%ASA-4-106023: Deny tcp src outside:198.51.{o3}.{o4}/{port} dst inside:{host}/{} by access-group \"OUTSIDE_IN\" [0x{:x}, 0x0]",
                rng.below(1024),
                rng.next() >> 32
            ),
            97 => write!(
                line,
                "%ASA-5-713904: Group = {host}, Username = {user}, IP = 198.51.{o3}.{o4}, Received encrypted packet with no matching SA, dropping"
            ),
            98 => write!(
                line,
                "%ASA-3-713902: Group = 198.51.{o3}.{o4}, IP = 198.51.{o3}.{o4}, QM FSM error (P2 struct &0x{:x}, mess id 0x{:x})!",
                rng.next() >> 16,
                rng.next() >> 32
            ),
            _ => write!(
                line,
                "%ASA-3-713902: Group = 198.51.{o3}.{o4}, IP = 198.51.{o3}.{o4}, Removing peer from correlator table failed, no match!"
            ),
        };
        line.push('\n');
        if out.len() + line.len() > PASTE_LIMIT {
            break;
        }
        out.push_str(&line);
    }
    out
}

/// One whole `ipsec-doctor search` run on `input` as standard input: exit code, wall time,
/// peak resident memory in KiB (when GNU time is there), or `None` when it was killed.
fn run_on(exe: &str, input: &Path, gnu_time: bool) -> Option<(i32, Duration, Option<u64>)> {
    let mut cmd = if gnu_time {
        let mut c = Command::new(GNU_TIME);
        c.args(["-f", "%M", exe]);
        c
    } else {
        Command::new(exe)
    };
    // Its own process group, so that a run over time is killed with GNU time's child.
    cmd.process_group(0);
    let start = Instant::now();
    let mut child = cmd
        .args(["search", "-"])
        .stdin(std::fs::File::open(input).expect("bench input"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start ipsec-doctor");
    loop {
        if child.try_wait().expect("wait for ipsec-doctor").is_some() {
            break;
        }
        if start.elapsed() > KILL_AFTER {
            // Killing GNU time alone would leave the search running: kill the group.
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let elapsed = start.elapsed();
    let output = child.wait_with_output().expect("ipsec-doctor output");
    let code = output.status.code().unwrap_or(-1);
    let rss = gnu_time
        .then(|| {
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .and_then(|l| l.trim().parse().ok())
        })
        .flatten();
    Some((code, elapsed, rss))
}

fn large_pastes(exe: &str, searcher: &Searcher<'_>) {
    let gnu_time = Path::new(GNU_TIME).is_file();
    if !gnu_time {
        println!("(peak memory needs GNU time at {GNU_TIME}: apt-get install time)");
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    for (name, text, expected) in [
        ("1 MiB of distinct words", distinct_words(), 1),
        ("~1 MB ASA syslog", asa_syslog(), 0),
    ] {
        let t = Instant::now();
        std::hint::black_box(searcher.search(&text, 5));
        println!("search (in process), {name}: {:.0?}", t.elapsed());
        let path = dir.path().join("paste.txt");
        std::fs::write(&path, &text).expect("write bench input");
        let lines = text.lines().count();
        let what = format!(
            "whole process, {name} ({} bytes, {lines} lines)",
            text.len()
        );
        let mut times = Vec::new();
        let mut peak = None::<u64>;
        for _ in 0..3 {
            match run_on(exe, &path, gnu_time) {
                Some((code, elapsed, rss)) if code == expected => {
                    times.push(elapsed);
                    peak = peak.max(rss);
                }
                Some((code, elapsed, _)) => {
                    println!("{what}: exit {code} after {elapsed:.0?}, expected {expected}");
                    break;
                }
                None => {
                    println!("{what}: killed after {KILL_AFTER:?}");
                    break;
                }
            }
        }
        if times.len() < 3 {
            continue;
        }
        let memory = peak.map_or("n/a".to_string(), |kib| {
            format!("{:.1} MB", kib as f64 * 1024.0 / 1e6)
        });
        println!(
            "{what}, exit {expected}: median {:.2?}, peak RSS {memory}",
            median(times)
        );
    }
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
    println!(
        "open kb (embedded: parsed, not revalidated): median {:.2?}",
        median(opens)
    );
    let builds: Vec<Duration> = (0..20)
        .map(|_| {
            let t = Instant::now();
            Searcher::new(&kb).unwrap();
            t.elapsed()
        })
        .collect();
    println!("build search index:          median {:.2?}", median(builds));
    let builds: Vec<Duration> = (0..20)
        .map(|_| {
            let t = Instant::now();
            Searcher::for_text(&kb, "replay check failed").unwrap();
            t.elapsed()
        })
        .collect();
    println!(
        "build search index, English query (no Chinese part): median {:.2?}",
        median(builds)
    );

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

    // The costliest short text: as long as is ranked, every word unknown (each may match
    // loosely, up to the bound).
    let mut unknown = String::new();
    let mut rng = Rng(42);
    while unknown.len() < MAX_RANKED_BYTES - 12 {
        for _ in 0..(5 + rng.below(6)) {
            unknown.push(char::from(b'a' + rng.below(26) as u8));
        }
        unknown.push(' ');
    }
    let _ = searcher.search(&unknown, 5); // warm up
    let runs: Vec<Duration> = (0..50)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(searcher.search(&unknown, 5));
            t.elapsed()
        })
        .collect();
    println!(
        "query of {} bytes of unknown words (in process): median {:.0?}",
        unknown.len(),
        median(runs)
    );

    // Another build of the binary (an older one, to compare) may be measured instead.
    let exe = std::env::var("IPSEC_DOCTOR_BENCH_EXE")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_ipsec-doctor").to_string());
    let exe = exe.as_str();
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

    large_pastes(exe, &searcher);
}
