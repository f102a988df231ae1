//! The send loop: `$batch` requests of at most 20 items, their answers, and the follow-up
//! rounds for items Graph throttled.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde::de;

use super::decode::Answers;
use super::encode::Requests;
use super::plan::{chunks, groups, settle_dependents};
use super::responses::{BatchResponses, ItemReply, Outcome};
use super::{Batch, MAX_BATCH_REQUESTS};
use crate::client::Client;
use crate::error::{DecodeError, Error};
use crate::pipeline::retry::retries_status;
use crate::pipeline::{Call, Pipeline};

impl Batch {
    pub(super) async fn run(self) -> Result<BatchResponses, Error> {
        let Batch { client, items, tag } = self;
        // Without `dependsOn`, every request is a group of its own: no grouping to compute.
        let independent = items.iter().all(|item| item.depends_on.is_empty());
        let groups = if independent {
            Vec::new()
        } else {
            groups(&items)?
        };
        let mut outcomes: Vec<Option<Outcome>> = (0..items.len()).map(|_| None).collect();
        // Items that cannot be sent keep their own argument error.
        let mut calls: Vec<Option<Call>> = Vec::with_capacity(items.len());
        let mut depends_on: Vec<Vec<usize>> = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            match item.call {
                Ok(call) => calls.push(Some(call)),
                Err(error) => {
                    outcomes[index] = Some(Outcome::Failed(error));
                    calls.push(None);
                }
            }
            depends_on.push(item.depends_on);
        }
        let pipeline = client.pipeline();
        let base = client.base_url();
        // One number at the throttle gate for every `$batch` request of this batch: a
        // throttled item holds its scope for the client's other calls, not for the batch,
        // which waits for its throttled items itself.
        let number = pipeline.throttle.call();
        let mut pending: Vec<usize> = if independent {
            (0..calls.len())
                .filter(|index| calls[*index].is_some())
                .collect()
        } else {
            groups
                .iter()
                .flatten()
                .copied()
                .filter(|index| calls[*index].is_some())
                .collect()
        };
        let mut retry: u32 = 0;
        let mut waited = Duration::ZERO;
        loop {
            settle_dependents(&depends_on, &mut outcomes, &mut pending);
            let mut retry_after: Option<Duration> = None;
            let mut retrying = Vec::new();
            let chunks = if independent {
                pending
                    .chunks(MAX_BATCH_REQUESTS)
                    .map(<[usize]>::to_vec)
                    .collect()
            } else {
                chunks(&groups, &pending)
            };
            for chunk in chunks {
                let sent = send_chunk(&client, base, number, &calls, &depends_on, &chunk).await;
                let mut answers = match sent {
                    Ok(answers) => answers,
                    Err(error) => {
                        // Earlier batches were applied: their answers stay; each request of
                        // this one gets the failure.
                        fail_chunk(&chunk, error, &mut outcomes);
                        continue;
                    }
                };
                for (position, &index) in chunk.iter().enumerate() {
                    let Some(call) = &calls[index] else { continue };
                    match answers.get_mut(position).and_then(Option::take) {
                        Some(response) => {
                            if retries_status(&call.method, response.status) {
                                let delay = response_retry_after(&response);
                                if response.status == StatusCode::TOO_MANY_REQUESTS {
                                    hold_scope(pipeline, &call.url, number, delay);
                                }
                                retry_after = retry_after.max(delay);
                                retrying.push(index);
                            }
                            outcomes[index] = Some(Outcome::Answered(response));
                        }
                        None => {
                            outcomes[index] = Some(Outcome::Failed(Error::Incomplete(format!(
                                "Graph's `$batch` answer has no response for request {}",
                                index + 1
                            ))));
                        }
                    }
                }
            }
            if retrying.is_empty() {
                break;
            }
            // Dependents of a throttled item were answered 424 by Graph: send them again too.
            let mut again = retrying;
            for (index, on) in depends_on.iter().enumerate() {
                let waits = on.iter().any(|on| again.contains(on));
                if waits && calls[index].is_some() && !again.contains(&index) {
                    again.push(index);
                }
            }
            retry = retry.saturating_add(1);
            let Some(delay) = pipeline.retry.next_delay(retry, waited, retry_after) else {
                break;
            };
            pipeline.sleep.sleep(delay).await;
            waited = waited.saturating_add(delay);
            again.sort_unstable();
            for index in &again {
                outcomes[*index] = None;
            }
            pending = again;
        }
        settle_dependents(&depends_on, &mut outcomes, &mut Vec::new());
        let calls = calls
            .into_iter()
            .map(|call| call.map(|call| (call.method, call.url)))
            .collect();
        Ok(BatchResponses {
            outcomes,
            calls,
            tag,
        })
    }
}

/// Gives every request of a `$batch` that failed as a whole that failure: the first the
/// error itself, the others an error naming it.
fn fail_chunk(chunk: &[usize], error: Error, outcomes: &mut [Option<Outcome>]) {
    let shown = error.to_string();
    let mut error = Some(error);
    for &index in chunk {
        let failure = error.take().unwrap_or_else(|| {
            Error::Incomplete(format!(
                "the `$batch` request that carried request {} failed: {shown}",
                index + 1
            ))
        });
        outcomes[index] = Some(Outcome::Failed(failure));
    }
}
/// Holds the scope of `url`, a 429 item's own, at the throttle gate for the client's calls
/// other than `number` (the batch's own) for `delay`, the item's `Retry-After`.
fn hold_scope(pipeline: &Pipeline, url: &str, number: u64, delay: Option<Duration>) {
    if let (Ok(uri), Some(delay)) = (Uri::try_from(url), delay) {
        let longest = pipeline.retry.longest_delay();
        pipeline.throttle.hold(&uri, number, delay, longest);
    }
}

/// `Retry-After` of an item's answer.
fn response_retry_after(reply: &ItemReply) -> Option<Duration> {
    let value = reply.headers.get(http::header::RETRY_AFTER)?;
    crate::error::api::parse_retry_after(value, std::time::SystemTime::now())
}

/// POSTs one `$batch` of `chunk`, as call `number` of the throttle gate, and returns each
/// item's answer by index.
async fn send_chunk(
    client: &Client,
    base: &str,
    number: u64,
    calls: &[Option<Call>],
    depends_on: &[Vec<usize>],
    chunk: &[usize],
) -> Result<Vec<Option<ItemReply>>, Error> {
    let requests = Requests {
        base,
        calls,
        depends_on,
        chunk,
    };
    // About what one request's entry takes, so the body grows without copies.
    let mut body = Vec::with_capacity(128 * chunk.len() + 16);
    serde_json::to_writer(&mut body, &requests).map_err(Error::Encode)?;
    let call = Call {
        method: Method::POST,
        url: format!("{base}/$batch"),
        headers: HeaderMap::new(),
        body: Some(Bytes::from(body)),
        follow_redirects: false,
    };
    let response = client.pipeline().send_as(&call, number).await?;
    let status = response.status();
    let decode_error = |error: serde_json::Error, body: &[u8]| {
        let url = call.url.clone();
        let error = DecodeError::new(&call.method, url, status, ".".into(), error, body);
        Error::Decode(Box::new(error))
    };
    // Checked to be UTF-8 once, as a whole: the envelope and then each item's body are read
    // as text, borrowing from it, and no string is checked again.
    let answer = String::from_utf8(Vec::from(response.into_body())).map_err(|error| {
        let message = format!("the `$batch` answer is not UTF-8: {}", error.utf8_error());
        decode_error(de::Error::custom(message), error.as_bytes())
    })?;
    let answer = Arc::new(answer);
    // The same text as bytes, held by the same allocation: an item's body is lent to the
    // thread as a slice of it while it is read.
    let lent = Bytes::from_owner(WholeAnswer(Arc::clone(&answer)));
    let parsed: Answers<'_> = serde_json::from_str(answer.as_str())
        .map_err(|error| decode_error(error, answer.as_bytes()))?;
    // Each request's answer at its position in `chunk` (which is sorted); the first answer
    // to an id counts, unknown ids are passed over.
    let mut answers: Vec<Option<ItemReply>> = (0..chunk.len()).map(|_| None).collect();
    for item in parsed.0 {
        let index = item.id.and_then(|id| id.checked_sub(1));
        let slot = index
            .and_then(|index| chunk.binary_search(&index).ok())
            .and_then(|position| answers.get_mut(position));
        if let Some(slot @ None) = slot {
            *slot = Some(item.into_reply(&answer, &lent));
        }
    }
    Ok(answers)
}

/// A whole `$batch` answer as the owner of bytes (`Bytes::from_owner`).
struct WholeAnswer(Arc<String>);

impl AsRef<[u8]> for WholeAnswer {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}
