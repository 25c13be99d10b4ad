//! The wizard's logic: a pure state machine over the knowledge base's decision graph.
//!
//! The state is the list of steps taken (a symptom chosen, questions answered, a cause
//! chosen among an error's causes); where the user stands is derived from it, so going back
//! is removing the last step. No I/O happens here: the dialoguer front end and the scripted
//! (`--answers`) front end both drive this engine.

use crate::kb::schema::{Answer, Cause, ErrorMsg, Question};
use crate::kb::{Kb, Kind, Node};
use std::collections::BTreeSet;
use std::fmt;

/// How an answer was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// Picked from the list.
    Chosen,
    /// Recognised in pasted command output.
    Recognised { evidence: String, output: String },
    /// Settled by a fact of the session's evidence (a file or an earlier paste).
    FromEvidence {
        input: String,
        line: u64,
        text: String,
    },
}

/// One step the user took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Began with a symptom.
    Symptom(String),
    /// Began with an error message (found by search).
    Error { id: String, line: String },
    /// Answered a question.
    Answered {
        question: String,
        answer: String,
        how: How,
    },
    /// Picked one of an error's causes.
    ChoseCause(String),
    /// At `cause`, found by a checklist item, went on with the item's other answer: the
    /// rest of the checklist may find a second fault.
    KeepChecking {
        cause: String,
        question: String,
        answer: String,
    },
}

/// What the user sees now.
#[derive(Debug, Clone, Copy)]
pub enum View<'k> {
    /// The start menu: pick a symptom or give an error message.
    Menu,
    Question(&'k Question),
    /// An error with several causes: which applies?
    ChooseCause {
        error: &'k ErrorMsg,
        causes: &'k [String],
    },
    /// The root cause.
    Done(&'k Cause),
}

/// A step the current view does not allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WizardError {
    UnknownNode(String),
    WrongKind {
        id: String,
        expected: &'static str,
    },
    NotNow {
        what: &'static str,
    },
    UnknownAnswer {
        question: String,
        answer: String,
        answers: Vec<String>,
    },
    NotACause {
        error: String,
        cause: String,
    },
}

impl fmt::Display for WizardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WizardError::UnknownNode(id) => write!(f, "no entry `{id}` in the knowledge base"),
            WizardError::WrongKind { id, expected } => write!(f, "`{id}` is not {expected}"),
            WizardError::NotNow { what } => write!(f, "cannot {what} at this point of the wizard"),
            WizardError::UnknownAnswer {
                question,
                answer,
                answers,
            } => write!(
                f,
                "`{answer}` is not an answer to `{question}`; answers: {}",
                answers.join(", ")
            ),
            WizardError::NotACause { error, cause } => {
                write!(f, "`{cause}` is not a cause of `{error}`")
            }
        }
    }
}

impl std::error::Error for WizardError {}

/// The wizard over one knowledge base.
#[derive(Debug, Clone)]
pub struct Engine<'k> {
    kb: &'k Kb,
    steps: Vec<Step>,
}

impl<'k> Engine<'k> {
    /// A wizard at the start menu.
    pub fn new(kb: &'k Kb) -> Engine<'k> {
        Engine {
            kb,
            steps: Vec::new(),
        }
    }

    /// A wizard that starts at a node: a symptom, a question, an error or a cause.
    pub fn starting_at(kb: &'k Kb, id: &str) -> Result<Engine<'k>, WizardError> {
        let mut e = Engine::new(kb);
        match kb
            .node(id)
            .ok_or_else(|| WizardError::UnknownNode(id.into()))?
        {
            Node::Symptom(_) => e.choose_symptom(id)?,
            Node::Error(_) => e.start_from_error(id, "")?,
            // A question or cause as a start: a symptom-less path beginning there.
            Node::Question(_) | Node::Cause(_) => e.steps.push(Step::Symptom(id.into())),
            _ => {
                return Err(WizardError::WrongKind {
                    id: id.into(),
                    expected: "a symptom, question, error or cause",
                })
            }
        }
        Ok(e)
    }

    pub fn kb(&self) -> &'k Kb {
        self.kb
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Follow `id` through symptoms to the node the user faces there.
    fn settle(&self, id: &str) -> View<'k> {
        let mut id = id.to_string();
        // A symptom forwards to its first question; validation rules out loops of them,
        // the bound only guards a hand-made knowledge base.
        for _ in 0..16 {
            match self.kb.node(&id) {
                Some(Node::Symptom(s)) => id = s.next.clone(),
                Some(Node::Question(q)) => return View::Question(q),
                Some(Node::Cause(c)) => return View::Done(c),
                _ => return View::Menu,
            }
        }
        View::Menu
    }

    /// Where the user stands, derived from the steps.
    pub fn view(&self) -> View<'k> {
        match self.steps.last() {
            None => View::Menu,
            Some(Step::Symptom(id)) => self.settle(id),
            Some(Step::Error { id, .. }) => match self.kb.node(id) {
                Some(Node::Error(e)) if e.causes.len() == 1 => self.settle(&e.causes[0]),
                Some(Node::Error(e)) => View::ChooseCause {
                    error: e,
                    causes: &e.causes,
                },
                _ => View::Menu,
            },
            // Going on with a checklist is as if its item had been given the other answer.
            Some(
                Step::Answered {
                    question, answer, ..
                }
                | Step::KeepChecking {
                    question, answer, ..
                },
            ) => match self.kb.node(question) {
                Some(Node::Question(q)) => q
                    .answers
                    .iter()
                    .find(|a| &a.id == answer)
                    .map(|a| self.settle(&a.next))
                    .unwrap_or(View::Menu),
                _ => View::Menu,
            },
            Some(Step::ChoseCause(id)) => self.settle(id),
        }
    }

    /// At a cause found by a checklist item, the item and its other answer: what the
    /// wizard would go on to check. `None` when the path ends here.
    pub fn keep_checking(&self) -> Option<(&'k Question, &'k Answer)> {
        let View::Done(cause) = self.view() else {
            return None;
        };
        let Some(Step::Answered { question, .. }) = self.steps.last() else {
            return None;
        };
        let Some(Node::Question(q)) = self.kb.node(question) else {
            return None;
        };
        if !q.checklist {
            return None;
        }
        // Only an answer that leads on to further checks: one that leads straight to
        // another cause is the fallback when this item finds nothing.
        q.answers
            .iter()
            .find(|a| a.next != cause.id && !matches!(self.kb.node(&a.next), Some(Node::Cause(_))))
            .map(|a| (q, a))
    }

    /// The question the checklist would go on with (see [`Engine::keep_checking`]).
    pub fn next_check(&self) -> Option<&'k Question> {
        let (_, a) = self.keep_checking()?;
        match self.settle(&a.next) {
            View::Question(q) => Some(q),
            _ => None,
        }
    }

    /// Go on with the checklist past the cause found (see [`Engine::keep_checking`]).
    pub fn continue_checking(&mut self) -> Result<(), WizardError> {
        let Some((q, a)) = self.keep_checking() else {
            return Err(WizardError::NotNow {
                what: "keep checking",
            });
        };
        let View::Done(cause) = self.view() else {
            return Err(WizardError::NotNow {
                what: "keep checking",
            });
        };
        self.steps.push(Step::KeepChecking {
            cause: cause.id.clone(),
            question: q.id.clone(),
            answer: a.id.clone(),
        });
        Ok(())
    }

    /// The causes found earlier on this path, before the checklist went on: the first is
    /// the first found.
    pub fn found_before(&self) -> Vec<&'k str> {
        self.steps
            .iter()
            .filter_map(|s| match s {
                Step::KeepChecking { cause, .. } => self.kb.node(cause).map(|n| n.id()),
                _ => None,
            })
            .collect()
    }

    pub fn choose_symptom(&mut self, id: &str) -> Result<(), WizardError> {
        if !matches!(self.view(), View::Menu) {
            return Err(WizardError::NotNow {
                what: "choose a symptom",
            });
        }
        match self.kb.node(id) {
            Some(Node::Symptom(_)) => {
                self.steps.push(Step::Symptom(id.into()));
                Ok(())
            }
            Some(_) => Err(WizardError::WrongKind {
                id: id.into(),
                expected: "a symptom",
            }),
            None => Err(WizardError::UnknownNode(id.into())),
        }
    }

    /// Begin from an error message the user had (found by search from `line`).
    pub fn start_from_error(&mut self, id: &str, line: &str) -> Result<(), WizardError> {
        if !matches!(self.view(), View::Menu) {
            return Err(WizardError::NotNow {
                what: "start from an error",
            });
        }
        match self.kb.node(id) {
            Some(Node::Error(_)) => {
                self.steps.push(Step::Error {
                    id: id.into(),
                    line: line.into(),
                });
                Ok(())
            }
            Some(_) => Err(WizardError::WrongKind {
                id: id.into(),
                expected: "an error",
            }),
            None => Err(WizardError::UnknownNode(id.into())),
        }
    }

    pub fn answer(&mut self, answer: &str, how: How) -> Result<(), WizardError> {
        let View::Question(q) = self.view() else {
            return Err(WizardError::NotNow { what: "answer" });
        };
        if !q.answers.iter().any(|a| a.id == answer) {
            return Err(WizardError::UnknownAnswer {
                question: q.id.clone(),
                answer: answer.into(),
                answers: q.answers.iter().map(|a| a.id.clone()).collect(),
            });
        }
        self.steps.push(Step::Answered {
            question: q.id.clone(),
            answer: answer.into(),
            how,
        });
        Ok(())
    }

    pub fn choose_cause(&mut self, cause: &str) -> Result<(), WizardError> {
        let View::ChooseCause { error, causes } = self.view() else {
            return Err(WizardError::NotNow {
                what: "choose a cause",
            });
        };
        if !causes.iter().any(|c| c == cause) {
            return Err(WizardError::NotACause {
                error: error.id.clone(),
                cause: cause.into(),
            });
        }
        self.steps.push(Step::ChoseCause(cause.into()));
        Ok(())
    }

    /// Undo the last step; false at the start menu.
    pub fn back(&mut self) -> bool {
        self.steps.pop().is_some()
    }

    pub fn restart(&mut self) {
        self.steps.clear();
    }

    /// Questions answered so far.
    pub fn questions_asked(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| matches!(s, Step::Answered { .. }))
            .count()
    }

    /// The causes still possible from where the user stands.
    pub fn still_possible(&self) -> BTreeSet<&'k str> {
        match self.view() {
            View::Menu => self.kb.nodes_of(Kind::Cause).map(|n| n.id()).collect(),
            View::Question(q) => self.kb.graph().causes_reachable(&q.id),
            View::ChooseCause { causes, .. } => causes
                .iter()
                .filter_map(|c| self.kb.node(c).map(|n| n.id()))
                .collect(),
            View::Done(c) => {
                let mut set = BTreeSet::from([c.id.as_str()]);
                if let Some((_, a)) = self.keep_checking() {
                    set.extend(self.kb.graph().causes_reachable(&a.next));
                }
                set
            }
        }
    }

    /// For the current question, each answer with the causes still possible after it:
    /// how the answers narrow the search ("why is this asked?").
    pub fn narrowing(&self) -> Vec<(&'k Answer, BTreeSet<&'k str>)> {
        let View::Question(q) = self.view() else {
            return Vec::new();
        };
        q.answers
            .iter()
            .map(|a| {
                let causes = match self.kb.node(&a.next) {
                    Some(Node::Cause(c)) => BTreeSet::from([c.id.as_str()]),
                    Some(_) => self.kb.graph().causes_reachable(&a.next),
                    None => BTreeSet::new(),
                };
                (a, causes)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::KbSource;

    fn kb() -> Kb {
        Kb::open(&KbSource::Embedded).unwrap()
    }

    #[test]
    fn walks_from_a_symptom_to_a_cause_and_back() {
        let kb = kb();
        let mut e = Engine::new(&kb);
        assert!(matches!(e.view(), View::Menu));
        e.choose_symptom("sym-tunnel-not-established").unwrap();
        let View::Question(q) = e.view() else {
            panic!()
        };
        assert_eq!(q.id, "q-isakmp-sa-state");
        e.answer("mm-key-exch", How::Chosen).unwrap();
        e.answer("peer-right", How::Chosen).unwrap();
        let View::Done(c) = e.view() else { panic!() };
        assert_eq!(c.id, "cause-psk-mismatch");
        assert_eq!(e.questions_asked(), 2);
        assert!(e.back());
        assert!(matches!(e.view(), View::Question(q) if q.id == "q-mm-key-exch"));
        e.restart();
        assert!(matches!(e.view(), View::Menu));
    }

    #[test]
    fn answers_that_lead_to_a_symptom_continue_there() {
        let kb = kb();
        let mut e = Engine::starting_at(&kb, "sym-no-traffic-after-tunnel-up").unwrap();
        e.answer("encaps-only", How::Chosen).unwrap();
        assert!(matches!(e.view(), View::Question(q) if q.id == "q-peer-decaps"));
    }

    #[test]
    fn errors_with_several_causes_ask_which() {
        let kb = kb();
        let mut e = Engine::starting_at(&kb, "err-qm-fsm").unwrap();
        let View::ChooseCause { causes, .. } = e.view() else {
            panic!()
        };
        assert!(causes.len() >= 2);
        assert!(e.choose_cause("cause-psk-mismatch").is_err());
        e.choose_cause("cause-transform-set-mismatch").unwrap();
        assert!(matches!(e.view(), View::Done(c) if c.id == "cause-transform-set-mismatch"));
        let single = Engine::starting_at(&kb, "err-invalid-spi").unwrap();
        assert!(matches!(single.view(), View::Done(c) if c.id == "cause-sa-out-of-sync"));
    }

    #[test]
    fn refuses_steps_out_of_place() {
        let kb = kb();
        let mut e = Engine::new(&kb);
        assert!(matches!(
            e.answer("yes", How::Chosen),
            Err(WizardError::NotNow { .. })
        ));
        e.choose_symptom("sym-tunnel-not-established").unwrap();
        assert!(matches!(
            e.answer("maybe", How::Chosen),
            Err(WizardError::UnknownAnswer { .. })
        ));
        assert!(matches!(
            e.choose_symptom("sym-some-apps-broken"),
            Err(WizardError::NotNow { .. })
        ));
        assert!(Engine::starting_at(&kb, "cmd-show-crypto-isakmp-sa").is_err());
    }

    #[test]
    fn narrowing_lists_the_causes_behind_each_answer() {
        let kb = kb();
        let e = Engine::starting_at(&kb, "sym-tunnel-not-established").unwrap();
        let narrowing = e.narrowing();
        let key_exch = narrowing
            .iter()
            .find(|(a, _)| a.id == "mm-key-exch")
            .unwrap();
        assert_eq!(
            key_exch.1,
            BTreeSet::from(["cause-psk-mismatch", "cause-wrong-peer-address"])
        );
        assert!(e.still_possible().len() > key_exch.1.len());
    }

    /// Every path through the graph: each symptom reaches each of its causes, by answers
    /// alone, in at most eight questions.
    #[test]
    fn every_symptom_reaches_each_of_its_causes_within_eight_questions() {
        let kb = kb();
        for sym in kb.nodes_of(Kind::Symptom) {
            let mut reached = BTreeSet::new();
            let mut stack = vec![Engine::starting_at(&kb, sym.id()).unwrap()];
            while let Some(e) = stack.pop() {
                match e.view() {
                    View::Done(c) => {
                        assert!(
                            e.questions_asked() <= 8,
                            "{}: {} questions to {}",
                            sym.id(),
                            e.questions_asked(),
                            c.id
                        );
                        reached.insert(c.id.clone());
                    }
                    View::Question(q) => {
                        assert!(e.questions_asked() < 20, "{} loops at {}", sym.id(), q.id);
                        for a in &q.answers {
                            let mut next = e.clone();
                            next.answer(&a.id, How::Chosen).unwrap();
                            stack.push(next);
                        }
                    }
                    other => panic!("{}: unexpected view {other:?}", sym.id()),
                }
            }
            let expected: BTreeSet<String> = kb
                .graph()
                .causes_reachable(sym.id())
                .into_iter()
                .map(String::from)
                .collect();
            assert_eq!(reached, expected, "{}", sym.id());
        }
    }
}
