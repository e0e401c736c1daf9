//! SQuAD 2.0 files (plain or gzipped JSON): the training and reader-evaluation format.

use std::io::Read;
use std::path::Path;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct SquadFile {
    data: Vec<SquadArticle>,
}

#[derive(Debug, Deserialize)]
struct SquadArticle {
    paragraphs: Vec<SquadParagraph>,
}

#[derive(Debug, Deserialize)]
struct SquadParagraph {
    context: String,
    qas: Vec<SquadQa>,
}

#[derive(Debug, Deserialize)]
struct SquadQa {
    id: String,
    question: String,
    #[serde(default)]
    answers: Vec<SquadAnswer>,
    #[serde(default)]
    is_impossible: bool,
}

#[derive(Debug, Deserialize)]
struct SquadAnswer {
    text: String,
    answer_start: usize,
}

/// One question over one context. `answers` hold byte ranges into `context`.
#[derive(Debug, Clone)]
pub struct Example {
    pub id: String,
    pub question: String,
    pub context: std::sync::Arc<str>,
    pub answers: Vec<(usize, usize)>,
}

impl Example {
    pub fn answer_texts(&self) -> Vec<&str> {
        self.answers
            .iter()
            .map(|&(s, e)| &self.context[s..e])
            .collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SquadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not SQuAD JSON: {source}")]
    Json {
        path: String,
        source: serde_json::Error,
    },
    #[error("{path}: question {id}: answer {text:?} is not at character {start} of its context")]
    Offset {
        path: String,
        id: String,
        text: String,
        start: usize,
    },
}

/// Loads a SQuAD-2 file; `answer_start` is a character offset, as in the official data.
pub fn load(path: &Path) -> Result<Vec<Example>, SquadError> {
    let p = path.display().to_string();
    let mut raw = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut raw))
        .map_err(|source| SquadError::Io {
            path: p.clone(),
            source,
        })?;
    let text = if raw.starts_with(&[0x1f, 0x8b]) {
        let mut s = String::new();
        flate2::read::GzDecoder::new(&raw[..])
            .read_to_string(&mut s)
            .map_err(|source| SquadError::Io {
                path: p.clone(),
                source,
            })?;
        s
    } else {
        String::from_utf8(raw).map_err(|e| SquadError::Io {
            path: p.clone(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        })?
    };
    let file: SquadFile = serde_json::from_str(&text).map_err(|source| SquadError::Json {
        path: p.clone(),
        source,
    })?;
    let mut out = Vec::new();
    for para in file.data.into_iter().flat_map(|a| a.paragraphs) {
        let context: std::sync::Arc<str> = para.context.into();
        let char_to_byte: Vec<usize> = context
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(context.len()))
            .collect();
        for qa in para.qas {
            let mut answers = Vec::new();
            if !qa.is_impossible {
                for a in &qa.answers {
                    let start = char_to_byte.get(a.answer_start).copied();
                    let ok = start.is_some_and(|s| context[s..].starts_with(a.text.as_str()));
                    match start {
                        Some(s) if ok => answers.push((s, s + a.text.len())),
                        _ => {
                            return Err(SquadError::Offset {
                                path: p,
                                id: qa.id,
                                text: a.text.clone(),
                                start: a.answer_start,
                            })
                        }
                    }
                }
            }
            out.push(Example {
                id: qa.id,
                question: qa.question,
                context: context.clone(),
                answers,
            });
        }
    }
    Ok(out)
}
