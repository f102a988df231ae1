//! Content as bytes: downloads of `$value`, `content` and stream-returning functions as a
//! stream ([`Download`], [`ContentStream`]), and small uploads with `PUT` ([`Upload`]).
//!
//! Both go through the client's pipeline (throttle gate, retries, token, telemetry) in
//! [`send_content`](crate::pipeline::Pipeline::send_content); a download follows a redirect
//! to a pre-authenticated URL on another origin as a report does, without the token or any
//! other header of the request.

mod download;
mod upload;

use bytes::Bytes;
use http::Method;
use http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use crate::nav::{EntityPath, Function, IsA, Model, One};
use crate::request::Entity;
use crate::transport::Body;

pub use download::{ContentStream, Download};
pub use upload::Upload;

impl<T, K> EntityPath<T, K> {
    /// `GET …/content`: the entity's content as a stream, such as a drive item's file or a
    /// message's MIME.
    ///
    /// `DriveItem::at(&client, drive, item).content().await?.write_to(&mut file).await?`
    pub fn content(self) -> Download {
        Download::new(self.into_position().push("content").request(Method::GET))
    }

    /// `GET …/$value`: the media entity's content as a stream, such as a profile photo or
    /// a file attachment.
    pub fn value(self) -> Download {
        Download::new(self.into_position().push("$value").request(Method::GET))
    }

    /// `GET …/{name}(…)`: a function that answers a stream, such as a report's CSV, read
    /// as a stream; [`call_function`](EntityPath::call_function) reads the same answer
    /// whole.
    pub fn download<S>(self, function: Function<S, Bytes, One>) -> Download
    where
        T: Model,
        T::Declared: IsA<S>,
    {
        let segment = function.encoded_segment();
        Download::new(self.into_position().push(&segment).request(Method::GET))
    }

    /// `PUT …/content`: replaces the entity's content with `body` of `content_type` (bytes,
    /// or a stream of known length, sent as it is read); answers the entity, such as the
    /// drive item written. Graph takes content this way up to 250 MB; larger files go
    /// through an upload session.
    ///
    /// `DriveItem::at(&client, drive, item).put_content("text/csv", csv).await?`
    pub fn put_content(self, content_type: &str, body: impl Into<Body>) -> Upload<Entity<T>>
    where
        T: DeserializeOwned,
    {
        let request = self.into_position().push("content").request(Method::PUT);
        Upload::new(request.header(CONTENT_TYPE, content_type), body.into())
    }

    /// `PUT …/$value`: replaces the media entity's content with `body` of `content_type`,
    /// such as a profile photo; Graph answers nothing to read.
    pub fn put_value(self, content_type: &str, body: impl Into<Body>) -> Upload<()> {
        let request = self.into_position().push("$value").request(Method::PUT);
        Upload::new(request.header(CONTENT_TYPE, content_type), body.into())
    }
}

#[cfg(test)]
mod tests;
