//! Navigation properties, actions, functions and alternate keys expand to the same code
//! whatever the user's crate names `Result`, `Option`, `Action`, `Function` and the other
//! names the expansion uses (constants `value` and `client` too), without the prelude, with
//! the crate renamed, and with navigation constants named like the constants of the traits
//! the type implements.
#![no_implicit_prelude]
#![allow(dead_code, non_camel_case_types, non_upper_case_globals)]

mod sdk {
    pub use ::graph_resource as graph;
}

pub struct Result;
pub struct Option;
pub struct Vec;
pub struct Box;
pub struct String;
pub struct Action;
pub struct Function;
pub struct Navigation;
pub struct EntityPath;
pub struct CollectionPath;
pub struct Many;
pub struct One;
pub struct Related;
pub struct Contained;
pub struct IsA;
pub struct Model;
pub struct Client;
pub struct str;
pub struct Some;
pub struct Ok;
pub const value: u8 = 0;
pub const client: u8 = 0;

type S = ::std::string::String;

#[::graph_resource::graph_resource(crate = "crate::sdk::graph", path = "/directoryObjects")]
pub struct DirectoryObject {
    pub id: ::std::option::Option<S>,
}

#[::graph_resource::graph_resource(parameters, crate = "crate::sdk::graph")]
pub struct IdsBody {
    pub ids: ::std::vec::Vec<S>,
}

#[::graph_resource::graph_resource(
    crate = "crate::sdk::graph",
    path = "/sites/{site}/lists/{list}/items",
    actions(
        #[collection] get_by_ids(IdsBody) -> ::graph_resource::Page<DirectoryObjectKind>,
        restore,
    ),
    functions(r#match(text: &::std::primitive::str, number: i32, r#type: bool)),
    alternate_keys(r#type, userPrincipalName),
)]
pub struct Item {
    #[graph(base)]
    pub base: DirectoryObject,
    #[graph(navigation)]
    pub members: ::std::option::Option<::std::vec::Vec<DirectoryObjectKind>>,
    #[graph(navigation)]
    pub manager: ::std::option::Option<::std::boxed::Box<DirectoryObjectKind>>,
    #[graph(contained)]
    pub r#children: ::std::option::Option<::std::vec::Vec<Item>>,
    // Navigation constants named like the constants of the traits the type implements.
    #[graph(navigation)]
    pub odata_type: ::std::option::Option<::std::boxed::Box<DirectoryObjectKind>>,
    #[graph(navigation)]
    pub name: ::std::option::Option<::std::boxed::Box<DirectoryObjectKind>>,
    #[graph(navigation)]
    pub has_additional: ::std::option::Option<::std::vec::Vec<DirectoryObjectKind>>,
    #[graph(navigation)]
    pub types: ::std::option::Option<::std::vec::Vec<DirectoryObjectKind>>,
}

#[::graph_resource::graph_resource(crate = "crate::sdk::graph", base = "DirectoryObject")]
pub enum DirectoryObjectKind {
    Item(Item),
    #[graph(other)]
    Other(::graph_resource::UntypedResource),
}

async fn calls(
    graph: &::graph_resource::Client,
) -> ::std::result::Result<(), ::graph_resource::Error> {
    let item = || Item::at(graph, "s", "l", "i");
    item().to(Item::MEMBERS).list().await?;
    item().to(Item::MANAGER).get().await?;
    item().to(Item::CHILDREN).id("c").get().await?;
    item().call(Item::RESTORE, &()).await?;
    item().to(Item::ODATA_TYPE).get().await?;
    item().to(Item::NAME).get().await?;
    item().to(Item::TYPES).list().await?;
    let json = r##"{"@odata.type": "#microsoft.graph.item", "id": "1"}"##;
    let read: DirectoryObjectKind = ::serde_json::from_str(json).unwrap();
    let _ = ::serde_json::to_string(&read).unwrap();
    Item::collection(graph, "s", "l")
        .call(Item::GET_BY_IDS, &IdsBody { ids: ::std::vec::Vec::new() })
        .await?;
    item().call_function(Item::r#match("x", 1, true)).await?;
    Item::by_type(graph, "s", "l", "t").get().await?;
    Item::by_user_principal_name(graph, "s", "l", "u").get().await?;
    ::std::result::Result::Ok(())
}

fn main() {
    let _ = calls;
}
