//! `$batch`: many request values in one HTTP request, each answered on its own.

mod decode;
mod encode;
mod plan;
mod responses;
mod send;

use std::fmt;
use std::marker::PhantomData;

use crate::client::Client;
use crate::error::Error;
use crate::pipeline::Call;
use crate::request::{Answer, Request};
use crate::transport::BoxFuture;

pub use responses::BatchResponses;

/// The most requests Graph takes in one `$batch`.
pub const MAX_BATCH_REQUESTS: usize = 20;

/// Request values collected to be sent together to `{base}/$batch`; from
/// [`Client::batch`](crate::Client::batch).
///
/// Each [`add`](Batch::add) gives a typed [`Handle`]; after [`send`](Batch::send), the
/// [`BatchResponses`] give each handle exactly what awaiting its request directly would
/// have: the entity, the page, `Option<T>`, `()`, or the same [`Error`] with the item's
/// status, error envelope and headers. An outer `200 OK` says nothing of the items: each is
/// judged on its own.
///
/// - More than 20 requests are sent as several batches; a request and those it depends on
///   (directly or through others) always go in the same one.
/// - Items answered `429` or `503` (`504` for idempotent methods) are sent again, with their
///   dependents, in a follow-up batch after the longest `Retry-After` among them, within
///   the client's [`RetryPolicy`](crate::RetryPolicy). Nothing else is sent twice. An item's
///   `429` holds the throttling scope of its URL at the client's throttle gate, as a direct
///   call's would: the client's other calls in that scope wait. The batch's own `$batch`
///   requests are not held by it: the rest of its first round goes on, and its follow-up
///   waits once, in its retry step.
/// - Requests that depend on one that failed come back as `424 Failed Dependency` naming it.
/// - A throttled or failed `$batch` request as a whole is retried like any request; when
///   it still fails, the requests it carried get that error, the others keep their answers.
/// - Every request must be built on the batch's client.
///
/// ```
/// # use graph_resource_runtime::{Client, Error, MockResponse, MockTransport};
/// # use graph_resource_runtime::__private::{create, get, PathPart::{Key, Literal}};
/// # use serde_json::{json, Value};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let mock = MockTransport::new();
/// # mock.push(MockResponse::json(200, json!({"responses": [
/// #     {"id": "2", "status": 200, "body": {"id": "g1"}},
/// #     {"id": "1", "status": 201, "body": {"id": "a1"}},
/// # ]})));
/// # let client = mock.client_builder().build()?;
/// # let assignments = &[Literal("/deviceManagement/intents/"), Key("intent_id"), Literal("/assignments")];
/// # let group = &[Literal("/groups/"), Key("group_id")];
/// let mut batch = client.batch();
/// // In an SDK: `batch.add(DeviceManagementIntentAssignment::create(&client, "i1", &body))`.
/// let created = batch.add(create(&client, assignments, &["i1"], &json!({})));
/// let read = batch.add_after(get::<Value>(&client, group, &["g1"]), [created.id()]);
/// let mut responses = batch.send().await?;
/// assert_eq!(responses.take(created)?.entity().map(|a| &a["id"]), Some(&json!("a1")));
/// assert_eq!(responses.take(read)?["id"], "g1");
/// # Ok(())
/// # }
/// ```
#[must_use = "a batch does nothing until it is sent"]
pub struct Batch {
    client: Client,
    items: Vec<Item>,
    /// Tells this batch's handles from another's.
    tag: u64,
}

/// One request of a batch.
struct Item {
    call: Result<Call, Error>,
    /// Indices of the items this one waits for.
    depends_on: Vec<usize>,
}

/// The typed handle of a request added to a [`Batch`]; [`BatchResponses::take`] gives what
/// awaiting the request would have.
#[must_use = "a handle is how the request's answer is taken"]
pub struct Handle<A> {
    id: ItemId,
    answer: PhantomData<fn() -> A>,
}

impl<A> Handle<A> {
    /// The untyped id, for [`Batch::add_after`].
    pub fn id(&self) -> ItemId {
        self.id
    }
}

impl<A> Clone for Handle<A> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A> Copy for Handle<A> {}

impl<A> fmt::Debug for Handle<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Handle").field(&self.id.index).finish()
    }
}

/// A request of a batch, whatever its answer: what another request can depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemId {
    index: usize,
    tag: u64,
}

impl Client {
    /// A `$batch` of request values of this client; see [`Batch`].
    pub fn batch(&self) -> Batch {
        Batch {
            client: self.clone(),
            items: Vec::new(),
            tag: fastrand::u64(..),
        }
    }
}

impl Batch {
    /// Adds `request`; its answer is taken with the handle once the batch was sent.
    pub fn add<A: Answer>(&mut self, request: Request<A>) -> Handle<A> {
        self.add_after(request, [])
    }

    /// Adds `request`, sent only after the requests of `after` succeeded (`dependsOn`).
    /// An id of another batch fails the request's handle with an invalid argument.
    pub fn add_after<A: Answer>(
        &mut self,
        request: Request<A>,
        after: impl IntoIterator<Item = ItemId>,
    ) -> Handle<A> {
        let index = self.items.len();
        let mut call = request.into_call().and_then(|(client, call)| {
            if !client.is_same(&self.client) {
                return Err(Error::InvalidArgument(
                    "a request of a batch must be built on the client of the batch".into(),
                ));
            }
            if call.follow_redirects {
                return Err(Error::InvalidArgument(
                    "a report's bytes cannot come through a batch, which would answer the \
                     redirect to them itself: send the request alone"
                        .into(),
                ));
            }
            let mut call = call;
            client.pipeline().headers.add_defaults(&mut call.headers);
            let visible = call.headers.values().all(|value| value.to_str().is_ok());
            if !visible {
                return Err(Error::InvalidArgument(
                    "a request of a batch can only carry headers of visible ASCII".into(),
                ));
            }
            Ok(call)
        });
        let mut depends_on = Vec::new();
        for id in after {
            if id.tag == self.tag && id.index < index {
                depends_on.push(id.index);
            } else if call.is_ok() {
                call = Err(Error::InvalidArgument(
                    "a request of a batch can only depend on requests added to the same batch before it".into(),
                ));
            }
        }
        self.items.push(Item { call, depends_on });
        Handle {
            id: ItemId {
                index,
                tag: self.tag,
            },
            answer: PhantomData,
        }
    }

    /// How many requests were added.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no request was added.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sends every request, in as many `$batch` requests as needed, and collects each
    /// answer. Fails as a whole only when a dependency chain has more than 20 requests, and
    /// then nothing is sent. Once something was sent, no answer is lost: a `$batch` request
    /// that fails after its retries fails the requests it carried, and only those.
    pub fn send(self) -> BoxFuture<'static, Result<BatchResponses, Error>> {
        Box::pin(self.run())
    }
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Batch")
            .field("requests", &self.items.len())
            .finish_non_exhaustive()
    }
}
