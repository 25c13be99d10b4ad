//! Normalising pasted log text into something a search can use.
//!
//! Real lines never look like the tech note's: they carry syslog prefixes
//! (`Sep 22 11:02:39 203.0.113.16 2435:`, `*Mar  1 00:12:34.567:`, `1d00h:`), other
//! addresses, SPIs and connection IDs. The normaliser removes the prefixes, turns what varies
//! (addresses, hex values, numbers) into placeholders, and keeps the words and message
//! mnemonics (`%CRYPTO-4-PKT_REPLAY_ERR`, `%ASA-4-402101`) that identify a message.

use regex::{Regex, RegexBuilder};

/// Compiled patterns of the normaliser; build once per search session.
#[derive(Debug, Clone)]
pub struct Normalizer {
    prefix: Regex,
    /// A host name in front of a `%MNEMONIC`.
    host: Regex,
    mnemonic: Regex,
    ipv4: Regex,
    ipv6: Regex,
    hex: Regex,
    number: Regex,
}

/// Placeholders that replace varying values; they never count as search terms.
pub const PLACEHOLDERS: [&str; 3] = ["<ip>", "<hex>", "<n>"];

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer::new()
    }
}

impl Normalizer {
    pub fn new() -> Normalizer {
        // Each element is one kind of prefix and must end in a colon or white space, so a
        // word such as `3des` is never cut; real lines stack several
        // (`<189>45: Sep 22 11:02:39.123 UTC: %CRYPTO...`).
        let prefix = concat!(
            r"^\s*(?:<\d{1,3}>)?(?:(?:",
            r"(?:\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?", // ISO time
            r"|[*.]?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{1,2}(?:\s+\d{4})?\s+\d\d:\d\d:\d\d(?:\.\d+)?(?:\s+[A-Z]{2,5})?)", // BSD / IOS time
            // A syslog server puts the relaying device's address after the time; at the start
            // of a line an address is data (a `show crypto isakmp sa` row), not a prefix.
            r"(?:\s+\d{1,3}(?:\.\d{1,3}){3})?",
            r"|[A-Za-z][\w.-]*\s+\d+\s*:", // host name and sequence number: `vpn-gw1 123:`
            r"|\d+[wdhy]\d+[dhm]",         // IOS uptime: 1d00h, 2w5d
            r"|\d\d:\d\d:\d\d(?:\.\d+)?",  // bare time
            r"|\d+",                       // sequence number
            r")(?:\s*:\s*|\s+))+"
        );
        // Log prefixes and values are ASCII: with Unicode classes off the patterns compile
        // several times faster, and search starts sooner.
        let re = |p: &str| {
            RegexBuilder::new(p)
                .unicode(false)
                .build()
                .expect("valid normaliser pattern")
        };
        Normalizer {
            prefix: re(prefix),
            host: re(r"^[A-Za-z][\w.-]*\s*:?\s*(%[A-Z])"),
            mnemonic: re(r"%[A-Z][A-Z0-9_]*(?:\|[A-Z][A-Z0-9_]*)?-\d-[A-Z0-9_]+"),
            ipv4: re(r"\b\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?\b"),
            ipv6: re(r"\b(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{1,4}\b"),
            hex: re(
                r"\b0x[0-9a-fA-F]+\b|\b[0-9a-fA-F]*[a-fA-F][0-9a-fA-F]*\d[0-9a-fA-F]*\b|\b[0-9a-fA-F]*\d[0-9a-fA-F]*[a-fA-F][0-9a-fA-F]*\b",
            ),
            number: re(r"\b\d+\b"),
        }
    }

    /// Remove the syslog, timestamp and host-name prefixes of one line.
    pub fn strip_prefix<'a>(&self, line: &'a str) -> &'a str {
        let mut line = line.trim();
        // Prefixes stack (`host: Sep 22 …: %CRYPTO…`); a few rounds peel them all.
        for _ in 0..3 {
            let before = line;
            // Never reduce a line to nothing: a bare number stays a number.
            if let Some(m) = self.prefix.find(line) {
                if m.end() < line.len() {
                    line = &line[m.end()..];
                }
            }
            if let Some(c) = self.host.captures(line) {
                line = &line[c.get(1).map_or(0, |m| m.start())..];
            }
            if line == before {
                break;
            }
        }
        line
    }

    /// One line, prefix stripped, varying values replaced by placeholders. Mnemonics are
    /// kept whole even though they contain digits.
    pub fn normalize_line(&self, line: &str) -> String {
        let line = self.strip_prefix(line);
        let mut out = String::with_capacity(line.len());
        let mut last = 0;
        for m in self.mnemonic.find_iter(line) {
            out.push_str(&self.mask(&line[last..m.start()]));
            out.push_str(m.as_str());
            last = m.end();
        }
        out.push_str(&self.mask(&line[last..]));
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn mask(&self, s: &str) -> String {
        let s = self.ipv4.replace_all(s, "<ip>");
        let s = self.ipv6.replace_all(&s, "<ip>");
        let s = self.hex.replace_all(&s, "<hex>");
        self.number.replace_all(&s, "<n>").into_owned()
    }

    /// A whole paste: each non-empty line normalised.
    pub fn normalize(&self, text: &str) -> Vec<String> {
        text.lines()
            .map(|l| self.normalize_line(l))
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// The message mnemonics in a text (`%CRYPTO-4-PKT_REPLAY_ERR`).
    pub fn mnemonics<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.mnemonic.find_iter(text).map(|m| m.as_str()).collect()
    }
}

/// The Chinese part of a text as search terms: every pair of adjacent Han characters, and
/// a character standing alone. Pairs make `预共享密钥` find `预共享密钥不匹配` without a
/// dictionary. The index's tokenizer ([`CjkBigrams`]) produces exactly these terms.
pub fn cjk_terms(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        if !is_han(*c) {
            continue;
        }
        match chars.get(i + 1) {
            Some(next) if is_han(*next) => out.push([*c, *next].iter().collect()),
            _ if i == 0 || !is_han(chars[i - 1]) => out.push(c.to_string()),
            _ => {}
        }
    }
    out
}

/// A tantivy tokenizer that emits the terms of [`cjk_terms`] without building strings.
#[derive(Debug, Clone, Default)]
pub struct CjkBigrams {
    token: tantivy::tokenizer::Token,
}

pub struct CjkBigramStream<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
    next: usize,
    token: &'a mut tantivy::tokenizer::Token,
}

impl tantivy::tokenizer::Tokenizer for CjkBigrams {
    type TokenStream<'a> = CjkBigramStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CjkBigramStream<'a> {
        self.token.reset();
        CjkBigramStream {
            text,
            chars: text.char_indices().collect(),
            next: 0,
            token: &mut self.token,
        }
    }
}

impl tantivy::tokenizer::TokenStream for CjkBigramStream<'_> {
    fn advance(&mut self) -> bool {
        while self.next < self.chars.len() {
            let i = self.next;
            self.next += 1;
            let (from, c) = self.chars[i];
            if !is_han(c) {
                continue;
            }
            let end_of = |j: usize| self.chars.get(j + 1).map_or(self.text.len(), |(o, _)| *o);
            let to = match self.chars.get(i + 1) {
                Some((_, n)) if is_han(*n) => end_of(i + 1),
                _ if i == 0 || !is_han(self.chars[i - 1].1) => end_of(i),
                _ => continue,
            };
            self.token.text.clear();
            self.token.text.push_str(&self.text[from..to]);
            self.token.offset_from = from;
            self.token.offset_to = to;
            self.token.position = self.token.position.wrapping_add(1);
            return true;
        }
        false
    }

    fn token(&self) -> &tantivy::tokenizer::Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut tantivy::tokenizer::Token {
        self.token
    }
}

pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

/// Words that carry no meaning for a search: function words, and the filler of plain
/// questions ("how do I fix …"). `not` and `no` stay: "not supported", "no keys".
pub const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "could", "do", "does", "doing",
    "for", "from", "get", "gets", "getting", "got", "had", "has", "have", "how", "i", "if", "in",
    "into", "is", "it", "its", "me", "my", "of", "on", "or", "our", "please", "s", "so", "t",
    "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "too", "us",
    "was", "we", "were", "what", "when", "where", "which", "while", "why", "will", "with", "would",
    "you", "your", "help", "fix", "issue", "problem", "problems", "error", "errors", "message",
    "messages", "log", "logs", "see", "seeing", "shows", "show", "getting", "keep", "keeps",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn n(line: &str) -> String {
        Normalizer::new().normalize_line(line)
    }

    #[test]
    fn strips_syslog_and_ios_prefixes() {
        assert_eq!(
            n("Sep 22 11:02:39 203.0.113.16 2435: %MOTCR-1-ERROR:motcr_crypto_callback() motcr return failure"),
            "%MOTCR-1-ERROR:motcr_crypto_callback() motcr return failure"
        );
        assert_eq!(
            n("*Mar  1 00:12:34.567: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=12."),
            "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=<n>."
        );
        assert_eq!(
            n("1d00h: ISAKMP (0:1): atts are not acceptable. Next payload is 0"),
            "ISAKMP (<n>:<n>): atts are not acceptable. Next payload is <n>"
        );
        assert_eq!(
            n("<166>Sep 22 2024 11:02:39 fw01 : %ASA-4-402101: decaps: rec'd IPSEC packet has invalid spi"),
            "%ASA-4-402101: decaps: rec'd IPSEC packet has invalid spi"
        );
        assert_eq!(
            n("2024-05-01T12:00:00.123+02:00 10.0.0.1 000123: 20:44:44: IPSEC(validate_transform_proposal):"),
            "IPSEC(validate_transform_proposal):"
        );
    }

    #[test]
    fn masks_what_varies_and_keeps_mnemonics() {
        assert_eq!(
            n("decaps: recd IPSEC packet has invalid spi for destaddr=192.0.2.1, prot=50, spi=0xC22209E(203563166)"),
            "decaps: recd IPSEC packet has invalid spi for destaddr=<ip>, prot=<n>, spi=<hex>(<n>)"
        );
        assert_eq!(n("%PIX|ASA-4-402101: x"), "%PIX|ASA-4-402101: x");
        assert_eq!(
            n("MOTCR PktEng Return Value = 0x20000,"),
            "MOTCR PktEng Return Value = <hex>,"
        );
    }

    #[test]
    fn never_strips_a_line_to_nothing() {
        assert_eq!(n("12345"), "<n>");
        assert_eq!(n("replay"), "replay");
    }

    #[test]
    fn cjk_bigrams_and_lone_characters() {
        assert_eq!(cjk_terms("分割隧道"), ["分割", "割隧", "隧道"]);
        assert_eq!(cjk_terms("IOS 路由"), ["路由"]);
        assert_eq!(cjk_terms("包 丢失，是"), ["包", "丢失", "是"]);
        assert!(cjk_terms("no chinese").is_empty());
    }

    #[test]
    fn tokenizer_emits_the_query_terms() {
        use tantivy::tokenizer::{TokenStream, Tokenizer};
        for text in [
            "分割隧道",
            "在 IOS 路由器上运行 `show crypto isakmp sa`。",
            "包 丢失，是",
            "",
            "abc",
        ] {
            let mut tokenizer = CjkBigrams::default();
            let mut stream = tokenizer.token_stream(text);
            let mut got = Vec::new();
            while stream.advance() {
                got.push(stream.token().text.clone());
            }
            assert_eq!(got, cjk_terms(text), "{text}");
        }
    }
}
