//! Reading knowledge-base files: from a directory, or from the copy embedded in the binary.
//!
//! This is the only module that touches serde_yaml. Every YAML or schema error becomes a
//! [`Problem`] at `file:line:col`, naming the node it sits in when that can be told.
//!
//! Only regular `*.yaml` files are read. A directory entry that looks meant for the
//! knowledge base but cannot be (a `.yml` file, a directory named `causes.yaml`, a FIFO, a
//! device, a dangling or looping symbolic link) is refused with one problem naming it, so
//! nothing is silently lost and no cascade of unrelated problems follows from its absence.
//! Sizes and nesting depth are checked before the YAML parser sees a text.

use super::limits::{nesting, size_words, MAX_DEPTH, MAX_FILE_BYTES};
use super::locate::Spans;
use super::problem::{bound_quoted, Location, Problem};
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

/// The raw files of a knowledge base, sorted by path, and the directory entries refused
/// (each one problem: a `.yml` file, a directory named like a YAML file, a FIFO, …).
pub(super) fn read_docs(source: &KbSource) -> Result<(Vec<RawDoc>, Vec<Problem>), KbError> {
    match source {
        KbSource::Embedded => Ok((
            EMBEDDED_KB
                .iter()
                .map(|(path, text, json)| RawDoc {
                    path: path.to_string(),
                    text: text.to_string(),
                    json: *json,
                    bad_utf8: None,
                })
                .collect(),
            Vec::new(),
        )),
        KbSource::Dir(dir) => read_dir(dir),
    }
}

/// What a directory entry's name makes of it.
#[derive(Debug, PartialEq, Eq)]
enum Name {
    /// `*.yaml`: read.
    Yaml,
    /// `*.yml`, `*.YAML`, …: refused, so that nothing meant as knowledge is silently lost.
    Misnamed,
    /// Anything else (README.md, hidden files such as editor locks): not the loader's.
    Other,
}

fn classify(name: &str) -> Name {
    if name.starts_with('.') {
        return Name::Other;
    }
    match name.rsplit_once('.') {
        Some((stem, "yaml")) if !stem.is_empty() => Name::Yaml,
        Some((stem, ext))
            if !stem.is_empty()
                && (ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml")) =>
        {
            Name::Misnamed
        }
        _ => Name::Other,
    }
}

/// A refusal of a whole directory entry: one line, the path, what it is, what to do.
fn refuse(path: &Path, message: impl Into<String>, hint: impl Into<String>) -> Problem {
    Problem::new(Location::file(path.display().to_string()), None, message).hint(hint)
}

const LINK_HINT: &str = "point the link at a regular `.yaml` file, or remove it";

/// What kind of thing a file type is, in words, when it is not a regular file.
fn not_regular(file_type: std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if file_type.is_char_device() {
            return Some("a character device");
        }
        if file_type.is_block_device() {
            return Some("a block device");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// Check that a `*.yaml` entry is a regular file (or a link to one) from its metadata
/// alone: opening a FIFO would block, reading a device need never end.
fn check_entry(path: &Path) -> Result<(), Problem> {
    let own = std::fs::symlink_metadata(path).map_err(|e| {
        refuse(
            path,
            format!("cannot be examined: {e}"),
            "check its permissions",
        )
    })?;
    if own.file_type().is_symlink() {
        return match std::fs::metadata(path) {
            Ok(target) => match not_regular(target.file_type()) {
                None => Ok(()),
                Some(what) => Err(refuse(
                    path,
                    format!(
                        "is a symbolic link to `{}`, {what}, not a regular file",
                        link_target(path)
                    ),
                    LINK_HINT,
                )),
            },
            Err(_) => Err(broken_link(path)),
        };
    }
    match not_regular(own.file_type()) {
        None => Ok(()),
        Some("a directory") => Err(refuse(
            path,
            "is a directory, not a YAML file",
            "the knowledge base reads regular `*.yaml` files only; rename the directory or move it elsewhere",
        )),
        Some(what) => Err(refuse(
            path,
            format!("is {what}, not a regular file; it was not opened"),
            "replace it with a regular `.yaml` file, or remove it",
        )),
    }
}

fn link_target(path: &Path) -> String {
    std::fs::read_link(path)
        .map(|t| t.display().to_string())
        .unwrap_or_else(|_| "?".to_string())
}

/// Why a symbolic link leads nowhere: it dangles, or it loops.
fn broken_link(path: &Path) -> Problem {
    // Follow the chain by hand (the standard library does not name ELOOP portably).
    let mut chain: Vec<PathBuf> = vec![path.to_path_buf()];
    let mut shown: Vec<String> = Vec::new();
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        let Ok(meta) = std::fs::symlink_metadata(&current) else {
            let last = shown.last().cloned().unwrap_or_default();
            return refuse(
                path,
                format!("is a dangling symbolic link: its target `{last}` does not exist"),
                LINK_HINT,
            );
        };
        if !meta.file_type().is_symlink() {
            break;
        }
        let Ok(target) = std::fs::read_link(&current) else {
            break;
        };
        shown.push(target.display().to_string());
        let next = match current.parent() {
            Some(parent) if target.is_relative() => parent.join(&target),
            _ => target,
        };
        if chain.contains(&next) {
            return link_loop(path, &shown);
        }
        chain.push(next.clone());
        current = next;
    }
    if shown.len() >= 40 {
        return link_loop(path, &shown);
    }
    refuse(
        path,
        format!(
            "is a symbolic link to `{}`, which cannot be read",
            link_target(path)
        ),
        LINK_HINT,
    )
}

fn link_loop(path: &Path, shown: &[String]) -> Problem {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut steps: Vec<String> = std::iter::once(&name)
        .chain(shown.iter().take(5))
        .map(|s| format!("`{s}`"))
        .collect();
    if shown.len() > 5 {
        steps.push("…".to_string());
    }
    refuse(
        path,
        format!("is a symbolic link loop ({})", steps.join(" → ")),
        LINK_HINT,
    )
}

/// Read one regular file, at most [`MAX_FILE_BYTES`] of it.
fn read_file(path: &Path) -> Result<(String, Option<usize>), Problem> {
    use std::io::Read as _;
    let too_big = |size: u64| {
        refuse(
            path,
            format!(
                "is {size} bytes, over the {} limit for a knowledge-base file; it was not read",
                size_words(MAX_FILE_BYTES)
            ),
            "split it into several `*.yaml` files",
        )
    };
    let cannot = |e: std::io::Error| {
        refuse(
            path,
            format!("cannot be read: {e}"),
            "check its permissions",
        )
    };
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    // A file that is not UTF-8 is a problem of the knowledge base, reported with its place
    // like any other; its text is kept (lossily) so the rest still loads.
    Ok(match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(at))
        }
    })
}

/// The `*.yaml` files of a directory. Every other name is ignored, except names that look
/// meant for the knowledge base (`*.yml`, `*.YAML`) and `*.yaml` entries that are not
/// regular files: each is refused with one problem, never skipped and never opened.
fn read_dir(dir: &Path) -> Result<(Vec<RawDoc>, Vec<Problem>), KbError> {
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
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match classify(&name) {
            Name::Other => {}
            Name::Misnamed => {
                let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
                problems.push(refuse(
                    &path,
                    "is not read: knowledge-base files end in `.yaml`",
                    format!("rename it to `{stem}.yaml`"),
                ));
            }
            Name::Yaml => match check_entry(&path) {
                Ok(()) => paths.push(path),
                Err(problem) => problems.push(problem),
            },
        }
    }
    if paths.is_empty() && problems.is_empty() {
        return Err(KbError::Empty {
            path: dir.to_path_buf(),
        });
    }
    paths.sort();
    let mut docs = Vec::new();
    for path in paths {
        match read_file(&path) {
            Ok((text, bad_utf8)) => docs.push(RawDoc {
                path: path.display().to_string(),
                text,
                json: None,
                bad_utf8,
            }),
            Err(problem) => problems.push(problem),
        }
    }
    Ok((docs, problems))
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
    within_limits(path, text)?;
    serde_yaml::from_str::<KbFile>(text).map_err(|err| yaml_problem(path, text, &err))
}

/// Parse another YAML document the tool reads (the wizard's answers file), with the same
/// limits and `file:line:col` errors as the knowledge base.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(path: &str, text: &str) -> Result<T, Problem> {
    within_limits(path, text)?;
    serde_yaml::from_str(text).map_err(|err| yaml_problem(path, text, &err))
}

/// Refuse a text the YAML parser would spend too long on, before it starts.
fn within_limits(path: &str, text: &str) -> Result<(), Problem> {
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(Problem::new(
            Location::file(path),
            None,
            format!(
                "is {} bytes, over the {} limit for a YAML file; it was not parsed",
                text.len(),
                size_words(MAX_FILE_BYTES)
            ),
        )
        .hint("split it into several files"));
    }
    match nesting(text) {
        None => Ok(()),
        Some(at) => {
            let (what, hint) = if at.flow {
                (
                    "brackets and braces (`[`, `{`) nest",
                    "look for brackets that are never closed, or a file generated by mistake",
                )
            } else {
                (
                    "indentation nests",
                    "knowledge-base files need about eight levels; is the file generated by mistake?",
                )
            };
            Err(Problem::new(
                Location {
                    file: path.to_string(),
                    line: at.line,
                    column: at.column,
                },
                None,
                format!("{what} more than {MAX_DEPTH} levels deep here; the file was not parsed"),
            )
            .hint(hint))
        }
    }
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
        || message.contains(super::schema::TEXT_EXPECTING)
    {
        problem = problem.hint("user-facing text needs both languages: `{ en: ..., zh: ... }`");
    }
    problem
}

/// serde_yaml appends " at line L column C" which the location already says. Values it
/// quotes are cut short, and the names of Rust types (every schema type says what it
/// expects, `#[serde(expecting)]`; this is the safety net) never reach the user.
fn clean_message(message: &str) -> String {
    let message = match message.rfind(" at line ") {
        Some(at) if message[at..].contains(" column ") => &message[..at],
        _ => message,
    };
    let message = bound_quoted(&bound_quoted(&message.replace('\n', " "), '`'), '"');
    // serde_yaml's words for a list or mapping where one name (`ios`) belongs.
    let message = message.replace(
        "expected a YAML tag starting with '!'",
        "expected one plain name, not a list or a mapping",
    );
    hide_type_names(&message)
}

/// `expected struct Foo` → `expected a mapping`, and the like.
fn hide_type_names(message: &str) -> String {
    const WORDS: [(&str, &str); 5] = [
        ("untagged enum ", "any accepted form"),
        ("unit struct ", "nothing"),
        ("tuple struct ", "a sequence"),
        ("struct ", "a mapping"),
        ("enum ", "one of the accepted names"),
    ];
    let mut out = message.to_string();
    for (word, instead) in WORDS {
        let mut from = 0;
        while let Some(at) = out[from..].find(word).map(|i| i + from) {
            let name_at = at + word.len();
            let name_len = out[name_at..]
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .unwrap_or(out.len() - name_at);
            let is_type = out[name_at..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase());
            if is_type {
                out.replace_range(at..name_at + name_len, instead);
                from = at + instead.len();
            } else {
                from = name_at;
            }
        }
    }
    out
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
    fn messages_name_no_rust_types_and_quote_values_short() {
        let long = "x".repeat(500);
        let cases = [
            ("- a\n".to_string(), "expected a mapping of node lists"),
            (
                format!("sections:\n  - id: sec-a\n    heading: h\n    title: {long}\n"),
                "expected a text in both languages",
            ),
            (
                "commands:\n  - id: cmd-a\n    platforms: [{a: 1}]\n".to_string(),
                "expected one plain name, not a list or a mapping",
            ),
        ];
        for (text, expected) in cases {
            let problem = parse_one("k.yaml", &text).unwrap_err();
            assert!(problem.message.contains(expected), "{problem}");
            assert!(!problem.message.contains("struct"), "{problem}");
            assert!(problem.to_string().len() < 300, "{problem}");
        }
        assert_eq!(
            hide_type_names("invalid type: map, expected struct KbFile"),
            "invalid type: map, expected a mapping"
        );
        assert_eq!(
            hide_type_names("data did not match any variant of untagged enum ScriptAnswer"),
            "data did not match any variant of any accepted form"
        );
        assert_eq!(hide_type_names("the struct of it"), "the struct of it");
    }

    #[test]
    fn entry_names_decide_what_is_read() {
        assert_eq!(classify("errors.yaml"), Name::Yaml);
        for name in ["errors.yml", "errors.YAML", "errors.Yml"] {
            assert_eq!(classify(name), Name::Misnamed, "{name}");
        }
        for name in [
            "README.md",
            ".errors.yaml",
            ".#errors.yaml",
            "errors.yaml~",
            "yaml",
            ".yaml",
        ] {
            assert_eq!(classify(name), Name::Other, "{name}");
        }
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
