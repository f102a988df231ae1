//! What became of each request of a sent batch, and [`BatchResponses`], which hands each
//! answer to its handle.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, Method, Response, StatusCode};

use super::Handle;
use super::decode::parse_headers;
use crate::error::decode::Json;
use crate::error::{ApiError, Error};
use crate::request::Answer;

/// What became of one request.
pub(super) enum Outcome {
    /// Graph's answer to it, any status.
    Answered(ItemReply),
    /// It was not sent, or its answer is missing.
    Failed(Error),
}

/// One request's answer, its body still inside the `$batch` answer that carried it.
pub(super) struct ItemReply {
    pub(super) status: StatusCode,
    /// Read only where they matter: for an error, to tell base64 from a JSON string body,
    /// and when the request's answer asks for them.
    pub(super) headers: HeaderMap,
    /// The headers still as JSON text in the `$batch` answer, when they were not read.
    pub(super) unread_headers: Option<(Arc<String>, Range<usize>)>,
    pub(super) body: ItemBody,
}

/// The body of an item's answer.
pub(super) enum ItemBody {
    /// JSON text: a part of the whole `$batch` answer, which was checked to be UTF-8.
    Json {
        answer: Arc<String>,
        range: Range<usize>,
        /// The same part as bytes (the same range of the same allocation), lent to the
        /// thread while it is read.
        lent: Bytes,
    },
    /// Bytes of its own: decoded base64, a JSON string body as Graph gave it, or an answer
    /// made here (a `424` of a dependent).
    Bytes(Bytes),
}

impl ItemBody {
    /// The body, as the request's answer reads it.
    fn json(&self) -> Json<'_> {
        match self {
            ItemBody::Json {
                answer,
                range,
                lent,
            } => Json::Text {
                text: answer.get(range.clone()).unwrap_or_default(),
                lent,
            },
            ItemBody::Bytes(bytes) => Json::Bytes(bytes),
        }
    }
}

impl ItemReply {
    /// Reads the headers that were left as JSON text.
    fn read_headers(&mut self) {
        if let Some((answer, range)) = self.unread_headers.take() {
            self.headers = parse_headers(answer.get(range).unwrap_or_default());
        }
    }

    /// The answer as an HTTP response, for its error.
    fn into_response(self) -> Response<Bytes> {
        let body = match self.body {
            // A copy: an error does not hold the whole `$batch` answer.
            ItemBody::Json { lent, .. } => Bytes::copy_from_slice(&lent),
            ItemBody::Bytes(bytes) => bytes,
        };
        let mut response = Response::new(body);
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers;
        response
    }
}

/// The answers of a sent [`Batch`](crate::Batch); [`take`](BatchResponses::take) each by
/// its handle.
pub struct BatchResponses {
    pub(super) outcomes: Vec<Option<Outcome>>,
    /// The method and URL of each request, for its errors.
    pub(super) calls: Vec<Option<(Method, String)>>,
    pub(super) tag: u64,
}

impl BatchResponses {
    /// What awaiting the request of `handle` directly would have given: its answer read as
    /// the request reads it, or the error of its status with Graph's envelope and the
    /// item's headers. Each handle is taken once; a second take, or a handle of another
    /// batch, is an invalid argument.
    pub fn take<A: Answer>(&mut self, handle: Handle<A>) -> Result<A::Output, Error> {
        let index = handle.id.index;
        let outcome = (handle.id.tag == self.tag)
            .then(|| self.outcomes.get_mut(index).and_then(Option::take))
            .flatten()
            .ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "request {} of this batch was taken already, or is of another batch",
                    index + 1
                ))
            })?;
        let (method, url) = match self.calls.get(index) {
            Some(Some((method, url))) => (method, url.as_str()),
            _ => (&Method::GET, ""),
        };
        match outcome {
            Outcome::Failed(error) => Err(error),
            Outcome::Answered(mut reply) if reply.status.is_success() => {
                if A::reads_headers(reply.status, reply.body.json()) {
                    reply.read_headers();
                }
                let body = reply.body.json();
                A::read(method, url, reply.status, &mut reply.headers, body)
            }
            Outcome::Answered(reply) => Err(Error::Api(Box::new(ApiError::from_response(
                method,
                url,
                reply.into_response(),
            )))),
        }
    }
}

impl fmt::Debug for BatchResponses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let left = self
            .outcomes
            .iter()
            .filter(|outcome| outcome.is_some())
            .count();
        f.debug_struct("BatchResponses")
            .field("requests", &self.outcomes.len())
            .field("not_taken", &left)
            .finish()
    }
}
