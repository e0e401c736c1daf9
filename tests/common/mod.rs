//! Shared test fixtures: a tiny random BERT (real loader, real tokenizer, real tch
//! forward pass, only small and untrained) and a throwaway project folder.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use newsbot::config::Config;

/// A word-piece vocabulary that can spell anything: specials, common words, characters.
pub fn tiny_vocab() -> Vec<String> {
    let mut v: Vec<String> = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for w in [
        "the", "fbi", "migrants", "how", "many", "is", "looking", "for", "where", "was", "network",
        "based", "turkey",
    ] {
        v.push(w.to_string());
    }
    for c in ('a'..='z').chain('0'..='9') {
        v.push(c.to_string());
        v.push(format!("##{c}"));
    }
    for p in ".,;:!?'\"()-$%&/“”’—@#*[]{}<>=+_".chars() {
        v.push(p.to_string());
    }
    v
}

/// A project folder: corpus (the seed articles), a tiny model, config.toml.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Project {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("corpus")).expect("corpus dir");
        for entry in std::fs::read_dir(repo().join("corpus")).expect("repo corpus") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "md") && !path.ends_with("README.md") {
                std::fs::copy(
                    &path,
                    root.join("corpus").join(path.file_name().expect("name")),
                )
                .expect("copy");
            }
        }
        newsbot::reader::model::write_random_model(
            &root.join("models/tiny"),
            &tiny_vocab(),
            32,
            2,
            2,
            7,
        )
        .expect("tiny model");
        // Threshold 0: the untrained model must still produce spans to check the plumbing.
        std::fs::write(
            root.join("config.toml"),
            "[reader]\nmodel = \"tiny\"\nthreads = 1\n[answer]\nthreshold = 0.0\n",
        )
        .expect("config");
        Project { dir }
    }

    /// The same project, reading with the reader model that ships in `models/`.
    pub fn with_shipped_model() -> Project {
        let p = Project::new();
        let models = repo().join("models");
        p.write_config(&format!(
            "models_dir = {:?}\n",
            models.display().to_string()
        ));
        p
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn config_path(&self) -> PathBuf {
        self.root().join("config.toml")
    }

    pub fn config(&self) -> Config {
        Config::load(&self.config_path()).expect("config loads")
    }

    pub fn write_config(&self, text: &str) {
        std::fs::write(self.config_path(), text).expect("config");
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the real binary with `args`, `stdin`, in `dir`; returns (status ok, stdout, stderr).
pub fn newsbot(dir: &Path, args: &[&str], stdin: &str) -> (bool, String, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsbot"))
        .args(args)
        .current_dir(dir)
        .env_remove("TELOXIDE_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run newsbot");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
