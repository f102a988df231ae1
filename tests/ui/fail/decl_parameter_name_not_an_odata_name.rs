use graph_resource::graph_resource;

#[graph_resource(path = "/devices", functions(report(#[name = "period)&x"] period: &str)))]
pub struct Device {
    pub id: Option<String>,
}

fn main() {}
