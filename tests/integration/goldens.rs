//! Golden files of the rendering (issue 10): the terminal text of a few entries of every
//! kind, the wizard's end screen and its Markdown transcript, in English and Chinese.
//! `IPSEC_DOCTOR_BLESS=1 cargo test` rewrites them (review the diff); a golden file that
//! no case writes fails the test, so the directory holds exactly what is checked.

use crate::util::{all_passed, blessing, fixtures, golden_problem, ipsec_doctor, note};
use std::collections::BTreeSet;
use std::path::PathBuf;

const LANGS: [&str; 2] = ["en", "zh"];

/// Entries shown with `show ID`: an error, a cause, a fix and a question.
const SHOWN: [&str; 4] = [
    "err-invalid-spi",
    "cause-mtu-too-large",
    "fix-ip-mtu",
    "q-isakmp-sa-state",
];

/// An entry shown with `--color always` too: the terminal's styles (headings, inline code)
/// are part of the rendering.
const COLOURED: &str = "fix-ip-mtu";

/// The answers file whose end screen and transcript are kept: a paste the wizard reads,
/// one platform's fix.
const ANSWERS: &str = "no-traffic-missing-route";

fn dir() -> PathBuf {
    fixtures().join("goldens")
}

/// The golden files the cases write, in the order [`cases`] renders them.
fn names() -> Vec<String> {
    LANGS
        .iter()
        .flat_map(|lang| {
            SHOWN
                .iter()
                .map(move |id| format!("show-{id}.{lang}.txt"))
                .chain([
                    format!("show-{COLOURED}.color.{lang}.txt"),
                    format!("wizard-{ANSWERS}.{lang}.txt"),
                    format!("wizard-{ANSWERS}.{lang}.md"),
                ])
        })
        .collect()
}

/// Every golden file with the text it must hold, rendered now: `show` as a transcript (exit
/// code, standard output and error), plain and coloured, the wizard's end screen likewise,
/// and the Markdown transcript it saves.
fn cases() -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for lang in LANGS {
        for id in SHOWN {
            texts.push(
                ipsec_doctor(&["show", id, "--lang", lang])
                    .run()
                    .transcript(),
            );
        }
        let coloured = ["show", COLOURED, "--lang", lang, "--color", "always"];
        texts.push(ipsec_doctor(&coloured).run().transcript());
        let scratch = tempfile::tempdir().unwrap();
        let answers = fixtures().join(format!("wizard/{ANSWERS}.yaml"));
        let out = ipsec_doctor(&[
            "wizard",
            "--answers",
            answers.to_str().unwrap(),
            "--transcript",
            "transcript.md",
            "--lang",
            lang,
        ])
        .cwd(scratch.path())
        .run();
        texts.push(out.transcript());
        texts.push(
            std::fs::read_to_string(scratch.path().join("transcript.md")).unwrap_or_default(),
        );
    }
    let names = names();
    assert_eq!(names.len(), texts.len());
    names.into_iter().zip(texts).collect()
}

#[test]
fn renderings_match_their_golden_files() {
    let cases = cases();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(name, actual)| golden_problem(&dir().join(name), actual))
        .collect();
    all_passed("golden files", cases.len(), &failures);
}

/// A golden file nothing compares is stale: it would pass forever while checking nothing.
#[test]
fn the_golden_directory_holds_exactly_the_cases() {
    let expected: BTreeSet<String> = names().into_iter().collect();
    let present: BTreeSet<String> = std::fs::read_dir(dir())
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let extra: Vec<&String> = present.difference(&expected).collect();
    if blessing() {
        for name in &extra {
            note(&format!("removing the stale golden file {name}"));
            std::fs::remove_file(dir().join(name)).unwrap();
        }
        return;
    }
    let missing: Vec<&String> = expected.difference(&present).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "tests/fixtures/goldens/ differs from the cases (IPSEC_DOCTOR_BLESS=1 rewrites it):\n\
         extra (no case checks them): {extra:?}\nmissing: {missing:?}"
    );
}
