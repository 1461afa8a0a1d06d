//! Work spread on the machine's cores with the results in the items' order: each item is computed on its own
//! (nothing shared but read-only data), so the results — and the bytes written from them — are the same whatever
//! the number of threads.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The machine's available parallelism (1 when unknown): how many threads a batch uses by default.
pub fn available() -> NonZeroUsize {
    std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

/// `f` of every item, in the items' order, computed on up to `threads` threads (the calling one included). The
/// threads take the next items in turn (a few at a time), so a costly item does not hold back a whole share.
pub fn map<T: Sync, R: Send>(items: &[T], threads: NonZeroUsize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads.get().min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    // Small steps balance the threads; 1/64 of a thread's share keeps the counter out of the way.
    let step = (items.len() / threads / 64).clamp(1, 16);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let start = next.fetch_add(step, Ordering::Relaxed);
            if start >= items.len() {
                break done;
            }
            let end = (start + step).min(items.len());
            done.extend(
                items[start..end]
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (start + i, f(item))),
            );
        }
    };
    let mut parts = std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut parts = vec![work()];
        parts.extend(
            others
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))),
        );
        parts
    });
    let mut out: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for (i, r) in parts.drain(..).flatten() {
        out[i] = Some(r);
    }
    out.into_iter()
        .map(|r| r.expect("every item is taken by exactly one thread"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_items_order_whatever_the_threads() {
        let items: Vec<u64> = (0..1000).collect();
        // Uneven costs, so the threads finish their items out of order.
        let f = |&i: &u64| (0..(i % 7) * 500).fold(i, |h, k| h.wrapping_mul(31).wrapping_add(k));
        let one = map(&items, NonZeroUsize::MIN, f);
        assert_eq!(one.len(), 1000);
        for threads in [2, 3, 8, 2000] {
            assert_eq!(
                map(&items, NonZeroUsize::new(threads).unwrap(), f),
                one,
                "{threads} threads"
            );
        }
        assert_eq!(
            map(&[] as &[u64], NonZeroUsize::new(4).unwrap(), f),
            Vec::<u64>::new()
        );
    }

    #[test]
    fn a_panic_in_a_worker_reaches_the_caller() {
        let items: Vec<u32> = (0..100).collect();
        let caught = std::panic::catch_unwind(|| {
            map(&items, NonZeroUsize::new(2).unwrap(), |&i| {
                assert!(i != 77, "item 77");
                i
            })
        });
        assert!(caught.is_err());
    }
}
