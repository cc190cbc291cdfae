//! Password recoveries (忘记登录密码): started, verified, linked, used.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::recoveries;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Recovery {
    pub id: String,
    pub kind: String,
    pub merchant_id: i64,
    pub operator_id: i64,
    pub verified_at: Option<NaiveDateTime>,
    pub link_hash: Option<String>,
    pub link_sent_at: Option<NaiveDateTime>,
    pub used_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn create(
    conn: &mut DbConn,
    id: &str,
    kind: &str,
    (merchant_id, operator_id): (i64, i64),
    at: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(recoveries::table)
        .values((
            recoveries::id.eq(id),
            recoveries::kind.eq(kind),
            recoveries::merchant_id.eq(merchant_id),
            recoveries::operator_id.eq(operator_id),
            recoveries::created_at.eq(at),
            recoveries::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<Recovery>, StoreError> {
    Ok(recoveries::table.find(id).first(conn).optional()?)
}

pub fn find_by_link(conn: &mut DbConn, link_hash: &str) -> Result<Option<Recovery>, StoreError> {
    Ok(recoveries::table.filter(recoveries::link_hash.eq(link_hash)).first(conn).optional()?)
}

/// The identity checks passed; a (new) link goes out now. Replaces any earlier link.
pub fn send_link(conn: &mut DbConn, id: &str, link_hash: &str, at: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(recoveries::table.find(id))
        .set((
            recoveries::verified_at.eq(Some(at)),
            recoveries::link_hash.eq(Some(link_hash)),
            recoveries::link_sent_at.eq(Some(at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Uses the recovery once: true only for the first caller.
pub fn use_once(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> Result<bool, StoreError> {
    let n = diesel::update(recoveries::table.find(id).filter(recoveries::used_at.is_null()))
        .set(recoveries::used_at.eq(Some(at)))
        .execute(conn)?;
    Ok(n == 1)
}
