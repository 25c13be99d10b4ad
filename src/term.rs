//! Terminal concerns: whether to colour output, the few styles used, and the progress bar
//! (the only module that uses indicatif).

use std::io::IsTerminal;

/// When to colour output (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Decide for stdout, honouring `NO_COLOR` and `TERM=dumb` in `auto` mode.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

/// ANSI styles, or nothing when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    pub fn heading(&self, s: &str) -> String {
        self.wrap("1", s)
    }

    pub fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }

    pub fn code(&self, s: &str) -> String {
        self.wrap("36", s)
    }

    pub fn warn(&self, s: &str) -> String {
        self.wrap("33", s)
    }

    /// Prose with its Markdown inline code (`` `show crypto isakmp sa` ``) styled as code
    /// instead of showing the backticks; an unpaired backtick stays as it is.
    pub fn inline(&self, text: &str) -> String {
        if !text.contains('`') {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('`') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('`') else {
                break;
            };
            out.push_str(&rest[..open]);
            out.push_str(&self.code(&after[..close]));
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// A progress bar on standard error for reading large inputs; invisible when standard
/// error is not a terminal or the input is small.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    /// Below this size a bar would only flicker.
    const MIN_BYTES: u64 = 32 << 20;

    pub fn for_bytes(total: Option<u64>) -> Progress {
        let bar = total
            .filter(|t| *t >= Self::MIN_BYTES && std::io::stderr().is_terminal())
            .map(|t| {
                let bar = indicatif::ProgressBar::new(t);
                if let Ok(style) = indicatif::ProgressStyle::with_template(
                    "{msg} {bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
                ) {
                    bar.set_style(style);
                }
                bar
            });
        Progress { bar }
    }

    pub fn set(&self, message: &str, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_string());
            bar.set_position(bytes);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Style;

    #[test]
    fn inline_code_is_styled_not_backticked() {
        let plain = Style { color: false };
        assert_eq!(
            plain.inline("run `show crypto isakmp sa` now"),
            "run show crypto isakmp sa now"
        );
        assert_eq!(plain.inline("a ` b"), "a ` b");
        let colour = Style { color: true };
        assert_eq!(colour.inline("`x`"), "\x1b[36mx\x1b[0m");
    }
}
