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

use features::{best_span, sentence_numbers, widen_to_words};
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

/// What the model made of one passage.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// Byte range of the best span in the passage text, widened to whole words.
    pub span: (usize, usize),
    /// start + end logit of that span.
    pub span_score: f32,
    /// The passage's lowest "no answer" score over its windows.
    pub null_score: f32,
}

impl Reading {
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
        let mut out: Vec<Option<Reading>> = vec![None; passages.len()];
        for chunk in windows.chunks(self.limits.batch_size.max(1)) {
            let refs: Vec<_> = chunk.iter().map(|(_, w)| w).collect();
            let logits = self.model.logits(&refs)?;
            for ((pi, w), (s, e)) in chunk.iter().zip(logits) {
                let limit = self.limits.max_answer_tokens;
                let Some(best) = best_span(&s, &e, w, limit, &sentences[*pi]) else {
                    continue;
                };
                let spans = &encoded[*pi].spans;
                let text = &passages[*pi];
                let (b0, b1) = (spans[best.start].0, spans[best.end].1);
                let span = widen_to_words(text, b0, b1.max(b0));
                let slot = &mut out[*pi];
                match slot {
                    None => {
                        *slot = Some(Reading {
                            span,
                            span_score: best.score,
                            null_score: best.null_score,
                        })
                    }
                    Some(r) => {
                        if best.score > r.span_score {
                            r.span = span;
                            r.span_score = best.score;
                        }
                        r.null_score = r.null_score.min(best.null_score);
                    }
                }
            }
        }
        Ok(out)
    }
}
