//! Downloads: 256 MiB from a local server over loopback, read as a stream through the
//! client (`content()`, pipeline, `ReqwestTransport`) against a hand-written reqwest
//! `bytes_stream` loop, in the same run; and the peak heap of each, measured by a counting
//! global allocator (live bytes at the highest point, above what was live before).
//!
//! ```text
//! cargo bench --bench download
//! ```
//!
//! With `DOWNLOAD_ONCE=client` (or `reqwest`) the bench binary downloads once that way and
//! exits, for instruction counts under callgrind (see PERFORMANCE.md).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group};
use futures_util::StreamExt;
use graph_resource::{Client, EntityPath};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;

/// Counts live heap bytes and the most there were.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(size: usize) {
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; only counters change.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        if !moved.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const SIZE: u64 = 256 << 20;
/// What the server writes at a time: a static buffer, so the server allocates nothing.
static BLOCK: [u8; 1 << 20] = [7; 1 << 20];

/// Answers every request on every connection with `SIZE` bytes of `BLOCK`s.
async fn serve(listener: TcpListener) {
    while let Ok((stream, _)) = listener.accept().await {
        tokio::spawn(answer(stream));
    }
}

async fn answer(mut stream: TcpStream) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        while !head.windows(4).any(|window| window == b"\r\n\r\n") {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(read) => head.extend_from_slice(&buffer[..read]),
            }
        }
        head.clear();
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {SIZE}\r\n\r\n"
        );
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
        for _ in 0..SIZE / BLOCK.len() as u64 {
            if stream.write_all(&BLOCK).await.is_err() {
                return;
            }
        }
    }
}

/// Through the client: `content()` on an item, every chunk counted.
async fn through_client(client: &Client) -> u64 {
    let item = EntityPath::<serde_json::Value>::root(client, "/drives/d1/items/i1");
    let mut content = item.content().await.expect("the download starts");
    let mut total = 0;
    while let Some(chunk) = content.next().await {
        total += chunk.expect("a chunk").len() as u64;
    }
    total
}

/// By hand: reqwest's `bytes_stream`, every chunk counted.
async fn by_hand(client: &reqwest::Client, url: &str) -> u64 {
    let response = client
        .get(url)
        .bearer_auth("bench-token")
        .send()
        .await
        .expect("the download starts");
    let mut chunks = response.bytes_stream();
    let mut total = 0;
    while let Some(chunk) = chunks.next().await {
        total += chunk.expect("a chunk").len() as u64;
    }
    total
}

/// The peak heap above the live bytes before `run`, in MiB.
fn peak_mib(runtime: &Runtime, run: impl std::future::Future<Output = u64>) -> f64 {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    assert_eq!(runtime.block_on(run), SIZE);
    (PEAK.load(Ordering::Relaxed) - before) as f64 / f64::from(1 << 20)
}

/// A runtime with the server running, a client on it, a reqwest client and the URL.
fn setup() -> (Runtime, Client, reqwest::Client, String) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(serve(listener));
    let client = Client::builder()
        .base_url(format!("{base}/v1.0"))
        .bearer_token("bench-token")
        .build()
        .unwrap();
    let url = format!("{base}/v1.0/drives/d1/items/i1/content");
    (runtime, client, reqwest::Client::new(), url)
}

fn download(c: &mut Criterion) {
    let (runtime, client, reqwest, url) = setup();

    let client_peak = peak_mib(&runtime, through_client(&client));
    let reqwest_peak = peak_mib(&runtime, by_hand(&reqwest, &url));
    println!(
        "peak heap while downloading {} MiB: graph-resource {client_peak:.2} MiB, hand-written \
         reqwest {reqwest_peak:.2} MiB",
        SIZE >> 20
    );

    let mut group = c.benchmark_group("download 256 MiB");
    group.throughput(Throughput::Bytes(SIZE));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("graph-resource content()", |b| {
        b.iter(|| runtime.block_on(through_client(&client)))
    });
    group.bench_function("hand-written reqwest bytes_stream", |b| {
        b.iter(|| runtime.block_on(by_hand(&reqwest, &url)))
    });
    group.finish();
}

criterion_group!(benches, download);

fn main() {
    if let Ok(way) = std::env::var("DOWNLOAD_ONCE") {
        let (runtime, client, reqwest, url) = setup();
        let total = match way.as_str() {
            "client" => runtime.block_on(through_client(&client)),
            "reqwest" => runtime.block_on(by_hand(&reqwest, &url)),
            _ => panic!("DOWNLOAD_ONCE is `client` or `reqwest`, not `{way}`"),
        };
        assert_eq!(total, SIZE);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
