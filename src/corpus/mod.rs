//! Articles on disk -> [`Article`]s. One bad file never stops the others: it becomes a
//! [`Rejected`] entry naming the file, the line and the reason.
//!
//! Formats: `.md` with a front-matter header, `.txt` (first line is the title, scraped
//! boilerplate removed), `.jsonl` (one article object per line).

pub mod clean;
mod frontmatter;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use frontmatter::{parse_markdown, render_markdown};

/// Stable identity of an article: its file stem (plus the line's id for `.jsonl`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ArticleId(pub String);

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who published an article and where; all optional, because a corpus file only
/// carries what its source says, and nothing is invented.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleMeta {
    pub title: String,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: ArticleId,
    pub meta: ArticleMeta,
    /// Paragraphs separated by blank lines.
    pub body: String,
    pub source: PathBuf,
    /// Hash of metadata and body: the index re-reads an article only when it changes.
    pub content_hash: String,
}

/// A file (or line) that could not be loaded, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejected {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub reason: String,
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.path.display(), l, self.reason),
            None => write!(f, "{}: {}", self.path.display(), self.reason),
        }
    }
}

/// An article whose text is already in the corpus under another file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duplicate {
    pub path: PathBuf,
    pub id: ArticleId,
    pub same_as: ArticleId,
}

/// Everything a corpus folder yielded.
#[derive(Debug, Default)]
pub struct Corpus {
    pub articles: Vec<Article>,
    pub rejected: Vec<Rejected>,
    pub duplicates: Vec<Duplicate>,
    /// Files that failed as a whole or in part: their earlier articles stay indexed.
    pub failed_sources: Vec<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("cannot read the corpus folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A `.jsonl` line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonArticle {
    id: Option<String>,
    title: String,
    #[serde(alias = "text")]
    body: String,
    outlet: Option<String>,
    url: Option<String>,
    published: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
}

impl Corpus {
    /// Loads every article file under `dir` (sorted, so ids and duplicates are stable).
    pub fn load_dir(dir: &Path) -> Result<Corpus, CorpusError> {
        let mut files = Vec::new();
        collect_files(dir, &mut files).map_err(|source| CorpusError::Folder {
            path: dir.to_path_buf(),
            source,
        })?;
        files.sort();
        let mut corpus = Corpus::default();
        for path in files {
            corpus.load_file(&path);
        }
        corpus.drop_duplicates();
        Ok(corpus)
    }

    fn reject(&mut self, path: &Path, line: Option<usize>, reason: impl Into<String>) {
        let r = Rejected {
            path: path.to_path_buf(),
            line,
            reason: reason.into(),
        };
        tracing::warn!(file = %r.path.display(), line = ?r.line, reason = %r.reason, "article rejected");
        if !self.failed_sources.contains(&r.path) {
            self.failed_sources.push(r.path.clone());
        }
        self.rejected.push(r);
    }

    fn load_file(&mut self, path: &Path) {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let text = match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count();
                    return self.reject(path, Some(line), "not valid UTF-8 text");
                }
            },
            Err(e) => return self.reject(path, None, format!("cannot read: {e}")),
        };
        let stem = file_id(path);
        match ext {
            "md" | "markdown" => match parse_markdown(&text) {
                Ok((meta, body)) => self.push(path, ArticleId(stem), meta, body),
                Err((line, reason)) => self.reject(path, Some(line), reason),
            },
            "txt" => {
                let page = clean::clean_scraped(&text);
                if page.title.is_empty() || page.body.trim().is_empty() {
                    return self.reject(path, Some(1), "needs a title line and a body");
                }
                let meta = ArticleMeta {
                    title: page.title,
                    ..ArticleMeta::default()
                };
                self.push(path, ArticleId(stem), meta, page.body)
            }
            "jsonl" => {
                for (n, line) in text.lines().enumerate() {
                    if line.trim().is_empty() {
                        continue;
                    }
                    match serde_json::from_str::<JsonArticle>(line) {
                        Ok(a) if a.title.trim().is_empty() || a.body.trim().is_empty() => {
                            self.reject(path, Some(n + 1), "title and body must not be empty")
                        }
                        Ok(a) => {
                            let id = format!(
                                "{stem}-{}",
                                a.id.as_deref()
                                    .map(sanitize)
                                    .unwrap_or_else(|| (n + 1).to_string())
                            );
                            let meta = ArticleMeta {
                                title: a.title,
                                outlet: a.outlet.filter(|s| !s.trim().is_empty()),
                                url: a.url.filter(|s| !s.trim().is_empty()),
                                published: a.published.filter(|s| !s.trim().is_empty()),
                                authors: a.authors,
                            };
                            self.push(path, ArticleId(id), meta, a.body)
                        }
                        Err(e) => {
                            self.reject(path, Some(n + 1), format!("not an article object: {e}"))
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn push(&mut self, path: &Path, id: ArticleId, meta: ArticleMeta, body: String) {
        if let Some(existing) = self.articles.iter().find(|a| a.id == id) {
            let reason = format!(
                "article id `{id}` is already used by {}",
                existing.source.display()
            );
            return self.reject(path, None, reason);
        }
        let body = normalise_paragraphs(&body);
        let content_hash = hash_article(&meta, &body);
        self.articles.push(Article {
            id,
            meta,
            body,
            source: path.to_path_buf(),
            content_hash,
        });
    }

    /// Keeps the first of several articles with the same text (ignoring case and spacing).
    fn drop_duplicates(&mut self) {
        let mut seen: HashMap<String, ArticleId> = HashMap::new();
        let mut kept = Vec::with_capacity(self.articles.len());
        for a in std::mem::take(&mut self.articles) {
            let key = text_fingerprint(&a.body);
            match seen.get(&key) {
                Some(first) => {
                    tracing::warn!(file = %a.source.display(), same_as = %first, "duplicate article skipped");
                    self.duplicates.push(Duplicate {
                        path: a.source.clone(),
                        id: a.id.clone(),
                        same_as: first.clone(),
                    })
                }
                None => {
                    seen.insert(key, a.id.clone());
                    kept.push(a);
                }
            }
        }
        self.articles = kept;
    }
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || name.eq_ignore_ascii_case("README.md") {
            continue;
        }
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// An id made from a file name: lower-case letters, digits and dashes.
pub fn file_id(path: &Path) -> String {
    sanitize(
        &path
            .file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default(),
    )
}

fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Trims each paragraph and separates paragraphs by exactly one blank line.
fn normalise_paragraphs(body: &str) -> String {
    body.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn text_fingerprint(body: &str) -> String {
    let norm: String = body
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ");
    hex::encode(Sha256::digest(norm.as_bytes()))
}

fn hash_article(meta: &ArticleMeta, body: &str) -> String {
    let mut h = Sha256::new();
    h.update(serde_json::to_vec(meta).unwrap_or_default());
    h.update([0]);
    h.update(body.as_bytes());
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &[u8]) {
        std::fs::write(dir.join(name), text).expect("write test file");
    }

    #[test]
    fn good_malformed_and_duplicate_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        write(
            d,
            "a.md",
            b"---\ntitle: A story\noutlet: Daily Planet\n---\nFirst paragraph.\n\nSecond.\n",
        );
        write(
            d,
            "b.md",
            b"---\ntitle: Broken\noutlett: typo\n---\nBody.\n",
        );
        write(
            d,
            "c.txt",
            b"Copied story\n\nfirst   paragraph.\n\nSECOND.\n",
        );
        write(d, "d.jsonl", b"{\"title\":\"J1\",\"body\":\"Jsonl body one.\"}\n{\"title\":\"J2\"}\n\n{\"title\":\"J3\",\"text\":\"Third body.\",\"outlet\":\"AP\"}\n");
        write(d, "e.md", b"\xff\xfe not utf8");
        let c = Corpus::load_dir(d).expect("folder loads");
        let ids: Vec<_> = c.articles.iter().map(|a| a.id.0.as_str()).collect();
        assert_eq!(ids, ["a", "d-1", "d-4"]);
        assert_eq!(c.articles[0].meta.outlet.as_deref(), Some("Daily Planet"));
        assert_eq!(c.articles[2].meta.outlet.as_deref(), Some("AP"));
        let rejected: Vec<String> = c.rejected.iter().map(|r| r.to_string()).collect();
        assert_eq!(rejected.len(), 3, "{rejected:?}");
        assert!(
            rejected[0].contains("b.md:3") && rejected[0].contains("outlett"),
            "{rejected:?}"
        );
        assert!(rejected[1].contains("d.jsonl:2"), "{rejected:?}");
        assert!(
            rejected[2].contains("e.md:1") && rejected[2].contains("UTF-8"),
            "{rejected:?}"
        );
        assert_eq!(c.duplicates.len(), 1);
        assert_eq!(c.duplicates[0].id.0, "c");
        assert_eq!(c.duplicates[0].same_as.0, "a");
    }

    #[test]
    fn missing_folder_is_an_error_not_an_empty_corpus() {
        let err = Corpus::load_dir(Path::new("/nonexistent/corpus")).expect_err("no folder");
        assert!(err.to_string().contains("/nonexistent/corpus"));
    }
}
