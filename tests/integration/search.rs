//! `ipsec-doctor search`: the seed's own lines and their variants, the issue's examples,
//! held-out sets written by someone who never saw the implementation, and the JSON contract.

use crate::util::{all_passed, fixtures, ipsec_doctor};
use ipsec_doctor::kb::{Kb, KbSource, Kind, Node};
use ipsec_doctor::search::normalize::Normalizer;
use ipsec_doctor::search::Searcher;

fn kb() -> Kb {
    Kb::open(&KbSource::Embedded).unwrap_or_else(|e| panic!("{e}"))
}

/// Realistic variants of a device line: another syslog prefix, other addresses and
/// numbers, and the line wrapped in two.
fn variants(line: &str) -> Vec<String> {
    let n = Normalizer::new();
    let bare = n.strip_prefix(line).to_string();
    let mut out = vec![
        line.to_string(),
        format!("*Mar  1 00:12:34.567: {bare}"),
        format!("<166>Nov 28 2026 10:01:02 vpn-gw1 : {bare}"),
        format!("000412: Dec 11 09:15:32.116 UTC: {bare}"),
    ];
    // Other values: every address and number changes, mnemonics keep their digits.
    let mut changed = String::new();
    let mut rest = bare.as_str();
    while !rest.is_empty() {
        match n
            .mnemonics(rest)
            .first()
            .and_then(|m| rest.find(m).map(|at| (at, m.len())))
        {
            Some((at, len)) => {
                changed.push_str(&renumber(&rest[..at]));
                changed.push_str(&rest[at..at + len]);
                rest = &rest[at + len..];
            }
            None => {
                changed.push_str(&renumber(rest));
                rest = "";
            }
        }
    }
    out.push(format!("Jun  9 03:14:15 branch-rtr 88: {changed}"));
    // Wrapped at the middle space, as a terminal or a mail client would.
    let words: Vec<&str> = bare.split(' ').collect();
    if words.len() >= 4 {
        let mid = words.len() / 2;
        out.push(format!(
            "{}\n    {}",
            words[..mid].join(" "),
            words[mid..].join(" ")
        ));
    }
    out
}

/// Change what varies between devices and events, and only that: addresses, `=` values,
/// hex values, ISAKMP connection tags. ("phase 1" stays "phase 1".)
fn renumber(s: &str) -> String {
    let shift = |digits: &str| -> String {
        digits
            .chars()
            .map(|c| {
                c.to_digit(10)
                    .map_or(c, |d| char::from_digit((d + 7) % 10, 10).unwrap())
            })
            .collect()
    };
    let ip = regex::Regex::new(r"\b\d{1,3}(?:\.\d{1,3}){3}\b").unwrap();
    let value = regex::Regex::new(r"(=\s*|\(\d+:|0x)([0-9A-Fa-f]+)").unwrap();
    let s = ip.replace_all(s, |c: &regex::Captures| {
        c[0].split('.')
            .map(|o| ((o.parse::<u32>().unwrap_or(0) + 41) % 250 + 1).to_string())
            .collect::<Vec<_>>()
            .join(".")
    });
    value
        .replace_all(&s, |c: &regex::Captures| {
            format!("{}{}", &c[1], shift(&c[2]))
        })
        .into_owned()
}

#[test]
fn every_seed_line_finds_its_error_with_variants() {
    let kb = kb();
    let searcher = Searcher::new(&kb).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for node in kb.nodes_of(Kind::Error) {
        let Node::Error(e) = node else { unreachable!() };
        for example in e.examples.iter().filter(|x| x.origin.starts_with("seed")) {
            let variants = variants(&example.text);
            assert!(variants.len() >= 4, "{}: too few variants", e.id);
            for query in variants {
                checked += 1;
                let outcome = searcher.search(&query, 5);
                match outcome.best() {
                    Some(hit) if hit.id == e.id => {}
                    other => failures.push(format!(
                        "{} ← {query:?}: got {:?}",
                        e.id,
                        other.map(|h| &h.id)
                    )),
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} queries");
    assert!(
        failures.is_empty(),
        "{} of {checked} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// (line number, expected ID or `-`, query) rows of a fixture file; `\n` in a query is a
/// line break.
fn rows(name: &str) -> Vec<(usize, String, String)> {
    let text = std::fs::read_to_string(fixtures().join("search").join(name)).unwrap();
    text.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let (expected, query) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("{name}:{}: no tab in {l:?}", i + 1));
            (i + 1, expected.to_string(), query.replace("\\n", "\n"))
        })
        .collect()
}

/// How a set of queries fared: right answers on positives (an expected ID) and on
/// negatives (`-`: no confident match), and every miss as `file:line: …`.
#[derive(Debug, PartialEq, Eq)]
struct Score {
    positives: (usize, usize),
    negatives: (usize, usize),
    /// The line numbers of the queries answered wrongly.
    missed: Vec<usize>,
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pct = |(ok, n): (usize, usize)| ok as f64 * 100.0 / n.max(1) as f64;
        write!(
            f,
            "positives {}/{} ({:.1}%), negatives {}/{} ({:.1}%), misses at lines {:?}",
            self.positives.0,
            self.positives.1,
            pct(self.positives),
            self.negatives.0,
            self.negatives.1,
            pct(self.negatives),
            self.missed
        )
    }
}

fn score(searcher: &Searcher<'_>, name: &str) -> (Score, Vec<String>) {
    let mut s = Score {
        positives: (0, 0),
        negatives: (0, 0),
        missed: Vec::new(),
    };
    let mut misses = Vec::new();
    for (line, expected, query) in rows(name) {
        let got = searcher
            .search(&query, 5)
            .best()
            .map(|h| h.id.clone())
            .unwrap_or_else(|| "-".into());
        let tally = if expected == "-" {
            &mut s.negatives
        } else {
            &mut s.positives
        };
        tally.1 += 1;
        if got == expected {
            tally.0 += 1;
        } else {
            s.missed.push(line);
            misses.push(format!(
                "{name}:{line}: expected {expected}, got {got}: {query:?}"
            ));
        }
    }
    (s, misses)
}

#[test]
fn the_issue_examples_are_answered_exactly() {
    let kb = kb();
    let searcher = Searcher::new(&kb).unwrap();
    let (s, misses) = score(&searcher, "issue-examples.tsv");
    all_passed("issue examples", s.positives.1 + s.negatives.1, &misses);
}

/// Regression guards on held-out sets, each written without sight of the implementation.
/// First contact (measured before the set prompted any change): set 2, 84.3% / 100%; set
/// 3, 88.1% / 95%; set 4 (issue 13, today's forms), 68.5% / 90.7%; set 5, 82.8% / 97.4%;
/// set 6, 89.2% / 97.4%; set 7, 81.3% / 86.0%; set 8, 88.5% / 95.1%; set 9, 95.4% /
/// 85.7%; set 10, 91.8% / 92.9%; set 11, 94.9% / 92.9%; set 12, 89.1% / 95.2%; set 13,
/// 89.9% / 90.2%; set 14 (the newest, not tuned on), 89.9% / 80.5% (positives /
/// negatives). Sets 1 to 13 have informed tuning since; tuning on set 14 makes the next
/// measurement need a set 15. The figures are exact, and so is the list of
/// misses: a regression fails, and so does an improvement until its new figures are
/// written here, on purpose.
#[test]
fn held_out_sets_score_exactly_as_recorded() {
    let kb = kb();
    let searcher = Searcher::new(&kb).unwrap();
    let recorded = |positives, negatives, missed: &[usize]| Score {
        positives,
        negatives,
        missed: missed.to_vec(),
    };
    let sets = [
        (
            "heldout-1.tsv",
            recorded((127, 130), (30, 30), &[20, 70, 81]),
        ),
        (
            "heldout-2.tsv",
            recorded((98, 102), (20, 20), &[15, 58, 63, 96]),
        ),
        (
            "heldout-3.tsv",
            recorded((79, 84), (20, 20), &[40, 41, 72, 74, 76]),
        ),
        (
            "heldout-4.tsv",
            recorded(
                (114, 146),
                (42, 43),
                &[
                    13, 14, 15, 16, 17, 23, 27, 28, 29, 30, 31, 39, 40, 45, 49, 51, 52, 65, 66, 69,
                    70, 73, 74, 75, 98, 99, 100, 113, 114, 118, 129, 132, 186,
                ],
            ),
        ),
        (
            "heldout-5.tsv",
            recorded((121, 128), (39, 39), &[28, 57, 58, 59, 62, 74, 78]),
        ),
        (
            "heldout-6.tsv",
            recorded((111, 120), (38, 38), &[24, 36, 71, 76, 80, 87, 88, 89, 91]),
        ),
        (
            "heldout-7.tsv",
            recorded((129, 134), (42, 43), &[60, 98, 106, 109, 115, 148]),
        ),
        (
            "heldout-8.tsv",
            recorded((126, 131), (41, 41), &[55, 58, 79, 82, 106]),
        ),
        (
            "heldout-9.tsv",
            recorded((125, 131), (40, 42), &[48, 50, 56, 85, 104, 113, 162, 166]),
        ),
        (
            "heldout-10.tsv",
            recorded((127, 134), (42, 42), &[5, 39, 52, 59, 62, 66, 82]),
        ),
        (
            "heldout-11.tsv",
            recorded((130, 137), (41, 42), &[55, 56, 58, 63, 106, 108, 110, 175]),
        ),
        (
            "heldout-12.tsv",
            recorded(
                (129, 138),
                (41, 42),
                &[23, 43, 48, 54, 73, 79, 85, 112, 113, 171],
            ),
        ),
        (
            "heldout-13.tsv",
            recorded(
                (131, 139),
                (39, 41),
                &[62, 64, 65, 66, 70, 91, 111, 116, 174, 176],
            ),
        ),
        (
            "heldout-14.tsv",
            recorded(
                (125, 139),
                (33, 41),
                &[
                    45, 61, 66, 70, 71, 76, 92, 94, 95, 103, 107, 111, 118, 119, 152, 164, 169,
                    170, 174, 177, 178, 181,
                ],
            ),
        ),
    ];
    let mut failures = Vec::new();
    for (name, want) in &sets {
        let (got, misses) = score(&searcher, name);
        eprintln!("{name}: {got}");
        if got != *want {
            failures.push(format!(
                "{name}: {got}\n  recorded: {want}\n  {}",
                misses.join("\n  ")
            ));
        }
    }
    all_passed("held-out sets", sets.len(), &failures);
}

#[test]
fn json_contract() {
    let out = ipsec_doctor(&["search", "--json", "*Mar  1 00:12:34.567: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=3"])
        .run()
        .code(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(v["query"].as_str().unwrap().contains("replay check failed"));
    let results = v["results"].as_array().unwrap();
    assert!(!results.is_empty() && results.len() <= 5);
    let first = &results[0];
    assert_eq!(first["id"], "err-replay-check-failed");
    assert_eq!(first["kind"], "error");
    assert_eq!(first["confident"], true);
    assert!(first["title"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("replay"));
    assert!(first["matched"].as_str().unwrap().contains("signature"));
    let scores: Vec<f64> = results
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "not sorted: {scores:?}"
    );
    for r in results {
        for key in ["id", "kind", "title", "score", "confident", "matched"] {
            assert!(r.get(key).is_some(), "missing {key}: {r}");
        }
    }
}

/// Scores are printed rounded to three decimals (issue 10: `27.152000427246094`, an `f32`
/// widened to `f64` after rounding). Read from the JSON text itself: a parsed `f64` would
/// hide how it was printed.
#[test]
fn json_score_is_rounded_to_three_decimals() {
    let score = regex::Regex::new(r#""score":\s*(-?[0-9][0-9.eE+-]*)"#).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for query in [
        "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=3",
        "vpn users cannot browse the internet",
        "预共享密钥不匹配",
        "phase 1 proposal mismatch",
    ] {
        let out = ipsec_doctor(&["search", "--json", query]).run();
        for c in score.captures_iter(&out.stdout) {
            checked += 1;
            let printed = &c[1];
            let decimals = printed.split_once('.').map_or(0, |(_, d)| d.len());
            if decimals > 3 || printed.contains(['e', 'E']) {
                failures.push(format!("{query:?}: score {printed}"));
            }
        }
    }
    all_passed("scores", checked, &failures);
}

#[test]
fn unrelated_line_is_no_confident_match_and_exits_1() {
    let out = ipsec_doctor(&[
        "search",
        "--json",
        "%LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down",
    ])
    .run()
    .code(1);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(v["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["confident"] == false));
    ipsec_doctor(&["search", "how do I configure OSPF"])
        .run()
        .code(1)
        .stdout_has("No confident match.");
}

#[test]
fn a_paste_with_several_errors_lists_them_all() {
    let paste = "\
Sep 22 11:02:39 203.0.113.16 2435: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=2
1d00h:%CRPTO-4-IKMP_BAD_MESSAGE: IKE message from 198.51.100.1 failed its
sanity check or is malformed
Sep 22 11:02:41 203.0.113.16 2436: %LINK-3-UPDOWN: Interface Serial0/0, changed state to up
";
    let out = ipsec_doctor(&["search", "--json"])
        .stdin(paste)
        .run()
        .code(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let confident: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["confident"] == true)
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(
        confident.contains(&"err-replay-check-failed"),
        "{confident:?}"
    );
    assert!(
        confident.contains(&"err-ike-sanity-check-failed"),
        "{confident:?}"
    );
    let wrapped = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "err-ike-sanity-check-failed")
        .unwrap();
    assert_eq!(
        wrapped["lines"],
        serde_json::json!([2, 3]),
        "the wrapped message spans lines 2-3"
    );
    assert!(
        !confident.iter().any(|id| !id.starts_with("err-")),
        "{confident:?}"
    );
}

#[test]
fn text_report_summarises_causes_and_fixes() {
    ipsec_doctor(&[
        "search",
        "IKE message from 192.0.2.9 failed its sanity check or is malformed",
    ])
    .run()
    .code(0)
    .stdout_has("Cause:")
    .stdout_has("(cause-psk-mismatch)")
    .stdout_has("Fix:")
    .stdout_has("ipsec-doctor show err-ike-sanity-check-failed");
    ipsec_doctor(&["search", "--lang", "zh", "分割隧道"])
        .run()
        .code(0)
        .stdout_has("修复：");
}

#[test]
fn limit_and_dash_for_stdin() {
    let out = ipsec_doctor(&["search", "--json", "--limit", "2", "-"])
        .stdin("split tunnel")
        .run()
        .code(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(v["results"].as_array().unwrap().len() <= 2);
}

#[test]
fn empty_query_is_an_error() {
    ipsec_doctor(&["search", "   "])
        .run()
        .code(2)
        .stderr_has("error: nothing to search")
        .stderr_has("hint:");
    ipsec_doctor(&["search"])
        .stdin("\n\n")
        .run()
        .code(2)
        .stderr_has("nothing to search");
}

#[test]
fn non_utf8_input_is_read_lossily() {
    let mut bytes =
        b"%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed \xff\xfe connection id=3".to_vec();
    bytes.push(b'\n');
    ipsec_doctor(&["search"])
        .stdin_bytes(bytes)
        .run()
        .code(0)
        .stdout_has("err-replay-check-failed");
}

/// Distinct lower-case words of seven letters: `i` times an odd multiplier prime to 13 is a
/// bijection modulo 26^7, so no word repeats, and neighbours look nothing alike.
fn distinct_word(i: u64) -> String {
    const SPACE: u64 = 26u64.pow(7);
    let mut v = i.wrapping_mul(2_654_435_761) % SPACE;
    (0..7)
        .map(|_| {
            let c = char::from(b'a' + (v % 26) as u8);
            v /= 26;
            c
        })
        .collect()
}

/// Regression for issue #9: every unknown word of a paste cost a spelling automaton, and a
/// mebibyte of distinct words took gigabytes. Now a paste that long is read by the
/// signatures only: no known error in it, no confident match.
#[test]
fn issue_9_a_mebibyte_of_distinct_words_is_no_confident_match() {
    let mut paste = String::new();
    for i in 0.. {
        let word = distinct_word(i);
        if paste.len() + word.len() + 1 > 1 << 20 {
            break;
        }
        paste.push_str(&word);
        paste.push(if i % 12 == 11 { '\n' } else { ' ' });
    }
    ipsec_doctor(&["search"])
        .stdin(&paste)
        .run()
        .code(1)
        .stdout_has("No confident match.");
    // The same words on one line.
    ipsec_doctor(&["search"])
        .stdin(&paste.replace('\n', " "))
        .run()
        .code(1)
        .stdout_has("No confident match.");
}

/// Issue #9: a long paste is answered line by line. Two known errors among 2,000 lines of
/// ordinary firewall traffic (distinct addresses, ports and connection numbers) are both
/// found, each on its own line.
#[test]
fn issue_9_two_errors_among_two_thousand_noise_lines_are_found_on_their_lines() {
    let replay = "Jun  9 10:22:31.407: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=7, sequence number=88412";
    let qm_fsm = "Jun 9 2026 10:22:44 asa-edge : %ASA-3-713902: Group = 192.0.2.77, IP = 192.0.2.77, QM FSM error (P2 struct &0x7f2a1c08, mess id 0x1e9b44d2)!";
    let mut paste = String::new();
    for n in 1..=2002u32 {
        let (a, b, port) = (n % 250 + 1, n / 250 + 1, 1024 + n * 29 % 60_000);
        let line = match n {
            700 => replay.to_string(),
            1650 => qm_fsm.to_string(),
            _ if n % 3 == 0 => format!(
                "Jun 9 2026 10:{:02}:{:02} asa-edge : %ASA-6-302013: Built inbound TCP connection {} for outside:198.51.{b}.{a}/{port} (198.51.{b}.{a}/{port}) to inside:10.1.{a}.{b}/443 (203.0.113.{a}/443)",
                n % 60, n % 59, 100_000 + n
            ),
            _ if n % 3 == 1 => format!(
                "Jun 9 2026 10:{:02}:{:02} asa-edge : %ASA-6-302014: Teardown TCP connection {} for outside:198.51.{b}.{a}/{port} to inside:10.1.{a}.{b}/443 duration 0:00:{:02} bytes {} TCP FINs",
                n % 60, n % 59, 100_000 + n, n % 60, n * 37
            ),
            _ => format!(
                "Jun 9 2026 10:{:02}:{:02} asa-edge : %ASA-4-106023: Deny tcp src outside:198.51.{b}.{a}/{port} dst inside:10.1.{a}.{b}/23 by access-group \"OUTSIDE_IN\" [0x0, 0x0]",
                n % 60, n % 59
            ),
        };
        paste.push_str(&line);
        paste.push('\n');
    }
    let out = ipsec_doctor(&["search", "--json"])
        .stdin(&paste)
        .run()
        .code(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let confident: Vec<(&str, &serde_json::Value)> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["confident"] == true)
        .map(|r| (r["id"].as_str().unwrap(), &r["lines"]))
        .collect();
    assert_eq!(
        confident,
        [
            ("err-replay-check-failed", &serde_json::json!([700])),
            ("err-qm-fsm", &serde_json::json!([1650])),
        ],
        "{}",
        out.stdout.lines().take(40).collect::<Vec<_>>().join("\n")
    );
}

/// Issue #9: only a short text is ranked by its words. A question that is answered on its
/// own is still answered within the bounds, and a longer paste of the same words, which no
/// signature recognises, is no confident match (it is a log, not a question).
#[test]
fn issue_9_only_a_short_text_is_ranked_by_its_words() {
    use ipsec_doctor::search::{MAX_RANKED_BYTES, MAX_RANKED_LINES};
    let kb = kb();
    let searcher = Searcher::new(&kb).unwrap();
    let question = "vpn users can't browse the internet";
    let best = |text: &str| searcher.search(text, 5).best().map(|h| h.id.clone());
    let answer = Some("sym-cannot-browse-internet".to_string());
    assert_eq!(best(question), answer);
    let lines = |n: usize| vec![question; n].join("\n");
    assert!(lines(MAX_RANKED_LINES).len() <= MAX_RANKED_BYTES);
    assert_eq!(best(&lines(MAX_RANKED_LINES)), answer);
    assert_eq!(best(&lines(MAX_RANKED_LINES + 1)), None);
    // One line longer than the bound: the same.
    let long = format!("{question}{}", " internet".repeat(MAX_RANKED_BYTES / 9));
    assert!(long.len() > MAX_RANKED_BYTES);
    assert_eq!(best(&long), None);
    // A known error is found however long the paste.
    let error = "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=3";
    assert_eq!(
        best(&format!("{}\n{error}", lines(MAX_RANKED_LINES + 1))),
        Some("err-replay-check-failed".to_string())
    );
}

/// The bounds `search --help` states are the ones the search applies.
#[test]
fn issue_9_help_states_the_bounds() {
    use ipsec_doctor::search::{
        MAX_LOOSE_TERMS, MAX_QUERY_TERMS, MAX_RANKED_BYTES, MAX_RANKED_LINES,
    };
    let out = ipsec_doctor(&["search", "--help"]).run().code(0);
    let help = out.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    for bound in [
        format!("at most {MAX_RANKED_LINES} non-empty lines and {MAX_RANKED_BYTES} bytes"),
        format!("first {MAX_QUERY_TERMS} distinct words, at most {MAX_LOOSE_TERMS} of them"),
    ] {
        assert!(
            help.contains(&bound),
            "`search --help` lacks {bound:?}:\n{help}"
        );
    }
}

/// Issue 13: the answers that must be right whatever the ranking does.
#[test]
fn commands_healthy_messages_and_idioms_are_answered_as_such() {
    let first = |query: &str| -> serde_json::Value {
        let out = ipsec_doctor(&["search", "--json", query]).run();
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        v
    };
    // A command, abbreviated and with a prompt, is the command's entry.
    for q in [
        "sh cry isa sa",
        "ciscoasa# show crypto ikev1 sa",
        "what does show crypto ikev2 sa tell me",
        "show vpn-sessiondb detail l2l filter ipaddress 198.51.100.7",
    ] {
        let v = first(q);
        let r = &v["results"][0];
        assert!(r["confident"].as_bool().unwrap(), "{q}: {v}");
        assert!(r["id"].as_str().unwrap().starts_with("cmd-"), "{q}: {v}");
        assert!(r["why"].as_str().unwrap().contains("command"), "{q}: {v}");
    }
    // A healthy message is named as one, and nothing is confident; exit 1.
    let out = ipsec_doctor(&[
        "search",
        "--json",
        "%ASA-5-713120: Group = 198.51.100.24, IP = 198.51.100.24, PHASE 2 COMPLETED (msgid=033c8971)",
    ])
    .run()
    .code(1);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["informational"][0]["id"], "info-phase-completed", "{v}");
    assert!(v["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["confident"] == false));
    // Idioms match whole words only: "shanghai" holds no "hang".
    let v = first("shanghai office tunnel down");
    assert!(
        v["results"][0]["confident"] == false || v["results"][0]["id"] != "cause-psk-mismatch",
        "{v}"
    );
    // A Chinese question reaches the entry its English twin reaches.
    for (en, zh) in [
        ("pre-shared key mismatch", "预共享密钥不匹配"),
        ("pfs group mismatch", "PFS 组不匹配"),
    ] {
        let (e, z) = (first(en), first(zh));
        assert_eq!(e["results"][0]["id"], z["results"][0]["id"], "{en} / {zh}");
    }
}
