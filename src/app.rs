//! Runs a parsed command line against a knowledge base and writes the output.

use crate::cli::{
    BookArgs, Cli, Command, DiagnoseArgs, GraphFormat, KbCommand, SearchArgs, ShowArgs, WizardArgs,
};
use crate::error::UserError;
use crate::kb::{Kb, KbError, KbSource, Kind, Lang};
use crate::render::Renderer;
use crate::search::Searcher;
use crate::term::Style;
use crate::{cli, export};
use anyhow::Result;
use std::io::{IsTerminal, Read, Write};

/// How a command ended when it did not fail.
#[derive(Debug)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: nothing found, or problems found.
    NotFound,
    /// Exit 1, with a message for standard error saying what was not found and why.
    NotFoundBecause(UserError),
    /// Exit 130: the user pressed Ctrl-C.
    Interrupted,
}

/// Settings every command shares.
#[derive(Debug, Clone)]
pub struct Context {
    pub source: KbSource,
    pub lang: Lang,
    pub style: Style,
}

impl Context {
    pub fn from_cli(cli: &Cli) -> Context {
        let source = match &cli.global.kb {
            Some(dir) => KbSource::Dir(dir.clone()),
            None => KbSource::Embedded,
        };
        let lang = cli
            .global
            .lang
            .and_then(|l| l.single())
            .unwrap_or_else(|| cli::lang_from_env(|k| std::env::var(k).ok()));
        Context {
            source,
            lang,
            style: Style {
                color: cli.global.color.enabled(),
            },
        }
    }

    /// Load the knowledge base; an invalid one is an error pointing at `kb check`.
    pub fn open_kb(&self) -> Result<Kb> {
        Kb::open(&self.source).map_err(|err| match err {
            KbError::Invalid { .. } => {
                let flag = match &self.source {
                    KbSource::Embedded => String::new(),
                    KbSource::Dir(dir) => format!(" --kb {}", dir.display()),
                };
                UserError::new(err.to_string())
                    .hint(format!(
                        "run `ipsec-doctor kb check{flag}` to see every problem"
                    ))
                    .into()
            }
            other => other.into(),
        })
    }
}

pub fn run(cli: &Cli, out: &mut dyn Write) -> Result<Outcome> {
    let ctx = Context::from_cli(cli);
    if cli.global.lang == Some(cli::LangArg::All) && !matches!(cli.command, Command::Book(_)) {
        return Err(UserError::new("`--lang all` applies to `book` only")
            .hint("use `--lang en` or `--lang zh`")
            .into());
    }
    match &cli.command {
        Command::Book(args) => book(&ctx, cli.global.lang, args, out),
        Command::Search(args) => search(&ctx, args, out),
        Command::Diagnose(args) => diagnose(&ctx, args, out),
        Command::Wizard(args) => wizard(&ctx, args, out),
        Command::Show(args) => show(&ctx, args, out),
        Command::Kb(KbCommand::Check) => check(&ctx, out),
        Command::Kb(KbCommand::Coverage) => {
            let kb = ctx.open_kb()?;
            out.write_all(export::coverage(&kb).as_bytes())?;
            Ok(Outcome::Success)
        }
        Command::Kb(KbCommand::Graph(args)) => {
            let kb = ctx.open_kb()?;
            match args.format {
                GraphFormat::Dot => out.write_all(export::dot(&kb, ctx.lang).as_bytes())?,
                GraphFormat::Json => {
                    write_json(out, &export::json(&kb, ctx.lang))?;
                }
            }
            Ok(Outcome::Success)
        }
    }
}

fn book(
    ctx: &Context,
    lang: Option<cli::LangArg>,
    args: &BookArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let kb = ctx.open_kb()?;
    let langs: Vec<(Lang, &str)> = match lang.and_then(|l| l.single()) {
        Some(Lang::En) => vec![(Lang::En, "en")],
        Some(Lang::Zh) => vec![(Lang::Zh, "zh")],
        None => vec![(Lang::En, "en"), (Lang::Zh, "zh")],
    };
    let mut differences = Vec::new();
    for (lang, code) in langs {
        let dir = args.out.join(code);
        let files = crate::book::generate(&kb, lang);
        if args.check {
            if !dir.join("book.toml").exists() {
                return Err(
                    UserError::new(format!("no generated book at `{}`", dir.display()))
                        .hint(format!(
                            "generate it with `ipsec-doctor book --out {}`",
                            args.out.display()
                        ))
                        .into(),
                );
            }
            differences.extend(crate::book::check(&dir, &files));
        } else {
            crate::book::write(&dir, &files, args.force).map_err(|e| {
                let err = UserError::new(e.to_string());
                match e {
                    crate::book::BookError::NotABook(_) => {
                        err.hint("choose another `--out`, or add `--force` to replace it")
                    }
                    _ => err,
                }
            })?;
            writeln!(out, "wrote {} ({} files)", dir.display(), files.len())?;
        }
    }
    if !args.check {
        return Ok(Outcome::Success);
    }
    if differences.is_empty() {
        writeln!(
            out,
            "ok: the books in {} match the knowledge base",
            args.out.display()
        )?;
        return Ok(Outcome::Success);
    }
    for d in &differences {
        writeln!(out, "{d}")?;
    }
    Ok(Outcome::NotFoundBecause(
        UserError::new(format!(
            "{} file(s) in {} differ from what the knowledge base generates",
            differences.len(),
            args.out.display()
        ))
        .hint(format!(
            "run `ipsec-doctor book --out {}` to regenerate",
            args.out.display()
        )),
    ))
}

fn diagnose(ctx: &Context, args: &DiagnoseArgs, out: &mut dyn Write) -> Result<Outcome> {
    use crate::diagnose::{Diagnoser, Input};
    let kb = ctx.open_kb()?;
    let diagnoser = Diagnoser::new(&kb).map_err(|e| {
        UserError::new(format!(
            "cannot compile the knowledge base's signatures: {e}"
        ))
    })?;
    if args.patterns {
        for p in diagnoser.patterns() {
            writeln!(out, "{p}")?;
        }
        return Ok(Outcome::Success);
    }
    let stdin_wanted = args.files.is_empty() || args.files.iter().any(|f| f.as_os_str() == "-");
    if args.files.is_empty() && std::io::stdin().is_terminal() {
        return Err(UserError::new("nothing to diagnose")
            .hint("give log files, e.g. `ipsec-doctor diagnose router.log`, or pipe output into it")
            .into());
    }
    // Open every file first: an unreadable one stops the run before any output.
    let mut inputs = Vec::new();
    let mut total = 0u64;
    for path in &args.files {
        if path.as_os_str() == "-" {
            continue;
        }
        let file = std::fs::File::open(path)
            .map_err(|e| UserError::new(format!("cannot read `{}`: {e}", path.display())))?;
        let meta = file
            .metadata()
            .map_err(|e| UserError::new(format!("cannot read `{}`: {e}", path.display())))?;
        if meta.is_dir() {
            return Err(
                UserError::new(format!("`{}` is a directory", path.display()))
                    .hint("give the log files inside it")
                    .into(),
            );
        }
        total += meta.len();
        inputs.push(Input {
            name: path.display().to_string(),
            reader: Box::new(file),
        });
    }
    if stdin_wanted {
        inputs.push(Input {
            name: "<stdin>".to_string(),
            reader: Box::new(std::io::stdin().lock()),
        });
    }
    let progress = crate::term::Progress::for_bytes((total > 0).then_some(total));
    let mut done_before = 0u64;
    let mut current = String::new();
    let mut last = 0u64;
    let report = diagnoser.run(inputs, |name, bytes| {
        if name != current {
            done_before += last;
            current = name.to_string();
        }
        last = bytes;
        progress.set(name, done_before + bytes);
    });
    progress.finish();
    let report = report.map_err(|e| UserError::new(format!("cannot read the input: {e}")))?;
    if args.json {
        write_json(out, &crate::render::diagnose_json(&kb, &report, ctx.lang))?;
    } else {
        let renderer = Renderer::new(&kb, ctx.lang, ctx.style);
        out.write_all(renderer.diagnose_report(&report).as_bytes())?;
    }
    Ok(if report.findings.is_empty() {
        Outcome::NotFound
    } else {
        Outcome::Success
    })
}

fn wizard(ctx: &Context, args: &WizardArgs, out: &mut dyn Write) -> Result<Outcome> {
    use crate::wizard::{engine::Engine, interactive, prompt::TermPrompter, report, script};
    let platform = args.platform.map(crate::kb::Platform::from);
    if let Some(path) = &args.answers {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| UserError::new(format!("cannot read the answers file `{shown}`: {e}")))?;
        // The `error:` line and the pastes are quoted on the end screen and in the
        // transcript: redacted as they are read.
        let file = script::AnswersFile::parse(&shown, &crate::redact::user_text(&text))?;
        let kb = ctx.open_kb()?;
        let (engine, cause) = script::run(&kb, &file, &shown)?;
        let platform = platform
            .or(file.platform)
            .filter(|p| *p != crate::kb::Platform::Any);
        out.write_all(
            report::end_screen(&engine, cause, platform, ctx.lang, ctx.style).as_bytes(),
        )?;
        if let Some(t) = &args.transcript {
            let text = report::transcript(
                &engine,
                cause,
                platform,
                ctx.lang,
                &crate::redact::Redactor::new(),
            );
            std::fs::write(t, text).map_err(|e| {
                UserError::new(format!(
                    "cannot write the transcript to `{}`: {e}",
                    t.display()
                ))
            })?;
        }
        return Ok(Outcome::Success);
    }
    // dialoguer reads keys from the terminal and draws on standard error: both must be one.
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(UserError::new("the wizard needs a terminal (standard input and standard error)")
            .hint("run it in a terminal, or script it with `--answers FILE` (see `ipsec-doctor wizard --help`)")
            .into());
    }
    let kb = ctx.open_kb()?;
    let engine = match &args.start {
        Some(id) => Engine::starting_at(&kb, id).map_err(|e| {
            let mut err = UserError::new(format!("--start: {}", crate::kb::short(&e.to_string())));
            if let Some(why) = kb.explain_unknown_id(id) {
                return err.hint(why);
            }
            let startable = kb.suggest(id).into_iter().find(|s| {
                kb.node(s)
                    .is_some_and(|n| matches!(n.kind(), Kind::Symptom | Kind::Question | Kind::Error | Kind::Cause))
            });
            err = match startable {
                Some(best) => err.hint(format!("did you mean `{best}`?")),
                None => err.hint("start at a symptom, question, error or cause (`ipsec-doctor kb graph --format json` lists them)"),
            };
            err
        })?,
        None => Engine::new(&kb),
    };
    let mut prompter = TermPrompter::new(ctx.style.color);
    let options = interactive::Options {
        lang: ctx.lang,
        style: ctx.style,
        platform,
        transcript: args.transcript.clone(),
    };
    match interactive::run(&kb, engine, &mut prompter, options) {
        Ok(interactive::Exit::Cause(_)) => Ok(Outcome::Success),
        Ok(interactive::Exit::Quit) => Ok(Outcome::NotFound),
        Err(err) if is_interrupted(&err) => Ok(Outcome::Interrupted),
        Err(err) => Err(err),
    }
}

/// Ctrl-C while a menu is open arrives as an `Interrupted` I/O error.
fn is_interrupted(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::Interrupted)
    })
}

fn search(ctx: &Context, args: &SearchArgs, out: &mut dyn Write) -> Result<Outcome> {
    let from_stdin =
        args.text == ["-"] || (args.text.is_empty() && !std::io::stdin().is_terminal());
    let text = if from_stdin {
        // Search answers about a line or a paste; a whole log is diagnose's job.
        const MAX_PASTE: u64 = 1 << 20;
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(MAX_PASTE + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| UserError::new(format!("cannot read standard input: {e}")))?;
        if bytes.len() as u64 > MAX_PASTE {
            return Err(
                UserError::new("the input is over 1 MiB: search takes a line or a paste")
                    .hint("for a whole log, run `ipsec-doctor diagnose FILE`")
                    .into(),
            );
        }
        // Logs are not always UTF-8; a stray byte must not lose the rest of the line.
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        args.text.join(" ")
    };
    // What the user pasted is quoted back (`query`, `matched`): its secrets go first.
    let text = crate::redact::user_text(&text);
    if text.trim().is_empty() {
        return Err(UserError::new("nothing to search")
            .hint("give an error line or words, e.g. `ipsec-doctor search 'replay check failed'`, or pipe a log into it")
            .into());
    }
    let kb = ctx.open_kb()?;
    let searcher = Searcher::new(&kb)
        .map_err(|e| UserError::new(format!("cannot build the search index: {e}")))?;
    let outcome = searcher.search(&text, args.limit as usize);
    if args.json {
        let results: Vec<_> = outcome
            .hits
            .iter()
            .map(|h| {
                let title = kb
                    .node(&h.id)
                    .map(|n| n.title().get(ctx.lang).to_string())
                    .unwrap_or_default();
                serde_json::json!({
                    "id": h.id,
                    "kind": h.kind.as_str(),
                    "title": title,
                    "score": (h.score * 1000.0).round() / 1000.0,
                    "confident": h.confident,
                    "matched": h.matched,
                    "lines": h.lines,
                })
            })
            .collect();
        let doc = serde_json::json!({"query": outcome.query, "results": results});
        write_json(out, &doc)?;
    } else {
        let renderer = Renderer::new(&kb, ctx.lang, ctx.style);
        out.write_all(renderer.search_report(&outcome).as_bytes())?;
    }
    Ok(if outcome.best().is_some() {
        Outcome::Success
    } else {
        Outcome::NotFound
    })
}

fn show(ctx: &Context, args: &ShowArgs, out: &mut dyn Write) -> Result<Outcome> {
    let kb = ctx.open_kb()?;
    let Some(node) = kb.node(args.id.trim()) else {
        let suggestions = kb.suggest(args.id.trim());
        let why = kb.explain_unknown_id(args.id.trim());
        let mut err = UserError::new(format!(
            "no entry `{}` in the knowledge base",
            crate::kb::short(&args.id)
        ));
        err = match suggestions.as_slice() {
            _ if why.is_some() => err.hint(why.unwrap_or_default()),
            [] => err.hint("run `ipsec-doctor kb graph --format json` to list every ID"),
            ids => {
                let ids: Vec<String> = ids.iter().map(|i| format!("`{i}`")).collect();
                err.hint(format!("did you mean {}?", ids.join(", ")))
            }
        };
        // A lookup that finds nothing exits 1, like grep.
        return Ok(Outcome::NotFoundBecause(err));
    };
    if args.json {
        write_json(out, &node.to_json())?;
    } else {
        let renderer = Renderer::new(&kb, ctx.lang, ctx.style);
        out.write_all(renderer.node(node).as_bytes())?;
    }
    Ok(Outcome::Success)
}

fn check(ctx: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let (kb, problems) = Kb::check(&ctx.source)?;
    for p in &problems {
        writeln!(out, "{p}")?;
    }
    match kb {
        Some(kb) if problems.is_empty() => {
            let sections = kb.sections().count();
            let counts: Vec<String> = kb
                .counts()
                .into_iter()
                .map(|(kind, n)| format!("{n} {}", plural(kind, n)))
                .collect();
            writeln!(
                out,
                "ok: {} is valid: {}, {} seed section{}, {} edges",
                ctx.source,
                counts.join(", "),
                sections,
                if sections == 1 { "" } else { "s" },
                kb.graph().edge_count()
            )?;
            Ok(Outcome::Success)
        }
        _ => {
            let n = problems.len();
            Ok(Outcome::NotFoundBecause(UserError::new(format!(
                "{} has {n} problem{}",
                ctx.source,
                if n == 1 { "" } else { "s" }
            ))))
        }
    }
}

/// JSON output, serialised first so that a closed pipe surfaces as the plain I/O error
/// `main` recognises (serde_json would wrap it).
fn write_json(out: &mut dyn Write, value: &serde_json::Value) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    out.write_all(text.as_bytes())?;
    Ok(())
}

fn plural(kind: Kind, n: usize) -> &'static str {
    if n == 1 {
        kind.as_str()
    } else {
        kind.list_name()
    }
}
