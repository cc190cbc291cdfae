//! Guessable secrets — sign-in passwords, the payment password — checked under
//! the lockout rule (`paydesk_domain::lockout`). A try is written down as
//! pending *before* the hash is checked, in a transaction that holds the
//! holder's row; it becomes a failure when wrong and is struck out when right.
//! At most five tries are ever counted at once: fifty parallel guesses get five
//! checks (the rest wait for them, then find the secret frozen), while fifty
//! parallel right passwords all go through, five at a time.

use chrono::{DateTime, Duration, NaiveDateTime};
use paydesk_domain::limits;
use paydesk_domain::lockout::{self, AfterFailure, BeforeTry};
use paydesk_domain::states::AttemptKind;
use paydesk_store::attempts;

use crate::auth::{now, verify_against_nothing};
use crate::error::ApiError;
use crate::AppState;

/// How a guarded try ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Right,
    /// Wrong; this many tries remain before the freeze.
    Wrong {
        tries_left: usize,
    },
    /// This wrong try froze the secret until then.
    JustFrozen(NaiveDateTime),
    /// Frozen already (or five tries are counted); the password was not checked.
    Frozen(NaiveDateTime),
}

fn epoch(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp()
}

fn from_epoch(t: i64, fallback: NaiveDateTime) -> NaiveDateTime {
    DateTime::from_timestamp(t, 0).map(|d| d.naive_utc()).unwrap_or(fallback)
}

/// How long a try waits for the tries being checked ahead of it before it
/// gives up with 429.
const MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(20);

/// Counts one try at `kind`'s secret for `subject`, runs `check` (the hash
/// comparison) only when the rule allows a try, and records the result.
/// Blocking (it may wait for tries ahead of it).
pub fn guarded(
    st: &AppState,
    kind: AttemptKind,
    subject: i64,
    ip: &str,
    check: impl FnOnce() -> bool,
) -> Result<Outcome, ApiError> {
    let waited = std::time::Instant::now();
    let (this_try, at) = loop {
        match reserve(st, kind, subject, ip)? {
            Reserved::Go(id, at) => break (id, at),
            Reserved::Frozen(until) => {
                // Spend the time of a real check, so a freeze can't be timed.
                verify_against_nothing("");
                return Ok(Outcome::Frozen(until));
            }
            Reserved::Wait if waited.elapsed() < MAX_WAIT => {
                // Look again without the holder's lock until the tries ahead
                // are through: fifty waiting guesses polling under the lock
                // would queue the tries being recorded behind them.
                loop {
                    std::thread::sleep(std::time::Duration::from_millis(25));
                    let peek = st.store.read(|c| {
                        let at = now();
                        let frozen = attempts::frozen_until(c, kind, subject, at)?;
                        decide(c, kind, subject, at, frozen)
                    })?;
                    if !matches!(peek, Decision::Rule(BeforeTry::Wait)) || waited.elapsed() >= MAX_WAIT {
                        break;
                    }
                }
            }
            Reserved::Wait => return Err(busy()),
        }
    };
    if check() {
        st.store.write(|c| {
            attempts::lock(c, kind, subject)?;
            attempts::succeeded(c, kind, subject, this_try)
        })?;
        return Ok(Outcome::Right);
    }
    let after = st.store.write(|c| -> Result<AfterFailure, ApiError> {
        attempts::lock(c, kind, subject)?;
        attempts::failed(c, this_try)?;
        let since = at - Duration::seconds(limits::LOCKOUT_WINDOW_SECS);
        let earlier: Vec<i64> = attempts::counted_since(c, kind, subject, since)?
            .into_iter()
            .filter(|t| !t.pending && t.id != this_try)
            .map(|t| epoch(t.at))
            .collect();
        let after = lockout::after_failure(&earlier, epoch(at));
        if let AfterFailure::FrozenUntil(until) = after {
            attempts::freeze(c, kind, subject, from_epoch(until, at))?;
        }
        Ok(after)
    })?;
    Ok(match after {
        AfterFailure::TriesLeft(n) => Outcome::Wrong { tries_left: n },
        AfterFailure::FrozenUntil(until) => Outcome::JustFrozen(from_epoch(until, at)),
    })
}

enum Reserved {
    Go(i64, NaiveDateTime),
    Wait,
    Frozen(NaiveDateTime),
}

/// What the rule says of a try at `at`, from the counted tries and the freeze
/// (`frozen`, until when) as they stand: under the holder's lock in
/// [`reserve`], or a peek while waiting.
enum Decision {
    Frozen(NaiveDateTime),
    /// Not frozen: the lockout rule's answer.
    Rule(BeforeTry),
}

fn decide(
    c: &mut paydesk_store::DbConn,
    kind: AttemptKind,
    subject: i64,
    at: NaiveDateTime,
    frozen: Option<NaiveDateTime>,
) -> Result<Decision, ApiError> {
    if let Some(until) = frozen.filter(|u| *u > at) {
        return Ok(Decision::Frozen(until));
    }
    let since = at - Duration::seconds(limits::LOCKOUT_WINDOW_SECS);
    let counted = attempts::counted_since(c, kind, subject, since)?;
    let times = |pending: bool| -> Vec<i64> {
        counted.iter().filter(|t| t.pending == pending).map(|t| epoch(t.at)).collect()
    };
    Ok(Decision::Rule(lockout::before_try(&times(false), &times(true), epoch(at))))
}

/// Under the holder's row lock: refuse when frozen or five failures are
/// counted, wait when tries ahead could still prove right, else write this try
/// down as pending.
fn reserve(st: &AppState, kind: AttemptKind, subject: i64, ip: &str) -> Result<Reserved, ApiError> {
    st.store.write(|c| -> Result<Reserved, ApiError> {
        let at = now();
        let frozen = attempts::lock(c, kind, subject)?;
        Ok(match decide(c, kind, subject, at, frozen)? {
            Decision::Frozen(until) => Reserved::Frozen(until),
            Decision::Rule(BeforeTry::Go) => Reserved::Go(attempts::record(c, kind, subject, ip, at)?, at),
            Decision::Rule(BeforeTry::Wait) => Reserved::Wait,
            Decision::Rule(BeforeTry::Refuse) => {
                // Five failures are counted (some were left pending by a server
                // that went away): the freeze starts now.
                let until = at + Duration::seconds(limits::LOCKOUT_FREEZE_SECS);
                attempts::freeze(c, kind, subject, until)?;
                Reserved::Frozen(until)
            }
        })
    })
}

fn busy() -> ApiError {
    ApiError::rule(
        actix_web::http::StatusCode::TOO_MANY_REQUESTS,
        paydesk_api_types::ErrorCode::TooManyRequests,
        "too many password checks at once",
    )
    .with_detail("try again in a few seconds")
}

/// Until when `kind`'s secret of `subject` is frozen now, if it is.
pub fn frozen_until(
    st: &AppState,
    kind: AttemptKind,
    subject: i64,
) -> Result<Option<NaiveDateTime>, ApiError> {
    Ok(st.store.read(|c| attempts::frozen_until(c, kind, subject, now()))?)
}

/// Lifts a freeze (staff, §3.1 人工解锁); answers whether there was one. Blocking.
pub fn lift(
    st: &AppState,
    audit: &crate::oplog::Audit,
    kind: AttemptKind,
    subject: i64,
) -> Result<bool, ApiError> {
    Ok(audit.write(&st.store, |c| {
        attempts::lock(c, kind, subject).and_then(|_| attempts::clear(c, kind, subject))
    })?)
}

/// Every operator whose sign-in or payment password is frozen now, for the
/// staff console. Blocking.
pub fn frozen_operators(st: &AppState) -> Result<Vec<paydesk_api_types::FrozenLogin>, ApiError> {
    let at = now();
    st.store.read(|c| -> Result<_, ApiError> {
        let mut out = Vec::new();
        for kind in [AttemptKind::OperatorSignIn, AttemptKind::PaymentPassword] {
            for (operator_id, until) in attempts::frozen(c, kind, at)? {
                let operator = paydesk_store::identity::operator(c, operator_id)?;
                let merchant = paydesk_store::identity::merchant(c, operator.merchant_id)?;
                out.push(paydesk_api_types::FrozenLogin {
                    operator_id,
                    kind: kind.to_string(),
                    merchant_email: merchant.email,
                    company_name: merchant.company_name,
                    operator: operator.login_name,
                    frozen_until: until.and_utc().to_rfc3339(),
                });
            }
        }
        Ok(out)
    })
}
