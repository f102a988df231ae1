//! Decodes one of the benchmark payloads `N` times: `instructions <case> <N>`. Run under
//! callgrind by `perf/instructions.sh`, the difference between `N` and `0` decodes gives the
//! instructions of one decode, a count that does not drift with the machine's load.

#[path = "../../../benches/models/mod.rs"]
mod models;

use std::hint::black_box;

use graph_resource::Bytes;

use models::{graph, plain, records};

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_default();
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let first = models::WINDOWS10_TYPE_FIRST;
    let last = models::windows10_type_last();
    // `-bytes` cases read the body as it comes off the wire: a plain struct through
    // `serde_json::from_slice`, a model through `graph_resource::from_json`, as the client does.
    let decode: fn(&str, &Bytes) = match case.as_str() {
        "plain" => decode::<plain::Windows10GeneralConfiguration>,
        "graph-struct" => decode::<graph::Windows10GeneralConfiguration>,
        "graph-enum" => decode::<graph::AnyDeviceConfiguration>,
        "tagged-enum" => decode::<plain::AnyDeviceConfiguration>,
        "plain-page" => decode::<PlainPage>,
        "graph-page" => decode::<graph_resource::Page<graph::Windows10GeneralConfiguration>>,
        "plain-bytes" => from_slice::<plain::Windows10GeneralConfiguration>,
        "plain-text" => from_text::<plain::Windows10GeneralConfiguration>,
        "tagged-enum-text" => from_text::<plain::AnyDeviceConfiguration>,
        "plain-page-text" => from_text::<PlainPage>,
        "graph-struct-bytes" => from_json::<graph::Windows10GeneralConfiguration>,
        "graph-enum-bytes" => from_json::<graph::AnyDeviceConfiguration>,
        "tagged-enum-bytes" => from_slice::<plain::AnyDeviceConfiguration>,
        "plain-page-bytes" => from_slice::<PlainPage>,
        "graph-page-bytes" => {
            from_json::<graph_resource::Page<graph::Windows10GeneralConfiguration>>
        }
        "graph-enum-page" => decode::<graph_resource::Page<graph::AnyDeviceConfiguration>>,
        "plain-record" => decode::<records::plain::A365AiExecuteTool>,
        "graph-records" => decode::<records::graph::AnyAuditRecord>,
        "tagged-records" => decode::<records::plain::AnyAuditRecord>,
        "graph-enum-page-bytes" => {
            from_json::<graph_resource::Page<graph::AnyDeviceConfiguration>>
        }
        _ => {
            eprintln!(
                "usage: instructions plain|graph-struct|graph-enum|tagged-enum|plain-page|graph-page|graph-enum-page[-bytes]|plain-record|graph-records|tagged-records <count> [first|last|context|page|big|big-last|big-untyped|record-first|record-middle|record-last]"
            );
            std::process::exit(2);
        }
    };
    let context = models::windows10_context_first();
    let page = models::page(0, 2, 100);
    let text = match args.next().as_deref() {
        Some("page") => page,
        // About 11 MB of objects typed first, last, or not at all.
        Some("big") => big_page(first.to_owned()),
        Some("big-last") => big_page(last),
        Some("big-untyped") => big_page(first.replacen(
            r##""@odata.type":"#microsoft.graph.windows10GeneralConfiguration","##,
            "",
            1,
        )),
        Some("last") => last,
        // An audit record of the first, the 32nd or the last of 64 types.
        Some("record-first") => records::record(0),
        Some("record-middle") => records::record(31),
        Some("record-last") => records::record(63),
        Some("context") => context,
        _ => first.to_owned(),
    };
    let bytes = Bytes::from(text.clone());
    for _ in 0..count {
        decode(black_box(&text), black_box(&bytes));
    }
}

/// A page of 20,000 `item`s.
fn big_page(item: String) -> String {
    let value = vec![item; 20_000].join(",");
    format!(r#"{{"value":[{value}]}}"#)
}

/// A page of 100 objects as the plain serde derive reads it.
#[derive(serde::Deserialize)]
struct PlainPage {
    #[serde(rename = "value")]
    _value: Vec<plain::Windows10GeneralConfiguration>,
    #[serde(rename = "@odata.nextLink")]
    _next_link: Option<String>,
}

/// Decodes `input` as `T` with `serde_json::from_str`, keeping the optimizer from dropping
/// the work.
fn decode<T: serde::de::DeserializeOwned>(text: &str, _: &Bytes) {
    drop(black_box(serde_json::from_str::<T>(text)));
}

/// Decodes `input` as `T` with `serde_json::from_slice`.
fn from_slice<T: serde::de::DeserializeOwned>(_: &str, input: &Bytes) {
    drop(black_box(serde_json::from_slice::<T>(input)));
}

/// Decodes `input` as `T` with `serde_json::from_str` once `std::str::from_utf8` checked it.
fn from_text<T: serde::de::DeserializeOwned>(_: &str, input: &Bytes) {
    let text = std::str::from_utf8(input).unwrap_or_default();
    drop(black_box(serde_json::from_str::<T>(text)));
}

/// Decodes `input` as `T` with `graph_resource::from_json`.
fn from_json<T: serde::de::DeserializeOwned>(_: &str, input: &Bytes) {
    drop(black_box(graph_resource::from_json::<T>(input)));
}
