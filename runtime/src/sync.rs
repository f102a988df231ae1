//! Locks whose state stays consistent even when a thread panicked while holding one.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks `mutex`, taking it over from a thread that panicked while holding it: every state
/// guarded here is whole between its statements.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A value on cache lines of its own: 128 bytes, two 64-byte lines, which CPUs fetch in
/// pairs. Written by the calls on every core, it then does not slow the reads of the
/// values beside it, which every call makes too.
#[derive(Debug, Default)]
#[repr(align(128))]
pub(crate) struct OwnLines<T>(pub(crate) T);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_on_their_own_lines_share_no_128_byte_block() {
        let pair = [OwnLines(0_u8), OwnLines(1_u8)];
        let (first, second) = (&pair[0].0 as *const u8, &pair[1].0 as *const u8);
        assert_eq!(first as usize % 128, 0);
        assert_eq!(second as usize - first as usize, 128);
    }
}
