use graph_resource::graph_resource;

#[graph_resource(functions(get_report((period, date): (&str, &str)) -> graph_resource::Bytes))]
pub struct ReportRoot {
    pub id: Option<String>,
}

fn main() {}
