//! `config.toml`, typed. Every key has a default; unknown keys and bad values stop
//! start-up with a message that names the key.

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{path}: `{key}` {problem}")]
    Invalid {
        path: PathBuf,
        key: &'static str,
        problem: String,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Folder of articles (.md with front matter, .txt, .jsonl).
    pub corpus_dir: PathBuf,
    /// Where the tantivy index lives.
    pub data_dir: PathBuf,
    /// Folder of reader models; `reader.model` names one of its subfolders.
    pub models_dir: PathBuf,
    pub retrieve: RetrieveConfig,
    pub reader: ReaderConfig,
    pub answer: AnswerConfig,
    pub chat: ChatConfig,
    pub telegram: TelegramConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetrieveConfig {
    /// Passages handed to the reader per question.
    pub passages: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReaderConfig {
    /// Subfolder of `models_dir` holding config.json, vocab.txt and weights.
    pub model: String,
    /// Tokens per model window (question + passage slice).
    pub max_seq_len: usize,
    /// Tokens shared by consecutive windows of a long passage.
    pub doc_stride: usize,
    /// Longest answer, in word pieces.
    pub max_answer_tokens: usize,
    /// Windows per forward pass.
    pub batch_size: usize,
    /// Reader threads, each with its own copy of the model and one CPU core; a
    /// question's passages are read in parallel across them.
    pub threads: usize,
    /// Questions that may wait for the model before newcomers are told to retry.
    pub queue: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnswerConfig {
    /// Below this confidence (0..1) the bot says it could not find the answer.
    pub threshold: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChatConfig {
    /// A conversation's context is forgotten after this many seconds of silence.
    pub context_ttl_secs: u64,
    /// How many earlier turns a follow-up may draw on.
    pub max_turns: usize,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TelegramMode {
    Polling,
    Webhook,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TelegramConfig {
    /// Telegram user ids allowed to /reload and /stats everywhere.
    pub admins: Vec<u64>,
    /// In groups, may the group's own administrators reload?
    pub group_admins_can_reload: bool,
    pub mode: TelegramMode,
    /// Public HTTPS URL Telegram posts updates to (webhook mode).
    pub webhook_url: String,
    /// Local address the webhook server listens on (webhook mode).
    pub webhook_listen: String,
    /// Questions per chat per minute before the bot asks people to slow down.
    pub flood_per_minute: u32,
    /// Largest article file an admin may upload, in bytes.
    pub max_upload_bytes: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            corpus_dir: "corpus".into(),
            data_dir: "data".into(),
            models_dir: "models".into(),
            retrieve: RetrieveConfig::default(),
            reader: ReaderConfig::default(),
            answer: AnswerConfig::default(),
            chat: ChatConfig::default(),
            telegram: TelegramConfig::default(),
        }
    }
}

impl Default for RetrieveConfig {
    fn default() -> Self {
        RetrieveConfig { passages: 4 }
    }
}

impl Default for ReaderConfig {
    fn default() -> Self {
        ReaderConfig {
            model: "newsbot-reader".into(),
            max_seq_len: 256,
            doc_stride: 96,
            max_answer_tokens: 24,
            batch_size: 8,
            threads: 2,
            queue: 16,
        }
    }
}

impl Default for AnswerConfig {
    fn default() -> Self {
        AnswerConfig { threshold: 0.5 }
    }
}

impl Default for ChatConfig {
    fn default() -> Self {
        ChatConfig {
            context_ttl_secs: 900,
            max_turns: 3,
        }
    }
}

impl Default for TelegramConfig {
    fn default() -> Self {
        TelegramConfig {
            admins: Vec::new(),
            group_admins_can_reload: true,
            mode: TelegramMode::Polling,
            webhook_url: String::new(),
            webhook_listen: "0.0.0.0:8443".into(),
            flood_per_minute: 20,
            max_upload_bytes: 1_000_000,
        }
    }
}

impl Config {
    /// Reads `path`; relative folders are taken relative to the file's own folder.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        Config::from_toml(&text, path, base)
    }

    pub fn from_toml(text: &str, path: &Path, base: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.to_string().trim().replace('\n', " "),
        })?;
        for dir in [
            &mut config.corpus_dir,
            &mut config.data_dir,
            &mut config.models_dir,
        ] {
            if dir.is_relative() {
                *dir = base.join(&*dir);
            }
        }
        config.validate(path)?;
        Ok(config)
    }

    fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        let bad = |key: &'static str, problem: &str| {
            Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                key,
                problem: problem.to_string(),
            })
        };
        let r = &self.reader;
        if !(0.0..=1.0).contains(&self.answer.threshold) {
            return bad("answer.threshold", "must be between 0 and 1");
        }
        if self.retrieve.passages == 0 || self.retrieve.passages > 100 {
            return bad("retrieve.passages", "must be between 1 and 100");
        }
        if !(64..=512).contains(&r.max_seq_len) {
            return bad("reader.max_seq_len", "must be between 64 and 512");
        }
        if r.doc_stride >= r.max_seq_len / 2 {
            return bad(
                "reader.doc_stride",
                "must be less than half of reader.max_seq_len",
            );
        }
        if r.max_answer_tokens == 0 || r.batch_size == 0 || r.threads == 0 || r.queue == 0 {
            return bad(
                "reader",
                "max_answer_tokens, batch_size, threads and queue must be at least 1",
            );
        }
        if r.model.is_empty() || r.model.contains(['/', '\\']) || r.model.starts_with('.') {
            return bad("reader.model", "must be the name of a folder in models_dir");
        }
        if self.chat.max_turns == 0 {
            return bad("chat.max_turns", "must be at least 1");
        }
        if self.telegram.mode == TelegramMode::Webhook
            && !self.telegram.webhook_url.starts_with("https://")
        {
            return bad(
                "telegram.webhook_url",
                "must be an https:// URL in webhook mode",
            );
        }
        if self
            .telegram
            .webhook_listen
            .parse::<std::net::SocketAddr>()
            .is_err()
        {
            return bad(
                "telegram.webhook_listen",
                "must be an address like 0.0.0.0:8443",
            );
        }
        if self.telegram.flood_per_minute == 0 {
            return bad("telegram.flood_per_minute", "must be at least 1");
        }
        Ok(())
    }

    /// The reader model's folder.
    pub fn model_dir(&self) -> PathBuf {
        self.models_dir.join(&self.reader.model)
    }

    pub fn read_limits(&self) -> crate::reader::ReadLimits {
        crate::reader::ReadLimits {
            max_seq_len: self.reader.max_seq_len,
            doc_stride: self.reader.doc_stride,
            max_answer_tokens: self.reader.max_answer_tokens,
            batch_size: self.reader.batch_size,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::from_toml(text, Path::new("config.toml"), Path::new("/srv"))
    }

    #[test]
    fn empty_file_gives_defaults_relative_to_the_file() {
        let c = parse("").expect("defaults");
        assert_eq!(c.corpus_dir, PathBuf::from("/srv/corpus"));
        assert_eq!(c.reader.model, "newsbot-reader");
    }

    #[test]
    fn bad_value_names_the_key() {
        let e = parse("[answer]\nthreshold = 2.0").expect_err("out of range");
        assert!(e.to_string().contains("answer.threshold"), "{e}");
        let e = parse("[reader]\nmax_seq_len = \"long\"").expect_err("wrong type");
        assert!(e.to_string().contains("max_seq_len"), "{e}");
    }

    #[test]
    fn unknown_key_is_refused() {
        let e = parse("[retrieve]\npasages = 3").expect_err("typo");
        assert!(e.to_string().contains("pasages"), "{e}");
    }
}
