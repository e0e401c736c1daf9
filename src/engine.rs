//! The engine: one object that front-ends hold. `ask` runs retrieve -> read -> answer;
//! `reload` re-reads the corpus and swaps the index in atomically.

use std::time::Instant;

use crate::answer::{compose, Answer};
use crate::config::Config;
use crate::conversation::Conversation;
use crate::corpus::{ArticleId, ArticleMeta, Corpus, CorpusError};
use crate::index::{IndexError, NewsIndex, Passage, UpdateSummary};
use crate::reader::worker::{ReaderHandle, ReaderWorker};
use crate::reader::{BertReader, QaModel, Reader, ReaderError, Reading};
use crate::retrieve::{Hit, Retriever};

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Reader(#[from] ReaderError),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Corpus(#[from] CorpusError),
}

impl EngineError {
    /// Errors a user can fix by trying again shortly.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            EngineError::Reader(ReaderError::Busy) | EngineError::Index(IndexError::Busy)
        )
    }
}

pub struct Engine {
    config: Config,
    index: NewsIndex,
    retriever: Retriever,
    reader: ReaderHandle,
    _worker: ReaderWorker,
}

/// A question ready for the reader: its passages, chosen by retrieval and context.
struct Plan {
    /// What the reader reads: the question as asked, or a bare follow-up spelled out, with
    /// acronyms spelled out too.
    question: String,
    hits: Vec<Hit>,
}

impl Plan {
    fn texts(&self) -> Vec<String> {
        self.hits.iter().map(|h| h.passage.text.clone()).collect()
    }
}

impl Engine {
    /// Loads the configured model (one copy per reader thread) and opens (building if
    /// empty) the index.
    pub fn open(config: Config) -> Result<Engine, EngineError> {
        let mut readers: Vec<Box<dyn Reader>> = Vec::new();
        for _ in 0..config.reader.threads.max(1) {
            let model = QaModel::load(&config.model_dir(), false)?;
            readers.push(Box::new(BertReader::new(model, config.read_limits())));
        }
        Engine::with_readers(config, readers)
    }

    /// Uses any [`Reader`]s, one thread each (tests use a tiny model).
    pub fn with_readers(
        config: Config,
        readers: Vec<Box<dyn Reader>>,
    ) -> Result<Engine, EngineError> {
        let index = NewsIndex::open(&config.data_dir)?;
        let worker = ReaderWorker::spawn(readers, config.reader.queue);
        let engine = Engine {
            reader: worker.handle.clone(),
            _worker: worker,
            index,
            retriever: Retriever::new(),
            config,
        };
        if engine.index.num_passages() == 0 {
            let summary = engine.reload(&mut |_, _| {})?;
            tracing::info!(
                added = summary.added.len(),
                rejected = summary.rejected.len(),
                "built the index"
            );
        }
        Ok(engine)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// A fresh conversation with the configured time-to-live and length.
    pub fn new_conversation(&self) -> Conversation {
        Conversation::new(
            std::time::Duration::from_secs(self.config.chat.context_ttl_secs),
            self.config.chat.max_turns,
        )
    }

    /// The passages a question would be read against: retrieval, plus for a follow-up the
    /// passage that answered the previous turn.
    pub fn passages_for(
        &self,
        question: &str,
        conversation: Option<&Conversation>,
    ) -> Result<Vec<Hit>, EngineError> {
        Ok(self.plan(question, conversation)?.hits)
    }

    fn plan(
        &self,
        question: &str,
        conversation: Option<&Conversation>,
    ) -> Result<Plan, EngineError> {
        let mut follow_up = conversation.and_then(|c| c.context_for(question, Instant::now()));
        let question = follow_up
            .as_mut()
            .and_then(|f| f.question.take())
            .unwrap_or_else(|| question.to_string());
        let context: Vec<&str> = follow_up
            .iter()
            .flat_map(|f| f.texts.iter().map(String::as_str))
            .collect();
        let limit = self.config.retrieve.passages;
        let mut hits = self
            .retriever
            .search(&self.index, &question, &context, limit)?;
        // "NSC" where the articles say "National Security Council": read (and search) the
        // name the retrieved passages use.
        let texts: Vec<&str> = hits.iter().map(|h| h.passage.text.as_str()).collect();
        let question = match crate::acronyms::expand(&question, &texts) {
            Some(spelled) => {
                hits = self
                    .retriever
                    .search(&self.index, &spelled, &context, limit)?;
                spelled
            }
            None => question,
        };
        // The passage that answered the last turn is read again, scored as the weakest hit.
        if let Some(f) = follow_up {
            let floor = hits.iter().map(|h| h.bm25).fold(f32::INFINITY, f32::min);
            let floor = if floor.is_finite() { floor } else { 1.0 };
            for p in f.passages {
                if !hits.iter().any(|h| same_passage(&h.passage, &p)) {
                    hits.push(self.retriever.hit(&question, p, floor));
                }
            }
        }
        Ok(Plan { question, hits })
    }

    fn finish(
        &self,
        question: &str,
        plan: Plan,
        readings: Vec<Option<Reading>>,
    ) -> (Answer, Option<Passage>) {
        let mut answer = compose(
            &plan.question,
            &plan.hits,
            &readings,
            self.config.answer.threshold,
        );
        answer.question = question.to_string();
        // Remember the passage the answer came from, for follow-ups.
        let passage = answer.citations.first().and_then(|c| {
            plan.hits
                .iter()
                .zip(&readings)
                .filter(|(h, r)| h.passage.article_id == c.article_id && r.is_some())
                .max_by(|a, b| {
                    let m = |r: &Option<Reading>| r.as_ref().map_or(f32::MIN, Reading::margin);
                    m(a.1).total_cmp(&m(b.1))
                })
                .map(|(h, _)| h.passage.clone())
        });
        (answer, passage)
    }

    /// Answers a question, blocking the calling thread (CLI, tests, benchmarks).
    pub fn ask(
        &self,
        question: &str,
        conversation: Option<&mut Conversation>,
    ) -> Result<Answer, EngineError> {
        let plan = self.plan(question, conversation.as_deref())?;
        let readings = self.reader.read_blocking(&plan.question, plan.texts())?;
        Ok(self.remember(question, plan, readings, conversation))
    }

    /// Answers a question from async code; the model runs on its own thread.
    pub async fn ask_async(
        &self,
        question: &str,
        conversation: Option<&mut Conversation>,
    ) -> Result<Answer, EngineError> {
        let plan = self.plan(question, conversation.as_deref())?;
        let readings = self.reader.read(&plan.question, plan.texts()).await?;
        Ok(self.remember(question, plan, readings, conversation))
    }

    fn remember(
        &self,
        question: &str,
        plan: Plan,
        readings: Vec<Option<Reading>>,
        conversation: Option<&mut Conversation>,
    ) -> Answer {
        let read_as = plan.question.clone();
        let (answer, passage) = self.finish(question, plan, readings);
        if let Some(c) = conversation {
            c.record(&read_as, &answer, passage, Instant::now());
        }
        answer
    }

    /// Answers `question` and also returns every passage read with its best span and
    /// confidence, best first (`newsbot ask --explain`), from the same single reading.
    pub fn explain(
        &self,
        question: &str,
    ) -> Result<(Answer, Vec<crate::answer::Evidence>), EngineError> {
        let plan = self.plan(question, None)?;
        let readings = self.reader.read_blocking(&plan.question, plan.texts())?;
        let evidence = crate::answer::evidence(&plan.question, &plan.hits, &readings);
        Ok((self.finish(question, plan, readings).0, evidence))
    }

    /// Retrieval alone, for benchmarks.
    pub fn retrieve(&self, question: &str) -> Result<Vec<Hit>, EngineError> {
        Ok(self
            .retriever
            .search(&self.index, question, &[], self.config.retrieve.passages)?)
    }

    /// Reading alone, for benchmarks.
    pub fn read(
        &self,
        question: &str,
        passages: Vec<String>,
    ) -> Result<Vec<Option<Reading>>, EngineError> {
        Ok(self.reader.read_blocking(question, passages)?)
    }

    /// Re-reads the corpus folder and updates the index. Questions keep being answered
    /// from the previous commit until the new one is complete; on error nothing changes.
    pub fn reload(
        &self,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<UpdateSummary, EngineError> {
        let corpus = Corpus::load_dir(&self.config.corpus_dir)?;
        Ok(self.index.update(&corpus, progress)?)
    }

    /// Indexed articles with their metadata.
    pub fn sources(&self) -> Result<Vec<(ArticleId, ArticleMeta)>, EngineError> {
        Ok(self.index.articles()?)
    }

    pub fn num_passages(&self) -> u64 {
        self.index.num_passages()
    }
}

fn same_passage(a: &Passage, b: &Passage) -> bool {
    a.article_id == b.article_id && a.position == b.position
}
