//! The JSON documents of `search --json` and `diagnose --json`: the contracts of DESIGN.md.
//! These structs are the one definition of their shapes; README.md documents them and a
//! test checks the two agree. Field names are snake_case; adding fields is fine, renaming
//! one is a breaking change.

use super::causes_concluded;
use crate::diagnose::{self, NoteKind};
use crate::kb::{Kb, Lang, Node};
use crate::search;
use serde::Serialize;

/// `search --json`.
#[derive(Debug, Serialize)]
pub struct SearchDoc<'a> {
    /// The query as searched (normalised; secrets redacted).
    pub query: &'a str,
    /// Best first; `results[0]` is the answer when it is `confident`.
    pub results: Vec<SearchResult<'a>>,
    /// Lines that are messages of a healthy VPN, which nothing reports as a problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub informational: Vec<InformationalLine<'a>>,
}

/// A line of the query that a healthy VPN prints.
#[derive(Debug, Serialize)]
pub struct InformationalLine<'a> {
    pub line: usize,
    pub id: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
}

#[derive(Debug, Serialize)]
pub struct SearchResult<'a> {
    pub id: &'a str,
    pub kind: &'static str,
    pub title: &'a str,
    /// Rounded to three decimals.
    pub score: f64,
    pub confident: bool,
    /// Why it matched: the signature and the line, or the words the entry contains.
    pub matched: &'a str,
    /// Why the answer is confident, or why not (the signature, the command named, or the
    /// words and the margin over the next entry that decided it).
    pub why: &'a str,
    /// The pasted lines (1-based) a signature matched.
    pub lines: &'a [usize],
}

/// `diagnose --json`.
#[derive(Debug, Serialize)]
pub struct DiagnoseDoc<'a> {
    pub lines: u64,
    pub inputs: &'a [String],
    /// `show crypto ipsec sa` SAs beyond the number followed per input, not judged.
    pub sas_not_followed: u64,
    pub notes: Vec<NoteDoc<'a>>,
    pub findings: Vec<FindingDoc<'a>>,
    /// The engine's result: confirmed first, then likely, possible, unverified, ruled out.
    pub conclusions: Vec<ConclusionDoc<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ConclusionDoc<'a> {
    pub cause: &'a str,
    /// `confirmed`, `likely`, `possible`, `unverified` or `ruled_out`.
    pub status: &'static str,
    pub because: Vec<BecauseDoc<'a>>,
    pub fixes: Vec<&'a str>,
    pub next: Vec<NextDoc<'a>>,
}

#[derive(Debug, Serialize)]
pub struct BecauseDoc<'a> {
    pub fact: &'a str,
    pub input: &'a str,
    pub line: u64,
    pub text: &'a str,
}

#[derive(Debug, Serialize)]
pub struct NextDoc<'a> {
    pub question: &'a str,
    pub commands: &'a [String],
}

#[derive(Debug, Serialize)]
pub struct NoteDoc<'a> {
    /// `counters_went_backwards`.
    pub kind: &'static str,
    pub subject: &'a str,
    pub detail: &'a str,
    pub input: &'a str,
    pub line: u64,
    pub text: &'a str,
}

#[derive(Debug, Serialize)]
pub struct FindingDoc<'a> {
    pub id: &'a str,
    pub kind: &'static str,
    pub title: &'a str,
    pub count: u64,
    pub first_line: u64,
    pub last_line: u64,
    pub details: &'a [String],
    /// How many of `count` each named peer accounts for (failed negotiations, stuck rows).
    pub peers: &'a std::collections::BTreeMap<String, u64>,
    /// The causes the finding points to, in the order the text report lists them.
    pub causes: Vec<&'a str>,
    /// Their fixes, each once.
    pub fixes: Vec<&'a str>,
    pub evidence: Vec<EvidenceDoc<'a>>,
}

#[derive(Debug, Serialize)]
pub struct EvidenceDoc<'a> {
    pub input: &'a str,
    pub line: u64,
    pub text: &'a str,
}

pub fn search<'a>(kb: &'a Kb, outcome: &'a search::Outcome, lang: Lang) -> SearchDoc<'a> {
    SearchDoc {
        query: &outcome.query,
        results: outcome
            .hits
            .iter()
            .map(|h| SearchResult {
                id: &h.id,
                kind: h.kind.as_str(),
                title: kb.node(&h.id).map(|n| n.title().get(lang)).unwrap_or(""),
                score: (f64::from(h.score) * 1000.0).round() / 1000.0,
                confident: h.confident,
                matched: &h.matched,
                why: &h.why,
                lines: &h.lines,
            })
            .collect(),
        informational: outcome
            .informational
            .iter()
            .filter_map(|(line, id)| {
                let info = kb.informational().find(|i| &i.id == id)?;
                Some(InformationalLine {
                    line: *line,
                    id,
                    title: info.title.get(lang),
                    summary: info.summary.get(lang),
                })
            })
            .collect(),
    }
}

pub fn diagnose<'a>(kb: &'a Kb, report: &'a diagnose::Report, lang: Lang) -> DiagnoseDoc<'a> {
    let findings = report
        .findings
        .iter()
        .map(|f| {
            let node = kb.node(&f.id);
            let causes = node
                .map(|n| causes_concluded(kb, n, &report.engine))
                .unwrap_or_default();
            let mut fixes: Vec<&str> = Vec::new();
            for c in &causes {
                if let Some(Node::Cause(c)) = kb.node(c) {
                    for fix in &c.fixes {
                        if !fixes.contains(&fix.as_str()) {
                            fixes.push(fix);
                        }
                    }
                }
            }
            FindingDoc {
                id: &f.id,
                kind: f.kind.as_str(),
                title: node.map(|n| n.title().get(lang)).unwrap_or(""),
                count: f.count,
                first_line: f.first.line,
                last_line: f.last.line,
                details: &f.details,
                peers: &f.peers,
                causes,
                fixes,
                evidence: f.evidence.iter().map(evidence).collect(),
            }
        })
        .collect();
    let conclusions = report
        .engine
        .conclusions
        .iter()
        .map(|c| ConclusionDoc {
            cause: &c.cause,
            status: c.status.as_str(),
            because: c
                .because
                .iter()
                .map(|b| BecauseDoc {
                    fact: &b.fact,
                    input: &b.source.input,
                    line: b.source.line,
                    text: &b.source.text,
                })
                .collect(),
            fixes: match kb.node(&c.cause) {
                Some(Node::Cause(cause)) => cause.fixes.iter().map(String::as_str).collect(),
                _ => Vec::new(),
            },
            next: c
                .next
                .iter()
                .map(|n| NextDoc {
                    question: &n.question,
                    commands: &n.commands,
                })
                .collect(),
        })
        .collect();
    DiagnoseDoc {
        conclusions,
        lines: report.lines,
        inputs: &report.inputs,
        sas_not_followed: report.sas_not_followed,
        notes: report
            .notes
            .iter()
            .map(|n| NoteDoc {
                kind: match n.what {
                    NoteKind::CountersWentBackwards => "counters_went_backwards",
                },
                subject: &n.subject,
                detail: &n.detail,
                input: &n.evidence.input,
                line: n.evidence.line,
                text: &n.evidence.text,
            })
            .collect(),
        findings,
    }
}

fn evidence(e: &diagnose::Evidence) -> EvidenceDoc<'_> {
    EvidenceDoc {
        input: &e.input,
        line: e.line,
        text: &e.text,
    }
}
