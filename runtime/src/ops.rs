//! Typed operations. Only encoding and decoding are generic; the request and response
//! handling is not, so each resource type adds little code.

use bytes::Bytes;
use http::{Method, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{DecodeError, Error};
use crate::path::{PathPart, expand};

/// Creates an entity: POSTs `body` to the collection at `path` (its keys filled in from
/// `keys`) and decodes the entity Graph answers with (`201 Created`).
///
/// Invalid keys and serialization failures are reported before anything is sent.
pub async fn create<T: Serialize + DeserializeOwned>(
    client: &Client,
    path: &'static [PathPart],
    keys: &[&str],
    body: &T,
) -> Result<T, Error> {
    let path = expand(path, keys)?;
    let body = serde_json::to_vec(body).map_err(Error::Encode)?;
    let response = client
        .execute(Method::POST, &path, Some(Bytes::from(body)))
        .await?;
    decode(response.body()).map_err(|(json_path, error)| {
        decode_error(client, &Method::POST, &path, &response, json_path, error)
    })
}

/// Decodes `body`; on failure, the JSON path where it happened and serde's error.
fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, (String, serde_json::Error)> {
    serde_json::from_slice(body).map_err(|error| locate::<T>(body, error))
}

/// Decodes `body` again, tracking the JSON path, to say where `error` happened. Only runs
/// after a failure, so a successful decode pays nothing for it.
#[cold]
fn locate<T: DeserializeOwned>(
    body: &[u8],
    error: serde_json::Error,
) -> (String, serde_json::Error) {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(located) => (located.path().to_string(), located.into_inner()),
        // The value decoded this time, so what failed was the trailing input.
        Ok(_) => (".".to_owned(), deserializer.end().err().unwrap_or(error)),
    }
}

#[cold]
fn decode_error(
    client: &Client,
    method: &Method,
    path: &str,
    response: &Response<Bytes>,
    json_path: String,
    error: serde_json::Error,
) -> Error {
    let url = format!("{}{path}", client.base_url());
    Error::Decode(Box::new(DecodeError::new(
        method,
        url,
        response.status(),
        json_path,
        error,
        response.body(),
    )))
}
