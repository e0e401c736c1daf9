//! Follow-up context: what a chat (or a reply thread) asked and was told recently.
//!
//! A follow-up ("And how many entered in total?", "Who arrested him there?") is searched
//! with the earlier turns' words at a lower weight, and the passage that answered the
//! last turn is read again, so "there" and "in total" find their referent. A bare
//! question word ("why?", "and when?") is spelled out from the last turn for the reader,
//! which sees one question at a time.

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

    /// Remembers a turn; `read_as` is the question as the reader read it (a bare "why?"
    /// spelled out), so a later "who said so?" can build on it.
    pub fn record(
        &mut self,
        read_as: &str,
        answer: &Answer,
        passage: Option<Passage>,
        now: Instant,
    ) {
        self.turns.retain(|t| now.duration_since(t.at) <= self.ttl);
        self.turns.push_back(Turn {
            question: read_as.to_string(),
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
        let question = live.last().and_then(|last| spell_out_bare(question, last));
        Some(FollowUp {
            texts,
            passages,
            question,
        })
    }
}

/// What a follow-up borrows from earlier turns, newest first.
#[derive(Debug, Clone, Default)]
pub struct FollowUp {
    pub texts: Vec<String>,
    pub passages: Vec<Passage>,
    /// The question to read instead, when the follow-up is a bare question word.
    pub question: Option<String>,
}

/// Follow-ups that are only a question word and ask the last question again about
/// something else.
const BARE_QUESTIONS: &[&str] = &[
    "why",
    "how",
    "when",
    "where",
    "who",
    "whom",
    "by whom",
    "how many",
    "how much",
    "how long",
    "since when",
    "for how long",
    "what for",
    "from where",
    "where exactly",
    "when exactly",
    "why so",
    "how so",
];
/// Auxiliary verbs that end the question-word phrase ("what kind of screening | did ...").
const AUXILIARIES: &[&str] = &[
    "did", "does", "do", "is", "are", "was", "were", "has", "have", "had", "will", "would", "can",
    "could", "should",
];

/// "why?" after "Who instituted the rules?" (answered "Homeland Security") becomes
/// "why Homeland Security instituted the rules?"; "and when?" after "Where did the boat
/// sink?" becomes "when did the boat sink?". None unless `question` is a bare question word.
pub fn spell_out_bare(question: &str, last: &Turn) -> Option<String> {
    let mut bare = question
        .trim()
        .trim_end_matches(['?', '!', '.', ' '])
        .to_lowercase();
    while let Some(rest) = CONTINUATIONS
        .iter()
        .find_map(|c| bare.strip_prefix(&format!("{c} ")))
    {
        bare = rest.trim().to_string();
    }
    if !BARE_QUESTIONS.contains(&bare.as_str()) {
        return None;
    }
    let words: Vec<&str> = last
        .question
        .trim()
        .trim_end_matches(['?', '!', '.', ' '])
        .split_whitespace()
        .collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let rest = match lower.first().map(String::as_str) {
        // "Who instituted the rules" asked for the subject: put the answer in its place.
        Some("who")
            if lower
                .get(1)
                .is_some_and(|w| !AUXILIARIES.contains(&w.as_str())) =>
        {
            let answer = last.answer.as_deref().unwrap_or_default();
            format!("{answer} {}", words[1..].join(" "))
        }
        Some("who" | "what" | "which" | "whose" | "when" | "where" | "why" | "how") => {
            // Drop the question-word phrase: up to an early auxiliary, else the first word.
            let cut = lower
                .iter()
                .take(5)
                .position(|w| AUXILIARIES.contains(&w.as_str()))
                .unwrap_or(1);
            words[cut..].join(" ")
        }
        _ => words.join(" "),
    };
    let rest = rest.trim();
    (!rest.is_empty()).then(|| format!("{bare} {rest}?"))
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

    fn turn(q: &str, a: Option<&str>) -> Turn {
        Turn {
            question: q.into(),
            answer: a.map(Into::into),
            sentence: None,
            passage: None,
            at: Instant::now(),
        }
    }

    #[test]
    fn bare_question_words_are_spelled_out_from_the_last_turn() {
        let who = turn("Who instituted new rules at the border?", Some("CBP"));
        assert_eq!(
            spell_out_bare("why?", &who).as_deref(),
            Some("why CBP instituted new rules at the border?")
        );
        let screening = turn(
            "What kind of screening did the migrants get?",
            Some("routine"),
        );
        assert_eq!(
            spell_out_bare("And by whom?", &screening).as_deref(),
            Some("by whom did the migrants get?")
        );
        let sank = turn("Where did the boat sink?", None);
        assert_eq!(
            spell_out_bare("and when", &sank).as_deref(),
            Some("when did the boat sink?")
        );
        let agency = turn("Which agency stressed the point?", Some("DHS"));
        assert_eq!(
            spell_out_bare("why?", &agency).as_deref(),
            Some("why agency stressed the point?")
        );
        // Questions with words of their own are read as asked.
        assert_eq!(spell_out_bare("who said that?", &who), None);
        assert_eq!(spell_out_bare("why did they leave?", &who), None);
    }

    #[test]
    fn context_expires_and_keeps_recent_turns() {
        let t0 = Instant::now();
        let mut c = Conversation::new(Duration::from_secs(60), 2);
        let a = answer("Where was the network based?", "Turkey");
        c.record(&a.question, &a, None, t0);
        let f = c
            .context_for("Who arrested him there?", t0 + Duration::from_secs(5))
            .expect("live");
        assert_eq!(f.texts, ["Where was the network based?", "Turkey"]);
        assert!(c
            .context_for("Who arrested him there?", t0 + Duration::from_secs(61))
            .is_none());
        c.record("q2", &answer("q2", "a2"), None, t0 + Duration::from_secs(1));
        c.record("q3", &answer("q3", "a3"), None, t0 + Duration::from_secs(2));
        assert_eq!(c.live_turns(t0 + Duration::from_secs(3)).count(), 2);
    }
}
