//! With the `tracing` feature, each call is a span with OpenTelemetry's HTTP attribute names
//! and each retry an event in it, as each wait at the throttle gate; no token and no query
//! value appears in any of them.
#![cfg(feature = "tracing")]

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use graph_resource_runtime::__private::{PathPart, create, get};
use graph_resource_runtime::{MockResponse, MockTransport, RetryPolicy};
use serde_json::{Value, json};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// What the subscriber saw: spans with their fields, events with theirs.
#[derive(Debug, Default)]
struct Seen {
    spans: Vec<(String, BTreeMap<String, String>)>,
    events: Vec<(Option<u64>, BTreeMap<String, String>)>,
}

/// A subscriber that keeps everything in memory, so that the test reads exactly what an
/// OpenTelemetry exporter would be handed.
#[derive(Clone, Default)]
struct Capture {
    seen: Arc<Mutex<Seen>>,
    current: Arc<Mutex<Vec<u64>>>,
    next_id: Arc<AtomicU64>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = BTreeMap::new();
        span.record(&mut Fields(&mut fields));
        let mut seen = self.seen.lock().unwrap();
        seen.spans.push((span.metadata().name().to_owned(), fields));
        let id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        assert_eq!(id as usize, seen.spans.len());
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut seen = self.seen.lock().unwrap();
        let index = span.into_u64() as usize - 1;
        values.record(&mut Fields(&mut seen.spans[index].1));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        let parent = self.current.lock().unwrap().last().copied();
        self.seen.lock().unwrap().events.push((parent, fields));
    }

    fn enter(&self, span: &Id) {
        self.current.lock().unwrap().push(span.into_u64());
    }

    fn exit(&self, _: &Id) {
        self.current.lock().unwrap().pop();
    }
}

const ASSIGNMENTS: &[PathPart] = &[
    PathPart::Literal("/deviceManagement/intents/"),
    PathPart::Key("intent_id"),
    PathPart::Literal("/assignments"),
];

#[test]
fn each_call_is_a_span_with_http_attributes_and_each_retry_an_event() {
    let mock = MockTransport::new();
    mock.push(
        MockResponse::json(429, json!({"error": {"code": "TooManyRequests"}}))
            .header("retry-after", "0.25"),
    )
    .push(MockResponse::json(201, json!({"id": "a1"})))
    .push(MockResponse::json(
        404,
        json!({"error": {"code": "NotFound"}}),
    ));
    let client = mock
        .client_builder()
        .retry_policy(RetryPolicy::default())
        .build()
        .unwrap();
    let capture = Capture::default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    tracing::subscriber::with_default(capture.clone(), || {
        runtime.block_on(async {
            let created = create(&client, ASSIGNMENTS, &["intent 1"], &json!({}))
                .await
                .unwrap();
            assert_eq!(
                created.entity().map(|created| &created["id"]),
                Some(&json!("a1"))
            );
            // In the create's throttling scope (Intune), so its 429 holds this call too.
            let member: &[PathPart] = &[
                PathPart::Literal("/deviceManagement/intents/"),
                PathPart::Key("intent_id"),
            ];
            let error = get::<Value>(&client, member, &["intent 2"])
                .await
                .unwrap_err();
            assert_eq!(error.status(), Some(http::StatusCode::NOT_FOUND));
        });
    });

    let requests = mock.requests();
    let seen = capture.seen.lock().unwrap();
    assert_eq!(seen.spans.len(), 2, "{seen:#?}");
    let (name, create_span) = &seen.spans[0];
    assert_eq!(name, "graph.request");
    let expected: BTreeMap<String, String> = [
        ("otel.kind", "client"),
        ("otel.name", "POST"),
        ("http.request.method", "POST"),
        (
            "url.full",
            "https://graph.microsoft.com/v1.0/deviceManagement/intents/intent%201/assignments",
        ),
        (
            "client-request-id",
            requests[0].client_request_id().unwrap(),
        ),
        ("http.response.status_code", "201"),
        ("http.request.resend_count", "1"),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value.to_owned()))
    .collect();
    assert_eq!(create_span, &expected);
    assert_eq!(
        requests[1].client_request_id(),
        requests[0].client_request_id(),
        "the retry is the same call"
    );

    let (_, get_span) = &seen.spans[1];
    assert_eq!(get_span["http.request.method"], "GET");
    assert_eq!(get_span["http.response.status_code"], "404");
    assert_eq!(get_span["error.type"], "404");
    assert_eq!(
        get_span["client-request-id"],
        requests[2].client_request_id().unwrap()
    );
    assert!(
        !get_span.contains_key("http.request.resend_count"),
        "{get_span:?}"
    );

    let [(parent, retry), (held_in, held)] = &seen.events[..] else {
        panic!(
            "one retry event and one wait at the gate expected: {:#?}",
            seen.events
        );
    };
    assert_eq!(
        *parent,
        Some(1),
        "the retry event belongs to the create span"
    );
    assert_eq!(retry["retry"], "1");
    assert_eq!(retry["delay_ms"], "250");
    assert_eq!(retry["http.response.status_code"], "429");
    assert_eq!(retry["message"], "retrying");

    // The 429 held its scope: the next call waited for what was left of its 250 ms, and at
    // most a tenth of it more, the spread of the release.
    assert_eq!(*held_in, Some(2), "the wait belongs to the get span");
    assert_eq!(held["message"], "held by the throttle gate");
    assert_eq!(held["server.address"], "graph.microsoft.com");
    let waited: u64 = held["delay_ms"].parse().unwrap();
    assert!((1..=275).contains(&waited), "{held:?}");

    let everything = format!("{seen:?}");
    assert!(!everything.contains(MockTransport::TOKEN), "{everything}");
    assert!(!everything.contains("Bearer"), "{everything}");
}
