use graph_resource::graph_resource;

// `members` names its member key `member_id`, the name the placeholder already has.
#[graph_resource(path = "/groups/<member_id>/members")]
pub struct DirectoryObject {
    pub id: Option<String>,
}

fn main() {}
