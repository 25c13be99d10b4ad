//! Integration tests: they drive the real binary as a user would.

mod book;
mod cli;
mod diagnose;
mod json_contract;
mod kb_check;
mod kb_content;
mod properties;
mod search;
mod secrets;
mod show;
mod util;
mod wizard;
