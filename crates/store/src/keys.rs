//! 快捷盾: operators' and staff members' security keys, and WebAuthn
//! ceremonies in progress.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::{security_keys, webauthn_challenges};

/// Whose key or ceremony: an operator of a merchant or a member of staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Operator(i64),
    Staff(i64),
}

impl Holder {
    /// As stored: `operator:<id>` or `staff:<id>`.
    pub fn key(self) -> String {
        match self {
            Holder::Operator(id) => format!("operator:{id}"),
            Holder::Staff(id) => format!("staff:{id}"),
        }
    }

    /// Reads a stored holder back.
    pub fn parse(text: &str) -> Option<Holder> {
        let (kind, id) = text.split_once(':')?;
        let id = id.parse().ok()?;
        match kind {
            "operator" => Some(Holder::Operator(id)),
            "staff" => Some(Holder::Staff(id)),
            _ => None,
        }
    }
}

/// The holder's key as stored: the serialised passkey and when it was bound.
pub fn find(conn: &mut DbConn, holder: Holder) -> Result<Option<(String, NaiveDateTime)>, StoreError> {
    Ok(security_keys::table
        .find(holder.key())
        .select((security_keys::passkey, security_keys::created_at))
        .first(conn)
        .optional()?)
}

/// Binds a key; false when the credential is bound already (to anyone).
pub fn bind(
    conn: &mut DbConn,
    holder: Holder,
    credential_id: &str,
    passkey: &str,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let taken: i64 = security_keys::table
        .filter(security_keys::credential_id.eq(credential_id))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Ok(false);
    }
    diesel::delete(security_keys::table.find(holder.key())).execute(conn)?;
    diesel::insert_into(security_keys::table)
        .values((
            security_keys::holder.eq(holder.key()),
            security_keys::credential_id.eq(credential_id),
            security_keys::passkey.eq(passkey),
            security_keys::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Stores the passkey after a use (its signature counter moves on).
pub fn used(conn: &mut DbConn, holder: Holder, passkey: &str, at: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(security_keys::table.find(holder.key()))
        .set((security_keys::passkey.eq(passkey), security_keys::last_used_at.eq(Some(at))))
        .execute(conn)?;
    Ok(())
}

pub fn unbind(conn: &mut DbConn, holder: Holder) -> Result<bool, StoreError> {
    Ok(diesel::delete(security_keys::table.find(holder.key())).execute(conn)? == 1)
}

pub struct NewChallenge<'a> {
    pub id: &'a str,
    pub holder: Holder,
    pub purpose: &'a str,
    pub bound_to: &'a str,
    pub state: &'a str,
    pub expires_at: NaiveDateTime,
}

pub fn create_challenge(conn: &mut DbConn, c: &NewChallenge<'_>) -> Result<(), StoreError> {
    diesel::insert_into(webauthn_challenges::table)
        .values((
            webauthn_challenges::id.eq(c.id),
            webauthn_challenges::holder.eq(c.holder.key()),
            webauthn_challenges::purpose.eq(c.purpose),
            webauthn_challenges::bound_to.eq(c.bound_to),
            webauthn_challenges::state.eq(c.state),
            webauthn_challenges::expires_at.eq(c.expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whose live challenge `id` is, if it is one.
pub fn challenge_holder(
    conn: &mut DbConn,
    id: &str,
    at: NaiveDateTime,
) -> Result<Option<Holder>, StoreError> {
    let holder: Option<String> = webauthn_challenges::table
        .find(id)
        .filter(webauthn_challenges::used_at.is_null())
        .filter(webauthn_challenges::expires_at.gt(at))
        .select(webauthn_challenges::holder)
        .first(conn)
        .optional()?;
    Ok(holder.as_deref().and_then(Holder::parse))
}

/// Uses up a live challenge of this holder and purpose, returning what it is
/// bound to and its state; `None` when there is none (unknown, someone else's,
/// used, or expired). The conditional update makes each challenge single use.
pub fn take_challenge(
    conn: &mut DbConn,
    id: &str,
    holder: Holder,
    purpose: &str,
    at: NaiveDateTime,
) -> Result<Option<(String, String)>, StoreError> {
    let n = diesel::update(
        webauthn_challenges::table
            .find(id)
            .filter(webauthn_challenges::holder.eq(holder.key()))
            .filter(webauthn_challenges::purpose.eq(purpose))
            .filter(webauthn_challenges::used_at.is_null())
            .filter(webauthn_challenges::expires_at.gt(at)),
    )
    .set(webauthn_challenges::used_at.eq(Some(at)))
    .execute(conn)?;
    if n != 1 {
        return Ok(None);
    }
    Ok(Some(
        webauthn_challenges::table
            .find(id)
            .select((webauthn_challenges::bound_to, webauthn_challenges::state))
            .first(conn)?,
    ))
}

/// 证书详情 of a key: (credential id, bound at, last used at).
pub fn details(
    conn: &mut DbConn,
    holder: Holder,
) -> Result<Option<(String, NaiveDateTime, Option<NaiveDateTime>)>, StoreError> {
    Ok(security_keys::table
        .find(holder.key())
        .select((security_keys::credential_id, security_keys::created_at, security_keys::last_used_at))
        .first(conn)
        .optional()?)
}
