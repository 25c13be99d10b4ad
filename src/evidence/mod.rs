//! Evidence: the readers of device text (pasted show output, debug and syslog lines) and
//! the facts they establish, shared by the wizard (answering for the user) and diagnose;
//! and the one rule for where a line of pasted text ends.

pub mod config;
pub mod fact;
pub mod ipsec_sa;
pub mod ping;
pub mod route;
pub mod session;

/// Lines with their ends, where LF, CRLF and a lone CR (old Macs, some terminal captures)
/// all end a line.
pub fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let mut i = start;
        while i < bytes.len() {
            let b = bytes[i];
            i += 1;
            if b == b'\n' {
                break;
            }
            if b == b'\r' {
                if bytes.get(i) == Some(&b'\n') {
                    i += 1;
                }
                break;
            }
        }
        let piece = &text[start..i];
        start = i;
        Some(piece)
    })
}

/// Lines without their ends (LF, CRLF or CR).
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    lines_inclusive(text).map(|l| l.trim_end_matches(['\r', '\n']))
}

/// The text with every line end (CR, CRLF) made a LF.
pub fn unify_line_ends(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for line in lines_inclusive(text) {
        let body = line.trim_end_matches(['\r', '\n']);
        out.push_str(body);
        if body.len() < line.len() {
            out.push('\n');
        }
    }
    out
}

/// Where `word` (ASCII) starts in `text`, in any case, each place in turn; without
/// allocating, for the readers that see every matching line of a large log.
pub fn find_all_ci<'a>(text: &'a str, word: &'a str) -> impl Iterator<Item = usize> + 'a {
    let (bytes, word) = (text.as_bytes(), word.as_bytes());
    let first = word.first().copied().unwrap_or(0);
    // An empty word is found once, at the start.
    let empty = std::iter::once(0).filter(move |_| word.is_empty());
    let found = memchr::memchr2_iter(
        first.to_ascii_lowercase(),
        first.to_ascii_uppercase(),
        bytes,
    )
    .filter(move |&at| {
        !word.is_empty()
            && bytes
                .get(at..at + word.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(word))
    });
    empty.chain(found)
}

/// Where `word` (ASCII) first starts in `text`, in any case.
pub fn find_ci(text: &str, word: &str) -> Option<usize> {
    find_all_ci(text, word).next()
}

/// Whether `text` contains `word` (ASCII), in any case.
pub fn contains_ci(text: &str, word: &str) -> bool {
    find_ci(text, word).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_words_in_any_case() {
        assert_eq!(
            find_ci("a Retransmitting PHASE 1", "retransmitting phase"),
            Some(2)
        );
        assert_eq!(find_all_ci("ab AB aB", "ab").collect::<Vec<_>>(), [0, 3, 6]);
        assert!(!contains_ci("retransmit", "retransmitting"));
        assert!(contains_ci("x", ""));
    }

    #[test]
    fn every_line_end_is_one() {
        let pieces: Vec<&str> = lines_inclusive("a\rb\r\nc\nd").collect();
        assert_eq!(pieces, ["a\r", "b\r\n", "c\n", "d"]);
        assert_eq!(
            lines("a\rb\r\n\rc").collect::<Vec<_>>(),
            ["a", "b", "", "c"]
        );
        assert_eq!(unify_line_ends("a\rb\r\nc"), "a\nb\nc");
    }
}
