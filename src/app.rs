//! Runs a parsed command line against a knowledge base and writes the output.

use crate::cli::{Cli, Command, GraphFormat, KbCommand, ShowArgs};
use crate::error::UserError;
use crate::kb::{Kb, KbError, KbSource, Kind, Lang};
use crate::render::Renderer;
use crate::term::Style;
use crate::{cli, export};
use anyhow::Result;
use std::io::Write;

/// How a command ended when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: nothing found, or problems found.
    NotFound,
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
            .map(Lang::from)
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
    match &cli.command {
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
                    serde_json::to_writer_pretty(&mut *out, &export::json(&kb, ctx.lang))?;
                    writeln!(out)?;
                }
            }
            Ok(Outcome::Success)
        }
    }
}

fn show(ctx: &Context, args: &ShowArgs, out: &mut dyn Write) -> Result<Outcome> {
    let kb = ctx.open_kb()?;
    let Some(node) = kb.node(args.id.trim()) else {
        let suggestions = kb.suggest(args.id.trim());
        let mut err = UserError::new(format!("no entry `{}` in the knowledge base", args.id));
        err = match suggestions.as_slice() {
            [] => err.hint("run `ipsec-doctor kb graph --format json` to list every ID"),
            ids => {
                let ids: Vec<String> = ids.iter().map(|i| format!("`{i}`")).collect();
                err.hint(format!("did you mean {}?", ids.join(", ")))
            }
        };
        // A lookup that finds nothing exits 1, like grep.
        eprintln!("error: {}", err.message);
        if let Some(hint) = &err.hint {
            eprintln!("hint: {hint}");
        }
        return Ok(Outcome::NotFound);
    };
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &node.to_json())?;
        writeln!(out)?;
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
            eprintln!(
                "error: {} has {n} problem{}",
                ctx.source,
                if n == 1 { "" } else { "s" }
            );
            Ok(Outcome::NotFound)
        }
    }
}

fn plural(kind: Kind, n: usize) -> &'static str {
    if n == 1 {
        kind.as_str()
    } else {
        kind.plural()
    }
}
