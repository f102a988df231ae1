//! Uploads a file to a drive item through an upload session, showing its progress:
//! `createUploadSession` on Graph, then the content in 10 MiB fragments to the session's
//! `uploadUrl`, read from the file one fragment at a time.
//!
//! By default it writes a 25 MiB scratch file and uploads it to a Graph-like endpoint and
//! an upload session on two local ports in this process (no network, no credentials),
//! through the real `Client` and the default reqwest transport. With `GRAPH_BASE_URL`,
//! `GRAPH_TOKEN`, `GRAPH_DRIVE_ID` and `UPLOAD_FILE` set, it uploads that file to the root
//! folder of that drive instead.
//!
//! ```text
//! cargo run --example upload_file
//! GRAPH_BASE_URL=https://graph.microsoft.com/v1.0 GRAPH_TOKEN=… GRAPH_DRIVE_ID=b!… \
//!     UPLOAD_FILE=report.pdf cargo run --example upload_file
//! ```

#[path = "../tests/support/http_server.rs"]
mod http_server;
#[path = "../tests/support/upload_session.rs"]
mod upload_session;

use std::error::Error;
use std::path::PathBuf;

use graph_resource::{Client, Created, ReaderSource, UploadSession};
use http_server::{Reply, TestServer};
use serde_json::Value;
use upload_session::{Finish, Session};

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            let mut source = error.source();
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let settings = [
        "GRAPH_BASE_URL",
        "GRAPH_TOKEN",
        "GRAPH_DRIVE_ID",
        "UPLOAD_FILE",
    ]
    .map(|name| std::env::var(name).ok());
    if let [Some(base_url), Some(token), Some(drive_id), Some(file)] = settings {
        let client = Client::builder()
            .base_url(base_url)
            .bearer_token(token)
            .build()?;
        upload(&client, &drive_id, PathBuf::from(file)).await?;
        return Ok(());
    }

    // The upload session on one port, Graph on another: two origins, as in Graph.
    let session = Session::start(Finish::Item).await;
    let upload_url = session.url();
    let graph = TestServer::start(move |_| {
        Reply::json(
            200,
            &format!(
                r#"{{"uploadUrl": "{upload_url}", "expirationDateTime": "2099-01-01T00:00:00Z", "nextExpectedRanges": ["0-"]}}"#
            ),
        )
    })
    .await;
    let client = Client::builder()
        .base_url(format!("{}/v1.0", graph.url()))
        .bearer_token("local-example-token")
        .build()?;
    let file =
        std::env::temp_dir().join(format!("graph-resource-upload-{}.bin", std::process::id()));
    let content: Vec<u8> = (0..25 * 1024 * 1024)
        .map(|index| (index % 251) as u8)
        .collect();
    tokio::fs::write(&file, &content).await?;
    let result = upload(&client, "b!local-drive", file.clone()).await;
    tokio::fs::remove_file(&file).await?;
    result?;
    assert_eq!(session.received(), content, "the session holds the file");
    let tokens = (session.server.requests().iter())
        .filter(|request| request.header("authorization").is_some())
        .count();
    assert_eq!(tokens, 0, "no token went to the upload URL");
    println!("{} fragments, none with the token", session.ranges().len());
    Ok(())
}

/// Creates the session for `file` in the drive's root folder and uploads it.
async fn upload(client: &Client, drive_id: &str, file: PathBuf) -> Result<(), Box<dyn Error>> {
    let name = (file.file_name())
        .and_then(|name| name.to_str())
        .ok_or("the file has no UTF-8 name")?
        .to_owned();
    let opened = tokio::fs::File::open(&file).await?;
    let len = opened.metadata().await?.len();
    let session = UploadSession::drive_item(client, drive_id, "root", &name)
        .await?
        .on_progress(|sent, total| println!("{sent:>10} of {total} bytes"));
    // Store `session.upload_url()` to resume after a restart with `UploadSession::resume`.
    let item: Created<Value> = session.upload(ReaderSource::new(opened, len)).await?;
    match item {
        Created::Entity(item) => println!(
            "uploaded drive item {} ({} bytes)",
            item["id"], item["size"]
        ),
        other => println!("uploaded to {:?}", other.location()),
    }
    Ok(())
}
