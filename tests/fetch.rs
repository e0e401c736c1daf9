//! `newsbot model fetch` against a local stand-in for the model hub (127.0.0.1 only).

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::routing::get;
use common::{newsbot, Project};
use sha2::{Digest, Sha256};

/// The tiny test model as a hub would publish it: safetensors weights.
fn hub_files(p: &Project) -> HashMap<String, Vec<u8>> {
    let dir = p.root().join("models/tiny");
    let named = tch::Tensor::load_multi(dir.join("model.ot")).expect("tiny weights");
    let data: Vec<(String, Vec<u8>, Vec<usize>)> = named
        .iter()
        .map(|(n, t)| {
            let v = Vec::<f32>::from(t.flatten(0, -1));
            let bytes = v.iter().flat_map(|x| x.to_le_bytes()).collect();
            (
                n.clone(),
                bytes,
                t.size().iter().map(|&d| d as usize).collect(),
            )
        })
        .collect();
    let views: Vec<(String, safetensors::tensor::TensorView)> = data
        .iter()
        .map(|(n, b, s)| {
            (
                n.clone(),
                safetensors::tensor::TensorView::new(safetensors::Dtype::F32, s.clone(), b)
                    .expect("view"),
            )
        })
        .collect();
    let st = safetensors::serialize(views, &None).expect("serialize");
    let mut files = HashMap::new();
    files.insert("model.safetensors".to_string(), st);
    for f in ["config.json", "vocab.txt"] {
        files.insert(f.to_string(), std::fs::read(dir.join(f)).expect("read"));
    }
    files
}

type Files = Arc<HashMap<String, Vec<u8>>>;

/// Runs the binary off the async runtime (the test's hub server lives on it).
async fn run(p: &Project, args: &[&str]) -> (bool, String, String) {
    let root = p.root().to_path_buf();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        newsbot(&root, &args, "")
    })
    .await
    .expect("join")
}

async fn serve(files: HashMap<String, Vec<u8>>, etag_override: Option<String>) -> String {
    let state: (Files, Option<String>) = (Arc::new(files), etag_override);
    let app = axum::Router::new()
        .route(
            "/{owner}/{name}/resolve/{rev}/{file}",
            get(
                |State((files, etag)): State<(Files, Option<String>)>,
                 Path((_o, _n, _r, file)): Path<(String, String, String, String)>| async move {
                    match files.get(&file) {
                        Some(bytes) => {
                            let mut h = HeaderMap::new();
                            if file.ends_with(".safetensors") {
                                let sha =
                                    etag.unwrap_or_else(|| hex::encode(Sha256::digest(bytes)));
                                h.insert(
                                    "x-linked-etag",
                                    HeaderValue::from_str(&format!("\"{sha}\"")).expect("header"),
                                );
                            }
                            (StatusCode::OK, h, bytes.clone())
                        }
                        None => (
                            StatusCode::NOT_FOUND,
                            HeaderMap::new(),
                            b"Entry not found".to_vec(),
                        ),
                    }
                },
            ),
        )
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_converts_verifies_and_the_model_answers() {
    let p = Project::new();
    let hub = serve(hub_files(&p), None).await;
    let (ok, out, err) = run(&p, &["model", "fetch", "someone/tiny-qa", "--hub", &hub]).await;
    assert!(ok, "{err}");
    assert!(out.contains("reader.model = \"tiny-qa\""), "{out}");
    let dir = p.root().join("models/tiny-qa");
    assert!(dir.join("model.ot").is_file() && dir.join("vocab.txt").is_file());
    assert!(
        !dir.join("model.safetensors").exists(),
        "converted to the tch format"
    );
    p.write_config("[reader]\nmodel = \"tiny-qa\"\n[answer]\nthreshold = 0.0\n");
    let (ok, out, err) = run(&p, &["ask", "--json", "Where was the network based?"]).await;
    assert!(ok, "{err}");
    assert!(out.contains("\"citations\""), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_checksum_mismatch_or_missing_file_leaves_nothing_behind() {
    let p = Project::new();
    let hub = serve(hub_files(&p), Some("0".repeat(64))).await;
    let (ok, _, err) = run(&p, &["model", "fetch", "someone/tiny-qa", "--hub", &hub]).await;
    assert!(!ok);
    assert!(err.contains("checksum mismatch"), "{err}");
    assert!(!p.root().join("models/tiny-qa").exists());

    let mut files = hub_files(&p);
    files.remove("vocab.txt");
    let hub = serve(files, None).await;
    let (ok, _, err) = run(&p, &["model", "fetch", "someone/other", "--hub", &hub]).await;
    assert!(!ok);
    assert!(err.contains("vocab.txt") && err.contains("404"), "{err}");
    let (ok, _, err) = run(
        &p,
        &["model", "fetch", "../../etc", "--hub", "http://127.0.0.1:9"],
    )
    .await;
    assert!(!ok && err.contains("repo id"), "{err}");
}
