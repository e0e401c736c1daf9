//! Accuracy: SQuAD normalisation, exact match and token F1, for the whole pipeline
//! (questions files like `tests/data/eval/dev.jsonl`) and for the reader alone (SQuAD-2).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// SQuAD's normalisation: lower case, no punctuation, no articles, single spaces.
pub fn normalize_answer(s: &str) -> String {
    let lower = s.to_lowercase();
    let no_punct: String = lower
        .chars()
        .filter(|c| !c.is_ascii_punctuation() && !is_unicode_punct(*c))
        .collect();
    no_punct
        .split_whitespace()
        .filter(|w| !matches!(*w, "a" | "an" | "the"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_unicode_punct(c: char) -> bool {
    matches!(c, '“' | '”' | '‘' | '’' | '—' | '–' | '…')
}

pub fn exact_match(prediction: &str, truth: &str) -> bool {
    normalize_answer(prediction) == normalize_answer(truth)
}

pub fn f1(prediction: &str, truth: &str) -> f64 {
    let p = normalize_answer(prediction);
    let t = normalize_answer(truth);
    let p: Vec<&str> = p.split_whitespace().collect();
    let t: Vec<&str> = t.split_whitespace().collect();
    if p.is_empty() || t.is_empty() {
        return f64::from(u8::from(p == t));
    }
    let mut counts: HashMap<&str, i32> = HashMap::new();
    for w in &t {
        *counts.entry(w).or_default() += 1;
    }
    let mut same = 0;
    for w in &p {
        if let Some(c) = counts.get_mut(w) {
            if *c > 0 {
                *c -= 1;
                same += 1;
            }
        }
    }
    if same == 0 {
        return 0.0;
    }
    let precision = same as f64 / p.len() as f64;
    let recall = same as f64 / t.len() as f64;
    2.0 * precision * recall / (precision + recall)
}

/// Best (EM, F1) of a prediction over the accepted answers; `None` = abstained.
/// An empty answer list means the right behaviour is to abstain.
pub fn score(prediction: Option<&str>, answers: &[String]) -> (f64, f64) {
    match (prediction, answers.is_empty()) {
        (None, true) => (1.0, 1.0),
        (None, false) | (Some(_), true) => (0.0, 0.0),
        (Some(p), false) => answers.iter().fold((0.0, 0.0), |(em, f), a| {
            (
                em.max(f64::from(u8::from(exact_match(p, a)))),
                f.max(f1(p, a)),
            )
        }),
    }
}

/// Aggregate metrics in percent, SQuAD-2 style.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Metrics {
    pub total: usize,
    pub exact: f64,
    pub f1: f64,
    pub has_ans_total: usize,
    pub has_ans_f1: f64,
    /// F1 on answerable questions when the model is made to answer (no abstention).
    pub has_ans_forced_f1: f64,
    pub no_ans_total: usize,
    pub no_ans_accuracy: f64,
}

/// Per question: prediction (None = abstained), forced best span, accepted answers.
pub struct Scored<'a> {
    pub prediction: Option<&'a str>,
    pub forced: Option<&'a str>,
    pub answers: &'a [String],
}

pub fn aggregate(items: &[Scored<'_>]) -> Metrics {
    let mut m = Metrics {
        total: items.len(),
        ..Metrics::default()
    };
    for it in items {
        let (em, f) = score(it.prediction, it.answers);
        m.exact += em;
        m.f1 += f;
        if it.answers.is_empty() {
            m.no_ans_total += 1;
            m.no_ans_accuracy += f64::from(u8::from(it.prediction.is_none()));
        } else {
            m.has_ans_total += 1;
            m.has_ans_f1 += f;
            m.has_ans_forced_f1 += score(it.forced, it.answers).1;
        }
    }
    let pct = |x: f64, n: usize| if n == 0 { 0.0 } else { 100.0 * x / n as f64 };
    m.exact = pct(m.exact, m.total);
    m.f1 = pct(m.f1, m.total);
    m.has_ans_f1 = pct(m.has_ans_f1, m.has_ans_total);
    m.has_ans_forced_f1 = pct(m.has_ans_forced_f1, m.has_ans_total);
    m.no_ans_accuracy = pct(m.no_ans_accuracy, m.no_ans_total);
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_follows_squad() {
        assert_eq!(
            normalize_answer("The  Turkey-based, network!"),
            "turkeybased network"
        );
        assert!(exact_match("about 15", "About 15."));
    }

    #[test]
    fn f1_counts_shared_tokens() {
        assert!((f1("approximately 120 migrants", "approximately 120") - 0.8).abs() < 1e-9);
        assert_eq!(f1("Turkey", "Mexico"), 0.0);
    }

    #[test]
    fn abstention_scores_only_on_unanswerable() {
        assert_eq!(score(None, &[]), (1.0, 1.0));
        assert_eq!(score(Some("Paris"), &[]), (0.0, 0.0));
        assert_eq!(score(None, &["15".into()]), (0.0, 0.0));
        assert_eq!(
            score(Some("15"), &["about 15".into(), "15".into()]),
            (1.0, 1.0)
        );
    }
}
