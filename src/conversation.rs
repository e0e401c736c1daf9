//! Follow-up context: what a chat (or a reply thread) asked and was told recently.
//!
//! A follow-up ("And how many entered in total?", "Who arrested him there?") is searched
//! with the earlier turns' words at a lower weight, and the passage that answered the
//! last turn is read again, so "there" and "in total" find their referent.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::answer::Answer;
use crate::index::Passage;

#[derive(Debug, Clone)]
pub struct Turn {
    pub question: String,
    pub answer: Option<String>,
    pub sentence: Option<String>,
    /// The passage the answer came from.
    pub passage: Option<Passage>,
    pub at: Instant,
}

#[derive(Debug, Clone)]
pub struct Conversation {
    turns: VecDeque<Turn>,
    ttl: Duration,
    max_turns: usize,
}

/// Words that point back at an earlier turn.
const BACK_REFERENCES: &[&str] = &[
    "he", "she", "him", "her", "his", "hers", "they", "them", "their", "it", "its", "there",
    "that", "those", "these", "this", "then", "same", "total", "else", "other", "others",
];
/// Openings of a question that continues the previous one.
const CONTINUATIONS: &[&str] = &[
    "and",
    "so",
    "but",
    "also",
    "then",
    "what about",
    "how about",
    "and what about",
];

impl Conversation {
    pub fn new(ttl: Duration, max_turns: usize) -> Self {
        Conversation {
            turns: VecDeque::new(),
            ttl,
            max_turns: max_turns.max(1),
        }
    }

    /// Earlier turns still inside the time-to-live, oldest first.
    pub fn live_turns(&self, now: Instant) -> impl Iterator<Item = &Turn> {
        self.turns
            .iter()
            .filter(move |t| now.duration_since(t.at) <= self.ttl)
    }

    pub fn is_empty(&self) -> bool {
        self.turns.is_empty()
    }

    pub fn clear(&mut self) {
        self.turns.clear();
    }

    pub fn record(&mut self, answer: &Answer, passage: Option<Passage>, now: Instant) {
        self.turns.retain(|t| now.duration_since(t.at) <= self.ttl);
        self.turns.push_back(Turn {
            question: answer.question.clone(),
            answer: answer.answer.clone(),
            sentence: answer.sentence.clone(),
            passage,
            at: now,
        });
        while self.turns.len() > self.max_turns {
            self.turns.pop_front();
        }
    }

    /// Context for `question` if it reads as a follow-up of a live earlier turn.
    pub fn context_for(&self, question: &str, now: Instant) -> Option<FollowUp> {
        let live: Vec<&Turn> = self.live_turns(now).collect();
        if live.is_empty() || !looks_like_follow_up(question) {
            return None;
        }
        let mut texts = Vec::new();
        let mut passages = Vec::new();
        for t in live.iter().rev() {
            texts.push(t.question.clone());
            if let Some(a) = &t.answer {
                texts.push(a.clone());
            }
            if let Some(p) = &t.passage {
                if !passages.contains(p) {
                    passages.push(p.clone());
                }
            }
        }
        Some(FollowUp { texts, passages })
    }
}

/// What a follow-up borrows from earlier turns, newest first.
#[derive(Debug, Clone, Default)]
pub struct FollowUp {
    pub texts: Vec<String>,
    pub passages: Vec<Passage>,
}

pub fn looks_like_follow_up(question: &str) -> bool {
    let lower = question.trim().to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    if CONTINUATIONS
        .iter()
        .any(|c| lower.starts_with(&format!("{c} ")))
    {
        return true;
    }
    // Short questions ("and in total?", "why?") lean on what came before.
    words.len() <= 3 || words.iter().any(|w| BACK_REFERENCES.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(q: &str, a: &str) -> Answer {
        Answer {
            question: q.into(),
            answer: Some(a.into()),
            score: 0.9,
            sentence: None,
            citations: vec![],
        }
    }

    #[test]
    fn follow_up_detection() {
        assert!(looks_like_follow_up(
            "And how many entered the country in total?"
        ));
        assert!(looks_like_follow_up("Who arrested the smuggler there?"));
        assert!(looks_like_follow_up("why?"));
        assert!(!looks_like_follow_up(
            "Where was the smuggling network based?"
        ));
    }

    #[test]
    fn context_expires_and_keeps_recent_turns() {
        let t0 = Instant::now();
        let mut c = Conversation::new(Duration::from_secs(60), 2);
        c.record(&answer("Where was the network based?", "Turkey"), None, t0);
        let f = c
            .context_for("Who arrested him there?", t0 + Duration::from_secs(5))
            .expect("live");
        assert_eq!(f.texts, ["Where was the network based?", "Turkey"]);
        assert!(c
            .context_for("Who arrested him there?", t0 + Duration::from_secs(61))
            .is_none());
        c.record(&answer("q2", "a2"), None, t0 + Duration::from_secs(1));
        c.record(&answer("q3", "a3"), None, t0 + Duration::from_secs(2));
        assert_eq!(c.live_turns(t0 + Duration::from_secs(3)).count(), 2);
    }
}
