//! The model lives on its own thread behind a bounded queue (tch tensors are not `Sync`,
//! and inference must never stall the async runtime). A full queue answers `Busy` at
//! once instead of making people wait behind a backlog.

use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::thread::JoinHandle;

use tokio::sync::oneshot;

use super::{Reader, ReaderError, Reading};

type Readings = Result<Vec<Option<Reading>>, ReaderError>;
type Reply = oneshot::Sender<Readings>;

struct Job {
    question: String,
    passages: Vec<String>,
    reply: Reply,
}

/// A cheap, cloneable handle to the reader thread.
#[derive(Clone)]
pub struct ReaderHandle {
    tx: SyncSender<Job>,
}

pub struct ReaderWorker {
    pub handle: ReaderHandle,
    thread: Option<JoinHandle<()>>,
}

impl ReaderWorker {
    /// Starts the thread. `queue` is how many questions may wait for the model; `threads`
    /// how many CPU threads the model may use.
    pub fn spawn(mut reader: Box<dyn Reader>, queue: usize, threads: usize) -> ReaderWorker {
        let (tx, rx) = sync_channel::<Job>(queue.max(1));
        let thread = std::thread::Builder::new()
            .name("reader".into())
            .spawn(move || {
                super::model::configure_math_threads(threads);
                // Ends when every handle is dropped.
                for job in rx {
                    let result = reader.read(&job.question, &job.passages);
                    let _ = job.reply.send(result);
                }
            })
            .ok();
        ReaderWorker {
            handle: ReaderHandle { tx },
            thread,
        }
    }
}

impl Drop for ReaderWorker {
    fn drop(&mut self) {
        // Replace our sender so the thread sees the channel close once clones are gone.
        let (dead, _) = sync_channel(1);
        self.handle = ReaderHandle { tx: dead };
        if let Some(t) = self.thread.take() {
            if std::thread::current().name() != Some("reader") {
                let _ = t.join();
            }
        }
    }
}

impl ReaderHandle {
    fn submit(
        &self,
        question: &str,
        passages: Vec<String>,
    ) -> Result<oneshot::Receiver<Readings>, ReaderError> {
        let (reply, rx) = oneshot::channel();
        let job = Job {
            question: question.to_string(),
            passages,
            reply,
        };
        match self.tx.try_send(job) {
            Ok(()) => Ok(rx),
            Err(TrySendError::Full(_)) => Err(ReaderError::Busy),
            Err(TrySendError::Disconnected(_)) => Err(ReaderError::Stopped),
        }
    }

    /// Reads from a plain thread (CLI, benchmarks).
    pub fn read_blocking(
        &self,
        question: &str,
        passages: Vec<String>,
    ) -> Result<Vec<Option<Reading>>, ReaderError> {
        if passages.is_empty() {
            return Ok(Vec::new());
        }
        self.submit(question, passages)?
            .blocking_recv()
            .map_err(|_| ReaderError::Stopped)?
    }

    /// Reads from async code without blocking the runtime.
    pub async fn read(
        &self,
        question: &str,
        passages: Vec<String>,
    ) -> Result<Vec<Option<Reading>>, ReaderError> {
        if passages.is_empty() {
            return Ok(Vec::new());
        }
        self.submit(question, passages)?
            .await
            .map_err(|_| ReaderError::Stopped)?
    }
}
