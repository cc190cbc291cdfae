//! Counted guesses at a secret (sign-in passwords, the payment password) and
//! the freeze they lead to. The rule is `paydesk_domain::lockout`; this keeps
//! the record. Every try first locks the row of the secret's holder ([`lock`])
//! so that two tries never count from the same snapshot.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use paydesk_domain::states::AttemptKind;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::{attempt_failures, attempt_locks, operators, staff};

/// Locks the row of the secret's holder (the operator or the staff member) for
/// the rest of the transaction and answers until when the secret is frozen, if
/// it ever was. On PostgreSQL the no-op update holds the row lock until commit;
/// SQLite write transactions are exclusive already (BEGIN IMMEDIATE).
pub fn lock(conn: &mut DbConn, kind: AttemptKind, subject: i64) -> Result<Option<NaiveDateTime>, StoreError> {
    let held = match kind {
        AttemptKind::OperatorSignIn | AttemptKind::PaymentPassword => {
            diesel::update(operators::table.find(subject))
                .set(operators::status.eq(operators::status))
                .execute(conn)?
        }
        AttemptKind::StaffSignIn => {
            diesel::update(staff::table.find(subject)).set(staff::status.eq(staff::status)).execute(conn)?
        }
    };
    if held == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(attempt_locks::table
        .find((kind.as_str(), subject))
        .select(attempt_locks::locked_until)
        .first::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten())
}

/// A counted try: a failure, or one still being checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable)]
pub struct Counted {
    pub id: i64,
    pub at: NaiveDateTime,
    pub pending: bool,
}

/// The failures and the tries being checked since `since`.
pub fn counted_since(
    conn: &mut DbConn,
    kind: AttemptKind,
    subject: i64,
    since: NaiveDateTime,
) -> Result<Vec<Counted>, StoreError> {
    Ok(attempt_failures::table
        .filter(attempt_failures::kind.eq(kind.as_str()))
        .filter(attempt_failures::subject_id.eq(subject))
        .filter(attempt_failures::created_at.gt(since))
        .select((attempt_failures::id, attempt_failures::created_at, attempt_failures::pending))
        .load(conn)?)
}

/// Writes a try down as pending before its password is checked; answers its id.
pub fn record(
    conn: &mut DbConn,
    kind: AttemptKind,
    subject: i64,
    ip: &str,
    at: NaiveDateTime,
) -> Result<i64, StoreError> {
    let id = diesel::insert_into(attempt_failures::table)
        .values((
            attempt_failures::kind.eq(kind.as_str()),
            attempt_failures::subject_id.eq(subject),
            attempt_failures::ip.eq(ip),
            attempt_failures::pending.eq(true),
            attempt_failures::created_at.eq(at),
        ))
        .returning(attempt_failures::id)
        .get_result::<i64>(conn)?;
    Ok(id)
}

/// The try was wrong: it stays as a failure.
pub fn failed(conn: &mut DbConn, id: i64) -> Result<(), StoreError> {
    diesel::update(attempt_failures::table.find(id))
        .set(attempt_failures::pending.eq(false))
        .execute(conn)?;
    Ok(())
}

/// The try was right: it and the earlier failures are forgotten and any
/// freeze is lifted; tries of others still being checked stay counted.
pub fn succeeded(conn: &mut DbConn, kind: AttemptKind, subject: i64, id: i64) -> Result<(), StoreError> {
    diesel::delete(attempt_failures::table.find(id)).execute(conn)?;
    diesel::delete(
        attempt_failures::table
            .filter(attempt_failures::kind.eq(kind.as_str()))
            .filter(attempt_failures::subject_id.eq(subject))
            .filter(attempt_failures::pending.eq(false)),
    )
    .execute(conn)?;
    diesel::delete(attempt_locks::table.find((kind.as_str(), subject))).execute(conn)?;
    Ok(())
}

pub fn freeze(
    conn: &mut DbConn,
    kind: AttemptKind,
    subject: i64,
    until: NaiveDateTime,
) -> Result<(), StoreError> {
    // Under the holder's lock (see [`lock`]), so the row can't appear meanwhile.
    diesel::delete(attempt_locks::table.find((kind.as_str(), subject))).execute(conn)?;
    diesel::insert_into(attempt_locks::table)
        .values((
            attempt_locks::kind.eq(kind.as_str()),
            attempt_locks::subject_id.eq(subject),
            attempt_locks::locked_until.eq(Some(until)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Forgets the failures and lifts any freeze: after a right password, or by
/// staff. Answers whether a freeze was lifted.
pub fn clear(conn: &mut DbConn, kind: AttemptKind, subject: i64) -> Result<bool, StoreError> {
    diesel::delete(
        attempt_failures::table
            .filter(attempt_failures::kind.eq(kind.as_str()))
            .filter(attempt_failures::subject_id.eq(subject)),
    )
    .execute(conn)?;
    let lifted = diesel::update(
        attempt_locks::table.find((kind.as_str(), subject)).filter(attempt_locks::locked_until.is_not_null()),
    )
    .set(attempt_locks::locked_until.eq(None::<NaiveDateTime>))
    .execute(conn)?;
    Ok(lifted > 0)
}

/// Until when the secret is frozen at `at`, if it is.
pub fn frozen_until(
    conn: &mut DbConn,
    kind: AttemptKind,
    subject: i64,
    at: NaiveDateTime,
) -> Result<Option<NaiveDateTime>, StoreError> {
    Ok(attempt_locks::table
        .find((kind.as_str(), subject))
        .select(attempt_locks::locked_until)
        .first::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten()
        .filter(|u| *u > at))
}

/// Every secret of this kind frozen at `at`: (subject, until), newest first.
pub fn frozen(
    conn: &mut DbConn,
    kind: AttemptKind,
    at: NaiveDateTime,
) -> Result<Vec<(i64, NaiveDateTime)>, StoreError> {
    let rows: Vec<(i64, Option<NaiveDateTime>)> = attempt_locks::table
        .filter(attempt_locks::kind.eq(kind.as_str()))
        .filter(attempt_locks::locked_until.gt(at))
        .order(attempt_locks::locked_until.desc())
        .select((attempt_locks::subject_id, attempt_locks::locked_until))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(s, u)| u.map(|u| (s, u))).collect())
}
