//! Creates a subscription and receives its change notification, against a Graph-like
//! endpoint in this process on 127.0.0.1: no network and no credentials.
//!
//! ```sh
//! cargo run --example notifications --features axum
//! ```
//!
//! The endpoint does what Graph does: when the subscription is created it validates the
//! notification URL (a `POST` with `?validationToken=…`, which must come back as plain
//! text), answers `201` with the subscription, then posts a notification of a new message.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::Json;
use axum::http::StatusCode;
use axum::routing::post;
use graph_resource::Client;
use graph_resource::notifications::{Outcome, Receiver, Subscription, axum::handler};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::mpsc;

/// The model the notifications' `resourceData` is read into.
#[derive(Debug, Deserialize)]
struct Message {
    id: String,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);

    // The application: a receiver for its subscriptions' clientState, mounted with axum.
    let client_state = "a secret of the application";
    let receiver = Arc::new(
        Receiver::<Message>::builder()
            .client_state(client_state)
            .build()?,
    );
    let (delivered, mut deliveries) = mpsc::unbounded_channel();
    let route = handler(receiver, move |outcome| {
        let delivered = delivered.clone();
        async move {
            let _ = delivered.send(outcome);
        }
    });
    // Graph's side, in the same server.
    let app = axum::Router::new()
        .route("/notify", route.clone())
        .route("/lifecycle", route)
        .route("/v1.0/subscriptions", post(graph_creates_subscription));
    tokio::spawn(async move { axum::serve(listener, app).await });

    let client = Client::builder()
        .base_url(format!("{base}/v1.0"))
        .bearer_token("a token the local endpoint does not check")
        .build()?;
    let subscription = Subscription::new(
        "me/mailFolders('Inbox')/messages",
        "created",
        format!("{base}/notify"),
    )
    .lifecycle_notification_url(format!("{base}/lifecycle"))
    .client_state(client_state)
    .expires_in_max(SystemTime::now());
    let created = Subscription::create(&client, &subscription).await?;
    println!(
        "created subscription {} until {}",
        created.id.as_deref().unwrap_or("?"),
        created.expiration_date_time.as_deref().unwrap_or("?")
    );

    let outcome = tokio::time::timeout(Duration::from_secs(10), deliveries.recv()).await?;
    let Some(Outcome::Delivered(delivery)) = outcome else {
        return Err(format!("expected a delivery, got {outcome:?}").into());
    };
    for change in &delivery.changes {
        let id = change
            .resource_data
            .as_ref()
            .map(|message| message.id.as_str());
        println!(
            "{:?} {} (message {})",
            change.change_type,
            change.resource,
            id.unwrap_or("?")
        );
    }
    for dropped in &delivery.dropped {
        println!("dropped item {}: {}", dropped.index, dropped.reason);
    }
    Ok(())
}

/// `POST /v1.0/subscriptions` as Graph answers it: validates the notification URL, answers
/// `201`, and a moment later notifies a new message.
async fn graph_creates_subscription(
    Json(subscription): Json<Value>,
) -> Result<(StatusCode, Json<Value>), (StatusCode, String)> {
    let fail = |why: String| (StatusCode::BAD_REQUEST, why);
    let url = subscription["notificationUrl"]
        .as_str()
        .ok_or_else(|| fail("no notificationUrl".into()))?
        .to_owned();
    let http = reqwest::Client::new();
    let token = "Validation: Testing client application reachability";
    let validation = http
        .post(format!(
            "{url}?validationToken={}",
            token.replace(' ', "%20")
        ))
        .send()
        .await
        .map_err(|error| fail(error.to_string()))?;
    let echoed = validation
        .text()
        .await
        .map_err(|error| fail(error.to_string()))?;
    if echoed != token {
        return Err(fail(format!("the notification URL answered {echoed:?}")));
    }
    let mut created = subscription.clone();
    created["id"] = json!("7f105c7d-2dc5-4530-97cd-4e7ae6534c07");
    let notification = json!({"value": [{
        "subscriptionId": created["id"],
        "subscriptionExpirationDateTime": created["expirationDateTime"],
        "clientState": created["clientState"],
        "changeType": "created",
        "resource": "Users/5d52b1b6/Messages/AAMkAGUwNjQ4",
        "tenantId": "84bd8158-6d4d-4958-8b9f-9d6445542f95",
        "resourceData": {"@odata.type": "#Microsoft.Graph.Message", "id": "AAMkAGUwNjQ4"}
    }]});
    tokio::spawn(async move {
        let request = http.post(url).header("content-type", "application/json");
        let _ = request.body(notification.to_string()).send().await;
    });
    Ok((StatusCode::CREATED, Json(created)))
}
