//! Errors the command layer reports to the user: one line saying what went wrong, and
//! optionally a hint saying what to do next, each in English and, where the command layer
//! gives it, in Chinese. Messages that come from the knowledge base (located problems) and
//! from the system stay English.

use crate::kb::Lang;
use std::fmt;

/// An error with a hint, raised by the command layer.
///
/// `message` and `hint` are the English text; `.zh(…)` and `.hint_zh(…)` add the Chinese,
/// which [`UserError::message_in`] and [`UserError::hint_in`] pick for `--lang zh`.
#[derive(Debug)]
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
    message_zh: Option<String>,
    hint_zh: Option<String>,
}

impl UserError {
    pub fn new(message: impl Into<String>) -> UserError {
        UserError {
            message: message.into(),
            hint: None,
            message_zh: None,
            hint_zh: None,
        }
    }

    /// The message in Chinese.
    pub fn zh(mut self, message: impl Into<String>) -> UserError {
        self.message_zh = Some(message.into());
        self
    }

    /// The hint in English; it replaces any hint given before, in both languages.
    pub fn hint(mut self, hint: impl Into<String>) -> UserError {
        self.hint = Some(hint.into());
        self.hint_zh = None;
        self
    }

    /// The hint in Chinese (after [`UserError::hint`]).
    pub fn hint_zh(mut self, hint: impl Into<String>) -> UserError {
        self.hint_zh = Some(hint.into());
        self
    }

    /// The message in `lang`, English when it has no Chinese.
    pub fn message_in(&self, lang: Lang) -> &str {
        match (lang, &self.message_zh) {
            (Lang::Zh, Some(zh)) => zh,
            _ => &self.message,
        }
    }

    /// The hint in `lang`, English when it has no Chinese.
    pub fn hint_in(&self, lang: Lang) -> Option<&str> {
        match (lang, &self.hint_zh) {
            (Lang::Zh, Some(zh)) if self.hint.is_some() => Some(zh),
            _ => self.hint.as_deref(),
        }
    }
}

/// The words that open the error line on standard error. Chinese takes a full-width colon
/// and no space after it.
pub fn error_label(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "error: ",
        Lang::Zh => "错误：",
    }
}

/// The words that open the hint line on standard error.
pub fn hint_label(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "hint: ",
        Lang::Zh => "提示：",
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_when_given_english_otherwise() {
        let err = UserError::new("nothing to search")
            .zh("没有要搜索的内容")
            .hint("give words");
        assert_eq!(err.message_in(Lang::Zh), "没有要搜索的内容");
        assert_eq!(err.message_in(Lang::En), "nothing to search");
        assert_eq!(err.hint_in(Lang::Zh), Some("give words"));
        let err = err.hint_zh("给出词语");
        assert_eq!(err.hint_in(Lang::Zh), Some("给出词语"));
        assert_eq!(err.hint_in(Lang::En), Some("give words"));
        // A new English hint drops the Chinese of the old one.
        assert_eq!(err.hint("other").hint_in(Lang::Zh), Some("other"));
    }
}
