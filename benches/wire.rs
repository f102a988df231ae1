//! Serialization and deserialization against the plain serde derive of identical structs and
//! against serde's tagged enums, in the same run.
//!
//! ```text
//! cargo bench --bench wire
//! ```

mod models;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use graph_resource::Bytes;
use models::{graph, plain, records};

fn deserialize_20_properties(c: &mut Criterion) {
    let type_first = models::WINDOWS10_TYPE_FIRST;
    let type_last = models::windows10_type_last();
    let mut group = c.benchmark_group("deserialize 20 properties");
    group.bench_function("plain derive", |b| {
        b.iter(|| {
            serde_json::from_str::<plain::Windows10GeneralConfiguration>(black_box(type_first))
                .unwrap()
        })
    });
    group.bench_function("graph struct", |b| {
        b.iter(|| {
            serde_json::from_str::<graph::Windows10GeneralConfiguration>(black_box(type_first))
                .unwrap()
        })
    });
    group.bench_function("graph enum, type first", |b| {
        b.iter(|| {
            serde_json::from_str::<graph::AnyDeviceConfiguration>(black_box(type_first)).unwrap()
        })
    });
    group.bench_function("serde tagged enum, type first", |b| {
        b.iter(|| {
            serde_json::from_str::<plain::AnyDeviceConfiguration>(black_box(type_first)).unwrap()
        })
    });
    group.bench_function("plain derive, type last", |b| {
        b.iter(|| {
            serde_json::from_str::<plain::Windows10GeneralConfiguration>(black_box(&type_last))
                .unwrap()
        })
    });
    group.bench_function("graph enum, type last", |b| {
        b.iter(|| {
            serde_json::from_str::<graph::AnyDeviceConfiguration>(black_box(&type_last)).unwrap()
        })
    });
    group.bench_function("serde tagged enum, type last", |b| {
        b.iter(|| {
            serde_json::from_str::<plain::AnyDeviceConfiguration>(black_box(&type_last)).unwrap()
        })
    });
    group.finish();
}

/// The same objects from the bytes of a body, as an answer arrives: the plain derive checks
/// them as UTF-8 and reads the text (or reads the bytes, as reqwest's `json()` does), the
/// models go through `graph_resource::from_json`, as the client reads an answer, which looks
/// ahead in the text for a type that comes after properties.
fn deserialize_from_bytes(c: &mut Criterion) {
    let type_first = Bytes::from_static(models::WINDOWS10_TYPE_FIRST.as_bytes());
    let type_last = Bytes::from(models::windows10_type_last());
    let context_first = Bytes::from(models::windows10_context_first());
    let mut group = c.benchmark_group("deserialize 20 properties from bytes");
    for (order, body) in [
        ("type first", &type_first),
        ("type last", &type_last),
        ("context URL first", &context_first),
    ] {
        group.bench_function(format!("plain derive, {order}"), |b| {
            b.iter(|| {
                let text = std::str::from_utf8(black_box(body)).unwrap();
                serde_json::from_str::<plain::Windows10GeneralConfiguration>(text).unwrap()
            })
        });
        group.bench_function(format!("plain derive from_slice, {order}"), |b| {
            b.iter(|| {
                serde_json::from_slice::<plain::Windows10GeneralConfiguration>(black_box(body))
                    .unwrap()
            })
        });
        group.bench_function(format!("graph struct, {order}"), |b| {
            b.iter(|| {
                graph_resource::from_json::<graph::Windows10GeneralConfiguration>(black_box(body))
                    .unwrap()
            })
        });
        group.bench_function(format!("graph enum, {order}"), |b| {
            b.iter(|| {
                graph_resource::from_json::<graph::AnyDeviceConfiguration>(black_box(body)).unwrap()
            })
        });
    }
    group.finish();
}

fn deserialize_context_first(c: &mut Criterion) {
    let input = models::windows10_context_first();
    let mut group = c.benchmark_group("deserialize 20 properties, context URL first");
    group.bench_function("plain derive", |b| {
        b.iter(|| {
            serde_json::from_str::<plain::Windows10GeneralConfiguration>(black_box(&input)).unwrap()
        })
    });
    group.bench_function("graph struct", |b| {
        b.iter(|| {
            serde_json::from_str::<graph::Windows10GeneralConfiguration>(black_box(&input)).unwrap()
        })
    });
    group.bench_function("graph enum", |b| {
        b.iter(|| serde_json::from_str::<graph::AnyDeviceConfiguration>(black_box(&input)).unwrap())
    });
    group.bench_function("serde tagged enum", |b| {
        b.iter(|| serde_json::from_str::<plain::AnyDeviceConfiguration>(black_box(&input)).unwrap())
    });
    group.finish();
}

/// An audit record of the first, the 32nd and the last of 64 types: the polymorphic enum
/// finds its variant by a table, serde's tagged enum by comparing the type with its names;
/// the plain derive reads the same object into the variant's struct.
fn deserialize_one_of_64_types(c: &mut Criterion) {
    let mut group = c.benchmark_group("deserialize one of 64 types");
    for (label, index) in [("first", 0), ("32nd", 31), ("last", 63)] {
        let input = records::record(index);
        group.bench_function(format!("plain derive, {label}"), |b| {
            b.iter(|| {
                serde_json::from_str::<records::plain::A365AiExecuteTool>(black_box(&input))
                    .unwrap()
            })
        });
        group.bench_function(format!("graph enum, {label}"), |b| {
            b.iter(|| {
                serde_json::from_str::<records::graph::AnyAuditRecord>(black_box(&input)).unwrap()
            })
        });
        group.bench_function(format!("serde tagged enum, {label}"), |b| {
            b.iter(|| {
                serde_json::from_str::<records::plain::AnyAuditRecord>(black_box(&input)).unwrap()
            })
        });
    }
    group.finish();
}

fn deserialize_seed(c: &mut Criterion) {
    let type_first = models::SEED_RESPONSE;
    let type_last = models::seed_type_last();
    let mut group = c.benchmark_group("deserialize seed entity");
    group.bench_function("plain derive + serde tagged enum, type first", |b| {
        b.iter(|| {
            serde_json::from_str::<plain::DeviceManagementIntentAssignment>(black_box(type_first))
                .unwrap()
        })
    });
    group.bench_function("graph, type first", |b| {
        b.iter(|| {
            serde_json::from_str::<graph::DeviceManagementIntentAssignment>(black_box(type_first))
                .unwrap()
        })
    });
    group.bench_function("plain derive + serde tagged enum, type last", |b| {
        b.iter(|| {
            serde_json::from_str::<plain::DeviceManagementIntentAssignment>(black_box(&type_last))
                .unwrap()
        })
    });
    group.bench_function("graph, type last", |b| {
        b.iter(|| {
            serde_json::from_str::<graph::DeviceManagementIntentAssignment>(black_box(&type_last))
                .unwrap()
        })
    });
    group.finish();
}

fn serialize(c: &mut Criterion) {
    let graph_config: graph::Windows10GeneralConfiguration =
        serde_json::from_str(models::WINDOWS10_TYPE_FIRST).unwrap();
    let plain_config: plain::Windows10GeneralConfiguration =
        serde_json::from_str(models::WINDOWS10_TYPE_FIRST).unwrap();
    let graph_enum = graph::AnyDeviceConfiguration::Windows10General(graph_config.clone());
    let plain_enum = plain::AnyDeviceConfiguration::Windows10General(plain_config.clone());
    assert_eq!(
        serde_json::to_string(&graph_config).unwrap(),
        models::WINDOWS10_TYPE_FIRST
    );
    assert_eq!(
        serde_json::to_string(&plain_config).unwrap(),
        models::WINDOWS10_TYPE_FIRST
    );

    let graph_seed: graph::DeviceManagementIntentAssignment =
        serde_json::from_str(models::SEED_RESPONSE).unwrap();
    let plain_seed: plain::DeviceManagementIntentAssignment =
        serde_json::from_str(models::SEED_RESPONSE).unwrap();
    assert_eq!(
        serde_json::to_string(&graph_seed).unwrap(),
        models::SEED_RESPONSE
    );
    assert_eq!(
        serde_json::to_string(&plain_seed).unwrap(),
        models::SEED_RESPONSE
    );

    let mut group = c.benchmark_group("serialize 20 properties");
    let mut buffer = Vec::with_capacity(4096);
    group.bench_function("plain derive", |b| {
        b.iter(|| {
            buffer.clear();
            serde_json::to_writer(&mut buffer, black_box(&plain_config)).unwrap();
        })
    });
    group.bench_function("graph struct", |b| {
        b.iter(|| {
            buffer.clear();
            serde_json::to_writer(&mut buffer, black_box(&graph_config)).unwrap();
        })
    });
    group.bench_function("serde tagged enum", |b| {
        b.iter(|| {
            buffer.clear();
            serde_json::to_writer(&mut buffer, black_box(&plain_enum)).unwrap();
        })
    });
    group.bench_function("graph enum", |b| {
        b.iter(|| {
            buffer.clear();
            serde_json::to_writer(&mut buffer, black_box(&graph_enum)).unwrap();
        })
    });
    group.finish();

    let mut group = c.benchmark_group("serialize seed entity");
    group.bench_function("plain derive + serde tagged enum", |b| {
        b.iter(|| {
            buffer.clear();
            serde_json::to_writer(&mut buffer, black_box(&plain_seed)).unwrap();
        })
    });
    group.bench_function("graph", |b| {
        b.iter(|| {
            buffer.clear();
            serde_json::to_writer(&mut buffer, black_box(&graph_seed)).unwrap();
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    deserialize_20_properties,
    deserialize_context_first,
    deserialize_from_bytes,
    deserialize_seed,
    deserialize_one_of_64_types,
    serialize
);
criterion_main!(benches);
