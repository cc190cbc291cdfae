//! Ledger accounts, journal entries and the account statement.
//!
//! The functions here take a connection so that callers can compose them inside
//! one transaction ([`crate::Store::write`]); [`post_entry`] must run inside one.

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use paydesk_domain::ledger::{
    reconcile, AccountFigures, AccountId, AccountKind, Discrepancy, EntryFigures, JournalEntry, Posting,
};

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::{accounts, journal_entries, postings, statement_rows};

pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub code: String,
    pub kind: AccountKind,
    pub merchant_id: Option<i64>,
    pub balance: i64,
}

#[derive(Queryable)]
struct AccountRow {
    id: i64,
    code: String,
    kind: String,
    merchant_id: Option<i64>,
    balance: i64,
    #[allow(dead_code)]
    created_at: NaiveDateTime,
}

impl AccountRow {
    fn into_account(self) -> Result<Account, StoreError> {
        let kind = AccountKind::parse(&self.kind)
            .ok_or_else(|| StoreError::Migration(format!("unknown account kind {}", self.kind)))?;
        Ok(Account {
            id: self.id,
            code: self.code,
            kind,
            merchant_id: self.merchant_id,
            balance: self.balance,
        })
    }
}

/// Inserts several rows in one statement. The two-backend connection can't
/// batch (its dialect is neither's), so each backend's own connection does.
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            DbConn::Pg(c) => diesel::insert_into($table).values($rows).execute(c)?,
            DbConn::Sqlite(c) => diesel::insert_into($table).values($rows).execute(c)?,
        }
    };
}

/// Opens an account with a zero balance, or returns the one that has `code`.
pub fn open_account(
    conn: &mut DbConn,
    code: &str,
    kind: AccountKind,
    merchant_id: Option<i64>,
) -> Result<Account, StoreError> {
    if let Some(existing) = find_account(conn, code)? {
        return Ok(existing);
    }
    let id = diesel::insert_into(accounts::table)
        .values((
            accounts::code.eq(code),
            accounts::kind.eq(kind.as_str()),
            accounts::merchant_id.eq(merchant_id),
            accounts::balance.eq(0i64),
            accounts::created_at.eq(now()),
        ))
        .returning(accounts::id)
        .get_result::<i64>(conn)?;
    Ok(Account { id, code: code.to_owned(), kind, merchant_id, balance: 0 })
}

pub fn find_account(conn: &mut DbConn, code: &str) -> Result<Option<Account>, StoreError> {
    accounts::table
        .filter(accounts::code.eq(code))
        .first::<AccountRow>(conn)
        .optional()?
        .map(AccountRow::into_account)
        .transpose()
}

/// The accounts that have these codes, in one query, in the order of `codes`;
/// `None` where there is none.
pub fn find_accounts<const N: usize>(
    conn: &mut DbConn,
    codes: [&str; N],
) -> Result<[Option<Account>; N], StoreError> {
    let rows: Vec<AccountRow> = accounts::table.filter(accounts::code.eq_any(codes)).load(conn)?;
    let mut found: [Option<Account>; N] = std::array::from_fn(|_| None);
    for row in rows {
        let account = row.into_account()?;
        for (slot, code) in found.iter_mut().zip(codes) {
            if account.code == code {
                *slot = Some(account.clone());
            }
        }
    }
    Ok(found)
}

pub fn account(conn: &mut DbConn, id: AccountId) -> Result<Account, StoreError> {
    accounts::table
        .find(id)
        .first::<AccountRow>(conn)
        .optional()?
        .ok_or(StoreError::UnknownAccount(id))?
        .into_account()
}

/// What a journal entry is for, kept beside its postings.
#[derive(Debug, Clone, Default)]
pub struct EntryMeta<'a> {
    /// The kind of movement: `recharge`, `transfer`, `withdrawal`, ...
    pub kind: &'a str,
    /// The application or order the entry belongs to.
    pub reference: Option<&'a str>,
    /// Shown on the account statement.
    pub remark: &'a str,
}

/// Writes a balanced entry: for each posting one conditional balance update, the
/// posting row, and a statement row for statement-keeping accounts.
///
/// A debit is one statement, `UPDATE ... SET balance = balance + amount WHERE id = ?
/// AND balance + amount >= 0`; zero rows updated means the money isn't there and the
/// whole entry fails with [`StoreError::InsufficientBalance`]. Call inside
/// [`crate::Store::write`] so a failure leaves nothing behind.
pub fn post_entry(conn: &mut DbConn, entry: &JournalEntry, meta: &EntryMeta<'_>) -> Result<(), StoreError> {
    post_entry_at(conn, entry, meta, now())
}

/// [`post_entry`] recorded at the business time `at` (a day's settlement, a
/// bank's payment), never later than now: a book has no rows from the future.
pub fn post_entry_at(
    conn: &mut DbConn,
    entry: &JournalEntry,
    meta: &EntryMeta<'_>,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    let at = at.min(now());
    let ordered = entry.postings_in_apply_order();
    if let DbConn::Pg(pg) = conn {
        return post_on_postgres(pg, &ordered, meta, at);
    }
    let entry_id = diesel::insert_into(journal_entries::table)
        .values((
            journal_entries::kind.eq(meta.kind),
            journal_entries::reference.eq(meta.reference),
            journal_entries::remark.eq(meta.remark),
            journal_entries::created_at.eq(at),
        ))
        .returning(journal_entries::id)
        .get_result::<i64>(conn)?;
    // The postings first: they lock nothing. The balances last, so a busy
    // account's row is locked for as little of the transaction as can be.
    let rows: Vec<_> = ordered
        .iter()
        .map(|p| {
            (
                postings::entry_id.eq(entry_id),
                postings::account_id.eq(p.account),
                postings::amount.eq(p.amount),
                postings::created_at.eq(at),
            )
        })
        .collect();
    insert_rows!(conn, postings::table, &rows);
    let mut statements = Vec::with_capacity(ordered.len());
    for posting in &ordered {
        let (kind, balance_after) = apply(conn, posting)?;
        if AccountKind::parse(&kind).is_some_and(AccountKind::has_statement) {
            statements.push((posting, balance_after));
        }
    }
    let rows: Vec<_> = statements
        .into_iter()
        .map(|(posting, balance_after)| {
            (
                statement_rows::account_id.eq(posting.account),
                statement_rows::entry_id.eq(entry_id),
                statement_rows::amount.eq(posting.amount),
                statement_rows::balance_after.eq(balance_after),
                statement_rows::remark.eq(meta.remark),
                statement_rows::created_at.eq(at),
            )
        })
        .collect();
    if !rows.is_empty() {
        insert_rows!(conn, statement_rows::table, &rows);
    }
    Ok(())
}

/// [`post_entry_at`] on PostgreSQL: the same rows in one round trip, through
/// the function `paydesk_post_entry` (migrations 23 and 24) — the entry and
/// its postings, then, queued for the first account by an advisory lock held
/// to the commit, each balance in order and the statement rows; a shortfall
/// raises, naming the account. Writers of one account wait in turn rather than
/// all waking at each commit to race for its row. The lock is taken just
/// before the row locks, in their order, so it adds no deadlock the row locks
/// don't have.
fn post_on_postgres(
    pg: &mut diesel::PgConnection,
    ordered: &[Posting],
    meta: &EntryMeta<'_>,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    use diesel::connection::SimpleConnection;
    pg.batch_execute(&posting_call(ordered, meta, at)?).map_err(refusal)
}

/// The call of `paydesk_post_entry` for an entry, its values written into the
/// SQL text: sent by the simple query protocol, which has no parameters but
/// carries several statements in one message (a [`Last`] entry and the COMMIT).
fn posting_call(ordered: &[Posting], meta: &EntryMeta<'_>, at: NaiveDateTime) -> Result<String, StoreError> {
    use crate::db::pg_literal as lit;
    let ids: Vec<String> = ordered.iter().map(|p| p.account.to_string()).collect();
    let amounts: Vec<String> = ordered.iter().map(|p| p.amount.to_string()).collect();
    let kinds = AccountKind::ALL
        .into_iter()
        .filter(|k| k.has_statement())
        .map(|k| lit(k.as_str()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(format!(
        "SELECT paydesk_post_entry({}, {}, {}, '{}'::timestamp, ARRAY[{}]::bigint[], ARRAY[{}]::bigint[], {}, ARRAY[{}]::text[])",
        lit(meta.kind)?,
        meta.reference.map_or(Ok("NULL".to_owned()), lit)?,
        lit(meta.remark)?,
        at.format("%Y-%m-%d %H:%M:%S%.6f"),
        ids.join(", "),
        amounts.join(", "),
        lit(AccountKind::PlatformBankClearing.as_str())?,
        kinds.join(", "),
    ))
}

/// What `paydesk_post_entry`'s exception says: the account that was short of
/// money, or missing; any other failure as it came.
pub(crate) fn refusal(e: diesel::result::Error) -> StoreError {
    if let diesel::result::Error::DatabaseError(_, info) = &e {
        let named = |prefix: &str| {
            info.message().strip_prefix(prefix).and_then(|id| id.trim().parse::<AccountId>().ok())
        };
        if let Some(id) = named("paydesk: short account ") {
            return StoreError::InsufficientBalance(id);
        }
        if let Some(id) = named("paydesk: unknown account ") {
            return StoreError::UnknownAccount(id);
        }
    }
    StoreError::Database(e)
}

/// A journal entry to post as its transaction's last statement
/// ([`crate::Store::write_closing`]): on PostgreSQL it travels with the COMMIT
/// in one message, so the balance rows it locks — a merchant's busy account —
/// stay locked for no round trip to this process. The work before it can't
/// see its effect: only what needs nothing after it (a hold waiting for
/// review) is posted so.
#[derive(Debug, Clone)]
pub struct Last {
    entry: JournalEntry,
    kind: String,
    reference: Option<String>,
    remark: String,
    at: NaiveDateTime,
}

impl Last {
    /// `entry` at the business time `at` (never later than now, as [`post_entry_at`]).
    pub fn new(entry: JournalEntry, meta: &EntryMeta<'_>, at: NaiveDateTime) -> Last {
        Last {
            entry,
            kind: meta.kind.to_owned(),
            reference: meta.reference.map(str::to_owned),
            remark: meta.remark.to_owned(),
            at: at.min(now()),
        }
    }

    fn meta(&self) -> EntryMeta<'_> {
        EntryMeta { kind: &self.kind, reference: self.reference.as_deref(), remark: &self.remark }
    }

    /// Posts it here and now: where something follows it, and on SQLite,
    /// whose COMMIT is no round trip.
    pub fn post(&self, conn: &mut DbConn) -> Result<(), StoreError> {
        post_entry_at(conn, &self.entry, &self.meta(), self.at)
    }

    /// The statement to send before PostgreSQL's COMMIT, in the same message;
    /// should it fail, [`refusal`] reads why.
    pub(crate) fn call(&self) -> Result<String, StoreError> {
        posting_call(&self.entry.postings_in_apply_order(), &self.meta(), self.at)
    }
}

#[derive(QueryableByName)]
struct Applied {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    balance: i64,
}

/// Moves one account's balance by a posting — a debit only when the money is
/// there (the platform's bank clearing account may go negative) — in one
/// statement that answers the account's kind and new balance. SQLite's;
/// PostgreSQL's is in `paydesk_post_entry`.
fn apply(conn: &mut DbConn, posting: &Posting) -> Result<(String, i64), StoreError> {
    let sql = if posting.amount < 0 {
        "UPDATE accounts SET balance = balance + ?1 WHERE id = ?2 AND (balance >= -?1 OR kind = ?3) \
         RETURNING kind, balance"
    } else {
        "UPDATE accounts SET balance = balance + ?1 WHERE id = ?2 AND ?3 = ?3 RETURNING kind, balance"
    };
    let applied: Option<Applied> = diesel::sql_query(sql)
        .bind::<BigInt, _>(posting.amount)
        .bind::<BigInt, _>(posting.account)
        .bind::<Text, _>(AccountKind::PlatformBankClearing.as_str())
        .get_result(conn)
        .optional()?;
    match applied {
        Some(a) => Ok((a.kind, a.balance)),
        // Either the account is missing or the money isn't there.
        None if accounts::table.find(posting.account).count().get_result::<i64>(conn)? > 0 => {
            Err(StoreError::InsufficientBalance(posting.account))
        }
        None => Err(StoreError::UnknownAccount(posting.account)),
    }
}

pub fn balance(conn: &mut DbConn, id: AccountId) -> Result<i64, StoreError> {
    Ok(account(conn, id)?.balance)
}

/// One row of 收支明细.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct StatementRow {
    pub id: i64,
    pub account_id: i64,
    pub entry_id: i64,
    pub amount: i64,
    pub balance_after: i64,
    pub remark: String,
    pub created_at: NaiveDateTime,
}

/// Statement rows of one account, newest first.
pub fn statement(
    conn: &mut DbConn,
    account_id: AccountId,
    limit: i64,
    offset: i64,
) -> Result<Vec<StatementRow>, StoreError> {
    Ok(statement_rows::table
        .filter(statement_rows::account_id.eq(account_id))
        .order(statement_rows::id.desc())
        .limit(limit)
        .offset(offset)
        .load(conn)?)
}

/// Statement rows of one account within `[from, to)`, newest first, and how many there are.
pub fn statement_between(
    conn: &mut DbConn,
    account_id: AccountId,
    from: NaiveDateTime,
    to: NaiveDateTime,
    limit: i64,
    offset: i64,
) -> Result<(Vec<StatementRow>, i64), StoreError> {
    let scope = || {
        statement_rows::table
            .filter(statement_rows::account_id.eq(account_id))
            .filter(statement_rows::created_at.ge(from))
            .filter(statement_rows::created_at.lt(to))
    };
    let total = scope().count().get_result(conn)?;
    let rows = scope().order(statement_rows::id.desc()).limit(limit).offset(offset).load(conn)?;
    Ok((rows, total))
}

/// The balance after the last change before `at`, if there was one.
pub fn balance_before(
    conn: &mut DbConn,
    account_id: AccountId,
    at: NaiveDateTime,
) -> Result<Option<i64>, StoreError> {
    Ok(statement_rows::table
        .filter(statement_rows::account_id.eq(account_id))
        .filter(statement_rows::created_at.lt(at))
        .order(statement_rows::id.desc())
        .select(statement_rows::balance_after)
        .first(conn)
        .optional()?)
}

/// Sum of the postings of one account, for tests and reconciliation.
pub fn sum_of_postings(conn: &mut DbConn, id: AccountId) -> Result<i64, StoreError> {
    let amounts: Vec<i64> =
        postings::table.filter(postings::account_id.eq(id)).select(postings::amount).load(conn)?;
    Ok(amounts.iter().sum())
}

#[derive(QueryableByName)]
struct FiguresRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    balance: i64,
    #[diesel(sql_type = BigInt)]
    posted: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    last_statement: Option<i64>,
}

#[derive(QueryableByName)]
struct EntrySumRow {
    #[diesel(sql_type = BigInt)]
    entry_id: i64,
    #[diesel(sql_type = BigInt)]
    total: i64,
    #[diesel(sql_type = BigInt)]
    postings: i64,
}

/// Checks the whole ledger (see [`paydesk_domain::ledger::reconcile`]); empty means the books agree.
pub fn reconcile_all(conn: &mut DbConn) -> Result<Vec<Discrepancy>, StoreError> {
    let rows: Vec<FiguresRow> = diesel::sql_query(
        "SELECT a.id AS id, a.kind AS kind, a.balance AS balance, \
           CAST(COALESCE((SELECT SUM(p.amount) FROM postings p WHERE p.account_id = a.id), 0) AS BIGINT) AS posted, \
           (SELECT s.balance_after FROM statement_rows s WHERE s.account_id = a.id ORDER BY s.id DESC LIMIT 1) \
             AS last_statement \
         FROM accounts a ORDER BY a.id",
    )
    .load(conn)?;
    let entry_sums: Vec<EntrySumRow> = diesel::sql_query(
        "SELECT e.id AS entry_id, CAST(COALESCE(SUM(p.amount), 0) AS BIGINT) AS total, \
           CAST(COUNT(p.id) AS BIGINT) AS postings \
         FROM journal_entries e LEFT JOIN postings p ON p.entry_id = e.id \
         GROUP BY e.id HAVING COALESCE(SUM(p.amount), 0) <> 0 OR COUNT(p.id) < 2",
    )
    .load(conn)?;
    let mut figures = Vec::with_capacity(rows.len());
    for r in rows {
        let kind = AccountKind::parse(&r.kind)
            .ok_or_else(|| StoreError::Migration(format!("unknown account kind {}", r.kind)))?;
        figures.push(AccountFigures {
            account: r.id,
            kind,
            stored_balance: r.balance,
            sum_of_postings: r.posted,
            last_statement_balance: r.last_statement,
        });
    }
    let entries: Vec<EntryFigures> = entry_sums
        .into_iter()
        .map(|r| EntryFigures { entry: r.entry_id, sum: r.total, postings: r.postings })
        .collect();
    Ok(reconcile(&figures, &entries))
}
