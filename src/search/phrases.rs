//! How engineers say things, mapped to how the knowledge base says them.
//!
//! Plain questions use idioms the tech note never uses ("won't come up", "shared secret",
//! "上不了网"). Each rule rewrites such a phrase into the knowledge base's wording before the
//! query is analysed; the original words stay in the query too. The table is deliberately
//! small and generic: phrasing, not answers.

/// (phrase as users write it, lower case; the knowledge base's wording).
const RULES: &[(&str, &str)] = &[
    ("won't come up", "not established"),
    ("wont come up", "not established"),
    ("doesn't come up", "not established"),
    ("does not come up", "not established"),
    ("never comes up", "not established"),
    ("never establishes", "not established"),
    ("fails to establish", "not established"),
    ("won't establish", "not established"),
    ("can't", "cannot"),
    ("can not", "cannot"),
    ("unable to", "cannot"),
    ("don't match", "mismatch"),
    ("dont match", "mismatch"),
    ("differ", "mismatch"),
    ("different", "mismatch"),
    ("public ip changed", "peer address changed"),
    ("far end", "peer"),
    ("far side", "peer"),
    ("remote end", "peer"),
    ("remote side", "peer"),
    ("other end", "peer"),
    ("new public ip", "peer address changed"),
    ("doesn't match", "mismatch"),
    ("do not match", "mismatch"),
    ("aren't", "not"),
    ("isn't", "not"),
    ("don't", "not"),
    ("doesn't", "not"),
    ("shared secret", "pre-shared key"),
    ("psk", "pre-shared key"),
    ("web browsing", "browse internet"),
    ("website", "browse internet"),
    ("web site", "browse internet"),
    ("google", "browse internet"),
    ("surf the web", "browse internet"),
    ("get to the internet", "browse internet"),
    ("internet access", "browse internet"),
    ("one way", "one direction"),
    ("one side", "one direction"),
    ("freeze", "fail"),
    ("freezes", "fail"),
    ("hang", "fail"),
    ("hangs", "fail"),
    ("stall", "fail"),
    ("time out", "fail"),
    ("rdp", "applications"),
    ("file copies", "applications"),
    ("file transfers", "applications"),
    ("one-way", "one direction"),
    ("interesting traffic", "crypto acl"),
    ("same access list", "one acl used both"),
    ("same access-list", "one acl used both"),
    ("same acl", "one acl used both"),
    ("同一个 access-list", "one acl used both"),
    ("同一个access-list", "one acl used both"),
    ("同一个 acl", "one acl used both"),
    ("同一个acl", "one acl used both"),
    ("同一个访问列表", "one acl used both"),
    ("mistyped", "mismatch"),
    ("typo", "mismatch"),
    ("wrong key", "pre-shared key mismatch"),
    ("dead peer detection", "dpd dead peer"),
    ("keepalive", "dpd dead peer"),
    ("udp 4500", "nat-t 4500"),
    ("udp/4500", "nat-t 4500"),
    ("port 4500", "nat-t 4500"),
    ("security association", "sa"),
    ("set peer", "crypto peer"),
    ("security associations", "sa"),
    ("cgnat", "nat"),
    ("carrier-grade nat", "nat"),
    ("access list", "acl"),
    ("access-list", "acl"),
    // Chinese
    ("上不了网", "无法浏览互联网"),
    ("不能上网", "无法浏览互联网"),
    ("无法上网", "无法浏览互联网"),
    ("起不来", "无法建立 建立不起来"),
    ("建不起来", "无法建立 建立不起来"),
    ("对不上", "不匹配"),
    ("不一样", "不匹配"),
    ("不一致", "不匹配"),
    ("不同", "不匹配"),
    ("ping不通", "无法 ping 通"),
    ("ping 不通", "无法 ping 通"),
    ("上不了外网", "无法浏览互联网"),
    ("外网", "互联网"),
    ("打不开", "无法运行"),
    ("用不了", "无法运行"),
    ("丢包", "数据包 丢失"),
    ("换了", "变化 变更"),
    ("变了", "变化 变更"),
    ("没有回应", "没有响应"),
    ("没回应", "没有响应"),
    ("网站", "浏览互联网"),
    ("没法", "无法"),
    ("没配", "缺少"),
    ("没有配置", "缺少"),
    ("安全关联", "sa"),
    // How a damaged, restarted, silent or reordering path is described.
    ("mangle", "corrupt altered"),
    ("mangles", "corrupt altered"),
    ("mangled", "corrupt altered"),
    ("garbled", "corrupt altered"),
    ("integrity check", "hmac verification"),
    ("reload", "reboot restart"),
    ("reloaded", "reboot restart"),
    ("rebooted", "reboot restart"),
    ("restarted", "reboot restart"),
    ("power cycled", "reboot restart"),
    ("stopped answering", "not responding"),
    ("stopped responding", "not responding"),
    ("went dark", "not responding"),
    ("lost power", "not responding"),
    ("ages out", "expire"),
    ("aged out", "expire"),
    ("times out", "expire"),
    ("per-packet", "parallel paths"),
    ("per packet", "parallel paths"),
    ("ecmp", "parallel paths"),
    ("负载分担", "并行路径"),
    ("负载均衡", "并行路径"),
    ("顺序是乱的", "乱序"),
    ("顺序乱", "乱序"),
    ("reverse of", "mirror"),
    ("opposite of", "mirror"),
    ("感兴趣流", "crypto acl"),
    ("感兴趣的流量", "crypto acl"),
    ("pat", "nat"),
    ("pat'd", "nat"),
    ("eating", "drop"),
    ("eats", "drop"),
];

/// Words that only an IPsec or VPN question uses. A plain question is answered with
/// confidence only when it names one of them: "printer not working" shares words with
/// the knowledge base, but is not about a VPN.
/// Firewall and router names are not among them: "save the config on an ASA" is no VPN
/// question.
pub const DOMAIN_WORDS: &[&str] = &[
    "vpn",
    "ipsec",
    "isakmp",
    "ike",
    "ikev1",
    "ikev2",
    // Not "dpd", "pix" or "asa" alone: see WEAK_DOMAIN_WORDS.
    "nat-t",
    "natt",
    "pfs",
    "keepalive",
    "keepalives",
    "oakley",
    "tunnel",
    "tunnels",
    "tunnelling",
    "tunneling",
    "crypto",
    "sa",
    "sas",
    "esp",
    "ah",
    "transform",
    "nat",
    "concentrator",
    "phase",
    "psk",
    "pre-shared",
    "preshared",
    "anti-replay",
    "encaps",
    "decaps",
    "sysopt",
    "vpngroup",
    "3des",
    "diffie-hellman",
    "dh",
    "mm_no_state",
    "mm_key_exch",
    "qm_idle",
    "l2l",
    "site-to-site",
    "7600",
];

/// Words that name something of a VPN only beside another: "dpd" is a parcel service
/// too, and "save the config on an ASA" is no VPN question; "the remote asa stopped
/// answering dpd" and "the pix has no route behind the inside router" are.
/// Words of everyday English or of other technology are weak too: "spi flash", "review my
/// proposal", "replay the recording", "the key to the office".
pub const WEAK_DOMAIN_WORDS: &[&str] = &[
    "dpd",
    "pix",
    "asa",
    "router",
    "routers",
    "firewall",
    "spi",
    "proposal",
    "proposals",
    "peer",
    "peers",
    "key",
    "keys",
    "replay",
    "split",
    "mirror",
    "mirrored",
    "proxy",
    "outlook",
    "spa",
    "aim",
    "df",
    "mtu",
    "des",
    "aes",
    "md5",
    "sha",
    "hmac",
    "encrypt",
    "encrypted",
    "encryption",
    "decrypt",
    "decryption",
    "fragmentation",
    "selector",
    "selectors",
    // A ligament of the knee too.
    "acl",
    "acls",
    // The sites a tunnel joins: "the branch can reach hq but not back" is about the VPN
    // between them, "the branch manager's office" is not.
    "hq",
    "headquarters",
    "branch",
    "branches",
    "spoke",
    "spokes",
    // Traffic that flows one way only: between two sites, beside one of them.
    "direction",
];

/// The Chinese weak counterparts: two of them name a VPN ("分支能访问总部", "对端路由器").
pub const WEAK_DOMAIN_PAIRS_ZH: &[&str] = &["总部", "分支", "对端", "路由", "防火", "火墙", "单向"];

/// The Chinese counterparts: pairs of characters only such a question contains.
pub const DOMAIN_PAIRS_ZH: &[&str] = &[
    "隧道", "加密", "解密", "密钥", "对等", "等体", "阶段", "转换", "换集", "分割", "镜像", "豁免",
    "重放", "分片", "序列", "共享", "提议", "代理", "身份", "封装",
];

/// Rewrites a query with the knowledge base's wording (nothing to compile: free to build).
pub struct Phrases;

impl Default for Phrases {
    fn default() -> Self {
        Phrases::new()
    }
}

impl Phrases {
    pub fn new() -> Phrases {
        Phrases
    }

    /// The query with every known idiom's knowledge-base wording appended.
    #[cfg(test)]
    pub fn expand(&self, query: &str) -> String {
        format!("{query}{}", self.wordings(query, true))
    }

    /// The knowledge-base wordings of the idioms `text` contains, each after a space. Read
    /// from the text as written: the normaliser masks numbers, and "udp 4500" is an idiom.
    /// Device output has no idioms ("authentication value … differs" is no mismatch of
    /// settings): only its counters are read, unless `prose`.
    pub fn wordings(&self, text: &str, prose: bool) -> String {
        let lower = text.to_lowercase();
        let mut out = String::new();
        for (phrase, wording) in RULES.iter().filter(|_| prose) {
            if contains_phrase(&lower, phrase) {
                out.push(' ');
                out.push_str(wording);
            }
        }
        if one_counter_still(&lower) {
            out.push_str(" one direction 单向");
        }
        out
    }
}

/// Whether the text names one of the hyphenated [`DOMAIN_WORDS`] ("anti-replay",
/// "site-to-site") as such.
pub fn names_domain_phrase(text: &str) -> bool {
    let lower = text.to_lowercase();
    DOMAIN_WORDS
        .iter()
        .filter(|w| w.contains('-'))
        .any(|w| contains_phrase(&lower, w))
}

/// Whether `phrase` occurs in `text` as whole words (with an inflection): "hang" is in
/// "the tunnel hangs", never inside "shanghai". A phrase in a script without spaces
/// between words (Chinese) matches anywhere.
fn contains_phrase(text: &str, phrase: &str) -> bool {
    if !phrase.is_ascii() {
        return text.contains(phrase);
    }
    // A Han character is a word of its own: "把UDP 4500丢掉" names the port.
    let word = |c: char| (c.is_alphanumeric() && !super::normalize::is_han(c)) || c == '_';
    text.match_indices(phrase).any(|(i, _)| {
        // A word starts here, and ends here or with an inflection ("hangs", "dropped",
        // "timing out" is its own rule).
        let starts = !text[..i].chars().next_back().is_some_and(word);
        let tail = text[i + phrase.len()..]
            .chars()
            .take_while(|c| word(*c))
            .collect::<String>();
        starts
            && (tail.is_empty()
                || ["s", "es", "ed", "d", "ing", "ped", "ping"].contains(&tail.as_str()))
    })
}

/// One counter moving while the other stays at zero is traffic in one direction, however
/// it is phrased: "decaps stuck at 0", "#pkts decaps is not increasing", "解密计数一直是零",
/// "只有加密计数在涨". (Checked by scanning words: compiling patterns with variable words
/// between their parts costs more start-up than the whole index.)
fn one_counter_still(lower: &str) -> bool {
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let english = words.iter().enumerate().any(|(i, w)| {
        matches!(*w, "decaps" | "decap" | "encaps" | "encap")
            && words
                .iter()
                .skip(i + 1)
                .take(5)
                .enumerate()
                .any(|(j, next)| {
                    matches!(*next, "0" | "zero" | "still" | "stuck")
                        || (*next == "not"
                            && words.get(i + 2 + j).is_some_and(|w| {
                                w.starts_with("increas")
                                    || w.starts_with("ris")
                                    || w.starts_with("mov")
                            }))
                })
    });
    let chinese = lower.contains("只有加密计数")
        || lower.contains("只有解密计数")
        || ["加密计数", "解密计数"].iter().any(|c| {
            lower.split(c).skip(1).any(|after| {
                let near: String = after.chars().take(8).collect();
                ["0", "零", "不变", "不涨", "没变"]
                    .iter()
                    .any(|m| near.contains(m))
            })
        });
    english || chinese
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_whole_words_only() {
        let p = Phrases::new();
        assert_eq!(p.expand("shanghai office tunnel"), "shanghai office tunnel");
        assert!(p.expand("the tunnel hangs").ends_with(" fail"));
        assert!(p.expand("hang").ends_with(" fail"));
        assert_eq!(p.expand("pskey"), "pskey");
        assert!(p.expand("wrong psk?").contains("pre-shared key"));
    }

    #[test]
    fn appends_the_knowledge_base_wording() {
        let p = Phrases::new();
        assert_eq!(
            p.expand("Tunnel won't come up"),
            "Tunnel won't come up not established"
        );
        assert_eq!(
            p.expand("连上VPN以后就上不了网了"),
            "连上VPN以后就上不了网了 无法浏览互联网"
        );
        assert_eq!(p.expand("replay check failed"), "replay check failed");
    }

    #[test]
    fn counter_idioms_mean_one_direction() {
        let p = Phrases::new();
        for q in [
            "#pkts encaps keeps increasing but #pkts decaps stuck at 0",
            "decaps is not increasing",
            "解密计数一直是零",
            "只有加密计数在涨",
        ] {
            let e = p.expand(q);
            assert!(
                e.ends_with("one direction") || e.ends_with("单向"),
                "{q} → {e}"
            );
        }
        assert!(!p
            .expand("encaps and decaps both rise")
            .contains("one direction"));
    }
}
