//! The gate's common path: no lock while nothing is held, and call numbers without a
//! counter shared by every call.

use std::task::Poll;
use std::time::Duration;

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
        Duration::from_millis(20),
        Duration::from_secs(1),
    );
    assert!(
        gate.held_until(&uri, &mut None, other, None).is_some(),
        "held at first"
    );
    std::thread::sleep(Duration::from_millis(40));
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
