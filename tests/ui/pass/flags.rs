use graph_resource::{graph_resource, Flag, Flags};

/// A flag enum with a renamed member and an `other` variant.
#[graph_resource(flags)]
#[derive(Debug, Clone, PartialEq)]
pub enum DayOfWeek {
    Monday,
    #[graph(rename = "TUESDAY")]
    Tuesday,
    #[graph(other)]
    Unknown(String),
}

#[graph_resource]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schedule {
    pub days: Option<Flags<DayOfWeek>>,
    pub required: Flags<DayOfWeek>,
}

fn main() {
    let days: Flags<DayOfWeek> = DayOfWeek::Monday | DayOfWeek::Tuesday;
    assert_eq!(DayOfWeek::Tuesday.as_str(), "TUESDAY");
    let schedule = Schedule { days: Some(days), required: Flags::new() };
    let json = serde_json::to_string(&schedule).unwrap();
    assert_eq!(json, r##"{"@odata.type":"#microsoft.graph.schedule","days":"monday,TUESDAY","required":""}"##);
}
