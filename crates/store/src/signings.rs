//! 应用产品: which products each merchant has signed (线上服务申请 and its decision).
//! Each step is a conditional write from the state `domain::apps` allows, so two
//! staff deciding at once decide once.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use paydesk_domain::apps::{App, SigningState};

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::{merchants, product_signings};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Signing {
    pub merchant_id: i64,
    #[diesel(deserialize_as = String)]
    pub product: App,
    #[diesel(deserialize_as = String)]
    pub state: SigningState,
    /// The applicant's note (申请说明).
    pub note: String,
    pub applied_by: Option<i64>,
    pub applied_at: NaiveDateTime,
    /// The staff member who decided.
    pub decided_by: Option<i64>,
    /// When it was approved (签约时间) or rejected.
    pub decided_at: Option<NaiveDateTime>,
    pub reason: Option<String>,
}

/// The merchant's signings, one per product it ever applied for.
pub fn of_merchant(conn: &mut DbConn, merchant_id: i64) -> Result<Vec<Signing>, StoreError> {
    Ok(product_signings::table.filter(product_signings::merchant_id.eq(merchant_id)).load(conn)?)
}

pub fn find(conn: &mut DbConn, merchant_id: i64, product: App) -> Result<Option<Signing>, StoreError> {
    Ok(product_signings::table.find((merchant_id, product.as_str())).first(conn).optional()?)
}

/// True when the merchant may use `product`.
pub fn is_signed(conn: &mut DbConn, merchant_id: i64, product: App) -> Result<bool, StoreError> {
    let n: i64 = product_signings::table
        .filter(product_signings::merchant_id.eq(merchant_id))
        .filter(product_signings::product.eq(product.as_str()))
        .filter(product_signings::state.eq(SigningState::Signed.as_str()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// 线上服务申请: records an application, replacing a rejected one. False when the
/// product is already applied for or signed (someone else got there first).
pub fn apply(
    conn: &mut DbConn,
    merchant_id: i64,
    product: App,
    note: &str,
    operator_id: i64,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let replaced = diesel::update(
        product_signings::table
            .find((merchant_id, product.as_str()))
            .filter(product_signings::state.eq(SigningState::Rejected.as_str())),
    )
    .set((
        product_signings::state.eq(SigningState::Applied.as_str()),
        product_signings::note.eq(note),
        product_signings::applied_by.eq(Some(operator_id)),
        product_signings::applied_at.eq(at),
        product_signings::decided_by.eq(None::<i64>),
        product_signings::decided_at.eq(None::<NaiveDateTime>),
        product_signings::reason.eq(None::<String>),
    ))
    .execute(conn)?;
    if replaced == 1 {
        return Ok(true);
    }
    if find(conn, merchant_id, product)?.is_some() {
        return Ok(false);
    }
    diesel::insert_into(product_signings::table)
        .values((
            product_signings::merchant_id.eq(merchant_id),
            product_signings::product.eq(product.as_str()),
            product_signings::state.eq(SigningState::Applied.as_str()),
            product_signings::note.eq(note),
            product_signings::applied_by.eq(Some(operator_id)),
            product_signings::applied_at.eq(at),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Approves or rejects an application; false when it is no longer waiting.
pub fn decide(
    conn: &mut DbConn,
    merchant_id: i64,
    product: App,
    to: SigningState,
    reason: Option<&str>,
    staff_id: i64,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let n = diesel::update(
        product_signings::table
            .find((merchant_id, product.as_str()))
            .filter(product_signings::state.eq(SigningState::Applied.as_str())),
    )
    .set((
        product_signings::state.eq(to.as_str()),
        product_signings::decided_by.eq(Some(staff_id)),
        product_signings::decided_at.eq(Some(at)),
        product_signings::reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Signs `product` outright, as the demo data and test fixtures start: no
/// application, no staff decision.
pub fn sign_outright(
    conn: &mut DbConn,
    merchant_id: i64,
    product: App,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::delete(product_signings::table.find((merchant_id, product.as_str()))).execute(conn)?;
    diesel::insert_into(product_signings::table)
        .values((
            product_signings::merchant_id.eq(merchant_id),
            product_signings::product.eq(product.as_str()),
            product_signings::state.eq(SigningState::Signed.as_str()),
            product_signings::note.eq(""),
            product_signings::applied_at.eq(at),
            product_signings::decided_at.eq(Some(at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// A signing with its merchant's account and company name.
pub type QueueRow = (Signing, String, String);

/// Applications in `state` with the merchant's account and company, oldest first.
pub fn queue(
    conn: &mut DbConn,
    state: SigningState,
    limit: i64,
    offset: i64,
) -> Result<(Vec<QueueRow>, i64), StoreError> {
    let filtered = || {
        product_signings::table
            .inner_join(merchants::table.on(merchants::id.eq(product_signings::merchant_id)))
            .filter(product_signings::state.eq(state.as_str()))
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows = filtered()
        .select((
            (
                product_signings::merchant_id,
                product_signings::product,
                product_signings::state,
                product_signings::note,
                product_signings::applied_by,
                product_signings::applied_at,
                product_signings::decided_by,
                product_signings::decided_at,
                product_signings::reason,
            ),
            merchants::email,
            merchants::company_name,
        ))
        .order((product_signings::applied_at.asc(), product_signings::merchant_id.asc()))
        .limit(limit)
        .offset(offset)
        .load::<QueueRow>(conn)?;
    Ok((rows, total))
}
