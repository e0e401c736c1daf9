//! `newsbot eval` and `newsbot bench`: accuracy and speed, measured on this machine and
//! written down as tables.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use rand::{Rng, SeedableRng};
use serde::Deserialize;

use crate::config::Config;
use crate::engine::Engine;
use crate::eval::{aggregate, Metrics, Scored};
use crate::reader::{BertReader, QaModel, Reader};

/// One line of a questions file: a single question, or a dialogue of turns.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum EvalItem {
    Dialogue {
        id: String,
        turns: Vec<EvalTurn>,
    },
    Question {
        id: String,
        question: String,
        answers: Vec<String>,
    },
}

#[derive(Debug, Deserialize)]
pub struct EvalTurn {
    pub question: String,
    pub answers: Vec<String>,
}

pub fn load_eval_file(path: &Path) -> anyhow::Result<Vec<EvalItem>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l).with_context(|| format!("{}:{}", path.display(), n + 1))
        })
        .collect()
}

/// One question of a questions file, asked through the whole pipeline.
pub struct EvalRow {
    /// "id: question", or "id#turn: question" in a dialogue.
    pub label: String,
    pub prediction: Option<String>,
    pub answers: Vec<String>,
}

/// Asks every question of a questions file; dialogues are asked turn by turn in one
/// conversation.
pub fn eval_rows(engine: &Engine, path: &Path) -> anyhow::Result<Vec<EvalRow>> {
    let mut rows = Vec::new();
    for item in load_eval_file(path)? {
        match item {
            EvalItem::Question {
                id,
                question,
                answers,
            } => {
                let a = engine.ask(&question, None)?;
                rows.push(EvalRow {
                    label: format!("{id}: {question}"),
                    prediction: a.answer,
                    answers,
                });
            }
            EvalItem::Dialogue { id, turns } => {
                let mut conv = engine.new_conversation();
                for (k, t) in turns.into_iter().enumerate() {
                    let a = engine.ask(&t.question, Some(&mut conv))?;
                    rows.push(EvalRow {
                        label: format!("{id}#{}: {}", k + 1, t.question),
                        prediction: a.answer,
                        answers: t.answers,
                    });
                }
            }
        }
    }
    Ok(rows)
}

/// SQuAD metrics over pipeline answers.
pub fn pipeline_metrics(rows: &[EvalRow]) -> Metrics {
    let scored: Vec<Scored> = rows
        .iter()
        .map(|r| Scored {
            prediction: r.prediction.as_deref(),
            forced: r.prediction.as_deref(),
            answers: &r.answers,
        })
        .collect();
    aggregate(&scored)
}

/// `newsbot eval FILE`: the whole pipeline on a questions file.
pub fn eval_pipeline(engine: &Engine, path: &Path, verbose: bool) -> anyhow::Result<()> {
    let rows = eval_rows(engine, path)?;
    if verbose {
        for r in &rows {
            let (_, f1) = crate::eval::score(r.prediction.as_deref(), &r.answers);
            println!(
                "{f1:.2}  {}  ->  {}  (expected {:?})",
                r.label,
                r.prediction.as_deref().unwrap_or("(no answer)"),
                r.answers
            );
        }
    }
    print_metrics(&pipeline_metrics(&rows));
    Ok(())
}

fn print_metrics(m: &Metrics) {
    println!("| metric | value |\n|---|---|");
    println!("| questions | {} |", m.total);
    println!("| exact match | {:.1} |", m.exact);
    println!("| F1 | {:.1} |", m.f1);
    println!(
        "| answerable F1 ({}) | {:.1} |",
        m.has_ans_total, m.has_ans_f1
    );
    println!(
        "| abstention accuracy on unanswerable ({}) | {:.1}% |",
        m.no_ans_total, m.no_ans_accuracy
    );
}

/// The reader on a SQuAD-2 file (each question against its own context). Reports the
/// official metrics for the bare reader (answer when span score > null score + margin)
/// and for the answer logic the bot uses (confidence vs `answer.threshold`), with the
/// threshold that would have maximised F1 — this is how the shipped threshold is chosen.
pub fn eval_squad(config: &Config, path: &Path, null_margin: f32) -> anyhow::Result<()> {
    crate::reader::model::configure_math_threads(config.reader.threads);
    let examples = crate::reader::squad::load(path)?;
    let model = QaModel::load(&config.model_dir(), false)?;
    let mut reader = BertReader::new(model, config.read_limits());
    let retriever = crate::retrieve::Retriever::new();
    let started = Instant::now();
    let bar = indicatif::ProgressBar::new(examples.len() as u64);
    let mut cases = Vec::with_capacity(examples.len());
    for ex in &examples {
        let context = ex.context.to_string();
        let reading = reader
            .read(&ex.question, std::slice::from_ref(&context))?
            .pop()
            .flatten();
        let passage = crate::index::Passage {
            article_id: crate::corpus::ArticleId(ex.id.clone()),
            position: 0,
            text: context,
            meta: Default::default(),
        };
        let hit = retriever.hit(&ex.question, passage, 0.0);
        cases.push((hit, reading));
        bar.inc(1);
    }
    bar.finish_and_clear();
    let answers: Vec<Vec<String>> = examples
        .iter()
        .map(|e| e.answer_texts().into_iter().map(str::to_string).collect())
        .collect();
    let span = |(hit, r): &(crate::retrieve::Hit, Option<crate::reader::Reading>)| {
        r.as_ref()
            .map(|r| hit.passage.text[r.span.0..r.span.1].to_string())
    };
    let spans: Vec<Option<String>> = cases.iter().map(span).collect();
    // Both ways of deciding when to answer are scored against the same forced spans.
    let score = |predictions: &[Option<&str>]| {
        let items: Vec<Scored> = predictions
            .iter()
            .zip(&spans)
            .zip(&answers)
            .map(|((p, s), a)| Scored {
                prediction: *p,
                forced: s.as_deref(),
                answers: a,
            })
            .collect();
        aggregate(&items)
    };
    let reader_only = |margin: f32| {
        let predictions: Vec<Option<&str>> = cases
            .iter()
            .zip(&spans)
            .map(|((_, r), s)| {
                s.as_deref()
                    .filter(|_| r.as_ref().is_some_and(|r| r.margin() > margin))
            })
            .collect();
        score(&predictions)
    };
    let pipeline = |threshold: f32| {
        let predictions: Vec<Option<String>> = examples
            .iter()
            .zip(&cases)
            .map(|(ex, (hit, r))| {
                crate::answer::compose(
                    &ex.question,
                    std::slice::from_ref(hit),
                    std::slice::from_ref(r),
                    threshold,
                )
                .answer
            })
            .collect();
        score(&predictions.iter().map(Option::as_deref).collect::<Vec<_>>())
    };
    println!(
        "reader `{}` on {} ({} questions, {:.0} s)\n",
        config.reader.model,
        path.display(),
        examples.len(),
        started.elapsed().as_secs_f64()
    );
    let threshold = config.answer.threshold;
    let (bare, bot) = (reader_only(null_margin), pipeline(threshold));
    println!("| metric | reader alone (null margin {null_margin}) | with the bot's confidence (threshold {threshold}) |");
    println!("|---|---|---|");
    println!("| exact match | {:.1} | {:.1} |", bare.exact, bot.exact);
    println!("| F1 | {:.1} | {:.1} |", bare.f1, bot.f1);
    println!(
        "| answerable F1 ({}) | {:.1} | {:.1} |",
        bare.has_ans_total, bare.has_ans_f1, bot.has_ans_f1
    );
    println!(
        "| answerable F1, forced to answer | {:.1} | {:.1} |",
        bare.has_ans_forced_f1, bot.has_ans_forced_f1
    );
    println!(
        "| no-answer accuracy ({}) | {:.1}% | {:.1}% |",
        bare.no_ans_total, bare.no_ans_accuracy, bot.no_ans_accuracy
    );
    let best = (1..20)
        .map(|t| t as f32 * 0.05)
        .map(|t| (t, pipeline(t).f1))
        .fold((threshold, bot.f1), |b, x| if x.1 > b.1 { x } else { b });
    println!(
        "\nbest answer.threshold on this file: {:.2} (F1 {:.1})",
        best.0, best.1
    );
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn rss_mb(key: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

struct Latencies {
    retrieval: Vec<Duration>,
    reading: Vec<Duration>,
    whole: Vec<Duration>,
    throughput_qps: f64,
}

fn measure(engine: &Engine, questions: &[String]) -> anyhow::Result<Latencies> {
    let mut l = Latencies {
        retrieval: Vec::new(),
        reading: Vec::new(),
        whole: Vec::new(),
        throughput_qps: 0.0,
    };
    for q in questions {
        let t = Instant::now();
        let hits = engine.retrieve(q)?;
        l.retrieval.push(t.elapsed());
        let texts: Vec<String> = hits.into_iter().map(|h| h.passage.text).collect();
        let t = Instant::now();
        engine.read(q, texts)?;
        l.reading.push(t.elapsed());
        let t = Instant::now();
        engine.ask(q, None)?;
        l.whole.push(t.elapsed());
    }
    l.retrieval.sort();
    l.reading.sort();
    l.whole.sort();
    // Eight askers at once, each with its own slice of the questions.
    let next = AtomicUsize::new(0);
    let total = questions.len().max(8);
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                // A full queue is part of what is measured: retry like a user would.
                while let Err(e) = engine.ask(&questions[i % questions.len()], None) {
                    if !e.is_busy() {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
            });
        }
    });
    l.throughput_qps = total as f64 / started.elapsed().as_secs_f64();
    Ok(l)
}

/// A generated corpus of `n` news-like articles with a known fact each, and questions.
pub fn synthetic_corpus(dir: &Path, n: usize, seed: u64) -> anyhow::Result<Vec<String>> {
    const AGENCIES: &[&str] = &[
        "the coast guard",
        "the fire department",
        "state police",
        "the health ministry",
        "the port authority",
        "city officials",
    ];
    const PEOPLE: &[&str] = &[
        "workers",
        "passengers",
        "residents",
        "students",
        "patients",
        "fans",
    ];
    const VERBS: &[&str] = &[
        "evacuated",
        "rescued",
        "interviewed",
        "vaccinated",
        "relocated",
        "counted",
    ];
    const CITIES: &[&str] = &[
        "Lisbon", "Osaka", "Denver", "Nairobi", "Gdansk", "Recife", "Perth", "Tromso", "Cork",
        "Tucson",
    ];
    const FILLER: &[&str] = &[
        "Officials said the situation was being monitored closely and that more details would follow.",
        "Local businesses reported delays, and several roads remained closed into the evening.",
        "A spokesperson declined to comment on the cost of the operation, citing an ongoing review.",
        "Residents described a tense night, with sirens heard across several neighbourhoods.",
        "The council is expected to publish a full report before the end of the month.",
    ];
    std::fs::create_dir_all(dir)?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut questions = Vec::new();
    for i in 0..n {
        let agency = AGENCIES[rng.gen_range(0..AGENCIES.len())];
        let people = PEOPLE[rng.gen_range(0..PEOPLE.len())];
        let verb = VERBS[rng.gen_range(0..VERBS.len())];
        let city = format!("{} {}", CITIES[rng.gen_range(0..CITIES.len())], i);
        let count = rng.gen_range(3..5000);
        let mut paragraphs = vec![format!(
            "About {count} {people} were {verb} in {city} on Tuesday, {agency} said in a statement."
        )];
        for _ in 0..rng.gen_range(4..8) {
            paragraphs.push(FILLER[rng.gen_range(0..FILLER.len())].to_string());
        }
        let body = paragraphs.join("\n\n");
        let md = crate::corpus::render_markdown(
            &crate::corpus::ArticleMeta {
                title: format!("{people} {verb} in {city}"),
                outlet: Some("Bench Wire".into()),
                ..Default::default()
            },
            &body,
        );
        std::fs::write(dir.join(format!("bench-{i:05}.md")), md)?;
        if questions.len() < 1000 {
            questions.push(format!("How many {people} were {verb} in {city}?"));
        }
    }
    Ok(questions)
}

/// Runs the benchmark on the seed corpus and on a generated one; writes `report`.
pub fn run(
    config: &Config,
    articles: usize,
    n_questions: usize,
    report: &Path,
) -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let mut out = String::new();
    writeln!(out, "# Benchmarks\n")?;
    writeln!(
        out,
        "Measured by `newsbot bench --articles {articles} --questions {n_questions}` on {} ({} cores, {}), reader model `{}`, \
         `reader.threads = {}`, release build.\n",
        cpu_name(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        mem_total(),
        config.reader.model,
        config.reader.threads
    )?;

    // Seed corpus: cold start (index build) and warm start (index on disk).
    let seed_cfg = Config {
        data_dir: work.path().join("seed-data"),
        ..config.clone()
    };
    let t = Instant::now();
    drop(Engine::open(seed_cfg.clone())?);
    let cold_open = t.elapsed();
    let t = Instant::now();
    let engine = Engine::open(seed_cfg)?;
    let seed_questions: Vec<String> = SEED_QUESTIONS
        .iter()
        .map(|s| s.to_string())
        .cycle()
        .take(n_questions)
        .collect();
    engine.ask(&seed_questions[0], None)?;
    let warm_first_answer = t.elapsed();
    let seed = measure(&engine, &seed_questions)?;
    drop(engine);
    let rss_after_seed = rss_mb("VmHWM:");

    // Generated corpus.
    let corpus_dir = work.path().join("corpus");
    let questions = synthetic_corpus(&corpus_dir, articles, 7)?;
    let big_cfg = Config {
        corpus_dir: corpus_dir.clone(),
        data_dir: work.path().join("big-data"),
        ..config.clone()
    };
    let index = crate::index::NewsIndex::open(&big_cfg.data_dir)?;
    let t = Instant::now();
    let corpus = crate::corpus::Corpus::load_dir(&corpus_dir)?;
    let load_time = t.elapsed();
    let summary = index.update(&corpus, &mut |_, _| {})?;
    let build_time = t.elapsed();
    drop(index);
    let engine = Engine::open(big_cfg)?;
    let big_questions: Vec<String> = questions.into_iter().cycle().take(n_questions).collect();
    let big = measure(&engine, &big_questions)?;
    let peak = rss_mb("VmHWM:");

    writeln!(
        out,
        "| measure | target | seed corpus (2 articles) | generated ({articles} articles) |"
    )?;
    writeln!(out, "|---|---|---|---|")?;
    let row = |out: &mut String, name: &str, target: &str, a: f64, b: f64| {
        let _ = writeln!(out, "| {name} | {target} | {a:.1} | {b:.1} |");
    };
    row(
        &mut out,
        "retrieval p50 (ms)",
        "≤ 5 at 10k",
        percentile(&seed.retrieval, 0.5),
        percentile(&big.retrieval, 0.5),
    );
    row(
        &mut out,
        "retrieval p95 (ms)",
        "",
        percentile(&seed.retrieval, 0.95),
        percentile(&big.retrieval, 0.95),
    );
    row(
        &mut out,
        "reading p50 (ms)",
        "",
        percentile(&seed.reading, 0.5),
        percentile(&big.reading, 0.5),
    );
    row(
        &mut out,
        "reading p95 (ms)",
        "",
        percentile(&seed.reading, 0.95),
        percentile(&big.reading, 0.95),
    );
    row(
        &mut out,
        "whole answer p50 (ms)",
        "≤ 150",
        percentile(&seed.whole, 0.5),
        percentile(&big.whole, 0.5),
    );
    row(
        &mut out,
        "whole answer p95 (ms)",
        "≤ 300",
        percentile(&seed.whole, 0.95),
        percentile(&big.whole, 0.95),
    );
    row(
        &mut out,
        "throughput, 8 concurrent askers (answers/s)",
        "",
        seed.throughput_qps,
        big.throughput_qps,
    );
    writeln!(out)?;
    writeln!(
        out,
        "| one-off measure | target | measured |\n|---|---|---|"
    )?;
    writeln!(out, "| index build, {articles} articles (load + index, s) | ≤ 30 | {:.1} (loading files {:.1}, {} passages) |", build_time.as_secs_f64(), load_time.as_secs_f64(), summary.passages_written)?;
    writeln!(
        out,
        "| start-up to first answer, index on disk (s) | ≤ 3 | {:.2} |",
        warm_first_answer.as_secs_f64()
    )?;
    writeln!(
        out,
        "| opening the engine with an index build, seed corpus, no answer (s) | | {:.2} |",
        cold_open.as_secs_f64()
    )?;
    writeln!(
        out,
        "| peak RSS after the seed corpus (MB) | ≤ 600 | {rss_after_seed:.0} |"
    )?;
    writeln!(
        out,
        "| peak RSS, whole benchmark (MB) | ≤ 600 | {peak:.0} |"
    )?;
    writeln!(out, "\n{} questions per corpus; latencies are from single questions asked one after another, throughput from 8 threads sharing one engine.", n_questions)?;
    std::fs::write(report, &out)?;
    print!("{out}");
    Ok(())
}

/// Questions for timing on the seed corpus (answerable and not).
const SEED_QUESTIONS: &[&str] = &[
    "How many migrants is the FBI looking for?",
    "Where was the smuggling network based?",
    "Who is the spokesperson for the National Security Council?",
    "Which agency screened the migrants?",
    "What is the capital of France?",
    "Who arrested the smuggler?",
];

fn cpu_name() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "an unknown CPU".into())
}

fn mem_total() -> String {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or_else(
            || "unknown memory".into(),
            |kb| format!("{:.0} GiB RAM", kb / 1024.0 / 1024.0),
        )
}
