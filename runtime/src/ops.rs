//! Typed operations. Only encoding and decoding are generic; the request and response
//! handling is not, so each resource type adds little code.

use bytes::Bytes;
use http::{Method, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{DecodeError, Error};
use crate::located;
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
        Err(located) => {
            let path = located::full_path(located.path(), &located.inner().to_string());
            (path, located.into_inner())
        }
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::{Value, json};

    use super::*;
    use crate::client::tests::test_client;
    use crate::mock::{MockResponse, MockTransport};
    use crate::path::PathPart::{Key, Literal};
    use crate::retry::RetryPolicy;

    const ASSIGNMENTS: &[PathPart] = &[
        Literal("/deviceManagement/intents/"),
        Key("intent_id"),
        Literal("/assignments"),
    ];

    fn decode_error(error: Error) -> Box<DecodeError> {
        match error {
            Error::Decode(error) => error,
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn create_posts_the_body_and_decodes_the_entity() {
        let mock = MockTransport::new();
        mock.push(MockResponse::json(
            201,
            json!({"id": "a1", "target": {"groupId": "g1"}}),
        ));
        let (client, _) = test_client(&mock, RetryPolicy::default());
        let created: Value = create(
            &client,
            ASSIGNMENTS,
            &["intent-1"],
            &json!({"target": {"groupId": "g1"}}),
        )
        .await
        .unwrap();
        assert_eq!(created, json!({"id": "a1", "target": {"groupId": "g1"}}));
        let requests = mock.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].method, Method::POST);
        assert_eq!(
            requests[0].uri,
            "https://graph.microsoft.com/v1.0/deviceManagement/intents/intent-1/assignments"
        );
        assert_eq!(requests[0].header("content-type"), Some("application/json"));
        assert_eq!(
            requests[0].body_json().unwrap(),
            json!({"target": {"groupId": "g1"}})
        );
    }

    #[tokio::test]
    async fn keys_are_encoded_as_one_segment() {
        let cases = [
            ("a/b", "a%2Fb"),
            ("what?x=1", "what%3Fx%3D1"),
            ("a#b", "a%23b"),
            ("100%", "100%25"),
            ("a b", "a%20b"),
            ("Zoë-日本", "Zo%C3%AB-%E6%97%A5%E6%9C%AC"),
            ("../x", "..%2Fx"),
            ("...", "..."),
        ];
        for (key, encoded) in cases {
            let mock = MockTransport::new();
            mock.push(MockResponse::json(201, json!({})));
            let (client, _) = test_client(&mock, RetryPolicy::default());
            let _: Value = create(&client, ASSIGNMENTS, &[key], &json!({}))
                .await
                .unwrap();
            let uri = &mock.requests()[0].uri;
            assert_eq!(
                uri.path(),
                format!("/v1.0/deviceManagement/intents/{encoded}/assignments"),
                "{key}"
            );
            assert_eq!(uri.query(), None, "{key}");
        }
    }

    #[tokio::test]
    async fn invalid_keys_are_rejected_before_anything_is_sent() {
        let cases: [(&[&str], &str); 5] = [
            (&[""], "invalid argument: intent_id must not be empty"),
            (
                &["."],
                "invalid argument: intent_id must not be `.`: it would address another resource",
            ),
            (
                &[".."],
                "invalid argument: intent_id must not be `..`: it would address another resource",
            ),
            (
                &[],
                "invalid argument: the path `/deviceManagement/intents/{intent_id}/assignments` takes 1 key(s), 0 were given",
            ),
            (
                &["a", "b"],
                "invalid argument: the path `/deviceManagement/intents/{intent_id}/assignments` takes 1 key(s), 2 were given",
            ),
        ];
        let mock = MockTransport::new();
        let (client, _) = test_client(&mock, RetryPolicy::default());
        for (keys, message) in cases {
            let error = create(&client, ASSIGNMENTS, keys, &json!({}))
                .await
                .unwrap_err();
            assert!(matches!(error, Error::InvalidArgument(_)), "{keys:?}");
            assert_eq!(error.to_string(), message);
        }
        let unserializable = BTreeMap::from([((1, 2), "x".to_owned())]);
        let error = create(&client, ASSIGNMENTS, &["i"], &unserializable)
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Encode(_)), "{error:?}");
        assert!(mock.requests().is_empty());
    }

    #[tokio::test]
    async fn decode_errors_name_the_json_path() {
        let mock = MockTransport::new();
        mock.push(MockResponse::json(201, json!({"id": "a1", "groupId": 5})));
        let (client, _) = test_client(&mock, RetryPolicy::default());
        let error =
            create::<BTreeMap<String, String>>(&client, ASSIGNMENTS, &["i"], &BTreeMap::new())
                .await;
        let error = decode_error(error.unwrap_err());
        assert_eq!(error.status(), 201);
        assert_eq!(error.path(), "groupId");
        assert_eq!(error.body_excerpt(), r#"{"id":"a1","groupId":5}"#);
        assert_eq!(
            error.to_string(),
            "POST https://graph.microsoft.com/v1.0/deviceManagement/intents/i/assignments: could not decode the \
             201 Created response at `groupId`: invalid type: integer `5`, expected a string at line 1 column 22"
        );
    }

    #[tokio::test]
    async fn trailing_garbage_and_empty_bodies_are_decode_errors() {
        let mock = MockTransport::new();
        mock.push(MockResponse::new(201).body(r#"{"id":"a1"} x"#))
            .push(MockResponse::new(201));
        let (client, _) = test_client(&mock, RetryPolicy::default());

        let error = decode_error(
            create::<Value>(&client, ASSIGNMENTS, &["i"], &json!({}))
                .await
                .unwrap_err(),
        );
        assert_eq!(error.path(), ".");
        assert!(
            error.error().to_string().starts_with("trailing characters"),
            "{}",
            error.error()
        );

        let error = decode_error(
            create::<Value>(&client, ASSIGNMENTS, &["i"], &json!({}))
                .await
                .unwrap_err(),
        );
        assert_eq!(error.body_excerpt(), "");
        assert!(
            error
                .to_string()
                .ends_with("expected a JSON body in the 201 Created response, found an empty body")
        );
    }

    #[tokio::test]
    async fn api_errors_name_the_request() {
        let mock = MockTransport::new();
        mock.push(MockResponse::json(
            400,
            json!({"error": {"code": "BadRequest", "message": "Invalid id"}}),
        ));
        let (client, _) = test_client(&mock, RetryPolicy::default());
        let error = create::<Value>(&client, ASSIGNMENTS, &["i"], &json!({}))
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(http::StatusCode::BAD_REQUEST));
        assert_eq!(
            error.to_string(),
            "POST https://graph.microsoft.com/v1.0/deviceManagement/intents/i/assignments: \
             Graph answered 400 Bad Request: BadRequest: Invalid id"
        );
    }
}
