//! A bare request to a URL outside Graph's pipeline: an upload session's `uploadUrl`, a
//! drive copy's monitor URL, an export's download URL, each hop of a redirect. Through the
//! client's transport and per-attempt timeout, with only the headers given: no token, no
//! default header, so that nothing of the client's reaches another origin. The transport
//! follows no redirect of it ([`RedirectsFollowedByClient`]): one it followed would carry
//! the URL it left as `Referer`, and a pre-authenticated URL authorizes by itself.

use bytes::Bytes;
use http::{HeaderMap, Method, Response, Uri};

use super::exchange::{Payload, Received};
use super::{Pipeline, timeout};
use crate::error::{ApiError, Error};
use crate::text::RedactedUrl;
use crate::transport::RedirectsFollowedByClient;

/// Sends `method` to `url` with `headers` and `body` once; a redirect is answered as it
/// is, any other status but 2xx is an [`Error::Api`].
pub(crate) async fn send(
    pipeline: &Pipeline,
    method: Method,
    url: &str,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response<Bytes>, Error> {
    let response = exchange::<Bytes>(pipeline, &method, url, headers, Payload::Bytes(body)).await?;
    let status = response.status();
    if status.is_success() || status.is_redirection() {
        Ok(response)
    } else {
        Err(Error::Api(Box::new(ApiError::from_response(
            &method, url, response,
        ))))
    }
}

/// Sends `method` to `url` with `headers` and `payload` once and answers the response of
/// any status, its body whole or streamed as `R` says.
pub(crate) async fn exchange<R: Received>(
    pipeline: &Pipeline,
    method: &Method,
    url: &str,
    headers: HeaderMap,
    payload: Payload,
) -> Result<Response<R>, Error> {
    let uri = Uri::try_from(url).map_err(|_| {
        Error::InvalidArgument(format!("`{}` is not a valid URL", RedactedUrl(url)))
    })?;
    let mut request = http::Request::new(payload);
    *request.method_mut() = method.clone();
    *request.uri_mut() = uri;
    *request.headers_mut() = headers;
    request.extensions_mut().insert(RedirectsFollowedByClient);
    timeout::exchange(pipeline, request, method, url).await
}

/// Checks that `url`, the `what` (such as "upload URL"), may be sent bare requests: an
/// absolute `https` URL with a host and no user info; `http` only when the client's
/// `base_url` is, for local servers.
pub(crate) fn check_url(base_url: &str, url: &str, what: &str) -> Result<(), Error> {
    let invalid =
        |why: &str| Error::InvalidArgument(format!("the {what} `{}` {why}", RedactedUrl(url)));
    let uri = Uri::try_from(url).map_err(|_| invalid("is not a valid URL"))?;
    let plain_allowed = base_url.starts_with("http://");
    match (uri.scheme_str(), uri.authority()) {
        (Some(scheme), Some(authority))
            if scheme == "https" || (scheme == "http" && plain_allowed) =>
        {
            if authority.as_str().contains('@') {
                return Err(invalid("must not contain user info"));
            }
            Ok(())
        }
        _ => Err(invalid(
            "must be an absolute `https://` URL (`http://` only when the client's base URL is)",
        )),
    }
}
