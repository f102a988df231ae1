//! Following a redirect to a pre-authenticated URL, as a report's `302` asks: each hop a
//! [`bare`] `GET` through the transport, without the call's headers.
//!
//! The call's headers are Graph's: `Authorization` carries the token, and the target is on
//! another origin that needs none (the URL authorizes the download), so none of them goes
//! there.

use bytes::Bytes;
use http::header::LOCATION;
use http::{HeaderMap, Method, Response, StatusCode, Uri};

use crate::error::{ApiError, Error};
use crate::text::RedactedUrl;
use crate::transport::{TransportError, TransportErrorKind};

use super::exchange::{self, Payload, Received};
use super::{Pipeline, bare};

/// The most hops followed; a browser allows 20, Graph's reports take one.
pub(crate) const MAX_REDIRECTS: usize = 10;

/// Whether `status` sends the client elsewhere: `301`, `302`, `303`, `307`, `308`. Another
/// 3xx, such as `304 Not Modified` to a conditional `GET`, is an answer, not a redirect.
pub(crate) fn redirects(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::MOVED_PERMANENTLY
            | StatusCode::FOUND
            | StatusCode::SEE_OTHER
            | StatusCode::TEMPORARY_REDIRECT
            | StatusCode::PERMANENT_REDIRECT
    )
}

/// Follows `response`, a redirect answering `GET url`, to its end and returns the 2xx
/// answer. A redirect without a usable `Location`, back to a URL visited already, or more
/// than [`MAX_REDIRECTS`] hops is a transport error that names the hop; a final answer
/// other than 2xx is an [`Error::Api`] of the redirected request.
pub(crate) async fn follow<R: Received>(
    pipeline: &Pipeline,
    url: &str,
    mut response: Response<R>,
) -> Result<Response<R>, Error> {
    let mut visited = vec![url.to_owned()];
    while redirects(response.status()) {
        let from = visited.last().map_or(url, String::as_str);
        let failed = |message: String| {
            let error = TransportError::new(TransportErrorKind::Other, message);
            Error::Transport(error.for_request(&Method::GET, from))
        };
        let status = response.status();
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|location| location.to_str().ok());
        let Some(location) = location else {
            return Err(failed(format!(
                "the redirect ({status}) has no `Location` header of visible ASCII: expected the URL to follow"
            )));
        };
        let Some(next) = resolve(from, location) else {
            return Err(failed(format!(
                "the redirect's `Location` `{}` is not an absolute URL or a path",
                RedactedUrl(location)
            )));
        };
        if visited.contains(&next) {
            return Err(failed(format!(
                "the redirect leads back to `{}`, visited already: a redirect loop",
                RedactedUrl(&next)
            )));
        }
        if visited.len() > MAX_REDIRECTS {
            return Err(failed(format!(
                "more than {MAX_REDIRECTS} redirects: expected one to end in an answer"
            )));
        }
        if Uri::try_from(next.as_str()).is_err() {
            return Err(failed(format!(
                "the redirect's `Location` `{}` is not a valid URL",
                RedactedUrl(&next)
            )));
        }
        let nothing = Payload::Bytes(Bytes::new());
        response = bare::exchange(pipeline, &Method::GET, &next, HeaderMap::new(), nothing).await?;
        visited.push(next);
    }
    if response.status().is_success() {
        Ok(response)
    } else {
        let url = visited.last().map_or(url, String::as_str);
        let response = exchange::error_response(response).await;
        let error = ApiError::from_response(&Method::GET, url, response);
        Err(Error::Api(Box::new(error)))
    }
}

/// `location` resolved against `base`: an absolute `http`/`https` URL as it is, `//host/…`
/// on the scheme of `base`, `/path` on its origin; `None` for anything else.
fn resolve(base: &str, location: &str) -> Option<String> {
    let lower = location.get(..8).unwrap_or(location).to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Some(location.to_owned());
    }
    let (scheme, rest) = base.split_once("://")?;
    if let Some(host_and_path) = location.strip_prefix("//") {
        return Some(format!("{scheme}://{host_and_path}"));
    }
    if location.starts_with('/') {
        let authority = rest.split(['/', '?', '#']).next()?;
        return Some(format!("{scheme}://{authority}{location}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn locations_resolve_against_the_url_they_answer() {
        let base = "https://graph.microsoft.com/v1.0/reports/x(period='D7')?a=1";
        let other = "https://reports.office.com/data.csv?sig=s";
        assert_eq!(resolve(base, other).as_deref(), Some(other));
        assert_eq!(
            resolve(base, "HTTP://other:8080/a").as_deref(),
            Some("HTTP://other:8080/a")
        );
        assert_eq!(
            resolve(base, "//cdn.example/a").as_deref(),
            Some("https://cdn.example/a")
        );
        assert_eq!(
            resolve(base, "/v1.0/next?b=2").as_deref(),
            Some("https://graph.microsoft.com/v1.0/next?b=2")
        );
        assert_eq!(resolve(base, "next.csv"), None);
        assert_eq!(resolve(base, "ftp://host/a"), None);
    }
}
