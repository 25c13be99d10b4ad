//! The guided wizard: from a symptom (or an error message) through questions to the root
//! cause and the configuration fix.
//!
//! [`engine`] is the pure state machine; [`recognise`] answers questions from pasted
//! output; [`report`] renders the end screen and the Markdown transcript; [`script`] drives
//! the engine from an answers file and [`interactive`] from a [`Prompter`](interactive::Prompter),
//! whose terminal implementation (dialoguer) lives in [`prompt`].

pub mod engine;
pub mod interactive;
pub mod prompt;
pub mod recognise;
pub mod report;
pub mod script;
