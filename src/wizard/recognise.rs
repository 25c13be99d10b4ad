//! Answering a question from pasted command output: the answers' `recognise` patterns,
//! and the built-in `detect` readers (counters that must be compared, not matched).

use crate::evidence::ipsec_sa::{self, Traffic};
use crate::kb::schema::{Detector, Question};
use regex::Regex;

/// What the pasted output says about a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recognition {
    /// Exactly one answer fits: its ID and the evidence.
    One { answer: String, evidence: String },
    /// Several answers fit (e.g. two peers in different states): (answer ID, evidence).
    Several(Vec<(String, String)>),
    /// Nothing in the output decides the question.
    Nothing,
}

/// Reads pasted output; build once per wizard.
#[derive(Default)]
pub struct Recogniser {
    counters: ipsec_sa::Parser,
}

impl Recogniser {
    pub fn new() -> Recogniser {
        Recogniser::default()
    }

    pub fn recognise(&self, question: &Question, output: &str) -> Recognition {
        let verdict = question
            .answers
            .iter()
            .any(|a| a.detect.is_some())
            .then(|| self.counters.verdict(output))
            .flatten();
        let mut fits: Vec<(String, String)> = Vec::new();
        for answer in &question.answers {
            if let (Some(detector), Some(v)) = (answer.detect, &verdict) {
                if detects(detector, v.traffic) {
                    let how = if v.compared {
                        "two snapshots compared"
                    } else {
                        "one snapshot"
                    };
                    fits.push((answer.id.clone(), format!("{} ({how})", v.evidence)));
                    continue;
                }
            }
            // Patterns are checked when the knowledge base is loaded; one that still fails
            // to compile simply recognises nothing.
            let found = answer
                .recognise
                .iter()
                .filter_map(|p| Regex::new(p).ok())
                .find_map(|re| {
                    crate::evidence::lines(output)
                        .find(|line| re.is_match(line))
                        .map(|line| format!("`{}`", line.trim()))
                });
            if let Some(evidence) = found {
                fits.push((answer.id.clone(), evidence));
            }
        }
        match fits.len() {
            0 => Recognition::Nothing,
            1 => {
                let (answer, evidence) = fits.remove(0);
                Recognition::One { answer, evidence }
            }
            _ => Recognition::Several(fits),
        }
    }
}

fn detects(detector: Detector, traffic: Traffic) -> bool {
    match detector {
        Detector::EncapsOnly => traffic == Traffic::EncapsOnly,
        Detector::DecapsOnly => traffic == Traffic::DecapsOnly,
        Detector::NoTraffic => traffic == Traffic::None,
        Detector::BothDirections => traffic == Traffic::Both,
        Detector::PacketErrors => traffic == Traffic::Errors,
        Detector::DecapsRising => matches!(traffic, Traffic::DecapsOnly | Traffic::Both),
        Detector::DecapsStill => matches!(traffic, Traffic::EncapsOnly | Traffic::None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{Kb, KbSource, Node};

    fn question(kb: &Kb, id: &str) -> Question {
        match kb.node(id) {
            Some(Node::Question(q)) => q.clone(),
            _ => panic!("{id}"),
        }
    }

    fn answer(r: Recognition) -> String {
        match r {
            Recognition::One { answer, .. } => answer,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn isakmp_states_in_ios_pix_and_asa_layouts() {
        let kb = Kb::open(&KbSource::Embedded).unwrap();
        let q = question(&kb, "q-isakmp-sa-state");
        let r = Recogniser::new();
        let ios = "dst          src          state      conn-id    slot\n10.1.1.2    10.1.1.1    MM_NO_STATE    1          0\n";
        assert_eq!(answer(r.recognise(&q, ios)), "mm-no-state");
        let pix = "Total      : 2\nEmbryonic : 1\n      dst          src          state    pending    created\n192.168.254.250  10.177.243.187  MM_KEY_EXCH  0          0\n";
        assert_eq!(answer(r.recognise(&q, pix)), "mm-key-exch");
        let asa = "1   IKE Peer: 198.51.100.2\n    Type    : L2L             Role    : initiator\n    Rekey   : no              State   : MM_ACTIVE\n";
        assert_eq!(answer(r.recognise(&q, asa)), "qm-idle");
        let modern = "IPv4 Crypto ISAKMP SA\ndst             src             state          conn-id status\n198.51.100.2    203.0.113.1     QM_IDLE           1001 ACTIVE\n";
        assert_eq!(answer(r.recognise(&q, modern)), "qm-idle");
        let two_peers =
            format!("{ios}\n192.168.254.250  10.177.243.187  MM_KEY_EXCH  0          0\n");
        assert!(matches!(r.recognise(&q, &two_peers), Recognition::Several(v) if v.len() == 2));
        assert_eq!(r.recognise(&q, "nothing useful"), Recognition::Nothing);
    }

    #[test]
    fn ipsec_sa_counters_decide_by_comparison() {
        let kb = Kb::open(&KbSource::Embedded).unwrap();
        let q = question(&kb, "q-ipsec-sa-counters");
        let r = Recogniser::new();
        let snap = |enc: u32, dec: u32| {
            format!("  local ident (addr/mask/prot/port): (10.1.1.0/255.255.255.0/0/0)\n  remote ident (addr/mask/prot/port): (10.1.2.0/255.255.255.0/0/0)\n  current_peer: 10.2.1.1\n    #pkts encaps: {enc}, #pkts encrypt: {enc}, #pkts digest: {enc}\n    #pkts decaps: {dec}, #pkts decrypt: {dec}, #pkts verify: {dec}\n    #send errors 0, #recv errors 0\n")
        };
        assert_eq!(answer(r.recognise(&q, &snap(120, 0))), "encaps-only");
        assert_eq!(answer(r.recognise(&q, &snap(0, 0))), "neither");
        assert_eq!(
            answer(r.recognise(&q, &format!("{}{}", snap(50, 40), snap(50, 60)))),
            "decaps-only"
        );
        match r.recognise(&q, &format!("{}{}", snap(50, 40), snap(70, 60))) {
            Recognition::One { answer, evidence } => {
                assert_eq!(answer, "both");
                assert!(
                    evidence.contains("50 → 70") && evidence.contains("two snapshots"),
                    "{evidence}"
                );
            }
            other => panic!("{other:?}"),
        }
        let peer = question(&kb, "q-peer-decaps");
        assert_eq!(answer(r.recognise(&peer, &snap(120, 0))), "no");
        assert_eq!(answer(r.recognise(&peer, &snap(120, 9))), "yes");
    }
}
