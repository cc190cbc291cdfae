//! The integrator gateway's records: API clients (an operator of kind `api`
//! behind an app id), their public keys, and the nonces seen within the
//! signature window.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::identity::{self, NewOperator, Operator};
use crate::roles::Role;
use crate::schema::{api_clients, api_keys, gateway_nonces, merchants, operators, roles};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ApiClient {
    pub app_id: String,
    pub merchant_id: i64,
    pub operator_id: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ApiKey {
    pub id: i64,
    pub app_id: String,
    pub algorithm: String,
    /// PEM.
    pub public_key: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

/// Creates an API client: its operator (kind `api`, in `role_id`, with a
/// password hash nothing matches) and its app id.
pub fn create_client(
    conn: &mut DbConn,
    merchant_id: i64,
    role_id: i64,
    app_id: &str,
    new: &NewOperator<'_>,
    at: NaiveDateTime,
) -> Result<(ApiClient, Operator), StoreError> {
    let operator = identity::create_operator_in_role(conn, merchant_id, role_id, new)?;
    diesel::update(operators::table.find(operator.id)).set(operators::kind.eq("api")).execute(conn)?;
    diesel::insert_into(api_clients::table)
        .values((
            api_clients::app_id.eq(app_id),
            api_clients::merchant_id.eq(merchant_id),
            api_clients::operator_id.eq(operator.id),
            api_clients::created_at.eq(at),
        ))
        .execute(conn)?;
    let client = api_clients::table.find(app_id).first(conn)?;
    Ok((client, identity::operator(conn, operator.id)?))
}

pub fn client(conn: &mut DbConn, app_id: &str) -> Result<Option<ApiClient>, StoreError> {
    Ok(api_clients::table.find(app_id).first(conn).optional()?)
}

/// Who signs as an app id: its client, operator, merchant and role, and every
/// key it has had (revoked ones too, so a refusal can say the key was revoked).
#[derive(Debug, Clone)]
pub struct Signer {
    pub client: ApiClient,
    pub operator: Operator,
    pub merchant: identity::Merchant,
    pub role: Option<Role>,
    pub keys: Vec<ApiKey>,
}

/// The [`Signer`] of `app_id`, in one query.
pub fn signer(conn: &mut DbConn, app_id: &str) -> Result<Option<Signer>, StoreError> {
    type Row = (ApiClient, Operator, identity::Merchant, Option<Role>, Option<ApiKey>);
    let rows: Vec<Row> = api_clients::table
        .inner_join(operators::table.on(operators::id.eq(api_clients::operator_id)))
        .inner_join(merchants::table.on(merchants::id.eq(api_clients::merchant_id)))
        .left_join(roles::table.on(
            roles::id.nullable().eq(operators::role_id).and(roles::merchant_id.eq(operators::merchant_id)),
        ))
        .left_join(api_keys::table.on(api_keys::app_id.eq(api_clients::app_id)))
        .filter(api_clients::app_id.eq(app_id))
        .order(api_keys::id.asc())
        .select((
            api_clients::all_columns,
            operators::all_columns,
            merchants::all_columns,
            roles::all_columns.nullable(),
            api_keys::all_columns.nullable(),
        ))
        .load(conn)?;
    let mut rows = rows.into_iter();
    let Some((client, operator, merchant, role, first)) = rows.next() else { return Ok(None) };
    let keys = first.into_iter().chain(rows.filter_map(|(_, _, _, _, k)| k)).collect();
    Ok(Some(Signer { client, operator, merchant, role, keys }))
}

pub fn clients_of(conn: &mut DbConn, merchant_id: i64) -> Result<Vec<ApiClient>, StoreError> {
    Ok(api_clients::table
        .filter(api_clients::merchant_id.eq(merchant_id))
        .order(api_clients::created_at.asc())
        .load(conn)?)
}

/// Registers a public key for the client; its other keys stay live (rotation
/// with an overlap) until revoked.
pub fn add_key(
    conn: &mut DbConn,
    app_id: &str,
    algorithm: &str,
    pem: &str,
    at: NaiveDateTime,
) -> Result<ApiKey, StoreError> {
    let id = diesel::insert_into(api_keys::table)
        .values((
            api_keys::app_id.eq(app_id),
            api_keys::algorithm.eq(algorithm),
            api_keys::public_key.eq(pem),
            api_keys::created_at.eq(at),
        ))
        .returning(api_keys::id)
        .get_result::<i64>(conn)?;
    Ok(api_keys::table.find(id).first(conn)?)
}

/// Every key of the client, live or revoked, oldest first.
pub fn keys(conn: &mut DbConn, app_id: &str) -> Result<Vec<ApiKey>, StoreError> {
    Ok(api_keys::table.filter(api_keys::app_id.eq(app_id)).order(api_keys::id.asc()).load(conn)?)
}

/// Revokes one of the client's keys; false when it isn't one or was revoked.
pub fn revoke_key(
    conn: &mut DbConn,
    app_id: &str,
    key_id: i64,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let n = diesel::update(
        api_keys::table
            .find(key_id)
            .filter(api_keys::app_id.eq(app_id))
            .filter(api_keys::revoked_at.is_null()),
    )
    .set(api_keys::revoked_at.eq(Some(at)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Claims a nonce for the app: false when it was seen before. One statement
/// that never fails on a duplicate (`ON CONFLICT DO NOTHING`), so it can run
/// inside the request's own transaction: of two requests racing with one nonce
/// on PostgreSQL, the second waits for the first's transaction and claims the
/// nonce only if that one rolled back.
pub fn claim_nonce(
    conn: &mut DbConn,
    app_id: &str,
    nonce: &str,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    // Said on each backend's own connection (the two-backend one has no
    // upsert), so the statement is prepared once.
    let insert = diesel::insert_into(gateway_nonces::table)
        .values((
            gateway_nonces::app_id.eq(app_id),
            gateway_nonces::nonce.eq(nonce),
            gateway_nonces::seen_at.eq(at),
        ))
        .on_conflict_do_nothing();
    let inserted = match conn {
        DbConn::Pg(pg) => insert.execute(pg)?,
        DbConn::Sqlite(sqlite) => insert.execute(sqlite)?,
    };
    Ok(inserted == 1)
}

/// Forgets nonces seen before `before` (a request that old is refused as stale
/// anyway); the jobs run it now and then, not each request. Returns how many.
pub fn forget_nonces(conn: &mut DbConn, before: NaiveDateTime) -> Result<usize, StoreError> {
    Ok(diesel::delete(gateway_nonces::table.filter(gateway_nonces::seen_at.lt(before))).execute(conn)?)
}
