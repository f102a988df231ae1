use graph_resource::graph_resource;

#[graph_resource(functions(
    get_office365_active_user_detail(period: &str) -> graph_resource::Bytes,
    #[name = "getOffice365ActiveUserDetail"]
    get_office365_active_user_detail_on(#[name = "period"] date: graph_resource::Date) -> graph_resource::Bytes,
))]
pub struct ReportRoot {
    pub id: Option<String>,
}

fn main() {}
