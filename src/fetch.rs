//! `newsbot model fetch`: standard public QA checkpoints, where a network exists.
//!
//! Downloads config, vocabulary and safetensors weights into a temporary folder,
//! checks sizes and (for LFS files) the hub's SHA-256, loads the result with the real
//! loader, converts it to the tch format, and only then moves it into place.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::reader::model::save_fp32;
use crate::reader::QaModel;

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: {message}")]
    Http { url: String, message: String },
    #[error("{url}: checksum mismatch (hub says {expected}, got {actual})")]
    Checksum {
        url: String,
        expected: String,
        actual: String,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the download is not a usable QA model: {0}")]
    Model(#[from] crate::reader::ReaderError),
    #[error("{0}: a model repo id looks like `owner/name` or `name`")]
    BadRepo(String),
}

/// Files a BERT-family QA checkpoint needs; the bool says whether it is required.
const FILES: &[(&str, bool)] = &[
    ("config.json", true),
    ("vocab.txt", true),
    ("tokenizer_config.json", false),
    ("model.safetensors", true),
];

pub async fn fetch_model(
    hub: &str,
    repo: &str,
    revision: &str,
    dir: &Path,
) -> Result<(), FetchError> {
    let valid = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            && s != ".."
    };
    if !repo.split('/').all(valid) || repo.split('/').count() > 2 || !valid(revision) {
        return Err(FetchError::BadRepo(repo.to_string()));
    }
    let client = reqwest::Client::builder()
        .user_agent(concat!("newsbot/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| FetchError::Http {
            url: hub.to_string(),
            message: e.to_string(),
        })?;
    let tmp = dir.with_extension("download");
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp)?;
    }
    std::fs::create_dir_all(&tmp)?;
    for (file, required) in FILES {
        let url = format!(
            "{}/{repo}/resolve/{revision}/{file}",
            hub.trim_end_matches('/')
        );
        tracing::info!(%url, "downloading");
        let http = |message: String| FetchError::Http {
            url: url.clone(),
            message,
        };
        let resp = client
            .get(&url)
            .send()
            .await
            .map_err(|e| http(e.to_string()))?;
        if resp.status() == reqwest::StatusCode::NOT_FOUND && !required {
            continue;
        }
        if !resp.status().is_success() {
            return Err(http(format!("HTTP {}", resp.status())));
        }
        // The hub names an LFS file's SHA-256 in this header.
        let expected = resp
            .headers()
            .get("x-linked-etag")
            .and_then(|v| v.to_str().ok())
            .map(|s| s.trim_matches('"').to_lowercase())
            .filter(|s| s.len() == 64 && s.chars().all(|c| c.is_ascii_hexdigit()));
        let length = resp.content_length();
        let bytes = resp.bytes().await.map_err(|e| http(e.to_string()))?;
        if length.is_some_and(|n| n != bytes.len() as u64) {
            return Err(http(format!(
                "truncated: {} of {:?} bytes",
                bytes.len(),
                length
            )));
        }
        let actual = hex::encode(Sha256::digest(&bytes));
        if let Some(expected) = expected {
            if expected != actual {
                return Err(FetchError::Checksum {
                    url,
                    expected,
                    actual,
                });
            }
        }
        std::fs::write(tmp.join(file), &bytes)?;
        tracing::info!(file, bytes = bytes.len(), sha256 = %actual, "saved");
    }
    // Load with the real loader: shapes and names are checked, then stored as tch weights.
    let model = QaModel::load(&tmp, false)?;
    save_fp32(&model.vs, &tmp.join("model.ot"))?;
    drop(model);
    std::fs::remove_file(tmp.join("model.safetensors"))?;
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::rename(&tmp, dir)?;
    Ok(())
}
