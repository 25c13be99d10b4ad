//! Runs a parsed command line against a knowledge base and writes the output.

use crate::cli::{
    BookArgs, CheckArgs, Cli, Command, DiagnoseArgs, GraphFormat, KbCommand, ManArgs, SearchArgs,
    ShowArgs, WizardArgs,
};
use crate::error::UserError;
use crate::kb::{Kb, KbError, KbSource, Kind, Lang};
use crate::present::{self, Renderer};
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
        Context {
            source,
            lang: cli.lang(),
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
                    .hint_zh(format!("运行 `ipsec-doctor kb check{flag}` 查看全部问题"))
                    .into()
            }
            other => other.into(),
        })
    }
}

pub fn run(cli: &Cli, out: &mut dyn Write) -> Result<Outcome> {
    let ctx = Context::from_cli(cli);
    match &cli.command {
        // `--lang all` is an option of `book` alone (cli.rs); the others refuse it in clap.
        Command::Book(args) => book(&ctx, args.lang, args, out),
        Command::Search(args) => search(&ctx, args, out),
        Command::Diagnose(args) => diagnose(&ctx, args, out),
        Command::Wizard(args) => wizard(&ctx, args, out),
        Command::Show(args) => show(&ctx, args, out),
        Command::Kb(KbCommand::Check(args)) => check(&ctx, cli, args, out),
        Command::Completions(args) => {
            cli::completions(args.shell, out)?;
            Ok(Outcome::Success)
        }
        Command::Man(args) => man(&ctx, args, out),
        Command::Export(cli::ExportCommand::Sigma(args)) => export_sigma(&ctx, args, out),
        Command::Kb(KbCommand::Coverage) => {
            let kb = ctx.open_kb()?;
            out.write_all(export::coverage(&kb).as_bytes())?;
            out.write_all(b"\n")?;
            out.write_all(export::evidence_coverage(&kb).as_bytes())?;
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

fn export_sigma(ctx: &Context, args: &cli::SigmaArgs, out: &mut dyn Write) -> Result<Outcome> {
    let kb = ctx.open_kb()?;
    let rules = crate::sigma::rules(&kb, &args.book_url);
    match &args.out {
        None => {
            for (i, r) in rules.iter().enumerate() {
                if i > 0 {
                    out.write_all(b"---\n")?;
                }
                out.write_all(r.yaml.as_bytes())?;
            }
        }
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| {
                UserError::new(format!("cannot create `{}`: {e}", dir.display()))
                    .zh(format!("无法创建 `{}`：{e}", dir.display()))
            })?;
            for r in &rules {
                let path = dir.join(&r.file);
                std::fs::write(&path, &r.yaml).map_err(|e| {
                    UserError::new(format!("cannot write `{}`: {e}", path.display()))
                        .zh(format!("无法写入 `{}`：{e}", path.display()))
                })?;
            }
            let correlations: usize = rules
                .iter()
                .map(|r| r.yaml.matches("\ncorrelation:").count())
                .sum();
            writeln!(
                out,
                "wrote {} files to {} ({} fleet correlation rules among them)",
                rules.len(),
                dir.display(),
                correlations
            )?;
        }
    }
    let regex: Vec<&str> = rules
        .iter()
        .filter(|r| r.uses_regex)
        .map(|r| r.node.as_str())
        .collect();
    if !regex.is_empty() {
        eprintln!(
            "note: {} rules keep a regular expression (`|re`), which some backends convert less well: {}",
            regex.len(),
            regex.join(", ")
        );
    }
    Ok(Outcome::Success)
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
                        .zh(format!("`{}` 处没有生成的书", dir.display()))
                        .hint(format!(
                            "generate it with `ipsec-doctor book --out {}`",
                            args.out.display()
                        ))
                        .hint_zh(format!(
                            "用 `ipsec-doctor book --out {}` 生成",
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
                    crate::book::BookError::NotABook(_) => err
                        .hint("choose another `--out`, or add `--force` to replace it")
                        .hint_zh("请换一个 `--out`，或加上 `--force` 替换它"),
                    _ => err,
                }
            })?;
            match ctx.lang {
                Lang::En => writeln!(out, "wrote {} ({} files)", dir.display(), files.len())?,
                Lang::Zh => writeln!(out, "已写入 {}（{} 个文件）", dir.display(), files.len())?,
            }
        }
    }
    if !args.check {
        return Ok(Outcome::Success);
    }
    if differences.is_empty() {
        match ctx.lang {
            Lang::En => writeln!(
                out,
                "ok: the books in {} match the knowledge base",
                args.out.display()
            )?,
            Lang::Zh => writeln!(out, "通过：{} 中的书与知识库一致", args.out.display())?,
        }
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
        .zh(format!(
            "{} 中有 {} 个文件与知识库生成的内容不同",
            args.out.display(),
            differences.len()
        ))
        .hint(format!(
            "run `ipsec-doctor book --out {}` to regenerate",
            args.out.display()
        ))
        .hint_zh(format!(
            "运行 `ipsec-doctor book --out {}` 重新生成",
            args.out.display()
        )),
    ))
}

fn diagnose(ctx: &Context, args: &DiagnoseArgs, out: &mut dyn Write) -> Result<Outcome> {
    use crate::diagnose::Diagnoser;
    let kb = ctx.open_kb()?;
    let threads = args.threads.map(usize::from).unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    let diagnoser = Diagnoser::new(&kb)
        .map_err(|e| {
            UserError::new(format!(
                "cannot compile the knowledge base's signatures: {e}"
            ))
            .zh(format!("无法编译知识库的特征模式：{e}"))
        })?
        .with_threads(threads);
    if args.patterns {
        for p in diagnoser.patterns() {
            writeln!(out, "{p}")?;
        }
        return Ok(Outcome::Success);
    }
    if args.files.is_empty() && std::io::stdin().is_terminal() {
        return Err(UserError::new("nothing to diagnose")
            .zh("没有要诊断的内容")
            .hint("give log files, e.g. `ipsec-doctor diagnose router.log`, or pipe output into it")
            .hint_zh(
                "请给出日志文件，例如 `ipsec-doctor diagnose router.log`，或用管道把输出传给它",
            )
            .into());
    }
    let (inputs, total) = open_inputs(&args.files)?;
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
    let report = report.map_err(|e| {
        UserError::new(format!("cannot read the input: {e}")).zh(format!("无法读取输入：{e}"))
    })?;
    if args.json {
        write_json(out, &present::json::diagnose(&kb, &report, ctx.lang))?;
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

/// The answers file's name for messages, and its text; `-` is standard input.
fn read_answers(path: &std::path::Path) -> Result<(String, String)> {
    let mut text = String::new();
    let (shown, read) = if path.as_os_str() == "-" {
        let read = std::io::stdin().read_to_string(&mut text).map(drop);
        ("<stdin>".to_string(), read)
    } else {
        let read = std::fs::read_to_string(path).map(|t| text = t);
        (path.display().to_string(), read)
    };
    read.map_err(|e| {
        UserError::new(format!("cannot read the answers file `{shown}`: {e}"))
            .zh(format!("无法读取答案文件 `{shown}`：{e}"))
    })?;
    Ok((shown, text))
}

/// diagnose's inputs in the order given, `-` (standard input) where it stands, and their
/// total size in bytes. Every file is opened first: an unreadable one stops the run before
/// any output.
fn open_inputs(
    files: &[std::path::PathBuf],
) -> Result<(Vec<crate::diagnose::Input<'static>>, u64)> {
    use crate::diagnose::Input;
    let stdin = || Input {
        name: "<stdin>".to_string(),
        reader: Box::new(std::io::stdin()),
    };
    if files.is_empty() {
        return Ok((vec![stdin()], 0));
    }
    if files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        return Err(UserError::new("`-` (standard input) is given more than once")
            .zh("`-`（标准输入）给出了不止一次")
            .hint("standard input can be read once; give `-` once, where it belongs among the files")
            .hint_zh("标准输入只能读取一次；请只给一个 `-`，放在它在文件中应处的位置")
            .into());
    }
    let mut inputs = Vec::new();
    let mut total = 0u64;
    for path in files {
        if path.as_os_str() == "-" {
            inputs.push(stdin());
            continue;
        }
        let unreadable = |e: std::io::Error| {
            UserError::new(format!("cannot read `{}`: {e}", path.display()))
                .zh(format!("无法读取 `{}`：{e}", path.display()))
        };
        let file = std::fs::File::open(path).map_err(unreadable)?;
        let meta = file.metadata().map_err(unreadable)?;
        if meta.is_dir() {
            return Err(
                UserError::new(format!("`{}` is a directory", path.display()))
                    .zh(format!("`{}` 是一个目录", path.display()))
                    .hint("give the log files inside it")
                    .hint_zh("请给出其中的日志文件")
                    .into(),
            );
        }
        total += meta.len();
        inputs.push(Input {
            name: path.display().to_string(),
            reader: Box::new(file),
        });
    }
    Ok((inputs, total))
}

fn wizard(ctx: &Context, args: &WizardArgs, out: &mut dyn Write) -> Result<Outcome> {
    use crate::wizard::{engine::Engine, interactive, prompt::TermPrompter, script};
    let platform = args.platform.map(crate::kb::Platform::from);
    if let Some(path) = &args.answers {
        let (shown, text) = read_answers(path)?;
        // The `error:` line and the pastes are quoted on the end screen and in the
        // transcript: redacted as they are read.
        let mut file = script::AnswersFile::parse(&shown, &crate::redact::user_text(&text))?;
        if let Some(t) = args.topology {
            file.topology = Some(t.into());
        }
        let kb = ctx.open_kb()?;
        let searcher = std::cell::OnceCell::new();
        let lookup = error_lookup(&kb, &searcher);
        let reader = fact_reader(&kb);
        let mut book = crate::wizard::FactBook::new(&reader);
        read_wizard_files(&args.files, &mut book)?;
        let (engine, cause) = script::run(&kb, &file, &shown, &lookup, &mut book)?;
        let platform = platform
            .or(file.platform)
            .filter(|p| *p != crate::kb::Platform::Any);
        let topology = args
            .topology
            .map(crate::kb::schema::Topology::from)
            .or(file.topology)
            .or_else(|| present::wizard::inferred_topology(&engine))
            .filter(|t| *t != crate::kb::schema::Topology::Any);
        // Without a terminal, the rest follows the first screenful.
        let screen = present::wizard::end_screen(
            &engine,
            cause,
            platform,
            topology,
            ctx.lang,
            ctx.style,
            present::labels::BELOW_THE_REST,
        );
        out.write_all(screen.first.as_bytes())?;
        out.write_all(b"\n")?;
        out.write_all(screen.rest.as_bytes())?;
        if let Some(t) = &args.transcript {
            let text = present::wizard::transcript(&engine, cause, platform, topology, ctx.lang);
            std::fs::write(t, text).map_err(|e| {
                UserError::new(format!(
                    "cannot write the transcript to `{}`: {e}",
                    t.display()
                ))
                .zh(format!("无法把记录写入 `{}`：{e}", t.display()))
            })?;
        }
        return Ok(Outcome::Success);
    }
    // dialoguer reads keys from the terminal and draws on standard error: both must be one.
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(UserError::new("the wizard needs a terminal (standard input and standard error)")
            .zh("向导需要终端（标准输入和标准错误）")
            .hint("run it in a terminal, or script it with `--answers FILE` (see `ipsec-doctor wizard --help`)")
            .hint_zh("请在终端中运行，或用 `--answers FILE` 脚本化运行（见 `ipsec-doctor wizard --help`）")
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
                Some(best) => err
                    .hint(format!("did you mean `{best}`?"))
                    .hint_zh(format!("您是不是想输入 `{best}`？")),
                None => err
                    .hint("start at a symptom, question, error or cause (`ipsec-doctor kb graph --format json` lists them)")
                    .hint_zh("请从症状、问题、错误信息或根本原因开始（`ipsec-doctor kb graph --format json` 会列出它们）"),
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
        topology: args.topology.map(crate::kb::schema::Topology::from),
        transcript: args.transcript.clone(),
    };
    let searcher = std::cell::OnceCell::new();
    let lookup = error_lookup(&kb, &searcher);
    let reader = fact_reader(&kb);
    let mut book = crate::wizard::FactBook::new(&reader);
    read_wizard_files(&args.files, &mut book)?;
    match interactive::run(&kb, engine, &mut prompter, options, &lookup, book) {
        Ok(interactive::Exit::Cause(_)) => Ok(Outcome::Success),
        Ok(interactive::Exit::Quit) => Ok(Outcome::NotFound),
        Err(err) if is_interrupted(&err) => Ok(Outcome::Interrupted),
        Err(err) => Err(err),
    }
}

/// The wizard's way from a paste or a file to facts: diagnose's readers over the text.
fn fact_reader(kb: &Kb) -> impl Fn(&str, &str) -> Vec<crate::evidence::fact::Observed> + '_ {
    move |name: &str, text: &str| {
        let Ok(diagnoser) = crate::diagnose::Diagnoser::new(kb) else {
            return Vec::new();
        };
        let input = crate::diagnose::Input {
            name: name.to_string(),
            reader: Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
        };
        diagnoser
            .run(vec![input], |_, _| {})
            .map(|r| r.facts)
            .unwrap_or_default()
    }
}

/// The files given to the wizard, read (secrets redacted) into its fact book.
fn read_wizard_files(
    files: &[std::path::PathBuf],
    book: &mut crate::wizard::FactBook<'_>,
) -> Result<()> {
    for path in files {
        let bytes = std::fs::read(path).map_err(|e| {
            UserError::new(format!("cannot read `{}`: {e}", path.display()))
                .zh(format!("无法读取 `{}`：{e}", path.display()))
        })?;
        let text = crate::redact::user_text(&String::from_utf8_lossy(&bytes));
        book.add(&path.display().to_string(), &text);
    }
    Ok(())
}

/// The wizard's way from a pasted error line to its entry: search's confident answer. The
/// index is built the first time a line is looked up, not before.
fn error_lookup<'k>(
    kb: &'k Kb,
    searcher: &'k std::cell::OnceCell<Option<Searcher<'k>>>,
) -> impl Fn(&str) -> Option<(String, Kind)> + 'k {
    move |text: &str| {
        let searcher = searcher.get_or_init(|| Searcher::new(kb).ok()).as_ref()?;
        let outcome = searcher.search(text, 3);
        outcome.best().map(|h| (h.id.clone(), h.kind))
    }
}

/// Ctrl-C while a menu is open arrives as an `Interrupted` I/O error.
fn is_interrupted(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::Interrupted)
    })
}

/// What to search: the words given, or standard input for `-` (or no words and a pipe).
/// `-` among words is refused: reading both would make the query depend on where each
/// part came from, and a `-` typed as a word would silently wait for standard input.
fn search_text(args: &SearchArgs) -> Result<String> {
    let dash = args.text.iter().any(|t| t == "-");
    if dash && args.text.len() > 1 {
        return Err(UserError::new(
            "give the text to search or `-` (standard input), not both",
        )
        .zh("请给出要搜索的文字或 `-`（标准输入），不要两者都给")
        .hint("quote a text that holds a ` - `, e.g. `ipsec-doctor search 'a - b'`, or pipe it: `… | ipsec-doctor search -`")
        .hint_zh("含有 ` - ` 的文字请加引号，例如 `ipsec-doctor search 'a - b'`，或用管道传入：`… | ipsec-doctor search -`")
        .into());
    }
    if !(dash || (args.text.is_empty() && !std::io::stdin().is_terminal())) {
        return Ok(args.text.join(" "));
    }
    // Search answers about a line or a paste; a whole log is diagnose's job.
    const MAX_PASTE: u64 = 1 << 20;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_PASTE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            UserError::new(format!("cannot read standard input: {e}"))
                .zh(format!("无法读取标准输入：{e}"))
        })?;
    if bytes.len() as u64 > MAX_PASTE {
        return Err(
            UserError::new("the input is over 1 MiB: search takes a line or a paste")
                .zh("输入超过 1 MiB：search 只接受一行或一段粘贴")
                .hint("for a whole log, run `ipsec-doctor diagnose FILE`")
                .hint_zh("整份日志请运行 `ipsec-doctor diagnose FILE`")
                .into(),
        );
    }
    // Logs are not always UTF-8; a stray byte must not lose the rest of the line.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn search(ctx: &Context, args: &SearchArgs, out: &mut dyn Write) -> Result<Outcome> {
    let raw = search_text(args)?;
    if raw.trim().is_empty() {
        return Err(UserError::new("nothing to search")
            .zh("没有要搜索的内容")
            .hint("give an error line or words, e.g. `ipsec-doctor search 'replay check failed'`, or pipe a log into it")
            .hint_zh("请给出一行错误信息或一些词语，例如 `ipsec-doctor search 'replay check failed'`，或用管道传入日志")
            .into());
    }
    let kb = ctx.open_kb()?;
    // Start-up is most of a search's time (compiling patterns, building the index): the
    // independent parts run side by side.
    let (text, searcher) = std::thread::scope(|scope| {
        let patterns = scope.spawn(|| {
            kb.signatures();
            kb.informational_signatures();
        });
        // What the user pasted is quoted back (`query`, `matched`): its secrets go first.
        let text = scope.spawn(|| crate::redact::user_text(&raw));
        let searcher = Searcher::for_text(&kb, &raw);
        let _ = patterns.join();
        let text = text.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        (text, searcher)
    });
    let searcher = searcher.map_err(|e| {
        UserError::new(format!("cannot build the search index: {e}"))
            .zh(format!("无法建立搜索索引：{e}"))
    })?;
    let outcome = searcher.search(&text, args.limit as usize);
    if args.json {
        write_json(out, &present::json::search(&kb, &outcome, ctx.lang))?;
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
        ))
        .zh(format!("知识库中没有条目 `{}`", crate::kb::short(&args.id)));
        err = match suggestions.as_slice() {
            _ if why.is_some() => err.hint(why.unwrap_or_default()),
            [] => err
                .hint("run `ipsec-doctor kb graph --format json` to list every ID")
                .hint_zh("运行 `ipsec-doctor kb graph --format json` 列出全部 ID"),
            ids => {
                let ids: Vec<String> = ids.iter().map(|i| format!("`{i}`")).collect();
                err.hint(format!("did you mean {}?", ids.join(", ")))
                    .hint_zh(format!("您是不是想输入 {}？", ids.join("、")))
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

fn check(ctx: &Context, cli: &Cli, args: &CheckArgs, out: &mut dyn Write) -> Result<Outcome> {
    // `kb check DIR` is `kb check --kb DIR`; it overrides IPSEC_DOCTOR_KB, but two
    // different directories on the command line are a mistake, not a choice.
    let source = match (&args.dir, &cli.global.kb) {
        (Some(dir), Some(flag)) if !cli.global.kb_from_env && !same_dir(dir, flag) => {
            return Err(UserError::new(format!(
                "two knowledge bases to check: `{}` and `--kb {}`",
                dir.display(),
                flag.display()
            ))
            .zh(format!(
                "要检查的知识库有两个：`{}` 和 `--kb {}`",
                dir.display(),
                flag.display()
            ))
            .hint("give one: `ipsec-doctor kb check DIR`")
            .hint_zh("只给一个：`ipsec-doctor kb check DIR`")
            .into());
        }
        (Some(dir), _) => KbSource::Dir(dir.clone()),
        (None, _) => ctx.source.clone(),
    };
    let (kb, problems) = Kb::check(&source)?;
    for p in &problems {
        writeln!(out, "{p}")?;
    }
    let name = |lang| match (&source, lang) {
        (KbSource::Embedded, Lang::Zh) => "内置知识库".to_string(),
        _ => source.to_string(),
    };
    match kb {
        Some(kb) if problems.is_empty() => {
            let sections = kb.sections().count();
            let edges = kb.graph().edge_count();
            let counts = kb.counts();
            match ctx.lang {
                Lang::En => {
                    let counts: Vec<String> = counts
                        .into_iter()
                        .map(|(kind, n)| format!("{n} {}", plural(kind, n)))
                        .collect();
                    writeln!(
                        out,
                        "ok: {} is valid: {}, {sections} seed section{}, {edges} edges",
                        name(Lang::En),
                        counts.join(", "),
                        if sections == 1 { "" } else { "s" },
                    )?;
                }
                Lang::Zh => {
                    let counts: Vec<String> = counts
                        .into_iter()
                        .map(|(kind, n)| format!("{n} 个{}", kind_zh(kind)))
                        .collect();
                    writeln!(
                        out,
                        "通过：{}有效，共 {}、{sections} 个原文章节、{edges} 条边",
                        name(Lang::Zh),
                        counts.join("、"),
                    )?;
                }
            }
            Ok(Outcome::Success)
        }
        _ => {
            let n = problems.len();
            Ok(Outcome::NotFoundBecause(
                UserError::new(format!(
                    "{} has {n} problem{}",
                    name(Lang::En),
                    if n == 1 { "" } else { "s" }
                ))
                .zh(format!("{}有 {n} 个问题", name(Lang::Zh))),
            ))
        }
    }
}

/// The same directory, however it is spelt (`kb`, `./kb`, an absolute path).
fn same_dir(a: &std::path::Path, b: &std::path::Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

/// A node kind in a Chinese count ("8 个症状").
fn kind_zh(kind: Kind) -> &'static str {
    match kind {
        Kind::Symptom => "症状",
        Kind::Question => "问题",
        Kind::Command => "命令",
        Kind::Error => "错误信息",
        Kind::Cause => "根本原因",
        Kind::Fix => "修复",
    }
}

/// `man`: the main page on standard output, or every page into `--out DIR`.
fn man(ctx: &Context, args: &ManArgs, out: &mut dyn Write) -> Result<Outcome> {
    let Some(dir) = &args.out else {
        cli::man_page(out)?;
        return Ok(Outcome::Success);
    };
    let pages = std::fs::create_dir_all(dir)
        .and_then(|()| cli::man_pages(dir))
        .map_err(|e| {
            UserError::new(format!(
                "cannot write the man pages into `{}`: {e}",
                dir.display()
            ))
            .zh(format!("无法把手册页写入 `{}`：{e}", dir.display()))
        })?;
    match ctx.lang {
        Lang::En => writeln!(out, "wrote {} ({} pages)", dir.display(), pages.len())?,
        Lang::Zh => writeln!(out, "已写入 {}（{} 个页面）", dir.display(), pages.len())?,
    }
    Ok(Outcome::Success)
}

/// JSON output, serialised first so that a closed pipe surfaces as the plain I/O error
/// `main` recognises (serde_json would wrap it).
fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<()> {
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
