//! A model directory on disk -> a rust-bert QA network in a tch `VarStore`.
//!
//! Layout of `models/<name>/`: `config.json`, `vocab.txt`, and weights as `model.ot`
//! (tch format, fp16 or fp32) or `model.safetensors` (as published on model hubs).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rust_bert::bert::{BertConfig, BertForQuestionAnswering};
use rust_bert::distilbert::{DistilBertConfig, DistilBertForQuestionAnswering};
use rust_tokenizers::tokenizer::BertTokenizer;
use tch::{nn, Device, Kind, Tensor};

use super::features::TextEncoder;
use super::ReaderError;

/// The two QA architectures rust-bert 0.20 offers for BERT-style vocabularies.
pub enum QaNetwork {
    Bert(BertForQuestionAnswering),
    DistilBert(DistilBertForQuestionAnswering),
}

impl QaNetwork {
    /// Start and end logits, each `[batch, seq]`.
    pub fn forward(
        &self,
        ids: &Tensor,
        mask: &Tensor,
        type_ids: &Tensor,
        train: bool,
    ) -> Result<(Tensor, Tensor), ReaderError> {
        match self {
            QaNetwork::Bert(m) => {
                let out = m.forward_t(Some(ids), Some(mask), Some(type_ids), None, None, train);
                Ok((out.start_logits, out.end_logits))
            }
            QaNetwork::DistilBert(m) => {
                let out = m
                    .forward_t(Some(ids), Some(mask), None, train)
                    .map_err(|e| ReaderError::Inference(e.to_string()))?;
                Ok((out.start_logits, out.end_logits))
            }
        }
    }
}

/// Start and end logits of one window.
pub type Logits = (Vec<f32>, Vec<f32>);

/// A loaded model directory.
pub struct QaModel {
    pub name: String,
    pub dir: PathBuf,
    pub network: QaNetwork,
    pub encoder: TextEncoder,
    pub vs: nn::VarStore,
    /// Longest input the position embeddings allow.
    pub max_positions: usize,
}

/// How a model's config.json describes it; only the keys we need to choose and check.
#[derive(serde::Deserialize)]
struct ConfigHead {
    model_type: Option<String>,
    max_position_embeddings: Option<usize>,
}

fn missing_model(dir: &Path, what: &str) -> ReaderError {
    ReaderError::ModelMissing {
        dir: dir.to_path_buf(),
        what: what.to_string(),
    }
}

impl QaModel {
    /// Loads `dir`. `allow_fresh_head` lets training start from an encoder without a QA head.
    pub fn load(dir: &Path, allow_fresh_head: bool) -> Result<QaModel, ReaderError> {
        let config_path = dir.join("config.json");
        let vocab_path = dir.join("vocab.txt");
        if !dir.is_dir() {
            return Err(missing_model(dir, "the directory does not exist"));
        }
        let config_text = std::fs::read_to_string(&config_path)
            .map_err(|e| missing_model(dir, &format!("config.json: {e}")))?;
        // rust-bert panics on a bad config; parse it ourselves first to report errors.
        let mut config_json: serde_json::Value = serde_json::from_str(&config_text)
            .map_err(|e| ReaderError::BadModel(config_path.clone(), e.to_string()))?;
        let head: ConfigHead = serde_json::from_value(config_json.clone())
            .map_err(|e| ReaderError::BadModel(config_path.clone(), e.to_string()))?;
        if !vocab_path.is_file() {
            return Err(missing_model(dir, "vocab.txt is missing"));
        }
        let lower_case = read_lower_case(dir);
        let vocab_str = vocab_path.to_string_lossy();
        let tokenizer = BertTokenizer::from_file(&vocab_str, lower_case, lower_case)
            .map_err(|e| ReaderError::BadModel(vocab_path.clone(), e.to_string()))?;

        let mut vs = nn::VarStore::new(Device::Cpu);
        let model_type = head.model_type.unwrap_or_else(|| "bert".to_string());
        let network = match model_type.as_str() {
            "bert" => {
                let config: BertConfig = serde_json::from_value(config_json)
                    .map_err(|e| ReaderError::BadModel(config_path.clone(), e.to_string()))?;
                QaNetwork::Bert(BertForQuestionAnswering::new(vs.root(), &config))
            }
            "distilbert" => {
                // rust-bert 0.20 requires a key that current hub configs no longer carry.
                if let Some(obj) = config_json.as_object_mut() {
                    obj.entry("tie_weights_")
                        .or_insert(serde_json::Value::Bool(true));
                }
                let config: DistilBertConfig = serde_json::from_value(config_json)
                    .map_err(|e| ReaderError::BadModel(config_path.clone(), e.to_string()))?;
                QaNetwork::DistilBert(DistilBertForQuestionAnswering::new(vs.root(), &config))
            }
            other => {
                return Err(ReaderError::BadModel(
                    config_path,
                    format!("model_type `{other}` is not supported (bert or distilbert)"),
                ))
            }
        };
        load_weights(&mut vs, dir, allow_fresh_head)?;
        Ok(QaModel {
            name: dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            dir: dir.to_path_buf(),
            network,
            encoder: TextEncoder::new(tokenizer),
            vs,
            max_positions: head.max_position_embeddings.unwrap_or(512),
        })
    }

    /// Runs a batch of windows; returns per-window (start, end) logits.
    pub fn logits(&self, windows: &[&super::features::Window]) -> Result<Vec<Logits>, ReaderError> {
        if windows.is_empty() {
            return Ok(Vec::new());
        }
        let (ids, mask, types) = batch_tensors(windows, self.encoder.pad);
        let (start, end) = tch::no_grad(|| self.network.forward(&ids, &mask, &types, false))?;
        let mut out = Vec::with_capacity(windows.len());
        for (i, w) in windows.iter().enumerate() {
            let n = w.input_ids.len() as i64;
            let s = tensor_row(&start, i as i64, n)?;
            let e = tensor_row(&end, i as i64, n)?;
            out.push((s, e));
        }
        Ok(out)
    }
}

fn tensor_row(t: &Tensor, row: i64, len: i64) -> Result<Vec<f32>, ReaderError> {
    let row = t.get(row).narrow(0, 0, len).to_kind(Kind::Float);
    Ok(Vec::<f32>::from(&row))
}

/// Pads windows to one `[batch, seq]` tensor triple (ids, attention mask, token types).
pub fn batch_tensors(windows: &[&super::features::Window], pad: i64) -> (Tensor, Tensor, Tensor) {
    let max = windows.iter().map(|w| w.input_ids.len()).max().unwrap_or(1);
    let mut ids = Vec::with_capacity(windows.len() * max);
    let mut mask = Vec::with_capacity(windows.len() * max);
    let mut types = Vec::with_capacity(windows.len() * max);
    for w in windows {
        let n = w.input_ids.len();
        ids.extend_from_slice(&w.input_ids);
        ids.extend(std::iter::repeat_n(pad, max - n));
        mask.extend(std::iter::repeat_n(1i64, n));
        mask.extend(std::iter::repeat_n(0i64, max - n));
        types.extend_from_slice(&w.type_ids);
        types.extend(std::iter::repeat_n(0i64, max - n));
    }
    let shape = [windows.len() as i64, max as i64];
    (
        Tensor::of_slice(&ids).view(shape),
        Tensor::of_slice(&mask).view(shape),
        Tensor::of_slice(&types).view(shape),
    )
}

/// Uncased unless the tokenizer config says otherwise (hub "cased" models do).
fn read_lower_case(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("tokenizer_config.json")) else {
        return true;
    };
    serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("do_lower_case").and_then(|b| b.as_bool()))
        .unwrap_or(true)
}

/// Fills the VarStore from `model.ot` or `model.safetensors`.
fn load_weights(
    vs: &mut nn::VarStore,
    dir: &Path,
    allow_fresh_head: bool,
) -> Result<(), ReaderError> {
    let ot = dir.join("model.ot");
    let st = dir.join("model.safetensors");
    if ot.is_file() {
        // VarStore::load copies with dtype conversion, so fp16 files load into fp32 vars.
        let named = Tensor::load_multi(&ot)
            .map_err(|e| ReaderError::BadModel(ot.clone(), e.to_string()))?;
        copy_named(vs, named.into_iter().collect(), &ot, allow_fresh_head)
    } else if st.is_file() {
        let named = read_safetensors(&st)?;
        copy_named(vs, named, &st, allow_fresh_head)
    } else {
        Err(missing_model(dir, "no model.ot or model.safetensors"))
    }
}

/// Reads every tensor of a safetensors file (tch 0.10 cannot).
pub fn read_safetensors(path: &Path) -> Result<HashMap<String, Tensor>, ReaderError> {
    use safetensors::{Dtype, SafeTensors};
    let bytes = std::fs::read(path)
        .map_err(|e| ReaderError::BadModel(path.to_path_buf(), e.to_string()))?;
    let st = SafeTensors::deserialize(&bytes)
        .map_err(|e| ReaderError::BadModel(path.to_path_buf(), e.to_string()))?;
    let mut out = HashMap::new();
    for (name, view) in st.tensors() {
        let kind = match view.dtype() {
            Dtype::F32 => Kind::Float,
            Dtype::F16 => Kind::Half,
            Dtype::BF16 => Kind::BFloat16,
            Dtype::I64 => Kind::Int64,
            other => {
                return Err(ReaderError::BadModel(
                    path.to_path_buf(),
                    format!("tensor {name} has unsupported dtype {other:?}"),
                ))
            }
        };
        let shape: Vec<i64> = view.shape().iter().map(|&d| d as i64).collect();
        let t = Tensor::of_data_size(view.data(), &shape, kind);
        out.insert(name, t);
    }
    Ok(out)
}

/// Copies tensors into the VarStore by name. Hub checkpoints of a bare encoder lack the
/// `bert.` prefix; both spellings are accepted.
fn copy_named(
    vs: &mut nn::VarStore,
    named: HashMap<String, Tensor>,
    path: &Path,
    allow_fresh_head: bool,
) -> Result<(), ReaderError> {
    let vars = vs.variables();
    tch::no_grad(|| {
        for (name, mut var) in vars {
            let found = named
                .get(&name)
                .or_else(|| name.split_once('.').and_then(|(_, rest)| named.get(rest)));
            match found {
                Some(src) => {
                    if src.size() != var.size() {
                        return Err(ReaderError::BadModel(
                            path.to_path_buf(),
                            format!(
                                "tensor {name} has shape {:?}, expected {:?}",
                                src.size(),
                                var.size()
                            ),
                        ));
                    }
                    var.copy_(src);
                }
                None if allow_fresh_head && name.starts_with("qa_outputs") => {
                    tracing::info!(tensor = %name, "no QA head in the checkpoint: starting it fresh");
                }
                None if name.ends_with("position_ids") => {}
                None => {
                    return Err(ReaderError::BadModel(
                        path.to_path_buf(),
                        format!("the weights lack tensor {name}"),
                    ))
                }
            }
        }
        Ok(())
    })
}

/// Saves the weights compactly (fp16) as `model.ot`, the format `load` reads fastest.
pub fn save_fp16(vs: &nn::VarStore, path: &Path) -> Result<(), ReaderError> {
    let named: Vec<(String, Tensor)> = vs
        .variables()
        .into_iter()
        .map(|(n, t)| (n, t.to_kind(Kind::Half)))
        .collect();
    Tensor::save_multi(&named, path)
        .map_err(|e| ReaderError::BadModel(path.to_path_buf(), e.to_string()))
}

/// Writes a BERT QA model with random weights: for tests (tiny shapes) and for
/// benchmarking before a trained model exists (the real shape). `vocab` must start
/// with the special tokens.
pub fn write_random_model(
    dir: &Path,
    vocab: &[String],
    hidden: i64,
    layers: i64,
    heads: i64,
    seed: i64,
) -> Result<(), ReaderError> {
    let io = |e: std::io::Error| ReaderError::BadModel(dir.to_path_buf(), e.to_string());
    std::fs::create_dir_all(dir).map_err(io)?;
    let config = serde_json::json!({
        "model_type": "bert",
        "hidden_act": "gelu",
        "attention_probs_dropout_prob": 0.1,
        "hidden_dropout_prob": 0.1,
        "hidden_size": hidden,
        "initializer_range": 0.02,
        "intermediate_size": hidden * 4,
        "max_position_embeddings": 512,
        "num_attention_heads": heads,
        "num_hidden_layers": layers,
        "type_vocab_size": 2,
        "vocab_size": vocab.len(),
    });
    std::fs::write(dir.join("config.json"), config.to_string()).map_err(io)?;
    std::fs::write(dir.join("vocab.txt"), vocab.join("\n") + "\n").map_err(io)?;
    tch::manual_seed(seed);
    let vs = nn::VarStore::new(Device::Cpu);
    let bert: BertConfig = serde_json::from_value(config)
        .map_err(|e| ReaderError::BadModel(dir.to_path_buf(), e.to_string()))?;
    let _net = BertForQuestionAnswering::new(vs.root(), &bert);
    vs.save(dir.join("model.ot"))
        .map_err(|e| ReaderError::BadModel(dir.to_path_buf(), e.to_string()))
}

/// `threads` libtorch threads on the calling thread, and one OpenBLAS thread: libtorch
/// already parallelises around BLAS calls, and OpenBLAS's own threads on top of that
/// fight over the cores (measured here: 200 ms for a 160-token window with both at two
/// threads, 142 ms with OpenBLAS at one). OpenBLAS is reached through `dlsym`, so another
/// BLAS simply skips that step.
pub fn configure_math_threads(threads: usize) {
    tch::set_num_threads(threads.max(1) as i32);
    // SAFETY: looking up a symbol by a NUL-terminated name; if found it has the C
    // signature `void openblas_set_num_threads(int)` documented by OpenBLAS.
    unsafe {
        let sym = libc::dlsym(libc::RTLD_DEFAULT, c"openblas_set_num_threads".as_ptr());
        if !sym.is_null() {
            let set: extern "C" fn(libc::c_int) = std::mem::transmute(sym);
            set(1);
        }
    }
}

/// Saves the weights at full precision as `model.ot`.
pub fn save_fp32(vs: &nn::VarStore, path: &Path) -> Result<(), ReaderError> {
    vs.save(path)
        .map_err(|e| ReaderError::BadModel(path.to_path_buf(), e.to_string()))
}
