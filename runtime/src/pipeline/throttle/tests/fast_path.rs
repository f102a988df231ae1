//! The gate's common path: no lock while nothing is held, and call numbers without a
//! counter shared by every call.

use std::task::Poll;
use std::time::{Duration, Instant};

use http::Uri;

use super::{RecordingSleep, gate, patient, poll};
use crate::pipeline::throttle::{CALLS_PER_BLOCK, Gate, ThrottleScopes};
use crate::sync::lock;

/// Whether `gate` lets a call to `uri` through at once while this thread holds the lock of
/// its holds: only its fast path can.
fn passes_without_the_lock(gate: &Gate, uri: &Uri) -> bool {
    let sleep = RecordingSleep::new();
    let holds = lock(&gate.holds);
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let patience = patient();
            let passed = matches!(
                poll(&mut Box::pin(gate.pass(
                    uri,
                    gate.call(),
                    &sleep,
                    &patience
                ))),
                Poll::Ready(None)
            );
            sender.send(passed).unwrap();
        });
        let passed = receiver.recv_timeout(Duration::from_secs(2));
        drop(holds);
        passed == Ok(true)
    })
}

#[test]
fn with_nothing_held_a_call_passes_the_gate_without_taking_its_lock() {
    let gate = gate(ThrottleScopes::graph(), None);
    let uri = Uri::from_static("https://graph.microsoft.com/v1.0/users");
    assert!(passes_without_the_lock(&gate, &uri));
}

#[test]
fn the_gate_takes_its_fast_path_again_once_the_last_hold_expired() {
    let gate = gate(ThrottleScopes::graph(), None);
    let uri = Uri::from_static("https://graph.microsoft.com/v1.0/users");
    let (throttled, other) = (gate.call(), gate.call());
    gate.hold(
        &uri,
        throttled,
        Duration::from_secs(60),
        Duration::from_secs(600),
    );
    assert!(
        gate.held_until(&uri, &mut None, other, None).is_some(),
        "held at first"
    );
    // The hold ends now rather than after a wait, whose end a busy machine would blur.
    lock(&gate.holds)[0].until = Instant::now();
    assert!(gate.held_until(&uri, &mut None, other, None).is_none());
    assert!(passes_without_the_lock(&gate, &uri));
}

#[test]
fn a_hold_recorded_on_another_thread_holds_the_calls_that_check_after_it() {
    let gate = gate(ThrottleScopes::graph(), None);
    let uri = Uri::from_static("https://graph.microsoft.com/v1.0/users");
    let other = gate.call();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let throttled = gate.call();
            gate.hold(
                &uri,
                throttled,
                Duration::from_secs(5),
                Duration::from_secs(10),
            );
        });
    });
    assert!(gate.held_until(&uri, &mut None, other, None).is_some());
}

#[test]
fn call_numbers_differ_across_threads_gates_and_blocks() {
    let gates = [
        gate(ThrottleScopes::graph(), None),
        gate(ThrottleScopes::origin(), None),
    ];
    let per_thread = 2 * CALLS_PER_BLOCK as usize + 1;
    let numbers: Vec<Vec<u64>> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..4)
            .map(|thread| {
                let gate = &gates[thread % 2];
                scope.spawn(move || (0..per_thread).map(|_| gate.call()).collect())
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let distinct: std::collections::HashSet<u64> = numbers.iter().flatten().copied().collect();
    assert_eq!(distinct.len(), 4 * per_thread);
}

/// Runs `future` on this thread, parking it until woken.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::task::Waker::from(std::sync::Arc::new(Unpark(std::thread::current())));
    let mut context = std::task::Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::park();
    }
}

#[test]
fn a_429_recorded_before_its_slot_is_freed_holds_the_call_given_that_slot() {
    // Each round: a call holds the only slot while another waits for it on a second
    // thread, and a third thread keeps dropping an expired hold on another origin, which
    // stores that nothing is held whenever the list empties. The 429 is recorded before
    // the slot is freed, so the waiting call must see it however the threads interleave:
    // a flag a hold does not store fails at once, and one stored before the holds' lock
    // fails in a round where the third thread empties the list in between.
    let uri = Uri::from_static("https://graph.microsoft.com/v1.0/users");
    let elsewhere = Uri::from_static("https://graph.microsoft.us/v1.0/users");
    let longest = Duration::from_secs(600);
    for round in 0..300 {
        let gate = gate(ThrottleScopes::graph(), Some(1));
        let (throttled, waiting, reader) = (gate.call(), gate.call(), gate.call());
        gate.hold(&elsewhere, reader, Duration::from_micros(200), longest);
        let Poll::Ready(Some(permit)) = poll(&mut Box::pin(gate.pass(
            &uri,
            throttled,
            &RecordingSleep::new(),
            &patient(),
        ))) else {
            panic!("round {round}: the free slot is taken at once");
        };
        let record = RecordingSleep::new();
        let done = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    gate.held_until(&elsewhere, &mut None, throttled, None);
                }
            });
            let waiter = scope.spawn(|| block_on(gate.pass(&uri, waiting, &record, &patient())));
            std::thread::sleep(Duration::from_micros(300));
            gate.hold(&uri, throttled, Duration::from_secs(60), longest);
            drop(permit);
            let passed = waiter.join().unwrap();
            done.store(true, std::sync::atomic::Ordering::Relaxed);
            assert!(passed.is_some(), "round {round}: a slot in the end");
        });
        assert_eq!(record.slept().len(), 1, "round {round}: held by the 429");
    }
}
