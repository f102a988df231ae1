//! An upload of 256 MiB through an upload session (`UploadSession::upload`, default 10 MiB
//! fragments, the reqwest transport) against a hand-written fragment loop over reqwest
//! (the same fragments, the same `Content-Range`s), in the same run, to the same local
//! session server, which reads and drops every byte. The content is generated as it is
//! read, so neither side starts with it in memory.
//!
//! A counting global allocator gives the peak of heap bytes in use during each upload
//! above what was in use before it; the bench prints it and fails when the session's
//! passes 64 MiB.
//!
//! ```text
//! cargo bench --bench upload
//! ```
//!
//! With `UPLOAD_ONCE=session` (or `reqwest`) the bench binary uploads once that way and
//! exits, for callgrind to count the instructions of one whole upload:
//!
//! ```text
//! UPLOAD_ONCE=session valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/deps/upload-<hash>
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group};
use graph_resource::{BoxFuture, Client, Created, UploadKind, UploadSession, UploadSource};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const SIZE: u64 = 256 * 1024 * 1024;
const FRAGMENT: u64 = 32 * 320 * 1024;
const PEAK_LIMIT: usize = 64 * 1024 * 1024;

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            if new_size >= layout.size() {
                let grown = new_size - layout.size();
                let now = IN_USE.fetch_add(grown, Ordering::Relaxed) + grown;
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                IN_USE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `work` and gives its result with the peak of heap bytes in use above the start.
async fn peak_of<T>(work: impl Future<Output = T>) -> (T, usize) {
    let start = IN_USE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    let value = work.await;
    (value, PEAK.load(Ordering::Relaxed).saturating_sub(start))
}

/// `len` bytes made as they are read, as a file would give them.
struct Generated {
    left: u64,
}

impl UploadSource for Generated {
    fn len(&self) -> u64 {
        self.left
    }

    fn read<'a>(&'a mut self, buf: &'a mut [u8]) -> BoxFuture<'a, io::Result<usize>> {
        let count = usize::try_from(self.left).map_or(buf.len(), |left| left.min(buf.len()));
        buf[..count].fill(0x5a);
        self.left -= count as u64;
        Box::pin(std::future::ready(Ok(count)))
    }
}

/// A session server: drops what it reads; `202` with the next range, `201` at the end.
async fn serve(mut stream: TcpStream) {
    let mut scratch = vec![0u8; 256 * 1024];
    let mut head = Vec::new();
    loop {
        head.clear();
        let mut rest = Vec::new();
        while !head.windows(4).any(|window| window == b"\r\n\r\n") {
            let read = match stream.read(&mut scratch).await {
                Ok(0) | Err(_) => return,
                Ok(read) => read,
            };
            head.extend_from_slice(&scratch[..read]);
        }
        let end = head
            .windows(4)
            .position(|window| window == b"\r\n\r\n")
            .unwrap()
            + 4;
        rest.extend_from_slice(&head[end..]);
        let text = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
        let header = |name: &str| {
            text.lines()
                .find_map(|line| line.strip_prefix(name))
                .map(|value| value.trim().to_owned())
        };
        let length: usize = header("content-length:").map_or(0, |v| v.parse().unwrap());
        let mut left = length - rest.len().min(length);
        while left > 0 {
            let want = left.min(scratch.len());
            match stream.read(&mut scratch[..want]).await {
                Ok(0) | Err(_) => return,
                Ok(read) => left -= read,
            }
        }
        let body = match header("content-range:") {
            Some(range) => {
                let (span, total) = range.trim_start_matches("bytes ").split_once('/').unwrap();
                let last: u64 = span.split_once('-').unwrap().1.parse().unwrap();
                let total: u64 = total.parse().unwrap();
                if last + 1 == total {
                    (201, r#"{"id": "item-1"}"#.to_owned())
                } else {
                    (
                        202,
                        format!(r#"{{"nextExpectedRanges": ["{}-"]}}"#, last + 1),
                    )
                }
            }
            None => (200, r#"{"nextExpectedRanges": ["0-"]}"#.to_owned()),
        };
        let response = format!(
            "HTTP/1.1 {} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{}",
            body.0,
            body.1.len(),
            body.1
        );
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// The hand-written loop: each fragment read into a buffer and `PUT` with reqwest.
async fn by_hand(http: &reqwest::Client, url: &str) -> u16 {
    let mut source = Generated { left: SIZE };
    let mut start = 0;
    let mut status = 0;
    while start < SIZE {
        let end = (start + FRAGMENT).min(SIZE);
        let mut buffer = vec![0u8; (end - start) as usize];
        let mut filled = 0;
        while filled < buffer.len() {
            filled += source.read(&mut buffer[filled..]).await.unwrap();
        }
        let response = http
            .put(url)
            .header("Content-Range", format!("bytes {start}-{}/{SIZE}", end - 1))
            .header("Content-Length", end - start)
            .body(buffer)
            .send()
            .await
            .unwrap();
        status = response.status().as_u16();
        response.bytes().await.unwrap();
        start = end;
    }
    status
}

/// A runtime with the session server on it, a client, reqwest alone, and the session's URL.
fn setup() -> (tokio::runtime::Runtime, Client, reqwest::Client, String) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let url = runtime.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream));
            }
        });
        format!("http://{address}/up/session-1")
    });
    let client = Client::builder()
        .base_url("http://127.0.0.1:9/v1.0")
        .bearer_token("bench-token")
        .build()
        .unwrap();
    let http = reqwest::Client::new();
    (runtime, client, http, url)
}

/// One upload through a resumed session.
async fn through_session(client: &Client, url: &str) {
    let session = UploadSession::resume(client, url, UploadKind::DriveItem).unwrap();
    let done = session
        .upload::<serde_json::Value>(Generated { left: SIZE })
        .await;
    assert!(matches!(done.unwrap(), Created::Entity(_)));
}

fn upload(c: &mut Criterion) {
    let (runtime, client, http, url) = setup();

    // Peak memory of one upload each, before the timed runs.
    let (session_peak, hand_peak) = runtime.block_on(async {
        let session = UploadSession::resume(&client, &url, UploadKind::DriveItem).unwrap();
        let (done, session_peak) =
            peak_of(session.upload::<serde_json::Value>(Generated { left: SIZE })).await;
        assert!(matches!(done.unwrap(), Created::Entity(_)));
        let (status, hand_peak) = peak_of(by_hand(&http, &url)).await;
        assert_eq!(status, 201);
        (session_peak, hand_peak)
    });
    eprintln!(
        "peak heap above the start during one 256 MiB upload: session {:.1} MiB, by hand {:.1} MiB",
        session_peak as f64 / 1048576.0,
        hand_peak as f64 / 1048576.0
    );
    assert!(
        session_peak < PEAK_LIMIT,
        "the session held {session_peak} bytes at its peak"
    );

    let mut group = c.benchmark_group("upload_256_mib");
    group.throughput(Throughput::Bytes(SIZE));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("upload_session", |b| {
        b.iter_custom(|iterations| {
            runtime.block_on(async {
                let mut spent = Duration::ZERO;
                for _ in 0..iterations {
                    // Resumed sessions ask where they stand first: one small GET, timed too.
                    let session =
                        UploadSession::resume(&client, &url, UploadKind::DriveItem).unwrap();
                    let started = Instant::now();
                    let done = session
                        .upload::<serde_json::Value>(Generated { left: SIZE })
                        .await;
                    spent += started.elapsed();
                    assert!(done.is_ok());
                }
                spent
            })
        })
    });
    group.bench_function("hand_written_fragment_loop", |b| {
        b.iter_custom(|iterations| {
            runtime.block_on(async {
                let mut spent = Duration::ZERO;
                for _ in 0..iterations {
                    let started = Instant::now();
                    assert_eq!(by_hand(&http, &url).await, 201);
                    spent += started.elapsed();
                }
                spent
            })
        })
    });
    group.finish();
}

criterion_group!(benches, upload);

fn main() {
    if let Ok(way) = std::env::var("UPLOAD_ONCE") {
        let (runtime, client, http, url) = setup();
        match way.as_str() {
            "session" => runtime.block_on(through_session(&client, &url)),
            "reqwest" => assert_eq!(runtime.block_on(by_hand(&http, &url)), 201),
            _ => panic!("UPLOAD_ONCE is `session` or `reqwest`, not `{way}`"),
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
