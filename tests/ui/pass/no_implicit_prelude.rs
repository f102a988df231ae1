#![no_implicit_prelude]

#[::graph_resource::graph_resource(path = "/deviceManagement/intents/<>/assignments")]
pub struct DeviceManagementIntentAssignment {
    pub id: ::std::option::Option<::std::string::String>,
    pub count: i64,
    #[graph(additional)]
    pub additional: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
}

#[::graph_resource::graph_resource]
pub enum State {
    On,
    Off,
}

fn main() {}
