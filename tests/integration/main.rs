//! Integration tests: they drive the real binary as a user would.

mod kb_check;
mod kb_content;
mod search;
mod show;
mod util;
mod wizard;
