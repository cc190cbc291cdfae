//! 日志查询: the append-only operation log, and the payment-password unlock of a
//! session for the operator pages.

use chrono::{NaiveDateTime, Timelike};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::{operation_log, operation_log_head, session_unlocks};

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
    /// The hash of the entry before (empty for the first, for entries written
    /// before the chain began, and for entries not sealed yet).
    pub prev_hash: String,
    pub hash: String,
    /// The entry's place in the chain: `None` until [`seal`] gives it one, 0
    /// for entries written before the chain began.
    pub seq: Option<i64>,
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

/// An entry's hash: SHA-256 over the previous hash and every field, each
/// length-prefixed so no two entries read alike.
fn chain_hash(prev: &str, e: &Entry) -> String {
    use sha2::{Digest, Sha256};
    let at = e.at.format("%Y-%m-%d %H:%M:%S%.6f").to_string();
    let fields = [
        prev.to_owned(),
        e.merchant_id.map(|v| v.to_string()).unwrap_or_default(),
        e.operator_id.map(|v| v.to_string()).unwrap_or_default(),
        e.staff_id.map(|v| v.to_string()).unwrap_or_default(),
        e.action.clone(),
        e.target.clone(),
        e.status.to_string(),
        e.ip.clone(),
        at,
    ];
    let mut h = Sha256::new();
    for f in &fields {
        h.update((f.len() as u64).to_be_bytes());
        h.update(f.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends one entry, waiting for its seal ([`seal`]): a plain insert, so
/// writers of the log never wait for each other. There is no update and no
/// delete but the seal's.
pub fn record(conn: &mut DbConn, e: &NewEntry<'_>) -> Result<(), StoreError> {
    let at = stored_at(e.at);
    diesel::insert_into(operation_log::table)
        .values((
            operation_log::merchant_id.eq(e.merchant_id),
            operation_log::operator_id.eq(e.operator_id),
            operation_log::staff_id.eq(e.staff_id),
            operation_log::action.eq(e.action),
            operation_log::target.eq(e.target),
            operation_log::status.eq(i32::from(e.status)),
            operation_log::ip.eq(e.ip),
            operation_log::at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Appends one entry ([`record`]) and spends a signed request's nonce with it
/// (`crate::gateway::claim_nonce`): false when the nonce was spent before —
/// the caller rolls the transaction back. On PostgreSQL one statement (the
/// entry's insert as a CTE of the nonce's), so a signed change pays no round
/// trip for its nonce.
pub fn record_spending_nonce(
    conn: &mut DbConn,
    e: &NewEntry<'_>,
    (app_id, nonce, seen_at): (&str, &str, NaiveDateTime),
) -> Result<bool, StoreError> {
    match conn {
        DbConn::Pg(pg) => {
            let query =
                LineAndNonce { e, at: stored_at(e.at), status: i32::from(e.status), app_id, nonce, seen_at };
            Ok(diesel::RunQueryDsl::execute(query, pg)? == 1)
        }
        DbConn::Sqlite(_) => {
            record(conn, e)?;
            crate::gateway::claim_nonce(conn, app_id, nonce, seen_at)
        }
    }
}

/// [`record_spending_nonce`]'s statement on PostgreSQL; see `prepared`.
struct LineAndNonce<'a> {
    e: &'a NewEntry<'a>,
    at: NaiveDateTime,
    status: i32,
    app_id: &'a str,
    nonce: &'a str,
    seen_at: NaiveDateTime,
}

prepared_statement!(LineAndNonce);

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for LineAndNonce<'_> {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> QueryResult<()> {
        use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamp};
        out.push_sql(
            "WITH line AS (INSERT INTO operation_log \
             (merchant_id, operator_id, staff_id, action, target, status, ip, at) VALUES (",
        );
        binds!(out;
            Nullable<BigInt> => &self.e.merchant_id,
            Nullable<BigInt> => &self.e.operator_id,
            Nullable<BigInt> => &self.e.staff_id,
            Text => self.e.action,
            Text => self.e.target,
            Integer => &self.status,
            Text => self.e.ip,
            Timestamp => &self.at,
        );
        out.push_sql(")) INSERT INTO gateway_nonces (app_id, nonce, seen_at) VALUES (");
        binds!(out; Text => self.app_id, Text => self.nonce, Timestamp => &self.seen_at);
        out.push_sql(") ON CONFLICT DO NOTHING");
        Ok(())
    }
}

/// Stored timestamps keep microseconds; the chain hashes what is read back.
fn stored_at(at: NaiveDateTime) -> NaiveDateTime {
    at.with_nanosecond(at.nanosecond() / 1000 * 1000).unwrap_or(at)
}

/// Seals up to `limit` committed entries into the hash chain, oldest first:
/// each gets the next place, the hash of the entry before and its own; the
/// head moves on. The head row is locked, so sealers (one per process) take
/// turns and no entry is sealed twice. Returns how many it sealed. Call inside
/// [`crate::Store::write`]; the jobs run it every tick, so an entry waits about
/// a second — the only time it can be removed unnoticed.
pub fn seal(conn: &mut DbConn, limit: i64) -> Result<usize, StoreError> {
    let waiting = || operation_log::table.filter(operation_log::seq.is_null()).order(operation_log::id.asc());
    if waiting().select(operation_log::id).first::<i64>(conn).optional()?.is_none() {
        return Ok(0);
    }
    diesel::update(operation_log_head::table.find(1))
        .set(operation_log_head::hash.eq(operation_log_head::hash))
        .execute(conn)?;
    let (mut prev, mut seq): (String, i64) = operation_log_head::table
        .find(1)
        .select((operation_log_head::hash, operation_log_head::seq))
        .first(conn)?;
    // Read after the lock: what another sealer finished meanwhile is gone from the list.
    let entries: Vec<Entry> = waiting().limit(limit).load(conn)?;
    if entries.is_empty() {
        return Ok(0);
    }
    // One statement seals them all: each row's place and hashes as a VALUES
    // row (the same SQL on both backends; hashes are hex, ids and places
    // numbers, so they are written into it as they are).
    let mut rows = Vec::with_capacity(entries.len());
    for e in &entries {
        seq += 1;
        let hash = chain_hash(&prev, e);
        if !prev.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(StoreError::Corrupt(format!("the chain's head hash is not hex: {prev:?}")));
        }
        rows.push(format!("({}, {seq}, '{prev}', '{hash}')", e.id));
        prev = hash;
    }
    diesel::connection::SimpleConnection::batch_execute(
        conn,
        &format!(
            "UPDATE operation_log SET seq = v.column2, prev_hash = v.column3, hash = v.column4 \
             FROM (VALUES {}) AS v WHERE operation_log.id = v.column1",
            rows.join(", ")
        ),
    )?;
    diesel::update(operation_log_head::table.find(1))
        .set((operation_log_head::hash.eq(&prev), operation_log_head::seq.eq(seq)))
        .execute(conn)?;
    Ok(entries.len())
}

/// What `verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verified {
    /// Entries in the chain.
    pub chained: u64,
    /// Entries written before the chain began.
    pub unchained: u64,
    /// Entries waiting for their seal.
    pub waiting: u64,
    /// Each break: the entry id (0 for the head) and what is wrong.
    pub breaks: Vec<(i64, String)>,
}

/// Walks the whole chain in its order and recomputes every hash: an edited,
/// removed or inserted entry, or a removed newest one, shows as a break.
pub fn verify(conn: &mut DbConn) -> Result<Verified, StoreError> {
    let count = |conn: &mut DbConn, seq: Option<i64>| -> Result<u64, StoreError> {
        let q = operation_log::table.count();
        let n: i64 = match seq {
            None => q.filter(operation_log::seq.is_null()).get_result(conn)?,
            Some(s) => q.filter(operation_log::seq.eq(s)).get_result(conn)?,
        };
        Ok(u64::try_from(n).unwrap_or(0))
    };
    let mut out =
        Verified { unchained: count(conn, Some(0))?, waiting: count(conn, None)?, ..Verified::default() };
    let mut prev = String::new();
    let mut after = 0i64;
    loop {
        let page: Vec<Entry> = operation_log::table
            .filter(operation_log::seq.gt(after))
            .order(operation_log::seq.asc())
            .limit(1000)
            .load(conn)?;
        let Some(last) = page.last() else { break };
        after = last.seq.unwrap_or(after);
        for e in page {
            out.chained += 1;
            if e.prev_hash != prev {
                out.breaks
                    .push((e.id, "does not follow the entry before it (one was removed or inserted)".into()));
            }
            if chain_hash(&e.prev_hash, &e) != e.hash {
                out.breaks.push((e.id, "its content does not match its hash (it was edited)".into()));
            }
            prev = e.hash;
        }
    }
    let head: String = operation_log_head::table.find(1).select(operation_log_head::hash).first(conn)?;
    if head != prev {
        out.breaks.push((0, "the newest entries are missing (the head points past the last entry)".into()));
    }
    Ok(out)
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
