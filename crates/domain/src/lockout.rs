//! The sign-in lockout of manual §3.1: five wrong passwords for one operator
//! within one day freeze that login for 24 hours. Time is passed in (seconds
//! since the epoch) so the rule can be tested without clocks. The numbers are
//! `crate::limits::LOCKOUT_*`.

use crate::limits::{LOCKOUT_FAILURES, LOCKOUT_FREEZE_SECS, LOCKOUT_WINDOW_SECS};

/// What happens after one more wrong password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Still open; this many tries remain before the freeze.
    TriesLeft(usize),
    /// Frozen until this time.
    FrozenUntil(i64),
}

/// Decides the outcome of a wrong password at `now`, given the times of the
/// earlier failures (any order, any age; old ones are ignored).
pub fn after_failure(earlier: &[i64], now: i64) -> AfterFailure {
    let recent = earlier.iter().filter(|t| now - **t < LOCKOUT_WINDOW_SECS && **t <= now).count() + 1;
    if recent >= LOCKOUT_FAILURES {
        AfterFailure::FrozenUntil(now + LOCKOUT_FREEZE_SECS)
    } else {
        AfterFailure::TriesLeft(LOCKOUT_FAILURES - recent)
    }
}

/// Whether a login frozen until `frozen_until` is still frozen at `now`.
pub fn is_frozen(frozen_until: Option<i64>, now: i64) -> bool {
    frozen_until.is_some_and(|until| now < until)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_fifth_failure_within_a_day_freezes_for_a_day() {
        let now = 1_000_000;
        assert_eq!(after_failure(&[], now), AfterFailure::TriesLeft(4));
        assert_eq!(after_failure(&[now - 10, now - 20, now - 30], now), AfterFailure::TriesLeft(1));
        assert_eq!(
            after_failure(&[now - 10, now - 20, now - 30, now - 40], now),
            AfterFailure::FrozenUntil(now + LOCKOUT_FREEZE_SECS)
        );
    }

    #[test]
    fn failures_older_than_a_day_do_not_count() {
        let now = 1_000_000;
        let old = now - LOCKOUT_WINDOW_SECS;
        assert_eq!(after_failure(&[old, old - 1, now - 5, now - 6], now), AfterFailure::TriesLeft(2));
    }

    #[test]
    fn a_freeze_ends_on_time() {
        assert!(is_frozen(Some(100), 99));
        assert!(!is_frozen(Some(100), 100));
        assert!(!is_frozen(None, 0));
    }

    proptest! {
        #[test]
        fn freezes_exactly_when_five_fall_in_the_window(ages in proptest::collection::vec(0i64..200_000, 0..10)) {
            let now = 10_000_000;
            let earlier: Vec<i64> = ages.iter().map(|a| now - a).collect();
            let in_window = ages.iter().filter(|a| **a < LOCKOUT_WINDOW_SECS).count() + 1;
            let frozen = matches!(after_failure(&earlier, now), AfterFailure::FrozenUntil(_));
            prop_assert_eq!(frozen, in_window >= LOCKOUT_FAILURES);
        }
    }
}
