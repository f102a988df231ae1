//! The operations generated code calls: each builds a [`Request`] from a path template, its
//! keys and a body. Only encoding and decoding are generic, so each resource type adds
//! little code.

use http::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::delta::{Change, Delta};
use crate::odata::Properties;
use crate::paging::Page;
use crate::path::{PathPart, expand};
use crate::request::{Entity, Request};
use crate::response::Created;

/// `create`: POSTs `body` to the collection at `path` (its keys filled in from `keys`); the
/// entity Graph answers with (`201 Created`), or where it is (`202`, `204`).
pub fn create<T: Serialize + DeserializeOwned>(
    client: &Client,
    path: &'static [PathPart],
    keys: &[&str],
    body: &T,
) -> Request<Created<T>> {
    Request::new(client, Method::POST, expand(path, keys)).json(body)
}

/// `get`: the entity at `path`, a member (its own key last in `keys`) or a singleton.
pub fn get<T: DeserializeOwned>(
    client: &Client,
    path: &'static [PathPart],
    keys: &[&str],
) -> Request<Entity<T>> {
    Request::new(client, Method::GET, expand(path, keys))
}

/// `list`: the first page of the collection at `path`; the request pages on.
pub fn list<T: DeserializeOwned>(
    client: &Client,
    path: &'static [PathPart],
    keys: &[&str],
) -> Request<Page<T>> {
    Request::new(client, Method::GET, expand(path, keys))
}

/// `update`: PATCHes what `changes` serializes to (so `None` fields are left alone) to the
/// entity at `path`; the entity when Graph returns one (`200 OK`), `None` on `204`.
pub fn update<T: Serialize + DeserializeOwned>(
    client: &Client,
    path: &'static [PathPart],
    keys: &[&str],
    changes: &T,
) -> Request<Option<T>> {
    Request::new(client, Method::PATCH, expand(path, keys)).object(changes)
}

/// `delta`: the changes of the collection at `path` (its `/delta` function).
pub fn delta<T: DeserializeOwned + Properties + Send>(
    client: &Client,
    path: &'static [PathPart],
    keys: &[&str],
) -> Delta<T> {
    Delta::new(Request::<Page<Change<T>>>::new(
        client,
        Method::GET,
        expand(path, keys),
    ))
}

/// `delete`: DELETEs the entity at `path` (`204 No Content`).
pub fn delete(client: &Client, path: &'static [PathPart], keys: &[&str]) -> Request<()> {
    Request::new(client, Method::DELETE, expand(path, keys))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::{Value, json};

    use super::*;
    use crate::error::{DecodeError, Error};
    use crate::mock::{MockResponse, MockTransport};
    use crate::path::PathPart::{Key, Literal};

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
        let client = mock.client_builder().build().unwrap();
        let created = create(
            &client,
            ASSIGNMENTS,
            &["intent-1"],
            &json!({"target": {"groupId": "g1"}}),
        )
        .await
        .unwrap();
        assert_eq!(
            created,
            Created::Entity(json!({"id": "a1", "target": {"groupId": "g1"}}))
        );
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
            let client = mock.client_builder().build().unwrap();
            create(&client, ASSIGNMENTS, &[key], &json!({}))
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
        let client = mock.client_builder().build().unwrap();
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
        let client = mock.client_builder().build().unwrap();
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
        let client = mock.client_builder().build().unwrap();

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
            get::<Value>(&client, ASSIGNMENTS, &["i"])
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
    async fn a_create_answered_without_the_entity_says_where_it_is() {
        let mock = MockTransport::new();
        let location = "https://graph.microsoft.com/v1.0/deviceManagement/intents/i/assignments/a1";
        mock.push(MockResponse::new(204).header("Location", location))
            .push(MockResponse::new(202).header("Location", location))
            .push(MockResponse::new(201))
            .push(MockResponse::new(202).body(r#"{"status":"running"}"#));
        let client = mock.client_builder().build().unwrap();
        let post = || create::<Value>(&client, ASSIGNMENTS, &["i"], &json!({}));

        let no_content = post().header("Prefer", "return=minimal").await.unwrap();
        assert_eq!(
            no_content,
            Created::NoContent {
                location: Some(location.into())
            }
        );
        assert_eq!(no_content.location(), Some(location));
        assert_eq!(no_content.entity(), None);
        let accepted = post().await.unwrap();
        assert_eq!(
            accepted,
            Created::Accepted {
                location: Some(location.into())
            }
        );
        assert_eq!(accepted.into_entity(), None);
        assert_eq!(post().await.unwrap(), Created::NoContent { location: None });
        assert_eq!(post().await.unwrap(), Created::Accepted { location: None });
    }

    #[tokio::test]
    async fn api_errors_name_the_request() {
        let mock = MockTransport::new();
        mock.push(MockResponse::json(
            400,
            json!({"error": {"code": "BadRequest", "message": "Invalid id"}}),
        ));
        let client = mock.client_builder().build().unwrap();
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
