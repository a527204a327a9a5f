//! A bounded ring of recent values: O(1) push, and no allocation once it has been created (its
//! whole capacity is reserved up front, and a full ring overwrites its oldest value).

use std::collections::VecDeque;

/// The default number of points kept per series (10 minutes at 1 s).
pub const DEFAULT_CAPACITY: usize = 600;

/// A fixed-capacity ring, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Ring<T> {
    buf: VecDeque<T>,
    cap: usize,
}

impl<T> Ring<T> {
    /// A ring holding at most `capacity` values (at least 1). The memory is reserved now.
    pub fn new(capacity: usize) -> Self {
        let cap = capacity.max(1);
        Ring {
            buf: VecDeque::with_capacity(cap),
            cap,
        }
    }

    /// Adds a value, dropping the oldest one when full. Never allocates.
    pub fn push(&mut self, value: T) {
        if self.buf.len() == self.cap {
            self.buf.pop_front();
        }
        self.buf.push_back(value);
    }

    pub fn len(&self) -> usize {
        self.buf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.cap
    }

    pub fn clear(&mut self) {
        self.buf.clear();
    }

    /// The newest value.
    pub fn last(&self) -> Option<&T> {
        self.buf.back()
    }

    /// The oldest value still held.
    pub fn first(&self) -> Option<&T> {
        self.buf.front()
    }

    /// Oldest to newest.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        self.buf.iter()
    }

    /// The values as two slices, oldest first (the second continues the first).
    pub fn as_slices(&self) -> (&[T], &[T]) {
        self.buf.as_slices()
    }

    /// The values as one slice, oldest first, rotating in place if needed (no allocation).
    /// Handy for chart widgets that take `&[(f64, f64)]`.
    pub fn make_contiguous(&mut self) -> &[T] {
        self.buf.make_contiguous()
    }

    /// The number of values, oldest first, for which `pred` holds (they must come first).
    pub fn partition_point(&self, pred: impl FnMut(&T) -> bool) -> usize {
        self.buf.partition_point(pred)
    }

    /// The values from index `from` on, oldest first.
    pub fn iter_from(&self, from: usize) -> impl DoubleEndedIterator<Item = &T> {
        self.buf.range(from.min(self.buf.len())..)
    }

    /// Drops values from the newest end while `pred` holds for them.
    pub fn pop_back_while(&mut self, mut pred: impl FnMut(&T) -> bool) {
        while self.buf.back().is_some_and(&mut pred) {
            self.buf.pop_back();
        }
    }

    /// Drops values from the oldest end while `pred` holds for them.
    pub fn pop_front_while(&mut self, mut pred: impl FnMut(&T) -> bool) {
        while self.buf.front().is_some_and(&mut pred) {
            self.buf.pop_front();
        }
    }

    /// Replaces the contents with the last `capacity` values of `values`.
    pub fn replace_with(&mut self, values: impl IntoIterator<Item = T>) {
        self.buf.clear();
        for v in values {
            self.push(v);
        }
    }
}

impl Ring<(f64, f64)> {
    /// The newest value of a `(time, value)` series.
    pub fn latest_value(&self) -> Option<f64> {
        self.last().map(|p| p.1)
    }

    /// Smallest and largest value held, ignoring NaN; `None` when empty.
    pub fn value_bounds(&self) -> Option<(f64, f64)> {
        self.buf
            .iter()
            .map(|p| p.1)
            .filter(|v| !v.is_nan())
            .fold(None, |acc, v| match acc {
                None => Some((v, v)),
                Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
            })
    }

    /// Oldest and newest time held.
    pub fn time_bounds(&self) -> Option<(f64, f64)> {
        Some((self.first()?.0, self.last()?.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_values_without_reallocating() {
        let mut r = Ring::new(3);
        let ptr = r.as_slices().0.as_ptr();
        for i in 0..10 {
            r.push((f64::from(i), f64::from(i * 10)));
        }
        assert_eq!(r.len(), 3);
        assert_eq!(
            r.iter().map(|p| p.0).collect::<Vec<_>>(),
            vec![7.0, 8.0, 9.0]
        );
        assert_eq!(r.latest_value(), Some(90.0));
        assert_eq!(r.value_bounds(), Some((70.0, 90.0)));
        assert_eq!(
            r.make_contiguous(),
            &[(7.0, 70.0), (8.0, 80.0), (9.0, 90.0)]
        );
        assert_eq!(r.as_slices().0.as_ptr(), ptr, "the buffer never moved");
        r.replace_with((0..5).map(|i| (f64::from(i), 0.0)));
        assert_eq!(r.first().unwrap().0, 2.0);
        r.pop_back_while(|p| p.0 >= 4.0);
        r.pop_front_while(|p| p.0 < 3.0);
        assert_eq!(r.iter().map(|p| p.0).collect::<Vec<_>>(), vec![3.0]);
    }
}
