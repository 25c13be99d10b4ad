//! Property tests: arbitrary bytes and text through the scanner, the normaliser, the show
//! and debug parsers, diagnose and search. Nothing panics; counts stay exact.

use ipsec_doctor::diagnose::negotiation::Negotiations;
use ipsec_doctor::diagnose::scan::Scanner;
use ipsec_doctor::diagnose::{Diagnoser, Input};
use ipsec_doctor::kb::{Kb, KbSource};
use ipsec_doctor::parse::ipsec_sa;
use ipsec_doctor::search::normalize::Normalizer;
use ipsec_doctor::search::Searcher;
use proptest::prelude::*;
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
        let lines = scanner.scan(&input[..], |h| {
            assert!(!h.text.contains(&b'\n') && !h.text.contains(&b'\r'));
            numbers.push(h.number);
        }, |_| {}).unwrap();
        // LF, CRLF and a lone CR each end a line (issue 9), as for every other reader.
        let expected = ipsec_doctor::parse::lines(&String::from_utf8_lossy(&input)).count() as u64;
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
        let mut n = Negotiations::new();
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
