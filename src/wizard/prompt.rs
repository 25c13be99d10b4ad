//! The wizard's terminal, with dialoguer: the only module that uses it.
//!
//! dialoguer draws on standard error and reads keys from the terminal; the caller checks
//! that standard input and standard error are both terminals before using it (dialoguer
//! alone would wait forever on `/dev/tty` with standard input redirected).

use super::interactive::Prompter;
use dialoguer::console::Term;
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Input, Select};
use std::io::{self, BufRead};

pub struct TermPrompter {
    term: Term,
    theme: Box<dyn Theme>,
}

impl TermPrompter {
    pub fn new(color: bool) -> TermPrompter {
        TermPrompter {
            term: Term::stderr(),
            theme: if color {
                Box::new(ColorfulTheme::default())
            } else {
                Box::new(SimpleTheme)
            },
        }
    }
}

/// Ctrl-C arrives as an `Interrupted` error (the terminal is in raw mode while a menu is
/// open); dialoguer returns it without showing the cursor again.
fn io_error(err: dialoguer::Error) -> io::Error {
    match err {
        dialoguer::Error::IO(e) => e,
    }
}

impl Drop for TermPrompter {
    /// However the wizard ends (finished, quit, Ctrl-C, an error), the cursor comes back.
    fn drop(&mut self) {
        let _ = self.term.show_cursor();
    }
}

impl Prompter for TermPrompter {
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> io::Result<Option<usize>> {
        Select::with_theme(&*self.theme)
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_on_opt(&self.term)
            .map_err(io_error)
    }

    fn read_paste(&mut self, prompt: &str) -> io::Result<String> {
        self.term.write_line(prompt)?;
        // Output pasted into a terminal arrives line by line; it ends at a line holding only
        // `.`, at end of input (Ctrl-D), or after two empty lines in a row.
        let stdin = io::stdin();
        let mut text = String::new();
        let mut blank = 0;
        for line in stdin.lock().lines() {
            let line = line?;
            if line.trim() == "." {
                break;
            }
            blank = if line.trim().is_empty() { blank + 1 } else { 0 };
            if blank >= 2 {
                break;
            }
            text.push_str(&line);
            text.push('\n');
        }
        Ok(text)
    }

    fn input(&mut self, prompt: &str, default: &str) -> io::Result<String> {
        Input::<String>::with_theme(&*self.theme)
            .with_prompt(prompt)
            .default(default.to_string())
            .interact_text_on(&self.term)
            .map_err(io_error)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> io::Result<bool> {
        Confirm::with_theme(&*self.theme)
            .with_prompt(prompt)
            .default(default)
            .interact_on(&self.term)
            .map_err(io_error)
    }

    fn say(&mut self, text: &str) -> io::Result<()> {
        self.term.write_line(text.trim_end_matches('\n'))
    }
}
