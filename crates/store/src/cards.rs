//! The merchant's own bank cards (withdrawal destinations).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::bank_cards;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct BankCard {
    pub id: i64,
    pub merchant_id: i64,
    pub bank: String,
    pub branch_code: String,
    pub branch_name: String,
    pub province: String,
    pub city: String,
    pub account_no: String,
    pub account_name: String,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

pub struct NewCard<'a> {
    pub merchant_id: i64,
    pub bank: &'a str,
    pub branch_code: &'a str,
    pub branch_name: &'a str,
    pub province: &'a str,
    pub city: &'a str,
    pub account_no: &'a str,
    pub account_name: &'a str,
    pub created_by: i64,
    pub at: NaiveDateTime,
}

pub fn add(conn: &mut DbConn, c: &NewCard<'_>) -> Result<BankCard, StoreError> {
    let id = diesel::insert_into(bank_cards::table)
        .values((
            bank_cards::merchant_id.eq(c.merchant_id),
            bank_cards::bank.eq(c.bank),
            bank_cards::branch_code.eq(c.branch_code),
            bank_cards::branch_name.eq(c.branch_name),
            bank_cards::province.eq(c.province),
            bank_cards::city.eq(c.city),
            bank_cards::account_no.eq(c.account_no),
            bank_cards::account_name.eq(c.account_name),
            bank_cards::created_by.eq(c.created_by),
            bank_cards::created_at.eq(c.at),
        ))
        .returning(bank_cards::id)
        .get_result::<i64>(conn)?;
    Ok(bank_cards::table.find(id).first(conn)?)
}

/// Live cards, oldest first.
pub fn list(conn: &mut DbConn, merchant_id: i64) -> Result<Vec<BankCard>, StoreError> {
    Ok(bank_cards::table
        .filter(bank_cards::merchant_id.eq(merchant_id))
        .filter(bank_cards::deleted_at.is_null())
        .order(bank_cards::id.asc())
        .load(conn)?)
}

pub fn find(conn: &mut DbConn, merchant_id: i64, id: i64) -> Result<Option<BankCard>, StoreError> {
    Ok(bank_cards::table
        .find(id)
        .filter(bank_cards::merchant_id.eq(merchant_id))
        .filter(bank_cards::deleted_at.is_null())
        .first(conn)
        .optional()?)
}

/// Deletes a live card; false when there was none.
pub fn delete(conn: &mut DbConn, merchant_id: i64, id: i64, at: NaiveDateTime) -> Result<bool, StoreError> {
    let n = diesel::update(
        bank_cards::table
            .find(id)
            .filter(bank_cards::merchant_id.eq(merchant_id))
            .filter(bank_cards::deleted_at.is_null()),
    )
    .set(bank_cards::deleted_at.eq(Some(at)))
    .execute(conn)?;
    Ok(n == 1)
}
