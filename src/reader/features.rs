//! Question + passage -> fixed-size token windows, and back from token spans to text.
//!
//! Shared by inference and training so both see exactly the same inputs.

use rust_tokenizers::tokenizer::{BertTokenizer, Tokenizer};
use rust_tokenizers::vocab::{BertVocab, Vocab};

/// Questions longer than this (in word pieces) are cut: the tail of a very long
/// message rarely changes what is asked, and the passage needs the room.
pub const MAX_QUESTION_TOKENS: usize = 48;

/// A tokenised passage: word-piece ids plus, for each piece, its byte range in the text.
#[derive(Debug, Clone)]
pub struct EncodedText {
    pub ids: Vec<i64>,
    pub spans: Vec<(usize, usize)>,
}

/// One model input: `[CLS] question [SEP] passage-slice [SEP]`.
#[derive(Debug, Clone)]
pub struct Window {
    pub input_ids: Vec<i64>,
    pub type_ids: Vec<i64>,
    /// Position in `input_ids` of the first passage token.
    pub ctx_offset: usize,
    /// Index (in the passage's token list) of the first passage token in this window.
    pub ctx_first: usize,
    /// Number of passage tokens in this window.
    pub ctx_len: usize,
}

/// The word-piece tokenizer of a model directory, with the ids of its special tokens.
pub struct TextEncoder {
    tokenizer: BertTokenizer,
    cls: i64,
    sep: i64,
    pub pad: i64,
}

impl TextEncoder {
    pub fn new(tokenizer: BertTokenizer) -> Self {
        let vocab = tokenizer.vocab();
        let cls = vocab.token_to_id(BertVocab::cls_value());
        let sep = vocab.token_to_id(BertVocab::sep_value());
        let pad = vocab.token_to_id(BertVocab::pad_value());
        TextEncoder {
            tokenizer,
            cls,
            sep,
            pad,
        }
    }

    pub fn encode_question(&self, question: &str) -> Vec<i64> {
        let tokens = self.tokenizer.tokenize(question);
        let mut ids = self.tokenizer.convert_tokens_to_ids(&tokens);
        ids.truncate(MAX_QUESTION_TOKENS);
        ids
    }

    /// Tokenises a passage, keeping each piece's byte range so spans map back exactly.
    pub fn encode_text(&self, text: &str) -> EncodedText {
        let out = self.tokenizer.tokenize_with_offsets(text);
        let ids = self.tokenizer.convert_tokens_to_ids(&out.tokens);
        // rust_tokenizers reports offsets in chars; the rest of the code slices bytes.
        let char_to_byte: Vec<usize> = text
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(text.len()))
            .collect();
        let byte = |c: u32| char_to_byte.get(c as usize).copied().unwrap_or(text.len());
        let mut spans = Vec::with_capacity(ids.len());
        let mut last_end = 0;
        for offset in &out.offsets {
            let span = match offset {
                Some(o) => (byte(o.begin), byte(o.end)),
                // Pieces without an offset get an empty span where the previous one ended.
                None => (last_end, last_end),
            };
            last_end = span.1;
            spans.push(span);
        }
        EncodedText { ids, spans }
    }

    /// Cuts a passage into overlapping windows that each fit `max_len` tokens.
    pub fn windows(
        &self,
        question: &[i64],
        passage: &EncodedText,
        max_len: usize,
        stride: usize,
    ) -> Vec<Window> {
        let room = max_len.saturating_sub(question.len() + 3).max(1);
        let mut out = Vec::new();
        let mut first = 0;
        loop {
            let len = room.min(passage.ids.len() - first.min(passage.ids.len()));
            let mut input_ids = Vec::with_capacity(question.len() + len + 3);
            input_ids.push(self.cls);
            input_ids.extend_from_slice(question);
            input_ids.push(self.sep);
            let ctx_offset = input_ids.len();
            input_ids.extend_from_slice(&passage.ids[first..first + len]);
            input_ids.push(self.sep);
            let mut type_ids = vec![0; ctx_offset];
            type_ids.resize(input_ids.len(), 1);
            out.push(Window {
                input_ids,
                type_ids,
                ctx_offset,
                ctx_first: first,
                ctx_len: len,
            });
            if first + len >= passage.ids.len() {
                break;
            }
            first += room.saturating_sub(stride).max(1);
        }
        out
    }
}

/// The best answer span of one window, in passage tokens, with the scores needed to compare it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpanScore {
    /// First and last passage token (inclusive), indices into `EncodedText::ids`.
    pub start: usize,
    pub end: usize,
    /// start logit + end logit of the span.
    pub score: f32,
    /// start logit + end logit at [CLS]: the model's "no answer" score.
    pub null_score: f32,
}

/// SQuAD-2 style decoding: the best span with start <= end < start + max_answer inside the
/// passage part of the window, and the null score read at position 0. `sentence_of` gives
/// each passage token's sentence number; a span never crosses sentences (an empty slice
/// means no constraint). Returns the best span of every sentence of the window, best
/// first: the answer step can then prefer a slightly lower span in the sentence that
/// matches the question (the reader alone often picks a fluent span from the
/// neighbouring sentence).
pub fn best_spans(
    start_logits: &[f32],
    end_logits: &[f32],
    window: &Window,
    max_answer: usize,
    sentence_of: &[usize],
) -> Vec<SpanScore> {
    let (Some(&null_start), Some(&null_end)) = (start_logits.first(), end_logits.first()) else {
        return Vec::new();
    };
    let null_score = null_start + null_end;
    let lo = window.ctx_offset;
    let hi = window.ctx_offset + window.ctx_len; // exclusive
    if hi > start_logits.len() || hi > end_logits.len() || lo >= hi {
        return Vec::new();
    }
    // (sentence, start, end, score), the best per sentence.
    let mut best: Vec<(Option<usize>, usize, usize, f32)> = Vec::new();
    for (s, &start) in start_logits.iter().enumerate().take(hi).skip(lo) {
        let e_hi = (s + max_answer).min(hi);
        let sentence = |i: usize| sentence_of.get(i - lo + window.ctx_first).copied();
        for (e, &end) in end_logits.iter().enumerate().take(e_hi).skip(s) {
            if sentence(e) != sentence(s) {
                break;
            }
            let score = start + end;
            match best.iter_mut().find(|b| b.0 == sentence(s)) {
                Some(b) if score > b.3 => *b = (b.0, s, e, score),
                Some(_) => {}
                None => best.push((sentence(s), s, e, score)),
            }
        }
    }
    best.sort_by(|a, b| b.3.total_cmp(&a.3));
    best.into_iter()
        .map(|(_, s, e, score)| SpanScore {
            start: s - lo + window.ctx_first,
            end: e - lo + window.ctx_first,
            score,
            null_score,
        })
        .collect()
}

/// The sentence number of each token, from the byte spans of the tokens.
pub fn sentence_numbers(text: &str, spans: &[(usize, usize)]) -> Vec<usize> {
    use unicode_segmentation::UnicodeSegmentation;
    let starts: Vec<usize> = text
        .split_sentence_bound_indices()
        .map(|(at, _)| at)
        .collect();
    spans
        .iter()
        .map(|&(s, _)| starts.partition_point(|&b| b <= s).saturating_sub(1))
        .collect()
}

/// Widens a byte range to whole words so a span never starts or ends inside a word
/// (word pieces can split "15,000" or "U.S.-based").
pub fn widen_to_words(text: &str, start: usize, end: usize) -> (usize, usize) {
    let is_word = |c: char| c.is_alphanumeric();
    let mut s = start.min(text.len());
    while s > 0 {
        let Some(prev) = text[..s].chars().next_back() else {
            break;
        };
        let Some(cur) = text[s..].chars().next() else {
            break;
        };
        if is_word(prev) && is_word(cur) {
            s -= prev.len_utf8();
        } else {
            break;
        }
    }
    let mut e = end.clamp(s, text.len());
    while e < text.len() {
        let Some(next) = text[e..].chars().next() else {
            break;
        };
        let Some(last) = text[..e].chars().next_back() else {
            break;
        };
        if is_word(next) && is_word(last) {
            e += next.len_utf8();
        } else {
            break;
        }
    }
    (s, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(ctx_offset: usize, ctx_len: usize, ctx_first: usize) -> Window {
        Window {
            input_ids: vec![0; ctx_offset + ctx_len + 1],
            type_ids: vec![0; ctx_offset + ctx_len + 1],
            ctx_offset,
            ctx_first,
            ctx_len,
        }
    }

    #[test]
    fn best_span_stays_inside_the_passage_part() {
        // [CLS] q q [SEP] c c c [SEP]; the question tokens have the highest logits.
        let w = window(4, 3, 10);
        let start = [0.0, 9.0, 9.0, 0.0, 1.0, 3.0, 0.5, 9.0];
        let end = [0.0, 9.0, 9.0, 0.0, 0.2, 0.1, 2.0, 9.0];
        let s = best_spans(&start, &end, &w, 5, &[])
            .first()
            .copied()
            .expect("a span");
        assert_eq!(
            (s.start, s.end),
            (11, 12),
            "passage tokens 1..=2 offset by ctx_first"
        );
        assert_eq!(s.score, 5.0);
        assert_eq!(s.null_score, 0.0);
        // With passage token 12 in another sentence, the span stops at token 11.
        let sentences: Vec<usize> = (0..20).map(|t| usize::from(t >= 12)).collect();
        let s = best_spans(&start, &end, &w, 5, &sentences)
            .first()
            .copied()
            .expect("a span");
        assert_eq!(s.end, 11);
        // The runner-up of the other sentence comes second.
        let all = best_spans(&start, &end, &w, 5, &sentences);
        assert_eq!(all.len(), 2);
        assert_eq!((all[1].start, all[1].end), (12, 12));
        assert_eq!(all[1].score, 2.5);
    }

    #[test]
    fn best_span_respects_max_answer_length() {
        let w = window(2, 6, 0);
        let start = [0.0, 0.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        let end = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0, 0.0];
        let s = best_spans(&start, &end, &w, 3, &[])
            .first()
            .copied()
            .expect("a span");
        assert!(s.end - s.start < 3);
    }

    #[test]
    fn null_score_comes_from_cls() {
        let w = window(2, 2, 0);
        let s = best_spans(
            &[7.0, 0.0, 1.0, 1.0, 0.0],
            &[6.0, 0.0, 1.0, 1.0, 0.0],
            &w,
            4,
            &[],
        )
        .first()
        .copied()
        .expect("a span");
        assert_eq!(s.null_score, 13.0);
        assert!(s.null_score > s.score);
    }

    #[test]
    fn widening_completes_split_words() {
        let text = "about 15,000 migrants";
        assert_eq!(widen_to_words(text, 6, 8), (6, 8)); // "15" then "," is not a word char
        assert_eq!(widen_to_words(text, 7, 8), (6, 8));
        assert_eq!(
            &text[widen_to_words(text, 14, 16).0..widen_to_words(text, 14, 16).1],
            "migrants"
        );
    }
}
