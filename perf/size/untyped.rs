//! The untyped calls the client-only and serde applications share: paths written by hand,
//! answers as `UntypedResource`, any serializable body.

use std::error::Error;

use graph_resource::{Client, Entity, Page, Request, UntypedResource};
use http::Method;
use serde::Serialize;

/// The collection at `template` (`{}` filled from `keys`), one page.
pub async fn list(
    client: &Client,
    template: &str,
    keys: &[&str],
) -> Result<Vec<UntypedResource>, Box<dyn Error>> {
    let page = Request::<Page<UntypedResource>>::custom(client, Method::GET, template, keys);
    Ok(page.await?.items)
}

/// The entity at `template`, filled with `key`.
pub async fn get(
    client: &Client,
    template: &str,
    key: &str,
) -> Result<UntypedResource, Box<dyn Error>> {
    Ok(Request::<Entity<_>>::custom(client, Method::GET, template, &[key]).await?)
}

/// A POST of `body` to the action at `template`, which answers a page.
pub async fn assign<B: Serialize>(
    client: &Client,
    template: &str,
    key: &str,
    body: &B,
) -> Result<Vec<UntypedResource>, Box<dyn Error>> {
    let page = Request::<Page<UntypedResource>>::custom(client, Method::POST, template, &[key]);
    Ok(page.body(body).await?.items)
}

/// A POST to the action at `template`, with `body` if any, which answers nothing.
pub async fn act<B: Serialize>(
    client: &Client,
    template: &str,
    key: &str,
    body: Option<&B>,
) -> Result<(), Box<dyn Error>> {
    let request = Request::<()>::custom(client, Method::POST, template, &[key]);
    match body {
        Some(body) => request.body(body).await?,
        None => request.await?,
    }
    Ok(())
}
