//! Throughput and cost per call of `get` through the client, against the same calls through
//! raw reqwest with `serde_json::from_slice` into a plain serde struct, in the same run. The
//! raw side sends what a careful hand-written Graph call sends, as the client does: the
//! bearer token, `Accept`, a `User-Agent`, a fresh `client-request-id`, and a timeout. 10,000
//! calls at 64 and at 1,024 concurrent, over HTTP/1.1 and over HTTP/2 (h2c with prior
//! knowledge), to a server on 127.0.0.1 that this program starts as a child process of its
//! own, so that the CPU time and the allocations counted here are the client's alone.
//!
//! ```text
//! cargo bench --bench throughput
//! ```
//!
//! Each case runs [`PAIRS`] pairs of rounds in the same process, one round of raw reqwest
//! and one of the client in each pair, the side that goes first alternating from pair to
//! pair, so that a disturbance that lasts longer than a round (another process, the CPU's
//! clock) weighs on both sides alike. The table gives the median of the pairs' ratios with
//! the lowest and highest, and beside it the best round of each side; CPU time and
//! allocations per call are the medians over the rounds.
//!
//! Where the processes run: [`PIN`] names a setting of the environment, read at the start;
//! `split` runs the server on the last CPU this process may run on and the benchmark on the
//! others (a split without two such CPUs, or another value, stops the bench with the
//! reason), `none` (the default) leaves both to the scheduler. On 2 CPUs `split` runs both workers on one, so
//! that what they pay for sharing the client's state drops out: see `PERFORMANCE.md`.
//!
//! With arguments it runs one round of one side and prints nothing, for an instruction count
//! by callgrind (which does not follow the server process), as `perf/throughput.sh` does:
//!
//! ```text
//! throughput-binary raw|client http1|http2 CONCURRENT CALLS
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use graph_resource::{Client, ReqwestTransport, graph_resource};
use serde::Deserialize;

/// Counts every allocation of this process, and the bytes asked for, in a slot of the
/// allocating thread's own: one counter shared by all threads would be written from both
/// cores ~70 times per call and bounce between their caches, a cost of the measurement
/// that is no part of either side.
struct Counting;

/// One thread's counts, on a cache line of its own.
#[repr(align(128))]
struct Counts {
    allocations: AtomicU64,
    bytes: AtomicU64,
}

/// More slots than this benchmark has threads; beyond them, threads share (still exact).
const SLOTS: usize = 64;
static COUNTS: [Counts; SLOTS] = [const {
    Counts {
        allocations: AtomicU64::new(0),
        bytes: AtomicU64::new(0),
    }
}; SLOTS];
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// This thread's slot in [`COUNTS`], taken at its first allocation.
    static SLOT: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Counts an allocation of `bytes` in this thread's slot.
fn count(bytes: usize) {
    let slot = SLOT
        .try_with(|slot| {
            *slot.get().get_or_insert_with(|| {
                let taken = NEXT_SLOT.fetch_add(1, Ordering::Relaxed) % SLOTS;
                slot.set(Some(taken));
                taken
            })
        })
        .unwrap_or(0);
    let counts = &COUNTS[slot];
    counts.allocations.fetch_add(1, Ordering::Relaxed);
    counts.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
}

/// Allocations and bytes allocated so far, over all threads.
fn allocated() -> (u64, u64) {
    COUNTS.iter().fold((0, 0), |(allocations, bytes), counts| {
        (
            allocations + counts.allocations.load(Ordering::Relaxed),
            bytes + counts.bytes.load(Ordering::Relaxed),
        )
    })
}

// SAFETY: every method forwards to `System` unchanged; the counts have no effect on memory.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Calls per round.
const CALLS: usize = 10_000;
/// Pairs of rounds per case: one round of each side in each.
const PAIRS: usize = 12;
/// The environment setting that says where the processes run: `split` or `none`.
const PIN: &str = "GRAPH_RESOURCE_THROUGHPUT_PIN";
const TOKEN: &str = "throughput-bench-token";
/// The timeout of each request, on both sides: the client's default.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(100);
const RAW_USER_AGENT: &str = "contoso-sync/1.0";
/// Set in the child process that serves: the CPU it runs on, or empty for any.
const SERVER: &str = "GRAPH_RESOURCE_THROUGHPUT_SERVER";

/// What the server answers to every GET, as Graph answers a managed device.
const BODY: &str = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices/$entity","id":"2b4c6d8e-0a1b-4c3d-9e8f-7a6b5c4d3e2f","userId":"9f8e7d6c-5b4a-4321-8f9e-0d1c2b3a4f5e","deviceName":"CONTOSO-LAPTOP-0042","managedDeviceOwnerType":"company","enrolledDateTime":"2025-03-14T09:26:53Z","lastSyncDateTime":"2026-12-01T17:45:02Z","operatingSystem":"Windows","complianceState":"compliant","osVersion":"10.0.22631.4602","isEncrypted":true,"userPrincipalName":"adele.vance@contoso.com","model":"Surface Laptop 5","manufacturer":"Microsoft Corporation","serialNumber":"0F3A9B2C7D","totalStorageSpaceInBytes":256060514304,"freeStorageSpaceInBytes":118111600640}"#;

#[graph_resource(path = "/deviceManagement/managedDevices")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ManagedDevice {
    pub id: Option<String>,
    pub user_id: Option<String>,
    pub device_name: Option<String>,
    pub managed_device_owner_type: Option<String>,
    pub enrolled_date_time: Option<String>,
    pub last_sync_date_time: Option<String>,
    pub operating_system: Option<String>,
    pub compliance_state: Option<String>,
    pub os_version: Option<String>,
    pub is_encrypted: Option<bool>,
    pub user_principal_name: Option<String>,
    pub model: Option<String>,
    pub manufacturer: Option<String>,
    pub serial_number: Option<String>,
    pub total_storage_space_in_bytes: Option<i64>,
    pub free_storage_space_in_bytes: Option<i64>,
}

/// The same properties with the plain serde derive.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // Read by the decode only.
struct PlainManagedDevice {
    id: Option<String>,
    user_id: Option<String>,
    device_name: Option<String>,
    managed_device_owner_type: Option<String>,
    enrolled_date_time: Option<String>,
    last_sync_date_time: Option<String>,
    operating_system: Option<String>,
    compliance_state: Option<String>,
    os_version: Option<String>,
    is_encrypted: Option<bool>,
    user_principal_name: Option<String>,
    model: Option<String>,
    manufacturer: Option<String>,
    serial_number: Option<String>,
    total_storage_space_in_bytes: Option<i64>,
    free_storage_space_in_bytes: Option<i64>,
}

/// Raises this process's limit on open files to its hard limit: 1,024 connections need more
/// than the usual soft limit of 1,024 descriptors.
fn raise_open_files() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid `rlimit` for both calls.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// User and system CPU time of this process so far.
fn cpu_time() -> Duration {
    // SAFETY: `getrusage` fills the zeroed `rusage` it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// Where the server and the benchmark run, from [`PIN`].
#[derive(Debug, Clone, PartialEq)]
enum Pinning {
    /// Both processes on every CPU, as the scheduler likes.
    None,
    /// The server on the last CPU this process may run on, the benchmark on the others.
    Split { server: usize, bench: Vec<usize> },
}

impl Pinning {
    /// The setting of [`PIN`], split over the CPUs this process may run on when asked;
    /// a value it does not know, or a split without two CPUs to split, stops the bench.
    fn from_environment() -> Pinning {
        let setting = std::env::var_os(PIN);
        match setting.as_deref().map(|value| value.to_str()) {
            None | Some(Some("none")) => Pinning::None,
            Some(Some("split")) => {
                let cpus = allowed_cpus();
                match cpus.split_last() {
                    Some((&server, bench)) if !bench.is_empty() => Pinning::Split {
                        server,
                        bench: bench.to_vec(),
                    },
                    _ => panic!(
                        "{PIN}=split needs two CPUs to split between the server and the benchmark; this process may run on {cpus:?} only"
                    ),
                }
            }
            Some(_) => panic!(
                "{PIN}={:?}: expected `split` or `none`",
                setting.unwrap_or_default()
            ),
        }
    }

    /// Binds this process (the threads it starts after this) to the benchmark's CPUs.
    fn apply(&self) {
        if let Pinning::Split { bench, .. } = self {
            bind(bench);
        }
    }

    /// What the server process is told in [`SERVER`]: its CPU, or nothing.
    fn server_setting(&self) -> String {
        match self {
            Pinning::None => String::new(),
            Pinning::Split { server, .. } => server.to_string(),
        }
    }
}

/// The CPUs this process may run on, in order.
fn allowed_cpus() -> Vec<usize> {
    // SAFETY: `set` is a zeroed `cpu_set_t`, which the call and the macro only read and
    // write within its size.
    unsafe {
        let mut set = std::mem::zeroed::<libc::cpu_set_t>();
        let size = std::mem::size_of::<libc::cpu_set_t>();
        if libc::sched_getaffinity(0, size, &mut set) != 0 {
            panic!("sched_getaffinity: {}", std::io::Error::last_os_error());
        }
        let bits = 8 * size;
        (0..bits)
            .filter(|&cpu| libc::CPU_ISSET(cpu, &set))
            .collect()
    }
}

/// Binds this process (the threads it starts after this) to `cpus`, and checks that it
/// runs there: a CPU it may not use stops the bench with the reason.
fn bind(cpus: &[usize]) {
    // SAFETY: `set` is a zeroed `cpu_set_t`, which the macro and the call only read and
    // write within its size; every CPU in `cpus` came from `allowed_cpus`, below its size.
    let status = unsafe {
        let mut set = std::mem::zeroed::<libc::cpu_set_t>();
        for &cpu in cpus {
            libc::CPU_SET(cpu, &mut set);
        }
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set)
    };
    if status != 0 {
        panic!(
            "cannot bind to CPUs {cpus:?}: {}",
            std::io::Error::last_os_error()
        );
    }
    let bound = allowed_cpus();
    assert_eq!(
        bound, cpus,
        "bound to CPUs {bound:?}, not the {cpus:?} asked for"
    );
}

/// The child: serves every GET with [`BODY`] over HTTP/1.1 and h2c on 127.0.0.1, prints its
/// port, and exits when its standard input closes (the parent is done or gone).
fn serve() {
    raise_open_files();
    // The CPU the benchmark chose, before it bound itself to the others.
    if let Some(cpu) = std::env::var(SERVER).ok().filter(|cpu| !cpu.is_empty()) {
        let cpu = cpu
            .parse()
            .unwrap_or_else(|_| panic!("{SERVER}={cpu:?}: expected a CPU's number"));
        bind(&[cpu]);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("the server's runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local address").port();
        println!("{port}");
        std::io::stdout().flush().expect("the port written");
        let answer = || async {
            (
                [(http::header::CONTENT_TYPE, "application/json")],
                BODY.as_bytes(),
            )
        };
        let router = axum::Router::new().route(
            "/v1.0/deviceManagement/managedDevices/{id}",
            axum::routing::get(answer),
        );
        tokio::spawn(async move { axum::serve(listener, router).await });
        tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new()))
            .await
            .ok();
    });
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Protocol {
    Http1,
    Http2,
}

#[derive(Debug, Clone, Copy)]
enum Side {
    Raw,
    Graph,
}

/// The figures of one round.
#[derive(Debug, Clone, Copy)]
struct Figures {
    calls_per_second: f64,
    cpu_per_call: Duration,
    allocations_per_call: f64,
    bytes_per_call: f64,
}

/// What a careful hand-written Graph call sends besides its token and `Accept`: a UUID v4 in
/// `client-request-id`, so that Graph's support can find the call. Written digit by digit,
/// as the client writes its own: `format!` with widths would cost the raw side more.
fn client_request_id() -> http::HeaderValue {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bits = fastrand::u128(..) & !(0xF << 76) & !(0x3 << 62) | (0x4 << 76) | (0x2 << 62);
    let mut id = [b'-'; 36];
    let digits = (0..36).filter(|at| ![8, 13, 18, 23].contains(at));
    for (digit, at) in digits.enumerate() {
        id[at] = HEX[((bits >> (124 - 4 * digit)) & 0xF) as usize];
    }
    http::HeaderValue::from_bytes(&id).expect("hex digits and dashes")
}

/// The raw side's client: named in `User-Agent` as Graph asks of every caller.
fn raw_client(protocol: Protocol) -> reqwest::Client {
    reqwest_builder(protocol)
        .user_agent(RAW_USER_AGENT)
        .build()
        .expect("a reqwest client")
}

/// The client's transport: `User-Agent` is the client's.
fn reqwest_client(protocol: Protocol) -> reqwest::Client {
    reqwest_builder(protocol).build().expect("a reqwest client")
}

/// Both sides' reqwest settings. No proxy: a proxy in the environment (`HTTP_PROXY`) would
/// otherwise receive the calls, and the token, meant for the loopback server.
fn reqwest_builder(protocol: Protocol) -> reqwest::ClientBuilder {
    let builder = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(usize::MAX);
    match protocol {
        Protocol::Http1 => builder.http1_only(),
        Protocol::Http2 => builder.http2_prior_knowledge(),
    }
}

/// The client of the benchmark, on a reqwest client with both sides' settings.
fn graph_client(protocol: Protocol, origin: &str) -> Client {
    Client::builder()
        .base_url(format!("{origin}/v1.0"))
        .bearer_token(TOKEN)
        .timeout(ATTEMPT_TIMEOUT)
        .transport(Arc::new(ReqwestTransport::from_client(reqwest_client(
            protocol,
        ))))
        .build()
        .expect("a client")
}

/// `calls` gets, `concurrent` at once, one way.
async fn round(
    side: Side,
    protocol: Protocol,
    concurrent: usize,
    calls: usize,
    port: u16,
) -> Figures {
    let origin = format!("http://127.0.0.1:{port}");
    let raw = raw_client(protocol);
    let graph = graph_client(protocol, &origin);
    // One call each way first, so that neither pays for connecting in the figures.
    let warm = (0..concurrent.min(64)).map(|_| one(side, &raw, &graph, &origin, 0));
    futures_util::future::join_all(warm).await;

    let next = Arc::new(AtomicUsize::new(0));
    let (cpu, (allocations, bytes), started) = (cpu_time(), allocated(), Instant::now());
    let workers: Vec<_> = (0..concurrent)
        .map(|_| {
            let (raw, graph, origin, next) =
                (raw.clone(), graph.clone(), origin.clone(), next.clone());
            tokio::spawn(async move {
                loop {
                    let number = next.fetch_add(1, Ordering::Relaxed);
                    if number >= calls {
                        break;
                    }
                    one(side, &raw, &graph, &origin, number).await;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("no call panics");
    }
    let wall = started.elapsed();
    let cpu = cpu_time().saturating_sub(cpu);
    let (allocations, bytes) = (allocated().0 - allocations, allocated().1 - bytes);
    let per_call = calls.max(1);
    Figures {
        calls_per_second: calls as f64 / wall.as_secs_f64(),
        cpu_per_call: cpu / u32::try_from(per_call).unwrap_or(u32::MAX),
        allocations_per_call: allocations as f64 / per_call as f64,
        bytes_per_call: bytes as f64 / per_call as f64,
    }
}

/// One get, one way; a failure ends the benchmark.
async fn one(side: Side, raw: &reqwest::Client, graph: &Client, origin: &str, number: usize) {
    let id = format!("device-{number}");
    match side {
        Side::Raw => raw_get(raw, origin, &id).await,
        Side::Graph => client_get(graph, &id).await,
    }
}

/// One get by hand: reqwest, then `serde_json::from_slice` into the plain struct.
async fn raw_get(raw: &reqwest::Client, origin: &str, id: &str) {
    let url = format!("{origin}/v1.0/deviceManagement/managedDevices/{id}");
    let response = (raw.get(url))
        .bearer_auth(TOKEN)
        .header(http::header::ACCEPT, "application/json")
        .header("client-request-id", client_request_id())
        .timeout(ATTEMPT_TIMEOUT)
        .send()
        .await
        .expect("raw get sent");
    assert!(response.status().is_success(), "{}", response.status());
    let body = response.bytes().await.expect("raw get's body");
    let device: PlainManagedDevice = serde_json::from_slice(&body).expect("decoded");
    std::hint::black_box(device);
}

/// One get through the client.
async fn client_get(graph: &Client, id: &str) {
    let device = ManagedDevice::get(graph, id).await.expect("client get");
    std::hint::black_box(device);
}

/// One round of one side, from the arguments `raw|client http1|http2 CONCURRENT CALLS`;
/// `None` without arguments (`cargo bench` passes `--bench`).
fn one_round() -> Option<(Side, Protocol, usize, usize)> {
    let arguments: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [side, protocol, concurrent, calls] = arguments.as_slice() else {
        return None;
    };
    let usage = "usage: throughput raw|client http1|http2 CONCURRENT CALLS";
    let side = match side.as_str() {
        "raw" => Side::Raw,
        "client" => Side::Graph,
        _ => panic!("{usage}"),
    };
    let protocol = match protocol.as_str() {
        "http1" => Protocol::Http1,
        "http2" => Protocol::Http2,
        _ => panic!("{usage}"),
    };
    let number = |text: &str| text.parse().unwrap_or_else(|_| panic!("{usage}"));
    Some((side, protocol, number(concurrent), number(calls)))
}

fn main() {
    if std::env::var_os(SERVER).is_some() {
        serve();
        return;
    }
    raise_open_files();
    let pinning = Pinning::from_environment();
    pinning.apply();
    let single = one_round();
    let mut server = Command::new(std::env::current_exe().expect("this program"))
        .env(SERVER, pinning.server_setting())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server process");
    let mut port = String::new();
    let stdout = server.stdout.take().expect("the server's output");
    BufReader::new(stdout)
        .read_line(&mut port)
        .expect("the server's port");
    let port: u16 = port.trim().parse().expect("a port");

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("the client's runtime");
    if let Some((side, protocol, concurrent, calls)) = single {
        runtime.block_on(round(side, protocol, concurrent, calls, port));
        drop(server.stdin.take());
        server.wait().expect("the server exits");
        return;
    }
    println!(
        "{CALLS} gets per round, {PAIRS} pairs of rounds per case, alternating; raw = reqwest (token, Accept, User-Agent, client-request-id, timeout) + serde_json::from_slice into a plain serde struct; pinning: {pinning:?}"
    );
    sizes(port);
    println!(
        "| protocol | concurrent | ratio, median of pairs | lowest-highest | raw calls/s, best | client calls/s, best | best / best | raw CPU µs/call | client CPU µs/call | raw allocs/call | client allocs/call | raw bytes/call | client bytes/call |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for protocol in [Protocol::Http1, Protocol::Http2] {
        for concurrent in [64, 1_024] {
            let (mut raw, mut graph, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
            for pair in 0..PAIRS {
                let run = |side| runtime.block_on(round(side, protocol, concurrent, CALLS, port));
                let (r, g) = if pair % 2 == 0 {
                    let r = run(Side::Raw);
                    (r, run(Side::Graph))
                } else {
                    let g = run(Side::Graph);
                    (run(Side::Raw), g)
                };
                ratios.push(g.calls_per_second / r.calls_per_second);
                raw.push(r);
                graph.push(g);
            }
            let best = |rounds: &[Figures]| {
                rounds
                    .iter()
                    .map(|round| round.calls_per_second)
                    .fold(0.0, f64::max)
            };
            let cpu = |rounds: &[Figures]| {
                median(
                    rounds
                        .iter()
                        .map(|round| round.cpu_per_call.as_secs_f64() * 1e6),
                )
            };
            let allocations =
                |rounds: &[Figures]| median(rounds.iter().map(|round| round.allocations_per_call));
            let bytes =
                |rounds: &[Figures]| median(rounds.iter().map(|round| round.bytes_per_call));
            let lowest = ratios.iter().copied().fold(f64::INFINITY, f64::min);
            let highest = ratios.iter().copied().fold(0.0, f64::max);
            println!(
                "| {} | {concurrent} | {:.3}x | {lowest:.3}x-{highest:.3}x | {:.0} | {:.0} | {:.3}x | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} | {:.0} |",
                if protocol == Protocol::Http1 {
                    "HTTP/1.1"
                } else {
                    "HTTP/2 (h2c)"
                },
                median(ratios.iter().copied()),
                best(&raw),
                best(&graph),
                best(&graph) / best(&raw),
                cpu(&raw),
                cpu(&graph),
                allocations(&raw),
                allocations(&graph),
                bytes(&raw),
                bytes(&graph),
            );
        }
    }
    drop(server.stdin.take());
    server.wait().expect("the server exits");
}

/// The median of `values`: the mean of the middle two for an even count.
fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Prints the size of one get's future each way, as the task that awaits it holds it. The
/// client's pipeline runs in a box of its own, which this size does not show: the bytes
/// allocated per call (in the table) count it.
fn sizes(port: u16) {
    let origin = format!("http://127.0.0.1:{port}");
    let raw = raw_client(Protocol::Http1);
    let graph = graph_client(Protocol::Http1, &origin);
    println!(
        "future of one get: raw {} bytes, client {} bytes",
        std::mem::size_of_val(&raw_get(&raw, &origin, "device-0")),
        std::mem::size_of_val(&client_get(&graph, "device-0")),
    );
}
