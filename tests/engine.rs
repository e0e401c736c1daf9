//! The engine library with a tiny random model: reading long passages, reloads, follow-ups.

mod common;

use common::Project;
use newsbot::engine::Engine;
use newsbot::reader::{BertReader, QaModel, Reader};

fn tiny_reader(p: &Project) -> BertReader {
    let config = p.config();
    BertReader::new(
        QaModel::load(&config.model_dir(), false).expect("tiny model"),
        config.read_limits(),
    )
}

#[test]
fn long_passages_are_read_in_windows_and_spans_stay_inside_words() {
    let p = Project::new();
    let mut reader = tiny_reader(&p);
    let long = "The committee met in Lisbon on Tuesday and heard 1,250 witnesses. ".repeat(120);
    let passages = vec![long.clone(), "Short one.".to_string(), String::new()];
    let readings = reader
        .read("Where did the committee meet?", &passages)
        .expect("reads");
    assert_eq!(readings.len(), 3);
    let r = readings[0].as_ref().expect("a reading of the long passage");
    assert!(r.span.0 < r.span.1 && r.span.1 <= long.len());
    let before = long[..r.span.0].chars().next_back();
    let after = long[r.span.1..].chars().next();
    assert!(
        !before.is_some_and(char::is_alphanumeric),
        "span starts at a word boundary"
    );
    assert!(
        !after.is_some_and(char::is_alphanumeric),
        "span ends at a word boundary"
    );
    assert!(readings[2].is_none(), "an empty passage has no reading");
}

#[test]
fn a_failed_reload_keeps_the_old_index_serving() {
    let p = Project::new();
    let engine = Engine::open(p.config()).expect("engine");
    let before = engine.num_passages();
    assert!(before > 0);
    std::fs::rename(p.root().join("corpus"), p.root().join("corpus-moved"))
        .expect("move corpus away");
    let err = engine.reload(&mut |_, _| {}).expect_err("no corpus folder");
    assert!(err.to_string().contains("corpus"), "{err}");
    assert_eq!(engine.num_passages(), before);
    let a = engine
        .ask("Where was the smuggling network based?", None)
        .expect("still answers");
    assert!(!a.citations.is_empty());
}

#[test]
fn a_broken_file_keeps_its_earlier_version_indexed() {
    let p = Project::new();
    let engine = Engine::open(p.config()).expect("engine");
    let file = p
        .root()
        .join("corpus/003-fbi-investigating-asylum-seekers.md");
    let good = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, good.replacen("---\n", "", 1)).expect("break the header");
    let s = engine.reload(&mut |_, _| {}).expect("reload runs");
    assert_eq!(s.rejected.len(), 1);
    assert!(
        s.removed.is_empty(),
        "the broken file's article stays: {s:?}"
    );
    let ids: Vec<String> = engine
        .sources()
        .expect("sources")
        .into_iter()
        .map(|(id, _)| id.0)
        .collect();
    assert!(ids.iter().any(|i| i.starts_with("003")), "{ids:?}");
    // Deleting the file does remove it.
    std::fs::remove_file(&file).expect("delete");
    let s = engine.reload(&mut |_, _| {}).expect("reload runs");
    assert_eq!(s.removed.len(), 1);
}

#[test]
fn follow_up_reads_the_passage_of_the_previous_answer() {
    let p = Project::new();
    let engine = Engine::open(p.config()).expect("engine");
    let mut conv = engine.new_conversation();
    let first = engine
        .ask("How many migrants is the FBI looking for?", Some(&mut conv))
        .expect("first turn");
    let sentence = first.sentence.clone().expect("threshold 0 always answers");
    let follow_up = "And how many entered the country in total?";
    let with_context = engine.passages_for(follow_up, Some(&conv)).expect("plan");
    assert!(
        with_context
            .iter()
            .any(|h| h.passage.text.contains(&sentence)),
        "the previous answer's passage is read again"
    );
    // A fresh conversation has no context to add.
    let fresh = engine.new_conversation();
    let without = engine.passages_for(follow_up, Some(&fresh)).expect("plan");
    assert!(without.len() <= with_context.len());
    // Context expires: a conversation with ttl 0 adds nothing.
    let mut expired = newsbot::conversation::Conversation::new(std::time::Duration::ZERO, 3);
    engine
        .ask(
            "How many migrants is the FBI looking for?",
            Some(&mut expired),
        )
        .expect("turn");
    std::thread::sleep(std::time::Duration::from_millis(5));
    let later = engine
        .passages_for(follow_up, Some(&expired))
        .expect("plan");
    assert_eq!(later.len(), without.len());
}

/// Answers every passage with its first word and remembers the questions it was given.
struct RecordingReader(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl Reader for RecordingReader {
    fn read(
        &mut self,
        question: &str,
        passages: &[String],
    ) -> Result<Vec<Option<newsbot::reader::Reading>>, newsbot::reader::ReaderError> {
        if let Ok(mut asked) = self.0.lock() {
            asked.push(question.to_string());
        }
        Ok(passages
            .iter()
            .map(|p| {
                let end = p.find(' ').unwrap_or(p.len());
                (end > 0).then_some(newsbot::reader::Reading {
                    span: (0, end),
                    span_score: 10.0,
                    null_score: 0.0,
                    ..Default::default()
                })
            })
            .collect())
    }
}

/// An engine over the project's corpus whose reader records each question it reads.
fn recording_engine(p: &Project) -> (Engine, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let engine = Engine::with_readers(p.config(), vec![Box::new(RecordingReader(asked.clone()))])
        .expect("engine");
    (engine, asked)
}

#[test]
fn a_bare_why_is_read_as_the_last_question_spelled_out() {
    let p = Project::new();
    let (engine, asked) = recording_engine(&p);
    let mut conv = engine.new_conversation();
    let first = engine
        .ask("Who instituted new targeting rules?", Some(&mut conv))
        .expect("first turn");
    let said = first.answer.expect("the recording reader always answers");
    let why = engine.ask("why?", Some(&mut conv)).expect("follow-up");
    assert_eq!(
        why.question, "why?",
        "the answer keeps the question as asked"
    );
    let asked = asked.lock().expect("lock").clone();
    assert_eq!(
        asked,
        [
            "Who instituted new targeting rules?".to_string(),
            format!("why {said} instituted new targeting rules?"),
        ]
    );
}

#[test]
fn an_acronym_the_articles_spell_out_is_read_as_the_name() {
    let p = Project::new();
    let (engine, asked) = recording_engine(&p);
    let answer = engine
        .ask("who's the NSC spokesperson?", None)
        .expect("answer");
    assert_eq!(answer.question, "who's the NSC spokesperson?");
    // "FBI" is what the articles themselves say: left as it is.
    engine.ask("What is the FBI doing?", None).expect("answer");
    let asked = asked.lock().expect("lock").clone();
    assert_eq!(
        asked,
        [
            "who's the National Security Council spokesperson?",
            "What is the FBI doing?"
        ]
    );
}

#[test]
fn two_reloads_at_once_never_corrupt_the_index() {
    let p = Project::new();
    let engine = Engine::open(p.config()).expect("engine");
    std::fs::write(
        p.root().join("corpus/extra.md"),
        "---\ntitle: Extra\n---\nA third article about a harbour festival.\n",
    )
    .expect("write");
    let results: Vec<_> = std::thread::scope(|s| {
        let a = s.spawn(|| engine.reload(&mut |_, _| {}));
        let b = s.spawn(|| engine.reload(&mut |_, _| {}));
        vec![a.join().expect("thread"), b.join().expect("thread")]
    });
    assert!(results.iter().any(|r| r.is_ok()));
    for r in &results {
        if let Err(e) = r {
            assert!(e.is_busy(), "the second reload is refused, not failed: {e}");
        }
    }
    assert_eq!(engine.sources().expect("sources").len(), 3);
    let again = engine.reload(&mut |_, _| {}).expect("a later reload");
    assert_eq!(again.unchanged, 3);
}
