//! Reading knowledge-base files: from a directory, or from the copy embedded in the binary.
//!
//! This is the only module that touches serde_yaml. Every YAML or schema error becomes a
//! [`Problem`] at `file:line:col`, naming the node it sits in when that can be told.

use super::locate::Spans;
use super::problem::{Location, Problem};
use super::schema::KbFile;
use super::KbDoc;
use std::fmt;
use std::path::{Path, PathBuf};

// `EMBEDDED_KB: &[(&str, &str, Option<&str>)]`, the `kb/*.yaml` files as (path, YAML text,
// JSON twin), written by build.rs.
include!(concat!(env!("OUT_DIR"), "/embedded_kb.rs"));

/// Where a knowledge base comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KbSource {
    /// The `kb/` directory compiled into the binary.
    Embedded,
    /// A directory of `*.yaml` files.
    Dir(PathBuf),
}

impl KbSource {
    /// A short name for messages.
    pub fn display_name(&self) -> String {
        match self {
            KbSource::Embedded => "the embedded knowledge base".to_string(),
            KbSource::Dir(dir) => format!("`{}`", dir.display()),
        }
    }
}

impl fmt::Display for KbSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_name())
    }
}

/// Why a knowledge base could not be used.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    #[error("knowledge base directory `{}` does not exist", path.display())]
    NotFound { path: PathBuf },
    #[error("`{}` is not a directory; `--kb` takes a directory of YAML files", path.display())]
    NotADirectory { path: PathBuf },
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no `*.yaml` files in `{}`", path.display())]
    Empty { path: PathBuf },
    #[error("{source_name} has {} problem{}; first: {}", problems.len(), if problems.len() == 1 { "" } else { "s" }, problems.first().map(ToString::to_string).unwrap_or_default())]
    Invalid {
        source_name: String,
        problems: Vec<Problem>,
    },
}

/// A knowledge-base file before parsing.
pub(super) struct RawDoc {
    /// The path shown in messages.
    path: String,
    text: String,
    /// The same content as JSON, for the embedded files (build.rs makes it).
    json: Option<&'static str>,
    /// Where the file stops being UTF-8, if it does (its text is then lossy).
    bad_utf8: Option<usize>,
}

/// The raw files of a knowledge base, sorted by path.
pub(super) fn read_docs(source: &KbSource) -> Result<Vec<RawDoc>, KbError> {
    match source {
        KbSource::Embedded => Ok(EMBEDDED_KB
            .iter()
            .map(|(path, text, json)| RawDoc {
                path: path.to_string(),
                text: text.to_string(),
                json: *json,
                bad_utf8: None,
            })
            .collect()),
        KbSource::Dir(dir) => Ok(read_dir(dir)?
            .into_iter()
            .map(|(path, text, bad_utf8)| RawDoc {
                path,
                text,
                json: None,
                bad_utf8,
            })
            .collect()),
    }
}

fn read_dir(dir: &Path) -> Result<Vec<(String, String, Option<usize>)>, KbError> {
    let io = |source| KbError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(dir).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => KbError::NotFound {
            path: dir.to_path_buf(),
        },
        _ => io(e),
    })?;
    if !meta.is_dir() {
        return Err(KbError::NotADirectory {
            path: dir.to_path_buf(),
        });
    }
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let is_yaml = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        );
        if is_yaml && path.is_file() {
            paths.push(path);
        }
    }
    if paths.is_empty() {
        return Err(KbError::Empty {
            path: dir.to_path_buf(),
        });
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).map_err(|source| KbError::Io {
                path: path.clone(),
                source,
            })?;
            // A file that is not UTF-8 is a problem of the knowledge base, reported with its
            // place like any other; its text is kept (lossily) so the rest still loads.
            Ok(match String::from_utf8(bytes) {
                Ok(text) => (path.display().to_string(), text, None),
                Err(e) => {
                    let at = e.utf8_error().valid_up_to();
                    let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                    (path.display().to_string(), text, Some(at))
                }
            })
        })
        .collect()
}

/// Parse every file; report every file that fails, not only the first.
pub(super) fn parse_docs(raw: Vec<RawDoc>) -> (Vec<KbDoc>, Vec<Problem>) {
    let mut docs = Vec::new();
    let mut problems = Vec::new();
    for RawDoc {
        path,
        text,
        json,
        bad_utf8,
    } in raw
    {
        if let Some(at) = bad_utf8 {
            let before = &text[..at.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let location = Location {
                file: path.clone(),
                line,
                column,
            };
            problems.push(
                Problem::new(location, None, "the file is not UTF-8 text").hint("save it as UTF-8"),
            );
            continue;
        }
        // The JSON twin is the YAML already parsed by build.rs with this same schema.
        let from_json = json.and_then(|j| serde_json::from_str::<KbFile>(j).ok());
        let parsed = match from_json {
            Some(content) => Ok(content),
            None => parse_one(&path, &text),
        };
        match parsed {
            Ok(content) => docs.push(KbDoc {
                path,
                text,
                content,
            }),
            Err(problem) => problems.push(problem),
        }
    }
    (docs, problems)
}

fn parse_one(path: &str, text: &str) -> Result<KbFile, Problem> {
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(KbFile::default());
    }
    serde_yaml::from_str::<KbFile>(text).map_err(|err| yaml_problem(path, text, &err))
}

/// Parse another YAML document the tool reads (the wizard's answers file), with the same
/// `file:line:col` errors as the knowledge base.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(path: &str, text: &str) -> Result<T, Problem> {
    serde_yaml::from_str(text).map_err(|err| yaml_problem(path, text, &err))
}

/// Serialise a file's content back to YAML (for round-trip checks and tooling).
pub fn dump_yaml(content: &KbFile) -> String {
    // Plain data with string keys always serialises.
    serde_yaml::to_string(content).unwrap_or_default()
}

fn yaml_problem(path: &str, text: &str, err: &serde_yaml::Error) -> Problem {
    let (line, column) = err
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((1, 1));
    let spans = Spans::scan(text);
    let node = spans.node_at_line(line);
    let message = clean_message(&err.to_string());
    let mut problem = Problem::new(
        Location {
            file: path.to_string(),
            line,
            column,
        },
        node,
        message.clone(),
    );
    if message.contains("unknown field") {
        problem = problem.hint("see the schema reference in kb/README.md");
    } else if message.contains("mapping values are not allowed") {
        problem = problem.hint("quote values that contain `: `");
    } else if message.contains("missing field `zh`")
        || message.contains("missing field `en`")
        || message.contains("expected struct Text")
    {
        problem = problem.hint("user-facing text needs both languages: `{ en: ..., zh: ... }`");
    }
    problem
}

/// serde_yaml appends " at line L column C" which the location already says.
fn clean_message(message: &str) -> String {
    let message = match message.rfind(" at line ") {
        Some(at) if message[at..].contains(" column ") => &message[..at],
        _ => message,
    };
    message.replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_errors_carry_location_and_node() {
        let text = "causes:\n  - id: cause-a\n    title: { en: A, zh: 甲 }\n    colour: red\n";
        let problem = parse_one("k.yaml", text).unwrap_err();
        assert_eq!(problem.location.line, 4);
        assert_eq!(problem.location.column, 5);
        assert_eq!(problem.node.as_deref(), Some("cause-a"));
        assert!(
            problem.message.contains("unknown field `colour`"),
            "{problem}"
        );
        assert!(!problem.message.contains(" at line "), "{problem}");
    }

    #[test]
    fn comment_only_file_is_empty() {
        assert_eq!(
            parse_one("k.yaml", "# nothing yet\n").unwrap(),
            KbFile::default()
        );
    }

    #[test]
    fn embedded_kb_is_present() {
        assert!(EMBEDDED_KB
            .iter()
            .any(|(p, _, _)| p.ends_with("sections.yaml")));
        // Every embedded file parsed at build time, so start-up reads JSON, not YAML.
        assert!(EMBEDDED_KB.iter().all(|(_, _, json)| json.is_some()));
    }
}
