//! Reading IKE negotiations in `debug crypto isakmp` / `debug crypto ipsec` output.
//!
//! Each `Checking ISAKMP transform N against priority M policy` block lists the offered
//! attributes and ends with a verdict; likewise `Checking IPsec proposal N`. As the tech
//! note's PIX debug shows, a rejected offer followed by an accepted one is normal
//! negotiation: a negotiation is judged by its outcome. A failed phase 1 names the
//! attributes the peers disagree on (encryption, hash, Diffie-Hellman group,
//! authentication, lifetime); a failed phase 2 lists the transforms that were refused.

use regex::Regex;

/// The phase a negotiation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    One,
    Two,
}

/// A negotiation that ended, with its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub phase: Phase,
    pub succeeded: bool,
    /// (line number, line) of the lines that show what happened.
    pub evidence: Vec<(u64, String)>,
    /// What the peers disagree on, for a failure ("hash: offered MD5").
    pub detail: String,
    /// Phase 2: a transform was refused ("transform proposal … not supported"), so the
    /// failure is the transform sets', not the proxy identities'.
    pub transforms_refused: bool,
}

#[derive(Debug, Default)]
struct Offer {
    /// e.g. "transform 1 against priority 1 policy" or "proposal 1".
    name: String,
    /// Offered attributes in order: (attribute, value).
    attributes: Vec<(String, String)>,
    /// Attributes a "… offered does not match policy" line named.
    mismatched: Vec<String>,
    rejected: bool,
    /// "transform proposal … not supported" was printed for it.
    transform_refused: bool,
}

#[derive(Debug)]
struct Open {
    phase: Phase,
    offers: Vec<Offer>,
    evidence: Vec<(u64, String)>,
    /// Phase 2 only: an offer's ISAKMP attributes were accepted. IOS then still checks the
    /// transform against the crypto map ("transform proposal not supported for identity",
    /// "phase 2 SA policy not acceptable!"), so success waits for what follows.
    accepted: bool,
}

/// A streaming reader of negotiations: feed it the relevant lines in order.
pub struct Negotiations {
    open: Option<Open>,
    re: Patterns,
}

struct Patterns {
    p1_check: Regex,
    p2_check: Regex,
    attribute: Regex,
    p2_transform: Regex,
    mismatch: Regex,
    acceptable: Regex,
    not_acceptable: Regex,
    p1_failed: Regex,
    p2_failed: Regex,
    authenticated: Regex,
}

impl Default for Negotiations {
    fn default() -> Self {
        Negotiations::new()
    }
}

/// The lines a negotiation is read from, as patterns for the scanner (Unicode off).
pub const TRIGGERS: &[&str] = &[
    r"(?i)Checking\s+ISAKMP\s+transform",
    r"(?i)Checking\s+IPsec\s+proposal",
    r"(?i)ISAKMP:\s+(?:encryption|hash|default\s+group|group|auth|life\s+type|life\s+duration|authenticator\s+is|encaps\s+is|transform\s+\d)",
    r"(?i)algorithm\s+offered\s+does\s+not\s+match|offered\s+does\s+not\s+match\s+policy",
    r"(?i)atts\s+(?:are\s+)?(?:not\s+)?acceptable",
    r"(?i)no\s+offers\s+accepted|SA\s+(?:policy\s+)?not\s+acceptable|policy\s+invalidated\s+proposal|Processing\s+of\s+\w+\s+mode\s+failed",
    r"(?i)SA\s+has\s+been\s+authenticated",
    r"(?i)transform\s+proposal.*not\s+supported",
];

impl Negotiations {
    pub fn new() -> Negotiations {
        let re = |p: &str| Regex::new(p).expect("valid negotiation pattern");
        Negotiations {
            open: None,
            re: Patterns {
                p1_check: re(
                    r"(?i)Checking\s+ISAKMP\s+transform\s+(\d+)\s+against\s+priority\s+(\d+)\s+policy",
                ),
                p2_check: re(r"(?i)Checking\s+IPsec\s+proposal\s*(\d+)"),
                attribute: re(
                    r"(?i)ISAKMP:\s+(encryption|hash|default\s+group|group|auth|life\s+type|life\s+duration)\b\s*(?:of|in|is)?\s*(.*)$",
                ),
                p2_transform: re(r"(?i)(?:transform\s+\d+,\s*(\S+)|authenticator\s+is\s+(\S+))"),
                mismatch: re(
                    r"(?i)(hash\s+algorithm|encryption\s+algorithm|diffie-hellman\s+group|authentication\s+method|lifetime|group)\s+offered\s+does\s+not\s+match\s+policy",
                ),
                acceptable: re(r"(?i)atts\s+are\s+acceptable"),
                not_acceptable: re(r"(?i)atts\s+(?:are\s+)?not\s+acceptable"),
                p1_failed: re(
                    r"(?i)no\s+offers\s+accepted|phase\s+1\s+SA\s+(?:policy\s+)?not\s+acceptable|Processing\s+of\s+(?:Main|Aggressive)\s+mode\s+failed",
                ),
                p2_failed: re(
                    r"(?i)policy\s+invalidated\s+proposal|phase\s+2\s+SA\s+(?:policy\s+)?not\s+acceptable|Processing\s+of\s+Quick\s+mode\s+failed",
                ),
                authenticated: re(r"(?i)SA\s+has\s+been\s+authenticated"),
            },
        }
    }

    /// Whether a negotiation has begun and not yet ended.
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// Feed one line; returns a negotiation that this line ended, if any.
    pub fn feed(&mut self, number: u64, line: &str) -> Option<Outcome> {
        let re = &self.re;
        if let Some(c) = re.p1_check.captures(line) {
            let name = format!("transform {} against priority {} policy", &c[1], &c[2]);
            return self.begin_offer(Phase::One, name, number, line);
        }
        if let Some(c) = re.p2_check.captures(line) {
            let name = format!("proposal {}", &c[1]);
            return self.begin_offer(Phase::Two, name, number, line);
        }
        let open = self.open.as_mut()?;
        if let Some(c) = re.mismatch.captures(line) {
            let what = attribute_name(&c[1]);
            if let Some(offer) = open.offers.last_mut() {
                offer.mismatched.push(what.to_string());
            }
            open.evidence.push((number, line.trim().to_string()));
            return None;
        }
        if let Some(c) = re.attribute.captures(line) {
            if let Some(offer) = open.offers.last_mut() {
                offer
                    .attributes
                    .push((attribute_name(&c[1]).to_string(), c[2].trim().to_string()));
            }
            return None;
        }
        if open.phase == Phase::Two {
            if let Some(c) = re.p2_transform.captures(line) {
                let (name, value) = match (c.get(1), c.get(2)) {
                    (Some(t), _) => ("transform", t.as_str()),
                    (None, Some(a)) => ("authenticator", a.as_str()),
                    _ => ("transform", ""),
                };
                if let Some(offer) = open.offers.last_mut() {
                    offer.attributes.push((name.into(), value.to_string()));
                }
            }
        }
        if re.not_acceptable.is_match(line) || line.to_ascii_lowercase().contains("not supported") {
            let transform = line.to_ascii_lowercase().contains("transform proposal");
            if let Some(offer) = open.offers.last_mut() {
                offer.rejected = true;
                offer.transform_refused |= transform;
            }
            open.evidence.push((number, line.trim().to_string()));
            return None;
        }
        if re.acceptable.is_match(line)
            || (open.phase == Phase::One && re.authenticated.is_match(line))
        {
            open.evidence.push((number, line.trim().to_string()));
            if open.phase == Phase::Two {
                open.accepted = true;
                return None;
            }
            return self.close(true);
        }
        let failed = match open.phase {
            Phase::One => re.p1_failed.is_match(line),
            Phase::Two => re.p2_failed.is_match(line) || re.p1_failed.is_match(line),
        };
        if failed {
            open.evidence.push((number, line.trim().to_string()));
            return self.close(false);
        }
        None
    }

    fn begin_offer(
        &mut self,
        phase: Phase,
        name: String,
        number: u64,
        line: &str,
    ) -> Option<Outcome> {
        // A check of the other phase, or a new check after an accepted phase 2 offer, ends
        // the open negotiation: accepted ones succeeded; one without a verdict is dropped
        // (no failure line, no fault).
        let ended = match &self.open {
            Some(o) if o.accepted => self.close(true),
            Some(o) if o.phase != phase => {
                self.open = None;
                None
            }
            _ => None,
        };
        let open = self.open.get_or_insert_with(|| Open {
            phase,
            offers: Vec::new(),
            evidence: Vec::new(),
            accepted: false,
        });
        open.offers.push(Offer {
            name,
            ..Offer::default()
        });
        open.evidence.push((number, line.trim().to_string()));
        ended
    }

    /// The end of the input: a phase 2 offer accepted and never refused succeeded.
    pub fn finish(&mut self) -> Option<Outcome> {
        match &self.open {
            Some(o) if o.accepted => self.close(true),
            _ => None,
        }
    }

    fn close(&mut self, succeeded: bool) -> Option<Outcome> {
        let open = self.open.take()?;
        let detail = if succeeded {
            String::new()
        } else {
            describe(&open)
        };
        Some(Outcome {
            phase: open.phase,
            succeeded,
            transforms_refused: open.offers.iter().any(|o| o.transform_refused),
            evidence: open.evidence,
            detail,
        })
    }
}

/// A failed negotiation in one sentence: what was offered and what did not match.
fn describe(open: &Open) -> String {
    let parts: Vec<String> = open
        .offers
        .iter()
        .map(|o| {
            let offered: Vec<String> = o
                .attributes
                .iter()
                .map(|(a, v)| format!("{a} {v}"))
                .collect();
            let mut s = format!(
                "{}: offered {}",
                o.name,
                if offered.is_empty() {
                    "—".into()
                } else {
                    offered.join(", ")
                }
            );
            if !o.mismatched.is_empty() {
                s.push_str(&format!(
                    "; does not match the policy's {}",
                    o.mismatched.join(" and ")
                ));
            } else if o.rejected {
                s.push_str("; rejected");
            }
            s
        })
        .collect();
    let disagreement: Vec<&str> = open
        .offers
        .iter()
        .flat_map(|o| o.mismatched.iter().map(String::as_str))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let head = match (open.phase, disagreement.is_empty()) {
        (Phase::One, false) => format!(
            "phase 1 failed: the peers disagree on {}",
            disagreement.join(" and ")
        ),
        (Phase::One, true) => "phase 1 failed: no offered transform was acceptable".to_string(),
        (Phase::Two, _) => "phase 2 failed: no IPsec proposal was acceptable".to_string(),
    };
    format!("{head} ({})", parts.join("; "))
}

fn attribute_name(raw: &str) -> &'static str {
    let raw = raw.to_ascii_lowercase();
    if raw.starts_with("hash") {
        "hash"
    } else if raw.starts_with("encryption") {
        "encryption"
    } else if raw.contains("group") || raw.starts_with("diffie") {
        "DH group"
    } else if raw.starts_with("auth") {
        "authentication"
    } else {
        "lifetime"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<Outcome> {
        let mut n = Negotiations::new();
        let mut out: Vec<Outcome> = text
            .lines()
            .enumerate()
            .filter_map(|(i, l)| n.feed(i as u64 + 1, l))
            .collect();
        out.extend(n.finish());
        out
    }

    /// The tech note's PIX debug: transform 1 rejected, transform 3 accepted; proposal 1
    /// not supported, proposal 2 accepted. Normal negotiation, twice.
    #[test]
    fn rejected_then_accepted_is_normal() {
        let pix = "\
ISAKMP (0): Checking ISAKMP transform 1 against priority 1 policy
ISAKMP:      encryption DES-CBC
ISAKMP:      hash MD5
ISAKMP:      default group 1
ISAKMP:      auth pre-share
ISAKMP (0): atts are not acceptable. Next payload is 3
ISAKMP (0): Checking ISAKMP transform 3 against priority 1 policy
ISAKMP:      encryption 3DES-CBC
ISAKMP:      hash SHA
ISAKMP (0): atts are acceptable. Next payload is 3
ISAKMP : Checking IPsec proposal 1
ISAKMP: transform 1, ESP_DES
ISAKMP:      authenticator is HMAC-MD5
IPSEC(validate_proposal): transform proposal (prot 3, trans 2, hmac_alg 1) not supported
ISAKMP (0): atts not acceptable. Next payload is 0
ISAKMP : Checking IPsec proposal 2
ISAKMP: transform 1, ESP_3DES
ISAKMP (0): atts are acceptable.
";
        let outcomes = run(pix);
        assert_eq!(outcomes.len(), 2);
        assert!(outcomes.iter().all(|o| o.succeeded), "{outcomes:?}");
        assert_eq!(outcomes[1].phase, Phase::Two);
    }

    /// The tech note's RouterB: the only transform fails on encryption; no offers accepted.
    #[test]
    fn a_failed_phase_1_names_the_attribute() {
        let router_b = "\
ISAKMP (0:1): Checking ISAKMP transform 1 against priority 65535 policy
ISAKMP:      encryption 3DES-CBC
ISAKMP:      hash MD5
ISAKMP:      default group 1
ISAKMP:      auth pre-share
ISAKMP:      life type in seconds
ISAKMP (0:1): Encryption algorithm offered does not match policy!
ISAKMP (0:1): atts are not acceptable. Next payload is 0
ISAKMP (0:1): no offers accepted!
ISAKMP (0:1): phase 1 SA not acceptable!
";
        let outcomes = run(router_b);
        assert_eq!(outcomes.len(), 1);
        let o = &outcomes[0];
        assert!(!o.succeeded);
        assert!(
            o.detail
                .starts_with("phase 1 failed: the peers disagree on encryption"),
            "{}",
            o.detail
        );
        assert!(
            o.detail
                .contains("encryption 3DES-CBC, hash MD5, DH group 1"),
            "{}",
            o.detail
        );
        assert_eq!(o.evidence.last().unwrap().0, 9);
    }

    /// IOS 12.4T and later accept the ISAKMP attributes, then refuse the transform.
    #[test]
    fn a_later_refusal_overrides_accepted_attributes() {
        let text = "\
ISAKMP:(1012):Checking IPSec proposal 1
ISAKMP:(1012):atts are acceptable.
IPSEC(ipsec_process_proposal): transform proposal not supported for identity: {esp-3des esp-md5-hmac }
ISAKMP:(1012): phase 2 SA policy not acceptable! (local 198.51.100.1 remote 203.0.113.2)
";
        let o = run(text);
        assert_eq!(o.len(), 1);
        assert!(!o[0].succeeded && o[0].phase == Phase::Two);
    }

    #[test]
    fn a_failed_phase_2_lists_the_refused_transforms() {
        let text = "\
ISAKMP : Checking IPsec proposal 1
ISAKMP: transform 1, ESP_AES
ISAKMP:      authenticator is HMAC-SHA
IPSEC(validate_proposal): transform proposal (prot 3, trans 12, hmac_alg 2) not supported
ISAKMP (0:2): atts not acceptable. Next payload is 0
ISAKMP: IPsec policy invalidated proposal
";
        let o = &run(text)[0];
        assert!(!o.succeeded && o.phase == Phase::Two);
        assert!(
            o.detail
                .contains("transform ESP_AES, authenticator HMAC-SHA; rejected"),
            "{}",
            o.detail
        );
    }
}
