//! Command-line arguments (clap): their definitions, parsing with `--color` governing clap's
//! own help and usage errors, and what is generated from the definitions (shell completions
//! with clap_complete, the man page with clap_mangen). Nothing here does work; `app` runs
//! what is parsed.

use crate::kb::Lang;
use crate::term::ColorChoice;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::parser::ValueSource;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The help section of the options every command takes.
const GLOBAL: &str = "Global options";

const EXAMPLES: &str = "\
Examples:
  ipsec-doctor wizard
  ipsec-doctor wizard --start sym-no-traffic-after-tunnel-up --lang zh
  ipsec-doctor wizard --answers answers.yaml --transcript incident.md
  ipsec-doctor search '%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=3'
  ipsec-doctor search < show-logging.txt
  ipsec-doctor search 分割隧道
  ipsec-doctor diagnose /var/log/cisco/*.log
  ipsec-doctor diagnose --json show-crypto.txt
  ipsec-doctor show sym-no-traffic-after-tunnel-up
  ipsec-doctor show err-invalid-spi --lang zh
  ipsec-doctor show cause-psk-mismatch --json
  ipsec-doctor book --out runbook && mdbook build runbook/en
  ipsec-doctor kb check --kb ./my-kb
  ipsec-doctor kb check ./my-kb
  ipsec-doctor kb graph --format dot > kb.dot
  ipsec-doctor kb coverage
  ipsec-doctor completions bash > ipsec-doctor.bash
  ipsec-doctor man > ipsec-doctor.1";

/// Troubleshoot Cisco IOS and PIX/ASA IPsec VPNs.
#[derive(Debug, Parser)]
#[command(name = "ipsec-doctor", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// The options every command takes, listed under their own heading in each `--help`.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Read the knowledge base from this directory of YAML files instead of the one
    /// built into the binary.
    #[arg(
        long = "kb",
        value_name = "DIR",
        env = "IPSEC_DOCTOR_KB",
        global = true,
        help_heading = GLOBAL
    )]
    pub kb: Option<PathBuf>,
    /// Whether `kb` came from `IPSEC_DOCTOR_KB` rather than the command line (set by
    /// [`try_parse_from`]): `kb check DIR` overrides the environment, not `--kb`.
    #[arg(skip)]
    pub kb_from_env: bool,
    /// Language of the output [default: from LC_ALL / LC_MESSAGES / LANG, else en].
    // `all` is `book`'s alone: `BookArgs::lang` shares this ID, so clap gives `book` that
    // option instead of this one, and a value given on either side reaches both.
    #[arg(
        long = "lang",
        value_name = "LANG",
        value_parser = one_language(),
        global = true,
        help_heading = GLOBAL
    )]
    pub lang: Option<LangArg>,
    /// When to use colour, in the output and in this help; `auto` honours NO_COLOR.
    #[arg(
        long = "color",
        value_name = "WHEN",
        value_enum,
        default_value_t = ColorChoice::Auto,
        global = true,
        help_heading = GLOBAL
    )]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walk from a symptom (or an error message) through questions to the root cause and
    /// the configuration fix.
    ///
    /// Interactive in a terminal: arrow keys and Enter choose, Esc goes back; at any
    /// question you can paste the command's output and let the wizard answer. With
    /// `--answers FILE` it runs without a terminal, from a YAML file:
    ///
    ///   start: sym-tunnel-not-established   # or `error: "<a log line>"`
    ///   platform: ios                       # ios | pix | asa (optional)
    ///   topology: l2l                       # l2l | remote-access (optional)
    ///   answers:
    ///     q-isakmp-sa-state: mm-key-exch    # answer ID, or pasted output:
    ///     q-mm-key-exch:
    ///       paste: |
    ///         ...
    ///   cause: cause-transform-set-mismatch # when an error has several causes
    ///
    /// The next question is the next one on the knowledge base's path for the answers so
    /// far. Questions your evidence settles (FILE arguments, any paste) are answered for you
    /// and shown as such; only the others are asked. On a checklist (routes, sysopt, the
    /// NAT-exemption and crypto ACL checks) a cause found does not end the walk: the end
    /// screen names the causes still possible behind it, and "Keep checking" asks about them
    /// (an answers file goes on when it answers the next item).
    ///
    /// Exit 0 at a root cause, 1 when quit before one, 2 on error, 130 on Ctrl-C.
    #[command(verbatim_doc_comment)]
    Wizard(WizardArgs),
    /// Find every known IPsec problem in logs or pasted show/debug output.
    ///
    /// Reads the files (or standard input) once, streaming, and reports each problem with
    /// the lines that show it, its causes and fixes. Exit 0 with findings, 1 without.
    Diagnose(DiagnoseArgs),
    /// Find the entry for an error line, a pasted log, or a phrase (English or Chinese).
    ///
    /// Every line is matched against the known error messages, and so are two or three
    /// lines joined (a message wrapped in the paste). Only a short text, at most 4
    /// non-empty lines and 512 bytes, is also ranked by its words: by its first 32 distinct
    /// words, at most 8 of them matched loosely (misspelt, or the last word cut short). A
    /// longer paste with no known error message in it is no confident match: for a whole
    /// log, run `ipsec-doctor diagnose`. Standard input is read up to 1 MiB.
    ///
    /// Exit 0 with a confident answer, 1 without one.
    Search(SearchArgs),
    /// Show one entry of the knowledge base: its explanation, the commands to run and how to
    /// read them, its causes and fixes with the configuration lines.
    Show(ShowArgs),
    /// Generate the runbook: a static mdBook per language (book.toml, src/SUMMARY.md, pages,
    /// flow diagrams) from the knowledge base.
    ///
    /// Writes DIR/en and DIR/zh (`--lang` picks one). `--check` compares the books in DIR
    /// with what the knowledge base generates and exits 1, listing the files, when they
    /// differ. Build the HTML with `mdbook build DIR/en`.
    Book(BookArgs),
    /// Export the knowledge base for other tools (Sigma rules).
    #[command(subcommand)]
    Export(ExportCommand),
    /// Check or export the knowledge base.
    #[command(subcommand)]
    Kb(KbCommand),
    /// Print a shell completion script, generated from these options.
    ///
    /// bash: `ipsec-doctor completions bash > ~/.local/share/bash-completion/completions/ipsec-doctor`;
    /// zsh: `ipsec-doctor completions zsh > ~/.zfunc/_ipsec-doctor` (with `fpath+=~/.zfunc`
    /// before `compinit`); fish: `ipsec-doctor completions fish >
    /// ~/.config/fish/completions/ipsec-doctor.fish`.
    Completions(CompletionsArgs),
    /// Print the man page (roff), generated from these options.
    ///
    /// Read it with `ipsec-doctor man | man -l -`. `--out DIR` writes instead one page per
    /// command (ipsec-doctor.1, ipsec-doctor-wizard.1, …), e.g. into /usr/local/share/man/man1.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write every page into this directory instead of printing the main one.
    #[arg(long = "out", value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BookArgs {
    /// Where the books go (one directory per language inside).
    #[arg(long = "out", value_name = "DIR", default_value = "book")]
    pub out: PathBuf,
    /// Compare the books in DIR with the knowledge base instead of writing them.
    #[arg(long = "check")]
    pub check: bool,
    /// Write even into a directory that holds something other than a generated book.
    #[arg(long = "force")]
    pub force: bool,
    /// Language of the books: `en`, `zh`, or `all` (both) [default: all].
    // The same ID as the global `--lang`, which `book` takes with this wider set of values.
    #[arg(long = "lang", id = "lang", value_name = "LANG", value_enum)]
    pub lang: Option<LangArg>,
}

#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// Log files or pasted output to read, in this order; `-` reads standard input in its
    /// place (once), and no file at all reads standard input.
    pub files: Vec<PathBuf>,
    /// Print `{"lines", "findings": [{"id", "kind", "title", "causes", "fixes", "evidence"}]}`.
    #[arg(long = "json")]
    pub json: bool,
    /// Print the patterns diagnose scans for, one per line (for `grep -f` or `rg -f`), and exit.
    #[arg(long = "patterns")]
    pub patterns: bool,
    /// Search each input on this many threads [default: the number of CPUs]. The findings
    /// are the same for any number.
    #[arg(long = "threads", value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
}

#[derive(Debug, Args)]
pub struct WizardArgs {
    /// Logs, show/debug output or configs to read first: every question they settle is
    /// answered for you, with the line that settles it.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Start at this symptom, question, error or cause instead of the menu.
    #[arg(long = "start", value_name = "ID")]
    pub start: Option<String>,
    /// Run without a terminal, answering from this YAML file (format above); `-` reads it
    /// from standard input.
    #[arg(long = "answers", value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Write a Markdown transcript here at the end (secrets in pasted output are redacted).
    #[arg(long = "transcript", value_name = "FILE")]
    pub transcript: Option<PathBuf>,
    /// Show fixes for this platform [default: ask, or all platforms with --answers].
    #[arg(long = "platform", value_enum)]
    pub platform: Option<PlatformArg>,
    /// The kind of VPN: LAN-to-LAN or remote access [default: ask unless the symptom or the
    /// answers tell, or every fix with --answers].
    #[arg(long = "topology", value_enum)]
    pub topology: Option<TopologyArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TopologyArg {
    L2l,
    RemoteAccess,
}

impl From<TopologyArg> for crate::kb::schema::Topology {
    fn from(t: TopologyArg) -> crate::kb::schema::Topology {
        match t {
            TopologyArg::L2l => crate::kb::schema::Topology::L2l,
            TopologyArg::RemoteAccess => crate::kb::schema::Topology::RemoteAccess,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlatformArg {
    Ios,
    Pix,
    Asa,
}

impl From<PlatformArg> for crate::kb::Platform {
    fn from(p: PlatformArg) -> crate::kb::Platform {
        match p {
            PlatformArg::Ios => crate::kb::Platform::Ios,
            PlatformArg::Pix => crate::kb::Platform::Pix,
            PlatformArg::Asa => crate::kb::Platform::Asa,
        }
    }
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The text to search: an error line, words, or `-` alone to read standard input (the
    /// default when standard input is not a terminal and no text is given).
    pub text: Vec<String>,
    /// How many results to list (at least 1).
    #[arg(long = "limit", value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: u64,
    /// Print `{"query", "results": [{"id", "kind", "title", "score", "confident", "matched"}]}`.
    #[arg(long = "json")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The node ID, e.g. `err-invalid-spi` or `sym-tunnel-not-established`.
    pub id: String,
    /// Print the node as JSON.
    #[arg(long = "json")]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Validate a knowledge base and report every problem with its file:line:col.
    Check(CheckArgs),
    /// Export the knowledge-base graph.
    Graph(GraphArgs),
    /// Print the seed-coverage table (seed section → node IDs) as Markdown.
    Coverage,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// One Sigma rule per error entry, for Splunk, Elasticsearch, Loki or Sentinel.
    ///
    /// Without `--out`, the rules go to standard output as one YAML stream (`---` between
    /// rules). Rule IDs derive from the entries' IDs: they never change between releases.
    /// Detection is on the fields `message` (the log line) and `message_id` (the ASA
    /// message number); the pipelines in `sigma/pipelines/` map them to ECS, Splunk
    /// `cisco:asa` and raw syslog. The rules that keep a regular expression are listed on
    /// standard error.
    Sigma(SigmaArgs),
}

#[derive(Debug, Args)]
pub struct SigmaArgs {
    /// Write one `<entry>.yml` per rule into this directory (created if missing).
    #[arg(long = "out", value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Where the runbook is published: each rule's first reference is its page there.
    #[arg(long = "book-url", value_name = "URL", default_value = crate::sigma::DEFAULT_BOOK_URL)]
    pub book_url: String,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The knowledge-base directory to check (the same as `--kb DIR`) [default: the `--kb`
    /// directory, else the embedded knowledge base].
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Output format.
    #[arg(long = "format", value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT.
    Dot,
    /// `{"nodes": [...], "edges": [...]}`.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// English.
    En,
    /// Simplified Chinese.
    Zh,
    /// Both (`book` only).
    All,
}

impl LangArg {
    /// The one language this stands for; `None` for `all`.
    pub fn single(self) -> Option<Lang> {
        match self {
            LangArg::En => Some(Lang::En),
            LangArg::Zh => Some(Lang::Zh),
            LangArg::All => None,
        }
    }
}

/// The values of the global `--lang`: one language (`all` is `book`'s own).
fn one_language() -> impl TypedValueParser<Value = LangArg> {
    PossibleValuesParser::new([
        PossibleValue::new("en").help("English"),
        PossibleValue::new("zh").help("Simplified Chinese"),
    ])
    .map(|v| if v == "zh" { LangArg::Zh } else { LangArg::En })
}

impl Cli {
    /// The language of the output and of messages: `--lang`, else the locale.
    pub fn lang(&self) -> Lang {
        self.global
            .lang
            .and_then(|l| l.single())
            .unwrap_or_else(|| lang_from_env(|k| std::env::var(k).ok()))
    }
}

/// Parse a command line (`args[0]` is the program). `--color` is applied to clap's own help
/// and usage errors too; the caller prints the error with `err.exit()` (exit 2, or 0 for
/// `--help` and `--version`).
pub fn try_parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let color = match color_in(&args) {
        ColorChoice::Auto => clap::ColorChoice::Auto,
        ColorChoice::Always => clap::ColorChoice::Always,
        ColorChoice::Never => clap::ColorChoice::Never,
    };
    let mut command = Cli::command().color(color);
    let matches = command.try_get_matches_from_mut(args)?;
    let mut cli = Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut command))?;
    cli.global.kb_from_env = matches.value_source("kb") == Some(ValueSource::EnvVariable);
    Ok(cli)
}

/// `--color` read ahead of clap, which needs to know before it parses (and may fail to):
/// the last `--color WHEN` or `--color=WHEN` before `--`; an invalid one is left to clap.
fn color_in(args: &[OsString]) -> ColorChoice {
    let mut choice = ColorChoice::Auto;
    let mut args = args.iter().skip(1).map(|a| a.to_str());
    while let Some(arg) = args.next() {
        let value = match arg {
            Some("--") => break,
            Some("--color") => args.next().flatten(),
            Some(a) => a.strip_prefix("--color="),
            None => None,
        };
        if let Some(c) = value.and_then(|v| ColorChoice::from_str(v, false).ok()) {
            choice = c;
        }
    }
    choice
}

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> io::Result<()> {
    // Generated into memory: clap_complete panics on a write error such as a closed pipe.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "ipsec-doctor", &mut script);
    out.write_all(&script)
}

/// The man page of `ipsec-doctor` (roff), its commands listed.
pub fn man_page(out: &mut dyn Write) -> io::Result<()> {
    clap_mangen::Man::new(Cli::command()).render(out)
}

/// One man page per command into `dir` (ipsec-doctor.1, ipsec-doctor-kb-check.1, …); the
/// paths written, in order.
pub fn man_pages(dir: &Path) -> io::Result<Vec<PathBuf>> {
    fn write(command: &clap::Command, dir: &Path, written: &mut Vec<PathBuf>) -> io::Result<()> {
        written.push(clap_mangen::Man::new(command.clone()).generate_to(dir)?);
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
            write(sub, dir, written)?;
        }
        Ok(())
    }
    // Built first, so that each subcommand has its full name and the global options.
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let mut written = Vec::new();
    write(&command, dir, &mut written)?;
    Ok(written)
}

/// The language from the locale variables, as POSIX orders them: `LC_ALL`, then
/// `LC_MESSAGES`, then `LANG`. `zh*` means Chinese; anything else English.
pub fn lang_from_env(get: impl Fn(&str) -> Option<String>) -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| get(k).filter(|v| !v.is_empty()))
        .map(|v| {
            if v.to_lowercase().starts_with("zh") {
                Lang::Zh
            } else {
                Lang::En
            }
        })
        .unwrap_or(Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        try_parse_from(std::iter::once("ipsec-doctor").chain(args.iter().copied()))
    }

    #[test]
    fn lang_all_is_books_alone() {
        let book = |cli: Cli| match cli.command {
            Command::Book(args) => args.lang,
            other => panic!("not book: {other:?}"),
        };
        assert_eq!(
            book(parse(&["book", "--lang", "all"]).unwrap()),
            Some(LangArg::All)
        );
        // The global option before the command reaches book's own, and the other way round.
        assert_eq!(
            book(parse(&["--lang", "zh", "book"]).unwrap()),
            Some(LangArg::Zh)
        );
        let cli = parse(&["book", "--lang", "zh"]).unwrap();
        assert_eq!(cli.global.lang, Some(LangArg::Zh));
        for args in [
            &["search", "--lang", "all", "x"][..],
            &["--lang", "all", "book"],
            &["kb", "check", "--lang", "all"],
        ] {
            let err = parse(args).unwrap_err();
            assert_eq!(err.kind(), clap::error::ErrorKind::InvalidValue, "{args:?}");
        }
    }

    #[test]
    fn color_is_read_before_clap() {
        let color = |args: &[&str]| {
            let args: Vec<OsString> = std::iter::once("ipsec-doctor")
                .chain(args.iter().copied())
                .map(OsString::from)
                .collect();
            color_in(&args)
        };
        assert_eq!(color(&["--help"]), ColorChoice::Auto);
        assert_eq!(
            color(&["search", "--color", "never", "x"]),
            ColorChoice::Never
        );
        assert_eq!(color(&["--color=always", "show", "x"]), ColorChoice::Always);
        assert_eq!(
            color(&["--color", "never", "--color", "always"]),
            ColorChoice::Always
        );
        assert_eq!(color(&["--color", "sometimes"]), ColorChoice::Auto);
        assert_eq!(
            color(&["search", "--", "--color", "never"]),
            ColorChoice::Auto
        );
    }

    #[test]
    fn kb_source_is_recorded() {
        let cli = parse(&["kb", "check", "--kb", "dir"]).unwrap();
        assert!(!cli.global.kb_from_env);
    }

    #[test]
    fn locale_order() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(lang_from_env(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(
            lang_from_env(env(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "C")])),
            Lang::En
        );
        assert_eq!(
            lang_from_env(env(&[("LC_ALL", ""), ("LANG", "zh_TW")])),
            Lang::Zh
        );
        assert_eq!(lang_from_env(env(&[])), Lang::En);
    }
}
