//! newsbot: answers questions about a corpus of news articles.
//!
//! The pipeline is the module layout:
//! [`corpus`] -> [`index`] -> [`retrieve`] -> [`reader`] -> [`answer`] (with
//! [`conversation`] for follow-ups and [`acronyms`] spelled out from what was retrieved) -> front-ends (the CLI in `main.rs`, [`telegram`]).
//! The engine knows nothing of Telegram; the CLI, the bot and the benchmarks all call
//! the same [`engine::Engine::ask`].

pub mod acronyms;
pub mod answer;
pub mod bench;
pub mod config;
pub mod conversation;
pub mod corpus;
pub mod engine;
pub mod eval;
pub mod fetch;
pub mod index;
pub mod reader;
pub mod retrieve;
pub mod telegram;
