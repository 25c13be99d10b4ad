//! Redaction of secrets in the user's configuration and logs: pre-shared keys, passwords,
//! enable secrets, SNMP communities and SNMPv3 keys, RADIUS/TACACS+ keys, routing and
//! redundancy-protocol keys, VPN Client profile passwords, and keys printed by debugs.
//!
//! This is the one point that user text passes through before anything can quote it: the
//! command layer redacts what it reads for `search` and the wizard (arguments, standard
//! input, answers files, pastes), diagnose redacts each line it keeps as evidence, and
//! `main` redacts every error line. Knowledge-base prose never passes here: its words
//! ("the pre-shared key is wrong") are not secrets and must not be masked.
//!
//! Each rule names where the secret stands in a line and captures it as group `s` (or
//! `s2` for a second secret on the same line); what precedes and follows is kept, so the
//! line stays readable: `crypto isakmp key <redacted> address 198.51.100.2`. A captured
//! token that is a keyword of the same command (`address`, `md5`, `encrypted`) or an
//! English word (`key is wrong`) is not a secret and is left alone.

use crate::kb::prefilter::LazySet;

/// The mask that replaces a secret.
pub const MASK: &str = "<redacted>";

/// A sub-mode `key [0|7] KEY` line, also when a message quotes it (`` `key X` ``,
/// `"key X"`, `: key X`). A key chain's `key 1` is its key number (see [`is_secret`]).
const SUBMODE_KEY: &str = r#"(?i)(?:^|[`'"(]|:\s)\s*key\s+(?:[0-9]\s+)?(?P<s>\S+)"#;

/// Where secrets stand. Every pattern captures the secret as `s` (and maybe `s2`).
const RULES: &[&str] = &[
    // IOS keyring `pre-shared-key address A [MASK] key [0|6] KEY`, `… hostname H key KEY`
    r"(?i)\bpre-shared-key\s+(?:address|hostname)\s+\S+(?:\s+\S+)??\s+key\s+(?:[0-9]\s+)?(?P<s>\S+)",
    // ASA tunnel-group `pre-shared-key KEY`, `ikev1 pre-shared-key KEY`,
    // `ikev2 local-authentication pre-shared-key [0|8] KEY`; IKEv2 keyring peer
    // `pre-shared-key [local|remote] [0|6] KEY`
    r"(?i)\bpre-shared-key\s+(?:(?:local|remote)\s+)?(?:[0-9]\s+)?(?P<s>\S+)",
    // IOS IKEv2 profile `authentication local pre-share key [0|6] KEY`
    r"(?i)\bpre-share\s+key\s+(?:[0-9]\s+)?(?P<s>\S+)",
    // IOS `crypto isakmp key [0|6] KEY address …`, PIX `isakmp key KEY address …`
    r"(?i)\bisakmp\s+key\s+(?:[0-9]\s+)?(?P<s>\S+)",
    // A sub-mode `key [0|7] KEY` line (Easy VPN group, `tacacs server` / `radius server`
    // blocks, ASA `aaa-server … host`), whatever follows it on the line
    SUBMODE_KEY,
    // `… key [0|7] KEY` on the command lines that carry one: `radius-server [host A …] key`,
    // `tacacs-server [host A] key`, Easy VPN remote `group G key KEY`, `aaa-server … key`,
    // `server-private A key KEY`, `pac key KEY`
    r#"(?i)(?:(?:^|[`'"(]|:\s)\s*group|(?:^|[\s:`'"(])(?:radius-server|tacacs-server|aaa-server|server-private|pac))\s.*?\bkey\s+(?:[0-9]\s+)?(?P<s>\S+)"#,
    // `failover key [hex] KEY`, RADIUS `server-key [0|7] KEY`, `client A server-key KEY`
    r"(?i)\b(?:failover\s+key(?:\s+hex)?|server-key(?:\s+[0-9])?)\s+(?P<s>\S+)",
    // PIX `aaa-server TAG (if) host A KEY [timeout N]`
    r"(?i)\baaa-server\s+\S+\s+(?:\(\S+\)\s+)?host\s+\S+\s+(?P<s>\S+)",
    // ASA `radius-common-pw KEY`, `ldap-login-password PASSWORD`
    r"(?i)\b(?:radius-common-pw|ldap-login-password)\s+(?P<s>\S+)",
    // `ntp authentication-key N md5 KEY [7]`
    r"(?i)\bauthentication-key\s+\d+\s+md5\s+(?P<s>\S+)",
    // OSPF `ip ospf authentication-key [0|7] KEY`
    r"(?i)\bauthentication-key\s+(?:[0-9]\s+)?(?P<s>\S+)",
    // `ip ospf message-digest-key N md5 [0|7] KEY`
    r"(?i)\bmessage-digest-key\s+\d+\s+md5\s+(?:[0-9]\s+)?(?P<s>\S+)",
    // Key chains and HSRP/VRRP: `key-string [0|7] KEY`
    r"(?i)\bkey-string\s+(?:[0-9]\s+)?(?P<s>\S+)",
    // HSRP, VRRP, GLBP plain-text authentication: `standby N authentication [text] KEY`
    r"(?i)\b(?:standby|vrrp|glbp)\s+\d+\s+authentication\s+(?:text\s+)?(?P<s>\S+)",
    // DMVPN `ip nhrp authentication KEY`
    r"(?i)\bnhrp\s+authentication\s+(?P<s>\S+)",
    // `password [0|7] SECRET`, `secret [0|5|8|9] SECRET`, `enable password|secret …`,
    // PIX/ASA `passwd SECRET [encrypted]`, IS-IS `area-password` / `domain-password`,
    // `key config-key password-encrypt KEY`
    r"(?i)\b(?:password|secret|passwd|area-password|domain-password|password-encrypt)\s+(?:level\s+\d+\s+)?(?:[0-9]\s+)?(?P<s>\S+)",
    // Wireless `wpa-psk ascii|hex [0|7] KEY`
    r"(?i)\bwpa-psk\s+(?:ascii|hex)\s+(?:[0-9]\s+)?(?P<s>\S+)",
    // `snmp-server community STRING`, ASA `snmp-server host IF A community [0|8] STRING`
    r"(?i)\bcommunity\s+(?:[08]\s+)?(?P<s>\S+)",
    // IOS `snmp-server host A [vrf V] [informs|traps] [version 1|2c] COMMUNITY …`
    r"(?i)\bsnmp-server\s+host\s+\S+(?:\s+vrf\s+\S+)?(?:\s+(?:informs|traps))?(?:\s+version\s+(?:1|2c))?\s+(?P<s>\S+)",
    // SNMPv3 `snmp-server user U G v3 [encrypted] auth md5|sha KEY [priv des|3des|aes N KEY]`
    r"(?i)\bauth\s+(?:md5|sha\S*)\s+(?P<s>\S+)(?:\s+priv\s+(?:des|3des|aes(?:\s+\d+)?)\s+(?P<s2>\S+))?",
    // Manual IPsec keys: `set session-key … cipher KEY [authenticator KEY]`
    r"(?i)\bsession-key\b.*?\bcipher\s+(?P<s>\S+)",
    r"(?i)\bsession-key\b.*?\bauthenticator\s+(?P<s>\S+)",
    // `key config-key password-encrypt[ion] KEY` (the master key of type-6 keys)
    r"(?i)\bconfig-key\s+password-encrypt(?:ion)?\s+(?P<s>\S+)",
    // OSPFv3 `ipv6 ospf authentication ipsec spi N md5|sha1 [0|7] KEY`
    r"(?i)\bspi\s+\d+\s+(?:md5|sha1)\s+(?:[0-9]\s+)?(?P<s>\S+)",
    // EIGRP `authentication key eigrp AS KEY`, named EIGRP `authentication mode hmac-sha-256 KEY`
    r"(?i)\bauthentication\s+key\s+eigrp\s+\d+\s+(?P<s>\S+)",
    r"(?i)\bhmac-sha-256\s+(?:[0-9]\s+)?(?P<s>\S+)",
    // MSDP `ip msdp password peer A [0|7] KEY`
    r"(?i)\bmsdp\s+password\s+peer\s+\S+\s+(?:[0-9]\s+)?(?P<s>\S+)",
    // A password in a URL: `ftp://user:PASSWORD@host/…`
    r"(?i)\b[a-z][a-z0-9+.-]*://[^:/\s@]+:(?P<s>[^@\s]+)@",
    // Wireless LAN controllers: `security wpa psk set-key ascii|hex [0|8] KEY`
    r"(?i)\bset-key\s+(?:ascii|hex)\s+(?:[0-9]\s+)?(?P<s>\S+)",
    // PKCS#12 pass phrases: `crypto ca|pki import|export TP pkcs12 [URL] PHRASE`; PIX
    // `ca enroll CA CHALLENGE`
    r"(?i)\bcrypto\s+(?:ca|pki)\s+(?:import|export)\s+\S+\s+pkcs12\s+(?:(?:\S+://|flash:|nvram:|disk0:|terminal)\S*\s+)?(?P<s>\S+)",
    r"(?i)\bca\s+enroll\s+\S+\s+(?P<s>\S+)",
    // RADIUS attributes and other `…password=VALUE`, `…secret=VALUE` pairs
    // (`SaveUserPassword=1` is a switch, not a secret)
    r#"(?i)\b(?P<k>[a-z_-]*(?:password|passwd|secret))\s*=\s*"?(?P<s>[^\s"]+)"#,
    // `show snmp community`: `Community name: STRING`, `Community SecurityName: STRING`
    r"(?i)\bcommunity\s+(?:name|securityname)\s*:\s*(?P<s>\S+)",
    // `show crypto isakmp key` rows: keyring, address or host name [mask], key
    // (also indented, as a paste inside an answers file or a transcript holds it)
    r"^\s*\S+\s{2,}(?:\S*[.:]\S*)(?:\s+\[[^\]]*\])?\s{2,}(?P<s>\S+)\s*$",
    // Debugs that print a key: `key is KEY`, `pre-shared key: KEY`, `preshared key = KEY`
    r"(?i)\b(?:pre-?shared[ -]?)?key(?:\s+is\s+|\s*[:=]\s*)(?P<s>\S+)",
    // Cisco VPN Client profiles (.pcf): `GroupPwd=`, `UserPassword=`, `enc_GroupPwd=`, …
    r"(?i)\b(?:enc_)?(?:GroupPwd|UserPassword)\s*=\s*(?P<s>\S+)",
];

/// Words a rule can capture that are not secrets: the commands' own keywords, and the
/// English of debug lines and questions ("the key is wrong").
const NOT_SECRETS: &[&str] = &[
    "a",
    "address",
    "an",
    "and",
    "chain",
    "config-key",
    "authentication",
    "changed",
    "community",
    "configured",
    "correct",
    "different",
    "encrypted",
    "encryption",
    "exchange",
    "for",
    "hostname",
    "identical",
    "incorrect",
    "in",
    "invalid",
    "is",
    "key",
    "key-chain",
    "local",
    "matched",
    "matching",
    "md5",
    "mismatch",
    "mismatched",
    "missing",
    "name",
    "not",
    "of",
    "ok",
    "on",
    "or",
    "password",
    "peer",
    "remote",
    "right",
    "same",
    "securityname",
    "sha",
    "string",
    "text",
    "the",
    "timeout",
    "to",
    "too",
    "used",
    "version",
    "will",
    "with",
    "wrong",
];

/// Compiled redaction rules; build once and share.
pub struct Redactor {
    /// The rules, each compiled on its first use (when a line has the word it needs):
    /// most texts need none, and compiling every rule up front cost more than the search
    /// that quotes the text.
    rules: LazySet,
}

impl Default for Redactor {
    fn default() -> Self {
        Redactor::new()
    }
}

/// Block heads whose `key` sub-mode line holds a secret even when it is a number.
const SECRET_BLOCKS: &[&str] = &[
    "crypto isakmp client configuration group",
    "tacacs server",
    "radius server",
    "aaa-server",
    "crypto ikev2 keyring",
    "crypto keyring",
];

impl Redactor {
    pub fn new() -> Redactor {
        Redactor {
            rules: LazySet::new(RULES.iter().map(|r| r.to_string())),
        }
    }

    /// Multi-line text with every secret replaced by [`MASK`]. Line ends (LF, CRLF, CR)
    /// are kept as they are. A `key N` line is a key chain's key number, not a secret,
    /// unless it stands in a block that holds one (an Easy VPN group, a server).
    pub fn redact(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut head_holds_secret = false;
        for piece in crate::evidence::lines_inclusive(text) {
            let body = piece.trim_end_matches(['\r', '\n']);
            let ending = &piece[body.len()..];
            if !body.starts_with([' ', '\t']) && !body.trim().is_empty() {
                let lower = body.trim().to_ascii_lowercase();
                head_holds_secret = SECRET_BLOCKS.iter().any(|h| lower.starts_with(h));
            }
            out.push_str(&self.redact_one(body, head_holds_secret));
            out.push_str(ending);
        }
        out
    }

    /// One line (no line end) with every secret replaced by [`MASK`].
    pub fn redact_line(&self, line: &str) -> String {
        self.redact_one(line, false)
    }

    fn redact_one(&self, line: &str, in_secret_block: bool) -> String {
        let applicable = self.rules.matches(line);
        if applicable.is_empty() {
            return line.to_string();
        }
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for i in applicable {
            // Every rule compiles (a test proves it); one that did not would not match.
            let Some(rule) = self.rules.regex(i) else {
                continue;
            };
            for caps in rule.captures_iter(line) {
                let switch = caps
                    .name("k")
                    .is_some_and(|k| k.as_str().to_ascii_lowercase().starts_with("save"));
                if switch {
                    continue;
                }
                for name in ["s", "s2"] {
                    let Some(m) = caps.name(name) else { continue };
                    // A quote closing around the secret (`` `key X` ``, `"…=X"`) stays.
                    let token = m.as_str().trim_end_matches(['`', '"', '\'']);
                    if is_secret(token, RULES[i], in_secret_block) {
                        spans.push((m.start(), m.start() + token.len()));
                    }
                }
            }
        }
        if spans.is_empty() {
            return line.to_string();
        }
        spans.sort_unstable();
        let mut out = String::with_capacity(line.len());
        let mut at = 0;
        for (start, end) in spans {
            if start < at {
                // Overlapping captures of two rules: the first already masked it.
                at = at.max(end);
                continue;
            }
            out.push_str(&line[at..start]);
            out.push_str(MASK);
            at = end;
        }
        out.push_str(&line[at..]);
        out
    }
}

/// Text the user gave (a paste, a query, an answers file) as the tool keeps it: every line
/// end a LF, every secret masked. Whatever quotes it later cannot show a key.
pub fn user_text(raw: &str) -> String {
    Redactor::new().redact(&crate::evidence::unify_line_ends(raw))
}

fn is_secret(token: &str, rule: &str, in_secret_block: bool) -> bool {
    if token == MASK || token.is_empty() {
        return false;
    }
    let word = token
        .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\''])
        .to_ascii_lowercase();
    if NOT_SECRETS.contains(&word.as_str()) {
        return false;
    }
    // `*****`: the device masked it already; a lone `:` is punctuation of a message.
    if !token.chars().any(char::is_alphanumeric) {
        return false;
    }
    // Key chain `key 1` numbers the key; its secret is the `key-string` that follows.
    if rule == SUBMODE_KEY && !in_secret_block && token.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    // An address where a rule expected a community (ASA `snmp-server host inside A …`).
    !looks_like_address(token)
}

fn looks_like_address(token: &str) -> bool {
    token.parse::<std::net::IpAddr>().is_ok()
        || token
            .split_once('/')
            .is_some_and(|(a, _)| a.parse::<std::net::IpAddr>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_compiles() {
        assert_eq!(Redactor::new().rules.uncompilable(), Vec::new());
    }

    #[test]
    fn masks_keys_and_passwords() {
        let r = Redactor::new();
        let config = "\
crypto isakmp key s3cr3t! address 198.51.100.2
isakmp key pixkey address 10.2.1.1 netmask 255.255.255.255 no-xauth
tunnel-group 198.51.100.2 ipsec-attributes
 pre-shared-key Asa-Key_9
 ikev1 pre-shared-key 0 OtherKey
crypto isakmp client configuration group hw-client-groupname
 key hw-client-password
enable secret 5 $1$abcd$xyz
username admin privilege 15 password 7 0822455D0A16
snmp-server community public RO
crypto keyring KR
 pre-shared-key address 10.1.0.2 key KeyringS3cret
 pre-shared-key hostname branch.example.com key HostS3cret
radius-server host 10.9.9.9 auth-port 1645 acct-port 1646 key RadiusS3cret
tacacs-server key TacS3cret
 ip ospf message-digest-key 1 md5 OspfS3cret
ntp authentication-key 1 md5 NtpS3cret 7
snmp-server host 10.1.1.1 version 2c CommS3cret
snmp-server user U G v3 auth sha AuthS3cret priv aes 128 PrivS3cret
";
        let out = r.redact(config);
        for secret in [
            "s3cr3t!",
            "pixkey",
            "Asa-Key_9",
            "OtherKey",
            "hw-client-password",
            "$1$abcd$xyz",
            "0822455D0A16",
            "public",
            "KeyringS3cret",
            "HostS3cret",
            "RadiusS3cret",
            "TacS3cret",
            "OspfS3cret",
            "NtpS3cret",
            "CommS3cret",
            "AuthS3cret",
            "PrivS3cret",
        ] {
            assert!(!out.contains(secret), "{secret} survived:\n{out}");
        }
        assert!(
            out.contains("crypto isakmp key <redacted> address 198.51.100.2"),
            "{out}"
        );
        assert!(out.contains("address 10.2.1.1 netmask"), "{out}");
        assert!(out.contains("hostname branch.example.com key <redacted>"));
        assert!(out.contains("authentication-key 1 md5 <redacted> 7"));
    }

    #[test]
    fn leaves_logs_and_keywords_alone() {
        let r = Redactor::new();
        for line in [
            "%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 198.51.100.1 failed its sanity check or is malformed",
            "ISAKMP (0:1): found peer pre-shared key matched 203.0.113.22",
            "ISAKMP: Looking for a matching key for 198.51.100.2 in default",
            "key chain OSPF-KEYS",
            " key 1",
            "crypto key generate rsa modulus 2048",
            "service password-encryption",
            "password encryption aes",
            "the pre-shared key is wrong",
            "snmp-server host inside 10.1.1.1 community <redacted> version 2c",
        ] {
            assert_eq!(r.redact(line), line);
        }
    }

    #[test]
    fn a_number_is_a_secret_inside_a_group() {
        let r = Redactor::new();
        let out = r.redact("crypto isakmp client configuration group G\n key 123456\n");
        assert!(!out.contains("123456"), "{out}");
        let out = r.redact("key chain K\n key 1\n  key-string 7 0822455D0A16\n");
        assert!(out.contains(" key 1\n"), "{out}");
        assert!(!out.contains("0822455D0A16"), "{out}");
    }

    #[test]
    fn every_line_end_is_one() {
        let r = Redactor::new();
        assert_eq!(
            r.redact("isakmp key k1 address 1.1.1.1\risakmp key k2 address 1.1.1.2\r"),
            "isakmp key <redacted> address 1.1.1.1\risakmp key <redacted> address 1.1.1.2\r"
        );
    }
}
