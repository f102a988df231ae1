//! Constants and statics named like the parameters and locals of the generated code do not
//! change what it means: a pattern naming a constant would otherwise match against it.
#![allow(non_upper_case_globals, dead_code)]

use graph_resource::{graph_resource, UntypedResource};

const __value: u8 = 0;
const __map: u8 = 0;
static __serializer: u8 = 0;
static __deserializer: u8 = 0;
const __partial: u8 = 0;
const __key: u8 = 0;
const __index: u8 = 0;
const __name: u8 = 0;
const __with: u8 = 0;
const __i: u8 = 0;
const __odata_type: u8 = 0;
const client: u8 = 0;
const body: u8 = 0;
const __out: u8 = 0;

mod as_string {
    pub fn serialize<S: serde::Serializer>(value: &u32, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[graph_resource]
pub struct Entity {
    pub id: Option<String>,
}

#[graph_resource(path = "/deviceManagement/intents/<>/assignments")]
pub struct Assignment {
    #[graph(base)]
    pub base: Entity,
    pub name: Option<String>,
    pub count: i64,
    #[graph(with = "as_string")]
    pub size: u32,
    #[graph(additional)]
    pub additional: serde_json::Map<String, serde_json::Value>,
}

#[graph_resource]
pub struct Plain {
    pub id: Option<String>,
}

#[graph_resource]
pub enum Target {
    Assignment(Assignment),
    #[graph(other)]
    Other(UntypedResource),
}

#[graph_resource]
pub enum ClosedTarget {
    Plain(Plain),
}

#[graph_resource]
pub enum State {
    On,
    #[graph(other)]
    Unknown(String),
}

#[graph_resource]
pub enum ClosedState {
    On,
    Off,
}

fn main() {
    let json = r##"{"@odata.type":"#microsoft.graph.assignment","id":"1","count":2,"size":"3","x":1}"##;
    let target: Target = serde_json::from_str(json).unwrap();
    assert!(matches!(&target, Target::Assignment(a) if a.size == 3 && a.additional.len() == 1));
    let written = serde_json::to_string(&target).unwrap();
    assert_eq!(
        written,
        r##"{"@odata.type":"#microsoft.graph.assignment","id":"1","count":2,"size":"3","x":1}"##
    );
    let state: State = serde_json::from_str(r#""other""#).unwrap();
    assert!(matches!(state, State::Unknown(_)));
    let _ = serde_json::to_string(&ClosedState::Off).unwrap();
    let _: ClosedTarget = serde_json::from_str(r#"{"id":"1","@odata.type":"microsoft.graph.plain"}"#).unwrap();
}
