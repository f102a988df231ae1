//! Decodes one of the benchmark payloads `N` times: `instructions <case> <N>`. Run under
//! callgrind by `perf/instructions.sh`, the difference between `N` and `0` decodes gives the
//! instructions of one decode, a count that does not drift with the machine's load.

#[path = "../../../benches/models/mod.rs"]
mod models;

use std::hint::black_box;

use models::{graph, plain};

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_default();
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let first = models::WINDOWS10_TYPE_FIRST;
    let last = models::windows10_type_last();
    let decode: fn(&str) = match case.as_str() {
        "plain" => decode::<plain::Windows10GeneralConfiguration>,
        "graph-struct" => decode::<graph::Windows10GeneralConfiguration>,
        "graph-enum" => decode::<graph::AnyDeviceConfiguration>,
        "tagged-enum" => decode::<plain::AnyDeviceConfiguration>,
        "plain-page" => decode::<PlainPage>,
        "graph-page" => decode::<graph_resource::Page<graph::Windows10GeneralConfiguration>>,
        _ => {
            eprintln!(
                "usage: instructions plain|graph-struct|graph-enum|tagged-enum|plain-page|graph-page <count> [first|last|context|page]"
            );
            std::process::exit(2);
        }
    };
    let context = models::windows10_context_first();
    let page = models::page(0, 2, 100);
    let input = match args.next().as_deref() {
        Some("page") => page.as_str(),
        Some("last") => last.as_str(),
        Some("context") => context.as_str(),
        _ => first,
    };
    for _ in 0..count {
        decode(black_box(input));
    }
}

/// A page of 100 objects as the plain serde derive reads it.
#[derive(serde::Deserialize)]
struct PlainPage {
    #[serde(rename = "value")]
    _value: Vec<plain::Windows10GeneralConfiguration>,
    #[serde(rename = "@odata.nextLink")]
    _next_link: Option<String>,
}

/// Decodes `input` as `T`, keeping the optimizer from dropping the work.
fn decode<T: serde::de::DeserializeOwned>(input: &str) {
    drop(black_box(serde_json::from_str::<T>(input)));
}
