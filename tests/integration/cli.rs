//! Command-line conventions (issue 10): shell completions and the man page from the clap
//! definitions, options offered only where they work, `--color` over clap's own output,
//! the global options' help section, `kb check DIR`, inputs in the order given, and error,
//! hint and summary lines in the chosen language.

use crate::util::{fixtures, ipsec_doctor, repo};

const COMMANDS: &[&str] = &[
    "wizard",
    "diagnose",
    "search",
    "show",
    "book",
    "kb",
    "export",
    "completions",
    "man",
];

const ESC: &str = "\x1b[";

/// The lines of a help text from `heading` to the next heading (a line ending in `:` that
/// does not start with a space).
fn section<'a>(help: &'a str, heading: &str) -> Vec<&'a str> {
    let mut lines = help.lines().skip_while(|l| *l != heading);
    assert!(lines.next().is_some(), "no {heading:?} in\n{help}");
    lines
        .take_while(|l| l.is_empty() || l.starts_with(' '))
        .collect()
}

fn has_option(lines: &[&str], long: &str) -> bool {
    lines.iter().any(|l| l.trim_start().starts_with(long))
}

#[test]
fn completions_are_generated_for_every_shell() {
    let bash = ipsec_doctor(&["completions", "bash"]).run().code(0);
    for command in COMMANDS.iter().chain(&["check", "graph", "coverage"]) {
        assert!(
            bash.stdout.contains(command),
            "bash completion lacks `{command}`\n{}",
            bash.stdout
        );
    }
    // Each command completes its own options: `book` offers `all`, `--json` belongs to search.
    assert!(bash.stdout.contains("en zh all"), "{}", bash.stdout);
    assert!(bash.stdout.contains("--json"), "{}", bash.stdout);
    for (shell, marker) in [
        ("zsh", "#compdef ipsec-doctor"),
        ("fish", "complete -c ipsec-doctor"),
        ("elvish", "ipsec-doctor"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        ipsec_doctor(&["completions", shell])
            .run()
            .code(0)
            .stdout_has(marker)
            .stdout_has("diagnose");
    }
    ipsec_doctor(&["completions", "tcsh"])
        .run()
        .code(2)
        .stderr_has("invalid value 'tcsh'");
}

#[test]
fn man_page_names_every_command() {
    let man = ipsec_doctor(&["man"]).run().code(0);
    // clap_mangen opens with two lines defining the quote character, then the title.
    let first_macro = man
        .stdout
        .lines()
        .find(|l| l.starts_with(".TH") || l.starts_with(".SH"))
        .unwrap_or_default();
    assert!(
        first_macro.starts_with(".TH ipsec-doctor 1"),
        "the man page does not open with its title\n{}",
        man.stdout
    );
    for command in COMMANDS {
        let entry = format!("ipsec\\-doctor\\-{}(1)", command.replace('-', "\\-"));
        assert!(
            man.stdout.contains(&entry),
            "man page lacks {entry}\n{}",
            man.stdout
        );
    }
    assert!(man.stdout.contains(".SH EXTRA"), "{}", man.stdout);

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    ipsec_doctor(&["man", "--out", out.to_str().unwrap()])
        .run()
        .code(0)
        .stdout_has("(14 pages)");
    for page in [
        "ipsec-doctor.1",
        "ipsec-doctor-wizard.1",
        "ipsec-doctor-kb-check.1",
    ] {
        let text = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(text.contains(".TH ipsec-doctor"), "{page}:\n{text}");
    }
    let check = std::fs::read_to_string(out.join("ipsec-doctor-kb-check.1")).unwrap();
    assert!(
        check.contains("\\fIDIR\\fR") || check.contains("DIR"),
        "{check}"
    );
}

#[test]
fn lang_all_is_offered_by_book_alone() {
    for args in [
        &["search", "--lang", "all", "replay check failed"][..],
        &["show", "err-invalid-spi", "--lang", "all"],
        &["diagnose", "--lang", "all", "-"],
        &["wizard", "--lang", "all"],
        &["kb", "check", "--lang", "all"],
        &["kb", "graph", "--lang", "all"],
        &["--lang", "all", "show", "err-invalid-spi"],
    ] {
        // A usage error from clap, before anything runs.
        ipsec_doctor(args)
            .stdin("")
            .run()
            .code(2)
            .stderr_has("invalid value 'all' for '--lang <LANG>'")
            .stderr_has("[possible values: en, zh]");
    }
    let search = ipsec_doctor(&["search", "--help"]).run().code(0);
    assert!(!search.stdout.contains("- all"), "{}", search.stdout);
    ipsec_doctor(&["book", "--help"])
        .run()
        .code(0)
        .stdout_has("- all: Both");

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("books");
    ipsec_doctor(&["book", "--lang", "all", "--out", out.to_str().unwrap()])
        .run()
        .code(0)
        .stdout_has("en (")
        .stdout_has("zh (");
    // The global option before the command is book's own `--lang`.
    ipsec_doctor(&[
        "--lang",
        "zh",
        "book",
        "--check",
        "--out",
        out.to_str().unwrap(),
    ])
    .run()
    .code(0)
    .stdout_has("通过：");
}

#[test]
fn each_command_lists_only_its_own_options() {
    let own = |args: &[&str]| {
        let help = ipsec_doctor(args).run().code(0).stdout;
        section(&help, "Options:")
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    for (command, json) in [
        ("search", true),
        ("diagnose", true),
        ("show", true),
        ("wizard", false),
        ("book", false),
    ] {
        let lines = own(&[command, "--help"]);
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(has_option(&lines, "--json"), json, "{command}: {lines:#?}");
    }
    ipsec_doctor(&["kb", "check", "--json"])
        .run()
        .code(2)
        .stderr_has("unexpected argument '--json'");
    ipsec_doctor(&["book", "--json"])
        .run()
        .code(2)
        .stderr_has("unexpected argument '--json'");
}

#[test]
fn global_options_have_their_own_section() {
    for args in [
        &["--help"][..],
        &["search", "--help"],
        &["diagnose", "-h"],
        &["kb", "check", "--help"],
    ] {
        let help = ipsec_doctor(args).run().code(0).stdout;
        let global = section(&help, "Global options:");
        let own = section(&help, "Options:");
        for long in ["--kb", "--lang", "--color"] {
            assert!(
                has_option(&global, long),
                "{args:?}: {long} not global\n{help}"
            );
            assert!(
                !has_option(&own, long),
                "{args:?}: {long} among own\n{help}"
            );
        }
    }
    let search = ipsec_doctor(&["search", "--help"]).run().code(0).stdout;
    assert!(
        has_option(&section(&search, "Options:"), "--limit"),
        "{search}"
    );
}

#[test]
fn color_never_governs_clap_help_and_usage_errors() {
    // A terminal that claims colour, and clap told to colour even through a pipe.
    let colourful = |args: &[&str]| {
        ipsec_doctor(args)
            .env("NO_COLOR", "")
            .env("TERM", "xterm-256color")
            .env("CLICOLOR_FORCE", "1")
            .run()
    };
    for args in [
        &["--color", "never", "--help"][..],
        &["search", "--help", "--color=never"],
        &["kb", "--color", "never", "check", "-h"],
    ] {
        let out = colourful(args).code(0);
        assert!(
            !out.stdout.contains(ESC),
            "{args:?} coloured:\n{}",
            out.stdout
        );
    }
    let out = colourful(&["--color", "never", "search", "--bogus"]).code(2);
    assert!(
        !out.stderr.contains(ESC),
        "usage error coloured:\n{}",
        out.stderr
    );
    // The controls: without `never` the same environment colours, so the checks can fail.
    let out = colourful(&["--help"]).code(0);
    assert!(
        out.stdout.contains(ESC),
        "no colour to remove:\n{}",
        out.stdout
    );
    let out = ipsec_doctor(&["search", "--bogus", "--color", "always"])
        .run()
        .code(2);
    assert!(out.stderr.contains(ESC), "always: {}", out.stderr);
    // NO_COLOR wins over CLICOLOR_FORCE in `auto`.
    let out = ipsec_doctor(&["--help"])
        .env("TERM", "xterm-256color")
        .env("CLICOLOR_FORCE", "1")
        .run()
        .code(0);
    assert!(
        !out.stdout.contains(ESC),
        "NO_COLOR ignored:\n{}",
        out.stdout
    );
}

#[test]
fn kb_check_takes_the_directory_as_an_argument() {
    let kb = repo().join("kb");
    let kb = kb.to_str().unwrap();
    ipsec_doctor(&["kb", "check", kb])
        .run()
        .code(0)
        .stdout_has(&format!("ok: `{kb}` is valid: "));
    // The same directory twice, however it is spelt, is one.
    ipsec_doctor(&["kb", "check", "kb", "--kb", "./kb"])
        .cwd(repo())
        .run()
        .code(0)
        .stdout_has("ok: `kb` is valid");
    ipsec_doctor(&["kb", "check", "kb", "--kb", kb])
        .cwd(repo())
        .run()
        .code(0);
    let dangling = fixtures().join("kb/dangling-edge");
    ipsec_doctor(&["kb", "check", "kb", "--kb", dangling.to_str().unwrap()])
        .cwd(repo())
        .run()
        .code(2)
        .stderr_has("error: two knowledge bases to check: `kb` and `--kb ")
        .stderr_has("hint: give one");
    // The argument overrides the environment, as `--kb` does.
    ipsec_doctor(&["kb", "check", "dangling-edge"])
        .cwd(fixtures().join("kb"))
        .env("IPSEC_DOCTOR_KB", kb)
        .run()
        .code(1)
        .stdout_has("dangling-edge/kb.yaml:")
        .stderr_has("error: `dangling-edge` has 2 problems");
}

fn diagnose_json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}:\n{out}"))
}

#[test]
fn diagnose_reads_inputs_in_the_order_given() {
    let dir = tempfile::tempdir().unwrap();
    let replay = "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=3\n";
    std::fs::write(dir.path().join("a.log"), replay).unwrap();
    std::fs::write(dir.path().join("b.log"), format!("noise\n{replay}")).unwrap();
    let run = |args: &[&str]| {
        let out = ipsec_doctor(args)
            .cwd(dir.path())
            .stdin(&format!("one\ntwo\n{replay}"))
            .run()
            .code(0);
        let json = diagnose_json(&out.stdout);
        let inputs: Vec<String> = json["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let evidence: Vec<(String, u64)> = json["findings"][0]["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["input"].as_str().unwrap().to_string(),
                    e["line"].as_u64().unwrap(),
                )
            })
            .collect();
        (inputs, evidence)
    };
    let (inputs, evidence) = run(&["diagnose", "--json", "a.log", "-", "b.log"]);
    assert_eq!(inputs, ["a.log", "<stdin>", "b.log"]);
    assert_eq!(
        evidence,
        [
            ("a.log".to_string(), 1),
            ("<stdin>".to_string(), 3),
            ("b.log".to_string(), 2)
        ]
    );
    let (inputs, _) = run(&["diagnose", "--json", "-", "b.log"]);
    assert_eq!(inputs, ["<stdin>", "b.log"]);
    let (inputs, _) = run(&["diagnose", "--json", "b.log", "a.log", "-"]);
    assert_eq!(inputs, ["b.log", "a.log", "<stdin>"]);

    ipsec_doctor(&["diagnose", "a.log", "-", "-"])
        .cwd(dir.path())
        .stdin(replay)
        .run()
        .code(2)
        .stderr_has("error: `-` (standard input) is given more than once");
}

#[test]
fn search_refuses_dash_among_words() {
    ipsec_doctor(&["search", "-", "replay"])
        .stdin("%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=3\n")
        .run()
        .code(2)
        .stderr_has("error: give the text to search or `-` (standard input), not both")
        .stderr_has("hint: quote a text");
    ipsec_doctor(&["search", "replay", "check", "-"])
        .run()
        .code(2)
        .stderr_has("not both");
    // `-` alone still reads the paste.
    ipsec_doctor(&["search", "-"])
        .stdin("%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=3\n")
        .run()
        .code(0)
        .stdout_has("err-replay-check-failed");
}

#[test]
fn wizard_reads_answers_from_standard_input() {
    let yaml =
        std::fs::read_to_string(fixtures().join("wizard/cannot-browse-split-tunnel.yaml")).unwrap();
    let from_file = ipsec_doctor(&[
        "wizard",
        "--answers",
        fixtures()
            .join("wizard/cannot-browse-split-tunnel.yaml")
            .to_str()
            .unwrap(),
    ])
    .run()
    .code(0);
    let from_stdin = ipsec_doctor(&["wizard", "--answers", "-"])
        .stdin(&yaml)
        .run()
        .code(0)
        .stdout_has("cause-no-split-tunnel");
    assert_eq!(from_stdin.stdout, from_file.stdout);
    ipsec_doctor(&["wizard", "--answers", "-"])
        .stdin("start: sym-no-such-symptom\n")
        .run()
        .code(2)
        .stderr_has("<stdin>");
}

#[test]
fn errors_hints_and_summaries_speak_chinese() {
    let out = ipsec_doctor(&["show", "err-invalid-spy", "--lang", "zh"])
        .run()
        .code(1)
        .stderr_has("错误：知识库中没有条目 `err-invalid-spy`\n")
        .stderr_has("提示：您是不是想输入 `err-invalid-spi`");
    assert!(
        !out.stderr.contains("error:") && !out.stderr.contains("hint:"),
        "{}",
        out.stderr
    );
    // The locale chooses too, and `--lang` overrides it.
    ipsec_doctor(&["search", " "])
        .env("LANG", "zh_CN.UTF-8")
        .run()
        .code(2)
        .stderr_has("错误：没有要搜索的内容\n")
        .stderr_has("提示：请给出");
    ipsec_doctor(&["search", " ", "--lang", "en"])
        .env("LANG", "zh_CN.UTF-8")
        .run()
        .code(2)
        .stderr_has("error: nothing to search\n");
    ipsec_doctor(&["--lang", "zh", "diagnose", "-", "-"])
        .stdin("")
        .run()
        .code(2)
        .stderr_has("错误：`-`（标准输入）给出了不止一次");
    ipsec_doctor(&["--lang", "zh", "wizard"])
        .run()
        .code(2)
        .stderr_has("错误：向导需要终端");

    // kb check's summaries, valid and not.
    ipsec_doctor(&["kb", "check", "--lang", "zh"])
        .run()
        .code(0)
        .stdout_has("通过：内置知识库有效，共 8 个症状、")
        .stdout_has("个原文章节、");
    ipsec_doctor(&["kb", "check", "dangling-edge", "--lang", "zh"])
        .cwd(fixtures().join("kb"))
        .run()
        .code(1)
        .stderr_has("错误：`dangling-edge`有 2 个问题\n");

    // What the user typed is still redacted in Chinese.
    let out = ipsec_doctor(&[
        "show",
        "crypto isakmp key s3cr3tkey address 10.0.0.1",
        "--lang",
        "zh",
    ])
    .run()
    .code(1)
    .stderr_has("错误：");
    assert!(!out.stderr.contains("s3cr3tkey"), "{}", out.stderr);
}
