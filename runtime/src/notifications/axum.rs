//! The receiver in an axum router (feature `axum`).

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::routing::{MethodRouter, any};
use bytes::Bytes;
use futures_core::Stream;
use http::StatusCode;
use http::header::CONTENT_LENGTH;
use serde::de::DeserializeOwned;

use super::receiver::{Outcome, Receiver, Rejection};

/// A route that answers Graph with `receiver` and hands each delivery and each rejected
/// request to `on_outcome` on a task of its own, after the answer is made: a slow handler
/// never delays the `202`. Validation requests are answered and not handed on. Mount it
/// at the notification URL and at the lifecycle URL.
///
/// ```no_run
/// use std::sync::Arc;
/// use graph_resource_runtime::notifications::{Outcome, Receiver, axum::handler};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let receiver = Arc::new(Receiver::<serde_json::Value>::builder().client_state("secret").build()?);
/// let route = handler(receiver, |outcome| async move {
///     if let Outcome::Delivered(delivery) = outcome {
///         for change in delivery.changes {
///             println!("{:?} {}", change.change_type, change.resource);
///         }
///     }
/// });
/// let app = axum::Router::new().route("/notify", route.clone()).route("/lifecycle", route);
/// # let _ = app;
/// # Ok(())
/// # }
/// ```
pub fn handler<T, H, F>(receiver: Arc<Receiver<T>>, on_outcome: H) -> MethodRouter
where
    T: DeserializeOwned + Send + 'static,
    H: Fn(Outcome<T>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    any(move |request: Request| {
        let receiver = Arc::clone(&receiver);
        let on_outcome = on_outcome.clone();
        async move {
            let (response, outcome) = receive(&receiver, request).await;
            if !matches!(outcome, Outcome::Validation(_)) {
                tokio::spawn(on_outcome(outcome));
            }
            response.map(Body::from)
        }
    })
}

/// Reads the body within the receiver's bound and lets the receiver answer.
async fn receive<T: DeserializeOwned>(
    receiver: &Receiver<T>,
    request: Request,
) -> (http::Response<Bytes>, Outcome<T>) {
    let limit = receiver.max_body_size();
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<usize>().ok());
    let rejected = |status, rejection| {
        let mut response = http::Response::new(Bytes::new());
        *response.status_mut() = status;
        (response, Outcome::Rejected(rejection))
    };
    if let Some(length) = declared.filter(|&length| length > limit) {
        return rejected(
            StatusCode::PAYLOAD_TOO_LARGE,
            Rejection::TooLarge { limit, length },
        );
    }
    let mut chunks = body.into_data_stream();
    let mut body = Vec::new();
    while let Some(chunk) = poll_fn(|cx| Pin::new(&mut chunks).poll_next(cx)).await {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(error) => {
                return rejected(
                    StatusCode::BAD_REQUEST,
                    Rejection::Malformed(format!("the body could not be read: {error}")),
                );
            }
        };
        let length = body.len().saturating_add(chunk.len());
        if length > limit {
            return rejected(
                StatusCode::PAYLOAD_TOO_LARGE,
                Rejection::TooLarge { limit, length },
            );
        }
        body.extend_from_slice(&chunk);
    }
    let body = Bytes::from(body);
    let received = receiver
        .receive(http::Request::from_parts(parts, body))
        .await;
    (received.response, received.outcome)
}
