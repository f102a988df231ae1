use graph_resource::{graph_resource, Bytes, Function};

#[graph_resource]
pub struct ReportRoot {
    pub id: Option<String>,
}

impl ReportRoot {
    fn get_report(periods: Vec<String>) -> Function<Self, Bytes> {
        Function::new("getReport").arg("periods", periods)
    }
}

fn main() {
    let _ = ReportRoot::get_report(Vec::new());
}
