//! The `ipsec-doctor` binary: parse arguments, run, map the outcome to an exit code.

use ipsec_doctor::app::{self, Outcome};
use ipsec_doctor::cli::{self, Command};
use ipsec_doctor::error::{self, UserError};
use ipsec_doctor::kb::Lang;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    // `IPSEC_DOCTOR_KB=` (set but empty) means "no directory": the embedded knowledge base.
    if std::env::var_os("IPSEC_DOCTOR_KB").is_some_and(|v| v.is_empty()) {
        std::env::remove_var("IPSEC_DOCTOR_KB");
    }
    // clap prints its help and usage errors itself, coloured as `--color` says.
    let cli = cli::try_parse_from(std::env::args_os()).unwrap_or_else(|err| err.exit());
    let lang = cli.lang();
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
            report(lang, err.message_in(lang), err.hint_in(lang));
            ExitCode::from(1)
        }
        Ok(Outcome::Interrupted) => ExitCode::from(130),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let user = err.downcast_ref::<UserError>();
            // A bare UserError speaks the user's language; one wrapped in context is
            // printed whole, with the context.
            let message = match user {
                Some(user) if err.chain().count() == 1 => user.message_in(lang).to_string(),
                _ => format!("{err:#}"),
            };
            report(lang, &message, user.and_then(|e| e.hint_in(lang)));
            ExitCode::from(2)
        }
    }
}

/// The one place errors reach standard error. A message may quote what the user typed or
/// pasted (an unknown ID, an error line): it is redacted like every other quote.
fn report(lang: Lang, message: &str, hint: Option<&str>) {
    let redactor = ipsec_doctor::redact::Redactor::new();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "{}{}",
        error::error_label(lang),
        redactor.redact(message).trim_end()
    );
    if let Some(hint) = hint {
        let _ = writeln!(
            err,
            "{}{}",
            error::hint_label(lang),
            redactor.redact(hint).trim_end()
        );
    }
}

/// A closed pipe (`ipsec-doctor … | head`) is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
