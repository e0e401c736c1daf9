//! Question -> the best passages, by BM25.
//!
//! User text is never parsed as query syntax: it is cut into words by the same analyzer
//! the index uses and turned into plain term queries, so quotes, colons, `AND`, brackets
//! or emoji are just text.

use std::collections::BTreeSet;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
};
use tantivy::{TantivyDocument, Term};

use crate::index::{IndexError, NewsIndex, Passage};

/// Only this much of a message is searched: the rest of a wall of text adds noise, not recall.
const MAX_QUERY_CHARS: usize = 1000;
const MAX_TERMS: usize = 32;
/// Words from earlier turns count this much against the new question's own words.
const CONTEXT_BOOST: f32 = 0.35;

/// Question words and function words that carry no topic.
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "been", "being", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has",
    "have", "he", "her", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "many",
    "me", "much", "my", "of", "on", "or", "our", "she", "so", "some", "tell", "than", "that",
    "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "us",
    "was", "we", "were", "what", "whats", "when", "where", "which", "who", "whom", "whose", "why",
    "will", "with", "would", "you", "your", "s", "t", "ll", "re",
];

/// A retrieved passage with its BM25 score (for ranking) and the share of the
/// question's search terms it contains (0..1, comparable across corpora, for confidence).
#[derive(Debug, Clone)]
pub struct Hit {
    pub passage: Passage,
    pub bm25: f32,
    pub coverage: f32,
    /// Each sentence of the passage as (start byte, share of the question's terms in it),
    /// in order: which sentence the question is about.
    pub sentences: Vec<(usize, f32)>,
}

impl Hit {
    /// The share of the question's terms in the sentence that holds byte `at`.
    pub fn sentence_coverage(&self, at: usize) -> f32 {
        let i = self.sentences.partition_point(|&(start, _)| start <= at);
        i.checked_sub(1)
            .and_then(|i| self.sentences.get(i))
            .map_or(0.0, |&(_, c)| c)
    }
}

pub struct Retriever {
    analyzer: TextAnalyzer,
}

impl Default for Retriever {
    fn default() -> Self {
        Self::new()
    }
}

impl Retriever {
    pub fn new() -> Self {
        // The index's `en_stem` chain plus stop words, so query terms match indexed ones.
        let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(StopWordFilter::remove(
                STOP_WORDS.iter().map(|s| s.to_string()),
            ))
            .filter(Stemmer::new(Language::English))
            .build();
        Retriever { analyzer }
    }

    /// The distinct search terms of a text, in order of appearance.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let cut: String = text.chars().take(MAX_QUERY_CHARS).collect();
        // "who's" -> "who s": both halves are stop words.
        let cut = cut.replace(['’', '\''], " ");
        let mut analyzer = self.analyzer.clone();
        let mut stream = analyzer.token_stream(&cut);
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        while let Some(tok) = stream.next() {
            if seen.insert(tok.text.clone()) {
                out.push(tok.text.clone());
                if out.len() == MAX_TERMS {
                    break;
                }
            }
        }
        out
    }

    /// Share of `question`'s search terms that occur in `text`.
    pub fn coverage(&self, question: &str, text: &str) -> f32 {
        self.coverage_of(&self.terms(question), text)
    }

    /// `passage` as a hit for `question`, with its passage and sentence coverage.
    pub fn hit(&self, question: &str, passage: Passage, bm25: f32) -> Hit {
        self.hit_for(&self.terms(question), passage, bm25)
    }

    fn hit_for(&self, own: &[String], passage: Passage, bm25: f32) -> Hit {
        use unicode_segmentation::UnicodeSegmentation;
        let sentences = passage
            .text
            .split_sentence_bound_indices()
            .map(|(at, s)| (at, self.coverage_of(own, s)))
            .collect();
        Hit {
            coverage: self.coverage_of(own, &passage.text),
            sentences,
            passage,
            bm25,
        }
    }

    /// Share of the search terms `own` that occur in `text`.
    fn coverage_of(&self, own: &[String], text: &str) -> f32 {
        if own.is_empty() {
            return 0.0;
        }
        let mut analyzer = self.analyzer.clone();
        let mut stream = analyzer.token_stream(text);
        let mut found = BTreeSet::new();
        while let Some(tok) = stream.next() {
            if own.contains(&tok.text) {
                found.insert(tok.text.clone());
            }
        }
        found.len() as f32 / own.len() as f32
    }

    /// Top `limit` passages for `question`; `context` holds earlier turns' text, which
    /// counts less than the question's own words.
    pub fn search(
        &self,
        index: &NewsIndex,
        question: &str,
        context: &[&str],
        limit: usize,
    ) -> Result<Vec<Hit>, IndexError> {
        let field = index.text_field();
        let own = self.terms(question);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for t in &own {
            let q = TermQuery::new(
                Term::from_field_text(field, t),
                IndexRecordOption::WithFreqs,
            );
            clauses.push((Occur::Should, Box::new(q)));
        }
        let mut extra = BTreeSet::new();
        for c in context {
            for t in self.terms(c) {
                if !own.contains(&t) && extra.len() < MAX_TERMS && extra.insert(t.clone()) {
                    let q = TermQuery::new(
                        Term::from_field_text(field, &t),
                        IndexRecordOption::WithFreqs,
                    );
                    clauses.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(q), CONTEXT_BOOST)),
                    ));
                }
            }
        }
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = index.searcher();
        let top = searcher
            .search(
                &BooleanQuery::new(clauses),
                &TopDocs::with_limit(limit).order_by_score(),
            )
            .map_err(|source| IndexError::Tantivy {
                dir: index.dir().to_path_buf(),
                source,
            })?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument =
                searcher.doc(addr).map_err(|source| IndexError::Tantivy {
                    dir: index.dir().to_path_buf(),
                    source,
                })?;
            hits.push(self.hit_for(&own, index.passage_from_doc(&doc), score));
        }
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_syntax_is_just_text() {
        let r = Retriever::new();
        assert_eq!(
            r.terms("title:\"FBI\" AND (migrants OR -turkey"),
            ["titl", "fbi", "migrant", "turkey"]
        );
        assert!(r.terms("😀".repeat(4000).as_str()).is_empty());
        assert_eq!(r.terms("who's the spokesperson?"), ["spokesperson"]);
    }

    #[test]
    fn coverage_is_the_share_of_question_terms_found() {
        let r = Retriever::new();
        let text = "The FBI has been trying to locate about 15 migrants.";
        assert_eq!(
            r.coverage("How many migrants is the FBI looking for?", text),
            2.0 / 3.0
        );
        assert_eq!(r.coverage("What is the capital of France?", text), 0.0);
        assert_eq!(r.coverage("???", text), 0.0);
    }

    #[test]
    fn sentence_coverage_belongs_to_the_sentence_holding_the_byte() {
        let r = Retriever::new();
        let text = "Police arrested the smuggler. The FBI located 15 migrants.";
        let passage = Passage {
            article_id: crate::corpus::ArticleId("a".into()),
            position: 0,
            text: text.into(),
            meta: Default::default(),
        };
        let hit = r.hit("how many migrants did the FBI locate?", passage, 1.0);
        let second = text.find("The FBI").expect("second sentence");
        assert_eq!(hit.sentences.len(), 2);
        assert_eq!(hit.sentence_coverage(0), 0.0);
        assert_eq!(hit.sentence_coverage(second + 4), 1.0);
        assert_eq!(hit.coverage, 1.0);
    }
}
