//! The `newsbot` binary end to end, with a tiny random model: output formats, corpus
//! errors, hostile input and clear failures. Accuracy is tested in `accuracy.rs`.

mod common;

use common::{newsbot, Project};
use serde_json::Value;

fn parse_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn assert_answer_shape(v: &Value, question: &str) {
    assert_eq!(v["question"], question);
    let score = v["score"].as_f64().expect("score is a number");
    assert!((0.0..=1.0).contains(&score), "score {score}");
    let cits = v["citations"].as_array().expect("citations array");
    match v["answer"].as_str() {
        Some(answer) => {
            let sentence = v["sentence"].as_str().expect("a sentence with an answer");
            assert!(sentence.contains(answer), "{answer:?} not in {sentence:?}");
            assert!(!cits.is_empty(), "an answer has a citation");
            for c in cits {
                for key in ["outlet", "title", "url", "published", "article_id"] {
                    assert!(c.get(key).is_some(), "citation lacks {key}: {c}");
                }
            }
        }
        None => {
            assert!(v["answer"].is_null());
            assert!(cits.is_empty());
        }
    }
}

#[test]
fn ask_json_prints_one_object_with_every_field() {
    let p = Project::new();
    let q = "How many migrants is the FBI looking for?";
    let (ok, out, err) = newsbot(p.root(), &["ask", "--json", q], "");
    assert!(ok, "{err}");
    let v = parse_lines(&out);
    assert_eq!(v.len(), 1);
    assert_answer_shape(&v[0], q);
    let id = v[0]["citations"][0]["article_id"]
        .as_str()
        .expect("article id");
    assert!(id.starts_with("003") || id.starts_with("000"), "{id}");
}

#[test]
fn ask_json_without_question_reads_stdin_lines() {
    let p = Project::new();
    let qs = [
        "Where was the smuggling network based?",
        "",
        "Who is the spokesperson?",
        "What is the capital of France?",
    ];
    let (ok, out, err) = newsbot(p.root(), &["ask", "--json"], &qs.join("\n"));
    assert!(ok, "{err}");
    let v = parse_lines(&out);
    assert_eq!(v.len(), 3, "blank lines are skipped");
    for (value, q) in v.iter().zip(qs.iter().filter(|q| !q.is_empty())) {
        assert_answer_shape(value, q);
    }
}

#[test]
fn question_text_is_never_query_syntax() {
    let p = Project::new();
    let emoji = "😀".repeat(4000);
    let hostile = [
        "title:\"FBI\" AND (migrants OR",
        "\"unbalanced quote",
        "migrants]] NOT ^2 ~ * ? :",
        "+-&&||!(){}[]^\"~*?:\\/",
        emoji.as_str(),
    ];
    let (ok, out, err) = newsbot(p.root(), &["ask", "--json"], &hostile.join("\n"));
    assert!(ok, "{err}");
    let v = parse_lines(&out);
    assert_eq!(v.len(), hostile.len());
    assert!(v[4]["answer"].is_null(), "emoji alone match nothing");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn malformed_and_duplicate_files_are_reported_and_the_rest_loads() {
    let p = Project::new();
    let corpus = p.root().join("corpus");
    std::fs::write(
        corpus.join("broken.md"),
        "---\ntitle: Fine\nsource: nowhere\n---\nBody text.\n",
    )
    .expect("write");
    std::fs::write(
        corpus.join("lines.jsonl"),
        "{\"title\":\"One\",\"body\":\"A body.\"}\nnot json\n",
    )
    .expect("write");
    let copy = std::fs::read_to_string(corpus.join("003-fbi-investigating-asylum-seekers.md"))
        .expect("seed");
    std::fs::write(
        corpus.join("copy.md"),
        copy.replace("title: The FBI", "title: Copy of The FBI"),
    )
    .expect("write");
    let (ok, out, err) = newsbot(p.root(), &["index"], "");
    assert!(ok, "{err}");
    assert!(out.contains("3 articles"), "{out}");
    assert!(
        out.contains("broken.md:3") && out.contains("unknown key `source`"),
        "{out}"
    );
    assert!(out.contains("lines.jsonl:2"), "{out}");
    assert!(
        out.contains("duplicate") && out.contains("copy.md"),
        "{out}"
    );
    // A second run finds nothing to do.
    let (_, out, _) = newsbot(p.root(), &["index"], "");
    assert!(
        out.contains("0 added, 0 changed, 0 removed, 3 unchanged"),
        "{out}"
    );
}

#[test]
fn a_missing_model_is_one_clear_error() {
    let p = Project::new();
    p.write_config("[reader]\nmodel = \"not-there\"\n");
    let (ok, _, err) = newsbot(p.root(), &["ask", "anything"], "");
    assert!(!ok);
    assert!(
        err.contains("no reader model in") && err.contains("setup.sh"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_broken_model_config_is_reported_not_a_panic() {
    let p = Project::new();
    std::fs::write(
        p.root().join("models/tiny/config.json"),
        "{\"hidden_size\": \"big\"",
    )
    .expect("write");
    let (ok, _, err) = newsbot(p.root(), &["ask", "anything"], "");
    assert!(!ok);
    assert!(
        err.contains("config.json") && err.contains("unusable"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_bad_setting_names_its_key() {
    let p = Project::new();
    p.write_config("[answer]\nthreshold = 7\n");
    let (ok, _, err) = newsbot(p.root(), &["ask", "anything"], "");
    assert!(!ok);
    assert!(err.contains("answer.threshold"), "{err}");
}

#[test]
fn chat_json_answers_each_turn_and_reset_is_not_a_question() {
    let p = Project::new();
    let turns = "How many migrants is the FBI looking for?\nAnd how many entered in total?\n/reset\nWho arrested the smuggler?\n";
    let (ok, out, err) = newsbot(p.root(), &["chat", "--json"], turns);
    assert!(ok, "{err}");
    let v = parse_lines(&out);
    assert_eq!(v.len(), 3);
    assert_eq!(v[1]["question"], "And how many entered in total?");
    assert_eq!(v[2]["question"], "Who arrested the smuggler?");
}

#[test]
fn no_arguments_without_a_token_starts_the_terminal_chat() {
    let p = Project::new();
    let (ok, out, err) = newsbot(p.root(), &[], "Where was the smuggling network based?\n");
    assert!(ok, "{err}");
    assert!(
        err.contains("TELOXIDE_TOKEN"),
        "a one-line hint about Telegram: {err}"
    );
    assert!(!out.trim().is_empty(), "an answer was printed");
}
