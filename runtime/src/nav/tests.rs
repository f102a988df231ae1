//! Paths against the mock transport: what each step puts on the wire.

use http::Method;
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

use super::*;
use crate::client::Client;
use crate::error::Error;
use crate::mock::{MockResponse, MockTransport};
use crate::odata::Properties;
use crate::request::{Entity, Request};

/// A test model: its JSON, with the traits `#[graph_resource]` would implement.
macro_rules! model {
    ($name:ident, $odata_type:literal $(, $base:ty)?) => {
        #[derive(Debug)]
        // Read by the tests that look into a body; others only name the type.
        #[allow(dead_code)]
        struct $name(Value);
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Value::deserialize(deserializer).map($name)
            }
        }
        impl ODataType for $name {
            const ODATA_TYPE: &'static str = $odata_type;
        }
        impl Model for $name {
            type Declared = $name;
        }
        $(impl<B> IsA<B> for $name where $base: IsA<B> {})?
        impl Properties for $name {
            const NAME: &'static str = $odata_type;
            fn has_property(_: &str) -> bool {
                true
            }
        }
    };
}

model!(GraphEntity, "#microsoft.graph.entity");
model!(
    DirectoryObject,
    "#microsoft.graph.directoryObject",
    GraphEntity
);
model!(User, "#microsoft.graph.user", DirectoryObject);
model!(Group, "#microsoft.graph.group", DirectoryObject);
model!(Message, "#microsoft.graph.message");
model!(Attachment, "#microsoft.graph.attachment");

impl Group {
    const MEMBERS: Navigation<Group, DirectoryObject, Many, Related> = Navigation::new("members");
}

impl User {
    const MANAGER: Navigation<User, DirectoryObject, One, Related> = Navigation::new("manager");
    const MESSAGES: Navigation<User, Message, Many, Contained> = Navigation::new("messages");
}

impl DirectoryObject {
    const MEMBER_OF: Navigation<DirectoryObject, DirectoryObject, Many, Related> =
        Navigation::new("memberOf");
}

impl Message {
    const ATTACHMENTS: Navigation<Message, Attachment, Many, Contained> =
        Navigation::new("attachments");
}

const BASE: &str = "https://graph.microsoft.com/v1.0";

fn client(mock: &MockTransport) -> Client {
    mock.client_builder().build().unwrap()
}

fn invalid(error: Error) -> String {
    match error {
        Error::InvalidArgument(message) => message,
        other => panic!("expected an invalid argument, got {other:?}"),
    }
}

#[tokio::test]
async fn navigation_steps_build_the_path_of_the_collection() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(
        200,
        json!({"value": [{"@odata.type": "#microsoft.graph.user", "id": "u1"}]}),
    ));
    let client = client(&mock);
    let group = EntityPath::<Group>::root(&client, "/groups/g1");
    let page = group.to(Group::MEMBERS).list().top(5).await.unwrap();
    assert_eq!(page.items[0].0["id"], "u1");
    let request = &mock.requests()[0];
    assert_eq!(request.method, Method::GET);
    assert_eq!(
        request.uri,
        format!("{BASE}/groups/g1/members?$top=5").as_str()
    );
}

#[tokio::test]
async fn one_message_type_at_two_paths() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(200, json!({"value": []})))
        .push(MockResponse::json(200, json!({"value": []})));
    let client = client(&mock);
    EntityPath::<User>::root(&client, "/me")
        .to(User::MESSAGES)
        .id("m/1")
        .to(Message::ATTACHMENTS)
        .list()
        .await
        .unwrap();
    CollectionPath::<Message>::root(&client, "/users/u1/mailFolders/inbox/messages")
        .list()
        .await
        .unwrap();
    let uris: Vec<String> = mock.requests().iter().map(|r| r.uri.to_string()).collect();
    assert_eq!(
        uris,
        [
            format!("{BASE}/me/messages/m%2F1/attachments"),
            format!("{BASE}/users/u1/mailFolders/inbox/messages"),
        ]
    );
}

#[tokio::test]
async fn a_navigation_of_a_base_type_applies_to_the_derived_type() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(200, json!({"value": [{"id": "g1"}]})));
    let client = client(&mock);
    let groups = EntityPath::<User>::root(&client, "/users/u1")
        .to(DirectoryObject::MEMBER_OF)
        .cast::<Group>()
        .list()
        .await
        .unwrap();
    assert_eq!(groups.items[0].0["id"], "g1");
    assert_eq!(
        mock.requests()[0].uri,
        format!("{BASE}/users/u1/memberOf/microsoft.graph.group").as_str()
    );
}

#[tokio::test]
async fn an_entity_cast_appends_the_type_name() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(200, json!({"id": "u1"})));
    let client = client(&mock);
    EntityPath::<DirectoryObject>::root(&client, "/directoryObjects/u1")
        .cast::<User>()
        .get()
        .await
        .unwrap();
    assert_eq!(
        mock.requests()[0].uri,
        format!("{BASE}/directoryObjects/u1/microsoft.graph.user").as_str()
    );
}

#[tokio::test]
async fn a_cast_reaches_a_type_two_bases_down() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(200, json!({"id": "u1"})));
    let client = client(&mock);
    EntityPath::<GraphEntity>::root(&client, "/directoryObjects/u1")
        .cast::<User>()
        .get()
        .await
        .unwrap();
    assert_eq!(
        mock.requests()[0].uri,
        format!("{BASE}/directoryObjects/u1/microsoft.graph.user").as_str()
    );
}

#[tokio::test]
async fn add_reference_posts_the_full_url_of_the_object() {
    let mock = MockTransport::new();
    mock.push(MockResponse::new(204))
        .push(MockResponse::new(204))
        .push(MockResponse::new(204));
    let client = client(&mock);
    let members = EntityPath::<Group>::root(&client, "/groups/g1").to(Group::MEMBERS);
    members.clone().add_reference("u 1").await.unwrap();
    let user = EntityPath::<User>::root(&client, "/users/u2");
    members.clone().add_reference(&user).await.unwrap();
    members.remove_reference("u/1").await.unwrap();

    let requests = mock.requests();
    assert_eq!(requests[0].method, Method::POST);
    assert_eq!(
        requests[0].uri,
        format!("{BASE}/groups/g1/members/$ref").as_str()
    );
    assert_eq!(
        requests[0].body_json().unwrap(),
        json!({"@odata.id": format!("{BASE}/directoryObjects/u%201")})
    );
    assert_eq!(
        requests[1].body_json().unwrap(),
        json!({"@odata.id": format!("{BASE}/users/u2")})
    );
    assert_eq!(requests[2].method, Method::DELETE);
    assert_eq!(
        requests[2].uri,
        format!("{BASE}/groups/g1/members/u%2F1/$ref").as_str()
    );
    assert!(requests[2].body.is_empty());
}

#[tokio::test]
async fn references_are_listed_by_their_odata_id() {
    let mock = MockTransport::new();
    let id = format!("{BASE}/directoryObjects/u1");
    mock.push(MockResponse::json(
        200,
        json!({"value": [{"@odata.id": id}]}),
    ))
    .push(MockResponse::json(
        200,
        json!({"value": [{"@odata.id": 5}]}),
    ));
    let client = client(&mock);
    let members = EntityPath::<Group>::root(&client, "/groups/g1").to(Group::MEMBERS);
    let page = members.clone().references().top(1).await.unwrap();
    assert_eq!(page.items, [Reference { id }]);
    assert_eq!(
        mock.requests()[0].uri,
        format!("{BASE}/groups/g1/members/$ref?$top=1").as_str()
    );
    let error = members.references().await.unwrap_err().to_string();
    assert!(
        error.contains("at `value[0]`: expected `@odata.id` to be a string, found a number"),
        "{error}"
    );
}

#[tokio::test]
async fn a_single_valued_reference_is_set_with_put_and_removed_with_delete() {
    let mock = MockTransport::new();
    mock.push(MockResponse::new(204))
        .push(MockResponse::new(204));
    let client = client(&mock);
    let manager = EntityPath::<User>::root(&client, "/users/u1").to(User::MANAGER);
    manager.clone().set_reference("m1").await.unwrap();
    manager.remove_reference().await.unwrap();
    let requests = mock.requests();
    assert_eq!(requests[0].method, Method::PUT);
    assert_eq!(
        requests[0].uri,
        format!("{BASE}/users/u1/manager/$ref").as_str()
    );
    assert_eq!(
        requests[0].body_json().unwrap(),
        json!({"@odata.id": format!("{BASE}/directoryObjects/m1")})
    );
    assert_eq!(requests[1].method, Method::DELETE);
    assert_eq!(
        requests[1].uri,
        format!("{BASE}/users/u1/manager/$ref").as_str()
    );
}

#[tokio::test]
async fn an_invalid_reference_id_is_reported_before_anything_is_sent() {
    let mock = MockTransport::new();
    let client = client(&mock);
    let members = EntityPath::<Group>::root(&client, "/groups/g1").to(Group::MEMBERS);
    let error = members.clone().add_reference("..").await.unwrap_err();
    assert_eq!(
        invalid(error),
        "the id of the referenced object must not be `..`: it would address another resource"
    );
    let error = members.remove_reference("").await.unwrap_err();
    assert_eq!(
        invalid(error),
        "the id of the referenced object must not be empty"
    );
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn count_reads_text_and_asks_for_eventual_consistency() {
    let mock = MockTransport::new();
    mock.push(
        MockResponse::new(200)
            .header("Content-Type", "text/plain")
            .body("1234\r\n"),
    );
    let client = client(&mock);
    let count = CollectionPath::<User>::root(&client, "/users")
        .count()
        .filter("accountEnabled eq true")
        .search("displayName:Ada")
        .await
        .unwrap();
    assert_eq!(count, 1234);
    let request = &mock.requests()[0];
    assert_eq!(
        request.uri,
        format!(
            "{BASE}/users/$count?$filter=accountEnabled%20eq%20true&$search=%22displayName:Ada%22"
        )
        .as_str()
    );
    assert_eq!(request.header("consistencylevel"), Some("eventual"));
    assert_eq!(request.header("accept"), Some("text/plain"));
}

#[tokio::test]
async fn a_count_that_is_not_digits_is_a_decode_error_quoting_it() {
    for body in [
        "-1",
        "+5",
        "12a",
        "",
        "{\"value\": 3}",
        "99999999999999999999999",
    ] {
        let mock = MockTransport::new();
        mock.push(MockResponse::new(200).body(body));
        let client = client(&mock);
        let error = CollectionPath::<User>::root(&client, "/users")
            .count()
            .await
            .unwrap_err();
        let Error::Decode(error) = error else {
            panic!("expected a decode error for {body:?}, got {error:?}");
        };
        assert_eq!(
            error.error().to_string(),
            format!("expected the count as decimal digits, found `{body}`")
        );
    }
}

#[tokio::test]
async fn an_alternate_key_is_a_quoted_literal() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(200, json!({"id": "u1"})));
    let client = client(&mock);
    CollectionPath::<User>::root(&client, "/users")
        .alternate_key("userPrincipalName", "o'brien@c.com")
        .get()
        .await
        .unwrap();
    assert_eq!(
        mock.requests()[0].uri,
        format!("{BASE}/users(userPrincipalName='o''brien%40c.com')").as_str()
    );
    let error = CollectionPath::<User>::root(&client, "/users")
        .alternate_key("user)(x", "a")
        .get()
        .await
        .unwrap_err();
    assert_eq!(
        invalid(error),
        "the alternate key `user)(x` is not a property name: expected letters, digits and `_`"
    );
}

#[tokio::test]
async fn invalid_roots_and_keys_fail_when_awaited() {
    let mock = MockTransport::new();
    let client = client(&mock);
    let cases = [
        (
            EntityPath::<User>::root(&client, "me"),
            "the path `me` does not start with `/`; expected a path below the base URL such as `/me` or `/users`",
        ),
        (
            EntityPath::<User>::root(&client, "/users//x"),
            "the path `/users//x` has an empty segment; expected a path below the base URL such as `/me` or `/users`",
        ),
        (
            EntityPath::<User>::root(&client, "/users/../x"),
            "the path `/users/../x` has a `.` or `..` segment; expected a path below the base URL such as `/me` or `/users`",
        ),
        (
            EntityPath::<User>::root(&client, "/me?$select=id"),
            "the path `/me?$select=id` holds `?`, which a path segment must percent-encode; expected a path below the base URL such as `/me` or `/users`",
        ),
        (
            CollectionPath::<User>::root(&client, "/users").id("."),
            "the key must not be `.`: it would address another resource",
        ),
    ];
    for (path, message) in cases {
        // The first error is kept through later steps.
        let error = path.to(User::MESSAGES).id("m1").get().await.unwrap_err();
        assert_eq!(invalid(error), message);
    }
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn the_escape_hatch_goes_through_the_retries() {
    let mock = MockTransport::new();
    mock.push(MockResponse::new(503).header("Retry-After", "1"))
        .push(MockResponse::json(200, json!({"id": "m1"})))
        .push(MockResponse::new(202));
    let client = client(&mock);
    let manager =
        Request::<Entity<Value>>::custom(&client, Method::GET, "/users/{}/manager", &["a@b"])
            .await
            .unwrap();
    assert_eq!(manager["id"], "m1");
    Request::<()>::custom(&client, Method::POST, "/users/{id}/sendMail", &["a@b"])
        .body(&json!({"message": {"subject": "Hi"}}))
        .await
        .unwrap();
    let requests = mock.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests[1].uri,
        format!("{BASE}/users/a%40b/manager").as_str()
    );
    assert_eq!(requests[2].method, Method::POST);
    assert_eq!(
        requests[2].body_json().unwrap(),
        json!({"message": {"subject": "Hi"}})
    );
    assert_eq!(mock.slept(), [std::time::Duration::from_secs(1)]);
}

#[tokio::test]
async fn a_navigation_and_a_count_share_a_batch() {
    let mock = MockTransport::new();
    mock.push(MockResponse::json(
        200,
        json!({"responses": [
            {"id": "1", "status": 200, "body": {"value": [{"id": "u1"}]}},
            {"id": "2", "status": 200, "headers": {"Content-Type": "text/plain"}, "body": "Nw=="},
        ]}),
    ));
    let client = client(&mock);
    let mut batch = client.batch();
    let members = batch.add(
        EntityPath::<Group>::root(&client, "/groups/g1")
            .to(Group::MEMBERS)
            .list(),
    );
    let count = batch.add(CollectionPath::<User>::root(&client, "/users").count());
    let mut responses = batch.send().await.unwrap();
    assert_eq!(responses.take(members).unwrap().items[0].0["id"], "u1");
    assert_eq!(responses.take(count).unwrap(), 7);
    let sent = mock.requests()[0].body_json().unwrap();
    assert_eq!(sent["requests"][0]["url"], "/groups/g1/members");
    assert_eq!(sent["requests"][1]["url"], "/users/$count");
    assert_eq!(
        sent["requests"][1]["headers"]["consistencylevel"],
        "eventual"
    );
}
