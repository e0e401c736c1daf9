//! The extractive reader: finds the answer span in retrieved passages.
//!
//! `model` loads a rust-bert QA network, `features` turns text into windows and logits
//! back into spans, `worker` runs the model on its own thread behind a bounded queue,
//! `train` fine-tunes a model on SQuAD-2 data.

pub mod features;
pub mod model;
pub mod squad;
pub mod train;
pub mod worker;

use std::path::PathBuf;

use features::{best_spans, sentence_numbers, widen_to_words};
pub use model::QaModel;

#[derive(Debug, thiserror::Error)]
pub enum ReaderError {
    #[error(
        "no reader model in {dir}: {what}. Run ./setup.sh (installs the shipped model) or \
         `newsbot model fetch <hub-id>` where a network exists, and check `reader.model` in config.toml"
    )]
    ModelMissing { dir: PathBuf, what: String },
    #[error("the model file {0} is unusable: {1}")]
    BadModel(PathBuf, String),
    #[error("the model failed: {0}")]
    Inference(String),
    #[error("the reader is busy; try again in a few seconds")]
    Busy,
    #[error("the reader stopped")]
    Stopped,
}

/// Limits for one reading, from config.toml `[reader]`.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    pub max_seq_len: usize,
    pub doc_stride: usize,
    pub max_answer_tokens: usize,
    pub batch_size: usize,
}

/// Spans kept per passage besides the best: one per sentence, enough for a passage.
const MAX_ALTERNATIVES: usize = 12;

/// What the model made of one passage.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reading {
    /// Byte range of the best span in the passage text, widened to whole words.
    pub span: (usize, usize),
    /// start + end logit of that span.
    pub span_score: f32,
    /// The passage's lowest "no answer" score over its windows.
    pub null_score: f32,
    /// Runner-up spans, best first (may be empty): the best of each sentence in each
    /// window, so a sentence read in two overlapping windows may appear twice.
    pub alternatives: Vec<Alternative>,
}

/// A runner-up span of a reading: the best of another sentence (or window).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alternative {
    pub span: (usize, usize),
    pub span_score: f32,
}

impl Reading {
    /// The best of `spans` with the rest (one per span text, best first) as alternatives;
    /// None when there is no span.
    pub fn from_spans(mut spans: Vec<Alternative>, null_score: f32) -> Option<Reading> {
        spans.sort_by(|a, b| b.span_score.total_cmp(&a.span_score));
        let mut kept: Vec<Alternative> = Vec::new();
        for a in spans {
            if !kept.iter().any(|k| k.span == a.span) {
                kept.push(a);
            }
        }
        kept.truncate(MAX_ALTERNATIVES + 1);
        let mut rest = kept.into_iter();
        let best = rest.next()?;
        Some(Reading {
            span: best.span,
            span_score: best.span_score,
            null_score,
            alternatives: rest.collect(),
        })
    }

    /// How much more the model believes in the span than in "no answer".
    pub fn margin(&self) -> f32 {
        self.span_score - self.null_score
    }
}

/// The seam between answering and the network, so tests and benchmarks can swap models.
pub trait Reader: Send {
    /// One reading per passage (None when a passage has no readable tokens).
    fn read(
        &mut self,
        question: &str,
        passages: &[String],
    ) -> Result<Vec<Option<Reading>>, ReaderError>;
}

/// A rust-bert QA model read with our own window decoding.
pub struct BertReader {
    model: QaModel,
    limits: ReadLimits,
}

impl BertReader {
    pub fn new(model: QaModel, limits: ReadLimits) -> Self {
        let limits = ReadLimits {
            max_seq_len: limits.max_seq_len.min(model.max_positions),
            ..limits
        };
        BertReader { model, limits }
    }
}

impl Reader for BertReader {
    fn read(
        &mut self,
        question: &str,
        passages: &[String],
    ) -> Result<Vec<Option<Reading>>, ReaderError> {
        let enc = &self.model.encoder;
        let q = enc.encode_question(question);
        let encoded: Vec<_> = passages.iter().map(|p| enc.encode_text(p)).collect();
        let sentences: Vec<Vec<usize>> = passages
            .iter()
            .zip(&encoded)
            .map(|(p, e)| sentence_numbers(p, &e.spans))
            .collect();
        // (passage index, window) for every window of every passage, read in batches.
        let mut windows = Vec::new();
        for (pi, e) in encoded.iter().enumerate() {
            if e.ids.is_empty() {
                continue;
            }
            for w in enc.windows(&q, e, self.limits.max_seq_len, self.limits.doc_stride) {
                windows.push((pi, w));
            }
        }
        // Every window's per-sentence spans of each passage, merged below.
        let mut found: Vec<Vec<Alternative>> = vec![Vec::new(); passages.len()];
        let mut null: Vec<Option<f32>> = vec![None; passages.len()];
        for chunk in windows.chunks(self.limits.batch_size.max(1)) {
            let refs: Vec<_> = chunk.iter().map(|(_, w)| w).collect();
            let logits = self.model.logits(&refs)?;
            for ((pi, w), (s, e)) in chunk.iter().zip(logits) {
                let limit = self.limits.max_answer_tokens;
                let spans = &encoded[*pi].spans;
                let text = &passages[*pi];
                for best in best_spans(&s, &e, w, limit, &sentences[*pi]) {
                    let (b0, b1) = (spans[best.start].0, spans[best.end].1);
                    found[*pi].push(Alternative {
                        span: widen_to_words(text, b0, b1.max(b0)),
                        span_score: best.score,
                    });
                    let n = null[*pi].get_or_insert(best.null_score);
                    *n = n.min(best.null_score);
                }
            }
        }
        let out = found
            .into_iter()
            .zip(null)
            .map(|(spans, null)| null.and_then(|n| Reading::from_spans(spans, n)))
            .collect();
        Ok(out)
    }
}
