//! Integration tests: they drive the real binary as a user would.

mod book;
mod cli;
mod corpus;
mod diagnose;
mod goldens;
mod json_contract;
mod kb_check;
mod kb_content;
mod negotiations;
mod properties;
mod readme;
mod search;
mod secrets;
mod show;
mod sigma;
mod util;
mod wizard;
