//! The acceptance bar of the shipped reader, through the real binary: every answerable
//! question of the public dev set right (F1 >= 0.8) with the right outlet, both
//! unanswerable ones refused, and both dialogues right through `chat --json`; and floors
//! under the measured accuracy on the project's larger sets over the seed articles.

mod common;

use common::{newsbot, repo, Project};
use newsbot::bench::{eval_rows, load_eval_file, pipeline_metrics, EvalItem};
use newsbot::engine::Engine;
use newsbot::eval::score;
use serde_json::Value;

/// Whole-pipeline F1 floors on the seed sets, set from the shipped reader's measurement.
const SEED_QA_F1_FLOOR: f64 = 57.0; // measured 62.9 (run 4, sentence match)
const SEED_DIALOGUES_F1_FLOOR: f64 = 60.0; // measured 66.5 (run 4)
                                           // Written blind (the writer saw only the articles and the dev set's format).
const BLIND_QA_F1_FLOOR: f64 = 55.0; // measured 60.5 (run 4)
const BLIND_DIALOGUES_F1_FLOOR: f64 = 47.0; // measured 52.8 (run 4)

fn answers(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

fn check(q: &str, got: &Value, expected: &[String], failures: &mut Vec<String>) {
    let prediction = got["answer"].as_str();
    let (_, f1) = score(prediction, expected);
    if f1 < 0.8 {
        failures.push(format!(
            "{q:?}: got {prediction:?}, expected one of {expected:?} (F1 {f1:.2})"
        ));
    }
}

#[test]
fn dev_questions_are_answered_with_the_right_outlet() {
    let p = Project::with_shipped_model();
    let items = load_eval_file(&repo().join("tests/data/eval/dev.jsonl")).expect("dev set");
    let mut questions = Vec::new();
    let mut rows = Vec::new();
    for item in items {
        if let EvalItem::Question {
            question, answers, ..
        } = item
        {
            questions.push(question.clone());
            rows.push((question, answers));
        }
    }
    let (ok, out, err) = newsbot(p.root(), &["ask", "--json"], &questions.join("\n"));
    assert!(ok, "{err}");
    let got = answers(&out);
    assert_eq!(got.len(), rows.len());
    let sources: Vec<String> = std::fs::read_to_string(repo().join("tests/data/eval/dev.jsonl"))
        .expect("dev")
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("json")["source"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    let mut failures = Vec::new();
    for (((q, expected), g), source) in rows.iter().zip(&got).zip(&sources) {
        check(q, g, expected, &mut failures);
        for c in g["citations"].as_array().into_iter().flatten() {
            let id = c["article_id"].as_str().unwrap_or("");
            // Outlets are what each document says it is: NBC News for 003, none for 000.
            match &id[..3.min(id.len())] {
                "003" => assert_eq!(c["outlet"], "NBC News", "{q}: {c}"),
                "000" => assert!(c["outlet"].is_null(), "{q}: never invent an outlet: {c}"),
                other => panic!("unexpected article {other}"),
            }
        }
        if matches!(source.as_str(), "003" | "000") && !expected.is_empty() {
            let cited: Vec<&str> = g["citations"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c["article_id"].as_str())
                .collect();
            if !cited.iter().any(|id| id.starts_with(source.as_str())) {
                failures.push(format!("{q:?}: cites {cited:?}, expected article {source}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs one dialogue of the dev set through `newsbot chat --json` and checks every turn.
fn dialogue(id: &str) {
    let p = Project::with_shipped_model();
    let items =
        load_eval_file(&repo().join("tests/data/eval/dev-dialogues.jsonl")).expect("dialogues");
    let turns = items
        .into_iter()
        .find_map(|item| match item {
            EvalItem::Dialogue { id: i, turns } if i == id => Some(turns),
            _ => None,
        })
        .expect("dialogue in the dev set");
    let input: Vec<&str> = turns.iter().map(|t| t.question.as_str()).collect();
    let (ok, out, err) = newsbot(p.root(), &["chat", "--json"], &input.join("\n"));
    assert!(ok, "{id}: {err}");
    let got = answers(&out);
    assert_eq!(got.len(), turns.len(), "{id}");
    let mut failures = Vec::new();
    for (t, g) in turns.iter().zip(&got) {
        check(
            &format!("{id}: {}", t.question),
            g,
            &t.answers,
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn dialogue_how_many_then_in_total() {
    dialogue("dlg-dev-01");
}

#[test]
fn dialogue_based_where_then_who_arrested_there() {
    dialogue("dlg-dev-02");
}

/// The larger sets this project wrote over the seed articles (`tests/data/eval/seed-*`:
/// 60 questions, 12 dialogues; `blind-*`: 70 questions, 12 dialogues). Not every question is expected right; the floors sit a
/// little under what the shipped reader measured (MODEL_CARD.md), so a change that
/// makes answers on the real articles worse fails here.
#[test]
fn seed_sets_stay_above_their_measured_floor() {
    let p = Project::with_shipped_model();
    let engine = Engine::open(p.config()).expect("engine opens");
    let floors = [
        ("seed-qa.jsonl", SEED_QA_F1_FLOOR),
        ("seed-dialogues.jsonl", SEED_DIALOGUES_F1_FLOOR),
        ("blind-qa.jsonl", BLIND_QA_F1_FLOOR),
        ("blind-dialogues.jsonl", BLIND_DIALOGUES_F1_FLOOR),
    ];
    for (file, floor) in floors {
        let rows = eval_rows(&engine, &repo().join("tests/data/eval").join(file)).expect(file);
        let m = pipeline_metrics(&rows);
        assert!(
            m.f1 >= floor,
            "{file}: F1 {:.1} fell below its floor {floor} (answerable F1 {:.1}, abstention {:.1}%)",
            m.f1,
            m.has_ans_f1,
            m.no_ans_accuracy
        );
    }
}
