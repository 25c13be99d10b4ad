//! ipsec-doctor: troubleshoot Cisco IOS and PIX/ASA IPsec VPNs from a knowledge base that
//! encodes Cisco's "Understanding and Using debug Commands to Troubleshoot IPsec".
//!
//! The library owns everything; `main.rs` only parses arguments and maps the outcome to
//! an exit code. [`kb`] loads and validates the knowledge base; the other modules read it.

pub mod app;
pub mod book;
pub mod cli;
pub mod diagnose;
pub mod engine;
pub mod error;
pub mod evidence;
pub mod export;
pub mod kb;
pub mod present;
pub mod redact;
pub mod search;
pub mod sigma;
pub mod term;
pub mod wizard;
