//! Password recoveries (忘记登录密码) and 安全邮箱 links: single-use links sent by
//! e-mail, stored hashed.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::{email_links, recoveries};

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

/// A 安全邮箱 link: confirming the current address, or activating a new one.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct EmailLink {
    pub token_hash: String,
    pub operator_id: i64,
    pub purpose: String,
    pub email: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

pub fn create_email_link(conn: &mut DbConn, link: &EmailLink) -> Result<(), StoreError> {
    diesel::insert_into(email_links::table)
        .values((
            email_links::token_hash.eq(&link.token_hash),
            email_links::operator_id.eq(link.operator_id),
            email_links::purpose.eq(&link.purpose),
            email_links::email.eq(&link.email),
            email_links::created_at.eq(link.created_at),
            email_links::expires_at.eq(link.expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find_email_link(conn: &mut DbConn, token_hash: &str) -> Result<Option<EmailLink>, StoreError> {
    Ok(email_links::table.find(token_hash).first(conn).optional()?)
}

/// Uses a link once: true only for the first caller.
pub fn use_email_link(conn: &mut DbConn, token_hash: &str, at: NaiveDateTime) -> Result<bool, StoreError> {
    let n = diesel::update(email_links::table.find(token_hash).filter(email_links::used_at.is_null()))
        .set(email_links::used_at.eq(Some(at)))
        .execute(conn)?;
    Ok(n == 1)
}
