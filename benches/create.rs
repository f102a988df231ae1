//! The cost of `create` through a transport that answers at once, against building the same
//! request by hand with `http` and `serde_json` and sending it through the same transport.
//!
//! ```text
//! cargo bench --bench create
//! ```

mod models;
#[path = "../tests/support/ready.rs"]
mod ready;

use std::hint::black_box;
use std::sync::Arc;

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use graph_resource::{BoxFuture, Client, Transport, TransportError};
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{HeaderValue, Request, Response};
use models::graph::{
    DeviceAndAppManagementAssignmentTarget, DeviceManagementIntentAssignment, GroupAssignmentTarget,
};
use ready::block_on;

/// Answers every request with the seed's `201 Created`, without any I/O.
#[derive(Debug)]
struct Created(Bytes);

impl Transport for Created {
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> BoxFuture<'_, Result<Response<Bytes>, TransportError>> {
        black_box(&request);
        let mut response = Response::new(self.0.clone());
        *response.status_mut() = http::StatusCode::CREATED;
        Box::pin(std::future::ready(Ok(response)))
    }
}

/// What a careful hand-written call does: the same URL, headers and body, the same decode.
async fn create_by_hand(
    transport: &dyn Transport,
    base_url: &str,
    token: &str,
    intent_id: &str,
    body: &DeviceManagementIntentAssignment,
) -> DeviceManagementIntentAssignment {
    let uri = format!("{base_url}/deviceManagement/intents/{intent_id}/assignments");
    let bits = fastrand::u128(..);
    let request_id = format!("{:032x}", bits);
    let mut authorization = HeaderValue::try_from(format!("Bearer {token}")).unwrap();
    authorization.set_sensitive(true);
    let request = Request::post(uri)
        .header(AUTHORIZATION, authorization)
        .header(ACCEPT, "application/json")
        .header(USER_AGENT, "hand-written/1.0")
        .header("client-request-id", request_id)
        .header(CONTENT_TYPE, "application/json")
        .body(Bytes::from(serde_json::to_vec(body).unwrap()))
        .unwrap();
    let response = transport.send(request).await.unwrap();
    assert!(response.status().is_success());
    serde_json::from_slice(response.body()).unwrap()
}

fn create(c: &mut Criterion) {
    let transport = Arc::new(Created(Bytes::from_static(
        models::SEED_RESPONSE.as_bytes(),
    )));
    let client = Client::builder()
        .base_url("https://graph.microsoft.com/beta")
        .bearer_token("bench-token")
        .transport(transport.clone())
        .build()
        .unwrap();
    let body = DeviceManagementIntentAssignment {
        id: None,
        target: Some(DeviceAndAppManagementAssignmentTarget::Group(
            GroupAssignmentTarget {
                group_id: Some("3f2a6b9c-5d4e-4f1a-9b8c-7d6e5f4a3b2c".into()),
            },
        )),
    };
    let by_client = block_on(DeviceManagementIntentAssignment::create(
        &client, "intent-1", &body,
    ))
    .unwrap()
    .into_entity();
    let by_hand = block_on(create_by_hand(
        &*transport,
        client.base_url(),
        "bench-token",
        "intent-1",
        &body,
    ));
    assert_eq!(by_client, Some(by_hand));

    let mut group = c.benchmark_group("create through a transport that answers at once");
    group.bench_function("by hand with http and serde_json", |b| {
        b.iter(|| {
            block_on(create_by_hand(
                &*transport,
                "https://graph.microsoft.com/beta",
                "bench-token",
                black_box("intent-1"),
                black_box(&body),
            ))
        })
    });
    group.bench_function("graph create", |b| {
        b.iter(|| {
            block_on(DeviceManagementIntentAssignment::create(
                &client,
                black_box("intent-1"),
                black_box(&body),
            ))
            .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, create);
criterion_main!(benches);
