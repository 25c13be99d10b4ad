//! Redaction of secrets in pasted configuration and logs, before they are written into a
//! transcript or a report: pre-shared keys, passwords, enable secrets, SNMP communities.

use regex::Regex;

/// The mask that replaces a secret.
pub const MASK: &str = "<redacted>";

/// Compiled redaction rules; build once.
pub struct Redactor {
    rules: Vec<Regex>,
}

impl Default for Redactor {
    fn default() -> Self {
        Redactor::new()
    }
}

impl Redactor {
    pub fn new() -> Redactor {
        // Each rule captures the secret as group `s`; what precedes it is kept.
        let rules = [
            // IOS keyring `pre-shared-key address A [MASK] key KEY` (before the generic rule,
            // which would take `address` for the key)
            r"(?im)\bpre-shared-key\s+address\s+\S+(?:\s+\S+)?\s+key\s+(?:\d\s+)?(?P<s>\S+)",
            // ASA tunnel-group `pre-shared-key KEY`, `ikev1 pre-shared-key KEY`,
            // IKEv2 `pre-shared-key local|remote KEY`
            r"(?im)\bpre-shared-key\s+(?:(?:local|remote)\s+)?(?:\d\s+)?(?P<s>[^\s<]\S*)",
            // IOS `crypto isakmp key KEY address …`, PIX `isakmp key KEY address …`
            r"(?im)\b(?:crypto\s+)?isakmp\s+key\s+(?:\d\s+)?(?P<s>\S+)",
            // Easy VPN group `key KEY` (a line of its own, inside the group block)
            r"(?im)^\s*key\s+(?:\d\s+)?(?P<s>\S+)\s*$",
            // RADIUS and TACACS+ servers: `… key [0|7] SECRET`
            r"(?im)\b(?:radius-server|tacacs-server|radius|tacacs)\b[^\n]*?\bkey\s+(?:\d\s+)?(?P<s>\S+)",
            // Routing protocol keys: `message-digest-key N md5 KEY`, `authentication-key KEY`
            r"(?im)\bmessage-digest-key\s+\d+\s+md5\s+(?:\d\s+)?(?P<s>\S+)",
            r"(?im)\bauthentication-key\s+(?:\d\s+)?(?P<s>\S+)",
            // `password [0|7] SECRET`, `secret [0|5|8|9] SECRET`, `enable password|secret …`
            r"(?im)\b(?:password|secret)\s+(?:\d\s+)?(?P<s>\S+)",
            // `snmp-server community STRING`
            r"(?im)\bsnmp-server\s+community\s+(?P<s>\S+)",
            // `key-string SECRET` (key chains)
            r"(?im)\bkey-string\s+(?:\d\s+)?(?P<s>\S+)",
        ];
        Redactor {
            rules: rules
                .iter()
                .map(|r| Regex::new(r).expect("valid redaction rule"))
                .collect(),
        }
    }

    /// The text with every secret replaced by [`MASK`].
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for rule in &self.rules {
            let mut spans: Vec<(usize, usize)> = rule
                .captures_iter(&out)
                .filter_map(|c| c.name("s").map(|m| (m.start(), m.end())))
                .filter(|(s, e)| &out[*s..*e] != MASK)
                .collect();
            spans.reverse();
            for (s, e) in spans {
                out.replace_range(s..e, MASK);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
radius-server host 10.9.9.9 auth-port 1645 acct-port 1646 key RadiusS3cret
tacacs-server key TacS3cret
 ip ospf message-digest-key 1 md5 OspfS3cret
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
        ] {
            assert!(!out.contains(secret), "{secret} survived:\n{out}");
        }
        assert!(
            out.contains("crypto isakmp key <redacted> address 198.51.100.2"),
            "{out}"
        );
        assert!(out.contains("address 10.2.1.1 netmask"), "{out}");
    }

    #[test]
    fn leaves_logs_alone() {
        let r = Redactor::new();
        let line = "%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 198.51.100.1 failed its sanity check or is malformed";
        assert_eq!(r.redact(line), line);
        let debug = "ISAKMP (0:1): found peer pre-shared key matched 203.0.113.22";
        assert_eq!(
            r.redact(debug),
            debug,
            "a debug line naming the key kind holds no key"
        );
    }
}
