//! The wire format of a `$batch` answer: `{"responses": [...]}`, read borrowing from the
//! body, each item's headers and body left as JSON text until they are needed.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Range;
use std::sync::Arc;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::MAX_BATCH_REQUESTS;
use super::responses::{ItemBody, ItemReply};
use crate::edm::Binary;

/// `{"responses": [...]}`: each item's id and its answer, borrowed from the body.
pub(super) struct Answers<'de>(pub(super) Vec<ItemAnswer<'de>>);

/// One item's answer as it stands in the body: its headers and body still raw JSON.
pub(super) struct ItemAnswer<'de> {
    /// The id as a number; `None` for one that is not a request number.
    pub(super) id: Option<usize>,
    status: StatusCode,
    headers: Option<&'de RawValue>,
    body: Option<&'de RawValue>,
}

impl ItemAnswer<'_> {
    /// The answer as an [`ItemReply`]; `whole` is the `$batch` answer it was read from, and
    /// `lent` the same text as bytes. Headers are read only where they matter: for an error,
    /// and to tell base64 from a JSON string body.
    pub(super) fn into_reply(self, whole: &Arc<String>, lent: &Bytes) -> ItemReply {
        let body = self.body.filter(|body| body.get() != "null");
        let string_body = body.is_some_and(|body| body.get().starts_with('"'));
        let (headers, unread_headers) = match self.headers {
            Some(raw) if string_body || !self.status.is_success() => {
                (parse_headers(raw.get()), None)
            }
            // Left as text until the request's answer asks for them.
            Some(raw) => match range_in(whole, raw.get()) {
                Some(range) => (HeaderMap::new(), Some((Arc::clone(whole), range))),
                None => (parse_headers(raw.get()), None),
            },
            None => (HeaderMap::new(), None),
        };
        let body = match body {
            None => ItemBody::Bytes(Bytes::new()),
            Some(body) if string_body => ItemBody::Bytes(item_text_body(body, &headers)),
            // `lent` holds the bytes of `whole`: the same range of both is the same text.
            Some(body) => match range_in(whole, body.get()).filter(|range| range.end <= lent.len())
            {
                Some(range) => ItemBody::Json {
                    answer: Arc::clone(whole),
                    lent: lent.slice(range.clone()),
                    range,
                },
                None => ItemBody::Bytes(Bytes::copy_from_slice(body.get().as_bytes())),
            },
        };
        ItemReply {
            status: self.status,
            headers,
            unread_headers,
            body,
        }
    }
}

/// An item's `headers` object; empty when it is not one.
pub(super) fn parse_headers(raw: &str) -> HeaderMap {
    serde_json::from_str::<Headers>(raw).map_or_else(|_| HeaderMap::new(), |headers| headers.0)
}

/// Where `part` lies in `whole`, when it is text borrowed from it.
fn range_in(whole: &str, part: &str) -> Option<Range<usize>> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    let end = start.checked_add(part.len())?;
    (end <= whole.len()).then_some(start..end)
}

/// A body that is a JSON string: base64 of content that is not JSON (as Graph sends it), or
/// a JSON string value.
fn item_text_body(body: &RawValue, headers: &HeaderMap) -> Bytes {
    let json = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_none_or(|value| value.to_ascii_lowercase().contains("json"));
    if !json && let Ok(text) = serde_json::from_str::<String>(body.get()) {
        return match Binary::from_base64(&text) {
            Ok(bytes) => Bytes::from(bytes.0),
            Err(_) => Bytes::from(text),
        };
    }
    Bytes::copy_from_slice(body.get().as_bytes())
}

impl<'de> Deserialize<'de> for Answers<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnswersVisitor;
        impl<'de> Visitor<'de> for AnswersVisitor {
            type Value = Answers<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a `$batch` answer with a `responses` array")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Answers<'de>, A::Error> {
                let mut responses = None;
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    if key == "responses" {
                        responses = Some(map.next_value_seed(ResponsesSeed)?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                responses
                    .map(Answers)
                    .ok_or_else(|| de::Error::missing_field("responses"))
            }
        }
        deserializer.deserialize_map(AnswersVisitor)
    }
}

struct ResponsesSeed;

impl<'de> DeserializeSeed<'de> for ResponsesSeed {
    type Value = Vec<ItemAnswer<'de>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ResponsesSeed {
    type Value = Vec<ItemAnswer<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of responses")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut answers = Vec::with_capacity(MAX_BATCH_REQUESTS);
        while let Some(answer) = seq.next_element_seed(AnswerSeed)? {
            answers.extend(answer);
        }
        Ok(answers)
    }
}

/// One response; `None` for one that is not an object or has no usable id or status,
/// which leaves its request unanswered rather than failing the others.
struct AnswerSeed;

impl<'de> DeserializeSeed<'de> for AnswerSeed {
    type Value = Option<ItemAnswer<'de>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AnswerSeed {
    type Value = Option<ItemAnswer<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a response object with `id` and `status`")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut id: Option<Option<usize>> = None;
        let mut status: Option<u16> = None;
        let mut headers: Option<&'de RawValue> = None;
        let mut body: Option<&'de RawValue> = None;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "id" => id = Some(map.next_value::<Id>()?.0),
                "status" => status = map.next_value::<Status>()?.0,
                "headers" => headers = Some(map.next_value()?),
                "body" => body = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let (Some(id), Some(status)) = (id, status.and_then(|s| StatusCode::from_u16(s).ok()))
        else {
            return Ok(None);
        };
        Ok(Some(ItemAnswer {
            id,
            status,
            headers,
            body,
        }))
    }
}

/// An id, a request number as a string or a number; `None` for anything else.
struct Id(Option<usize>);

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Scalar(PhantomData))
    }
}

/// A header's value as a string or a number; `None` for anything else.
struct HeaderText(Option<String>);

impl<'de> Deserialize<'de> for HeaderText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Scalar(PhantomData))
    }
}

/// A status as a number; `None` for anything else.
struct Status(Option<u16>);

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Scalar(PhantomData))
    }
}

/// Reads an id, a header's value or a status from whatever JSON value stands there.
struct Scalar<T>(PhantomData<T>);

/// How an id, a header's value or a status takes a string or a number.
trait FromScalar: Sized {
    fn from_str(text: &str) -> Self;
    fn from_u64(number: u64) -> Self;
    fn none() -> Self;
}

impl FromScalar for Id {
    fn from_str(text: &str) -> Self {
        Id(text.parse().ok())
    }
    fn from_u64(number: u64) -> Self {
        Id(usize::try_from(number).ok())
    }
    fn none() -> Self {
        Id(None)
    }
}

impl FromScalar for HeaderText {
    fn from_str(text: &str) -> Self {
        HeaderText(Some(text.to_owned()))
    }
    fn from_u64(number: u64) -> Self {
        HeaderText(Some(number.to_string()))
    }
    fn none() -> Self {
        HeaderText(None)
    }
}

impl FromScalar for Status {
    fn from_str(_: &str) -> Self {
        Status(None)
    }
    fn from_u64(number: u64) -> Self {
        Status(u16::try_from(number).ok())
    }
    fn none() -> Self {
        Status(None)
    }
}

impl<'de, T: FromScalar> Visitor<'de> for Scalar<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        Ok(T::from_str(text))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<T, E> {
        Ok(T::from_u64(number))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<T, E> {
        Ok(T::none())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<T, E> {
        Ok(T::none())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<T, E> {
        Ok(T::none())
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(T::none())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(T::none())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(T::none())
    }
}

/// Headers as an object of strings; entries that are not valid HTTP, or not strings, are
/// left out.
struct Headers(HeaderMap);

impl<'de> Deserialize<'de> for Headers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HeadersVisitor;
        impl<'de> Visitor<'de> for HeadersVisitor {
            type Value = Headers;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of headers")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Headers, A::Error> {
                let mut headers = HeaderMap::new();
                while let Some(name) = map.next_key::<Cow<'de, str>>()? {
                    let value = map.next_value::<HeaderText>()?.0;
                    let name = HeaderName::try_from(name.as_ref());
                    if let (Ok(name), Some(Ok(value))) = (name, value.map(HeaderValue::try_from)) {
                        headers.append(name, value);
                    }
                }
                Ok(Headers(headers))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Headers, E> {
                Ok(Headers(HeaderMap::new()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Headers, E> {
                Ok(Headers(HeaderMap::new()))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Headers, E> {
                Ok(Headers(HeaderMap::new()))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Headers, E> {
                Ok(Headers(HeaderMap::new()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Headers, E> {
                Ok(Headers(HeaderMap::new()))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Headers, E> {
                Ok(Headers(HeaderMap::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Headers, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Headers(HeaderMap::new()))
            }
        }
        deserializer.deserialize_any(HeadersVisitor)
    }
}
