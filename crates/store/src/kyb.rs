//! Real-name verification records: the three saved steps, scans and micro-deposits.
//! The steps are JSON the server has validated; this layer stores and fetches them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::identity::Merchant;
use crate::schema::{kyb_applications, merchants, micro_deposits, uploads};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct KybApplication {
    pub merchant_id: i64,
    pub filing: Option<String>,
    pub fund_account: Option<String>,
    pub legal_representative: Option<String>,
    pub reject_reason: Option<String>,
    pub submitted_at: Option<NaiveDateTime>,
    pub reviewed_at: Option<NaiveDateTime>,
    pub reviewed_by: Option<i64>,
    pub updated_at: NaiveDateTime,
}

/// The three steps of §2.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Filing,
    FundAccount,
    LegalRepresentative,
}

pub fn application(conn: &mut DbConn, merchant_id: i64) -> Result<Option<KybApplication>, StoreError> {
    Ok(kyb_applications::table.find(merchant_id).first(conn).optional()?)
}

/// Saves one step's JSON, creating the application on first save.
pub fn save_step(
    conn: &mut DbConn,
    merchant_id: i64,
    step: Step,
    json: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    if application(conn, merchant_id)?.is_none() {
        diesel::insert_into(kyb_applications::table)
            .values((kyb_applications::merchant_id.eq(merchant_id), kyb_applications::updated_at.eq(at)))
            .execute(conn)?;
    }
    let target = kyb_applications::table.find(merchant_id);
    let value = Some(json);
    match step {
        Step::Filing => diesel::update(target)
            .set((kyb_applications::filing.eq(value), kyb_applications::updated_at.eq(at)))
            .execute(conn)?,
        Step::FundAccount => diesel::update(target)
            .set((kyb_applications::fund_account.eq(value), kyb_applications::updated_at.eq(at)))
            .execute(conn)?,
        Step::LegalRepresentative => diesel::update(target)
            .set((kyb_applications::legal_representative.eq(value), kyb_applications::updated_at.eq(at)))
            .execute(conn)?,
    };
    Ok(())
}

pub fn mark_submitted(conn: &mut DbConn, merchant_id: i64, at: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(kyb_applications::table.find(merchant_id))
        .set((
            kyb_applications::submitted_at.eq(Some(at)),
            kyb_applications::reject_reason.eq(None::<String>),
            kyb_applications::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn mark_reviewed(
    conn: &mut DbConn,
    merchant_id: i64,
    staff_id: i64,
    reject_reason: Option<&str>,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(kyb_applications::table.find(merchant_id))
        .set((
            kyb_applications::reviewed_at.eq(Some(at)),
            kyb_applications::reviewed_by.eq(Some(staff_id)),
            kyb_applications::reject_reason.eq(reject_reason),
            kyb_applications::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Applications with their merchants, for the staff console; `status` filters on
/// the merchant's verification status. Oldest submission first.
pub fn list_applications(
    conn: &mut DbConn,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<(KybApplication, Merchant)>, i64), StoreError> {
    let mut count = kyb_applications::table.inner_join(merchants::table).count().into_boxed();
    let mut rows = kyb_applications::table
        .inner_join(merchants::table)
        .order((kyb_applications::submitted_at.asc(), kyb_applications::merchant_id.asc()))
        .limit(limit)
        .offset(offset)
        .into_boxed();
    if let Some(s) = status {
        count = count.filter(merchants::kyb_status.eq(s.to_owned()));
        rows = rows.filter(merchants::kyb_status.eq(s.to_owned()));
    }
    Ok((rows.load(conn)?, count.get_result(conn)?))
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Upload {
    pub id: String,
    pub merchant_id: i64,
    pub sha256: String,
    pub content_type: String,
    pub size: i64,
    pub original_name: String,
    pub created_at: NaiveDateTime,
}

pub fn insert_upload(conn: &mut DbConn, u: &Upload) -> Result<(), StoreError> {
    diesel::insert_into(uploads::table)
        .values((
            uploads::id.eq(&u.id),
            uploads::merchant_id.eq(u.merchant_id),
            uploads::sha256.eq(&u.sha256),
            uploads::content_type.eq(&u.content_type),
            uploads::size.eq(u.size),
            uploads::original_name.eq(&u.original_name),
            uploads::created_at.eq(u.created_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn upload(conn: &mut DbConn, id: &str) -> Result<Option<Upload>, StoreError> {
    Ok(uploads::table.find(id).first(conn).optional()?)
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct MicroDeposit {
    pub id: i64,
    pub merchant_id: i64,
    pub bank: String,
    pub account_no: String,
    pub account_name: String,
    pub amount: i64,
    pub attempts: i32,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
    /// The second of the two amounts sent (0 on deposits from before).
    pub second_amount: i64,
    /// Sent by staff (at approval, or taking over); the merchant's own resends
    /// are counted from the last of these.
    pub sent_by_staff: bool,
}

pub struct NewDeposit<'a> {
    pub merchant_id: i64,
    pub bank: &'a str,
    pub account_no: &'a str,
    pub account_name: &'a str,
    pub amounts: (i64, i64),
    pub sent_by_staff: bool,
    pub at: NaiveDateTime,
}

/// Records a new deposit, voiding any earlier pending one.
pub fn create_deposit(conn: &mut DbConn, d: &NewDeposit<'_>) -> Result<i64, StoreError> {
    diesel::update(
        micro_deposits::table
            .filter(micro_deposits::merchant_id.eq(d.merchant_id))
            .filter(micro_deposits::status.eq("pending")),
    )
    .set(micro_deposits::status.eq("void"))
    .execute(conn)?;
    let id = diesel::insert_into(micro_deposits::table)
        .values((
            micro_deposits::merchant_id.eq(d.merchant_id),
            micro_deposits::bank.eq(d.bank),
            micro_deposits::account_no.eq(d.account_no),
            micro_deposits::account_name.eq(d.account_name),
            micro_deposits::amount.eq(d.amounts.0),
            micro_deposits::second_amount.eq(d.amounts.1),
            micro_deposits::sent_by_staff.eq(d.sent_by_staff),
            micro_deposits::attempts.eq(0),
            micro_deposits::status.eq("pending"),
            micro_deposits::created_at.eq(d.at),
        ))
        .returning(micro_deposits::id)
        .get_result::<i64>(conn)?;
    Ok(id)
}

/// The merchant's newest deposit.
pub fn latest_deposit(conn: &mut DbConn, merchant_id: i64) -> Result<Option<MicroDeposit>, StoreError> {
    Ok(micro_deposits::table
        .filter(micro_deposits::merchant_id.eq(merchant_id))
        .order(micro_deposits::id.desc())
        .first(conn)
        .optional()?)
}

/// How a typed pair of amounts was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guess {
    Right,
    /// Wrong; this many guesses were counted on the deposit.
    Wrong(i32),
    /// The deposit is not pending (confirmed, void, or out of guesses).
    Closed,
}

/// Checks the typed amounts (in either order) with one conditional update that
/// confirms only a pending deposit with guesses left; a wrong pair counts one
/// guess, and the `max`-th wrong one voids the deposit.
pub fn guess_deposit(
    conn: &mut DbConn,
    id: i64,
    typed: (i64, i64),
    max: i32,
    at: NaiveDateTime,
) -> Result<Guess, StoreError> {
    let open = micro_deposits::table
        .find(id)
        .filter(micro_deposits::status.eq("pending"))
        .filter(micro_deposits::attempts.lt(max));
    let (a, b) = typed;
    let confirmed = diesel::update(
        open.filter(
            (micro_deposits::amount.eq(a).and(micro_deposits::second_amount.eq(b)))
                .or(micro_deposits::amount.eq(b).and(micro_deposits::second_amount.eq(a))),
        ),
    )
    .set((micro_deposits::status.eq("confirmed"), micro_deposits::confirmed_at.eq(Some(at))))
    .execute(conn)?;
    if confirmed == 1 {
        return Ok(Guess::Right);
    }
    let counted =
        diesel::update(open).set(micro_deposits::attempts.eq(micro_deposits::attempts + 1)).execute(conn)?;
    if counted == 0 {
        return Ok(Guess::Closed);
    }
    diesel::update(micro_deposits::table.find(id).filter(micro_deposits::attempts.ge(max)))
        .set(micro_deposits::status.eq("void"))
        .execute(conn)?;
    Ok(Guess::Wrong(micro_deposits::table.find(id).select(micro_deposits::attempts).first(conn)?))
}

/// Deposits the merchant asked for since staff last sent one.
pub fn resends_since_staff(conn: &mut DbConn, merchant_id: i64) -> Result<i64, StoreError> {
    let last_staff: Option<i64> = micro_deposits::table
        .filter(micro_deposits::merchant_id.eq(merchant_id))
        .filter(micro_deposits::sent_by_staff.eq(true))
        .select(diesel::dsl::max(micro_deposits::id))
        .first(conn)?;
    Ok(micro_deposits::table
        .filter(micro_deposits::merchant_id.eq(merchant_id))
        .filter(micro_deposits::id.gt(last_staff.unwrap_or(0)))
        .filter(micro_deposits::sent_by_staff.eq(false))
        .count()
        .get_result(conn)?)
}

/// Money that arrived in one outside bank account, newest first: what the
/// sandbox bank's statement page shows its holder.
pub fn deposits_to_account(conn: &mut DbConn, account_no: &str) -> Result<Vec<MicroDeposit>, StoreError> {
    Ok(micro_deposits::table
        .filter(micro_deposits::account_no.eq(account_no))
        .order(micro_deposits::id.desc())
        .load(conn)?)
}
