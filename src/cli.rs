//! Command-line arguments (clap). Nothing here does work; `app` runs what is parsed.

use crate::kb::Lang;
use crate::term::ColorChoice;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

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
  ipsec-doctor kb graph --format dot > kb.dot
  ipsec-doctor kb coverage";

/// Troubleshoot Cisco IOS and PIX/ASA IPsec VPNs.
#[derive(Debug, Parser)]
#[command(name = "ipsec-doctor", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Read the knowledge base from this directory of YAML files instead of the one
    /// built into the binary.
    #[arg(
        long = "kb",
        value_name = "DIR",
        env = "IPSEC_DOCTOR_KB",
        global = true
    )]
    pub kb: Option<PathBuf>,
    /// Language of the output [default: from LC_ALL / LC_MESSAGES / LANG, else en]; `all`
    /// (both) applies to `book` only.
    #[arg(long = "lang", value_enum, global = true)]
    pub lang: Option<LangArg>,
    /// When to use colour; `auto` honours NO_COLOR.
    #[arg(long = "color", value_enum, default_value_t = ColorChoice::Auto, global = true)]
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
    ///   answers:
    ///     q-isakmp-sa-state: mm-key-exch    # answer ID, or pasted output:
    ///     q-mm-key-exch:
    ///       paste: |
    ///         ...
    ///   cause: cause-transform-set-mismatch # when an error has several causes
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
    /// Check or export the knowledge base.
    #[command(subcommand)]
    Kb(KbCommand),
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
}

#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// Log files or pasted output to read; `-` or none reads standard input.
    pub files: Vec<PathBuf>,
    /// Print `{"lines", "findings": [{"id", "kind", "title", "causes", "fixes", "evidence"}]}`.
    #[arg(long = "json")]
    pub json: bool,
    /// Print the patterns diagnose scans for, one per line (for `grep -f` or `rg -f`), and exit.
    #[arg(long = "patterns")]
    pub patterns: bool,
}

#[derive(Debug, Args)]
pub struct WizardArgs {
    /// Start at this symptom, question, error or cause instead of the menu.
    #[arg(long = "start", value_name = "ID")]
    pub start: Option<String>,
    /// Run without a terminal, answering from this YAML file (format above).
    #[arg(long = "answers", value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Write a Markdown transcript here at the end (secrets in pasted output are redacted).
    #[arg(long = "transcript", value_name = "FILE")]
    pub transcript: Option<PathBuf>,
    /// Show fixes for this platform [default: ask, or all platforms with --answers].
    #[arg(long = "platform", value_enum)]
    pub platform: Option<PlatformArg>,
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
    /// The text to search: an error line, words, or `-` to read standard input (the
    /// default when standard input is not a terminal).
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
    Check,
    /// Export the knowledge-base graph.
    Graph(GraphArgs),
    /// Print the seed-coverage table (seed section → node IDs) as Markdown.
    Coverage,
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
    /// Both (for `book`).
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
