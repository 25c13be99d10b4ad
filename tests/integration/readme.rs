//! Every example command of README.md (its `sh` blocks) and of `--help` (the `Examples:`
//! of every command) runs, and its exit code and key output are checked (issue 10).
//!
//! [`EXAMPLES`] knows each example by its exact text; an example the documents gain, or an
//! entry they lost, fails the test, so the table and the documents stay one. Each example
//! runs in a fresh scratch directory holding the files the examples name (fixtures stand in
//! for `show-logging.txt`, `/var/log/cisco/*.log`, …), through a small reading of its shell
//! syntax: quotes, `< FILE`, `> FILE`, `| PROGRAM` and `&& PROGRAM`. Programs other than
//! ipsec-doctor (`dot`, `mdbook`) run when installed; otherwise the test says it skipped
//! them.

use crate::util::{all_passed, find_program, fixtures, ipsec_doctor, note, repo};
use expectrl::process::unix::WaitStatus;
use expectrl::Expect;
use std::path::Path;
use std::time::Duration;

/// How an example is checked.
enum Check {
    /// Exit code, and a string the output must hold: standard output, or the file that
    /// `> FILE` writes it to. With `--json` the output must also be JSON.
    Run(i32, &'static str),
    /// An interactive wizard: in a pseudo-terminal its first screen shows the string, and
    /// Ctrl-C ends it with exit code 130.
    Terminal(&'static str),
}

use Check::{Run, Terminal};

/// Every example of README.md and `--help`, exactly as written there (without its
/// trailing `# comment`).
const EXAMPLES: &[(&str, Check)] = &[
    // README.md
    (
        "ipsec-doctor completions bash > ipsec-doctor.bash",
        Run(0, "complete -F _ipsec__doctor"),
    ),
    (
        "ipsec-doctor man --out man1",
        Run(0, "wrote man1 ("),
    ),
    (
        "ipsec-doctor search '*Mar  1 00:12:34.567: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=3'",
        Run(0, "[error message · err-replay-check-failed]"),
    ),
    (
        "ipsec-doctor search < show-logging.txt",
        Run(0, "err-packet-encryption-decryption"),
    ),
    (
        "ipsec-doctor search vpn users cannot browse the internet",
        Run(0, "[symptom · sym-cannot-browse-internet]"),
    ),
    (
        "ipsec-doctor search 预共享密钥不匹配 --json",
        Run(0, "\"cause-psk-mismatch\""),
    ),
    (
        "ipsec-doctor show err-invalid-spi",
        Run(0, "IPsec packet has invalid SPI"),
    ),
    (
        "ipsec-doctor show cause-mtu-too-large --lang zh",
        Run(0, "数据包加上 IPsec 报头后超过了路径 MTU"),
    ),
    (
        "ipsec-doctor show fix-ip-mtu --json",
        Run(0, "ip mtu 1400"),
    ),
    (
        "ipsec-doctor kb check --kb ./my-kb",
        Run(0, "ok: `./my-kb` is valid"),
    ),
    (
        "ipsec-doctor kb graph --format dot | dot -Tsvg > kb.svg",
        Run(0, "digraph ipsec_doctor {"),
    ),
    (
        "ipsec-doctor diagnose hq.cfg branch.cfg",
        Run(0, "which branch.cfg does not mirror"),
    ),
    // --help (an example in both is listed once, above)
    ("ipsec-doctor wizard", Terminal("What do you see?")),
    (
        "ipsec-doctor wizard --start sym-no-traffic-after-tunnel-up --lang zh",
        // The device and the kind of VPN are asked first (issue 14).
        Terminal("您正在排查哪种设备？"),
    ),
    (
        "ipsec-doctor wizard --answers answers.yaml --transcript incident.md",
        Run(0, "cause-missing-route"),
    ),
    (
        "ipsec-doctor search '%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=3'",
        Run(0, "[error message · err-replay-check-failed]"),
    ),
    (
        "ipsec-doctor search 分割隧道",
        Run(0, "cause-no-split-tunnel"),
    ),
    (
        "ipsec-doctor diagnose /var/log/cisco/*.log",
        Run(0, "err-invalid-spi"),
    ),
    (
        "ipsec-doctor diagnose --json show-crypto.txt",
        Run(0, "\"err-mm-key-exch\""),
    ),
    (
        "ipsec-doctor show sym-no-traffic-after-tunnel-up",
        Run(0, "symptom · sym-no-traffic-after-tunnel-up"),
    ),
    (
        "ipsec-doctor show err-invalid-spi --lang zh",
        Run(0, "IPsec 数据包的 SPI 无效"),
    ),
    (
        "ipsec-doctor show cause-psk-mismatch --json",
        Run(0, "\"fix-match-preshared-key\""),
    ),
    (
        "ipsec-doctor book --out runbook && mdbook build runbook/en",
        Run(0, "wrote runbook/en"),
    ),
    (
        "ipsec-doctor kb check ./my-kb",
        Run(0, "ok: `./my-kb` is valid"),
    ),
    (
        "ipsec-doctor kb graph --format dot > kb.dot",
        Run(0, "\"sym-tunnel-not-established\" -> \"q-isakmp-sa-state\""),
    ),
    (
        "ipsec-doctor kb coverage",
        Run(0, "| Seed section | Heading in the seed | Nodes |"),
    ),
    ("ipsec-doctor man > ipsec-doctor.1", Run(0, ".TH ipsec-doctor 1")),
];

/// Arguments that name files on the reader's machine, and the scratch files run instead.
const SUBSTITUTES: &[(&str, &[&str])] = &[(
    "/var/log/cisco/*.log",
    &["cisco/router.log", "cisco/asa.log"],
)];

/// The files the examples name, in the scratch directory, from the fixtures.
const SCRATCH_FILES: &[(&str, &str)] = &[
    (
        "show-logging.txt",
        "diagnose/cases/20-syslog-ios-packet-errors.txt",
    ),
    (
        "show-crypto.txt",
        "diagnose/cases/11-pix6-isakmp-sa-mm-key-exch.txt",
    ),
    (
        "cisco/router.log",
        "diagnose/cases/19-ios12-hub-log-psk-peer-proxy.txt",
    ),
    (
        "cisco/asa.log",
        "diagnose/cases/09-asa8-syslog-invalid-spi-antireplay.txt",
    ),
    ("answers.yaml", "wizard/no-traffic-missing-route.yaml"),
    ("hq.cfg", "configs/broken-ios15-acl-not-mirrored/r-hq2.cfg"),
    (
        "branch.cfg",
        "configs/broken-ios15-acl-not-mirrored/r-br2.cfg",
    ),
    ("my-kb/kb.yaml", "kb/valid-minimal/kb.yaml"),
];

/// The example command lines of README.md's `sh` blocks: lines that start with
/// `ipsec-doctor`, a trailing `\` joining the next line.
fn readme_examples() -> Vec<String> {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let mut examples = Vec::new();
    let mut in_sh = false;
    let mut pending = String::new();
    for line in readme.lines() {
        let fence = line.trim_start();
        if let Some(info) = fence.strip_prefix("```") {
            in_sh = !in_sh && matches!(info.trim(), "sh" | "bash" | "shell" | "console");
            continue;
        }
        if !in_sh {
            continue;
        }
        let line = line.trim();
        let line = line.strip_prefix("$ ").unwrap_or(line);
        if pending.is_empty() && !line.starts_with("ipsec-doctor") {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(part) => pending.push_str(part),
            None => {
                pending.push_str(line);
                examples.push(without_comment(&pending));
                pending.clear();
            }
        }
    }
    examples
}

/// The `Examples:` lines of `ipsec-doctor [COMMAND…] --help`, for the top-level command and
/// every subcommand it lists, depth first.
fn help_examples(path: &[String], out: &mut Vec<String>) {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("--help");
    let help = ipsec_doctor(&args).run().code(0).stdout;
    let mut section = "";
    let mut subcommands = Vec::new();
    for line in help.lines() {
        if !line.starts_with(' ') && line.ends_with(':') {
            section = line;
            continue;
        }
        let text = line.trim();
        match section {
            "Examples:" if text.starts_with("ipsec-doctor") => out.push(without_comment(text)),
            "Commands:" => {
                if let Some(name) = line.strip_prefix("  ").and_then(|l| l.split(' ').next()) {
                    if !name.is_empty() && name != "help" {
                        subcommands.push(name.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    for sub in subcommands {
        let mut deeper = path.to_vec();
        deeper.push(sub);
        help_examples(&deeper, out);
    }
}

/// A command line without its trailing `# comment` (a `#` that starts a word, outside quotes).
fn without_comment(line: &str) -> String {
    let (mut quote, mut at_word_start) = (None, true);
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '#') if at_word_start => return line[..i].trim_end().to_string(),
            _ => {}
        }
        at_word_start = quote.is_none() && c.is_whitespace();
    }
    line.trim_end().to_string()
}

/// The words of a command line as a POSIX shell splits them, each with whether it was
/// quoted: quotes keep spaces in a word and are removed; an unquoted `|`, `&&`, `<` or `>`
/// is an operator (the examples write them apart from other words).
fn shell_words(line: &str) -> Vec<(String, bool)> {
    let mut words = Vec::new();
    let (mut word, mut quoted, mut started, mut quote) = (String::new(), false, false, None);
    for c in line.chars() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                quoted = true;
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started {
                    words.push((std::mem::take(&mut word), quoted));
                }
                (quoted, started) = (false, false);
            }
            (None, c) => {
                word.push(c);
                started = true;
            }
        }
    }
    assert!(quote.is_none(), "unbalanced quote in {line:?}");
    if started {
        words.push((word, quoted));
    }
    words
}

/// One command of a pipeline or `&&` list, with its redirections.
#[derive(Debug, Default)]
struct Step {
    argv: Vec<String>,
    stdin: Option<String>,
    stdout: Option<String>,
    /// Reached through `|` (reads the previous step's output) rather than `&&`.
    piped: bool,
}

fn steps(line: &str) -> Vec<Step> {
    let mut steps = vec![Step::default()];
    let mut words = shell_words(line).into_iter();
    while let Some((word, quoted)) = words.next() {
        let step = steps.last_mut().unwrap();
        match (quoted, word.as_str()) {
            (false, "<") => step.stdin = words.next().map(|w| w.0),
            (false, ">") => step.stdout = words.next().map(|w| w.0),
            (false, "|" | "&&") => steps.push(Step {
                piped: word == "|",
                ..Step::default()
            }),
            _ => match SUBSTITUTES.iter().find(|(arg, _)| *arg == word) {
                Some((_, files)) => step.argv.extend(files.iter().map(|f| f.to_string())),
                None => step.argv.push(word),
            },
        }
    }
    steps
}

fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, fixture) in SCRATCH_FILES {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::copy(fixtures().join(fixture), &path).unwrap();
    }
    dir
}

/// Run one example; a failure is returned as its description.
fn run(example: &str, check: &Check) -> Result<(), String> {
    let dir = scratch();
    let steps = steps(example);
    let first = &steps[0];
    assert_eq!(first.argv[0], "ipsec-doctor", "{example}");
    let args: Vec<&str> = first.argv[1..].iter().map(String::as_str).collect();
    let (want_code, key) = match check {
        Terminal(key) => return terminal(&args, key, dir.path()),
        Run(code, key) => (*code, *key),
    };
    let mut command = ipsec_doctor(&args).cwd(dir.path());
    if let Some(input) = &first.stdin {
        command = command.stdin(&std::fs::read_to_string(dir.path().join(input)).unwrap());
    }
    let out = command.run();
    let mut problems = Vec::new();
    if out.code != want_code {
        problems.push(format!("exit {}, expected {want_code}", out.code));
    }
    if !out.stdout.contains(key) {
        problems.push(format!("standard output lacks {key:?}"));
    }
    if args.contains(&"--json") && serde_json::from_str::<serde_json::Value>(&out.stdout).is_err() {
        problems.push("`--json` printed no JSON".to_string());
    }
    if let Some(file) = &first.stdout {
        std::fs::write(dir.path().join(file), &out.stdout).unwrap();
    }
    // What the example says it writes, it writes.
    for (i, arg) in args.iter().enumerate() {
        if matches!(*arg, "--transcript" | "--out") {
            let written = dir.path().join(args[i + 1]);
            if !written.exists() {
                problems.push(format!("`{arg} {}` wrote nothing", args[i + 1]));
            }
        }
    }
    let mut previous = out.stdout.clone();
    for step in &steps[1..] {
        if !problems.is_empty() {
            break;
        }
        let Some(program) = find_program(&step.argv[0]) else {
            note(&format!(
                "`{}` is not installed; `{example}` ran without it",
                step.argv[0]
            ));
            break;
        };
        let mut cmd = std::process::Command::new(program);
        cmd.args(&step.argv[1..])
            .current_dir(dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let input = if step.piped {
            std::mem::take(&mut previous)
        } else {
            String::new()
        };
        {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
        }
        let done = child.wait_with_output().unwrap();
        if !done.status.success() {
            problems.push(format!(
                "`{}` failed: {}",
                step.argv.join(" "),
                String::from_utf8_lossy(&done.stderr)
            ));
        }
        previous = String::from_utf8_lossy(&done.stdout).into_owned();
        if let Some(file) = &step.stdout {
            std::fs::write(dir.path().join(file), &done.stdout).unwrap();
            if done.stdout.is_empty() {
                problems.push(format!("`{}` wrote an empty {file}", step.argv.join(" ")));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        let transcript = out.transcript();
        let start: Vec<&str> = transcript.lines().take(12).collect();
        Err(format!(
            "{example}\n  {}\n    {}",
            problems.join("\n  "),
            start.join("\n    ")
        ))
    }
}

/// An interactive example in a pseudo-terminal: its first screen, then Ctrl-C.
fn terminal(args: &[&str], key: &str, dir: &Path) -> Result<(), String> {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ipsec-doctor"));
    cmd.args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1");
    let mut session = expectrl::Session::spawn(cmd).map_err(|e| e.to_string())?;
    session.set_expect_timeout(Some(Duration::from_secs(15)));
    let shown = session.expect(key).map(|_| ()).map_err(|e| {
        format!(
            "`ipsec-doctor {}` never showed {key:?}: {e}",
            args.join(" ")
        )
    });
    session.send("\x03").map_err(|e| e.to_string())?;
    let _ = session.expect(expectrl::Eof);
    shown?;
    match session.get_process().wait().map_err(|e| e.to_string())? {
        WaitStatus::Exited(_, 130) => Ok(()),
        other => Err(format!(
            "`ipsec-doctor {}`: Ctrl-C gave {other:?}, expected exit 130",
            args.join(" ")
        )),
    }
}

#[test]
fn every_readme_and_help_example_is_in_the_table_and_the_table_in_them() {
    let mut documented = readme_examples();
    help_examples(&[], &mut documented);
    // An example in both documents is one entry.
    let mut seen = std::collections::BTreeSet::new();
    documented.retain(|e| seen.insert(e.clone()));
    let mut problems: Vec<String> = documented
        .iter()
        .filter(|e| !EXAMPLES.iter().any(|(known, _)| known == e))
        .map(|e| format!("an example the table does not know (add it to EXAMPLES): {e}"))
        .collect();
    problems.extend(
        EXAMPLES
            .iter()
            .filter(|(known, _)| !documented.iter().any(|e| e == known))
            .map(|(known, _)| format!("in EXAMPLES, in neither README.md nor --help: {known}")),
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_readme_and_help_example_runs() {
    let failures: Vec<String> = EXAMPLES
        .iter()
        .filter_map(|(example, check)| run(example, check).err())
        .collect();
    all_passed("examples", EXAMPLES.len(), &failures);
}

/// The answers file README.md shows is one the wizard takes.
#[test]
fn readme_answers_file_runs() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme
        .find("```yaml\nstart:")
        .expect("README.md shows an answers file")
        + 8;
    let end = start + readme[start..].find("```").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("answers.yaml"), &readme[start..end]).unwrap();
    ipsec_doctor(&["wizard", "--answers", "answers.yaml"])
        .cwd(dir.path())
        .run()
        .code(0)
        .stdout_has("cause-psk-mismatch");
}

#[test]
fn shell_reading_of_the_examples() {
    let s = steps("ipsec-doctor search 'a  b' \"|\" < in.txt | dot -Tsvg > out.svg");
    assert_eq!(s[0].argv, ["ipsec-doctor", "search", "a  b", "|"]);
    assert_eq!(s[0].stdin.as_deref(), Some("in.txt"));
    assert_eq!(s[1].argv, ["dot", "-Tsvg"]);
    assert!(s[1].piped);
    assert_eq!(s[1].stdout.as_deref(), Some("out.svg"));
    assert_eq!(
        without_comment("ipsec-doctor search 'id#3' # every error"),
        "ipsec-doctor search 'id#3'"
    );
    assert_eq!(
        without_comment("ipsec-doctor show x#y"),
        "ipsec-doctor show x#y"
    );
}
