//! The test harness: runs the real `ipsec-doctor` binary in a scrubbed environment and
//! shows command, exit code, stdout and stderr when an expectation fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// A command line to run, built up before running.
pub struct Run {
    args: Vec<String>,
    cwd: PathBuf,
    env: Vec<(String, String)>,
    stdin: Option<Vec<u8>>,
}

/// What the binary did.
pub struct Output {
    pub description: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn ipsec_doctor(args: &[&str]) -> Run {
    Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        cwd: std::env::temp_dir(),
        env: Vec::new(),
        stdin: None,
    }
}

impl Run {
    pub fn cwd(mut self, dir: impl AsRef<Path>) -> Self {
        self.cwd = dir.as_ref().to_path_buf();
        self
    }

    pub fn stdin(self, input: &str) -> Self {
        self.stdin_bytes(input.as_bytes().to_vec())
    }

    pub fn stdin_bytes(mut self, input: Vec<u8>) -> Self {
        self.stdin = Some(input);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn run(self) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ipsec-doctor"));
        cmd.args(&self.args)
            .current_dir(&self.cwd)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("NO_COLOR", "1")
            .env("TERM", "dumb")
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("cannot start ipsec-doctor");
        if let Some(input) = &self.stdin {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(input).unwrap();
        }
        let out = child.wait_with_output().unwrap();
        Output {
            description: format!(
                "ipsec-doctor {} (in {})",
                self.args.join(" "),
                self.cwd.display()
            ),
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Output {
    fn dump(&self) -> String {
        format!(
            "command: {}\nexit: {}\n--- stdout\n{}\n--- stderr\n{}",
            self.description, self.code, self.stdout, self.stderr
        )
    }

    #[track_caller]
    pub fn code(self, expected: i32) -> Self {
        assert_eq!(self.code, expected, "unexpected exit code\n{}", self.dump());
        self
    }

    #[track_caller]
    pub fn stdout_has(self, needle: &str) -> Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}\n{}",
            self.dump()
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(self, needle: &str) -> Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n{}",
            self.dump()
        );
        self
    }

    #[track_caller]
    pub fn stdout_lacks(self, needle: &str) -> Self {
        assert!(
            !self.stdout.contains(needle),
            "stdout has {needle:?}\n{}",
            self.dump()
        );
        self
    }

    /// The transcript compared with golden files: exit code, stdout, stderr.
    pub fn transcript(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Compare `actual` with the golden file: what is wrong (missing, or stale with both texts)
/// as a failure line, so that a loop reports every stale file, not the first;
/// `IPSEC_DOCTOR_BLESS=1` rewrites the file instead.
pub fn golden_problem(path: &Path, actual: &str) -> Option<String> {
    if blessing() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(path, actual).unwrap();
        return None;
    }
    let Ok(expected) = std::fs::read_to_string(path) else {
        return Some(format!(
            "missing golden file {}; run with IPSEC_DOCTOR_BLESS=1 to create it",
            path.display()
        ));
    };
    (expected != actual).then(|| {
        format!(
            "golden file {} is stale (IPSEC_DOCTOR_BLESS=1 rewrites it)\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        )
    })
}

/// `IPSEC_DOCTOR_BLESS=1`: golden files are rewritten, not compared.
pub fn blessing() -> bool {
    std::env::var_os("IPSEC_DOCTOR_BLESS").is_some()
}

/// The end of a loop over fixtures or cases: every failure, counted against every case
/// checked (`3 of 24 scenarios failed: …`), never only the first. A loop that checked
/// nothing fails too: an empty fixture directory proves nothing.
#[track_caller]
pub fn all_passed(what: &str, checked: usize, failures: &[String]) {
    assert!(checked > 0, "no {what} checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} {what} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A program on `PATH` (or in `~/.cargo/bin`, where `cargo install` puts it).
pub fn find_program(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(name))
                .find(|p| p.is_file())
        })
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(".cargo/bin").join(name))
                .filter(|p| p.is_file())
        })
}

/// Say that a check was skipped, where `cargo test` shows it: straight to standard error,
/// past the test harness, which swallows what a passing test prints with `eprintln!`.
pub fn note(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "note: {message}");
}

/// Whether the tests run in CI (`CI` set, as CI services do, and not `false`/`0`): there,
/// a check that cannot run must fail rather than be skipped with a note.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}
