//! The `newsbot` binary: parses arguments, opens the engine, hands it to a front-end.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use newsbot::answer::{render_plain, Answer};
use newsbot::config::Config;
use newsbot::engine::Engine;
use newsbot::reader::train::{train, TrainOptions};

#[derive(Parser)]
#[command(
    name = "newsbot",
    version,
    about = "Answers questions about news articles, with citations"
)]
struct Cli {
    /// Settings file; folders in it are relative to it.
    #[arg(long, global = true, default_value = "config.toml")]
    config: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Answer one question (or, with --json and no question, one per stdin line).
    Ask {
        #[arg(long)]
        json: bool,
        /// Also list every passage read, with its span, reader margin, BM25 and confidence.
        #[arg(long)]
        explain: bool,
        question: Vec<String>,
    },
    /// A conversation in the terminal; follow-up questions work. --json: turns from stdin.
    Chat {
        #[arg(long)]
        json: bool,
    },
    /// Build or refresh the index from the corpus folder.
    Index,
    /// Clean scraped article text into a corpus Markdown file.
    Import {
        file: PathBuf,
        /// The outlet, only if the article itself says which it is.
        #[arg(long)]
        outlet: Option<String>,
        #[arg(long)]
        url: Option<String>,
        #[arg(long)]
        published: Option<String>,
        /// Output file (default: corpus/<name>.md).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Accuracy: whole pipeline on a questions file, or the reader alone with --squad.
    Eval {
        file: PathBuf,
        #[arg(long)]
        squad: bool,
        /// With --squad: answer when span score beats the null score by more than this.
        #[arg(long, default_value_t = 0.0)]
        null_margin: f32,
        /// Print each question's result.
        #[arg(long)]
        verbose: bool,
    },
    /// Latency, throughput, memory and index build time; writes a Markdown report.
    Bench {
        /// Size of the generated corpus.
        #[arg(long, default_value_t = 10_000)]
        articles: usize,
        /// Questions timed per corpus.
        #[arg(long, default_value_t = 100)]
        questions: usize,
        #[arg(long, default_value = "BENCHMARKS.md")]
        report: PathBuf,
    },
    /// Fine-tune the extractive reader on SQuAD-2 data (seeded, resumable).
    TrainReader(TrainOptions),
    /// Reader models: fetch a public checkpoint where a network exists.
    Model {
        #[command(subcommand)]
        action: ModelAction,
    },
    /// Run the Telegram bot (needs TELOXIDE_TOKEN).
    Bot,
}

#[derive(Subcommand)]
enum ModelAction {
    /// Download config, vocab and safetensors weights of a hub model into models/<name>.
    Fetch {
        /// e.g. distilbert-base-cased-distilled-squad or deepset/minilm-uncased-squad2
        repo: String,
        /// Folder name under models/ (default: the repo name).
        #[arg(long)]
        name: Option<String>,
        /// Hub address (tests point it at a local server).
        #[arg(long, default_value = "https://huggingface.co")]
        hub: String,
        #[arg(long, default_value = "main")]
        revision: String,
    },
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "warn,newsbot=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let config = || Config::load(&cli.config).with_context(|| "loading settings (see config.toml)");
    match cli.command {
        Some(Command::Ask {
            json,
            explain,
            question,
        }) => ask(
            &Engine::open(config()?)?,
            json,
            explain,
            &question.join(" "),
        ),
        Some(Command::Chat { json }) => chat(&Engine::open(config()?)?, json),
        Some(Command::Index) => index(config()?),
        Some(Command::Import {
            file,
            outlet,
            url,
            published,
            out,
        }) => import(&file, outlet, url, published, out),
        Some(Command::Eval {
            file,
            squad,
            null_margin,
            verbose,
        }) => {
            let config = config()?;
            if squad {
                newsbot::bench::eval_squad(&config, &file, null_margin)
            } else {
                newsbot::bench::eval_pipeline(&Engine::open(config)?, &file, verbose)
            }
        }
        Some(Command::Bench {
            articles,
            questions,
            report,
        }) => newsbot::bench::run(&config()?, articles, questions, &report),
        Some(Command::TrainReader(opts)) => {
            let examples =
                newsbot::reader::squad::load(&opts.train_file).context("loading training data")?;
            let r = train(&opts, &examples)?;
            println!(
                "trained {} steps on {} questions ({} windows) in {:.0} s, final loss {:.3}; weights in {}",
                r.steps,
                r.examples,
                r.features,
                r.seconds,
                r.final_loss,
                opts.out.display()
            );
            Ok(())
        }
        Some(Command::Model {
            action:
                ModelAction::Fetch {
                    repo,
                    name,
                    hub,
                    revision,
                },
        }) => {
            let config = config()?;
            let name = name.unwrap_or_else(|| repo.rsplit('/').next().unwrap_or(&repo).to_string());
            let dir = config.models_dir.join(&name);
            let rt = tokio::runtime::Runtime::new()?;
            rt.block_on(newsbot::fetch::fetch_model(&hub, &repo, &revision, &dir))?;
            println!(
                "fetched {repo} into {}; set reader.model = \"{name}\" in config.toml to use it",
                dir.display()
            );
            Ok(())
        }
        Some(Command::Bot) => run_bot(config()?),
        None => {
            if std::env::var("TELOXIDE_TOKEN").is_ok_and(|t| !t.trim().is_empty()) {
                run_bot(config()?)
            } else {
                eprintln!(
                    "No TELOXIDE_TOKEN set, so this is a terminal chat over the bundled corpus. \
                     To run the Telegram bot, see README.md (\"Telegram\")."
                );
                chat(&Engine::open(config()?)?, false)
            }
        }
    }
}

fn run_bot(config: Config) -> anyhow::Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(newsbot::telegram::run_from_env(config))
}

fn print_json(out: &mut impl Write, answer: &Answer) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, answer)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

fn ask(engine: &Engine, json: bool, explain: bool, question: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if !question.trim().is_empty() {
        let (answer, evidence) = if explain {
            engine.explain(question)?
        } else {
            (engine.ask(question, None)?, Vec::new())
        };
        if json {
            print_json(&mut out, &answer)?;
        } else {
            writeln!(out, "{}", render_plain(&answer))?;
        }
        if explain {
            writeln!(out, "\nconfidence  margin   bm25  coverage  passage  span")?;
            for e in evidence {
                writeln!(
                    out,
                    "{:>10.3} {:>7.2} {:>6.2} {:>9.2}  {}#{}  {}",
                    e.confidence, e.margin, e.bm25, e.coverage, e.article_id, e.position, e.span
                )?;
            }
        }
        return Ok(());
    }
    if !json {
        bail!(
            "no question given: newsbot ask \"How many ...?\" (or --json with questions on stdin)"
        );
    }
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        print_json(&mut out, &engine.ask(&line, None)?)?;
    }
    Ok(())
}

fn chat(engine: &Engine, json: bool) -> anyhow::Result<()> {
    let mut conversation = engine.new_conversation();
    let mut out = std::io::stdout().lock();
    let interactive = !json && std::io::IsTerminal::is_terminal(&std::io::stdin());
    if interactive {
        writeln!(out, "Ask about the news articles ({} passages indexed). /reset forgets the conversation; Ctrl-D quits.", engine.num_passages())?;
        write!(out, "> ")?;
        out.flush()?;
    }
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let q = line.trim();
        if q.is_empty() {
        } else if q == "/reset" {
            conversation.clear();
            if !json {
                writeln!(out, "(conversation forgotten)")?;
            }
        } else {
            match engine.ask(q, Some(&mut conversation)) {
                Ok(a) if json => print_json(&mut out, &a)?,
                Ok(a) => writeln!(out, "{}\n", render_plain(&a))?,
                Err(e) => writeln!(out, "error: {e}")?,
            }
        }
        if interactive {
            write!(out, "> ")?;
            out.flush()?;
        }
    }
    Ok(())
}

fn index(config: Config) -> anyhow::Result<()> {
    let index = newsbot::index::NewsIndex::open(&config.data_dir)?;
    let corpus = newsbot::corpus::Corpus::load_dir(&config.corpus_dir)?;
    let bar = indicatif::ProgressBar::new(corpus.articles.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("indexing {bar:40} {pos}/{len} articles {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let s = index.update(&corpus, &mut |done, _| bar.set_position(done as u64))?;
    bar.finish_and_clear();
    println!(
        "{} articles: {} added, {} changed, {} removed, {} unchanged; {} passages written in {:.2} s",
        corpus.articles.len(),
        s.added.len(),
        s.changed.len(),
        s.removed.len(),
        s.unchanged,
        s.passages_written,
        s.seconds
    );
    for r in &s.rejected {
        println!("rejected {r}");
    }
    for d in &s.duplicates {
        println!(
            "duplicate {} (same text as {})",
            d.path.display(),
            d.same_as
        );
    }
    Ok(())
}

fn import(
    file: &Path,
    outlet: Option<String>,
    url: Option<String>,
    published: Option<String>,
    out: Option<PathBuf>,
) -> anyhow::Result<()> {
    let raw =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let page = newsbot::corpus::clean::clean_scraped(&raw);
    if page.title.is_empty() || page.body.is_empty() {
        bail!("{}: no title and body found", file.display());
    }
    let meta = newsbot::corpus::ArticleMeta {
        title: page.title,
        outlet,
        url,
        published,
        authors: Vec::new(),
    };
    let out = out.unwrap_or_else(|| {
        PathBuf::from("corpus").join(format!("{}.md", newsbot::corpus::file_id(file)))
    });
    std::fs::write(&out, newsbot::corpus::render_markdown(&meta, &page.body))
        .with_context(|| format!("writing {}", out.display()))?;
    println!(
        "wrote {}; removed {} boilerplate lines:",
        out.display(),
        page.removed.len()
    );
    for r in page.removed {
        println!("  - {r}");
    }
    Ok(())
}
