//! The on-disk tantivy index of passages, updated incrementally from a [`Corpus`].
//!
//! Which article versions are indexed is recorded in the commit payload (article id ->
//! content hash), so the record and the documents change in one atomic commit. Searches
//! hold their own `Searcher` snapshot, so a reload never disturbs a question in flight,
//! and a failed update leaves the last commit serving.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, TryLockError};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value,
    STORED, STRING,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::corpus::{Article, ArticleId, ArticleMeta, Corpus, Duplicate, Rejected};

/// Bump when the schema or chunking changes: a new folder is built beside the old one.
const INDEX_VERSION: &str = "index-v1";
/// Paragraphs shorter than this are joined with the next one, so the reader sees context.
const MIN_PASSAGE_CHARS: usize = 300;
/// Longer paragraphs are cut at sentence boundaries.
const MAX_PASSAGE_CHARS: usize = 1500;
const WRITER_HEAP_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("index error in {dir}: {source}")]
    Tantivy {
        dir: PathBuf,
        source: tantivy::TantivyError,
    },
    #[error("cannot create {dir}: {source}")]
    Io {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("a reload is already running; try again when it has finished")]
    Busy,
    #[error("the index in {0} is locked by another newsbot process; stop it or wait")]
    Locked(PathBuf),
}

/// A paragraph-sized chunk of an article, as stored and retrieved.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    pub article_id: ArticleId,
    /// 0-based position of the chunk in its article.
    pub position: u64,
    pub text: String,
    pub meta: ArticleMeta,
}

/// What an update changed, for the `index` command and the admin's reload summary.
#[derive(Debug, Default, Clone, Serialize)]
pub struct UpdateSummary {
    pub added: Vec<ArticleId>,
    pub changed: Vec<ArticleId>,
    pub removed: Vec<ArticleId>,
    pub unchanged: usize,
    pub passages_written: usize,
    pub rejected: Vec<Rejected>,
    pub duplicates: Vec<Duplicate>,
    pub seconds: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct IndexedArticle {
    hash: String,
    source: PathBuf,
}

type Manifest = BTreeMap<ArticleId, IndexedArticle>;

#[derive(Clone, Copy)]
struct Fields {
    article_id: Field,
    position: Field,
    text: Field,
    title: Field,
    outlet: Field,
    url: Field,
    published: Field,
    authors: Field,
}

pub struct NewsIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Held for the length of an update: two reloads never interleave.
    updating: Mutex<()>,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let stemmed = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("en_stem")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        article_id: b.add_text_field("article_id", STRING | STORED),
        position: b.add_u64_field("position", NumericOptions::default().set_stored()),
        text: b.add_text_field("text", stemmed.clone()),
        title: b.add_text_field("title", stemmed),
        outlet: b.add_text_field("outlet", STORED),
        url: b.add_text_field("url", STORED),
        published: b.add_text_field("published", STORED),
        authors: b.add_text_field("authors", STORED),
    };
    (b.build(), fields)
}

impl NewsIndex {
    /// Opens the index under `data_dir`, creating an empty one if there is none.
    pub fn open(data_dir: &Path) -> Result<NewsIndex, IndexError> {
        let dir = data_dir.join(INDEX_VERSION);
        std::fs::create_dir_all(&dir).map_err(|source| IndexError::Io {
            dir: dir.clone(),
            source,
        })?;
        let tantivy_err = |source| IndexError::Tantivy {
            dir: dir.clone(),
            source,
        };
        let (schema, fields) = schema();
        let mmap = tantivy::directory::MmapDirectory::open(&dir)
            .map_err(|e| tantivy_err(tantivy::TantivyError::from(e)))?;
        let index = Index::open_or_create(mmap, schema).map_err(tantivy_err)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(tantivy_err)?;
        Ok(NewsIndex {
            dir,
            index,
            reader,
            fields,
            updating: Mutex::new(()),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn err(&self, source: tantivy::TantivyError) -> IndexError {
        IndexError::Tantivy {
            dir: self.dir.clone(),
            source,
        }
    }

    /// A consistent snapshot for one question.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    pub fn text_field(&self) -> Field {
        self.fields.text
    }

    fn manifest(&self) -> Result<Manifest, IndexError> {
        let metas = self.index.load_metas().map_err(|e| self.err(e))?;
        Ok(metas
            .payload
            .and_then(|p| serde_json::from_str(&p).ok())
            .unwrap_or_default())
    }

    /// The indexed articles (id -> title, outlet), for `/sources`.
    pub fn articles(&self) -> Result<Vec<(ArticleId, ArticleMeta)>, IndexError> {
        let searcher = self.searcher();
        let mut out = Vec::new();
        for id in self.manifest()?.into_keys() {
            let term = Term::from_field_text(self.fields.article_id, &id.0);
            let q = tantivy::query::TermQuery::new(term, IndexRecordOption::Basic);
            let top = searcher
                .search(
                    &q,
                    &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
                )
                .map_err(|e| self.err(e))?;
            if let Some((_, addr)) = top.first() {
                let doc: TantivyDocument = searcher.doc(*addr).map_err(|e| self.err(e))?;
                out.push((id, self.passage_from_doc(&doc).meta));
            }
        }
        Ok(out)
    }

    pub fn passage_from_doc(&self, doc: &TantivyDocument) -> Passage {
        let f = &self.fields;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let authors = text(f.authors).unwrap_or_default();
        Passage {
            article_id: ArticleId(text(f.article_id).unwrap_or_default()),
            position: doc
                .get_first(f.position)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            text: text(f.text).unwrap_or_default(),
            meta: ArticleMeta {
                title: text(f.title).unwrap_or_default(),
                outlet: text(f.outlet).filter(|s| !s.is_empty()),
                url: text(f.url).filter(|s| !s.is_empty()),
                published: text(f.published).filter(|s| !s.is_empty()),
                authors: authors
                    .split('\n')
                    .filter(|a| !a.is_empty())
                    .map(str::to_string)
                    .collect(),
            },
        }
    }

    /// Claims the right to update; a second caller gets `Busy` instead of waiting.
    pub fn try_begin_update(&self) -> Result<MutexGuard<'_, ()>, IndexError> {
        match self.updating.try_lock() {
            Ok(g) => Ok(g),
            Err(TryLockError::WouldBlock) => Err(IndexError::Busy),
            // A panic in an earlier update left nothing half-committed: tantivy rolls back.
            Err(TryLockError::Poisoned(p)) => Ok(p.into_inner()),
        }
    }

    /// Brings the index in line with `corpus`: re-indexes new and changed articles,
    /// removes deleted ones, and keeps those whose file is now broken.
    pub fn update(
        &self,
        corpus: &Corpus,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<UpdateSummary, IndexError> {
        let _guard = self.try_begin_update()?;
        let started = Instant::now();
        let old = self.manifest()?;
        let mut summary = UpdateSummary {
            rejected: corpus.rejected.clone(),
            duplicates: corpus.duplicates.clone(),
            ..UpdateSummary::default()
        };
        let mut manifest = Manifest::new();
        let mut to_write: Vec<&Article> = Vec::new();
        for a in &corpus.articles {
            manifest.insert(
                a.id.clone(),
                IndexedArticle {
                    hash: a.content_hash.clone(),
                    source: a.source.clone(),
                },
            );
            match old.get(&a.id) {
                Some(prev) if prev.hash == a.content_hash => summary.unchanged += 1,
                Some(_) => {
                    summary.changed.push(a.id.clone());
                    to_write.push(a);
                }
                None => {
                    summary.added.push(a.id.clone());
                    to_write.push(a);
                }
            }
        }
        for (id, prev) in &old {
            if manifest.contains_key(id) {
                continue;
            }
            if corpus.failed_sources.contains(&prev.source) {
                // The file is there but broken now: keep serving what it said before.
                manifest.insert(id.clone(), prev.clone());
            } else {
                summary.removed.push(id.clone());
            }
        }
        if to_write.is_empty() && summary.removed.is_empty() {
            summary.seconds = started.elapsed().as_secs_f64();
            return Ok(summary);
        }
        let mut writer: IndexWriter =
            self.index.writer(WRITER_HEAP_BYTES).map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => IndexError::Locked(self.dir.clone()),
                e => self.err(e),
            })?;
        for id in summary.changed.iter().chain(&summary.removed) {
            writer.delete_term(Term::from_field_text(self.fields.article_id, &id.0));
        }
        let total = to_write.len();
        for (i, a) in to_write.iter().enumerate() {
            for (position, chunk) in chunk_article(&a.body).into_iter().enumerate() {
                writer
                    .add_document(self.document(a, position as u64, &chunk))
                    .map_err(|e| self.err(e))?;
                summary.passages_written += 1;
            }
            progress(i + 1, total);
        }
        let payload = serde_json::to_string(&manifest).unwrap_or_default();
        let mut prepared = writer.prepare_commit().map_err(|e| self.err(e))?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(|e| self.err(e))?;
        writer.wait_merging_threads().map_err(|e| self.err(e))?;
        self.reader.reload().map_err(|e| self.err(e))?;
        summary.seconds = started.elapsed().as_secs_f64();
        Ok(summary)
    }

    fn document(&self, a: &Article, position: u64, text: &str) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.article_id, &a.id.0);
        doc.add_u64(f.position, position);
        doc.add_text(f.text, text);
        doc.add_text(f.title, &a.meta.title);
        doc.add_text(f.outlet, a.meta.outlet.as_deref().unwrap_or(""));
        doc.add_text(f.url, a.meta.url.as_deref().unwrap_or(""));
        doc.add_text(f.published, a.meta.published.as_deref().unwrap_or(""));
        doc.add_text(f.authors, a.meta.authors.join("\n"));
        doc
    }

    pub fn num_passages(&self) -> u64 {
        self.searcher().num_docs()
    }
}

/// Splits an article body into passages: paragraphs, short ones joined to the next,
/// long ones cut between sentences.
pub fn chunk_article(body: &str) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    for para in body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        if para.len() <= MAX_PASSAGE_CHARS {
            pieces.push(para.to_string());
            continue;
        }
        let mut current = String::new();
        for sentence in unicode_segmentation::UnicodeSegmentation::split_sentence_bounds(para) {
            if !current.is_empty() && current.len() + sentence.len() > MAX_PASSAGE_CHARS {
                pieces.push(current.trim().to_string());
                current.clear();
            }
            current.push_str(sentence);
        }
        if !current.trim().is_empty() {
            pieces.push(current.trim().to_string());
        }
    }
    let mut chunks: Vec<String> = Vec::new();
    for piece in pieces {
        match chunks.last_mut() {
            Some(last)
                if last.len() < MIN_PASSAGE_CHARS
                    && last.len() + piece.len() <= MAX_PASSAGE_CHARS =>
            {
                last.push_str("\n\n");
                last.push_str(&piece);
            }
            _ => chunks.push(piece),
        }
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_paragraphs_join_long_ones_split() {
        let long = "A sentence that goes on. ".repeat(100);
        let body = format!("Short one.\n\nShort two.\n\n{long}\n\nTail.");
        let chunks = chunk_article(&body);
        assert!(
            chunks[0].starts_with("Short one.\n\nShort two."),
            "{chunks:?}"
        );
        assert!(chunks.iter().all(|c| c.len() <= MAX_PASSAGE_CHARS));
        assert!(chunks.len() >= 3);
        let rejoined: String = chunks.concat().split_whitespace().collect();
        let original: String = body.split_whitespace().collect();
        assert_eq!(rejoined, original, "chunking loses no text");
    }
}
