//! Collections: decoding one 100-item page against the plain serde derive of the same page,
//! and `list().all()` over 10 pages against decoding the same pages by hand with serde_json,
//! in the same run.
//!
//! ```text
//! cargo bench --bench list
//! ```

mod models;
#[path = "../tests/support/ready.rs"]
mod ready;

use std::hint::black_box;
use std::sync::Arc;

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use graph_resource::{BoxFuture, Client, Page, Transport, TransportError};
use http::{Request, Response};
use models::{graph, plain};
use ready::block_on;
use serde::Deserialize;

/// A page as one would write it with serde: the items and the link to the next page.
#[derive(Deserialize)]
struct SerdePage<T> {
    value: Vec<T>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
}

const PAGES: usize = 10;
const ITEMS: usize = 100;

/// Answers `?$skiptoken=N` with page N, and the first request with page 0.
#[derive(Debug)]
struct Pages(Vec<Bytes>);

impl Transport for Pages {
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> BoxFuture<'_, Result<Response<Bytes>, TransportError>> {
        let index = request
            .uri()
            .query()
            .and_then(|query| query.strip_prefix("$skiptoken="))
            .and_then(|index| index.parse::<usize>().ok())
            .unwrap_or(0);
        let body = self.0.get(index).cloned().unwrap_or_default();
        Box::pin(std::future::ready(Ok(Response::new(body))))
    }
}

/// What a careful hand-written loop does with the same bodies: decode each page, follow its
/// next link to the next body, collect the items.
fn all_by_hand(pages: &[Bytes]) -> Vec<graph::AnyDeviceConfiguration> {
    let mut items = Vec::new();
    let mut index = 0;
    loop {
        let page: SerdePage<graph::AnyDeviceConfiguration> =
            serde_json::from_slice(&pages[index]).unwrap();
        items.extend(page.value);
        match page.next_link {
            Some(link) => index = link.rsplit('=').next().unwrap().parse().unwrap(),
            None => return items,
        }
    }
}

fn decode_a_page(c: &mut Criterion) {
    let body = models::page(0, 2, ITEMS);
    let plain: SerdePage<plain::Windows10GeneralConfiguration> =
        serde_json::from_str(&body).unwrap();
    let graph: Page<graph::Windows10GeneralConfiguration> = serde_json::from_str(&body).unwrap();
    assert_eq!((plain.value.len(), graph.items.len()), (ITEMS, ITEMS));
    assert_eq!(plain.next_link, graph.next_link);

    let mut group = c.benchmark_group("decode a 100-item page");
    group.bench_function("plain derive", |b| {
        b.iter(|| {
            serde_json::from_str::<SerdePage<plain::Windows10GeneralConfiguration>>(black_box(
                &body,
            ))
            .unwrap()
        })
    });
    group.bench_function("graph struct", |b| {
        b.iter(|| {
            serde_json::from_str::<Page<graph::Windows10GeneralConfiguration>>(black_box(&body))
                .unwrap()
        })
    });
    group.bench_function("graph enum", |b| {
        b.iter(|| {
            serde_json::from_str::<Page<graph::AnyDeviceConfiguration>>(black_box(&body)).unwrap()
        })
    });
    group.finish();
}

fn list_all(c: &mut Criterion) {
    let pages: Vec<Bytes> = (0..PAGES)
        .map(|index| Bytes::from(models::page(index, PAGES, ITEMS)))
        .collect();
    let client = Client::builder()
        .bearer_token("bench-token")
        .transport(Arc::new(Pages(pages.clone())))
        .build()
        .unwrap();
    let listed = block_on(graph::AnyDeviceConfiguration::list(&client).all()).unwrap();
    assert_eq!(listed, all_by_hand(&pages));
    assert_eq!(listed.len(), PAGES * ITEMS);

    let mut group = c.benchmark_group("every item of 10 pages of 100");
    group.bench_function("by hand with serde_json", |b| {
        b.iter(|| all_by_hand(black_box(&pages)))
    });
    group.bench_function("graph list().all()", |b| {
        b.iter(|| block_on(graph::AnyDeviceConfiguration::list(black_box(&client)).all()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, decode_a_page, list_all);
criterion_main!(benches);
