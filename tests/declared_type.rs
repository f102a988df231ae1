//! An object without `@odata.type` is of the type its property is declared with: a
//! polymorphic enum reads it as its `#[graph(declared)]` variant, whether it met the type
//! first, later, or not at all, and a type it does not list still goes to `other`.

use graph_resource::{UntypedResource, graph_resource};
use serde_json::json;

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct User {
    #[graph(rename = "@odata.etag")]
    pub odata_etag: Option<String>,
    pub id: Option<String>,
    pub display_name: Option<String>,
}

/// Derived from `user`, as Graph's `agentUser` is.
#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AgentUser {
    #[graph(base)]
    pub base: User,
    pub agent_identity_blueprint_id: Option<String>,
}

/// `GET /users` and `GET /users/{id}`: users and the types derived from `user`.
#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum UserKind {
    #[graph(declared)]
    User(User),
    Agent(AgentUser),
    #[graph(other)]
    Other(UntypedResource),
}

/// The same family without an `other` variant.
#[graph_resource]
#[derive(Debug, Clone, PartialEq)]
pub enum KnownUser {
    Agent(AgentUser),
    #[graph(declared)]
    User(User),
}

fn adele() -> User {
    User {
        id: Some("u-1".into()),
        display_name: Some("Adele Vance".into()),
        ..User::default()
    }
}

#[test]
fn an_object_without_type_is_the_declared_variant() {
    // As `GET /users/{id}` answers: the context first, no `@odata.type` at all.
    let body = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
        "id": "u-1",
        "displayName": "Adele Vance"
    });
    let user: UserKind = serde_json::from_str(&body.to_string()).unwrap();
    assert_eq!(user, UserKind::User(adele()));
    let known: KnownUser = serde_json::from_value(body).unwrap();
    assert_eq!(known, KnownUser::User(adele()));
    // Written back as what it is, its type first.
    assert_eq!(
        serde_json::to_value(&user).unwrap(),
        json!({"@odata.type": "#microsoft.graph.user", "id": "u-1", "displayName": "Adele Vance"})
    );
}

#[test]
fn an_object_of_annotations_only_or_empty_is_the_declared_variant() {
    // Nothing but annotations: the map ends before any property, without buffering.
    let etag_only: UserKind = serde_json::from_str(r#"{"@odata.etag":"W/\"1\""}"#).unwrap();
    assert_eq!(
        etag_only,
        UserKind::User(User {
            odata_etag: Some("W/\"1\"".into()),
            ..User::default()
        })
    );
    let empty: KnownUser = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, KnownUser::User(User::default()));
}

#[test]
fn a_type_given_first_or_later_still_chooses_the_variant() {
    let agent = UserKind::Agent(AgentUser {
        base: adele(),
        agent_identity_blueprint_id: Some("b-1".into()),
    });
    for body in [
        r##"{"@odata.type":"#microsoft.graph.agentUser","id":"u-1","displayName":"Adele Vance","agentIdentityBlueprintId":"b-1"}"##,
        r#"{"id":"u-1","displayName":"Adele Vance","agentIdentityBlueprintId":"b-1","@odata.type":"microsoft.graph.agentUser"}"#,
    ] {
        assert_eq!(serde_json::from_str::<UserKind>(body).unwrap(), agent);
    }
    let user: UserKind = serde_json::from_str(
        r#"{"id":"u-1","displayName":"Adele Vance","@odata.type":"microsoft.graph.user"}"#,
    )
    .unwrap();
    assert_eq!(user, UserKind::User(adele()));
}

#[test]
fn a_type_the_enum_does_not_list_is_not_the_declared_variant() {
    let body = json!({"@odata.type": "#microsoft.graph.futureUser", "id": "u-9"});
    let user: UserKind = serde_json::from_value(body.clone()).unwrap();
    let UserKind::Other(untyped) = &user else {
        panic!("expected other, got {user:?}");
    };
    assert_eq!(
        untyped.odata_type.as_deref(),
        Some("#microsoft.graph.futureUser")
    );
    assert_eq!(serde_json::to_value(&user).unwrap(), body);
    let error = serde_json::from_value::<KnownUser>(body)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("unknown `@odata.type` `#microsoft.graph.futureUser` for `KnownUser`"),
        "{error}"
    );
}

#[test]
fn a_page_of_the_declared_type_reads_every_item() {
    let page: graph_resource::Page<UserKind> = serde_json::from_value(json!({
        "value": [
            {"id": "u-1", "displayName": "Adele Vance"},
            {"@odata.type": "#microsoft.graph.agentUser", "id": "u-2"},
            {"@odata.etag": "W/\"3\"", "id": "u-3"}
        ]
    }))
    .unwrap();
    let ids: Vec<(&str, Option<&str>)> = page
        .items
        .iter()
        .map(|user| match user {
            UserKind::User(user) => ("user", user.id.as_deref()),
            UserKind::Agent(agent) => ("agent", agent.base.id.as_deref()),
            UserKind::Other(_) => ("other", None),
        })
        .collect();
    assert_eq!(
        ids,
        [
            ("user", Some("u-1")),
            ("agent", Some("u-2")),
            ("user", Some("u-3"))
        ]
    );
    let UserKind::User(third) = &page.items[2] else {
        panic!("a user");
    };
    assert_eq!(third.odata_etag.as_deref(), Some("W/\"3\""));
}

/// A resource whose answer holds users, to read them through the client.
#[graph_resource(path = "/teams")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Team {
    pub id: Option<String>,
    pub members: Vec<UserKind>,
}

/// An annotation kept before the type is read into its field after the type: a wrong value
/// there is located at the annotation, not at the `@odata.type` that was read last.
#[tokio::test]
async fn a_wrong_annotation_before_the_type_is_located_at_the_annotation() {
    use graph_resource::{Client, Error, MockResponse, MockTransport};
    let valid = json!({"@odata.etag": "e", "@odata.type": "#microsoft.graph.agentUser", "id": "v"});
    for member in [
        json!({"@odata.etag": 5, "@odata.type": "#microsoft.graph.agentUser", "id": "u"}),
        // Annotations only: the declared variant, once the object has ended.
        json!({"@odata.context": "c", "@odata.etag": 5}),
    ] {
        let mock = MockTransport::new();
        mock.push(MockResponse::json(
            201,
            json!({"id": "t", "members": [valid.clone(), member]}),
        ));
        let client = Client::builder()
            .bearer_token("t")
            .transport(std::sync::Arc::new(mock))
            .build()
            .unwrap();
        let error = Team::create(&client, &Team::default()).await.unwrap_err();
        let Error::Decode(decode) = &error else {
            panic!("expected a decode error, got {error:?}")
        };
        assert_eq!(decode.path(), r#"members[1]["@odata.etag"]"#, "{error}");
        let expected = r#"at `members[1]["@odata.etag"]`: invalid type: integer `5`, expected a string at line 1"#;
        assert!(error.to_string().contains(expected), "{error}");
    }
}

/// An `@odata.type` that is not a string is located at that key, whether it came first or
/// after a property, when the object was kept whole to be read once its type was known.
#[tokio::test]
async fn a_type_that_is_not_a_string_is_located_at_the_type_first_or_last() {
    use graph_resource::{Client, Error, MockResponse, MockTransport};
    for member in [
        json!({"@odata.type": 5, "id": "u"}),
        json!({"id": "u", "@odata.type": 5}),
    ] {
        let mock = MockTransport::new();
        mock.push(MockResponse::json(
            201,
            json!({"id": "t", "members": [{"id": "v"}, member]}),
        ));
        let client = Client::builder()
            .bearer_token("t")
            .transport(std::sync::Arc::new(mock))
            .build()
            .unwrap();
        let error = Team::create(&client, &Team::default()).await.unwrap_err();
        let Error::Decode(decode) = &error else {
            panic!("expected a decode error, got {error:?}")
        };
        assert_eq!(decode.path(), r#"members[1]["@odata.type"]"#, "{error}");
        assert!(
            error
                .to_string()
                .contains("invalid type: integer `5`, expected an `@odata.type` string"),
            "{error}"
        );
    }
}
