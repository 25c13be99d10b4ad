//! Streaming line scanner: finds, at grep speed and in constant memory, the lines of an
//! input that match any of a set of patterns, and says which patterns each matched.
//!
//! The patterns are searched together as one alternation over whole buffers, as grep
//! tools do, so the regex engine can use a literal prefilter and ordinary log lines cost
//! almost nothing; only the rare matching line is split out and classified by a
//! `RegexSet`. Unicode is off: log lines are ASCII, and Unicode word boundaries would make
//! the fast engines give up.

use regex::bytes::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use std::io::{self, Read};

/// How much is read at a time; memory use is a small multiple of this, whatever the input.
const CHUNK: usize = 1 << 20;

pub struct Scanner {
    any: Regex,
    set: RegexSet,
}

/// One matching line.
pub struct Hit<'a> {
    /// 1-based line number.
    pub number: u64,
    /// The line, without its line ending.
    pub text: &'a [u8],
    /// Indices of the patterns that match it.
    pub patterns: Vec<usize>,
}

impl Scanner {
    pub fn new(patterns: &[String]) -> Result<Scanner, regex::Error> {
        let alternation = patterns
            .iter()
            .map(|p| format!("(?:{p})"))
            .collect::<Vec<_>>()
            .join("|");
        let any = RegexBuilder::new(&alternation)
            .unicode(false)
            .size_limit(64 << 20)
            .dfa_size_limit(16 << 20)
            .build()?;
        let set = RegexSetBuilder::new(patterns)
            .unicode(false)
            .size_limit(64 << 20)
            .build()?;
        Ok(Scanner { any, set })
    }

    /// Scan `reader`, calling `on_hit` for every matching line and `on_progress` with the
    /// bytes read so far; returns the number of lines.
    pub fn scan<R: Read>(
        &self,
        mut reader: R,
        mut on_hit: impl FnMut(Hit<'_>),
        mut on_progress: impl FnMut(u64),
    ) -> io::Result<u64> {
        let mut buf = vec![0u8; CHUNK];
        let mut filled = 0;
        let mut lines_before = 0u64; // complete lines before buf[0]
        let mut read_total = 0u64;
        let mut saw_any = false;
        let mut last_byte = b'\n';
        loop {
            // Fill the buffer (a short read is not the end).
            let mut eof = false;
            while filled < buf.len() {
                match reader.read(&mut buf[filled..]) {
                    Ok(0) => {
                        eof = true;
                        break;
                    }
                    Ok(n) => {
                        filled += n;
                        read_total += n as u64;
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            }
            on_progress(read_total);
            if filled > 0 {
                saw_any = true;
                last_byte = buf[filled - 1];
            }
            // Search up to the last complete line; at the end of input, everything. A line
            // longer than the buffer is searched in buffer-sized pieces.
            let end = if eof {
                filled
            } else {
                last_line_end(&buf[..filled]).unwrap_or(filled)
            };
            let region = &buf[..end];
            let mut counted = 0; // region[..counted] has had its newlines counted
            let mut pos = 0;
            while pos < region.len() {
                let Some(m) = self.any.find_at(region, pos) else {
                    break;
                };
                let start =
                    memchr::memrchr2(b'\n', b'\r', &region[..m.start()]).map_or(0, |i| i + 1);
                let stop = memchr::memchr2(b'\n', b'\r', &region[m.start()..])
                    .map_or(region.len(), |i| m.start() + i);
                lines_before += count_line_ends(&region[counted..start]);
                counted = start;
                let text = &region[start..stop];
                let patterns: Vec<usize> = self.set.matches(text).into_iter().collect();
                on_hit(Hit {
                    number: lines_before + 1,
                    text,
                    patterns,
                });
                pos = stop + 1;
            }
            lines_before += count_line_ends(&region[counted..]);
            buf.copy_within(end..filled, 0);
            filled -= end;
            if eof {
                break;
            }
        }
        // A last line without a line end still counts.
        Ok(lines_before + u64::from(saw_any && !matches!(last_byte, b'\n' | b'\r')))
    }
}

/// Where the last complete line of `buf` ends (just past its LF, CRLF or CR). A CR that is
/// the buffer's last byte may be the first half of a CRLF whose LF has not been read yet,
/// so it waits for the next read.
fn last_line_end(buf: &[u8]) -> Option<usize> {
    let i = memchr::memrchr2(b'\n', b'\r', buf)?;
    if buf[i] == b'\r' && i + 1 == buf.len() {
        return memchr::memrchr2(b'\n', b'\r', &buf[..i]).map(|j| j + 1);
    }
    Some(i + 1)
}

/// The number of line ends in `bytes`, where LF, CRLF and a lone CR are each one. Callers
/// never split a CRLF between two calls.
fn count_line_ends(bytes: &[u8]) -> u64 {
    let lf = memchr::memchr_iter(b'\n', bytes).count();
    let lone_cr = memchr::memchr_iter(b'\r', bytes)
        .filter(|&i| bytes.get(i + 1) != Some(&b'\n'))
        .count();
    (lf + lone_cr) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(patterns: &[&str], input: &[u8]) -> (u64, Vec<(u64, String, Vec<usize>)>) {
        let s = Scanner::new(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>()).unwrap();
        let mut hits = Vec::new();
        let lines = s
            .scan(
                input,
                |h| {
                    hits.push((
                        h.number,
                        String::from_utf8_lossy(h.text).into_owned(),
                        h.patterns,
                    ))
                },
                |_| {},
            )
            .unwrap();
        (lines, hits)
    }

    #[test]
    fn finds_lines_with_numbers_and_patterns() {
        let input = b"ok\r\n%CRYPTO-4-PKT_REPLAY_ERR: replay check failed\r\nok\nMM_KEY_EXCH and Replay check failed\nlast";
        let (lines, hits) = scan(&["(?i)replay check failed", r"\bMM_KEY_EXCH\b"], input);
        assert_eq!(lines, 5);
        assert_eq!(hits.len(), 2);
        assert_eq!(
            hits[0],
            (
                2,
                "%CRYPTO-4-PKT_REPLAY_ERR: replay check failed".into(),
                vec![0]
            )
        );
        assert_eq!(hits[1].0, 4);
        assert_eq!(hits[1].2, vec![0, 1]);
    }

    #[test]
    fn cr_crlf_and_lf_all_end_lines() {
        let (lines, hits) = scan(
            &["replay check failed"],
            b"one\rreplay check failed\rthree\r\nreplay check failed\nfive",
        );
        assert_eq!(lines, 5);
        let found: Vec<(u64, &str)> = hits.iter().map(|h| (h.0, h.1.as_str())).collect();
        assert_eq!(
            found,
            [(2, "replay check failed"), (4, "replay check failed")]
        );
    }

    #[test]
    fn a_crlf_split_between_two_reads_is_one_line_end() {
        assert_eq!(last_line_end(b"a\r\nb\r"), Some(3));
        assert_eq!(last_line_end(b"b\r"), None);
        assert_eq!(count_line_ends(b"a\r\nb\rc\n"), 3);
    }

    #[test]
    fn empty_binary_and_huge_lines() {
        assert_eq!(scan(&["x"], b"").0, 0);
        assert_eq!(scan(&["x"], b"\n").0, 1);
        let junk: Vec<u8> = (0..3_000_000u64).map(|i| (i * 7919 % 251) as u8).collect();
        let _ = scan(&["MM_KEY_EXCH"], &junk);
        // One line of 3 MiB with the match near its end, then a second line.
        let mut long = vec![b'a'; 3 << 20];
        long.extend_from_slice(b" MM_KEY_EXCH\nnext MM_KEY_EXCH\n");
        let (lines, hits) = scan(&["MM_KEY_EXCH"], &long);
        assert_eq!(lines, 2);
        assert_eq!(hits.last().unwrap().0, 2);
        assert!(hits.iter().any(|h| h.0 == 1));
    }

    #[test]
    fn line_numbers_across_chunks() {
        let mut input = Vec::new();
        for i in 1..=200_000u32 {
            if i % 50_000 == 0 {
                input.extend_from_slice(format!("{i}: QM_IDLE\n").as_bytes());
            } else {
                input.extend_from_slice(
                    format!("{i}: %LINK-3-UPDOWN: Interface Gi0/1, changed state to up\n")
                        .as_bytes(),
                );
            }
        }
        let (lines, hits) = scan(&["QM_IDLE"], &input);
        assert_eq!(lines, 200_000);
        let numbers: Vec<u64> = hits.iter().map(|h| h.0).collect();
        assert_eq!(numbers, [50_000, 100_000, 150_000, 200_000]);
        assert!(hits.iter().all(|h| h.1.starts_with(&h.0.to_string())));
    }
}
