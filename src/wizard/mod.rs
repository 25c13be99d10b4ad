//! The guided wizard: from a symptom (or an error message) through questions to the root
//! cause and the configuration fix.
//!
//! [`engine`] is the pure state machine; [`recognise`] answers questions from pasted
//! output (`present::wizard` renders its end screen and transcript); [`script`] drives
//! the engine from an answers file and [`interactive`] from a [`Prompter`](interactive::Prompter),
//! whose terminal implementation (dialoguer) lives in [`prompt`].

pub mod engine;
pub mod interactive;
pub mod prompt;
pub mod recognise;
pub mod script;

/// What a pasted error line is about: the knowledge-base entry (ID and kind) that a
/// confident search answers with. The command layer supplies it, so the wizard reads no
/// index of its own and no reader imports another.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<(String, crate::kb::Kind)>;
