//! Fine-tunes a rust-bert QA network on SQuAD-2 data with tch autograd, on the CPU.
//!
//! Seeded and resumable: batches are a pure function of (seed, epoch), and a checkpoint
//! (weights + step) is written every `checkpoint_every` steps, so an interrupted run
//! continues where it stopped. AdamW moments restart from zero on resume; with linear
//! decay and frequent checkpoints that costs a few noisy steps, not accuracy.

use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};
use tch::nn::OptimizerConfig;
use tch::{Kind, Tensor};

use super::features::Window;
use super::model::{batch_tensors, save_fp16, QaModel};
use super::squad::Example;
use super::ReaderError;

/// `newsbot train-reader` options (also saved with each checkpoint).
#[derive(Debug, Clone, Serialize, Deserialize, clap::Args)]
pub struct TrainOptions {
    /// SQuAD-2 training file (plain or gzipped JSON).
    #[arg(long = "data", default_value = "models/reader-data/train.json.gz")]
    pub train_file: PathBuf,
    /// Model directory to start from (an encoder without a QA head is fine).
    #[arg(long, default_value = "models/base-minilm")]
    pub base: PathBuf,
    /// Where the trained model (and its checkpoints) go.
    #[arg(long, default_value = "models/newsbot-reader")]
    pub out: PathBuf,
    #[arg(long, default_value_t = 1)]
    pub epochs: usize,
    /// Peak learning rate (linear warm-up over 1/16 of the steps, then linear decay).
    #[arg(long, default_value_t = 1.5e-4)]
    pub lr: f64,
    #[arg(long, default_value_t = 16)]
    pub batch_size: usize,
    #[arg(long, default_value_t = 256)]
    pub max_seq_len: usize,
    #[arg(long, default_value_t = 96)]
    pub doc_stride: usize,
    #[arg(long, default_value_t = 13)]
    pub seed: u64,
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// Steps between checkpoints (an interrupted run resumes from the last one).
    #[arg(long, default_value_t = 50)]
    pub checkpoint_every: usize,
    /// Train on at most this many questions (for quick experiments).
    #[arg(long)]
    pub limit: Option<usize>,
    /// Use at most this many programmatically generated questions (ids `gen-…`), a seeded
    /// random sample; hand-written ones are always all used. Bounds training time.
    #[arg(long, default_value = "11000")]
    pub max_generated: Option<usize>,
}

/// What a checkpoint remembers besides the weights.
#[derive(Debug, Serialize, Deserialize)]
struct TrainState {
    options: TrainOptions,
    global_step: usize,
    total_steps: usize,
}

/// One training input with its target positions in `window.input_ids` (0 = no answer).
struct Feature {
    window: Window,
    start: i64,
    end: i64,
}

pub struct TrainReport {
    pub steps: usize,
    pub examples: usize,
    pub features: usize,
    pub seconds: f64,
    pub final_loss: f64,
}

fn checkpoint_paths(out: &Path) -> (PathBuf, PathBuf) {
    let dir = out.join("checkpoints");
    (dir.join("latest.ot"), dir.join("state.json"))
}

pub fn train(opts: &TrainOptions, examples: &[Example]) -> Result<TrainReport, ReaderError> {
    super::model::configure_math_threads(opts.threads);
    tch::manual_seed(opts.seed as i64);
    let mut model = QaModel::load(&opts.base, true)?;
    let examples = select_examples(examples, opts);
    let examples = &examples[..];
    let features = build_features(&model, examples, opts.max_seq_len, opts.doc_stride);
    let per_epoch = features.len().div_ceil(opts.batch_size);
    let total_steps = per_epoch * opts.epochs;
    let (ckpt, state_path) = checkpoint_paths(&opts.out);

    let mut global_step = 0;
    if let Ok(text) = std::fs::read_to_string(&state_path) {
        let state: TrainState = serde_json::from_str(&text)
            .map_err(|e| ReaderError::BadModel(state_path.clone(), e.to_string()))?;
        if state.total_steps == total_steps && state.options.seed == opts.seed {
            model
                .vs
                .load(&ckpt)
                .map_err(|e| ReaderError::BadModel(ckpt.clone(), e.to_string()))?;
            global_step = state.global_step;
            tracing::info!(global_step, total_steps, "resuming from checkpoint");
        } else {
            tracing::warn!("checkpoint is from a different run; starting over");
        }
    }
    std::fs::create_dir_all(ckpt.parent().unwrap_or(&opts.out))
        .map_err(|e| ReaderError::BadModel(opts.out.clone(), e.to_string()))?;

    // The word-embedding table is half the network; updating it densely every step
    // would double the cost of a step for little gain on a small data set.
    for (name, var) in model.vs.variables() {
        if name.ends_with("word_embeddings.weight") {
            let _ = var.set_requires_grad(false);
        }
    }
    let mut opt = tch::nn::adamw(0.9, 0.999, 0.01)
        .build(&model.vs, opts.lr)
        .map_err(|e| ReaderError::Inference(e.to_string()))?;
    let warmup = (total_steps / 16).max(1);
    let bar = ProgressBar::new(total_steps as u64).with_position(global_step as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} steps  {elapsed_precise} eta {eta}  {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let mut loss_ema = f64::NAN;
    for epoch in 0..opts.epochs {
        let batches = epoch_batches(&features, opts.batch_size, opts.seed, epoch);
        for (i, batch) in batches.iter().enumerate() {
            let step = epoch * per_epoch + i;
            if step < global_step {
                continue;
            }
            let lr = if step < warmup {
                opts.lr * (step + 1) as f64 / warmup as f64
            } else {
                opts.lr * (total_steps - step) as f64 / (total_steps - warmup).max(1) as f64
            };
            opt.set_lr(lr);
            let loss = batch_loss(&model, &features, batch)?;
            opt.zero_grad();
            loss.backward();
            clip_grad_norm(&model.vs, 1.0);
            opt.step();
            let l = loss.double_value(&[]);
            loss_ema = if loss_ema.is_nan() {
                l
            } else {
                0.98 * loss_ema + 0.02 * l
            };
            global_step = step + 1;
            bar.set_position(global_step as u64);
            bar.set_message(format!(
                "epoch {} loss {loss_ema:.3} lr {lr:.2e}",
                epoch + 1
            ));
            if global_step % 25 == 0 {
                // The bar is hidden when stderr is not a terminal (background runs).
                tracing::info!(
                    global_step,
                    total_steps,
                    loss = loss_ema,
                    lr,
                    elapsed_s = started.elapsed().as_secs(),
                    "training"
                );
            }
            if global_step % opts.checkpoint_every == 0 || global_step == total_steps {
                save_checkpoint(&model, opts, &ckpt, &state_path, global_step, total_steps)?;
            }
        }
    }
    bar.finish();
    write_model_dir(&model, opts)?;
    Ok(TrainReport {
        steps: total_steps,
        examples: examples.len(),
        features: features.len(),
        seconds: started.elapsed().as_secs_f64(),
        final_loss: loss_ema,
    })
}

/// The training set: every hand-written question, a seeded sample of generated ones,
/// then `limit` (for quick experiments).
fn select_examples(all: &[Example], opts: &TrainOptions) -> Vec<Example> {
    let (generated, written): (Vec<&Example>, Vec<&Example>) =
        all.iter().partition(|e| e.id.starts_with("gen-"));
    let mut generated = generated;
    if let Some(n) = opts.max_generated {
        let mut rng = rand::rngs::StdRng::seed_from_u64(opts.seed);
        generated.shuffle(&mut rng);
        generated.truncate(n);
    }
    let mut out: Vec<Example> = written.into_iter().chain(generated).cloned().collect();
    if let Some(n) = opts.limit {
        out.truncate(n);
    }
    out
}

fn save_checkpoint(
    model: &QaModel,
    opts: &TrainOptions,
    ckpt: &Path,
    state_path: &Path,
    global_step: usize,
    total_steps: usize,
) -> Result<(), ReaderError> {
    let io = |e: std::io::Error| ReaderError::BadModel(ckpt.to_path_buf(), e.to_string());
    let tmp = ckpt.with_extension("ot.tmp");
    model
        .vs
        .save(&tmp)
        .map_err(|e| ReaderError::BadModel(tmp.clone(), e.to_string()))?;
    std::fs::rename(&tmp, ckpt).map_err(io)?;
    let state = TrainState {
        options: opts.clone(),
        global_step,
        total_steps,
    };
    let json =
        serde_json::to_string_pretty(&state).map_err(|e| ReaderError::Inference(e.to_string()))?;
    std::fs::write(state_path, json).map_err(io)
}

/// Writes weights (fp16), config and vocabulary: a directory `QaModel::load` accepts.
fn write_model_dir(model: &QaModel, opts: &TrainOptions) -> Result<(), ReaderError> {
    let io = |e: std::io::Error| ReaderError::BadModel(opts.out.clone(), e.to_string());
    std::fs::create_dir_all(&opts.out).map_err(io)?;
    save_fp16(&model.vs, &opts.out.join("model.ot"))?;
    for f in ["config.json", "vocab.txt", "tokenizer_config.json"] {
        let src = opts.base.join(f);
        if src.is_file() && opts.base != opts.out {
            std::fs::copy(&src, opts.out.join(f)).map_err(io)?;
        }
    }
    Ok(())
}

fn build_features(
    model: &QaModel,
    examples: &[Example],
    max_len: usize,
    stride: usize,
) -> Vec<Feature> {
    let enc = &model.encoder;
    let mut out = Vec::new();
    for ex in examples {
        let q = enc.encode_question(&ex.question);
        let text = enc.encode_text(&ex.context);
        if text.ids.is_empty() {
            continue;
        }
        let answer = ex.answers.first().copied();
        // Token range of the answer: first piece ending after its start, last piece
        // starting before its end.
        let tokens = answer.and_then(|(a0, a1)| {
            let s = text.spans.iter().position(|&(_, e)| e > a0)?;
            let e = text.spans.iter().rposition(|&(s, _)| s < a1)?;
            (s <= e).then_some((s, e))
        });
        for window in enc.windows(&q, &text, max_len, stride) {
            let (start, end) = match tokens {
                Some((s, e)) if s >= window.ctx_first && e < window.ctx_first + window.ctx_len => (
                    (window.ctx_offset + s - window.ctx_first) as i64,
                    (window.ctx_offset + e - window.ctx_first) as i64,
                ),
                _ => (0, 0),
            };
            out.push(Feature { window, start, end });
        }
    }
    out
}

/// Shuffled batches of similar length (less padding), reproducible from seed and epoch.
fn epoch_batches(features: &[Feature], batch: usize, seed: u64, epoch: usize) -> Vec<Vec<usize>> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed.wrapping_add(epoch as u64 * 7919));
    let mut order: Vec<usize> = (0..features.len()).collect();
    order.shuffle(&mut rng);
    let mut batches = Vec::new();
    for pool in order.chunks(batch * 50) {
        let mut pool = pool.to_vec();
        pool.sort_by_key(|&i| features[i].window.input_ids.len());
        batches.extend(pool.chunks(batch).map(|c| c.to_vec()));
    }
    batches.shuffle(&mut rng);
    batches
}

/// Scales gradients to a global norm of at most `max`. Unlike tch's own helper it skips
/// parameters without a gradient (BERT's pooler is not used by the QA head).
fn clip_grad_norm(vs: &tch::nn::VarStore, max: f64) {
    let grads: Vec<Tensor> = vs
        .trainable_variables()
        .iter()
        .map(|v| v.grad())
        .filter(|g| g.defined())
        .collect();
    let total: f64 = grads
        .iter()
        .map(|g| g.norm().double_value(&[]).powi(2))
        .sum::<f64>()
        .sqrt();
    if total > max {
        tch::no_grad(|| {
            for mut g in grads {
                let _ = g.g_mul_scalar_(max / (total + 1e-6));
            }
        });
    }
}

fn batch_loss(
    model: &QaModel,
    features: &[Feature],
    batch: &[usize],
) -> Result<Tensor, ReaderError> {
    let windows: Vec<&Window> = batch.iter().map(|&i| &features[i].window).collect();
    let (ids, mask, types) = batch_tensors(&windows, model.encoder.pad);
    let starts = Tensor::of_slice(&batch.iter().map(|&i| features[i].start).collect::<Vec<_>>());
    let ends = Tensor::of_slice(&batch.iter().map(|&i| features[i].end).collect::<Vec<_>>());
    let (s, e) = model.network.forward(&ids, &mask, &types, true)?;
    // Padding must never win the softmax.
    let pad_penalty = (mask.to_kind(Kind::Float) - 1.0) * 1e4;
    let s = s + &pad_penalty;
    let e = e + &pad_penalty;
    Ok((s.cross_entropy_for_logits(&starts) + e.cross_entropy_for_logits(&ends)) / 2.0)
}
