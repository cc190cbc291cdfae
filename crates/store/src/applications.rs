//! Applications and their lines. Status changes are conditional updates (`WHERE
//! status = <expected>`), so two reviewers acting at once can't both win.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use paydesk_domain::application::{ApplicationKind, ApplicationStatus, TradeNo};
use paydesk_domain::draft::{PayeeKind, PayoutSpeed};
use paydesk_domain::permissions::ReviewMode;
use paydesk_domain::states::LineStatus;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::{application_lines, applications, merchant_batch_numbers, merchant_order_numbers};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Application {
    pub id: i64,
    pub merchant_id: i64,
    #[diesel(deserialize_as = String)]
    pub kind: ApplicationKind,
    #[diesel(deserialize_as = String)]
    pub status: ApplicationStatus,
    pub total_amount: i64,
    pub total_fee: i64,
    pub line_count: i32,
    pub remark: String,
    pub created_by: i64,
    pub reviewed_by: Option<i64>,
    pub review_remark: Option<String>,
    pub reviewed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// 交易订单号, the number people see.
    pub trade_no: String,
    /// The review policy it was submitted under.
    #[diesel(deserialize_as = String)]
    pub review_mode: ReviewMode,
    /// 商户批次号, for a batch from a file.
    pub batch_no: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Line {
    pub id: i64,
    pub application_id: i64,
    pub line_no: i32,
    #[diesel(deserialize_as = String)]
    pub payee_kind: PayeeKind,
    pub payee_account: String,
    pub payee_name: String,
    pub amount: i64,
    pub fee: i64,
    pub remark: String,
    pub notify_phone: Option<String>,
    pub merchant_order_no: Option<String>,
    pub payee_bank: Option<String>,
    pub payee_branch: Option<String>,
    pub payout_speed: Option<String>,
    /// 交易订单号 of the line.
    pub trade_no: String,
    #[diesel(deserialize_as = String)]
    pub status: LineStatus,
    /// Why the line failed or came back.
    pub failure_reason: Option<String>,
}

impl Line {
    /// How fast the bank pays a bank line out; none for a platform transfer.
    pub fn speed(&self) -> Option<PayoutSpeed> {
        self.payout_speed.as_deref().and_then(PayoutSpeed::parse)
    }
}

/// A line to create.
#[derive(Debug, Clone)]
pub struct NewLine {
    /// 交易订单号 of the line.
    pub trade_no: String,
    pub payee_kind: String,
    pub payee_account: String,
    pub payee_name: String,
    pub amount: i64,
    pub fee: i64,
    pub remark: String,
    pub notify_phone: Option<String>,
    pub merchant_order_no: Option<String>,
    /// For bank-account lines: the bank code, branch name and `standard` or `fast`.
    pub payee_bank: Option<String>,
    pub payee_branch: Option<String>,
    pub payout_speed: Option<String>,
}

impl NewLine {
    /// A checked draft line, under its number.
    pub fn of(l: &paydesk_domain::draft::DraftLine, trade_no: &TradeNo) -> NewLine {
        NewLine {
            trade_no: trade_no.as_str().to_owned(),
            payee_kind: l.payee_kind.as_str().to_owned(),
            payee_account: l.payee_account.clone(),
            payee_name: l.payee_name.clone(),
            amount: l.amount.fen(),
            fee: l.fee.fen(),
            remark: l.remark.clone(),
            notify_phone: l.notify_phone.as_ref().map(|p| p.as_str().to_owned()),
            merchant_order_no: l.merchant_order_no.as_ref().map(|n| n.as_str().to_owned()),
            payee_bank: l.bank.clone(),
            payee_branch: l.branch.clone(),
            payout_speed: l.speed.map(|s| s.as_str().to_owned()),
        }
    }
}

pub struct NewApplication<'a> {
    pub merchant_id: i64,
    pub trade_no: &'a str,
    pub kind: &'a str,
    pub remark: &'a str,
    pub created_by: i64,
    pub lines: &'a [NewLine],
    /// The merchant's review policy for this kind, now.
    pub review_mode: ReviewMode,
    pub at: NaiveDateTime,
    /// 商户批次号, unique per merchant for ever.
    pub batch_no: Option<&'a str>,
}

/// Creates the application in `pending_review` with its lines; returns them
/// as stored (each insert answers its row: no read after).
pub fn create(conn: &mut DbConn, new: &NewApplication<'_>) -> Result<(Application, Vec<Line>), StoreError> {
    let total_amount: i64 = new.lines.iter().map(|l| l.amount).sum();
    let total_fee: i64 = new.lines.iter().map(|l| l.fee).sum();
    if let ([only], DbConn::Pg(pg)) = (new.lines, &mut *conn) {
        // A single operation: the application and its line in one statement.
        let (app, line) =
            OneLine { new, line: only, total_amount, total_fee }.get_result::<(Application, Line)>(pg)?;
        if let Some(no) = new.batch_no {
            claim_batch_no(conn, new.merchant_id, no, app.id)?;
        }
        if let Some(no) = &only.merchant_order_no {
            claim_order_no(conn, new.merchant_id, no, app.id)?;
        }
        return Ok((app, vec![line]));
    }
    let app = diesel::insert_into(applications::table)
        .values((
            applications::merchant_id.eq(new.merchant_id),
            applications::trade_no.eq(new.trade_no),
            applications::kind.eq(new.kind),
            applications::status.eq(ApplicationStatus::PendingReview.as_str()),
            applications::total_amount.eq(total_amount),
            applications::total_fee.eq(total_fee),
            applications::line_count.eq(i32::try_from(new.lines.len()).unwrap_or(i32::MAX)),
            applications::remark.eq(new.remark),
            applications::created_by.eq(new.created_by),
            applications::review_mode.eq(new.review_mode.as_str()),
            applications::batch_no.eq(new.batch_no),
            applications::created_at.eq(new.at),
            applications::updated_at.eq(new.at),
        ))
        .returning(applications::all_columns)
        .get_result::<Application>(conn)?;
    let id = app.id;
    if let Some(no) = new.batch_no {
        claim_batch_no(conn, new.merchant_id, no, id)?;
    }
    let mut lines = Vec::with_capacity(new.lines.len());
    for (i, l) in new.lines.iter().enumerate() {
        let line = diesel::insert_into(application_lines::table)
            .values((
                application_lines::application_id.eq(id),
                application_lines::trade_no.eq(&l.trade_no),
                application_lines::line_no.eq(i32::try_from(i + 1).unwrap_or(i32::MAX)),
                application_lines::payee_kind.eq(&l.payee_kind),
                application_lines::payee_account.eq(&l.payee_account),
                application_lines::payee_name.eq(&l.payee_name),
                application_lines::amount.eq(l.amount),
                application_lines::fee.eq(l.fee),
                application_lines::remark.eq(&l.remark),
                application_lines::notify_phone.eq(&l.notify_phone),
                application_lines::merchant_order_no.eq(&l.merchant_order_no),
                application_lines::payee_bank.eq(&l.payee_bank),
                application_lines::payee_branch.eq(&l.payee_branch),
                application_lines::payout_speed.eq(&l.payout_speed),
            ))
            .returning(application_lines::all_columns)
            .get_result::<Line>(conn)?;
        if let Some(no) = &l.merchant_order_no {
            claim_order_no(conn, new.merchant_id, no, id)?;
        }
        lines.push(line);
    }
    Ok((app, lines))
}

/// [`create`]'s statement on PostgreSQL for an application of one line: the
/// application's insert as a CTE of the line's, answering both rows (one round
/// trip, not two); see `prepared`.
struct OneLine<'a> {
    new: &'a NewApplication<'a>,
    line: &'a NewLine,
    total_amount: i64,
    total_fee: i64,
}

const APPLICATION_COLUMNS: &str = "id, merchant_id, kind, status, total_amount, total_fee, line_count, remark, \
     created_by, reviewed_by, review_remark, reviewed_at, created_at, updated_at, trade_no, review_mode, batch_no";
const LINE_COLUMNS: &str = "id, application_id, line_no, payee_kind, payee_account, payee_name, amount, fee, \
     remark, notify_phone, merchant_order_no, payee_bank, payee_branch, payout_speed, trade_no, status, failure_reason";

prepared_statement!(OneLine);

impl diesel::query_builder::Query for OneLine<'_> {
    type SqlType = (applications::SqlType, application_lines::SqlType);
}

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for OneLine<'_> {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> QueryResult<()> {
        use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};
        let (new, l) = (self.new, self.line);
        out.push_sql(
            "WITH a AS (INSERT INTO applications (merchant_id, trade_no, kind, status, total_amount, total_fee, \
             line_count, remark, created_by, review_mode, batch_no, created_at, updated_at) VALUES (",
        );
        binds!(out;
            BigInt => &new.merchant_id,
            Text => new.trade_no,
            Text => new.kind,
            Text => ApplicationStatus::PendingReview.as_str(),
            BigInt => &self.total_amount,
            BigInt => &self.total_fee,
        );
        out.push_sql(", 1, ");
        binds!(out;
            Text => new.remark,
            BigInt => &new.created_by,
            Text => new.review_mode.as_str(),
            Nullable<Text> => &new.batch_no,
            Timestamp => &new.at,
            Timestamp => &new.at,
        );
        out.push_sql(") RETURNING ");
        out.push_sql(APPLICATION_COLUMNS);
        out.push_sql(
            "), l AS (INSERT INTO application_lines (application_id, trade_no, line_no, payee_kind, payee_account, \
             payee_name, amount, fee, remark, notify_phone, merchant_order_no, payee_bank, payee_branch, \
             payout_speed) SELECT a.id, ",
        );
        out.push_bind_param::<Text, _>(&l.trade_no)?;
        out.push_sql(", 1, ");
        binds!(out;
            Text => &l.payee_kind,
            Text => &l.payee_account,
            Text => &l.payee_name,
            BigInt => &l.amount,
            BigInt => &l.fee,
            Text => &l.remark,
            Nullable<Text> => &l.notify_phone,
            Nullable<Text> => &l.merchant_order_no,
            Nullable<Text> => &l.payee_bank,
            Nullable<Text> => &l.payee_branch,
            Nullable<Text> => &l.payout_speed,
        );
        out.push_sql(" FROM a RETURNING ");
        out.push_sql(LINE_COLUMNS);
        out.push_sql(") SELECT a.*, l.* FROM a, l");
        Ok(())
    }
}

/// Who submits an application, under which review policy, when.
#[derive(Debug, Clone, Copy)]
pub struct Submitted {
    pub merchant_id: i64,
    pub by: i64,
    pub review_mode: ReviewMode,
    pub at: NaiveDateTime,
}

/// Creates the application of a checked draft in `pending_review`; returns it
/// with its lines.
pub fn create_from_draft(
    conn: &mut DbConn,
    submitted: Submitted,
    trade_no: &TradeNo,
    mut line_no: impl FnMut() -> TradeNo,
    draft: &paydesk_domain::draft::Draft,
) -> Result<(Application, Vec<Line>), StoreError> {
    let Submitted { merchant_id, by: created_by, review_mode, at } = submitted;
    let lines: Vec<NewLine> = draft.lines.iter().map(|l| NewLine::of(l, &line_no())).collect();
    create(
        conn,
        &NewApplication {
            merchant_id,
            trade_no: trade_no.as_str(),
            kind: draft.kind.as_str(),
            remark: &draft.remark,
            created_by,
            lines: &lines,
            review_mode,
            at,
            batch_no: draft.batch_no.as_ref().map(|b| b.as_str()),
        },
    )
}

/// Reserves a merchant order number for the application; a number used before
/// (by any application of this merchant, in any state) is refused. The primary
/// key decides, so two requests racing for one number can't both win.
fn claim_order_no(
    conn: &mut DbConn,
    merchant_id: i64,
    no: &str,
    application_id: i64,
) -> Result<(), StoreError> {
    let inserted = diesel::insert_into(merchant_order_numbers::table)
        .values((
            merchant_order_numbers::merchant_id.eq(merchant_id),
            merchant_order_numbers::order_no.eq(no),
            merchant_order_numbers::application_id.eq(application_id),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(()),
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            Err(StoreError::OrderNoTaken(no.to_owned()))
        }
        Err(e) => Err(e.into()),
    }
}

/// Reserves a 商户批次号 for the application, as [`claim_order_no`] does.
fn claim_batch_no(
    conn: &mut DbConn,
    merchant_id: i64,
    no: &str,
    application_id: i64,
) -> Result<(), StoreError> {
    let inserted = diesel::insert_into(merchant_batch_numbers::table)
        .values((
            merchant_batch_numbers::merchant_id.eq(merchant_id),
            merchant_batch_numbers::batch_no.eq(no),
            merchant_batch_numbers::application_id.eq(application_id),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(()),
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            Err(StoreError::BatchNoTaken(no.to_owned()))
        }
        Err(e) => Err(e.into()),
    }
}

/// Which of `batch_no` and `order_nos` the merchant has used already, for a
/// batch file's check before anything is written.
pub fn used_numbers(
    conn: &mut DbConn,
    merchant_id: i64,
    batch_no: Option<&str>,
    order_nos: &[&str],
) -> Result<(bool, Vec<String>), StoreError> {
    let batch_used = match batch_no {
        Some(no) => {
            merchant_batch_numbers::table.find((merchant_id, no)).count().get_result::<i64>(conn)? > 0
        }
        None => false,
    };
    let mut used = Vec::new();
    for chunk in order_nos.chunks(500) {
        used.extend(
            merchant_order_numbers::table
                .filter(merchant_order_numbers::merchant_id.eq(merchant_id))
                .filter(merchant_order_numbers::order_no.eq_any(chunk))
                .select(merchant_order_numbers::order_no)
                .load::<String>(conn)?,
        );
    }
    Ok((batch_used, used))
}

/// Sets every line of an application to `to` (a transfer paid in one entry).
pub fn set_lines_status(conn: &mut DbConn, application_id: i64, to: LineStatus) -> Result<(), StoreError> {
    diesel::update(application_lines::table.filter(application_lines::application_id.eq(application_id)))
        .set(application_lines::status.eq(to.as_str()))
        .execute(conn)?;
    Ok(())
}

/// Sets one line's status (and why, when it failed or came back).
pub fn set_line_status(
    conn: &mut DbConn,
    line_id: i64,
    to: LineStatus,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    diesel::update(application_lines::table.find(line_id))
        .set((application_lines::status.eq(to.as_str()), application_lines::failure_reason.eq(reason)))
        .execute(conn)?;
    Ok(())
}

/// The application with this 交易订单号, if it is the merchant's.
pub fn find_by_trade_no(conn: &mut DbConn, merchant_id: i64, no: &str) -> Result<Option<i64>, StoreError> {
    Ok(applications::table
        .filter(applications::merchant_id.eq(merchant_id))
        .filter(applications::trade_no.eq(no))
        .select(applications::id)
        .first(conn)
        .optional()?)
}

/// The batch that used 商户批次号 `no`, if any.
pub fn find_by_batch_no(conn: &mut DbConn, merchant_id: i64, no: &str) -> Result<Option<i64>, StoreError> {
    Ok(merchant_batch_numbers::table
        .find((merchant_id, no))
        .select(merchant_batch_numbers::application_id)
        .first(conn)
        .optional()?)
}

/// The application that used `no`, if any.
pub fn find_by_order_no(conn: &mut DbConn, merchant_id: i64, no: &str) -> Result<Option<i64>, StoreError> {
    Ok(merchant_order_numbers::table
        .find((merchant_id, no))
        .select(merchant_order_numbers::application_id)
        .first(conn)
        .optional()?)
}

/// Takes the application's row for the rest of the transaction (a no-op
/// update: on PostgreSQL the row lock holds to the commit; SQLite's write
/// transactions are exclusive already), so its lines' answers are tallied one
/// transaction after another.
pub fn lock(conn: &mut DbConn, id: i64) -> Result<(), StoreError> {
    diesel::update(applications::table.find(id))
        .set(applications::status.eq(applications::status))
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, merchant_id: i64, id: i64) -> Result<Option<Application>, StoreError> {
    Ok(applications::table
        .find(id)
        .filter(applications::merchant_id.eq(merchant_id))
        .first(conn)
        .optional()?)
}

pub fn lines(conn: &mut DbConn, application_id: i64) -> Result<Vec<Line>, StoreError> {
    Ok(application_lines::table
        .filter(application_lines::application_id.eq(application_id))
        .order(application_lines::line_no.asc())
        .load(conn)?)
}

/// Moves the application from `from` to `to`; false when it was no longer in
/// `from` (someone else moved it first).
pub fn transition(
    conn: &mut DbConn,
    id: i64,
    from: ApplicationStatus,
    to: ApplicationStatus,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let n = diesel::update(applications::table.find(id).filter(applications::status.eq(from.as_str())))
        .set((applications::status.eq(to.as_str()), applications::updated_at.eq(at)))
        .execute(conn)?;
    Ok(n == 1)
}

/// Records who reviewed and why.
pub fn record_review(
    conn: &mut DbConn,
    id: i64,
    reviewer: i64,
    remark: Option<&str>,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(applications::table.find(id))
        .set((
            applications::reviewed_by.eq(Some(reviewer)),
            applications::review_remark.eq(remark),
            applications::reviewed_at.eq(Some(at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Newest first, optionally one kind and one status.
pub fn list(
    conn: &mut DbConn,
    merchant_id: i64,
    kind: Option<&str>,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Application>, i64), StoreError> {
    let mut rows = applications::table.filter(applications::merchant_id.eq(merchant_id)).into_boxed();
    let mut count =
        applications::table.filter(applications::merchant_id.eq(merchant_id)).count().into_boxed();
    if let Some(k) = kind {
        rows = rows.filter(applications::kind.eq(k.to_owned()));
        count = count.filter(applications::kind.eq(k.to_owned()));
    }
    if let Some(s) = status {
        rows = rows.filter(applications::status.eq(s.to_owned()));
        count = count.filter(applications::status.eq(s.to_owned()));
    }
    let total = count.get_result(conn)?;
    Ok((rows.order(applications::id.desc()).limit(limit).offset(offset).load(conn)?, total))
}

/// What to look for in a merchant's applications (the review and record pages).
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub kinds: Option<Vec<String>>,
    pub statuses: Option<Vec<String>>,
    /// Created at or after.
    pub from: Option<NaiveDateTime>,
    /// Created before.
    pub to: Option<NaiveDateTime>,
    /// One application (the keyword resolved to an id).
    pub id: Option<i64>,
    /// Leave out this operator's own applications.
    pub not_created_by: Option<i64>,
}

/// Newest first, with the total count.
pub fn search(
    conn: &mut DbConn,
    merchant_id: i64,
    s: &Search,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Application>, i64), StoreError> {
    let filtered = || {
        let mut q = applications::table.filter(applications::merchant_id.eq(merchant_id)).into_boxed();
        if let Some(k) = &s.kinds {
            q = q.filter(applications::kind.eq_any(k.clone()));
        }
        if let Some(st) = &s.statuses {
            q = q.filter(applications::status.eq_any(st.clone()));
        }
        if let Some(from) = s.from {
            q = q.filter(applications::created_at.ge(from));
        }
        if let Some(to) = s.to {
            q = q.filter(applications::created_at.lt(to));
        }
        if let Some(id) = s.id {
            q = q.filter(applications::id.eq(id));
        }
        if let Some(op) = s.not_created_by {
            q = q.filter(applications::created_by.ne(op));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered().order(applications::id.desc()).limit(limit).offset(offset).load(conn)?;
    Ok((rows, total))
}

/// Several applications of one merchant by id (those that exist), in id order.
pub fn find_many(conn: &mut DbConn, merchant_id: i64, ids: &[i64]) -> Result<Vec<Application>, StoreError> {
    Ok(applications::table
        .filter(applications::merchant_id.eq(merchant_id))
        .filter(applications::id.eq_any(ids.to_vec()))
        .order(applications::id.asc())
        .load(conn)?)
}
