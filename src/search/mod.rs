//! Search: paste an error line, a whole debug session, or a phrase in English or Chinese,
//! and get the knowledge-base entries it is about, best first, with an honest confidence.
//!
//! Two kinds of evidence are combined. An error's signatures recognise its message exactly,
//! whatever the prefix, addresses or numbers around it: a signature match is confident.
//! Everything else (a line cut short, another wording, a plain question, Chinese) is ranked
//! by BM25 over the index, and is confident only when the best entry covers most of what the
//! query says, weighted by how specific each word is: words the knowledge base has never
//! seen weigh the most, so an OSPF or interface message is not forced onto an IPsec entry.
//!
//! What a search costs is bounded by the text's length, whatever its words (issue #9: a
//! 1 MiB paste of distinct words took gigabytes, one spelling automaton per word). A paste
//! is read line by line by the signatures, which is linear; only a short text (a question,
//! a line or a few) is also ranked by its words, and then by its first
//! [`MAX_QUERY_TERMS`] distinct terms, of which at most [`MAX_LOOSE_TERMS`] match loosely.

mod commands;
mod index;
pub mod normalize;
mod phrases;

use crate::kb::{Kb, Kind};
use index::{Looseness, QueryTerm, SearchIndex};
use normalize::{Normalizer, PLACEHOLDERS};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// How much of the query (by weight) the best entry must cover to be confident: a log
/// line, where every word counts; a plain question, which carries filler.
const MIN_COVERAGE_LOG: f32 = 0.6;
const MIN_COVERAGE_PLAIN: f32 = 0.4;
/// A question mostly in Chinese: its character pairs that cross a word boundary match
/// nothing, so the same meaning covers less of it than of its English twin.
const MIN_COVERAGE_ZH: f32 = 0.3;
/// The weight of a word the knowledge base has never seen, in a plain question (in a log
/// line it weighs the most, as it speaks of something else). Chinese pairs that cross a
/// word boundary are never seen either, so theirs is lower still.
const UNKNOWN_WEIGHT_PLAIN: f32 = 1.5;
const UNKNOWN_WEIGHT_ZH: f32 = 0.5;
/// The least total weight of matched words: one generic word ("tunnel") is not enough.
const MIN_MATCHED_WEIGHT: f32 = 2.5;
/// A query an entry covers this completely, with this much weight, is about that entry even
/// without a VPN word ("cannot browse the internet" is the symptom's own wording).
const NEAR_COMPLETE: f32 = 0.85;
const NEAR_COMPLETE_WEIGHT: f32 = 5.0;
/// A plain question that names nothing of a VPN is still about the entry that covers this
/// much of it, with this many of its words (and [`NEAR_COMPLETE_WEIGHT`]), when that entry
/// leads the next unlinked one by [`STRONG_MARGIN`].
const SPECIFIC_COVERAGE: f32 = 0.6;
const SPECIFIC_WORDS: usize = 5;
/// Score given to a signature match, above any BM25 score.
const SIGNATURE_SCORE: f32 = 100.0;
/// A ranked answer is confident only when it scores this many times the best entry that
/// is not linked to it: a close second that speaks of something else means the words do
/// not decide. (A close second linked to the answer, its cause or its fix, agrees.)
pub const MIN_MARGIN: f32 = 1.2;
/// A question as engineers type it carries their site names, times and feelings ("the
/// dallas branch … since this morning"), words the knowledge base never uses: its best
/// entry covers less of it. Such an entry is still the answer when it covers at least this
/// fraction of the coverage needed and leads the next unlinked entry by [`STRONG_MARGIN`].
const RESCUE_COVERAGE: f32 = 0.6;
pub const STRONG_MARGIN: f32 = 2.0;
/// How much more of the query the best entry must cover than another for that one to be
/// no rival (see [`Searcher::weigh_the_margin`]) ...
const COVERAGE_LEAD: f32 = 0.1;
/// ... when the best covers at least this much of the query.
const COVERAGE_LEAD_FROM: f32 = 0.6;
/// The share of a workaround's score its cause is credited with (a remedy's is whole).
const WORKAROUND_CREDIT: f32 = 0.75;

/// The lead over the next unlinked entry an entry short of coverage needs: [`MIN_MARGIN`]
/// just under the coverage needed, rising to [`STRONG_MARGIN`] at [`RESCUE_COVERAGE`] of it.
fn margin_needed(coverage: f32, min_coverage: f32) -> f32 {
    let shortfall =
        ((min_coverage - coverage) / (min_coverage * (1.0 - RESCUE_COVERAGE))).clamp(0.0, 1.0);
    MIN_MARGIN + (STRONG_MARGIN - MIN_MARGIN) * shortfall
}
/// The most non-empty lines of a text ranked by its words: a question, or an error line or
/// a few, wrapped or cut short (in the held-out sets, every text answered by its words is
/// one line of at most 215 bytes). A longer paste is a log: its known errors are found line
/// by line by their signatures, and when it has none the answer is "no confident match",
/// not the entries that happen to share most words with the whole log (or with one line of
/// it picked arbitrarily). `diagnose` is the tool for a log.
pub const MAX_RANKED_LINES: usize = 4;
/// The most bytes of a text ranked by its words, for the same reason.
pub const MAX_RANKED_BYTES: usize = 512;
/// The ranked query is made of the text's first this many distinct terms (English stems,
/// then Chinese pairs), phrase rewrites included.
pub const MAX_QUERY_TERMS: usize = 32;
/// At most this many of those terms match loosely (a spelling distance or a prefix): each
/// costs a Levenshtein automaton per field, tens of kilobytes, where an exact term costs a
/// dictionary lookup. The last word of a text cut short comes first, then the words the
/// knowledge base has never seen, in order.
pub const MAX_LOOSE_TERMS: usize = 8;

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    pub kind: Kind,
    pub score: f32,
    pub confident: bool,
    /// Why it matched: the signature and line, or the query words the entry contains.
    pub matched: String,
    /// Why the answer is confident, or why not: what decided it (a signature, the command
    /// named, the words and the margin over the next entry).
    pub why: String,
    /// 1-based numbers of the pasted lines that matched a signature.
    pub lines: Vec<usize>,
    /// A ranked entry that falls short only of the coverage needed, by less than
    /// [`RESCUE_COVERAGE`] of it: a clear enough lead ([`margin_needed`]) makes it
    /// confident. The lead it needs, when it is short.
    pub(crate) short_of_coverage: Option<f32>,
    /// The fraction of the query's weight the entry's words cover (1 for a signature or
    /// a command named).
    pub(crate) coverage: f32,
}

/// The answer to one query.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub query: String,
    pub hits: Vec<Hit>,
    /// Lines that are messages of a healthy VPN: (1-based line, `info-` ID).
    pub informational: Vec<(usize, String)>,
}

impl Outcome {
    /// The answer, when there is a confident one.
    pub fn best(&self) -> Option<&Hit> {
        self.hits.first().filter(|h| h.confident)
    }
}

/// A search session over one knowledge base: the index is built once.
pub struct Searcher<'k> {
    kb: &'k Kb,
    index: SearchIndex,
    normalizer: Normalizer,
    /// Facilities of the mnemonics in the knowledge base's examples (`CRYPTO`, `MOTCR`).
    known_facilities: BTreeSet<String>,
    /// [`phrases::DOMAIN_WORDS`] as analysed terms, and the Chinese domain pairs.
    domain_terms: BTreeSet<String>,
    /// [`phrases::WEAK_DOMAIN_WORDS`], analysed: two of them name a VPN.
    weak_domain_terms: BTreeSet<String>,
    phrases: phrases::Phrases,
    commands: commands::Commands,
}

impl<'k> Searcher<'k> {
    pub fn new(kb: &'k Kb) -> Result<Searcher<'k>, tantivy::TantivyError> {
        Searcher::build(kb, true)
    }

    /// A searcher for one text: the index's Chinese part is built only when the text has
    /// Chinese in it (or on first use), which spares an English query a third of the build.
    pub fn for_text(kb: &'k Kb, text: &str) -> Result<Searcher<'k>, tantivy::TantivyError> {
        Searcher::build(kb, text.chars().any(normalize::is_han))
    }

    fn build(kb: &'k Kb, chinese: bool) -> Result<Searcher<'k>, tantivy::TantivyError> {
        let normalizer = Normalizer::new();
        let mut known_facilities = BTreeSet::new();
        for node in kb.nodes_of(Kind::Error) {
            if let crate::kb::Node::Error(e) = node {
                for x in &e.examples {
                    for m in normalizer.mnemonics(&x.text) {
                        let facility = m.trim_start_matches('%').split('-').next().unwrap_or("");
                        known_facilities.extend(facility.split('|').map(str::to_string));
                    }
                }
            }
        }
        let index = SearchIndex::build_for(kb, chinese)?;
        // A hyphenated word is found as a phrase ([`phrases::names_domain_phrase`]): its
        // parts ("anti", "replay", "site") are words of anything.
        let single: Vec<&str> = phrases::DOMAIN_WORDS
            .iter()
            .copied()
            .filter(|w| !w.contains('-'))
            .collect();
        let domain_terms = index
            .query_terms(&single.join(" "), usize::MAX)
            .into_iter()
            .map(|t| t.text)
            .chain(phrases::DOMAIN_PAIRS_ZH.iter().map(|p| p.to_string()))
            .collect();
        let weak_domain_terms = index
            .query_terms(&phrases::WEAK_DOMAIN_WORDS.join(" "), usize::MAX)
            .into_iter()
            .map(|t| t.text)
            .chain(phrases::WEAK_DOMAIN_PAIRS_ZH.iter().map(|p| p.to_string()))
            .collect();
        Ok(Searcher {
            kb,
            index,
            normalizer,
            known_facilities,
            domain_terms,
            weak_domain_terms,
            phrases: phrases::Phrases::new(),
            commands: commands::Commands::new(kb),
        })
    }

    /// Search a query: one line, a multi-line paste, or a phrase. Every line is matched by
    /// the signatures; only a short text ([`is_short`]) is ranked by its words too.
    pub fn search(&self, text: &str, limit: usize) -> Outcome {
        let mut hits = self.signature_hits(text);
        let recognised = !hits.is_empty();
        if hits.is_empty() {
            let named = self.commands.named(text).or_else(|| {
                is_short(text)
                    .then(|| self.commands.asked_about(text))
                    .flatten()
            });
            if let Some(named) = named {
                hits.push(Hit {
                    id: named.id.clone(),
                    kind: Kind::Command,
                    score: SIGNATURE_SCORE,
                    confident: true,
                    matched: format!("the command `{}`", named.spelling),
                    why: format!(
                        "the text is the command `{}`: its entry tells how to read the output",
                        named.spelling
                    ),
                    lines: vec![1],
                    short_of_coverage: None,
                    coverage: 1.0,
                });
            }
        }
        let normalized = self.normalizer.normalize(text).join("\n");
        if is_short(text) {
            let mut words = normalized.clone();
            for p in PLACEHOLDERS {
                words = words.replace(p, " ");
            }
            let seen: BTreeSet<String> = hits.iter().map(|h| h.id.clone()).collect();
            let log_like = self.looks_like_log(&normalized);
            words.push_str(&self.phrases.wordings(text, !log_like));
            // A command the knowledge base has no entry for (`show ip nat translations`)
            // is no fault: what its words find is listed, never answered with confidence.
            let unknown_command =
                !recognised && hits.is_empty() && commands::is_typed_command(text);
            for mut hit in self.ranked(&words, log_like, limit + seen.len()) {
                if unknown_command && hit.kind != Kind::Command && hit.confident {
                    hit.confident = false;
                    hit.why =
                        "the text is a command typed, and the knowledge base has no entry for it"
                            .to_string();
                }
                if !seen.contains(&hit.id) {
                    hits.push(hit);
                }
            }
        }
        // A text made only of a healthy VPN's messages has nothing to fix: whatever its
        // words share with an entry, no answer is confident.
        let informational = self.informational_lines(text);
        let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
        // And a pasted excerpt with a healthy message and no known error is output of a
        // negotiation going well: the words of the rest are no evidence of a fault either.
        let all_healthy = lines > 0 && informational.len() == lines && !recognised;
        let healthy_excerpt = !recognised && !informational.is_empty();
        if all_healthy || healthy_excerpt {
            for hit in &mut hits {
                if hit.confident {
                    hit.confident = false;
                    hit.why = "the text is a message of a healthy VPN: there is nothing to fix"
                        .to_string();
                }
            }
        }
        hits.truncate(limit.max(1));
        Outcome {
            query: normalized,
            hits,
            informational,
        }
    }

    /// The lines of the text that are messages of a healthy VPN (the knowledge base's
    /// informational entries), with the entry each is.
    fn informational_lines(&self, text: &str) -> Vec<(usize, String)> {
        let set = self.kb.informational_signatures();
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .filter_map(|(i, l)| set.matches(l).next().map(|(id, _)| (i + 1, id.to_string())))
            .collect()
    }

    /// Errors recognised by their signatures, on single lines and on runs of two or three
    /// lines joined (a message the terminal or the paste wrapped).
    fn signature_hits(&self, text: &str) -> Vec<Hit> {
        let lines: Vec<(usize, &str)> = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty())
            .collect();
        let set = self.kb.signatures();
        // error ID → (matching line numbers, first signature, first matching text)
        let mut found: BTreeMap<&str, (BTreeSet<usize>, usize, String)> = BTreeMap::new();
        let mut record = |id, sig, numbers: &[usize], text: &str| {
            let entry = found
                .entry(id)
                .or_insert_with(|| (BTreeSet::new(), sig, text.to_string()));
            entry.0.extend(numbers.iter().copied());
        };
        for (i, (n, line)) in lines.iter().enumerate() {
            for (id, sig) in set.matches(line) {
                record(id, sig, &[*n], line);
            }
            // A message wrapped over two or three lines: the joined window matches a
            // signature that no shorter window inside it matches. Those lines are the
            // evidence, even when one of them was already recognised by another signature.
            // Each line is in at most five windows of at most three lines: linear work.
            let join =
                |w: &[(usize, &str)]| w.iter().map(|(_, l)| *l).collect::<Vec<_>>().join(" ");
            for width in 2..=3 {
                let Some(window) = lines.get(i..i + width) else {
                    break;
                };
                let joined = join(window);
                let numbers: Vec<usize> = window.iter().map(|(n, _)| *n).collect();
                for (id, sig) in set.matches(&joined) {
                    let shorter = [join(&window[1..]), join(&window[..width - 1])];
                    let minimal = shorter
                        .iter()
                        .all(|t| !set.matches(t).any(|m| m == (id, sig)));
                    if minimal {
                        record(id, sig, &numbers, &joined);
                    }
                }
            }
        }
        let mut hits: Vec<Hit> = found
            .into_iter()
            .filter_map(|(id, (numbers, sig, text))| {
                let node = self.kb.node(id)?;
                let crate::kb::Node::Error(e) = node else {
                    return None;
                };
                let first = numbers.iter().next().copied().unwrap_or(1);
                Some(Hit {
                    id: id.to_string(),
                    kind: Kind::Error,
                    score: SIGNATURE_SCORE + numbers.len().min(50) as f32,
                    confident: true,
                    matched: format!(
                        "signature `{}` on line {first}: {}",
                        e.signatures[sig],
                        self.normalizer.normalize_line(&text)
                    ),
                    why: format!("the message is recognised exactly by a signature of `{id}`"),
                    lines: numbers.into_iter().collect(),
                    short_of_coverage: None,
                    coverage: 1.0,
                })
            })
            .collect();
        // Strongest evidence first: more matching lines, then the earlier line.
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.lines.first().cmp(&b.lines.first()))
        });
        hits
    }

    /// BM25 candidates re-ranked by coverage of the query. Only the best can be
    /// confident, and only when the query is about IPsec at all.
    fn ranked(&self, words: &str, log_like: bool, limit: usize) -> Vec<Hit> {
        // One more than the bound tells whether the text had more terms than are kept.
        let mut terms = self.index.query_terms(words, MAX_QUERY_TERMS + 1);
        let truncated = terms.len() > MAX_QUERY_TERMS;
        terms.truncate(MAX_QUERY_TERMS);
        // A paste may stop mid-word: the last English word also counts as a prefix (when
        // it is among the terms kept).
        let cut_short = !truncated
            && words
                .trim_end()
                .chars()
                .last()
                .is_some_and(char::is_alphanumeric);
        let last = terms.iter().rev().find(|t| !t.zh).map(|t| t.text.clone());
        let prefix = last.filter(|_| cut_short);
        if terms.is_empty() {
            return Vec::new();
        }
        let n = self.index.num_docs() as f32;
        let weighted: Vec<(QueryTerm, f32, bool)> = terms
            .into_iter()
            .map(|t| {
                let df = self.index.doc_freq(&t);
                // Inverse document frequency; a word the index has never seen weighs most.
                let weight = match (df, t.zh, log_like) {
                    (0, true, _) => UNKNOWN_WEIGHT_ZH,
                    (0, false, false) => UNKNOWN_WEIGHT_PLAIN,
                    _ => (1.0 + n / (df as f32 + 0.5)).ln() * t.weight_factor(),
                };
                (t, weight, df == 0)
            })
            .collect();
        let mut near_left = MAX_LOOSE_TERMS - usize::from(prefix.is_some());
        let terms: Vec<(QueryTerm, Looseness)> = weighted
            .iter()
            .map(|(t, _, unknown)| {
                let loose = if t.zh {
                    Looseness::Exact
                } else if prefix.as_deref() == Some(t.text.as_str()) {
                    Looseness::Prefix
                } else if *unknown && near_left > 0 {
                    near_left -= 1;
                    Looseness::Near
                } else {
                    Looseness::Exact
                };
                (t.clone(), loose)
            })
            .collect();
        let total: f32 = weighted.iter().map(|(_, w, _)| w).sum();
        let on_topic = self.on_topic(words);
        // A plain question must name something of a VPN: "printer not working" shares words
        // with the knowledge base but is not about one.
        let names_domain = log_like
            || phrases::names_domain_phrase(words)
            || weighted
                .iter()
                .any(|(t, _, _)| self.domain_terms.contains(&t.text))
            || weighted
                .iter()
                .filter(|(t, _, _)| self.weak_domain_terms.contains(&t.text))
                .nth(1)
                .is_some();
        let min_coverage = if log_like {
            MIN_COVERAGE_LOG
        } else if mostly_chinese(words) {
            MIN_COVERAGE_ZH
        } else {
            MIN_COVERAGE_PLAIN
        };
        let candidates = self.index.top(&terms, limit.max(10) * 2);
        if candidates.is_empty() {
            return Vec::new();
        }
        // Which candidates contain each term: the coverage of the query. A term the index
        // has never seen, matched exactly, is in none: no need to ask.
        let holders: Vec<_> = terms
            .iter()
            .zip(&weighted)
            .map(|((t, loose), (_, _, unknown))| match (unknown, loose) {
                (true, Looseness::Exact) => HashSet::new(),
                _ => self.index.docs_with(t, *loose),
            })
            .collect();
        let mut hits: Vec<Hit> = candidates
            .into_iter()
            .filter_map(|(bm25, doc, id)| {
                let kind = self.kb.node(id)?.kind();
                let mut matched_weight = 0.0;
                let mut matched = Vec::new();
                for ((t, w, _), docs) in weighted.iter().zip(&holders) {
                    if docs.contains(&doc) {
                        matched_weight += w;
                        matched.push(t.text.as_str());
                    }
                }
                let coverage = if total > 0.0 {
                    matched_weight / total
                } else {
                    0.0
                };
                let score = bm25 * kind_weight(kind, log_like) * (0.25 + coverage);
                // An entry's own wording, nearly all of it: three words at least ("cannot
                // browse the internet"); two ("duplex mismatch") name too little.
                let near_complete = coverage >= NEAR_COMPLETE
                    && matched_weight >= NEAR_COMPLETE_WEIGHT
                    && matched.len() >= 3;
                // A description in the entry's own terms, five words of it at least, that
                // names no VPN word ("the fast-switching cache entry expires and later
                // packets overtake the first one"): answered only with a strong lead.
                let specific = !log_like
                    && coverage >= SPECIFIC_COVERAGE
                    && matched_weight >= NEAR_COMPLETE_WEIGHT
                    && matched.len() >= SPECIFIC_WORDS;
                // On topic, but the text names nothing of a VPN.
                let unnamed = on_topic && !(names_domain || near_complete);
                let why = if !on_topic {
                    "the text is a message of a facility that has nothing to do with IPsec"
                        .to_string()
                } else if unnamed {
                    if specific {
                        format!(
                            "the text names nothing of a VPN, though its words cover {:.0}% of the query",
                            coverage * 100.0
                        )
                    } else {
                        "the text names nothing of a VPN".to_string()
                    }
                } else if coverage < min_coverage {
                    format!(
                        "its words cover {:.0}% of the query, under the {:.0}% needed",
                        coverage * 100.0,
                        min_coverage * 100.0
                    )
                } else if matched_weight < MIN_MATCHED_WEIGHT {
                    "the words it shares with the query are too common to decide".to_string()
                } else {
                    format!("its words cover {:.0}% of the query", coverage * 100.0)
                };
                let about_vpn = on_topic
                    && (names_domain || near_complete)
                    && matched_weight >= MIN_MATCHED_WEIGHT;
                Some(Hit {
                    id: id.to_string(),
                    kind,
                    score,
                    confident: about_vpn && coverage >= min_coverage,
                    // Device output has no filler: every word of it counts.
                    short_of_coverage: (about_vpn
                        && !log_like
                        && coverage < min_coverage
                        && coverage >= min_coverage * RESCUE_COVERAGE)
                        .then(|| margin_needed(coverage, min_coverage))
                        .or((unnamed && specific).then_some(STRONG_MARGIN)),
                    why,
                    matched: format!(
                        "words {} ({:.0}% of the query)",
                        matched.join(", "),
                        coverage * 100.0
                    ),
                    lines: Vec::new(),
                    coverage,
                })
            })
            .collect();
        let how = asks_how(words);
        if asks_theory(words) {
            for h in &mut hits {
                if h.confident || h.short_of_coverage.is_some() {
                    h.confident = false;
                    h.short_of_coverage = None;
                    h.why = "the text asks a question of theory, not about a fault".to_string();
                }
            }
        }
        if !how && asks_meaning(words) {
            // "what does this pfs mismatch error mean": the error's entry is the answer,
            // and errors weigh as causes do.
            for h in hits.iter_mut().filter(|h| h.kind == Kind::Error) {
                h.score *= kind_weight(Kind::Cause, log_like) / kind_weight(Kind::Error, log_like);
            }
        }
        if how {
            // The fix is the answer: no credit to its cause, and fixes weigh as causes do.
            for h in hits.iter_mut().filter(|h| h.kind == Kind::Fix) {
                h.score *= kind_weight(Kind::Cause, log_like) / kind_weight(Kind::Fix, log_like);
            }
            self.credit_fixes_with_their_causes(&mut hits);
        } else {
            self.credit_causes_with_their_fixes(&mut hits, log_like);
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        self.weigh_the_margin(&mut hits);
        // Pasted output that shares words with a command's reading guide is that command's
        // output, and none of it is a known error: nothing to answer (a command typed is
        // recognised before ranking).
        let pasted = words
            .lines()
            .filter(|l| !l.trim().is_empty())
            .nth(1)
            .is_some();
        if let Some(best) = hits
            .first_mut()
            .filter(|h| log_like && pasted && h.kind == Kind::Command)
        {
            if best.confident {
                best.confident = false;
                best.why = format!(
                    "the text reads as output of `{}`, and no line of it is a known error",
                    best.id
                );
            }
        }
        hits.truncate(limit);
        let first = hits.first().map(|h| h.id.clone()).unwrap_or_default();
        for hit in hits.iter_mut().skip(1) {
            if hit.confident {
                hit.confident = false;
                hit.why = format!("`{first}` ranks above it");
            }
        }
        hits
    }

    /// The best ranked entry is confident only with a clear lead over the next entry that
    /// is not linked to it ([`MIN_MARGIN`]); its `why` says by how much.
    fn weigh_the_margin(&self, hits: &mut [Hit]) {
        let Some((best, rest)) = hits.split_first_mut() else {
            return;
        };
        // When the best covers most of the query, an entry that leaves clearly more of
        // it unexplained speaks of something the query does not say: it is no rival,
        // however close its score.
        let rival = rest.iter().find(|h| {
            !self.linked(&best.id, &h.id)
                && (best.coverage < COVERAGE_LEAD_FROM
                    || h.coverage > best.coverage - COVERAGE_LEAD)
        });
        if let Some(needed) = best.short_of_coverage {
            let lead = rival.map_or(f32::INFINITY, |r| {
                best.score / r.score.max(f32::MIN_POSITIVE)
            });
            if lead >= needed {
                best.confident = true;
                best.why = match rival {
                    Some(r) => format!(
                        "{}, but it scores {lead:.1}× the next unlinked entry (`{}`)",
                        best.why, r.id
                    ),
                    None => format!("{}, but no other entry competes", best.why),
                };
            }
            return;
        }
        if !best.confident {
            return;
        }
        match rival {
            Some(r) if best.score < r.score * MIN_MARGIN => {
                best.confident = false;
                best.why = format!(
                    "{}, but `{}` scores {:.0}% as much and speaks of something else: the words do not decide",
                    best.why,
                    r.id,
                    100.0 * r.score / best.score.max(f32::MIN_POSITIVE)
                );
            }
            Some(r) => {
                best.why = format!(
                    "{}, and it scores {:.1}× the next unlinked entry (`{}`)",
                    best.why,
                    best.score / r.score.max(f32::MIN_POSITIVE),
                    r.id
                );
            }
            None => best.why = format!("{}, and no other entry competes", best.why),
        }
    }

    /// Whether two entries are linked: one leads to the other, or both lead to the same
    /// cause (two messages of one root cause agree), or one is a cause the other's
    /// decision path reaches (a symptom and a cause it can end in agree).
    fn linked(&self, a: &str, b: &str) -> bool {
        let graph = self.kb.graph();
        let reach = |x: &str, y: &str| {
            y.starts_with(Kind::Cause.prefix()) && graph.causes_reachable(x).contains(y)
        };
        if reach(a, b) || reach(b, a) {
            return true;
        }
        let targets = |id: &str| -> BTreeSet<String> {
            self.kb
                .node(id)
                .map(|n| {
                    n.edges()
                        .into_iter()
                        .map(|(_, t, _)| t.to_string())
                        .collect()
                })
                .unwrap_or_default()
        };
        let (ta, tb) = (targets(a), targets(b));
        // Two fixes of one cause (its router and its firewall form) agree on what is wrong.
        let siblings = || {
            self.kb.nodes_of(Kind::Cause).any(|n| {
                matches!(n, crate::kb::Node::Cause(c)
                    if c.fixes.iter().any(|f| f == a) && c.fixes.iter().any(|f| f == b))
            })
        };
        ta.contains(b)
            || tb.contains(a)
            || ta
                .intersection(&tb)
                .any(|t| t.starts_with(Kind::Cause.prefix()))
            || siblings()
    }
}

impl Searcher<'_> {
    /// A fix's configuration lines repeat the words an engineer uses to name its cause
    /// ("the transform sets differ: esp-3des esp-md5-hmac…"). What matches a fix is evidence
    /// for the causes it removes, and the cause is the answer (it leads to the fix): each
    /// cause gets at least the score and confidence of its best matching fix.
    fn credit_causes_with_their_fixes(&self, hits: &mut Vec<Hit>, log_like: bool) {
        // The fix's kind weight undone, the cause's applied, a little less so that a cause
        // matching by itself stays ahead of one credited through its fix.
        let ratio = kind_weight(Kind::Cause, log_like) * 0.95 / kind_weight(Kind::Fix, log_like);
        let fixes: Vec<Hit> = hits
            .iter()
            .filter(|h| h.kind == Kind::Fix)
            .cloned()
            .collect();
        for fix in fixes {
            // A workaround's words name the mechanism it changes ("an encryption-only
            // transform set"), not the fault it lives with: weaker evidence for its cause.
            let workaround = matches!(
                self.kb.node(&fix.id),
                Some(crate::kb::Node::Fix(f)) if f.kind == crate::kb::schema::FixKind::Workaround
            );
            let credit = fix.score * ratio * if workaround { WORKAROUND_CREDIT } else { 1.0 };
            for cause in self.kb.nodes_of(Kind::Cause) {
                let crate::kb::Node::Cause(c) = cause else {
                    continue;
                };
                if !c.fixes.contains(&fix.id) {
                    continue;
                }
                match hits.iter_mut().find(|h| h.id == c.id) {
                    Some(h) if h.score >= credit => {}
                    Some(h) => {
                        h.score = credit;
                        h.confident |= fix.confident;
                        h.short_of_coverage = fix.short_of_coverage.filter(|_| !h.confident);
                        h.coverage = fix.coverage;
                        h.matched = format!("{} (through its fix `{}`)", fix.matched, fix.id);
                        h.why = format!("{} (through its fix `{}`)", fix.why, fix.id);
                    }
                    None => hits.push(Hit {
                        id: c.id.clone(),
                        kind: Kind::Cause,
                        score: credit,
                        confident: fix.confident,
                        matched: format!("{} (through its fix `{}`)", fix.matched, fix.id),
                        why: format!("{} (through its fix `{}`)", fix.why, fix.id),
                        lines: Vec::new(),
                        short_of_coverage: fix.short_of_coverage,
                        coverage: fix.coverage,
                    }),
                }
            }
        }
    }

    /// A how-to question names the problem in the words of its cause ("how do i configure
    /// nat exemption …"), and the answer is what removes it: the cause's best matching fix
    /// takes the cause's score and confidence. A cause none of whose fixes matches at all
    /// stays the answer (its page leads to the fixes).
    fn credit_fixes_with_their_causes(&self, hits: &mut [Hit]) {
        let causes: Vec<Hit> = hits
            .iter()
            .filter(|h| h.kind == Kind::Cause)
            .cloned()
            .collect();
        for cause in causes {
            let Some(crate::kb::Node::Cause(c)) = self.kb.node(&cause.id) else {
                continue;
            };
            let best_fix = hits
                .iter_mut()
                .filter(|h| c.fixes.contains(&h.id))
                .max_by(|a, b| a.score.total_cmp(&b.score));
            if let Some(fix) = best_fix {
                if fix.score < cause.score {
                    fix.score = cause.score * 1.01;
                    fix.confident |= cause.confident;
                    fix.short_of_coverage = fix.short_of_coverage.or(cause.short_of_coverage);
                    fix.why = format!("{} (the fix of `{}`)", cause.why, cause.id);
                }
            }
        }
    }

    /// Whether the text reads like device output rather than a question: a mnemonic,
    /// punctuation typical of log lines, or an address or hex value the normaliser masked
    /// (a bare number is as likely in "phase 1" as in a log).
    ///
    /// An address in a sentence ("no route back to the pool 10.1.2.0/24") is an engineer's
    /// own: a text with several function words ("the", "to", "but") is prose around it.
    fn looks_like_log(&self, text: &str) -> bool {
        // Device output is never in Chinese either.
        let prose = text.chars().any(normalize::is_han)
            || text
                .split(|c: char| !c.is_alphanumeric() && c != '\'')
                .filter(|w| normalize::STOPWORDS.contains(&w.to_ascii_lowercase().as_str()))
                .nth(2)
                .is_some();
        !self.normalizer.mnemonics(text).is_empty()
            || text.contains(['=', '!', '%', '_'])
            || (!prose && (text.contains("<ip>") || text.contains("<hex>")))
            || (!prose && text.contains("<n>:"))
            // A counter and its value (`#pkts encaps: 51810`).
            || text.contains(": <n>")
            // A time ("around 02:00") in a sentence is the engineer's, not a timestamp.
            || device_colon(text, !prose)
    }

    /// False when the text is a syslog message of a facility that has nothing to do with
    /// IPsec (`%LINK-3-UPDOWN`, `%OSPF-5-ADJCHG`): word overlap alone must not turn such a
    /// line into an IPsec answer.
    fn on_topic(&self, text: &str) -> bool {
        let mnemonics = self.normalizer.mnemonics(text);
        mnemonics.is_empty()
            || mnemonics.iter().any(|m| {
                let facility = m.trim_start_matches('%').split('-').next().unwrap_or("");
                facility
                    .split('|')
                    .any(|f| IPSEC_FACILITIES.contains(&f) || self.known_facilities.contains(f))
            })
    }
}

/// Whether the text has a colon the way device output has one: after a tag in capitals or
/// with a digit (`ISAKMP:`, `IKEv2-PROTO-1:`, `ERROR:`), or inside a time (`10:12`). A
/// question's colon follows a plain word ("the policies don't match: one side …"), and
/// parentheses are as common in questions as in logs.
fn device_colon(text: &str, times: bool) -> bool {
    let b = text.as_bytes();
    (1..b.len()).any(|i| {
        if b[i] != b':' {
            return false;
        }
        let start = text[..i]
            .rfind(|c: char| c.is_whitespace() || c == '(' || c == '[')
            .map_or(0, |p| p + 1);
        let tag = &text[start..i];
        let capitals = tag.chars().filter(char::is_ascii_uppercase).count();
        (tag.len() >= 2 && capitals >= 2)
            // A tag with a digit (`IKEv2-PROTO-1:`); digits alone are a time's.
            || tag.chars().any(|c| c.is_ascii_digit())
                && (times || tag.chars().any(|c| c.is_ascii_alphabetic()))
            || (times
                && b[i - 1].is_ascii_digit()
                && b.get(i + 1).is_some_and(u8::is_ascii_digit))
    })
}

/// Whether most of the text's letters are CJK characters.
fn mostly_chinese(text: &str) -> bool {
    let (mut cjk, mut latin) = (0, 0);
    for c in text.chars() {
        if ('\u{4e00}'..='\u{9fff}').contains(&c) {
            cjk += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    // A Chinese character carries about as much as a short English word.
    cjk * 3 > latin
}

/// A question that asks how to do something ("how do I clamp the TCP MSS …"): the answer
/// is the fix that does it, not the cause it removes.
fn asks_how(text: &str) -> bool {
    let t = text.trim_start().to_ascii_lowercase();
    [
        "how do i ", "how do you ", "how to ", "how can i ", "how should i ", "how do we ",
        "how can we ", "how would i ", "is there a way to ",
    ]
    .iter()
    .any(|p| t.starts_with(p))
        // "what's the command on the pix to let decrypted traffic through"
        || ["what's the command", "what is the command", "whats the command", "which command to ", "what command to "]
            .iter()
            .any(|p| t.contains(p))
        // An instruction: "clamp the tcp mss to 1360", "lower the mtu of the client".
        || [
            "clamp ", "lower ", "raise ", "enable ", "disable ", "configure ", "add ", "remove ",
            "apply ", "permit ", "allow ", "clear ", "exempt ", "turn ", "install ", "upgrade ",
        ]
        .iter()
        .any(|p| t.starts_with(p))
        // "会怎样" / "会怎么样" asks what happens, not how to do something.
        || ["怎么", "如何", "怎样"].iter().any(|p| {
            text.match_indices(p)
                .any(|(i, _)| !text[..i].ends_with('会'))
        })
}

/// Whether the text asks what a message means ("getting a pfs mismatch error, what does
/// it mean", "这个报错是什么意思").
fn asks_meaning(text: &str) -> bool {
    let t = text.to_lowercase();
    (t.contains("what") && t.contains("does") && t.contains(" mean"))
        || [
            "meaning of",
            "what is this error",
            "what's this error",
            "什么意思",
            "含义",
            "意味着",
        ]
        .iter()
        .any(|p| t.contains(p))
}

/// Whether the text is a question of theory, which no entry about a fault answers: how two
/// things differ ("the difference between main mode and aggressive mode"), or an
/// explanation ("explain diffie-hellman groups"), with no word of a fault in it.
fn asks_theory(text: &str) -> bool {
    let t = text.to_lowercase();
    let theory = [
        "difference between",
        "differences between",
        "explain",
        "eli5",
        "like im five",
        "like i'm five",
        "in theory",
        "purpose of",
        "what port",
        "which port",
        "what udp port",
        "which udp port",
        "what protocol",
        "which protocol",
        "stand for",
        "stands for",
        "acronym",
        "缩写",
        "区别",
        "有什么不同",
        "原理",
        "解释一下",
        "what's the difference",
        "what is the difference",
        "whats the difference",
        "how it works",
        "是怎么工作的",
        "如何工作",
    ]
    .iter()
    .any(|p| t.contains(p))
        // "main mode vs aggressive mode", "AH versus ESP, which one encrypts?"
        || compares(&t)
        // "how does diffie-hellman (actually) work"
        || t.starts_with("how does ")
            && t.trim_end_matches(['?', '.', ' ']).ends_with(" work");
    let fault = t
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .any(|w| {
            [
                "fail", "fails", "failed", "failing", "failure", "error", "errors", "mismatch",
                "down", "broken", "drop", "drops", "dropped", "cannot", "can't", "cant", "not",
                "won't", "wont", "stuck", "wrong", "problem", "issue",
            ]
            .contains(&w)
        })
        || ["失败", "错误", "不匹配", "不通", "起不来", "断", "不了"]
            .iter()
            .any(|p| t.contains(p));
    theory && !fault
}

/// Whether a (lower-cased) text sets two things side by side as a question of choice:
/// "X vs Y" alone, or with a question beside it ("which one", "?", "better"). A statement
/// that only names two sides ("host vs network entries in the crypto acl", "cisco123 vs
/// Cisco123") is no comparison: it describes a fault.
fn compares(t: &str) -> bool {
    let words: Vec<&str> = t
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    if !words.iter().any(|w| *w == "vs" || *w == "versus") {
        return false;
    }
    let asks = t.contains('?')
        || words.iter().any(|w| {
            [
                "which",
                "better",
                "faster",
                "prefer",
                "preferred",
                "should",
                "choose",
            ]
            .contains(w)
        });
    asks || words.len() <= 5
}

/// Whether a text is short enough to be ranked by its words: at most [`MAX_RANKED_LINES`]
/// non-empty lines and [`MAX_RANKED_BYTES`] bytes (leading and trailing white space aside).
fn is_short(text: &str) -> bool {
    let text = text.trim();
    text.len() <= MAX_RANKED_BYTES
        && text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .nth(MAX_RANKED_LINES)
            .is_none()
}

/// Syslog facilities of IPsec and VPN messages, besides those in the knowledge base's
/// own examples.
const IPSEC_FACILITIES: &[&str] = &[
    "CRYPTO",
    "PIX",
    "ASA",
    "FWSM",
    "IPSEC",
    "ISAKMP",
    "IKE",
    "VPN",
    "HW_VPN",
    "VPN_HW",
    "CRYPTO_ENGINE",
    "CRYPTO_HA",
    "IKEV2",
];

/// A pasted line is most likely an error message; a plain question most likely describes
/// a symptom or names a cause. Questions are steps of the wizard, not answers.
fn kind_weight(kind: Kind, log_like: bool) -> f32 {
    match (kind, log_like) {
        (Kind::Error, true) => 1.3,
        (Kind::Error, false) => 0.65,
        (Kind::Symptom, _) => 1.2,
        (Kind::Cause, _) => 1.15,
        (Kind::Command | Kind::Fix, true) => 0.85,
        (Kind::Command, false) => 0.7,
        (Kind::Fix, false) => 0.55,
        (Kind::Question, _) => 0.4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_colon_of_device_output_is_not_a_colon_of_prose() {
        assert!(device_colon("ISAKMP:(0):atts are not acceptable", true));
        assert!(device_colon(
            "IKEv2-PROTO-1: (12): Failed to find a matching policy",
            false
        ));
        assert!(device_colon("Mar  3 10:12:01 rtr-1 tunnel down", true));
        assert!(!device_colon(
            "the policies don't match: one side uses aes",
            true
        ));
        assert!(!device_colon("phase 2 fails (esp-aes on one side)", true));
        // In prose a time is the engineer's own ("it dropped around 02:00").
        assert!(!device_colon("it stopped answering around 02:00", false));
    }

    #[test]
    fn what_happens_is_not_how_to() {
        assert!(asks_how("怎么配置 NAT 豁免"));
        assert!(!asks_how("两端转换集不一样会怎样"));
        assert!(!asks_how("两端转换集不一样会怎么样"));
    }

    #[test]
    fn comparisons_and_explanations_are_questions_of_theory() {
        assert!(asks_theory(
            "what is the difference between main mode and aggressive mode"
        ));
        assert!(asks_theory("IKEv1 和 IKEv2 有什么区别"));
        assert!(asks_theory("can someone explain diffie-hellman groups"));
        assert!(!asks_theory("host vs network entries in the crypto acl"));
        assert!(asks_theory("main mode vs aggressive mode"));
        assert!(asks_theory("ESP vs AH, which one encrypts?"));
        assert!(!asks_theory(
            "the key on the branch had a typo, cisco123 vs Cisco123"
        ));
        assert!(asks_theory("how does diffie-hellman actually work?"));
        assert!(asks_theory("IKEv2 是怎么工作的"));
        // A fault is no theory, however it is asked.
        assert!(!asks_theory(
            "explain why phase 2 fails with no proposal chosen"
        ));
        assert!(!asks_theory("两端配置的区别导致隧道起不来"));
    }

    #[test]
    fn the_lead_needed_grows_as_coverage_falls_short() {
        assert_eq!(margin_needed(0.4, 0.4), MIN_MARGIN);
        assert_eq!(margin_needed(0.4 * RESCUE_COVERAGE, 0.4), STRONG_MARGIN);
        let between = margin_needed(0.35, 0.4);
        assert!(between > MIN_MARGIN && between < STRONG_MARGIN);
        assert_eq!(margin_needed(0.0, 0.4), STRONG_MARGIN);
    }

    #[test]
    fn a_question_of_meaning_is_told_from_a_statement() {
        assert!(asks_meaning(
            "getting a pfs mismatch error, what does it mean"
        ));
        assert!(asks_meaning(
            "what is this error: reserved not zero on payload 5"
        ));
        assert!(asks_meaning("这个报错是什么意思"));
        assert!(!asks_meaning(
            "the pfs group does not match on the two ends"
        ));
    }

    #[test]
    fn how_to_questions_and_instructions_ask_for_a_fix() {
        assert!(asks_how(
            "what's the command on the pix to let decrypted traffic through"
        ));
        assert!(asks_how("is there a way to keep the tunnel up when idle"));
        assert!(asks_how("how do I clamp the TCP MSS to 1360?"));
        assert!(asks_how(
            "clamp the tcp mss to 1360 on the tunnel interface"
        ));
        assert!(asks_how("如何在路由器上启用预分片"));
        assert!(!asks_how("the tcp mss is too large"));
        assert!(!asks_how("why does phase 2 fail"));
    }

    #[test]
    fn chinese_is_told_from_english_with_a_command_in_it() {
        assert!(mostly_chinese("两端的转换集不一致，第二阶段一直起不来"));
        assert!(mostly_chinese(
            "ASA 的 crypto map 启用了 PFS，而路由器上没有配置"
        ));
        assert!(!mostly_chinese(
            "the transform sets differ between the peers"
        ));
    }
}
