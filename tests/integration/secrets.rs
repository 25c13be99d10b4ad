//! The secrets matrix (issue 9): every secret form of `tests/fixtures/secrets/forms.txt`
//! (written independently of the redactor) is masked on every output channel, alone on a
//! line and inside a longer one; the lines of `clean.txt` hold no secret and are quoted
//! exactly as given.

use crate::util::{fixtures, ipsec_doctor};
use ipsec_doctor::redact::Redactor;

/// One form: its shape, the line with its secrets substituted, and those secrets.
pub struct Form {
    pub shape: String,
    pub line: String,
    pub secrets: Vec<String>,
    /// A row of a table (`show crypto isakmp key`): it is only ever a line of its own.
    pub row: bool,
}

fn rows(name: &str) -> Vec<(usize, String, String)> {
    let path = fixtures().join("secrets").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let (shape, line) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("{}:{}: no tab", path.display(), i + 1));
            (i + 1, shape.to_string(), line.to_string())
        })
        .collect()
}

/// Every form with distinct tokens: `Zq<form><occurrence>Wk`, plus special characters in
/// every third form, so that a partial match (the start of a token) is still found.
pub fn forms() -> Vec<Form> {
    rows("forms.txt")
        .into_iter()
        .map(|(n, shape, template)| {
            let mut secrets = Vec::new();
            let mut line = String::new();
            let mut rest = template.as_str();
            while let Some(at) = rest.find("{S}") {
                let token = match n % 3 {
                    0 => format!("Zq{n:03}{}Wk!x#9", secrets.len()),
                    _ => format!("Zq{n:03}{}Wk", secrets.len()),
                };
                line.push_str(&rest[..at]);
                line.push_str(&token);
                secrets.push(token);
                rest = &rest[at + 3..];
            }
            line.push_str(rest);
            Form {
                row: shape == "debug" && template.ends_with("  {S}"),
                shape,
                line,
                secrets,
            }
        })
        .collect()
}

/// The tokens of `forms` that `output` shows, even in part (the token's distinctive start).
fn leaked<'f>(forms: &'f [Form], output: &str) -> Vec<&'f str> {
    forms
        .iter()
        .flat_map(|f| f.secrets.iter())
        .filter(|s| output.contains(&s[..6]))
        .map(String::as_str)
        .collect()
}

#[test]
fn the_redactor_masks_every_form_alone_and_inside_a_longer_line() {
    let r = Redactor::new();
    let forms = forms();
    assert!(forms.len() >= 150, "only {} forms", forms.len());
    let mut failures = Vec::new();
    for f in &forms {
        let mut variants = vec![f.line.clone()];
        if f.shape != "debug" {
            // A line that carries more after the secret.
            variants.push(format!("{}   ! trailing remark", f.line));
        }
        if f.shape == "config" && !f.line.starts_with([' ', '\t']) {
            // A command as a syslog server or `show logging` quotes it (config logging).
            variants.push(format!("Dec  1 20:43:01.123 UTC: {}", f.line));
        }
        for v in variants {
            let out = r.redact(&v);
            if !leaked(&forms, &out).is_empty() || !out.contains("<redacted>") {
                failures.push(format!("[{}] {v:?}\n      → {out:?}", f.shape));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} forms leak:\n{}",
        failures.len(),
        forms.len(),
        failures.join("\n")
    );
}

#[test]
fn the_redactor_leaves_clean_lines_exactly_as_they_are() {
    let r = Redactor::new();
    let clean = rows("clean.txt");
    assert!(clean.len() >= 40);
    let failures: Vec<String> = clean
        .iter()
        .filter(|(_, _, l)| r.redact(l) != *l)
        .map(|(n, _, l)| format!("clean.txt:{n}: {l:?}\n      → {:?}", r.redact(l)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} clean lines changed:\n{}",
        failures.len(),
        clean.len(),
        failures.join("\n")
    );
}

/// Error lines that diagnose and search recognise on their own (not negotiation errors,
/// which wait for their outcome), one per knowledge-base error.
fn error_lines() -> Vec<String> {
    vec![
        "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=3".into(),
        "%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 198.51.100.1 failed its sanity check or is malformed".into(),
        "21:57:57: IPSEC(initialize_sas): invalid proxy IDs".into(),
        "%CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr=203.0.113.1, prot=50, spi=0x3D2C1E7B(1026301563), srcaddr=198.51.100.2".into(),
        "ISAKMP (0:1): Reserved not zero on payload 5!".into(),
        "%PIX-3-402103: identity doesn't match negotiated identity".into(),
    ]
}

/// Run `jobs` (each a closure producing an output to check) on a few threads.
fn in_parallel<T: Send>(jobs: Vec<Box<dyn FnOnce() -> T + Send>>) -> Vec<T> {
    let jobs = std::sync::Mutex::new(jobs.into_iter().enumerate().collect::<Vec<_>>());
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| loop {
                let Some((i, job)) = jobs.lock().unwrap().pop() else {
                    break;
                };
                let out = job();
                results.lock().unwrap().push((i, out));
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Every channel that quotes a user's text, with every form: search (text and JSON, a
/// paste and an argument), diagnose (text and JSON evidence), the wizard's end screen and
/// transcript, and error messages on standard error.
#[test]
fn no_secret_reaches_any_output_channel() {
    let forms = forms();
    let errors = error_lines();
    let dir = tempfile::tempdir().unwrap();
    let mut jobs: Vec<Box<dyn FnOnce() -> (String, String) + Send>> = Vec::new();
    // Batches in which every form rides on an error line, so that it is quoted as the
    // evidence or the matched line: as many forms per batch as diagnose keeps evidence.
    let per_error = 3;
    for (b, batch) in forms.chunks(errors.len() * per_error).enumerate() {
        let mut paste = String::new();
        for (i, f) in batch.iter().enumerate() {
            // Alone on its line (quoted in search's `query`), and carrying an error.
            paste.push_str(&format!("{}\n", f.line));
            if !f.row {
                paste.push_str(&format!("{}  {}\n", f.line, errors[i % errors.len()]));
            }
        }
        for args in [
            vec!["diagnose"],
            vec!["diagnose", "--json"],
            vec!["search", "--limit", "20"],
            vec!["search", "--json", "--limit", "20"],
        ] {
            let paste = paste.clone();
            jobs.push(Box::new(move || {
                let out = ipsec_doctor(&args).stdin(&paste).run();
                (
                    format!("{} (batch {b})", args.join(" ")),
                    format!("{}\n{}", out.stdout, out.stderr),
                )
            }));
        }
        // The wizard's answers file: the whole batch pasted, saved in a transcript.
        let transcript = dir.path().join(format!("transcript-{b}.md"));
        let answers = dir.path().join(format!("answers-{b}.yaml"));
        let mut yaml = String::from(
            "start: sym-tunnel-not-established\nanswers:\n  q-isakmp-sa-state:\n    paste: |\n",
        );
        for f in batch {
            yaml.push_str(&format!("      {}\n", f.line));
        }
        yaml.push_str("      dst             src             state          conn-id slot status\n");
        yaml.push_str("      198.51.100.2    203.0.113.1     MM_NO_STATE          1    0 ACTIVE\n");
        std::fs::write(&answers, yaml).unwrap();
        jobs.push(Box::new(move || {
            let a = answers.to_string_lossy().into_owned();
            let t = transcript.to_string_lossy().into_owned();
            let out = ipsec_doctor(&["wizard", "--answers", &a, "--transcript", &t]).run();
            let written = std::fs::read_to_string(&t).unwrap_or_default();
            (
                format!("wizard --answers --transcript (batch {b})"),
                format!("{}\n{}\n{written}", out.stdout, out.stderr),
            )
        }));
    }
    // One run per form where the channel quotes a single line.
    for (n, f) in forms.iter().enumerate() {
        let line = f.line.clone();
        jobs.push(Box::new(move || {
            let out = ipsec_doctor(&["search", "--json", &line]).run();
            (
                format!("search --json ARG (form {n})"),
                format!("{}\n{}", out.stdout, out.stderr),
            )
        }));
        let line = f.line.clone();
        jobs.push(Box::new(move || {
            let out = ipsec_doctor(&["show", &line]).run();
            (format!("show ARG (form {n}): stderr"), out.stderr)
        }));
        if f.row {
            continue;
        }
        let (line, error) = (f.line.clone(), errors[n % errors.len()].clone());
        let answers = dir.path().join(format!("error-{n}.yaml"));
        jobs.push(Box::new(move || {
            let quoted = serde_json::to_string(&format!("{line}  {error}")).unwrap();
            std::fs::write(&answers, format!("error: {quoted}\n")).unwrap();
            let a = answers.to_string_lossy().into_owned();
            let out = ipsec_doctor(&["wizard", "--answers", &a]).run();
            (
                format!("wizard error: line (form {n})"),
                format!("{}\n{}", out.stdout, out.stderr),
            )
        }));
    }
    let results = in_parallel(jobs);
    let mut failures = Vec::new();
    for (channel, output) in &results {
        let tokens = leaked(&forms, output);
        if !tokens.is_empty() {
            failures.push(format!("{channel}: shows {}", tokens.join(", ")));
        }
        assert!(
            !output.contains("panicked"),
            "{channel} panicked:\n{output}"
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} runs leak a secret:\n{}",
        failures.len(),
        results.len(),
        failures.join("\n")
    );
    // The channels did quote the lines (a channel that printed nothing proves nothing).
    let quoted = results
        .iter()
        .filter(|(_, o)| o.contains("<redacted>"))
        .count();
    assert!(
        quoted * 10 >= results.len() * 9,
        "only {quoted} of {} runs quote a redacted line",
        results.len()
    );
}
