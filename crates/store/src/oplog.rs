//! 日志查询: the append-only operation log, and the payment-password unlock of a
//! session for the operator pages.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::{operation_log, session_unlocks};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Entry {
    pub id: i64,
    pub merchant_id: Option<i64>,
    pub operator_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub action: String,
    pub target: String,
    pub status: i32,
    pub ip: String,
    pub at: NaiveDateTime,
}

pub struct NewEntry<'a> {
    pub merchant_id: Option<i64>,
    pub operator_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub action: &'a str,
    pub target: &'a str,
    pub status: u16,
    pub ip: &'a str,
    pub at: NaiveDateTime,
}

/// Appends one entry. There is no update and no delete.
pub fn record(conn: &mut DbConn, e: &NewEntry<'_>) -> Result<(), StoreError> {
    diesel::insert_into(operation_log::table)
        .values((
            operation_log::merchant_id.eq(e.merchant_id),
            operation_log::operator_id.eq(e.operator_id),
            operation_log::staff_id.eq(e.staff_id),
            operation_log::action.eq(e.action),
            operation_log::target.eq(e.target),
            operation_log::status.eq(i32::from(e.status)),
            operation_log::ip.eq(e.ip),
            operation_log::at.eq(e.at),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    pub operator_id: Option<i64>,
    /// A part of the action, e.g. `transfers`.
    pub action: Option<String>,
}

/// A merchant's entries, newest first, with the total.
pub fn search(
    conn: &mut DbConn,
    merchant_id: i64,
    f: &Filter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Entry>, i64), StoreError> {
    let filtered = || {
        let mut q = operation_log::table.filter(operation_log::merchant_id.eq(merchant_id)).into_boxed();
        if let Some(from) = f.from {
            q = q.filter(operation_log::at.ge(from));
        }
        if let Some(to) = f.to {
            q = q.filter(operation_log::at.lt(to));
        }
        if let Some(op) = f.operator_id {
            q = q.filter(operation_log::operator_id.eq(op));
        }
        if let Some(a) = &f.action {
            q = q.filter(operation_log::action.like(format!("%{}%", a.replace(['%', '_'], ""))));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered().order(operation_log::id.desc()).limit(limit).offset(offset).load(conn)?;
    Ok((rows, total))
}

/// The session gave the payment password; it may open the operator pages until `until`.
pub fn unlock(conn: &mut DbConn, session_id: &str, until: NaiveDateTime) -> Result<(), StoreError> {
    diesel::delete(session_unlocks::table.find(session_id)).execute(conn)?;
    diesel::insert_into(session_unlocks::table)
        .values((session_unlocks::session_id.eq(session_id), session_unlocks::until.eq(until)))
        .execute(conn)?;
    Ok(())
}

pub fn is_unlocked(conn: &mut DbConn, session_id: &str, at: NaiveDateTime) -> Result<bool, StoreError> {
    let until: Option<NaiveDateTime> =
        session_unlocks::table.find(session_id).select(session_unlocks::until).first(conn).optional()?;
    Ok(until.is_some_and(|u| u > at))
}
