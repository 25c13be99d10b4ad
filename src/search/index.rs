//! The full-text index (tantivy, in RAM) over the knowledge base's nodes.
//!
//! English text is tokenised, lower-cased and stemmed; Chinese text is indexed as Han
//! unigrams and bigrams (see [`cjk_terms`]), which finds `预共享密钥` inside
//! `预共享密钥不匹配` without loading a dictionary. Queries are built term by term from
//! the same analysers, never by handing user text to a query parser.

use super::normalize::{cjk_terms, is_han, CjkBigrams, STOPWORDS};
use crate::kb::{Kb, Node};
use std::collections::{BTreeSet, HashSet};
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::directory::RamDirectory;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    TokenizerManager,
};
use tantivy::{Index, IndexReader, TantivyDocument, Term};

const EN: &str = "en_stem";
/// Sizes the indexer's term table up front (a third of it). The knowledge base has tens of
/// thousands of distinct terms at most and the table grows on demand, so a small budget
/// spares allocating and touching megabytes that would stay empty.
const INDEX_MEMORY_BUDGET: usize = 300_000;
const ZH: &str = "zh_grams";

/// The English and Chinese text of one node, as indexed.
#[derive(Debug, Default, Clone)]
pub struct NodeText {
    pub title_en: String,
    pub body_en: String,
    pub sig: String,
    pub title_zh: String,
    pub body_zh: String,
}

/// One analysed query term: an English stem, or Chinese characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct QueryTerm {
    pub text: String,
    pub zh: bool,
}

impl QueryTerm {
    /// How much the term counts relative to others: a lone Chinese character much less
    /// than a pair of them.
    pub fn weight_factor(&self) -> f32 {
        if self.zh && self.text.chars().count() == 1 {
            0.3
        } else {
            1.0
        }
    }
}

/// One of the two indexes: English fields or Chinese fields. They share no term, so they
/// are built in parallel (one per core) and their BM25 scores add up per node, exactly as a
/// query over all fields of one index would.
struct Part {
    reader: IndexReader,
    /// (field, boost), title first.
    fields: Vec<(Field, f32)>,
}

pub struct SearchIndex {
    en: Part,
    /// Built with the English part, or on first use when the query has no Chinese: an
    /// English query never needs it, and it is a third of the index's build.
    zh: std::sync::OnceLock<Option<Part>>,
    zh_docs: Vec<Vec<String>>,
    /// Node IDs by document number (the same in both parts).
    ids: Vec<String>,
    analyzer: TextAnalyzer,
}

/// How loosely a term may match when asking which nodes contain it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Looseness {
    Exact,
    /// Spelling distance 1 (words of 5 letters or more) or a prefix (3 or more).
    Near,
    /// The term or any word it begins (the last word of a line cut short).
    Prefix,
}

impl Part {
    /// Index `docs` (one text per field, in `names` order) in RAM with `tokenizer`.
    fn build(
        names: &[(&str, f32)],
        tokenizer: &str,
        analyzer: TextAnalyzer,
        docs: &[Vec<String>],
    ) -> tantivy::Result<Part> {
        let mut builder = Schema::builder();
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let fields: Vec<(Field, f32)> = names
            .iter()
            .map(|(name, boost)| (builder.add_text_field(name, options.clone()), *boost))
            .collect();
        let tokenizers = TokenizerManager::default();
        tokenizers.register(tokenizer, analyzer);
        // The single-segment writer indexes in this thread, with none of the threaded
        // writer's machinery (worker, segment updater, merge policy), which costs ~12 ms
        // per index: most of a search's start-up. Its contract (a fresh, empty directory,
        // one segment, no later writes) is exactly this use; it numbers documents in the
        // order they are added.
        let mut writer = Index::builder()
            .schema(builder.build())
            .tokenizers(tokenizers)
            .single_segment_index_writer(RamDirectory::create(), INDEX_MEMORY_BUDGET)?;
        for texts in docs {
            let mut doc = TantivyDocument::default();
            for ((field, _), text) in fields.iter().zip(texts) {
                doc.add_text(*field, text);
            }
            writer.add_document(doc)?;
        }
        let index = writer.finalize()?;
        let reader = index.reader()?;
        let searcher = reader.searcher();
        // Document numbers are node numbers only in one segment holding every node.
        if searcher.segment_readers().len() > 1 || searcher.num_docs() as usize != docs.len() {
            return Err(tantivy::TantivyError::InternalError(
                "search index is not one segment".into(),
            ));
        }
        Ok(Part { reader, fields })
    }

    fn queries(&self, term: &QueryTerm, loose: Looseness) -> Vec<(Occur, Box<dyn Query>)> {
        let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let len = term.text.chars().count();
        for (field, field_boost) in &self.fields {
            let t = Term::from_field_text(*field, &term.text);
            let b = field_boost * term.weight_factor();
            let mut push = |q: Box<dyn Query>, b: f32| {
                out.push((Occur::Should, Box::new(BoostQuery::new(q, b))))
            };
            match loose {
                Looseness::Exact => {
                    push(Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)), b)
                }
                Looseness::Near => {
                    if len >= 5 {
                        push(Box::new(FuzzyTermQuery::new(t.clone(), 1, true)), b * 0.5);
                    }
                    if len >= 3 {
                        push(Box::new(FuzzyTermQuery::new_prefix(t, 0, false)), b * 0.5);
                    }
                }
                Looseness::Prefix => {
                    if len >= 2 {
                        push(Box::new(FuzzyTermQuery::new_prefix(t, 0, false)), b * 0.5);
                    }
                }
            }
        }
        out
    }

    /// BM25 score of every matching document.
    fn scores(&self, clauses: Vec<(Occur, Box<dyn Query>)>, limit: usize) -> Vec<(f32, u32)> {
        if clauses.is_empty() {
            return Vec::new();
        }
        let top = self.reader.searcher().search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit).order_by_score(),
        );
        top.map(|v| {
            v.into_iter()
                .map(|(score, addr)| (score, addr.doc_id))
                .collect()
        })
        .unwrap_or_default()
    }

    fn doc_freq(&self, text: &str) -> u64 {
        let searcher = self.reader.searcher();
        self.fields
            .iter()
            .map(|(f, _)| {
                searcher
                    .doc_freq(&Term::from_field_text(*f, text))
                    .unwrap_or(0)
            })
            .max()
            .unwrap_or(0)
    }

    fn docs_with(&self, clauses: Vec<(Occur, Box<dyn Query>)>) -> HashSet<u32> {
        if clauses.is_empty() {
            return HashSet::new();
        }
        self.reader
            .searcher()
            .search(&BooleanQuery::new(clauses), &DocSetCollector)
            .map(|set| set.into_iter().map(|addr| addr.doc_id).collect())
            .unwrap_or_default()
    }
}

const ZH_FIELDS: &[(&str, f32)] = &[("title_zh", 2.0), ("body_zh", 1.0)];

fn zh_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(CjkBigrams::default()).build()
}

impl SearchIndex {
    /// Both parts, built side by side.
    #[allow(dead_code)]
    pub fn build(kb: &Kb) -> tantivy::Result<SearchIndex> {
        SearchIndex::build_for(kb, true)
    }

    /// The English part; the Chinese one too when `chinese` (a query with Chinese in it),
    /// else on first use.
    pub fn build_for(kb: &Kb, chinese: bool) -> tantivy::Result<SearchIndex> {
        let mut ids = Vec::new();
        let mut en_docs = Vec::new();
        let mut zh_docs = Vec::new();
        for node in kb.nodes() {
            let t = node_text(kb, node);
            ids.push(node.id().to_string());
            en_docs.push(vec![t.title_en, t.body_en, t.sig]);
            zh_docs.push(vec![t.title_zh, t.body_zh]);
        }
        let analyzer = en_analyzer();
        let build_en = || {
            Part::build(
                &[("title_en", 2.0), ("body_en", 1.0), ("sig", 1.5)],
                EN,
                analyzer.clone(),
                &en_docs,
            )
        };
        let zh = std::sync::OnceLock::new();
        let en = if chinese {
            // The two parts take about the same time: one per core.
            let (en, built) = std::thread::scope(|scope| {
                let built = scope.spawn(|| Part::build(ZH_FIELDS, ZH, zh_analyzer(), &zh_docs));
                let en = build_en();
                let built = built.join().unwrap_or_else(|_| {
                    Err(tantivy::TantivyError::InternalError(
                        "indexing thread failed".into(),
                    ))
                });
                (en, built)
            });
            let _ = zh.set(Some(built?));
            en?
        } else {
            build_en()?
        };
        Ok(SearchIndex {
            en,
            zh,
            zh_docs,
            ids,
            analyzer,
        })
    }

    /// The Chinese part, built now if it was not. Building in RAM does not fail short of
    /// running out of memory; if it did, Chinese terms would match nothing (as if unknown).
    fn zh(&self) -> Option<&Part> {
        self.zh
            .get_or_init(|| Part::build(ZH_FIELDS, ZH, zh_analyzer(), &self.zh_docs).ok())
            .as_ref()
    }

    /// Analyse free text into query terms: English words (stop words dropped, stemmed)
    /// and Chinese character pairs. Order kept, duplicates removed, and at most `max` terms,
    /// the first ones (English before Chinese).
    pub fn query_terms(&self, text: &str, max: usize) -> Vec<QueryTerm> {
        let mut analyzer = self.analyzer.clone();
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        let words: String = text
            .split(|c: char| !(c.is_alphanumeric() || c == '_') || is_han(c))
            .filter(|w| is_query_word(w))
            .collect::<Vec<_>>()
            .join(" ");
        let mut stream = analyzer.token_stream(&words);
        while out.len() < max && stream.advance() {
            let term = &stream.token().text;
            if seen.insert((term.clone(), false)) {
                out.push(QueryTerm {
                    text: term.clone(),
                    zh: false,
                });
            }
        }
        for term in cjk_terms(text) {
            if out.len() >= max {
                break;
            }
            // Pairs with a function character (的, 了, …) straddle words and mean nothing.
            if term.chars().any(|c| CJK_FUNCTION_CHARS.contains(&c)) {
                continue;
            }
            if seen.insert((term.clone(), true)) {
                out.push(QueryTerm {
                    text: term,
                    zh: true,
                });
            }
        }
        out
    }

    fn part(&self, term: &QueryTerm) -> Option<&Part> {
        if term.zh {
            self.zh()
        } else {
            Some(&self.en)
        }
    }

    /// How many nodes contain the term (in any field of its language).
    pub fn doc_freq(&self, term: &QueryTerm) -> u64 {
        self.part(term).map_or(0, |p| p.doc_freq(&term.text))
    }

    pub fn num_docs(&self) -> u64 {
        self.ids.len() as u64
    }

    /// BM25 over the terms, each with its looseness: the best (score, node number, node ID).
    pub fn top(&self, terms: &[(QueryTerm, Looseness)], limit: usize) -> Vec<(f32, u32, &str)> {
        let mut scores = vec![0.0f32; self.ids.len()];
        for zh in [false, true] {
            if !terms.iter().any(|(t, _)| t.zh == zh) {
                continue;
            }
            let Some(part) = (if zh { self.zh() } else { Some(&self.en) }) else {
                continue;
            };
            let clauses: Vec<_> = terms
                .iter()
                .filter(|(t, _)| t.zh == zh)
                .flat_map(|(t, loose)| part.queries(t, *loose))
                .collect();
            // Every match, so the sum over both parts is exact.
            for (score, doc) in part.scores(clauses, self.ids.len()) {
                scores[doc as usize] += score;
            }
        }
        let mut ranked: Vec<(f32, u32, &str)> = scores
            .into_iter()
            .enumerate()
            .filter(|(_, s)| *s > 0.0)
            .map(|(doc, s)| (s, doc as u32, self.ids[doc].as_str()))
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(b.2)));
        ranked.truncate(limit);
        ranked
    }

    /// The node numbers containing a term, as loosely as asked.
    pub fn docs_with(&self, term: &QueryTerm, loose: Looseness) -> HashSet<u32> {
        self.part(term)
            .map(|part| part.docs_with(part.queries(term, loose)))
            .unwrap_or_default()
    }
}

/// Chinese function characters: particles, pronouns and copulas that glue words together.
const CJK_FUNCTION_CHARS: &[char] = &[
    '的', '了', '是', '在', '就', '都', '也', '和', '与', '把', '被', '着', '吗', '呢', '吧', '啊',
    '我', '你', '他', '们', '这', '那', '还', '很', '又',
];

/// A word worth searching for: not a stop word or a bare number.
fn is_query_word(word: &str) -> bool {
    let w = word.to_lowercase();
    w.chars().count() > 1
        && !STOPWORDS.contains(&w.as_str())
        && !w.chars().all(|c| c.is_ascii_digit())
}

fn en_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The text of a node as indexed: everything a user could paste or ask about it.
pub fn node_text(kb: &Kb, node: Node<'_>) -> NodeText {
    // IDs are descriptive (`cause-phase1-policy-mismatch`): their words are searchable too.
    let mut id_words = String::new();
    for (i, c) in node.id().chars().enumerate() {
        let prev = node.id().chars().nth(i.wrapping_sub(1));
        // `phase1` → `phase 1`, so the word matches "phase 1".
        if c == '-' || (c.is_ascii_digit() && prev.is_some_and(|p| p.is_ascii_alphabetic())) {
            id_words.push(' ');
        }
        if c != '-' {
            id_words.push(c);
        }
    }
    let mut t = NodeText {
        title_en: format!("{} {id_words}", node.title().en),
        title_zh: node.title().zh.clone(),
        ..NodeText::default()
    };
    let mut body = |text: &crate::kb::Text| {
        t.body_en.push_str(&text.en);
        t.body_en.push('\n');
        t.body_zh.push_str(&text.zh);
        t.body_zh.push('\n');
    };
    // A question is a step of the wizard, not an answer: its title and answers are enough.
    if !matches!(node, Node::Question(_)) {
        body(node.summary());
    }
    // The tech note's section headings are how engineers name these problems.
    for id in node.source() {
        if let Some(section) = kb.section(id) {
            body(&section.title);
        }
    }
    let mut sig = String::new();
    match node {
        Node::Symptom(n) => {
            if let Some(d) = &n.details {
                body(d);
            }
        }
        Node::Question(q) => {
            for a in &q.answers {
                body(&a.label);
            }
        }
        Node::Command(c) => {
            // The reading guide is long and would pull every question about a counter or
            // state towards the command; what it looks for is enough to find the command.
            for r in &c.reading {
                sig.push_str(&r.look_for);
                sig.push('\n');
            }
            sig.push_str(&c.command);
        }
        Node::Error(e) => {
            if let Some(d) = &e.details {
                body(d);
            }
            for x in &e.examples {
                sig.push_str(&x.text);
                sig.push('\n');
            }
            for s in &e.signatures {
                sig.push_str(&signature_words(s));
                sig.push('\n');
            }
        }
        Node::Cause(c) => {
            if let Some(d) = &c.details {
                body(d);
            }
            for e in &c.evidence {
                body(e);
            }
        }
        Node::Fix(f) => {
            // Not the actions' notes either: they say how to apply the fix (what to note
            // down first, what each placeholder stands for), words of every fix alike.
            // Nor the lines that only look (`show …`, `clear … counters`): every fix's
            // checks share them; the configuration is what is the fix's own.
            for a in &f.actions {
                for line in a.config.iter().flat_map(|c| c.lines()) {
                    let word = line.split_whitespace().next().unwrap_or("");
                    if [
                        "show", "sh", "clear", "debug", "undebug", "ping", "verify", "copy",
                        "reload", "write", "dir",
                    ]
                    .contains(&word)
                    {
                        continue;
                    }
                    sig.push_str(line);
                    sig.push('\n');
                }
            }
            // Not the warnings: they tell what applying the fix does to a working tunnel
            // ("takes the tunnel down"), which is no symptom of the cause it removes.
        }
    }
    t.sig = sig;
    t
}

/// The literal words of a regular expression (`(?i)replay\s+check` → `replay check`).
fn signature_words(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                // An escape: `\s`, `\d`, `\b` are classes (a separator); `\.` is a literal.
                if let Some(e) = chars.next() {
                    if e.is_ascii_alphabetic() {
                        out.push(' ');
                    } else {
                        out.push(e);
                    }
                }
            }
            '(' if chars.peek() == Some(&'?') => {
                // Skip a group flag such as `(?i)` or `(?:`.
                for f in chars.by_ref() {
                    if f == ')' || f == ':' {
                        break;
                    }
                }
            }
            c if c.is_alphanumeric() || c == '_' || c == '%' || c == '-' => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_words_drop_regex_syntax() {
        assert_eq!(
            signature_words(r"(?i)replay\s+check failed")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["replay", "check", "failed"]
        );
        assert_eq!(
            signature_words(r"(?i)IKMP_MODE_FAILURE|(?:main)")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["IKMP_MODE_FAILURE", "main"]
        );
    }
}
