//! A request to any path, for what no model declares: a beta endpoint, a new action.

use http::Method;
use serde::Serialize;

use super::position::{check_key, check_root};
use crate::client::Client;
use crate::error::Error;
use crate::path::push_encoded;
use crate::request::{Answer, Request};

/// The escape hatch: any method, any path, any body, any answer.
impl<A: Answer> Request<A> {
    /// A request for `method` on `template` below the client's base URL, its placeholders
    /// (`{}`, or `{name}` for a clearer message) filled in from `keys` in order, each
    /// percent-encoded as one segment. It goes through the same pipeline as every other
    /// request (credential, retries, throttle gate, tracing) and into a `$batch`; `A` says
    /// how to read the answer: [`Entity<T>`](crate::Entity) for any `Deserialize` type
    /// ([`UntypedResource`](crate::UntypedResource) when there is no model),
    /// [`Page<T>`](crate::Page), `Option<T>`, `()`, [`Created<T>`](crate::Created) or
    /// [`Count`](crate::Count).
    ///
    /// A wrong number of keys, an empty, `.` or `..` key, or a template that is not a path
    /// is an [`Error::InvalidArgument`] when the request is awaited, and nothing is sent.
    ///
    /// ```
    /// # use graph_resource_runtime::{Error, Entity, MockResponse, MockTransport, Request, UntypedResource};
    /// # use http::Method;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Error> {
    /// # let mock = MockTransport::new();
    /// # mock.push(MockResponse::json(200, serde_json::json!({"id": "m1"})));
    /// # mock.push(MockResponse::new(202));
    /// # let client = mock.client_builder().build()?;
    /// let manager: UntypedResource =
    ///     Request::<Entity<_>>::custom(&client, Method::GET, "/users/{id}/manager", &["u 1"]).await?;
    /// let mail = serde_json::json!({"message": {"subject": "Hi"}});
    /// Request::<()>::custom(&client, Method::POST, "/users/{}/sendMail", &["u 1"])
    ///     .body(&mail)
    ///     .await?;
    /// assert_eq!(mock.requests()[0].uri, "https://graph.microsoft.com/v1.0/users/u%201/manager");
    /// # let _ = manager;
    /// # Ok(())
    /// # }
    /// ```
    pub fn custom(client: &Client, method: Method, template: &str, keys: &[&str]) -> Self {
        Request::new(client, method, fill(template, keys))
    }

    /// Sends `body` serialized as JSON, in place of any body the request had. A body that
    /// cannot be serialized is an [`Error::Encode`] when the request is awaited.
    pub fn body<B: Serialize + ?Sized>(self, body: &B) -> Self {
        self.json(body)
    }
}

/// `template` with its placeholders replaced by `keys`, each encoded as one segment.
fn fill(template: &str, keys: &[&str]) -> Result<String, Error> {
    let mut path =
        String::with_capacity(template.len() + keys.iter().map(|key| key.len() * 3).sum::<usize>());
    // The template with a plain stand-in for each key, checked as a path.
    let mut shape = String::with_capacity(template.len());
    let mut rest = template;
    let mut given = keys.iter();
    let mut placeholders = 0;
    let mut missing = false;
    while let Some(open) = rest.find('{') {
        let (literal, after) = rest.split_at(open);
        let Some(close) = after.find('}') else { break };
        let name = after.get(1..close).unwrap_or_default();
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            break;
        }
        path.push_str(literal);
        shape.push_str(literal);
        shape.push('k');
        placeholders += 1;
        match given.next() {
            Some(key) => {
                let what = if name.is_empty() {
                    format!("key {placeholders} of `{template}`")
                } else {
                    format!("`{name}` of `{template}`")
                };
                check_key(&what, key)?;
                push_encoded(&mut path, key, b"");
            }
            None => missing = true,
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    path.push_str(rest);
    shape.push_str(rest);
    check_root(&shape).map_err(|_| {
        Error::InvalidArgument(format!(
            "the path `{template}` is not a path below the base URL: expected `/` and segments, \
             with keys as `{{}}` or `{{name}}` placeholders, such as `/users/{{}}/manager`"
        ))
    })?;
    let extra = given.len();
    if missing || extra > 0 {
        return Err(Error::InvalidArgument(format!(
            "the path `{template}` takes {placeholders} key(s), {} were given",
            keys.len()
        )));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn placeholders_take_the_keys_in_order_each_encoded_as_one_segment() {
        assert_eq!(
            fill("/users/{}/mailFolders/{folder}/messages", &["a/b", "c d"]).unwrap(),
            "/users/a%2Fb/mailFolders/c%20d/messages"
        );
        assert_eq!(fill("/me", &[]).unwrap(), "/me");
        assert_eq!(fill("/users/{}", &["o'b@c"]).unwrap(), "/users/o%27b%40c");
    }

    #[test]
    fn wrong_keys_and_templates_are_invalid_arguments() {
        let message = |template: &str, keys: &[&str]| fill(template, keys).unwrap_err().to_string();
        assert_eq!(
            message("/users/{}/manager", &[]),
            "invalid argument: the path `/users/{}/manager` takes 1 key(s), 0 were given"
        );
        assert_eq!(
            message("/users/{}", &["a", "b"]),
            "invalid argument: the path `/users/{}` takes 1 key(s), 2 were given"
        );
        assert_eq!(
            message("/users/{id}", &[".."]),
            "invalid argument: `id` of `/users/{id}` must not be `..`: it would address another resource"
        );
        assert_eq!(
            message("/users/{}", &[""]),
            "invalid argument: key 1 of `/users/{}` must not be empty"
        );
        for template in [
            "users/{}",
            "/users//{}",
            "/users/{}?x=1",
            "/users/{a-b}",
            "/users/{",
            "/a b",
        ] {
            assert!(
                message(template, &["k"]).contains("is not a path below the base URL"),
                "{template}"
            );
        }
    }
}
