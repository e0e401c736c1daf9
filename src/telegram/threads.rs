//! Which conversation a message belongs to.
//!
//! Private chat: one conversation per chat. Group: every new question (`/ask`, a mention)
//! opens a thread; a reply to one of the bot's answers continues that answer's thread,
//! so two people asking in parallel never mix contexts.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::conversation::Conversation;

/// A conversation's identity: the chat, and in groups the message that opened it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ThreadKey {
    pub chat: i64,
    pub root: Option<i32>,
}

struct Entry {
    conversation: Conversation,
    touched: Instant,
}

pub struct Threads {
    ttl: Duration,
    conversations: HashMap<ThreadKey, Entry>,
    /// Bot answer (chat, message id) -> the thread it belongs to.
    answers: HashMap<(i64, i32), (ThreadKey, Instant)>,
}

impl Threads {
    pub fn new(ttl: Duration) -> Self {
        Threads {
            ttl,
            conversations: HashMap::new(),
            answers: HashMap::new(),
        }
    }

    /// The thread for a new message: the replied-to answer's thread if there is one.
    pub fn key_for(
        &self,
        chat: i64,
        is_private: bool,
        message_id: i32,
        reply_to: Option<i32>,
    ) -> ThreadKey {
        if is_private {
            return ThreadKey { chat, root: None };
        }
        reply_to
            .and_then(|r| self.answers.get(&(chat, r)).map(|(k, _)| *k))
            .unwrap_or(ThreadKey {
                chat,
                root: Some(message_id),
            })
    }

    /// Takes a thread's conversation out (or a new one) so it can be used across an await.
    pub fn take(&mut self, key: ThreadKey, fresh: impl FnOnce() -> Conversation) -> Conversation {
        self.prune(Instant::now());
        self.conversations
            .remove(&key)
            .map(|e| e.conversation)
            .unwrap_or_else(fresh)
    }

    /// Puts a conversation back, and remembers which answer belongs to it.
    pub fn put(&mut self, key: ThreadKey, conversation: Conversation, answer_message: Option<i32>) {
        let now = Instant::now();
        self.conversations.insert(
            key,
            Entry {
                conversation,
                touched: now,
            },
        );
        if let Some(m) = answer_message {
            self.answers.insert((key.chat, m), (key, now));
        }
    }

    /// Forgets every thread of a chat (`/reset`).
    pub fn reset_chat(&mut self, chat: i64) {
        self.conversations.retain(|k, _| k.chat != chat);
        self.answers.retain(|(c, _), _| *c != chat);
    }

    fn prune(&mut self, now: Instant) {
        let ttl = self.ttl;
        self.conversations
            .retain(|_, e| now.duration_since(e.touched) <= ttl);
        self.answers
            .retain(|_, (_, t)| now.duration_since(*t) <= ttl);
    }

    pub fn len(&self) -> usize {
        self.conversations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.conversations.is_empty()
    }
}

/// Per-chat flood limit over a sliding minute.
pub struct FloodGate {
    per_minute: u32,
    seen: HashMap<i64, Vec<Instant>>,
}

/// What to do with a message under the flood limit.
#[derive(Debug, PartialEq, Eq)]
pub enum Flood {
    Allow,
    /// Over the limit: warn once...
    Warn,
    /// ...then stay quiet until the minute has passed.
    Drop,
}

impl FloodGate {
    pub fn new(per_minute: u32) -> Self {
        FloodGate {
            per_minute,
            seen: HashMap::new(),
        }
    }

    pub fn check(&mut self, chat: i64, now: Instant) -> Flood {
        let window = Duration::from_secs(60);
        let times = self.seen.entry(chat).or_default();
        times.retain(|t| now.duration_since(*t) < window);
        times.push(now);
        let n = times.len() as u32;
        if n <= self.per_minute {
            Flood::Allow
        } else if n == self.per_minute + 1 {
            Flood::Warn
        } else {
            Flood::Drop
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_continue_a_thread_and_new_questions_open_one() {
        let mut t = Threads::new(Duration::from_secs(60));
        let alice = t.key_for(-100, false, 10, None);
        let bob = t.key_for(-100, false, 11, None);
        assert_ne!(alice, bob);
        let conv = t.take(alice, || Conversation::new(Duration::from_secs(60), 3));
        t.put(alice, conv, Some(12));
        assert_eq!(t.key_for(-100, false, 13, Some(12)), alice);
        assert_eq!(
            t.key_for(-100, false, 14, Some(11)).root,
            Some(14),
            "a reply to a non-answer opens a thread"
        );
        assert_eq!(t.key_for(5, true, 1, None), t.key_for(5, true, 2, None));
        t.reset_chat(-100);
        assert!(t.is_empty());
    }

    #[test]
    fn flood_gate_warns_once_then_drops() {
        let mut f = FloodGate::new(2);
        let now = Instant::now();
        assert_eq!(f.check(1, now), Flood::Allow);
        assert_eq!(f.check(1, now), Flood::Allow);
        assert_eq!(f.check(1, now), Flood::Warn);
        assert_eq!(f.check(1, now), Flood::Drop);
        assert_eq!(
            f.check(2, now),
            Flood::Allow,
            "other chats are not affected"
        );
        assert_eq!(f.check(1, now + Duration::from_secs(61)), Flood::Allow);
    }
}
