//! Registration links and captchas: short-lived, single-use secrets stored as hashes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::{captchas, registrations};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Registration {
    pub id: i64,
    pub email: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

pub fn create_registration(
    conn: &mut DbConn,
    email: &str,
    token_hash: &str,
    at: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(registrations::table)
        .values((
            registrations::email.eq(email),
            registrations::token_hash.eq(token_hash),
            registrations::created_at.eq(at),
            registrations::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// When the newest link for `email` was sent.
pub fn last_registration_sent(conn: &mut DbConn, email: &str) -> Result<Option<NaiveDateTime>, StoreError> {
    Ok(registrations::table
        .filter(registrations::email.eq(email))
        .select(diesel::dsl::max(registrations::created_at))
        .first::<Option<NaiveDateTime>>(conn)?)
}

pub fn find_registration(conn: &mut DbConn, token_hash: &str) -> Result<Option<Registration>, StoreError> {
    Ok(registrations::table.filter(registrations::token_hash.eq(token_hash)).first(conn).optional()?)
}

/// Uses a link once: true only for the first caller.
pub fn use_registration(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> Result<bool, StoreError> {
    let n = diesel::update(registrations::table.find(id).filter(registrations::used_at.is_null()))
        .set(registrations::used_at.eq(Some(at)))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn create_captcha(
    conn: &mut DbConn,
    id: &str,
    answer_hash: &str,
    at: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> Result<(), StoreError> {
    // Expired captchas are useless; clear them as new ones are made.
    diesel::delete(captchas::table.filter(captchas::expires_at.lt(at))).execute(conn)?;
    diesel::insert_into(captchas::table)
        .values((
            captchas::id.eq(id),
            captchas::answer_hash.eq(answer_hash),
            captchas::created_at.eq(at),
            captchas::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Spends a captcha whatever the answer (one guess per picture); true if the
/// answer was right and the captcha fresh.
pub fn spend_captcha(
    conn: &mut DbConn,
    id: &str,
    answer_hash: &str,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let spent = diesel::update(
        captchas::table.find(id).filter(captchas::used_at.is_null()).filter(captchas::expires_at.gt(at)),
    )
    .set(captchas::used_at.eq(Some(at)))
    .execute(conn)?;
    if spent == 0 {
        return Ok(false);
    }
    let stored: String = captchas::table.find(id).select(captchas::answer_hash).first(conn)?;
    Ok(stored == answer_hash)
}
