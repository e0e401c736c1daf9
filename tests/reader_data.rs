//! The shipped training data: readable, exact offsets, held-out split really held out,
//! and none of the evaluation story in it.

use std::collections::HashSet;
use std::path::PathBuf;

use newsbot::reader::squad::load;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("models/reader-data")
        .join(name)
}

#[test]
fn offsets_are_exact_and_the_split_is_disjoint() {
    // `load` verifies every answer_start against its context and fails on any mismatch.
    let train = load(&data("train.json.gz")).expect("train loads with exact offsets");
    let test = load(&data("test.json.gz")).expect("test loads with exact offsets");
    let hand = load(&data("test-handwritten.json.gz")).expect("hand-written test loads");
    assert!(train.len() > 25_000 && test.len() > 3_000 && hand.len() > 500);
    for set in [&train, &test] {
        let unanswerable = set.iter().filter(|e| e.answers.is_empty()).count();
        assert!(
            unanswerable * 5 > set.len(),
            "a fifth or more are unanswerable"
        );
    }
    let train_contexts: HashSet<&str> = train.iter().map(|e| &*e.context).collect();
    assert!(
        test.iter().all(|e| !train_contexts.contains(&*e.context)),
        "no test passage is trained on"
    );
    for e in train.iter().chain(&test) {
        let lower = e.context.to_lowercase();
        for reserved in ["uzbek", "adrienne watson", "yuma"] {
            assert!(
                !lower.contains(reserved),
                "{}: reserved evaluation content",
                e.id
            );
        }
        for text in e.answer_texts() {
            assert!(
                !text.trim().is_empty() && text.trim() == text,
                "{}: {text:?}",
                e.id
            );
        }
    }
}
