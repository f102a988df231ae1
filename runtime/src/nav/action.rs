//! [`Action`]: a bound action, `POST …/{name}` with its parameters as the JSON body.

use std::fmt;
use std::marker::PhantomData;

use http::Method;
use serde::Serialize;

use super::{CollectionPath, EntityPath, IsA, Many, Model, One};
use crate::request::{Answer, Request};

/// A bound action of `S`: `POST …/{name}` on an entity of `S` (`C` is [`One`]) or on a
/// collection of `S` (`C` is [`Many`]), with parameters `P` as the JSON body, answered
/// as `A` says.
///
/// `A` is the [`Answer`]: `()` for nothing (`204 No Content`),
/// [`Entity<T>`](crate::Entity) for an entity, [`Page<T>`](crate::Page) for a collection
/// (paged like `list`), [`ValueOf<T>`](crate::ValueOf) for `{"value": …}`, and
/// [`WithResponse<()>`](crate::WithResponse) for `202 Accepted`, whose status and
/// `Location` it gives. An action without parameters takes `P = ()` and sends no body.
///
/// `#[graph_resource(actions(...))]` declares one such constant per action on the type it
/// is bound to: `actions(sync_device)` on `ManagedDevice` expands to `pub const
/// SYNC_DEVICE: Action<Self, (), (), One> = …("syncDevice");`, checking where the
/// declaration names them that the body is `Serialize` and the answer an [`Answer`]. Written
/// by hand, for a type the macro does not annotate, it is:
///
/// ```
/// # use graph_resource_runtime::{Action, EntityPath, Error, Model, MockResponse, MockTransport, ODataType};
/// # struct ManagedDevice;
/// # impl ODataType for ManagedDevice { const ODATA_TYPE: &'static str = "#microsoft.graph.managedDevice"; }
/// # impl Model for ManagedDevice { type Declared = ManagedDevice; }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let mock = MockTransport::new();
/// # mock.push(MockResponse::new(204));
/// # let client = mock.client_builder().build()?;
/// const SYNC_DEVICE: Action<ManagedDevice, (), ()> = Action::new("syncDevice");
///
/// // In an SDK: `ManagedDevice::at(&client, "d1")`.
/// let device = EntityPath::<ManagedDevice>::root(&client, "/deviceManagement/managedDevices/d1");
/// device.call(SYNC_DEVICE, &()).await?;
/// let sent = &mock.requests()[0];
/// assert_eq!(sent.uri, "https://graph.microsoft.com/v1.0/deviceManagement/managedDevices/d1/syncDevice");
/// assert!(sent.body.is_empty());
/// # Ok(())
/// # }
/// ```
pub struct Action<S, P: ?Sized, A, C = One> {
    name: &'static str,
    types: Types<S, P, A, C>,
}

/// The types an [`Action`] names, owned by none of its values.
type Types<S, P, A, C> = PhantomData<fn(&P) -> (S, A, C)>;

impl<S, P: ?Sized, A, C> Action<S, P, A, C> {
    /// The action of name `name`, the path segment of the call (`assign`, `syncDevice`).
    pub const fn new(name: &'static str) -> Self {
        Action {
            name,
            types: PhantomData,
        }
    }

    /// The name of the action.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<S, P: ?Sized, A, C> Clone for Action<S, P, A, C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S, P: ?Sized, A, C> Copy for Action<S, P, A, C> {}

impl<S, P: ?Sized, A, C> fmt::Debug for Action<S, P, A, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Action").field(&self.name).finish()
    }
}

impl<T, K> EntityPath<T, K> {
    /// `POST …/{action}` with `parameters` as the JSON body: an action bound to the
    /// entity's type or to a type it derives from.
    ///
    /// `DeviceConfiguration::at(&client, id).call(DeviceConfiguration::ASSIGN, &body).await?`
    pub fn call<S, P, A>(self, action: Action<S, P, A, One>, parameters: &P) -> Request<A>
    where
        T: Model,
        T::Declared: IsA<S>,
        P: Serialize + ?Sized,
        A: Answer,
    {
        let position = self.into_position().push(action.name());
        position.request(Method::POST).parameters(parameters)
    }
}

impl<T, K> CollectionPath<T, K> {
    /// `POST …/{action}` with `parameters` as the JSON body: an action bound to a
    /// collection of the collection's type or of a type it derives from.
    ///
    /// `User::collection(&client).call(User::GET_BY_IDS, &ids).await?`
    pub fn call<S, P, A>(self, action: Action<S, P, A, Many>, parameters: &P) -> Request<A>
    where
        T: Model,
        T::Declared: IsA<S>,
        P: Serialize + ?Sized,
        A: Answer,
    {
        let position = self.into_position().push(action.name());
        position.request(Method::POST).parameters(parameters)
    }
}
