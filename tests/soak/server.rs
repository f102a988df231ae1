//! The soak's servers, both on 127.0.0.1: Graph's stand-in, which answers by a seeded random
//! schedule of successes and faults and counts what it saw, and a second origin that next
//! links and redirects point to, which counts every request that carries a token.
//!
//! The schedule is reproducible: what happens to a request is drawn from the seed and the
//! request itself (method, target, body, the soak's `client-request-id` and `Retry-Attempt`),
//! not from the order in which requests arrive, so a seed sends each call through the same
//! faults on every run. Only the 429 windows depend on timing: a request that arrives while
//! its scope is throttled is answered 429 whatever its draw.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use crate::http_server::{Captured, read_request};

/// The start of the `client-request-id` the soak gives each call, its number following in
/// hex; the schedule ignores an id the client made up itself (a `$batch`'s, random).
pub const CALL_ID_PREFIX: &str = "00000000-0000-4000-8000-";
/// How long a 429 throttles its scope: its `Retry-After`, in seconds.
pub const RETRY_AFTER_SECONDS: u64 = 1;
/// The faults of the schedule, each with its chance in 10,000 requests; the rest succeed.
const SCHEDULE: [(Fault, u32); 9] = [
    (Fault::Throttle, 30),
    (Fault::Unavailable, 150),
    (Fault::GatewayTimeout, 100),
    (Fault::ResetBeforeHead, 80),
    (Fault::ResetMidBody, 80),
    (Fault::SlowBody, 150),
    (Fault::TooSlowBody, 20),
    (Fault::TruncatedJson, 60),
    (Fault::Garbage, 60),
];
/// The chance in 100 that a first page links its next page on the second origin.
const FOREIGN_NEXT_LINK: u32 = 5;
/// The chance in 100 that an item of a `$batch` is answered 429.
const THROTTLED_ITEM: u32 = 3;

const THROTTLED: &str =
    r#"{"error":{"code":"TooManyRequests","message":"Too many requests, retry after 1 second."}}"#;
const UNAVAILABLE: &str = r#"{"error":{"code":"ServiceUnavailable","message":"The service is temporarily unavailable."}}"#;
const GATEWAY_TIMEOUT: &str =
    r#"{"error":{"code":"GatewayTimeout","message":"The gateway timed out."}}"#;

/// What the schedule does to a request besides answering it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// 429 with `Retry-After`; the request's scope answers 429 to everything until then.
    Throttle,
    /// 503: not applied, safe to send again.
    Unavailable,
    /// 504: maybe applied.
    GatewayTimeout,
    /// The request is read, then the connection reset before any byte of the answer.
    ResetBeforeHead,
    /// The head and half of the body, then a reset.
    ResetMidBody,
    /// The body in four pieces over 0.1 s to 0.6 s.
    SlowBody,
    /// The body in four pieces over 2.5 s, longer than the client's per-attempt timeout.
    TooSlowBody,
    /// A complete response whose JSON body stops halfway.
    TruncatedJson,
    /// Bytes that are not HTTP, then the connection closes.
    Garbage,
}

/// What the server does with one request.
enum Action {
    /// A complete response: status, headers, body.
    Respond(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// A complete head, then the body in four pieces over the duration.
    Slow(u16, Vec<(&'static str, String)>, Vec<u8>, Duration),
    ResetBeforeHead,
    /// The head and half of the body, then a reset.
    ResetMidBody(u16, Vec<(&'static str, String)>, Vec<u8>),
    Garbage,
}

/// What happened to a `create`'s marker: never seen, refused (429 or 503, so not applied),
/// or maybe applied (any other answer).
const UNSEEN: u8 = 0xff;
const REFUSED: u8 = 1;
const APPLIED: u8 = 2;

/// The counts of a run.
#[derive(Debug, Default)]
pub struct Counts {
    pub requests: AtomicU64,
    /// Requests answered 429 because they came while their scope was throttled.
    pub in_window: AtomicU64,
    /// Requests (or `$batch` items) whose marker had been maybe applied before.
    pub double_posts: AtomicU64,
    /// Markers seen, once each.
    pub markers: AtomicU64,
    /// Requests that matched no route.
    pub unrouted: AtomicU64,
    /// `$batch` items answered 429.
    pub throttled_items: AtomicU64,
    /// First pages whose next link is on the second origin.
    pub foreign_links: AtomicU64,
    /// GETs answered with a redirect to the second origin.
    pub redirects: AtomicU64,
}

/// Graph's stand-in.
pub struct Graph {
    address: SocketAddr,
    state: Arc<State>,
}

struct State {
    seed: u64,
    /// Each scope (the first segment below `/v1.0`) throttled until an instant.
    windows: Mutex<HashMap<String, Instant>>,
    /// The state of each marker, allocated and touched up front so that the resident size
    /// does not grow with the run.
    markers: Mutex<Vec<u8>>,
    faults: Mutex<HashMap<Fault, u64>>,
    counts: Counts,
    /// `http://127.0.0.1:port` of the second origin.
    second: String,
}

impl Graph {
    /// Starts Graph's stand-in with the schedule of `seed`, room for `markers` markers
    /// (numbered from 0), and the second origin; returns both.
    pub async fn start(seed: u64, markers: usize) -> (Graph, SecondOrigin) {
        let second = SecondOrigin::start().await;
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let address = listener.local_addr().expect("local address");
        let state = Arc::new(State {
            seed,
            windows: Mutex::new(HashMap::new()),
            markers: Mutex::new(vec![UNSEEN; markers]),
            faults: Mutex::new(HashMap::new()),
            counts: Counts::default(),
            second: second.url(),
        });
        let serving = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, serving.clone()));
            }
        });
        (Graph { address, state }, second)
    }

    /// `http://127.0.0.1:port`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn counts(&self) -> &Counts {
        &self.state.counts
    }

    /// How often each fault was served.
    pub fn faults(&self) -> HashMap<Fault, u64> {
        self.state.faults.lock().unwrap().clone()
    }
}

async fn serve(mut stream: TcpStream, state: Arc<State>) {
    let mut buffer = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buffer).await {
        state.counts.requests.fetch_add(1, Ordering::Relaxed);
        let action = state.answer(&request);
        if !write(&mut stream, action).await {
            return;
        }
    }
}

/// Carries out `action`; whether the connection can take another request.
async fn write(stream: &mut TcpStream, action: Action) -> bool {
    match action {
        Action::Respond(status, headers, body) => {
            let mut response = head(status, &headers, body.len());
            response.extend_from_slice(&body);
            stream.write_all(&response).await.is_ok()
        }
        Action::Slow(status, headers, body, over) => {
            if stream
                .write_all(&head(status, &headers, body.len()))
                .await
                .is_err()
            {
                return false;
            }
            for piece in body.chunks(body.len().div_ceil(4).max(1)) {
                tokio::time::sleep(over / 4).await;
                if stream.write_all(piece).await.is_err() {
                    return false;
                }
            }
            true
        }
        Action::ResetBeforeHead => {
            reset(stream);
            false
        }
        Action::ResetMidBody(status, headers, body) => {
            let mut response = head(status, &headers, body.len());
            response.extend_from_slice(&body[..body.len() / 2]);
            let _ = stream.write_all(&response).await;
            reset(stream);
            false
        }
        Action::Garbage => {
            let _ = stream
                .write_all(b"\x16\x03\x01 not HTTP at all\r\n\r\n")
                .await;
            let _ = stream.shutdown().await;
            false
        }
    }
}

/// Makes the connection end with a reset (RST) rather than an orderly close when dropped.
fn reset(stream: &TcpStream) {
    let _ = stream.set_zero_linger();
}

fn head(status: u16, headers: &[(&'static str, String)], length: usize) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status} Status\r\ncontent-length: {length}\r\n");
    if length > 0 {
        head.push_str("content-type: application/json\r\n");
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// A successful answer before any fault.
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn json(status: u16, body: &Value) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: body.to_string().into_bytes(),
        }
    }

    fn empty(status: u16) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }
}

impl State {
    fn answer(&self, request: &Captured) -> Action {
        let Some(path) = request.target.strip_prefix("/v1.0/") else {
            return self.unrouted();
        };
        let scope = path.split(['/', '?']).next().unwrap_or_default();
        let now = Instant::now();
        let throttled = (self.windows.lock().unwrap().get(scope)).is_some_and(|until| *until > now);
        let mut rng = self.rng_for(request);
        let drawn = draw(&mut rng);
        let fault = if throttled {
            self.counts.in_window.fetch_add(1, Ordering::Relaxed);
            Some(Fault::Throttle)
        } else {
            drawn
        };
        if let Some(fault) = fault {
            *self.faults.lock().unwrap().entry(fault).or_default() += 1;
        }
        // A request refused by a 429 or 503 was not applied; any other answer may have been.
        let refused = matches!(fault, Some(Fault::Throttle | Fault::Unavailable));
        let answer = match self.route(request, path, refused, &mut rng) {
            Some(answer) => answer,
            None => return self.unrouted(),
        };
        match fault {
            None => Action::Respond(answer.status, answer.headers, answer.body),
            Some(Fault::Throttle) => {
                if !throttled {
                    let until = now + Duration::from_secs(RETRY_AFTER_SECONDS);
                    self.windows.lock().unwrap().insert(scope.to_owned(), until);
                }
                let retry_after = vec![("retry-after", RETRY_AFTER_SECONDS.to_string())];
                Action::Respond(429, retry_after, THROTTLED.into())
            }
            Some(Fault::Unavailable) => Action::Respond(503, Vec::new(), UNAVAILABLE.into()),
            Some(Fault::GatewayTimeout) => Action::Respond(504, Vec::new(), GATEWAY_TIMEOUT.into()),
            Some(Fault::ResetBeforeHead) => Action::ResetBeforeHead,
            Some(Fault::ResetMidBody) => {
                Action::ResetMidBody(answer.status, answer.headers, answer.body)
            }
            Some(Fault::SlowBody) => {
                let over = Duration::from_millis(rng.u64(100..=600));
                Action::Slow(answer.status, answer.headers, answer.body, over)
            }
            Some(Fault::TooSlowBody) => {
                let over = Duration::from_millis(2500);
                Action::Slow(answer.status, answer.headers, answer.body, over)
            }
            Some(Fault::TruncatedJson) => {
                let mut body = answer.body;
                if body.is_empty() {
                    body = br#"{"id":"cut"}"#.to_vec();
                }
                body.truncate(body.len() / 2);
                Action::Respond(200, Vec::new(), body)
            }
            Some(Fault::Garbage) => Action::Garbage,
        }
    }

    /// The random numbers of `request`: seeded by the schedule's seed and what identifies the
    /// request and its attempt, so that they do not depend on the order of arrival.
    fn rng_for(&self, request: &Captured) -> fastrand::Rng {
        // `DefaultHasher::new` has fixed keys: the same request hashes the same in every run.
        let mut hasher = DefaultHasher::new();
        self.seed.hash(&mut hasher);
        (request.method.as_str(), request.target.as_str()).hash(&mut hasher);
        request.body.hash(&mut hasher);
        let call_id = request.header("client-request-id");
        (call_id.filter(|id| id.starts_with(CALL_ID_PREFIX))).hash(&mut hasher);
        request.header("retry-attempt").hash(&mut hasher);
        fastrand::Rng::with_seed(hasher.finish())
    }

    fn unrouted(&self) -> Action {
        self.counts.unrouted.fetch_add(1, Ordering::Relaxed);
        Action::Respond(
            404,
            Vec::new(),
            br#"{"error":{"code":"NotFound"}}"#.to_vec(),
        )
    }

    /// The answer to `request` (its `path` below `/v1.0/`) when nothing goes wrong; a create
    /// records its marker, as applied unless `refused`.
    fn route(
        &self,
        request: &Captured,
        path: &str,
        refused: bool,
        rng: &mut fastrand::Rng,
    ) -> Option<Answer> {
        const CONFIGURATIONS: &str = "deviceManagement/deviceConfigurations";
        let method = request.method.as_str();
        if let Some(rest) = path.strip_prefix(CONFIGURATIONS) {
            let id = rest.strip_prefix('/');
            return match (method, id) {
                ("GET", Some(id)) if id.starts_with("moved-") => {
                    self.counts.redirects.fetch_add(1, Ordering::Relaxed);
                    let location = format!("{}/v1.0/{path}", self.second);
                    Some(Answer {
                        status: 302,
                        headers: vec![("location", location)],
                        body: Vec::new(),
                    })
                }
                ("GET", Some(id)) => Some(Answer::json(200, &configuration(id))),
                ("POST", None) => {
                    let body: Value = serde_json::from_slice(&request.body).ok()?;
                    Some(self.create(&body, refused))
                }
                ("PATCH" | "DELETE", Some(_)) => Some(Answer::empty(204)),
                _ => None,
            };
        }
        match (method, path) {
            ("GET", "groups?$top=5") => {
                let next = if chance(rng, FOREIGN_NEXT_LINK) {
                    self.counts.foreign_links.fetch_add(1, Ordering::Relaxed);
                    format!("{}/v1.0/groups?$skiptoken=2", self.second)
                } else {
                    format!(
                        "http://{}/v1.0/groups?$skiptoken=2",
                        request.header("host")?
                    )
                };
                Some(Answer::json(200, &page(0, Some(&next))))
            }
            ("GET", "groups?$skiptoken=2") => Some(Answer::json(200, &page(5, None))),
            ("POST", "$batch") if !refused => {
                let body: Value = serde_json::from_slice(&request.body).ok()?;
                let items = body["requests"].as_array()?;
                let responses = (items.iter())
                    .map(|item| self.batch_item(item, rng))
                    .collect::<Option<Vec<_>>>()?;
                Some(Answer::json(200, &json!({ "responses": responses })))
            }
            // Refused as a whole: none of its items is looked at, so none is applied.
            ("POST", "$batch") => Some(Answer::json(200, &json!({ "responses": [] }))),
            _ => None,
        }
    }

    /// The answer to a `create` with `body`, which records its marker.
    fn create(&self, body: &Value, refused: bool) -> Answer {
        let marker = body["displayName"]
            .as_str()
            .and_then(|name| name.strip_prefix("soak-"));
        let Some(marker) = marker.and_then(|number| number.parse::<usize>().ok()) else {
            return Answer::json(400, &json!({"error": {"code": "BadRequest"}}));
        };
        let mut markers = self.markers.lock().unwrap();
        let Some(state) = markers.get_mut(marker) else {
            return Answer::json(400, &json!({"error": {"code": "BadRequest"}}));
        };
        match *state {
            APPLIED => {
                self.counts.double_posts.fetch_add(1, Ordering::Relaxed);
            }
            UNSEEN => {
                self.counts.markers.fetch_add(1, Ordering::Relaxed);
                *state = if refused { REFUSED } else { APPLIED };
            }
            _ if !refused => *state = APPLIED,
            _ => {}
        }
        let id = format!("created-{marker}");
        Answer::json(201, &json!({"id": id, "displayName": body["displayName"]}))
    }

    /// The answer to one item of a `$batch`.
    fn batch_item(&self, item: &Value, rng: &mut fastrand::Rng) -> Option<Value> {
        let id = item["id"].clone();
        let url = item["url"].as_str()?;
        let throttled = chance(rng, THROTTLED_ITEM);
        if throttled {
            self.counts.throttled_items.fetch_add(1, Ordering::Relaxed);
        }
        let answer = match (item["method"].as_str()?, url) {
            ("POST", "/deviceManagement/deviceConfigurations") => {
                self.create(&item["body"], throttled)
            }
            _ if throttled => Answer::empty(429),
            ("GET", url) if url.starts_with("/groups/") => {
                let group = url.trim_start_matches("/groups/");
                Answer::json(
                    200,
                    &json!({"id": group, "displayName": format!("Group {group}")}),
                )
            }
            ("DELETE", url) if url.starts_with("/deviceManagement/deviceConfigurations/") => {
                Answer::empty(204)
            }
            _ => return None,
        };
        Some(if throttled {
            json!({"id": id, "status": 429, "headers": {"retry-after": "1"}, "body": {"error": {"code": "TooManyRequests"}}})
        } else if answer.body.is_empty() {
            json!({"id": id, "status": answer.status})
        } else {
            let body: Value = serde_json::from_slice(&answer.body).ok()?;
            json!({"id": id, "status": answer.status, "body": body})
        })
    }
}

/// The fault of the schedule that `rng` draws, if any.
fn draw(rng: &mut fastrand::Rng) -> Option<Fault> {
    let mut roll = rng.u32(0..10_000);
    for (fault, chance) in SCHEDULE {
        if roll < chance {
            return Some(fault);
        }
        roll -= chance;
    }
    None
}

fn chance(rng: &mut fastrand::Rng, percent: u32) -> bool {
    rng.u32(0..100) < percent
}

fn configuration(id: &str) -> Value {
    json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#deviceManagement/deviceConfigurations/$entity",
        "id": id,
        "displayName": format!("configuration {id}"),
    })
}

/// A page of five groups from number `first`.
fn page(first: usize, next: Option<&str>) -> Value {
    let groups: Vec<Value> = (first..first + 5)
        .map(|n| json!({"id": format!("g{n}"), "displayName": format!("Group {n}")}))
        .collect();
    let mut page = json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#groups", "value": groups});
    if let Some(next) = next {
        page["@odata.nextLink"] = json!(next);
    }
    page
}

/// The second origin: answers every GET of a configuration, and counts the requests that
/// carry a token.
pub struct SecondOrigin {
    address: SocketAddr,
    counts: Arc<(AtomicU64, AtomicU64)>,
}

impl SecondOrigin {
    async fn start() -> SecondOrigin {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let address = listener.local_addr().expect("local address");
        let counts = Arc::new((AtomicU64::new(0), AtomicU64::new(0)));
        let counting = counts.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let counts = counting.clone();
                tokio::spawn(async move {
                    let mut buffer = Vec::new();
                    while let Some(request) = read_request(&mut stream, &mut buffer).await {
                        counts.0.fetch_add(1, Ordering::Relaxed);
                        if request.header("authorization").is_some() {
                            counts.1.fetch_add(1, Ordering::Relaxed);
                        }
                        let id = request.target.rsplit('/').next().unwrap_or_default();
                        let body = configuration(id).to_string().into_bytes();
                        let action = Action::Respond(200, Vec::new(), body);
                        if !write(&mut stream, action).await {
                            return;
                        }
                    }
                });
            }
        });
        SecondOrigin { address, counts }
    }

    /// `http://127.0.0.1:port`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The requests received, and those of them with an `Authorization` header.
    pub fn requests(&self) -> (u64, u64) {
        (
            self.counts.0.load(Ordering::Relaxed),
            self.counts.1.load(Ordering::Relaxed),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(number: usize, attempt: Option<u32>) -> Captured {
        let call_id = format!("{CALL_ID_PREFIX}{number:012x}");
        let mut headers = vec![("client-request-id".to_owned(), call_id)];
        if let Some(attempt) = attempt {
            headers.push(("retry-attempt".to_owned(), attempt.to_string()));
        }
        Captured {
            method: "GET".to_owned(),
            target: "/v1.0/groups?$top=5".to_owned(),
            headers,
            body: Vec::new(),
        }
    }

    /// The faults `state` draws for `requests`, in their order.
    fn schedule(state: &State, requests: &[Captured]) -> Vec<Option<Fault>> {
        let faults = requests.iter().map(|r| draw(&mut state.rng_for(r)));
        faults.collect()
    }

    #[tokio::test]
    async fn a_seed_gives_each_request_the_same_fault_whatever_the_order_of_arrival() {
        let requests: Vec<Captured> = (0..2_000)
            .flat_map(|number| [get(number, None), get(number, Some(1))])
            .collect();
        let (first, _) = Graph::start(21, 0).await;
        let (second, _) = Graph::start(21, 0).await;
        let (other, _) = Graph::start(22, 0).await;
        let in_order = schedule(&first.state, &requests);
        let mut reversed = requests.clone();
        reversed.reverse();
        let mut backwards = schedule(&second.state, &reversed);
        backwards.reverse();
        let changed = (in_order.iter().zip(&backwards)).filter(|(a, b)| a != b);
        assert_eq!(
            changed.count(),
            0,
            "requests whose fault depends on the order"
        );
        let faults = in_order.iter().filter(|fault| fault.is_some()).count();
        assert!(
            faults > 100,
            "{faults} faults in {} requests",
            in_order.len()
        );
        assert_ne!(in_order, schedule(&other.state, &requests), "another seed");
        // An id the client made up, different on every run, does not change the draw.
        let made_up = |id: &str| {
            let mut request = get(0, None);
            request.headers = vec![("client-request-id".to_owned(), id.to_owned())];
            first.state.rng_for(&request).u64(..)
        };
        let ids = [
            "0f6e3c1a-2b4d-4e8f-9a0b-1c2d3e4f5a6b",
            "9a0b1c2d-3e4f-4a6b-8f6e-3c1a2b4d4e8f",
        ];
        assert_eq!(ids.map(made_up), [made_up(""); 2]);
        // A retry is a draw of its own: it does not always meet its first attempt's fault.
        let pairs = in_order.chunks(2);
        assert!(pairs.filter(|pair| pair[0] != pair[1]).count() > 100);
    }
}
