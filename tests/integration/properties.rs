//! Property tests: arbitrary bytes and text through the scanner, the normaliser, the show
//! and debug parsers, diagnose and search, where nothing may panic; and invariants that
//! tie them together (issue 10): diagnose counts every known error line among random
//! noise exactly, a line search answers by a signature is a line diagnose finds, and
//! redaction removes every random secret from every form of the secrets matrix.

use ipsec_doctor::diagnose::negotiation::Negotiations;
use ipsec_doctor::diagnose::scan::Scanner;
use ipsec_doctor::diagnose::{Diagnoser, Input};
use ipsec_doctor::evidence::ipsec_sa;
use ipsec_doctor::kb::{Kb, KbSource, Kind, Node};
use ipsec_doctor::redact::Redactor;
use ipsec_doctor::search::normalize::Normalizer;
use ipsec_doctor::search::Searcher;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

fn kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(|| Kb::open(&KbSource::Embedded).unwrap())
}

/// Built once for all cases: compiling them is what costs, not running them.
fn diagnoser() -> &'static Diagnoser<'static> {
    static D: OnceLock<Diagnoser<'static>> = OnceLock::new();
    D.get_or_init(|| Diagnoser::new(kb()).unwrap())
}

fn redactor() -> &'static Redactor {
    static R: OnceLock<Redactor> = OnceLock::new();
    R.get_or_init(Redactor::new)
}

fn searcher() -> &'static Searcher<'static> {
    static S: OnceLock<Searcher<'static>> = OnceLock::new();
    S.get_or_init(|| Searcher::new(kb()).unwrap())
}

/// Bytes that look like logs often enough to exercise the matching paths.
fn loggy_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        any::<u8>().prop_map(|b| vec![b]),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"MM_KEY_EXCH".to_vec()),
        Just(b"replay check failed".to_vec()),
        Just(b"#pkts encaps: 5, #pkts decaps: 0".to_vec()),
        Just(b"Checking ISAKMP transform 1 against priority 1 policy".to_vec()),
        Just(b"atts are acceptable".to_vec()),
    ];
    prop::collection::vec(piece, 0..400).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn scanner_counts_lines_exactly(input in loggy_bytes()) {
        let scanner = Scanner::new(&["MM_KEY_EXCH".to_string(), "(?i)replay check failed".to_string()]).unwrap();
        let mut numbers = Vec::new();
        let lines = scanner.scan(&input[..], 1, |h| {
            assert!(!h.text.contains(&b'\n') && !h.text.contains(&b'\r'));
            numbers.push(h.number);
        }, |_| {}).unwrap();
        // Several threads see the same lines.
        let mut threaded = Vec::new();
        let lines_threaded = scanner.scan(&input[..], 3, |h| threaded.push(h.number), |_| {}).unwrap();
        prop_assert_eq!(lines_threaded, lines);
        prop_assert_eq!(&threaded, &numbers);
        // LF, CRLF and a lone CR each end a line (issue 9), as for every other reader.
        let expected = ipsec_doctor::evidence::lines(&String::from_utf8_lossy(&input)).count() as u64;
        prop_assert_eq!(lines, expected);
        prop_assert!(numbers.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(numbers.iter().all(|n| *n >= 1 && *n <= lines));
    }

    #[test]
    fn normaliser_never_panics(text in "\\PC{0,300}") {
        let n = Normalizer::new();
        let out = n.normalize_line(&text);
        prop_assert!(!out.contains('\n'));
        let _ = n.normalize(&text);
    }

    #[test]
    fn parsers_never_panic(text in "\\PC{0,300}", lines in prop::collection::vec("\\PC{0,80}", 0..30)) {
        let _ = ipsec_sa::Parser::new().verdict(&text);
        let mut n: Negotiations = Negotiations::new();
        for (i, l) in lines.iter().enumerate() {
            let _ = n.feed(i as u64 + 1, l);
        }
    }

    #[test]
    fn diagnose_takes_anything(input in loggy_bytes()) {
        let report = diagnoser().run(vec![Input { name: "x".into(), reader: Box::new(&input[..]) }], |_, _| {}).unwrap();
        for f in &report.findings {
            prop_assert!(f.first.line <= report.lines);
        }
    }
}

proptest! {
    // Each unknown word of random text costs search a fuzzy automaton: fewer, shorter cases.
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn search_takes_anything(input in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = searcher().search(&String::from_utf8_lossy(&input), 5);
    }
}

// ---- invariants ----------------------------------------------------------------------

/// Diagnose one text as `<stdin>` would be.
fn diagnose(text: &str) -> ipsec_doctor::diagnose::Report {
    diagnoser()
        .run(
            vec![Input {
                name: "x".into(),
                reader: Box::new(text.as_bytes()),
            }],
            |_, _| {},
        )
        .unwrap()
}

/// Every example line of every knowledge-base error, on one line as a device logs it.
fn error_examples() -> &'static [(String, String)] {
    static EXAMPLES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        kb().nodes_of(Kind::Error)
            .flat_map(|node| {
                let Node::Error(e) = node else { unreachable!() };
                e.examples.iter().map(|x| {
                    let line = x.text.split_whitespace().collect::<Vec<_>>().join(" ");
                    (e.id.clone(), line)
                })
            })
            .collect()
    })
}

/// The error lines whose count cannot depend on their neighbours: alone, each is exactly
/// one finding of its own error, and it is no line of a negotiation or of `show crypto
/// ipsec sa` (whose meaning depends on the lines around it).
fn standalone_error_lines() -> &'static [(String, String)] {
    static LINES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    LINES.get_or_init(|| {
        let stateful = regex::RegexSet::new(
            ipsec_doctor::diagnose::negotiation::TRIGGERS
                .iter()
                .chain(ipsec_doctor::evidence::ipsec_sa::TRIGGERS),
        )
        .unwrap();
        // A `show crypto isakmp sa` row is a peer's state, superseded by the peer's later
        // row: diagnose counts it per peer, not per line (issue 11).
        let row =
            regex::Regex::new(r"(?:\d{1,3}\.){3}\d{1,3}\s+(?:\d{1,3}\.){3}\d{1,3}\s+(?:MM|QM|AM)_")
                .unwrap();
        let lines: Vec<(String, String)> = error_examples()
            .iter()
            .filter(|(id, line)| {
                let report = diagnose(line);
                !stateful.is_match(line)
                    && !row.is_match(line)
                    && report.findings.len() == 1
                    && report.findings[0].id == *id
                    && report.findings[0].count == 1
            })
            .cloned()
            .collect();
        // Every error has such a line but those that only negotiation debug prints, which
        // diagnose judges by the negotiation's outcome: the property covers all the others.
        let covered: BTreeSet<&str> = lines.iter().map(|(id, _)| id.as_str()).collect();
        let uncovered: BTreeSet<&str> = kb()
            .nodes_of(Kind::Error)
            .map(|n| n.id())
            .filter(|id| !covered.contains(id))
            .collect();
        assert_eq!(
            uncovered,
            NEGOTIATION_ONLY.iter().chain(ROW_ONLY).copied().collect(),
            "errors without a standalone line"
        );
        lines
    })
}

/// The errors whose every example is a row of a `show crypto isakmp sa` table.
/// (`err-main-mode-failed`: rows and negotiation lines.)
const ROW_ONLY: &[&str] = &["err-main-mode-failed", "err-mm-key-exch"];

/// The errors whose every example is a line of an IKE negotiation.
const NEGOTIATION_ONLY: &[&str] = &[
    "err-all-ipsec-proposals-unacceptable",
    "err-transform-proposal-not-supported",
];

/// Whether diagnose would look at a line at all: its scanner's patterns.
fn scanned() -> &'static regex::RegexSet {
    static SET: OnceLock<regex::RegexSet> = OnceLock::new();
    SET.get_or_init(|| regex::RegexSet::new(diagnoser().patterns()).unwrap())
}

/// A line of noise: what a busy device logs besides IPsec, or random words.
fn noise_line() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u8..4, 0u8..48, any::<bool>()).prop_map(|(slot, port, up)| format!(
            "%LINK-3-UPDOWN: Interface GigabitEthernet{slot}/{port}, changed state to {}",
            if up { "up" } else { "down" }
        )),
        ("[a-z]{3,8}", 0u8..16).prop_map(|(user, vty)| format!(
            "%SYS-5-CONFIG_I: Configured from console by {user} on vty{vty}"
        )),
        (any::<u32>(), any::<[u8; 4]>(), 1024u16..)
            .prop_map(|(conn, [a, b, c, d], port)| format!(
                "%ASA-6-302013: Built inbound TCP connection {conn} for outside:{a}.{b}.{c}.{d}/{port} (10.1.{c}.{d}/{port}) to inside:10.1.1.{a}/443"
            )),
        prop::collection::vec("[a-z]{1,10}", 0..10).prop_map(|w| w.join(" ")),
        "[ -~]{0,60}".prop_filter("a line diagnose looks at", |l| !scanned().is_match(l)),
    ]
}

/// A syslog prefix of one of the shapes devices and servers write, with random values.
fn syslog_prefix() -> impl Strategy<Value = String> {
    let month = prop::sample::select(vec!["Jan", "Mar", "Jun", "Sep", "Dec"]);
    prop_oneof![
        Just(String::new()),
        (month.clone(), 1u8..29, 0u8..24, 0u8..60, 0u16..1000)
            .prop_map(|(m, d, h, mi, ms)| format!("*{m} {d:>2} {h:02}:{mi:02}:{mi:02}.{ms:03}: ")),
        (
            100u8..192,
            month.clone(),
            1u8..29,
            "[a-z]{2,8}-[a-z0-9]{1,4}"
        )
            .prop_map(|(pri, m, d, host)| format!("<{pri}>{m} {d} 2026 10:01:02 {host} : ")),
        (0u32..1_000_000, month.clone(), 1u8..29)
            .prop_map(|(seq, m, d)| format!("{seq:06}: {m} {d} 09:15:32.116 UTC: ")),
        (month, 1u8..29, any::<[u8; 4]>(), 1u32..99_999).prop_map(|(m, d, [a, b, c, e], seq)| {
            format!("{m} {d:>2} 11:02:39 {a}.{b}.{c}.{e} {seq}: ")
        }),
    ]
}

/// The example with its own prefix stripped, a random one put on, and every IPv4 address
/// replaced by a random one.
fn with_random_prefix_and_addresses(line: &str, prefix: &str, seed: u64) -> String {
    let bare = Normalizer::new().strip_prefix(line).to_string();
    let ip = regex::Regex::new(r"\b\d{1,3}(?:\.\d{1,3}){3}\b").unwrap();
    let mut n = seed;
    let bare = ip.replace_all(&bare, |_: &regex::Captures| {
        let mut octet = || {
            n = n
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (n >> 33) % 254 + 1
        };
        format!("{}.{}.{}.{}", octet(), octet(), octet(), octet())
    });
    format!("{prefix}{bare}")
}

/// What a line of the generated log is.
#[derive(Debug, Clone)]
enum Line {
    Noise(String),
    /// The error line at this index of [`standalone_error_lines`], with a prefix.
    Error(usize, String),
}

fn log_lines() -> impl Strategy<Value = Vec<Line>> {
    let n = standalone_error_lines().len();
    let line = prop_oneof![
        3 => noise_line().prop_map(Line::Noise),
        1 => (0..n, syslog_prefix()).prop_map(|(i, p)| Line::Error(i, p)),
    ];
    prop::collection::vec(line, 0..120)
}

/// A random secret: a letter, then letters, digits and the punctuation keys are made of
/// (`!#$%&*+-.=?@^_~`), 8 to 24 characters in all. Not a digit first: in `key 7 KEY` a
/// lone digit before the key is its type, and the forms hold such digits themselves. No
/// space (a key is one word of the command line), no quote or backslash (some forms quote
/// the secret), no `/` or `:` (separators of the URLs some forms carry).
fn secret_token() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9!#$%&*+.=?@^_~-]{7,23}"
}

/// One form of the secrets matrix as a template: its line with each secret as `{S}`.
struct Template {
    shape: String,
    text: String,
    /// A row of `show crypto isakmp key`: only ever a line of its own.
    row: bool,
    /// What the form puts around each secret that belongs to the secret: the matrix has
    /// keys that start with `<` (`key <{S} address`, `key <{S}> address`).
    around: (&'static str, &'static str),
}

/// The secrets matrix as templates, from the secrets test's own reading of it.
fn templates() -> &'static [Template] {
    static T: OnceLock<Vec<Template>> = OnceLock::new();
    T.get_or_init(|| {
        crate::secrets::forms()
            .into_iter()
            .map(|f| {
                let mut text = f.line.clone();
                for s in &f.secrets {
                    text = text.replacen(s.as_str(), "{S}", 1);
                }
                assert_eq!(text.matches("{S}").count(), f.secrets.len(), "{text}");
                let around = if text.contains("<{S}>") {
                    ("<", ">")
                } else if text.contains("<{S}") {
                    ("<", "")
                } else {
                    ("", "")
                };
                let text = text.replace("<{S}>", "{S}").replace("<{S}", "{S}");
                Template {
                    shape: f.shape,
                    text,
                    row: f.row,
                    around,
                }
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random noise mixed with known error lines: each error is found exactly as often as
    /// its lines occur, first and last where they are, with evidence only from its lines,
    /// and nothing else is found.
    #[test]
    fn diagnose_counts_every_error_line_among_noise(lines in log_lines(), crlf in any::<bool>()) {
        let known = standalone_error_lines();
        let mut text = String::new();
        let mut expected: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
        for (n, line) in lines.iter().enumerate() {
            match line {
                Line::Noise(l) => text.push_str(l),
                Line::Error(i, prefix) => {
                    let (id, example) = &known[*i];
                    text.push_str(&with_random_prefix_and_addresses(example, prefix, n as u64));
                    expected.entry(id).or_default().push(n as u64 + 1);
                }
            }
            text.push_str(if crlf { "\r\n" } else { "\n" });
        }
        let report = diagnose(&text);
        prop_assert_eq!(report.lines, lines.len() as u64);
        let found: BTreeMap<&str, &ipsec_doctor::diagnose::Finding> =
            report.findings.iter().map(|f| (f.id.as_str(), f)).collect();
        prop_assert_eq!(
            found.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "findings of:\n{}", text
        );
        for (id, at) in &expected {
            let f = found[id];
            prop_assert_eq!(f.count, at.len() as u64, "{}", id);
            prop_assert_eq!(f.first.line, at[0], "{}", id);
            prop_assert_eq!(f.last.line, *at.last().unwrap(), "{}", id);
            prop_assert!(!f.evidence.is_empty(), "{}", id);
            for e in &f.evidence {
                prop_assert!(at.contains(&e.line), "{}: evidence at line {}, not one of {:?}", id, e.line, at);
            }
        }
    }

    /// A line that search answers confidently by a signature (an error example of the
    /// knowledge base, with a random syslog prefix and random addresses) is found by
    /// diagnose as the same error.
    #[test]
    fn what_search_recognises_diagnose_finds(
        example in 0..error_examples().len(),
        prefix in syslog_prefix(),
        seed in any::<u64>(),
    ) {
        let (_, text) = &error_examples()[example];
        let line = with_random_prefix_and_addresses(text, &prefix, seed);
        let outcome = searcher().search(&line, 5);
        let recognised: Vec<&str> = outcome
            .hits
            .iter()
            .filter(|h| h.confident && h.matched.starts_with("signature"))
            .map(|h| h.id.as_str())
            .collect();
        // Examples search does not recognise by a signature (a wording of the prose) are
        // not this property's business; too many of them and proptest says so.
        prop_assume!(!recognised.is_empty());
        // One retransmission in a log is a slow answer, not a failure: diagnose waits for
        // the line that gives up (search explains the pasted line all the same).
        prop_assume!(!line.to_ascii_lowercase().contains("retransmitting phase"));
        let report = diagnose(&line);
        let found: Vec<&str> = report.findings.iter().map(|f| f.id.as_str()).collect();
        for id in recognised {
            prop_assert!(found.contains(&id), "search recognises {} in {:?}; diagnose finds {:?}", id, line, found);
        }
    }
}

/// Forms whose redaction masks a keyword beside the secret as well (found by the property
/// below, issue 10): `pkcs12 URL password PHRASE` masks `password`, and `Community name:` /
/// `Community SecurityName:` mask `name:` / `SecurityName:`. No secret leaks from them;
/// the line reads worse. An entry stays here only while the redactor still does it.
const OVER_MASKED: &[&str] = &[];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Every form of the secrets matrix, with random secrets: each secret is gone, and the
    /// line is the form with `<redacted>` where each secret stood, nothing more or less
    /// masked (a secret cut short would leave its tail).
    #[test]
    fn redaction_removes_every_random_secret_from_every_form(
        form in 0..templates().len(),
        tokens in prop::collection::vec(secret_token(), 2),
        trailing in any::<bool>(),
        logged in any::<bool>(),
    ) {
        let t = &templates()[form];
        // In a URL (`ftp://user:PASSWORD@host`) a password's `@` is written `%40`, as RFC
        // 3986 requires: a bare one would end the password.
        let secrets: Vec<String> = tokens
            .iter()
            .take(t.text.matches("{S}").count())
            .map(|token| if t.text.contains("://") { token.replace('@', "%40") } else { token.clone() })
            .collect();
        let mut line = t.text.clone();
        for s in &secrets {
            line = line.replacen("{S}", &format!("{}{s}{}", t.around.0, t.around.1), 1);
        }
        let mut expected = t.text.replace("{S}", "<redacted>");
        // As the secrets test varies them: more after the secret; a command quoted by a
        // syslog server or `show logging` (config logging).
        if trailing && t.shape != "debug" && !t.row {
            line.push_str("   ! trailing remark");
            expected.push_str("   ! trailing remark");
        }
        if logged && t.shape == "config" && !t.text.starts_with([' ', '\t']) {
            line.insert_str(0, "Dec  1 20:43:01.123 UTC: ");
            expected.insert_str(0, "Dec  1 20:43:01.123 UTC: ");
        }
        let out = redactor().redact(&line);
        for secret in &secrets {
            prop_assert!(!out.contains(secret.as_str()), "[{}] {:?} → {:?} shows {:?}", t.shape, line, out, secret);
        }
        if OVER_MASKED.iter().any(|f| t.text.contains(f)) {
            // Recorded, so that the fix is noticed and the entry removed on purpose.
            prop_assert_ne!(out, expected, "[{}] {:?} is no longer over-masked: remove it from OVER_MASKED", t.shape, line);
        } else {
            prop_assert_eq!(out, expected, "[{}] {:?}", t.shape, line);
        }
    }
}
