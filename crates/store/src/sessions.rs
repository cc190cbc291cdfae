//! Server-side sessions: what an access token stands for, and what logout revokes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::{rotated_refresh_tokens, sessions};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Session {
    pub id: String,
    pub subject_kind: String,
    pub subject_id: i64,
    pub merchant_id: Option<i64>,
    pub refresh_hash: String,
    pub ip: String,
    pub user_agent: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

pub struct NewSession<'a> {
    pub id: &'a str,
    pub subject_kind: &'a str,
    pub subject_id: i64,
    pub merchant_id: Option<i64>,
    pub refresh_hash: &'a str,
    pub ip: &'a str,
    pub user_agent: &'a str,
    pub at: NaiveDateTime,
}

pub fn create(conn: &mut DbConn, s: &NewSession<'_>) -> Result<(), StoreError> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(s.id),
            sessions::subject_kind.eq(s.subject_kind),
            sessions::subject_id.eq(s.subject_id),
            sessions::merchant_id.eq(s.merchant_id),
            sessions::refresh_hash.eq(s.refresh_hash),
            sessions::ip.eq(s.ip),
            sessions::user_agent.eq(s.user_agent),
            sessions::created_at.eq(s.at),
            sessions::last_seen_at.eq(s.at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<Session>, StoreError> {
    Ok(sessions::table.find(id).first(conn).optional()?)
}

pub fn find_by_refresh(conn: &mut DbConn, refresh_hash: &str) -> Result<Option<Session>, StoreError> {
    Ok(sessions::table.filter(sessions::refresh_hash.eq(refresh_hash)).first(conn).optional()?)
}

/// When a session counts as live: used since `idle_since` and opened since
/// `opened_since`.
#[derive(Debug, Clone, Copy)]
pub struct Liveness {
    pub idle_since: NaiveDateTime,
    pub opened_since: NaiveDateTime,
}

/// Marks activity, but only on a live session (not revoked, not idle, not past
/// its maximum age). Returns false when the session is over.
pub fn touch(conn: &mut DbConn, id: &str, at: NaiveDateTime, live: Liveness) -> Result<bool, StoreError> {
    let n = diesel::update(
        sessions::table
            .find(id)
            .filter(sessions::revoked_at.is_null())
            .filter(sessions::last_seen_at.gt(live.idle_since))
            .filter(sessions::created_at.gt(live.opened_since)),
    )
    .set(sessions::last_seen_at.eq(at))
    .execute(conn)?;
    Ok(n == 1)
}

/// Replaces the refresh token, only if `old_hash` is still the current one, and
/// remembers the old one as spent.
pub fn rotate_refresh(
    conn: &mut DbConn,
    id: &str,
    old_hash: &str,
    new_hash: &str,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let n = diesel::update(sessions::table.find(id).filter(sessions::refresh_hash.eq(old_hash)))
        .set(sessions::refresh_hash.eq(new_hash))
        .execute(conn)?;
    if n == 1 {
        diesel::insert_into(rotated_refresh_tokens::table)
            .values((
                rotated_refresh_tokens::refresh_hash.eq(old_hash),
                rotated_refresh_tokens::session_id.eq(id),
                rotated_refresh_tokens::rotated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(n == 1)
}

/// The session a spent (already rotated) refresh token belonged to.
pub fn spent_refresh(conn: &mut DbConn, refresh_hash: &str) -> Result<Option<String>, StoreError> {
    Ok(rotated_refresh_tokens::table
        .find(refresh_hash)
        .select(rotated_refresh_tokens::session_id)
        .first(conn)
        .optional()?)
}

pub fn revoke(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(sessions::table.find(id).filter(sessions::revoked_at.is_null()))
        .set(sessions::revoked_at.eq(Some(at)))
        .execute(conn)?;
    Ok(())
}

/// Ends every live session of one person but `keep`; returns how many.
pub fn revoke_others(
    conn: &mut DbConn,
    subject_kind: &str,
    subject_id: i64,
    keep: &str,
    at: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        sessions::table
            .filter(sessions::subject_kind.eq(subject_kind))
            .filter(sessions::subject_id.eq(subject_id))
            .filter(sessions::id.ne(keep))
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(Some(at)))
    .execute(conn)?)
}

/// Ends every live session of one person; returns how many.
pub fn revoke_all(
    conn: &mut DbConn,
    subject_kind: &str,
    subject_id: i64,
    at: NaiveDateTime,
) -> Result<usize, StoreError> {
    // No session has an empty id: this keeps none.
    revoke_others(conn, subject_kind, subject_id, "", at)
}
