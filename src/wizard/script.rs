//! The wizard's scripted twin: an answers file drives the same engine as the terminal, for
//! scripts, tests and runbooks.
//!
//! ```yaml
//! start: sym-tunnel-not-established   # a symptom, question, error or cause ID, or:
//! error: "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=3"
//! platform: ios                       # ios | pix | asa; without it, fixes for every platform
//! answers:                            # question ID → answer ID, or pasted output
//!   q-isakmp-sa-state:
//!     paste: |
//!       dst          src          state      conn-id    slot
//!       10.1.0.2    10.1.0.1    MM_KEY_EXCH    1          0
//!   q-mm-key-exch: peer-right
//! cause: cause-transform-set-mismatch # which cause, when an error has several
//! ```

use super::engine::{Engine, How, View, WizardError};
use super::recognise::{Recogniser, Recognition};
use crate::error::UserError;
use crate::kb::schema::Cause;
use crate::kb::{short, Kb, Kind, Platform};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an answers file: a mapping with `start` or `error`, and `answers`"
)]
pub struct AnswersFile {
    pub start: Option<String>,
    pub error: Option<String>,
    pub platform: Option<Platform>,
    pub topology: Option<crate::kb::schema::Topology>,
    #[serde(default)]
    pub answers: BTreeMap<String, ScriptAnswer>,
    pub cause: Option<String>,
}

/// An answer ID, or command output to recognise the answer in.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    untagged,
    // An untagged enum's whole message when nothing fits, not an "expected …" phrase.
    expecting = "expected an answer ID, or `paste:` with the command's output"
)]
pub enum ScriptAnswer {
    Id(String),
    Paste { paste: String },
}

impl AnswersFile {
    pub fn parse(path: &str, text: &str) -> Result<AnswersFile, UserError> {
        crate::kb::parse_yaml(path, text).map_err(|p| {
            let problem = p.to_string();
            UserError::new(problem)
                .hint("see `ipsec-doctor wizard --help` for the answers-file format")
        })
    }
}

/// Walk the engine to a cause as the answers file says; every gap is a clear error.
pub fn run<'k>(
    kb: &'k Kb,
    file: &AnswersFile,
    path: &str,
    lookup: super::Lookup<'_>,
    book: &mut super::FactBook<'_>,
) -> Result<(Engine<'k>, &'k Cause), UserError> {
    for id in file.answers.keys() {
        if kb.node(id).map(|n| n.kind()) != Some(Kind::Question) {
            let questions: Vec<&str> = kb.nodes_of(Kind::Question).map(|n| n.id()).collect();
            let mut message = format!(
                "answers file `{path}`: `{}` is not a question of the knowledge base",
                short(id)
            );
            if let Some(why) = kb.explain_unknown_id(id) {
                message = format!("{message}: {why}");
            }
            let mut err = UserError::new(message);
            if let Some(best) = crate::kb::suggest(id, questions.into_iter()).first() {
                err = err.hint(format!("did you mean `{best}`?"));
            }
            return Err(err);
        }
    }
    let mut engine = match (&file.start, &file.error) {
        (Some(id), None) => Engine::starting_at(kb, id).map_err(|e| {
            let e = match e {
                WizardError::UnknownNode(_) => {
                    format!("no entry `{}` in the knowledge base", short(id))
                }
                other => other.to_string(),
            };
            let mut message = format!("answers file `{path}`: `start`: {e}");
            if let Some(why) = kb.explain_unknown_id(id) {
                message = format!("{message}: {why}");
            }
            UserError::new(message)
        })?,
        (None, Some(line)) => {
            let Some((id, kind)) = lookup(line) else {
                return Err(UserError::new(format!(
                    "answers file `{path}`: no known error matches `error: {}`",
                    short(line.trim())
                ))
                .hint("start from a symptom with `start:` instead"));
            };
            let mut e = Engine::new(kb);
            if kind == Kind::Error {
                e.start_from_error(&id, line)
                    .map_err(|e| UserError::new(e.to_string()))?;
            } else {
                e = Engine::starting_at(kb, &id).map_err(|e| UserError::new(e.to_string()))?;
            }
            e
        }
        _ => {
            return Err(UserError::new(format!(
                "answers file `{path}` needs exactly one of `start:` and `error:`"
            ))
            .hint("e.g. `start: sym-tunnel-not-established`"))
        }
    };
    let recogniser = Recogniser::new();
    // Each question is asked once: the answers file gives one answer per question, so
    // meeting a question again means the answers lead round a cycle of the graph (one
    // with a way out, or validation would have refused it) and would forever. How long a
    // path may be is the knowledge base's business, not a fixed bound's.
    let mut asked: HashMap<String, usize> = HashMap::new();
    let mut path_so_far: Vec<String> = Vec::new();
    loop {
        if let View::Question(q) = engine.view() {
            if let Some(&first) = asked.get(&q.id) {
                return Err(round_in_circles(path, &path_so_far[first..], &q.id));
            }
            asked.insert(q.id.clone(), path_so_far.len());
            path_so_far.push(q.id.clone());
        }
        match engine.view() {
            View::Done(cause) => {
                // Past a checklist item's cause, go on when the file (or the evidence)
                // answers the next item: a second fault is reported, not hidden.
                let goes_on = engine.next_check().is_some_and(|next| {
                    file.answers.contains_key(&next.id) || book.settles(next).is_some()
                });
                if !goes_on {
                    return Ok((engine, cause));
                }
                engine
                    .continue_checking()
                    .map_err(|e| UserError::new(format!("answers file `{path}`: {e}")))?;
            }
            View::Menu => return Err(UserError::new("the wizard returned to its start menu")),
            View::ChooseCause { error, causes } => {
                let Some(cause) = &file.cause else {
                    return Err(UserError::new(format!(
                        "answers file `{path}`: `{}` has several causes; say which with `cause:`",
                        error.id
                    ))
                    .hint(format!("one of {}", causes.join(", "))));
                };
                engine
                    .choose_cause(cause)
                    .map_err(|e| UserError::new(format!("answers file `{path}`: {e}")))?;
            }
            View::Question(q) if !file.answers.contains_key(&q.id) && book.settles(q).is_some() => {
                // The evidence (the files, or an earlier paste) answers it.
                if let Some((answer, o)) = book.settles(q) {
                    engine
                        .answer(&answer.id, super::FactBook::how(o))
                        .map_err(|e| UserError::new(format!("answers file `{path}`: {e}")))?;
                }
            }
            View::Question(q) => {
                let ids: Vec<&str> = q.answers.iter().map(|a| a.id.as_str()).collect();
                // The kind of VPN, given once, answers the question that asks it.
                if let (None, Some(answer)) = (
                    file.answers.get(&q.id),
                    super::topology_answer(q, file.topology),
                ) {
                    engine
                        .answer(answer, How::Chosen)
                        .map_err(|e| UserError::new(format!("answers file `{path}`: {e}")))?;
                    continue;
                }
                let given = file.answers.get(&q.id).ok_or_else(|| {
                    UserError::new(format!(
                        "answers file `{path}` has no answer for `{}` ({})",
                        q.id, q.title.en
                    ))
                    .hint(format!(
                        "add `{}: <{}>` or pasted output under `paste:`",
                        q.id,
                        ids.join(" | ")
                    ))
                })?;
                match given {
                    ScriptAnswer::Id(answer) => engine.answer(answer, How::Chosen),
                    ScriptAnswer::Paste { paste } => match add_then_recognise(
                        book,
                        &recogniser,
                        q,
                        paste,
                    ) {
                        Recognition::One { answer, evidence } => engine.answer(
                            &answer,
                            How::Recognised {
                                evidence,
                                output: paste.clone(),
                            },
                        ),
                        Recognition::Several(fits) => {
                            let found: Vec<String> = fits.iter().map(|(a, e)| format!("`{a}` ({e})")).collect();
                            return Err(UserError::new(format!(
                                "answers file `{path}`: the output pasted for `{}` fits several answers: {}",
                                q.id,
                                found.join("; ")
                            ))
                            .hint("paste the lines of the one peer or tunnel you are troubleshooting, or give the answer ID"));
                        }
                        Recognition::Nothing if book.settles(q).is_some() => {
                            let (answer, o) = book.settles(q).expect("settled");
                            engine.answer(&answer.id.clone(), super::FactBook::how(o))
                        }
                        Recognition::Nothing => {
                            return Err(UserError::new(format!(
                                "answers file `{path}`: nothing in the output pasted for `{}` decides it",
                                q.id
                            ))
                            .hint(format!("give the answer ID instead: one of {}", ids.join(", "))))
                        }
                    },
                }
                .map_err(|e| UserError::new(format!("answers file `{path}`: {e}")))?;
            }
        }
    }
}

/// The error for answers that lead back to a question already answered: the questions of
/// the cycle, in order, back to where it closes.
fn round_in_circles(path: &str, cycle: &[String], back_to: &str) -> UserError {
    const SHOWN: usize = 8;
    let mut steps: Vec<String> = cycle
        .iter()
        .take(SHOWN)
        .map(|id| format!("`{}`", short(id)))
        .collect();
    if cycle.len() > SHOWN {
        steps.push(format!("… ({} more)", cycle.len() - SHOWN));
    }
    steps.push(format!("`{}`", short(back_to)));
    UserError::new(format!(
        "answers file `{path}`: the answers go round in circles: {}",
        steps.join(" → ")
    ))
    .hint("change the answer to one of these questions to one that leads out of the circle")
}

/// A paste feeds the session's facts (it may answer later questions too), then is read for
/// the question it was given for.
fn add_then_recognise(
    book: &mut super::FactBook<'_>,
    recogniser: &Recogniser,
    q: &crate::kb::schema::Question,
    paste: &str,
) -> Recognition {
    book.add(&format!("paste for {}", q.id), paste);
    recogniser.recognise(q, paste)
}
