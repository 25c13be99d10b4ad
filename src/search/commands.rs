//! A query that *is* a command: `show crypto isakmp sa`, `sh cry isa sa detail`,
//! `ciscoasa# show crypto ikev1 sa`. The answer is the command's entry (how to read its
//! output), not whichever cause shares most of its words.
//!
//! The words are compared as IOS and the ASA read them: each word typed may be cut short
//! (`sh`, `cry`, `isa`), as long as it is the start of the command's word, and one command
//! only fits. After the command, a few options may follow (`detail`, `peer 192.0.2.1`,
//! `| include …`); any other word makes the text a question about the command, which is
//! ranked by its words like any question.

use crate::kb::{Kb, Node};

/// The most option words a command may carry after its own words (the values they take,
/// numbers, addresses and interfaces, aside: `ping 192.0.2.1 source Gi0/1 size 1500
/// df-bit repeat 5` has four).
const MAX_OPTION_WORDS: usize = 4;

/// Words that may follow a command as its options or an output filter.
const OPTION_WORDS: &[&str] = &[
    "detail",
    "brief",
    "peer",
    "summary",
    "active",
    "standby",
    "all",
    "l2l",
    "ra",
    "ipv4",
    "ipv6",
    "count",
    "remote",
    "local",
    "address",
    "interface",
    "map",
    "tag",
    "vrf",
    "fvrf",
    "ivrf",
    "|",
    "include",
    "inc",
    "i",
    "begin",
    "b",
    "section",
    "s",
    "exclude",
    "e",
    "grep",
    "filter",
    "ipaddress",
    "name",
    "sort",
    "index",
    "protocol",
    "tunnel-group",
    "connection",
    "statistics",
    "stats",
    "sessions",
    "platform",
    "spi",
    // ping and traceroute
    "source",
    "size",
    "repeat",
    "timeout",
    "df-bit",
    "validate",
    "data",
];

/// The first words of an exec command (and their usual abbreviations): a one-line text
/// that starts with one, followed by a word of the device's (`show ip nat translations`),
/// is a command typed, never a description of a fault.
const EXEC_VERBS: &[&str] = &[
    "show",
    "sh",
    "sho",
    "debug",
    "deb",
    "debu",
    "undebug",
    "un",
    "clear",
    "cle",
    "clea",
    "ping",
    "traceroute",
    "trace",
    "tracer",
    "packet-tracer",
];

/// Words of a question about a command's output.
const QUESTION_WORDS: &[&str] = &[
    "what",
    "does",
    "do",
    "did",
    "how",
    "to",
    "read",
    "the",
    "output",
    "of",
    "tell",
    "tells",
    "me",
    "mean",
    "means",
    "explain",
    "use",
    "i",
    "is",
    "for",
    "a",
    "an",
    "in",
    "from",
    "show",
    "shows",
    "interpret",
    "understand",
    "can",
    "you",
    "this",
    "command",
    "result",
    "results",
    "meaning",
    "when",
    "should",
    "run",
    "why",
    "and",
    "on",
    "asa",
    "router",
    "ios",
    "ios-xe",
];

/// One spelling of one command.
struct Spelling {
    id: String,
    words: Vec<String>,
    text: String,
}

/// Every command's spellings.
pub(super) struct Commands {
    spellings: Vec<Spelling>,
}

/// A query recognised as a command.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Named {
    pub id: String,
    /// The spelling it matched, as the knowledge base writes it.
    pub spelling: String,
}

impl Commands {
    pub(super) fn new(kb: &Kb) -> Commands {
        let mut spellings = Vec::new();
        for node in kb.nodes_of(crate::kb::Kind::Command) {
            let Node::Command(c) = node else { continue };
            for text in std::iter::once(&c.command).chain(&c.aliases) {
                let words = words(text);
                if !words.is_empty() {
                    spellings.push(Spelling {
                        id: c.id.clone(),
                        words,
                        text: text.clone(),
                    });
                }
            }
        }
        Commands { spellings }
    }

    /// The command a question asks about ("what does show crypto ikev2 sa tell me"): its
    /// full words, in order, with nothing else but question words around them.
    pub(super) fn asked_about(&self, query: &str) -> Option<Named> {
        let typed = words(query.trim().trim_end_matches(['?', '.']));
        let mut best: Option<&Spelling> = None;
        for s in &self.spellings {
            let n = s.words.len();
            let Some(at) = typed.windows(n).position(|w| w == s.words.as_slice()) else {
                continue;
            };
            let rest = typed[..at].iter().chain(&typed[at + n..]);
            if rest
                .clone()
                .all(|w| QUESTION_WORDS.contains(&w.as_str()) || is_option(w))
                && best.is_none_or(|b| n > b.words.len())
            {
                best = Some(s);
            }
        }
        best.map(|s| Named {
            id: s.id.clone(),
            spelling: s.text.clone(),
        })
    }

    /// The command a one-line query types, if exactly one command fits it (the longest
    /// spelling that fits wins among one command's spellings).
    pub(super) fn named(&self, query: &str) -> Option<Named> {
        let line = query.trim();
        if line.is_empty() || line.lines().nth(1).is_some() {
            return None;
        }
        let stripped = strip_prompt(line);
        let typed = words(stripped);
        // The words as typed: an argument is told by its case (`NONAT`, `VPN-TRAFFIC`).
        let original: Vec<&str> = stripped
            .split_whitespace()
            .filter(|w| !w.starts_with(['[', '<', '{']))
            .collect();
        let mut best: Option<(&Spelling, usize)> = None;
        let mut ambiguous = false;
        for s in &self.spellings {
            if !fits(&s.words, &typed, &original) {
                continue;
            }
            // How exactly it was typed: whole words count more than cut-short ones.
            let whole = s.words.iter().zip(&typed).filter(|(a, b)| a == b).count();
            let rank = s.words.len() * 100 + whole;
            match best {
                Some((b, r)) if b.id == s.id => {
                    if rank > r {
                        best = Some((s, rank));
                    }
                }
                Some((b, r)) => {
                    if s.words.len() > b.words.len() {
                        best = Some((s, rank));
                        ambiguous = false;
                    } else if s.words.len() == b.words.len() {
                        // Two commands of the same length fit: only whole words decide.
                        if rank > r {
                            best = Some((s, rank));
                            ambiguous = whole < s.words.len() && r % 100 == rank % 100;
                        } else if rank == r {
                            ambiguous = true;
                        }
                    }
                }
                None => best = Some((s, rank)),
            }
        }
        if ambiguous {
            return None;
        }
        best.map(|(s, _)| Named {
            id: s.id.clone(),
            spelling: s.text.clone(),
        })
    }
}

/// Whether the typed words are the command's, each possibly cut short, followed by at
/// most a few option words, one of which may be a name the user gave (an access list, an
/// interface: [`is_argument`]).
fn fits(command: &[String], typed: &[String], original: &[&str]) -> bool {
    // An output filter (`| include crypto`) takes any words.
    let typed = match typed.iter().position(|w| w == "|") {
        Some(bar) if bar >= command.len() => &typed[..bar],
        _ => typed,
    };
    let options = typed
        .get(command.len()..)
        .unwrap_or_default()
        .iter()
        .filter(|w| !is_value(w))
        .count();
    if typed.len() < command.len() || options > MAX_OPTION_WORDS {
        return false;
    }
    let own = command
        .iter()
        .zip(typed)
        .all(|(c, t)| c.starts_with(t.as_str()) && (t.len() >= 2 || c.len() <= 2 || t == c));
    let mut names = 0;
    own && typed[command.len()..].iter().enumerate().all(|(i, w)| {
        is_option(w)
            || (original
                .get(command.len() + i)
                .is_some_and(|o| is_argument(o))
                && {
                    names += 1;
                    names == 1
                })
    })
}

/// Whether a word typed after a command is a name the user gave it: written in capitals
/// or with a hyphen or an underscore as such names are (`NONAT`, `VPN-TRAFFIC`,
/// `outside_map`), or the name of a firewall interface (`show route outside`).
fn is_argument(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic());
    (word.chars().any(|c| c.is_ascii_uppercase())
        && letters.clone().all(|c| c.is_ascii_uppercase())
        && word.len() >= 2)
        || word.contains(['-', '_'])
        || ["outside", "inside", "dmz", "management", "wan", "lan"]
            .contains(&word.to_ascii_lowercase().as_str())
}

fn is_option(word: &str) -> bool {
    OPTION_WORDS.contains(&word) || is_value(word)
}

/// A value an option takes: a number, an address, an SPI, or an interface, a map or a
/// peer's name with a number (`gi0/1`, `outside_map10`).
fn is_value(word: &str) -> bool {
    word.parse::<std::net::IpAddr>().is_ok()
        || word.starts_with("0x")
        || word.chars().any(|c| c.is_ascii_digit())
}

/// Whether a one-line text is an exec command as typed at a prompt (`show ip nat
/// translations | include 10.1.1.`, `R1# debug crypto pki messages`): an exec verb, then
/// words as a device takes them, none of them prose. Whether the knowledge base knows the
/// command is [`Commands::named`]'s question.
pub(super) fn is_typed_command(query: &str) -> bool {
    let line = query.trim();
    if line.is_empty() || line.lines().nth(1).is_some() || line.ends_with('?') {
        return false;
    }
    let typed = words(strip_prompt(line));
    let Some((verb, rest)) = typed.split_first() else {
        return false;
    };
    // A filter takes any words; before it, only the device's words.
    let before_filter = rest.split(|w| w == "|").next().unwrap_or_default();
    EXEC_VERBS.contains(&verb.as_str())
        && !before_filter.is_empty()
        && before_filter.len() <= 8
        && before_filter.iter().all(|w| {
            !PROSE_WORDS.contains(&w.as_str())
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:".contains(c))
        })
}

/// Words of a sentence, never of a command line: "show me how to …", "debug shows that …".
const PROSE_WORDS: &[&str] = &[
    "me", "us", "you", "i", "we", "it", "that", "this", "the", "a", "an", "what", "why", "how",
    "when", "shows", "says", "is", "are", "was", "but", "and", "not", "no", "to", "of", "for",
    "with", "my", "our", "output",
];

/// The command's words, lower-cased; option placeholders (`[detail]`, `<peer>`) dropped.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|w| !w.starts_with(['[', '<', '{']))
        .map(str::to_ascii_lowercase)
        .collect()
}

/// A device prompt before the command: `Router#`, `ciscoasa(config)#`, `R1>`.
fn strip_prompt(line: &str) -> &str {
    let Some((head, rest)) = line.split_once(['#', '>']) else {
        return line;
    };
    let prompt_like = !head.is_empty()
        && !head.contains(char::is_whitespace)
        && head
            .chars()
            .all(|c| c.is_alphanumeric() || "-_.()/:".contains(c));
    if prompt_like {
        rest.trim_start()
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commands(list: &[(&str, &str)]) -> Commands {
        Commands {
            spellings: list
                .iter()
                .map(|(id, text)| Spelling {
                    id: id.to_string(),
                    words: words(text),
                    text: text.to_string(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_name_the_user_gave_may_follow_the_command() {
        let c = commands(&[("cmd-acl", "show access-list"), ("cmd-route", "show route")]);
        for q in [
            "sh access-list VPN-TRAFFIC",
            "asa-hq# show access-list NONAT",
            "show route outside",
            "show access-list outside_cryptomap",
        ] {
            assert!(c.named(q).is_some(), "{q}");
        }
        // A lower-case word is a word of a question, and one name only.
        assert_eq!(c.named("show access-list please"), None);
        assert_eq!(c.named("show access-list NONAT VPN-TRAFFIC"), None);
    }

    #[test]
    fn commands_are_read_as_the_device_reads_them() {
        let c = commands(&[
            ("cmd-isakmp", "show crypto isakmp sa"),
            ("cmd-isakmp", "show crypto ikev1 sa"),
            ("cmd-ipsec", "show crypto ipsec sa"),
            ("cmd-session", "show crypto session"),
            ("cmd-run", "show running-config"),
        ]);
        let id = |q: &str| c.named(q).map(|n| n.id);
        assert_eq!(id("show crypto isakmp sa").as_deref(), Some("cmd-isakmp"));
        assert_eq!(id("sh cry isa sa").as_deref(), Some("cmd-isakmp"));
        assert_eq!(
            id("ciscoasa# show crypto ikev1 sa").as_deref(),
            Some("cmd-isakmp")
        );
        assert_eq!(
            id("Router#sh crypto ipsec sa detail").as_deref(),
            Some("cmd-ipsec")
        );
        assert_eq!(
            id("show crypto ipsec sa peer 192.0.2.1").as_deref(),
            Some("cmd-ipsec")
        );
        assert_eq!(
            id("show crypto session detail").as_deref(),
            Some("cmd-session")
        );
        assert_eq!(id("sh run | i crypto").as_deref(), Some("cmd-run"));
        // `i` starts both isakmp and ipsec: no command fits alone.
        assert_eq!(id("sh cry i sa"), None);
        // A question about a command is not the command.
        assert_eq!(id("show crypto isakmp sa says the tunnel is stuck"), None);
        assert_eq!(id("what does show crypto session tell me"), None);
        assert_eq!(id("show crypto isakmp sa\nshow crypto ipsec sa"), None);
        assert_eq!(
            id("sh crypto session detail | include Session status|Peer").as_deref(),
            Some("cmd-session")
        );
    }

    #[test]
    fn a_question_about_a_command_is_about_the_command() {
        let c = commands(&[
            ("cmd-isakmp", "show crypto isakmp sa"),
            ("cmd-session", "show crypto session"),
            ("cmd-session", "show crypto session detail"),
        ]);
        let id = |q: &str| c.asked_about(q).map(|n| n.id);
        assert_eq!(
            id("what does show crypto session detail tell me?").as_deref(),
            Some("cmd-session")
        );
        assert_eq!(
            id("how to read the output of show crypto isakmp sa").as_deref(),
            Some("cmd-isakmp")
        );
        // Other words say what the question is about: a state, a symptom.
        assert_eq!(
            id("show crypto session says UP-NO-IKE for the branch"),
            None
        );
        assert_eq!(id("show crypto isakmp sa is stuck in MM_WAIT_MSG2"), None);
    }
    #[test]
    fn values_given_to_options_do_not_count_as_words() {
        let c = commands(&[("cmd-ping", "ping"), ("cmd-ipsec", "show crypto ipsec sa")]);
        let id = |q: &str| c.named(q).map(|n| n.id);
        assert_eq!(
            id("ping 10.2.2.2 source 10.1.1.1 size 1500 df-bit repeat 5").as_deref(),
            Some("cmd-ping")
        );
        assert_eq!(
            id("show crypto ipsec sa peer 192.0.2.1 detail").as_deref(),
            Some("cmd-ipsec")
        );
        // Words of a sentence still end it.
        assert_eq!(id("ping 10.2.2.2 works but the tunnel is down"), None);
    }

    #[test]
    fn a_command_typed_is_told_from_a_sentence() {
        assert!(is_typed_command(
            "show ip nat translations | include 10.1.1."
        ));
        assert!(is_typed_command("R1# debug crypto pki messages"));
        assert!(is_typed_command("sh crypto pki certificates"));
        assert!(!is_typed_command("show me how to read the isakmp table"));
        assert!(!is_typed_command("debug shows that the key is wrong"));
        assert!(!is_typed_command("show crypto pki certificates?"));
        assert!(!is_typed_command(
            "show crypto pki certificates\nshow ip route"
        ));
        assert!(!is_typed_command("the tunnel is down"));
    }
}
