//! The model runs on its own threads ("lanes") behind a bounded queue: tch tensors are
//! not `Sync`, and inference must never stall the async runtime. Each lane owns a copy
//! of the model and one CPU core; a question's passages are shared out across the lanes
//! and read in parallel. On two cores this halves a question's reading time, where
//! libtorch's own intra-op threads gain about a third (BENCHMARKS.md). A full queue
//! answers `Busy` at once instead of making people wait behind a backlog.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use tokio::sync::oneshot;

use super::{Reader, ReaderError, Reading};

type Readings = Result<Vec<Option<Reading>>, ReaderError>;

/// Some of one question's passages, for one lane.
struct Part {
    question: Arc<str>,
    passages: Vec<String>,
    reply: oneshot::Sender<Readings>,
}

/// A cheap, cloneable handle to the reader lanes.
#[derive(Clone)]
pub struct ReaderHandle {
    tx: SyncSender<Part>,
    lanes: usize,
}

pub struct ReaderWorker {
    pub handle: ReaderHandle,
    threads: Vec<JoinHandle<()>>,
}

impl ReaderWorker {
    /// Starts one lane per reader. `queue` is how many questions may wait for the model.
    pub fn spawn(readers: Vec<Box<dyn Reader>>, queue: usize) -> ReaderWorker {
        let lanes = readers.len().max(1);
        let (tx, rx) = sync_channel::<Part>(queue.max(1) * lanes);
        let rx = Arc::new(Mutex::new(rx));
        let threads = readers
            .into_iter()
            .enumerate()
            .filter_map(|(i, reader)| {
                let rx = Arc::clone(&rx);
                std::thread::Builder::new()
                    .name(format!("reader-{i}"))
                    .spawn(move || run_lane(reader, &rx))
                    .ok()
            })
            .collect();
        ReaderWorker {
            handle: ReaderHandle { tx, lanes },
            threads,
        }
    }
}

/// Reads parts until every handle is dropped.
fn run_lane(mut reader: Box<dyn Reader>, rx: &Mutex<Receiver<Part>>) {
    super::model::configure_math_threads(1);
    loop {
        // The lock is held only while waiting, so idle lanes queue up for the next part.
        let next = rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok(part) = next else { return };
        let result = reader.read(&part.question, &part.passages);
        let _ = part.reply.send(result);
    }
}

impl Drop for ReaderWorker {
    fn drop(&mut self) {
        // Replace our sender so the lanes see the channel close once clones are gone.
        let (dead, _) = sync_channel(1);
        self.handle.tx = dead;
        let me = std::thread::current().id();
        for t in self.threads.drain(..) {
            if t.thread().id() != me {
                let _ = t.join();
            }
        }
    }
}

/// Which passages each lane reads: longest first onto the least-loaded lane, so the
/// lanes finish together (reading time grows with text length).
fn share_out(passages: &[String], lanes: usize) -> Vec<Vec<usize>> {
    let lanes = lanes.clamp(1, passages.len().max(1));
    let mut order: Vec<usize> = (0..passages.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(passages[i].len()));
    let mut shares: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); lanes];
    for i in order {
        if let Some(lightest) = shares.iter_mut().min_by_key(|(load, _)| *load) {
            lightest.0 += passages[i].len();
            lightest.1.push(i);
        }
    }
    shares.into_iter().map(|(_, share)| share).collect()
}

/// Replies still to come for one question, and where their readings go.
struct Pending {
    parts: Vec<(Vec<usize>, oneshot::Receiver<Readings>)>,
    total: usize,
}

impl Pending {
    fn place(
        total: usize,
        parts: Vec<(Vec<usize>, Readings)>,
    ) -> Result<Vec<Option<Reading>>, ReaderError> {
        let mut out = vec![None; total];
        for (indices, readings) in parts {
            for (i, reading) in indices.into_iter().zip(readings?) {
                out[i] = reading;
            }
        }
        Ok(out)
    }
}

impl ReaderHandle {
    fn submit(&self, question: &str, passages: Vec<String>) -> Result<Pending, ReaderError> {
        let question: Arc<str> = question.into();
        let total = passages.len();
        let mut parts = Vec::new();
        if total == 0 {
            return Ok(Pending { parts, total });
        }
        for share in share_out(&passages, self.lanes) {
            let (reply, rx) = oneshot::channel();
            let part = Part {
                question: Arc::clone(&question),
                passages: share.iter().map(|&i| passages[i].clone()).collect(),
                reply,
            };
            match self.tx.try_send(part) {
                Ok(()) => parts.push((share, rx)),
                Err(TrySendError::Full(_)) => return Err(ReaderError::Busy),
                Err(TrySendError::Disconnected(_)) => return Err(ReaderError::Stopped),
            }
        }
        Ok(Pending { parts, total })
    }

    /// Reads from a plain thread (CLI, benchmarks).
    pub fn read_blocking(
        &self,
        question: &str,
        passages: Vec<String>,
    ) -> Result<Vec<Option<Reading>>, ReaderError> {
        let pending = self.submit(question, passages)?;
        let mut done = Vec::new();
        for (indices, rx) in pending.parts {
            done.push((
                indices,
                rx.blocking_recv().map_err(|_| ReaderError::Stopped)?,
            ));
        }
        Pending::place(pending.total, done)
    }

    /// Reads from async code without blocking the runtime.
    pub async fn read(
        &self,
        question: &str,
        passages: Vec<String>,
    ) -> Result<Vec<Option<Reading>>, ReaderError> {
        let pending = self.submit(question, passages)?;
        let mut done = Vec::new();
        for (indices, rx) in pending.parts {
            done.push((indices, rx.await.map_err(|_| ReaderError::Stopped)?));
        }
        Pending::place(pending.total, done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers every passage with its own length, slowly enough to overlap.
    struct LengthReader;

    impl Reader for LengthReader {
        fn read(&mut self, _: &str, passages: &[String]) -> Readings {
            std::thread::sleep(std::time::Duration::from_millis(5));
            Ok(passages
                .iter()
                .map(|p| {
                    Some(Reading {
                        span: (0, p.len()),
                        span_score: p.len() as f32,
                        null_score: 0.0,
                        ..Reading::default()
                    })
                })
                .collect())
        }
    }

    fn texts(lens: &[usize]) -> Vec<String> {
        lens.iter().map(|&n| "x".repeat(n)).collect()
    }

    #[test]
    fn shares_balance_by_length_and_cover_every_passage_once() {
        let shares = share_out(&texts(&[900, 100, 500, 450]), 2);
        assert_eq!(shares, vec![vec![0, 1], vec![2, 3]]);
        assert_eq!(share_out(&texts(&[10]), 4), vec![vec![0]]);
    }

    #[test]
    fn readings_come_back_in_passage_order_across_lanes() {
        let readers: Vec<Box<dyn Reader>> = vec![Box::new(LengthReader), Box::new(LengthReader)];
        let worker = ReaderWorker::spawn(readers, 4);
        let lens = [30, 700, 5, 260, 90];
        let out = worker.handle.read_blocking("q", texts(&lens)).unwrap();
        let got: Vec<usize> = out.iter().map(|r| r.as_ref().unwrap().span.1).collect();
        assert_eq!(got, lens);
        assert!(worker
            .handle
            .read_blocking("q", Vec::new())
            .unwrap()
            .is_empty());
    }

    #[test]
    fn a_full_queue_answers_busy_and_the_lane_carries_on() {
        /// Tells the test when it starts reading, then waits for the gate to open.
        struct Stuck {
            started: std::sync::mpsc::Sender<()>,
            gate: std::sync::mpsc::Receiver<()>,
        }
        impl Reader for Stuck {
            fn read(&mut self, _: &str, p: &[String]) -> Readings {
                let _ = self.started.send(());
                let _ = self.gate.recv();
                Ok(vec![None; p.len()])
            }
        }
        let (started, reading) = std::sync::mpsc::channel();
        let (release, gate) = std::sync::mpsc::channel();
        let worker = ReaderWorker::spawn(vec![Box::new(Stuck { started, gate })], 1);
        let first = worker.handle.submit("q", texts(&[1])).unwrap();
        reading.recv().unwrap();
        // The lane is busy with the first question; one more fits in the queue.
        let second = worker.handle.submit("q", texts(&[1])).unwrap();
        assert!(matches!(
            worker.handle.submit("q", texts(&[1])),
            Err(ReaderError::Busy)
        ));
        drop(release);
        for pending in [first, second] {
            for (_, rx) in pending.parts {
                assert_eq!(rx.blocking_recv().unwrap().unwrap(), vec![None]);
            }
        }
    }
}
