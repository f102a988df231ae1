//! [`Function`]: a bound function, `GET …/{name}(p1=…,p2=…)` with its parameters as
//! OData literals.

use std::fmt;
use std::marker::PhantomData;

use http::Method;

use super::literal::ODataLiteral;
use super::{CollectionPath, EntityPath, IsA, Many, Model, One};
use crate::path::push_encoded;
use crate::request::{Answer, Request};

/// A call of a bound function of `S`, its parameters written in: `GET
/// …/{name}(p1=…,p2=…)` on an entity of `S` (`C` is [`One`]) or on a collection of `S`
/// (`C` is [`Many`]), answered as `A` says.
///
/// `A` is the [`Answer`], as for an [`Action`](crate::Action), or
/// [`Bytes`](bytes::Bytes) for a report: Graph answers it with a `302` to a
/// pre-authenticated URL on another origin, which the client follows without the
/// `Authorization` header or any other header of the request, and gives the body. Such a
/// request cannot go in a `$batch`, which would answer the redirect itself.
///
/// A model declares one associated fn per function, or per overload under distinct Rust
/// names, returning this value; the parameters are [`ODataLiteral`]s.
/// `#[graph_resource(functions(get_office365_active_user_detail(period: &str) -> Bytes))]`
/// on `ReportRoot` expands to that fn; written by hand, for a type the macro does not
/// annotate, it is:
///
/// ```
/// # use bytes::Bytes;
/// # use graph_resource_runtime::{EntityPath, Error, Function, Model, MockResponse, MockTransport, ODataType};
/// # struct ReportRoot;
/// # impl ODataType for ReportRoot { const ODATA_TYPE: &'static str = "#microsoft.graph.reportRoot"; }
/// # impl Model for ReportRoot { type Declared = ReportRoot; }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let mock = MockTransport::new();
/// # mock.push(MockResponse::new(200).header("Content-Type", "text/csv").body("Report Refresh Date\n"));
/// # let client = mock.client_builder().build()?;
/// fn get_office365_active_user_detail(period: &str) -> Function<ReportRoot, Bytes> {
///     Function::new("getOffice365ActiveUserDetail").arg("period", period)
/// }
///
/// // In an SDK: `ReportRoot::at(&client)`.
/// let reports = EntityPath::<ReportRoot>::root(&client, "/reports");
/// let csv = reports.call_function(get_office365_active_user_detail("D7")).await?;
/// assert_eq!(csv, "Report Refresh Date\n");
/// assert_eq!(
///     mock.requests()[0].uri,
///     "https://graph.microsoft.com/v1.0/reports/getOffice365ActiveUserDetail(period='D7')",
/// );
/// # Ok(())
/// # }
/// ```
pub struct Function<S, A, C = One> {
    /// `name(p1=…,p2=…)`, the literals as OData spells them, not yet percent-encoded.
    segment: String,
    /// Whether a parameter was written, so the next one is preceded by `,`.
    has_args: bool,
    types: Types<S, A, C>,
}

/// The types a [`Function`] names, owned by none of its values.
type Types<S, A, C> = PhantomData<fn() -> (S, A, C)>;

impl<S, A, C> Function<S, A, C> {
    /// A call of the function of name `name`, such as `getOffice365ActiveUserDetail`,
    /// without parameters yet.
    pub fn new(name: &str) -> Self {
        let mut segment = String::with_capacity(name.len() + 32);
        segment.push_str(name);
        Function {
            segment,
            has_args: false,
            types: PhantomData,
        }
    }

    /// The parameter `name` set to `value`, written as an OData literal: `name=value`.
    pub fn arg(mut self, name: &str, value: impl ODataLiteral) -> Self {
        self.segment.push(if self.has_args { ',' } else { '(' });
        self.has_args = true;
        self.segment.push_str(name);
        self.segment.push('=');
        value.write_literal(&mut self.segment);
        self
    }

    /// The path segment, percent-encoded as one segment: everything but the RFC 3986
    /// unreserved characters and `(`, `)`, `=`, `,` and `'` is encoded.
    fn encoded_segment(&self) -> String {
        let mut out = String::with_capacity(self.segment.len() + 16);
        push_encoded(&mut out, &self.segment, b"()=,'");
        if !self.has_args {
            out.push_str("()");
        } else {
            out.push(')');
        }
        out
    }
}

impl<S, A, C> Clone for Function<S, A, C> {
    fn clone(&self) -> Self {
        Function {
            segment: self.segment.clone(),
            has_args: self.has_args,
            types: PhantomData,
        }
    }
}

impl<S, A, C> fmt::Debug for Function<S, A, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Function")
            .field(&self.encoded_segment())
            .finish()
    }
}

impl<T, K> EntityPath<T, K> {
    /// `GET …/{name}(…)`: a function bound to the entity's type or to a type it derives
    /// from, its parameters written in.
    ///
    /// `ReportRoot::at(&client).call_function(ReportRoot::get_office365_active_user_detail("D7")).await?`
    pub fn call_function<S, A>(self, function: Function<S, A, One>) -> Request<A>
    where
        T: Model,
        T::Declared: IsA<S>,
        A: Answer,
    {
        let segment = function.encoded_segment();
        self.into_position().push(&segment).request(Method::GET)
    }
}

impl<T, K> CollectionPath<T, K> {
    /// `GET …/{name}(…)`: a function bound to a collection of the collection's type or of
    /// a type it derives from, its parameters written in.
    pub fn call_function<S, A>(self, function: Function<S, A, Many>) -> Request<A>
    where
        T: Model,
        T::Declared: IsA<S>,
        A: Answer,
    {
        let segment = function.encoded_segment();
        self.into_position().push(&segment).request(Method::GET)
    }
}
