//! An upload session as Graph runs one, on its own local server (another origin than the
//! Graph-like server): it keeps the bytes it accepted, answers `nextExpectedRanges`, and
//! injects the faults a test asks for on a given `PUT`.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::http_server::{Captured, Reply, TestServer};

/// A fault answering one `PUT` (by its number, from 1) instead of the session.
#[derive(Debug, Clone)]
pub enum Fault {
    /// A status with an error body, nothing accepted; with a `Retry-After` for a 429.
    Status(u16, Option<&'static str>),
    /// The session keeps the first half of the fragment, then the connection drops
    /// without an answer: a connection cut mid-fragment.
    DropHalfway,
}

/// How the session ends once it holds every byte.
#[derive(Debug, Clone, Copy)]
pub enum Finish {
    /// `201 Created` with the drive item.
    Item,
    /// `201 Created` without body, `Location` on the session's origin (attachments).
    Location,
}

#[derive(Debug, Default)]
pub struct State {
    /// The bytes accepted so far.
    pub received: Vec<u8>,
    /// `PUT`s whose range started before what was accepted: a byte sent twice.
    pub overlaps: usize,
    pub puts: usize,
    pub faults: HashMap<usize, Fault>,
    pub expired: bool,
    pub deleted: bool,
    pub finish: Option<Finish>,
    /// `Location` given at the end, for [`Finish::Location`].
    pub location: String,
}

/// The session's server and its state.
pub struct Session {
    pub server: TestServer,
    pub state: Arc<Mutex<State>>,
}

impl Session {
    pub async fn start(finish: Finish) -> Session {
        let state = Arc::new(Mutex::new(State {
            finish: Some(finish),
            ..State::default()
        }));
        let shared = state.clone();
        let server = TestServer::start(move |request| answer(&shared, request)).await;
        state.lock().unwrap().location = format!("{}/attachments/a1", server.url());
        Session { server, state }
    }

    /// The session's upload URL, with a query that authorizes it as Graph's do.
    pub fn url(&self) -> String {
        format!("{}/up/session-1?tempauth=secret", self.server.url())
    }

    pub fn fault(&self, put: usize, fault: Fault) {
        self.state.lock().unwrap().faults.insert(put, fault);
    }

    pub fn received(&self) -> Vec<u8> {
        self.state.lock().unwrap().received.clone()
    }

    pub fn overlaps(&self) -> usize {
        self.state.lock().unwrap().overlaps
    }

    /// Every `Content-Range` the session was sent, in order.
    pub fn ranges(&self) -> Vec<String> {
        (self.server.requests().iter())
            .filter(|request| request.method == "PUT")
            .map(|request| request.header("content-range").unwrap_or("").to_owned())
            .collect()
    }
}

fn expected(state: &State, total: usize) -> String {
    format!(
        r#"{{"expirationDateTime": "2099-01-01T00:00:00Z", "nextExpectedRanges": ["{}-{}"]}}"#,
        state.received.len(),
        total.saturating_sub(1)
    )
}

fn answer(state: &Mutex<State>, request: &Captured) -> Reply {
    let mut state = state.lock().unwrap();
    if state.expired || state.deleted {
        return Reply::json(
            404,
            r#"{"error": {"code": "itemNotFound", "message": "The upload session was not found"}}"#,
        );
    }
    match request.method.as_str() {
        "GET" => Reply::json(
            200,
            &format!(
                r#"{{"expirationDateTime": "2099-01-01T00:00:00Z", "nextExpectedRanges": ["{}-"]}}"#,
                state.received.len()
            ),
        ),
        "DELETE" => {
            state.deleted = true;
            Reply::Respond {
                status: 204,
                headers: Vec::new(),
                body: Vec::new(),
            }
        }
        "PUT" => {
            state.puts += 1;
            let range = request.header("content-range").unwrap_or("");
            let (start, total) = parse_range(range);
            if start < state.received.len() {
                state.overlaps += 1;
            }
            let put = state.puts;
            match state.faults.remove(&put) {
                Some(Fault::Status(status, retry_after)) => {
                    let reply = Reply::json(
                        status,
                        r#"{"error": {"code": "fault", "message": "injected"}}"#,
                    );
                    return match retry_after {
                        Some(seconds) => reply.header("Retry-After", seconds),
                        None => reply,
                    };
                }
                Some(Fault::DropHalfway) => {
                    if start == state.received.len() {
                        let half = request.body.len() / 2;
                        state.received.extend_from_slice(&request.body[..half]);
                    }
                    return Reply::Raw(Vec::new());
                }
                None => {}
            }
            if start != state.received.len() {
                return Reply::json(
                    416,
                    r#"{"error": {"code": "invalidRange", "message": "not the next range"}}"#,
                );
            }
            state.received.extend_from_slice(&request.body);
            if state.received.len() < total {
                return Reply::json(202, &expected(&state, total));
            }
            match state.finish {
                Some(Finish::Location) => Reply::Respond {
                    status: 201,
                    headers: vec![("Location".into(), state.location.clone())],
                    body: Vec::new(),
                },
                _ => Reply::json(
                    201,
                    &format!(r#"{{"id": "item-1", "name": "report.pdf", "size": {total}}}"#),
                ),
            }
        }
        _ => Reply::json(405, "{}"),
    }
}

/// `bytes a-b/total` as `(a, total)`.
fn parse_range(range: &str) -> (usize, usize) {
    let rest = range.strip_prefix("bytes ").unwrap_or("");
    let (span, total) = rest.split_once('/').unwrap_or(("", ""));
    let start = span.split('-').next().unwrap_or("");
    (
        start.parse().unwrap_or(usize::MAX),
        total.parse().unwrap_or(0),
    )
}
