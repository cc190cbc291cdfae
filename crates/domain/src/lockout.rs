//! The lockout of manual §3.1, used for every guessable secret (sign-in
//! passwords, the payment password): five wrong tries within one day freeze it
//! for 24 hours. A try is counted before its password is checked, so a try in
//! flight counts as wrong until it proves right. Time is passed in (seconds
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
    let recent = recent(earlier, now) + 1;
    if recent >= LOCKOUT_FAILURES {
        AfterFailure::FrozenUntil(now + LOCKOUT_FREEZE_SECS)
    } else {
        AfterFailure::TriesLeft(LOCKOUT_FAILURES - recent)
    }
}

/// How many of these failures fall in the window ending at `now`.
fn recent(times: &[i64], now: i64) -> usize {
    times.iter().filter(|t| now - **t < LOCKOUT_WINDOW_SECS && **t <= now).count()
}

/// What a new try may do, given the failures so far and the tries still being
/// checked (each with the time it started).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BeforeTry {
    /// Fewer than five are counted: check this one.
    Go,
    /// Five are counted only because some are still being checked: wait for
    /// them (a right one among them clears the count).
    Wait,
    /// Five wrong are counted: refuse unchecked.
    Refuse,
}

/// A try still pending after this many seconds is taken as a failure (its
/// server went away mid-check).
pub const PENDING_STALE_SECS: i64 = 60;

/// Decides whether a new try at `now` may be checked.
pub fn before_try(failures: &[i64], pending: &[i64], now: i64) -> BeforeTry {
    let (stale, live): (Vec<i64>, Vec<i64>) = pending.iter().partition(|t| now - **t >= PENDING_STALE_SECS);
    let settled = recent(failures, now) + recent(&stale, now);
    if settled >= LOCKOUT_FAILURES {
        BeforeTry::Refuse
    } else if settled + recent(&live, now) >= LOCKOUT_FAILURES {
        BeforeTry::Wait
    } else {
        BeforeTry::Go
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

    #[test]
    fn a_sixth_try_waits_for_pending_ones_and_is_refused_after_five_failures() {
        let now = 1_000_000;
        assert_eq!(before_try(&[now; 4], &[], now), BeforeTry::Go);
        assert_eq!(before_try(&[now; 2], &[now; 2], now), BeforeTry::Go);
        assert_eq!(before_try(&[now; 2], &[now; 3], now), BeforeTry::Wait);
        assert_eq!(before_try(&[now; 5], &[], now), BeforeTry::Refuse);
        assert_eq!(before_try(&[now; 5], &[now; 3], now), BeforeTry::Refuse);
        assert_eq!(before_try(&[now - LOCKOUT_WINDOW_SECS; 5], &[], now), BeforeTry::Go);
    }

    #[test]
    fn a_try_pending_for_a_minute_counts_as_a_failure() {
        let now = 1_000_000;
        let stale = now - PENDING_STALE_SECS;
        assert_eq!(before_try(&[now; 3], &[stale, stale], now), BeforeTry::Refuse);
        assert_eq!(before_try(&[now; 3], &[stale, now], now), BeforeTry::Wait);
    }

    proptest! {
        #[test]
        fn a_try_goes_exactly_when_fewer_than_five_are_counted(
            failed in proptest::collection::vec(0i64..200_000, 0..8),
            pending in proptest::collection::vec(0i64..120, 0..8),
        ) {
            let now = 10_000_000;
            let f: Vec<i64> = failed.iter().map(|a| now - a).collect();
            let p: Vec<i64> = pending.iter().map(|a| now - a).collect();
            let failed_in_window = failed.iter().filter(|a| **a < LOCKOUT_WINDOW_SECS).count();
            let stale = pending.iter().filter(|a| **a >= PENDING_STALE_SECS).count();
            let settled = failed_in_window + stale;
            let expected = if settled >= LOCKOUT_FAILURES {
                BeforeTry::Refuse
            } else if settled + (pending.len() - stale) >= LOCKOUT_FAILURES {
                BeforeTry::Wait
            } else {
                BeforeTry::Go
            };
            prop_assert_eq!(before_try(&f, &p, now), expected);
        }

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
