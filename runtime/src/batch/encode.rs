//! The wire format of a `$batch` request: `{"requests": [...]}`, each request with its id,
//! method, relative URL, `dependsOn`, headers and JSON body.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde_json::value::RawValue;

use crate::pipeline::Call;

/// `{"requests": [...]}` of one `$batch`.
pub(super) struct Requests<'a> {
    pub(super) base: &'a str,
    pub(super) calls: &'a [Option<Call>],
    pub(super) depends_on: &'a [Vec<usize>],
    pub(super) chunk: &'a [usize],
}

impl Serialize for Requests<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct List<'a>(&'a Requests<'a>);
        impl Serialize for List<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(Some(self.0.chunk.len()))?;
                for &index in self.0.chunk {
                    let (Some(Some(call)), Some(depends_on)) =
                        (self.0.calls.get(index), self.0.depends_on.get(index))
                    else {
                        continue;
                    };
                    {
                        // Only requests of this batch: one that succeeded in an earlier
                        // batch is no longer waited for.
                        let depends_on: Vec<usize> = depends_on
                            .iter()
                            .copied()
                            .filter(|on| self.0.chunk.contains(on))
                            .collect();
                        let entry = Entry {
                            index,
                            call,
                            depends_on: &depends_on,
                            base: self.0.base,
                        };
                        seq.serialize_element(&entry)?;
                    }
                }
                seq.end()
            }
        }
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry("requests", &List(self))?;
        map.end()
    }
}

/// One request of a `$batch`: its id, method, URL relative to the base, headers, JSON body.
struct Entry<'a> {
    index: usize,
    call: &'a Call,
    depends_on: &'a [usize],
    base: &'a str,
}

impl Serialize for Entry<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let call = self.call;
        let url = call.url.strip_prefix(self.base).unwrap_or(&call.url);
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &Number(self.index + 1))?;
        map.serialize_entry("method", call.method.as_str())?;
        map.serialize_entry("url", url)?;
        if !self.depends_on.is_empty() {
            let ids: Vec<Number> = self.depends_on.iter().map(|on| Number(on + 1)).collect();
            map.serialize_entry("dependsOn", &ids)?;
        }
        // Repeated names are joined as HTTP allows; `add_after` let only visible ASCII in.
        let mut headers: BTreeMap<&str, String> = BTreeMap::new();
        for (name, value) in &call.headers {
            let value = value.to_str().unwrap_or_default();
            headers
                .entry(name.as_str())
                .and_modify(|joined| {
                    joined.push_str(", ");
                    joined.push_str(value);
                })
                .or_insert_with(|| value.to_owned());
        }
        if let Some(body) = &call.body {
            headers.insert("content-type", "application/json".to_owned());
            map.serialize_entry("headers", &headers)?;
            let body: &RawValue =
                serde_json::from_slice(body).map_err(serde::ser::Error::custom)?;
            map.serialize_entry("body", body)?;
        } else if !headers.is_empty() {
            map.serialize_entry("headers", &headers)?;
        }
        map.end()
    }
}

/// A request's id in a `$batch`: its number from 1, written as a JSON string.
struct Number(usize);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}
