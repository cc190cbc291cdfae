//! One-time SMS codes: hashed, short-lived, single use, a few guesses each.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::sms_codes;

pub fn create(
    conn: &mut DbConn,
    operator_id: i64,
    purpose: &str,
    phone: &str,
    code_hash: &str,
    at: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(sms_codes::table)
        .values((
            sms_codes::operator_id.eq(operator_id),
            sms_codes::purpose.eq(purpose),
            sms_codes::phone.eq(phone),
            sms_codes::code_hash.eq(code_hash),
            sms_codes::attempts.eq(0),
            sms_codes::created_at.eq(at),
            sms_codes::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// When the newest code for this operator and purpose was sent to `phone`.
pub fn last_sent(
    conn: &mut DbConn,
    operator_id: i64,
    purpose: &str,
    phone: &str,
) -> Result<Option<NaiveDateTime>, StoreError> {
    Ok(sms_codes::table
        .filter(sms_codes::operator_id.eq(operator_id))
        .filter(sms_codes::purpose.eq(purpose))
        .filter(sms_codes::phone.eq(phone))
        .select(diesel::dsl::max(sms_codes::created_at))
        .first::<Option<NaiveDateTime>>(conn)?)
}

/// Whether a code was right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Ok,
    Wrong,
    /// Expired, used, too many guesses, or never sent.
    Unusable,
}

/// Checks `code_hash` against the newest live code and spends it when right.
/// A wrong guess counts against the code; call in its own committed transaction.
pub fn check(
    conn: &mut DbConn,
    operator_id: i64,
    purpose: &str,
    code_hash: &str,
    at: NaiveDateTime,
) -> Result<Check, StoreError> {
    let newest: Option<(i64, String, i32, NaiveDateTime, Option<NaiveDateTime>)> = sms_codes::table
        .filter(sms_codes::operator_id.eq(operator_id))
        .filter(sms_codes::purpose.eq(purpose))
        .order(sms_codes::id.desc())
        .select((
            sms_codes::id,
            sms_codes::code_hash,
            sms_codes::attempts,
            sms_codes::expires_at,
            sms_codes::used_at,
        ))
        .first(conn)
        .optional()?;
    let Some((id, hash, attempts, expires_at, used_at)) = newest else { return Ok(Check::Unusable) };
    if used_at.is_some() || expires_at <= at || attempts >= paydesk_domain::limits::SMS_CODE_ATTEMPTS {
        return Ok(Check::Unusable);
    }
    if hash != code_hash {
        diesel::update(sms_codes::table.find(id))
            .set(sms_codes::attempts.eq(sms_codes::attempts + 1))
            .execute(conn)?;
        return Ok(Check::Wrong);
    }
    let spent = diesel::update(sms_codes::table.find(id).filter(sms_codes::used_at.is_null()))
        .set(sms_codes::used_at.eq(Some(at)))
        .execute(conn)?;
    Ok(if spent == 1 { Check::Ok } else { Check::Unusable })
}
