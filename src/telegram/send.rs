//! Sending with Telegram's rules: a 429 says how long to wait, network errors get a few
//! retries with backoff; anything else (a 400) is final.

use std::future::Future;
use std::time::Duration;

use teloxide::RequestError;

const ATTEMPTS: u32 = 4;

pub async fn with_retry<T, F, Fut>(mut request: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        match request().await {
            Ok(v) => return Ok(v),
            Err(RequestError::RetryAfter(wait)) if attempt < ATTEMPTS => {
                tracing::warn!(
                    seconds = wait.seconds(),
                    "Telegram rate limit: waiting as asked"
                );
                tokio::time::sleep(wait.duration()).await;
            }
            Err(RequestError::Network(e)) if attempt < ATTEMPTS => {
                let backoff = Duration::from_millis(250 * 2u64.pow(attempt));
                tracing::warn!(error = %e, ?backoff, "network error talking to Telegram: retrying");
                tokio::time::sleep(backoff).await;
            }
            Err(e) => return Err(e),
        }
    }
}
