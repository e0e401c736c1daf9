//! Times one forward pass of the configured reader on windows of a given length.
//! `cargo run --release --example forward_speed -- models/newsbot-reader 160 1 [threads]`
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).map_or("models/newsbot-reader", String::as_str);
    let len: usize = args.get(2).map_or(Ok(160), |s| s.parse())?;
    let batch: usize = args.get(3).map_or(Ok(1), |s| s.parse())?;
    let threads: i32 = args.get(4).map_or(Ok(1), |s| s.parse())?;
    tch::set_num_threads(threads);
    let model = newsbot::reader::QaModel::load(std::path::Path::new(dir), false)?;
    let w = newsbot::reader::features::Window {
        input_ids: vec![1000; len],
        type_ids: vec![0; len],
        ctx_offset: 10,
        ctx_first: 0,
        ctx_len: len - 11,
    };
    let windows: Vec<_> = (0..batch).map(|_| &w).collect();
    model.logits(&windows)?;
    let t = Instant::now();
    for _ in 0..10 {
        model.logits(&windows)?;
    }
    println!(
        "{len} tokens x {batch}: {:.1} ms per forward",
        t.elapsed().as_secs_f64() * 100.0
    );
    Ok(())
}
