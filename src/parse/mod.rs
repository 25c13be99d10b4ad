//! Parsers for pasted show output, shared by the wizard (answering for the user) and
//! diagnose.

pub mod ipsec_sa;
