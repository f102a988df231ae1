use graph_resource::{graph_resource, Bytes};

#[graph_resource(functions(get_report(periods: Vec<String>) -> Bytes))]
pub struct ReportRoot {
    pub id: Option<String>,
}

fn main() {}
