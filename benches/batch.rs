//! `$batch`: building and decoding a 20-item batch through a transport that answers at
//! once, against the same 20 requests built and decoded by hand with serde_json, in the same
//! run: once reading each body in the same pass (only possible when every request is of one
//! type), once reading each body after the envelope (what requests of different types need).
//!
//! ```text
//! cargo bench --bench batch
//! ```

mod models;
#[path = "../tests/support/ready.rs"]
mod ready;

use std::hint::black_box;
use std::sync::Arc;

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use graph_resource::{BoxFuture, Client, Transport, TransportError};
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use http::{Request, Response};
use models::graph::AnyDeviceConfiguration;
use ready::block_on;
use serde::{Deserialize, Serialize};

const ITEMS: usize = 20;
const BASE: &str = "https://graph.microsoft.com/v1.0";

/// Answers every request with the same `$batch` answer.
#[derive(Debug)]
struct Answers(Bytes);

impl Transport for Answers {
    fn send(&self, _: Request<Bytes>) -> BoxFuture<'_, Result<Response<Bytes>, TransportError>> {
        Box::pin(std::future::ready(Ok(Response::new(self.0.clone()))))
    }
}

/// A `$batch` answer of `ITEMS` 20-property objects, in reverse order as Graph may send them.
fn answer() -> String {
    let responses: Vec<String> = (1..=ITEMS)
        .rev()
        .map(|id| {
            format!(
                r#"{{"id":"{id}","status":200,"headers":{{"content-type":"application/json"}},"body":{}}}"#,
                models::WINDOWS10_TYPE_FIRST
            )
        })
        .collect();
    format!(r#"{{"responses":[{}]}}"#, responses.join(","))
}

#[derive(Serialize)]
struct HandBatch {
    requests: Vec<HandRequest>,
}

#[derive(Serialize)]
struct HandRequest {
    id: String,
    method: &'static str,
    url: String,
}

#[derive(Deserialize)]
struct HandAnswers {
    responses: Vec<HandAnswer>,
}

#[derive(Deserialize)]
struct HandAnswer {
    id: String,
    status: u16,
    body: AnyDeviceConfiguration,
}

#[derive(Deserialize)]
struct HandRawAnswers<'a> {
    #[serde(borrow)]
    responses: Vec<HandRawAnswer<'a>>,
}

/// An answer whose body is read later, by the type its request expects: what a batch of
/// requests of different types has to do.
#[derive(Deserialize)]
struct HandRawAnswer<'a> {
    id: &'a str,
    status: u16,
    #[serde(borrow)]
    body: &'a serde_json::value::RawValue,
}

/// What a careful hand-written batch does: the same body and headers, the same decode, the
/// answers put back in request order. `typed` reads each body in the same pass, which only
/// a batch of requests of one type can; otherwise each body is read after the envelope.
async fn by_hand(
    transport: &dyn Transport,
    ids: &[String],
    typed: bool,
) -> Vec<AnyDeviceConfiguration> {
    let batch = HandBatch {
        requests: ids
            .iter()
            .enumerate()
            .map(|(index, id)| HandRequest {
                id: (index + 1).to_string(),
                method: "GET",
                url: format!("/deviceManagement/deviceConfigurations/{id}"),
            })
            .collect(),
    };
    let request = Request::post(format!("{BASE}/$batch"))
        .header(AUTHORIZATION, "Bearer bench-token")
        .header(ACCEPT, "application/json")
        .header(CONTENT_TYPE, "application/json")
        .body(Bytes::from(serde_json::to_vec(&batch).unwrap()))
        .unwrap();
    let response = transport.send(request).await.unwrap();
    let mut items: Vec<Option<AnyDeviceConfiguration>> = (0..ids.len()).map(|_| None).collect();
    if typed {
        let answers: HandAnswers = serde_json::from_slice(response.body()).unwrap();
        for answer in answers.responses {
            assert_eq!(answer.status, 200);
            let index: usize = answer.id.parse().unwrap();
            items[index - 1] = Some(answer.body);
        }
    } else {
        let answers: HandRawAnswers = serde_json::from_slice(response.body()).unwrap();
        for answer in answers.responses {
            assert_eq!(answer.status, 200);
            let index: usize = answer.id.parse().unwrap();
            items[index - 1] = Some(serde_json::from_str(answer.body.get()).unwrap());
        }
    }
    items.into_iter().map(Option::unwrap).collect()
}

async fn by_client(client: &Client, ids: &[String]) -> Vec<AnyDeviceConfiguration> {
    let mut batch = client.batch();
    let handles: Vec<_> = ids
        .iter()
        .map(|id| batch.add(AnyDeviceConfiguration::get(client, id)))
        .collect();
    let mut responses = batch.send().await.unwrap();
    handles
        .into_iter()
        .map(|handle| responses.take(handle).unwrap())
        .collect()
}

fn batch(c: &mut Criterion) {
    let transport = Arc::new(Answers(Bytes::from(answer())));
    let client = Client::builder()
        .bearer_token("bench-token")
        .transport(transport.clone())
        .build()
        .unwrap();
    let ids: Vec<String> = (0..ITEMS).map(|n| format!("7a1f3c2e-{n:04}")).collect();
    let expected = block_on(by_hand(&*transport, &ids, true));
    assert_eq!(block_on(by_client(&client, &ids)), expected);
    assert_eq!(block_on(by_hand(&*transport, &ids, false)), expected);

    let mut group = c.benchmark_group("a 20-item batch through a transport that answers at once");
    group.bench_function("by hand, bodies in the same pass", |b| {
        b.iter(|| block_on(by_hand(&*transport, black_box(&ids), true)))
    });
    group.bench_function("by hand, bodies read after", |b| {
        b.iter(|| block_on(by_hand(&*transport, black_box(&ids), false)))
    });
    group.bench_function("graph batch", |b| {
        b.iter(|| block_on(by_client(&client, black_box(&ids))))
    });
    group.finish();
}

criterion_group!(benches, batch);
criterion_main!(benches);
