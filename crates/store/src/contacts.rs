//! Saved payees (联系人).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::contacts;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Contact {
    pub id: i64,
    pub merchant_id: i64,
    pub kind: String,
    pub name: String,
    pub account: String,
    pub account_type: Option<String>,
    pub bank: Option<String>,
    pub branch_code: Option<String>,
    pub branch_name: Option<String>,
    pub phone: Option<String>,
    pub remark: String,
    pub created_at: NaiveDateTime,
}

pub struct NewContact<'a> {
    pub merchant_id: i64,
    pub kind: &'a str,
    pub name: &'a str,
    pub account: &'a str,
    pub account_type: Option<&'a str>,
    pub bank: Option<&'a str>,
    pub branch_code: Option<&'a str>,
    pub branch_name: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub remark: &'a str,
    pub at: NaiveDateTime,
}

/// Adds a contact; `None` when the merchant already has this account as one.
pub fn add(conn: &mut DbConn, c: &NewContact<'_>) -> Result<Option<Contact>, StoreError> {
    let exists = contacts::table
        .filter(contacts::merchant_id.eq(c.merchant_id))
        .filter(contacts::kind.eq(c.kind))
        .filter(contacts::account.eq(c.account))
        .count()
        .get_result::<i64>(conn)?;
    if exists > 0 {
        return Ok(None);
    }
    let id = diesel::insert_into(contacts::table)
        .values((
            contacts::merchant_id.eq(c.merchant_id),
            contacts::kind.eq(c.kind),
            contacts::name.eq(c.name),
            contacts::account.eq(c.account),
            contacts::account_type.eq(c.account_type),
            contacts::bank.eq(c.bank),
            contacts::branch_code.eq(c.branch_code),
            contacts::branch_name.eq(c.branch_name),
            contacts::phone.eq(c.phone),
            contacts::remark.eq(c.remark),
            contacts::created_at.eq(c.at),
        ))
        .returning(contacts::id)
        .get_result::<i64>(conn)?;
    Ok(Some(contacts::table.find(id).first(conn)?))
}

/// Which of `accounts` the merchant already has as contacts of `kind`.
pub fn existing(
    conn: &mut DbConn,
    merchant_id: i64,
    kind: &str,
    accounts: &[&str],
) -> Result<Vec<String>, StoreError> {
    let mut found = Vec::new();
    for chunk in accounts.chunks(500) {
        found.extend(
            contacts::table
                .filter(contacts::merchant_id.eq(merchant_id))
                .filter(contacts::kind.eq(kind))
                .filter(contacts::account.eq_any(chunk))
                .select(contacts::account)
                .load::<String>(conn)?,
        );
    }
    Ok(found)
}

/// One kind of contact (or all), matching `word` in the name or account, by name.
pub fn search(
    conn: &mut DbConn,
    merchant_id: i64,
    kind: Option<&str>,
    word: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Contact>, i64), StoreError> {
    let scope = || {
        let mut q = contacts::table.filter(contacts::merchant_id.eq(merchant_id)).into_boxed();
        if let Some(k) = kind {
            q = q.filter(contacts::kind.eq(k.to_owned()));
        }
        if let Some(w) = word {
            let pattern = format!("%{}%", w.replace(['%', '_'], ""));
            q = q.filter(contacts::name.like(pattern.clone()).or(contacts::account.like(pattern)));
        }
        q
    };
    let total = scope().count().get_result(conn)?;
    let rows =
        scope().order((contacts::name.asc(), contacts::id.asc())).limit(limit).offset(offset).load(conn)?;
    Ok((rows, total))
}

pub fn delete(conn: &mut DbConn, merchant_id: i64, id: i64) -> Result<bool, StoreError> {
    Ok(diesel::delete(contacts::table.find(id).filter(contacts::merchant_id.eq(merchant_id)))
        .execute(conn)?
        == 1)
}

pub fn find(conn: &mut DbConn, merchant_id: i64, id: i64) -> Result<Option<Contact>, StoreError> {
    Ok(contacts::table.find(id).filter(contacts::merchant_id.eq(merchant_id)).first(conn).optional()?)
}
