//! The `ipsec-doctor` binary: parse arguments, run, map the outcome to an exit code.

use clap::Parser;
use ipsec_doctor::app::{self, Outcome};
use ipsec_doctor::cli::{Cli, Command};
use ipsec_doctor::error::UserError;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    // `IPSEC_DOCTOR_KB=` (set but empty) means "no directory": the embedded knowledge base.
    if std::env::var_os("IPSEC_DOCTOR_KB").is_some_and(|v| v.is_empty()) {
        std::env::remove_var("IPSEC_DOCTOR_KB");
    }
    let cli = Cli::parse();
    if matches!(cli.command, Command::Wizard(_)) {
        // Ctrl-C between two prompts arrives as a signal (the terminal is in cooked mode
        // then): leave the terminal clean and exit 130, as within a prompt.
        let _ = ctrlc::set_handler(|| {
            let _ = dialoguer::console::Term::stderr().show_cursor();
            std::process::exit(130);
        });
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = app::run(&cli, &mut out).and_then(|o| {
        out.flush()?;
        Ok(o)
    });
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::NotFound) => ExitCode::from(1),
        Ok(Outcome::NotFoundBecause(err)) => {
            report(&err.message, err.hint.as_deref());
            ExitCode::from(1)
        }
        Ok(Outcome::Interrupted) => ExitCode::from(130),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let hint = err
                .downcast_ref::<UserError>()
                .and_then(|e| e.hint.as_deref());
            report(&format!("{err:#}"), hint);
            ExitCode::from(2)
        }
    }
}

/// The one place errors reach standard error. A message may quote what the user typed or
/// pasted (an unknown ID, an error line): it is redacted like every other quote.
fn report(message: &str, hint: Option<&str>) {
    let redactor = ipsec_doctor::redact::Redactor::new();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "error: {}", redactor.redact(message).trim_end());
    if let Some(hint) = hint {
        let _ = writeln!(err, "hint: {}", redactor.redact(hint).trim_end());
    }
}

/// A closed pipe (`ipsec-doctor … | head`) is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
