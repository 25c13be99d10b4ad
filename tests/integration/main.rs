//! Integration tests: they drive the real binary as a user would.

mod book;
mod diagnose;
mod kb_check;
mod kb_content;
mod properties;
mod search;
mod secrets;
mod show;
mod util;
mod wizard;
