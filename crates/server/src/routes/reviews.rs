//! 审核管理 (manual §3.5) and 申请记录 (§3.6.3): the applications waiting for the
//! signed-in reviewer, review of one or many at once, the per-kind review lists,
//! every application of the merchant, and the review policy per kind
//! (单人操作 / 多人制单复核).
//!
//! Approving needs the payment password and the second factor; rejecting needs
//! a remark. Each application is decided in its own transaction with a
//! conditional status change, so two reviewers acting at once can't both win:
//! the second gets `application_state` for it and nothing moves twice.

use paydesk_api_types::ErrorCode;
use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::Duration;
use paydesk_api_types::{
    ApplicationLine, Page, PendingCount, Problem, ReviewDetail, ReviewItem, ReviewOutcome, ReviewPolicyView,
    ReviewRequest, ReviewResult, SetReviewPolicy,
};
use paydesk_domain::application::{ApplicationKind, ApplicationStatus, TradeNo};
use paydesk_domain::permissions::{may_review, review_permission, Permissions, ReviewMode};
use paydesk_store::applications::{self, Application, Search};
use paydesk_store::{identity, roles, DbConn};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::OperatorAuth;
use crate::core;
use crate::core::review::not_found;
use crate::error::ApiError;
use crate::permits::{perm, Body, Can, Params};
use crate::query::period;
use crate::views::money_text;
use crate::{views, wrap, AppState};

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    // `/reviews/{id}` last: the named lists come first.
    cfg.service(pending)
        .service(pending_count)
        .service(review)
        .service(transfer_reviews)
        .service(withdrawal_reviews)
        .service(refund_reviews)
        .service(payroll_reviews)
        .service(review_detail)
        .service(application_records)
        .service(cancel_application)
        .service(policies)
        .service(set_policy);
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ReviewQuery {
    /// 审核类型: `transfer` (to platform and bank accounts, batches too),
    /// `withdrawal`, `refund`, `payroll`, or one exact kind.
    pub kind: Option<String>,
    /// 审核状态: `pending_review`, `approved` (审核通过: approved and everything after),
    /// `rejected`, `cancelled`, or one exact status.
    pub status: Option<String>,
    /// First day `YYYY-MM-DD`; default 30 days ago (近一个月).
    pub from: Option<String>,
    /// Last day included; default today.
    pub to: Option<String>,
    /// 关键字: an application number or a merchant order number (exact).
    pub q: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

fn kinds_of(group: &str) -> Option<Vec<ApplicationKind>> {
    use ApplicationKind as K;
    Some(match group {
        "transfer" => vec![K::Transfer, K::BankPayout, K::BatchTransfer, K::BatchBankPayout],
        "refund" => vec![K::Refund, K::BatchRefund],
        other => vec![ApplicationKind::parse(other)?],
    })
}

fn statuses_of(group: &str) -> Option<Vec<String>> {
    use ApplicationStatus as S;
    let list: Vec<S> = match group {
        "approved" => vec![S::Approved, S::Processing, S::Succeeded, S::Failed, S::PartiallySucceeded],
        other => vec![S::parse(other)?],
    };
    Some(list.into_iter().map(|s| s.as_str().to_owned()).collect())
}

/// The query as a store search, limited to `allowed` kinds.
fn search_of(
    c: &mut DbConn,
    merchant_id: i64,
    query: &ReviewQuery,
    allowed: &[ApplicationKind],
) -> Result<Search, ApiError> {
    let mut kinds: Vec<ApplicationKind> = allowed.to_vec();
    if let Some(k) = query.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        let wanted = kinds_of(k).ok_or_else(|| ApiError::field("kind", "kind_invalid", "unknown kind"))?;
        kinds.retain(|k| wanted.contains(k));
    }
    let statuses = match query.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            statuses_of(s).ok_or_else(|| ApiError::field("status", "status_invalid", "unknown status"))?,
        ),
    };
    let (from, to) = period(query.from.as_deref(), query.to.as_deref())?;
    let id = match query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        None => None,
        // A 交易订单号, else a merchant order number, else a 商户批次号; nothing
        // found matches nothing.
        Some(q) => Some(
            match TradeNo::parse(q) {
                Some(no) => applications::find_by_trade_no(c, merchant_id, no.as_str())?,
                None => None,
            }
            .map_or_else(|| applications::find_by_order_no(c, merchant_id, q), |id| Ok(Some(id)))?
            .map_or_else(|| applications::find_by_batch_no(c, merchant_id, q), |id| Ok(Some(id)))?
            .unwrap_or(-1),
        ),
    };
    Ok(Search {
        kinds: Some(kinds.iter().map(|k| k.as_str().to_owned()).collect()),
        statuses,
        from: Some(from.and_hms_opt(0, 0, 0).unwrap_or_default()),
        to: Some((to + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap_or_default()),
        id,
        not_created_by: None,
    })
}

/// Names and masks for the rows of a page.
struct Context {
    names: HashMap<i64, String>,
    held: Permissions,
    me: i64,
}

impl Context {
    fn load(c: &mut DbConn, auth: &OperatorAuth) -> Result<Context, ApiError> {
        let names = identity::operators_of(c, auth.merchant_id)?
            .into_iter()
            .map(|o| (o.id, format!("{} ({})", o.display_name, o.login_name)))
            .collect();
        Ok(Context { names, held: auth.permissions.clone(), me: auth.operator_id })
    }

    fn item(&self, c: &mut DbConn, app: &Application) -> Result<ReviewItem, ApiError> {
        let kind = app.kind;
        // A batch's row shows its count; only a single payee is looked up.
        let lines = if app.line_count == 1 { applications::lines(c, app.id)? } else { Vec::new() };
        let view = views::application(app, &lines);
        let payee = match view.lines.as_slice() {
            [one] => format!("{} {}", one.payee_name, one.payee_account),
            _ => format!("{} 笔", app.line_count),
        };
        let can_review = app.status == ApplicationStatus::PendingReview
            && may_review(&self.held, kind, app.review_mode, self.me, app.created_by).is_ok();
        let refund = kind.is_refund();
        // A refund's line pays the buyer of its trade: the row names that trade.
        let original = match lines.as_slice() {
            [one] if refund => paydesk_store::trades::by_trade_no(c, &one.payee_account)?,
            _ => None,
        };
        Ok(ReviewItem {
            id: app.id,
            trade_no: app.trade_no.clone(),
            kind: app.kind.to_string(),
            status: app.status.to_string(),
            merchant_order_no: if lines.len() == 1 { lines[0].merchant_order_no.clone() } else { None },
            batch_no: app.batch_no.clone(),
            created_at: app.created_at.and_utc().to_rfc3339(),
            total_amount: money_text(app.total_amount),
            total_fee: money_text(app.total_fee),
            total: money_text(kind.total(app.total_amount, app.total_fee)),
            line_count: u32::try_from(app.line_count).unwrap_or(0),
            applicant: self.names.get(&app.created_by).cloned().unwrap_or_default(),
            payee,
            reviewer: app.reviewed_by.and_then(|r| self.names.get(&r).cloned()),
            review_remark: app.review_remark.clone(),
            reviewed_at: app.reviewed_at.map(|t| t.and_utc().to_rfc3339()),
            can_review,
            mine: app.created_by == self.me,
            original_trade_no: original.as_ref().map(|t| t.trade_no.clone()),
            original_merchant_order_no: original.map(|t| t.merchant_order_no),
        })
    }
}

/// Runs a search and renders a page of it.
async fn page_of(
    state: &AppState,
    auth: OperatorAuth,
    query: ReviewQuery,
    allowed: Vec<ApplicationKind>,
    pending_for_me: bool,
) -> Result<web::Json<Page<ReviewItem>>, ApiError> {
    let page = query.page.unwrap_or(1).max(1);
    let per_page = query.per_page.unwrap_or(20).clamp(1, 100);
    let store = state.store.clone();
    let result = web::block(move || {
        store.read(|c| -> Result<Page<ReviewItem>, ApiError> {
            let mut search = search_of(c, auth.merchant_id, &query, &allowed)?;
            if pending_for_me {
                search.statuses = Some(vec![ApplicationStatus::PendingReview.as_str().to_owned()]);
                search.not_created_by = Some(auth.operator_id);
            }
            let (rows, total) = applications::search(
                c,
                auth.merchant_id,
                &search,
                i64::from(per_page),
                i64::from(page - 1) * i64::from(per_page),
            )?;
            let ctx = Context::load(c, &auth)?;
            let items = rows.iter().map(|a| ctx.item(c, a)).collect::<Result<Vec<_>, _>>()?;
            Ok(Page { items, page, per_page, total: u64::try_from(total).unwrap_or(0) })
        })
    })
    .await??;
    Ok(web::Json(result))
}

/// The kinds this operator may review.
fn reviewable(auth: &OperatorAuth) -> Vec<ApplicationKind> {
    ApplicationKind::ALL.into_iter().filter(|k| auth.holds(review_permission(*k))).collect()
}

/// 我的待审核: others' applications waiting for this operator
///
/// Only kinds the operator may review, newest first, 20 a page.
#[utoipa::path(
    tag = "reviews", security(("bearer" = [])), params(ReviewQuery),
    responses((status = 200, body = Page<ReviewItem>), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["my_reviews"]))),
)]
#[get("/reviews/pending")]
async fn pending(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::MyReviews>,
    query: Params<ReviewQuery>,
) -> Result<web::Json<Page<ReviewItem>>, ApiError> {
    let query = query.take()?.into_inner();
    let allowed = reviewable(&auth);
    page_of(&state, auth, query, allowed, true).await
}

/// How many applications wait for this operator (the number in the navigation)
#[utoipa::path(
    tag = "reviews", security(("bearer" = [])),
    responses((status = 200, body = PendingCount), (status = 403, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["my_reviews"]))),
)]
#[get("/reviews/pending/count")]
async fn pending_count(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::MyReviews>,
) -> Result<web::Json<PendingCount>, ApiError> {
    let kinds: Vec<String> = reviewable(&auth).iter().map(|k| k.as_str().to_owned()).collect();
    let store = state.store.clone();
    let total = web::block(move || {
        store.read(|c| {
            let search = Search {
                kinds: Some(kinds),
                statuses: Some(vec![ApplicationStatus::PendingReview.as_str().to_owned()]),
                not_created_by: Some(auth.operator_id),
                ..Search::default()
            };
            applications::search(c, auth.merchant_id, &search, 0, 0).map(|(_, n)| n)
        })
    })
    .await??;
    Ok(web::Json(PendingCount { count: u64::try_from(total).unwrap_or(0) }))
}

/// An application's review page: its lines, applicant and review
#[utoipa::path(
    tag = "reviews", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ReviewDetail), (status = 404, description = "`application_not_found`", body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["my_reviews"]))),
)]
#[get("/reviews/{id}")]
async fn review_detail(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::MyReviews>,
    id: web::Path<i64>,
) -> Result<web::Json<ReviewDetail>, ApiError> {
    let id = id.into_inner();
    let store = state.store.clone();
    let detail = web::block(move || {
        store.read(|c| -> Result<ReviewDetail, ApiError> {
            let app = applications::find(c, auth.merchant_id, id)?.ok_or_else(not_found)?;
            // Reviewers see the kinds they review.
            if !auth.holds(review_permission(app.kind)) {
                return Err(not_found());
            }
            let ctx = Context::load(c, &auth)?;
            let item = ctx.item(c, &app)?;
            let lines: Vec<ApplicationLine> = views::application(&app, &applications::lines(c, id)?).lines;
            Ok(ReviewDetail { item, remark: app.remark.clone(), lines })
        })
    })
    .await??;
    Ok(web::Json(detail))
}

/// Approve or reject pending applications (one, or the checked rows at once)
///
/// Every application must be one this operator may review (its kind's review
/// permission; under maker-checker not their own), or nothing happens.
/// Approving takes the payment password and the SMS code and executes each
/// application: a transfer pays out, a withdrawal or bank payout goes to the
/// bank. Rejecting takes a remark and gives the held money back. Each result
/// says what became of its application; one reviewed meanwhile by someone else
/// answers `application_state` and is left as it is.
#[utoipa::path(
    tag = "reviews", security(("bearer" = [])), request_body = ReviewRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry replay the first answer")),
    responses(
        (status = 200, body = ReviewOutcome),
        (status = 403, description = "`permission_denied` or `own_application`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`application_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, password or code errors", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["my_reviews"]))),
)]
#[post("/reviews")]
async fn review(
    state: web::Data<AppState>,
    req: HttpRequest,
    Can(auth, _): Can<perm::MyReviews>,
    body: Body<ReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    wrap::money(state, req, auth, body, StatusCode::OK, core::review::decide).await
}

/// 转账审核: transfers to platform and bank accounts, with their review status
#[utoipa::path(
    tag = "reviews", security(("bearer" = [])), params(ReviewQuery),
    responses((status = 200, body = Page<ReviewItem>), (status = 403, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["review_transfer", "review_bank_payout"]))),
)]
#[get("/reviews/transfers")]
async fn transfer_reviews(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::ReviewTransfers>,
    query: Params<ReviewQuery>,
) -> Result<web::Json<Page<ReviewItem>>, ApiError> {
    let query = query.take()?.into_inner();
    let allowed: Vec<ApplicationKind> = kinds_of("transfer")
        .unwrap_or_default()
        .into_iter()
        .filter(|k| auth.holds(review_permission(*k)))
        .collect();
    page_of(&state, auth, query, allowed, false).await
}

/// 提现审核: withdrawals with their review status
#[utoipa::path(
    tag = "reviews", security(("bearer" = [])), params(ReviewQuery),
    responses((status = 200, body = Page<ReviewItem>), (status = 403, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["review_withdrawal"]))),
)]
#[get("/reviews/withdrawals")]
async fn withdrawal_reviews(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::ReviewWithdrawal>,
    query: Params<ReviewQuery>,
) -> Result<web::Json<Page<ReviewItem>>, ApiError> {
    let query = query.take()?.into_inner();
    page_of(&state, auth, query, vec![ApplicationKind::Withdrawal], false).await
}

/// 退款审核: refunds with their review status
#[utoipa::path(
    tag = "reviews", security(("bearer" = [])), params(ReviewQuery),
    responses((status = 200, body = Page<ReviewItem>), (status = 403, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["review_refund"]))),
)]
#[get("/reviews/refunds")]
async fn refund_reviews(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::ReviewRefund>,
    query: Params<ReviewQuery>,
) -> Result<web::Json<Page<ReviewItem>>, ApiError> {
    let query = query.take()?.into_inner();
    page_of(&state, auth, query, kinds_of("refund").unwrap_or_default(), false).await
}

/// 应用审核: applications of the app centre (代发工资, payroll) with their review status
#[utoipa::path(
    tag = "reviews", security(("bearer" = [])), params(ReviewQuery),
    responses((status = 200, body = Page<ReviewItem>), (status = 403, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["review_payroll"]))),
)]
#[get("/reviews/payroll")]
async fn payroll_reviews(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::ReviewPayroll>,
    query: Params<ReviewQuery>,
) -> Result<web::Json<Page<ReviewItem>>, ApiError> {
    let query = query.take()?.into_inner();
    page_of(&state, auth, query, vec![ApplicationKind::Payroll], false).await
}

/// Withdraw one's own application while it waits (撤销)
///
/// Only the operator who submitted it, only while `pending_review`; the held
/// money returns to available. A reviewer acting at the same moment wins or
/// loses cleanly: one of the two gets `application_state`.
#[utoipa::path(
    tag = "reviews", security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 200, body = ReviewResult),
        (status = 403, description = "`not_your_application`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`application_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`application_state`: no longer pending", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!([]))),
)]
#[post("/applications/{id}/cancel")]
async fn cancel_application(
    state: web::Data<AppState>,
    auth: OperatorAuth,
    id: web::Path<i64>,
) -> Result<web::Json<ReviewResult>, ApiError> {
    let id = id.into_inner();
    let st = state.clone();
    Ok(web::Json(web::block(move || core::review::cancel(&st, &auth, id)).await??))
}

/// 申请记录: every application of the merchant, whoever submitted it
#[utoipa::path(
    tag = "reviews", security(("bearer" = [])), params(ReviewQuery),
    responses((status = 200, body = Page<ReviewItem>), (status = 403, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["transaction_records"]))),
)]
#[get("/applications")]
async fn application_records(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::TransactionRecords>,
    query: Params<ReviewQuery>,
) -> Result<web::Json<Page<ReviewItem>>, ApiError> {
    let query = query.take()?.into_inner();
    page_of(&state, auth, query, ApplicationKind::ALL.to_vec(), false).await
}

/// 审核设置: how each kind of operation is reviewed
#[utoipa::path(
    tag = "reviews", security(("bearer" = [])),
    responses((status = 200, body = [ReviewPolicyView]), (status = 403, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[get("/review-policies")]
async fn policies(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
) -> Result<web::Json<Vec<ReviewPolicyView>>, ApiError> {
    let store = state.store.clone();
    let list = web::block(move || store.read(|c| policy_views(c, auth.merchant_id))).await??;
    Ok(web::Json(list))
}

fn policy_views(c: &mut DbConn, merchant_id: i64) -> Result<Vec<ReviewPolicyView>, ApiError> {
    ApplicationKind::ALL
        .into_iter()
        .map(|k| {
            Ok(ReviewPolicyView {
                kind: k.as_str().into(),
                mode: roles::policy(c, merchant_id, k)?.as_str().into(),
            })
        })
        .collect()
}

/// Set how one kind of operation is reviewed
///
/// `single`: an operator holding both the apply and the review permission
/// completes it at once with the stronger factor. `maker_checker`: it always
/// waits for a second operator. Takes the payment password and the second
/// factor; applies only to applications submitted afterwards (each keeps the
/// policy it was submitted under); the operation log records it.
#[utoipa::path(
    tag = "reviews", security(("bearer" = [])), request_body = SetReviewPolicy,
    params(("kind" = String, Path, description = "`transfer`, `bank_payout`, `withdrawal`, ...")),
    responses(
        (status = 200, description = "Every kind's policy after the change", body = [ReviewPolicyView]),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`kind_unknown`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`mode_invalid`, a wrong payment password or second factor", body = Problem, content_type = "application/problem+json"),
        (status = 423, description = "`payment_password_locked`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[put("/review-policies/{kind}")]
async fn set_policy(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
    kind: web::Path<String>,
    body: crate::permits::Body<SetReviewPolicy>,
) -> Result<web::Json<Vec<ReviewPolicyView>>, ApiError> {
    let body = body.take()?.into_inner();
    let kind = ApplicationKind::parse(&kind.into_inner()).ok_or_else(|| {
        ApiError::rule(StatusCode::NOT_FOUND, ErrorCode::KindUnknown, "No such kind of operation")
    })?;
    let mode = ReviewMode::parse(&body.mode)
        .ok_or_else(|| ApiError::field("mode", "mode_invalid", "single or maker_checker"))?;
    let st = state.clone();
    let list = web::block(move || -> Result<_, ApiError> {
        crate::core::review::set_policy(&st, &auth, kind, mode, &body)?;
        st.store.read(|c| policy_views(c, auth.merchant_id))
    })
    .await??;
    Ok(web::Json(list))
}
