//! Real-name verification (实名认证, manual §2.2): scans, the three steps, submission,
//! staff review, and the micro-deposit the merchant types back.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpResponse};
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{
    ConfirmDeposit, Kyb, KybFiling, KybFundAccount, KybLegalRepresentative, KybReview, MerchantSummary, Page,
    Problem, RejectKyb, UploadedFile,
};
use paydesk_domain::identity::{check_organisation_code, BankAccountNo, IdNumber, LicenceNumber};
use paydesk_domain::states::KybStatus;
use paydesk_store::kyb::{self, Step};
use paydesk_store::{identity, DbConn};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{now, OperatorAuth, StaffAuth};
use crate::core::kyb as kyb_core;
use crate::core::kyb::{
    editable, kyb_view, reviewable, send_micro_deposit, summary, to_json, validate_filing,
    validate_fund_account, validate_legal,
};
use crate::error::ApiError;
use crate::permits::{perm, Body, Can};
use crate::query::PageQuery;
use crate::uploads;
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(upload_scan)
        .service(get_upload)
        .service(get_kyb)
        .service(save_filing)
        .service(save_fund_account)
        .service(save_legal_representative)
        .service(submit_kyb)
        .service(confirm_deposit)
        .service(resend_deposit)
        .service(staff_send_deposit)
        .service(list_kyb)
        .service(review_detail)
        .service(staff_upload)
        .service(approve_kyb)
        .service(reject_kyb);
}

/// The multipart body of an upload, for the docs.
#[derive(ToSchema)]
#[allow(dead_code)]
struct ScanForm {
    /// A jpg, jpeg or bmp picture of at most 3 MB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Upload a scan (jpg/jpeg/bmp, at most 3 MB)
///
/// The type is judged from the content, not the name. Files are stored once per
/// content (by SHA-256); the returned id is what the verification steps refer to.
#[utoipa::path(
    tag = "kyb",
    security(("bearer" = [])),
    request_body(content = ScanForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = UploadedFile),
        (status = 422, description = "`file_required`, `file_too_large` or `file_type_not_allowed`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["account_settings"]))),
)]
#[post("/uploads")]
async fn upload_scan(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::AccountSettings>,
    form: Multipart,
) -> Result<HttpResponse, ApiError> {
    let (bytes, name) = uploads::read_file(form, paydesk_domain::limits::SCAN_BYTES).await?;
    let st = state.clone();
    let file = web::block(move || kyb_core::store_scan(&st, &auth, &bytes, name)).await??;
    Ok(HttpResponse::Created().json(file))
}

async fn send_upload(state: &AppState, id: String, owner: Option<i64>) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let (upload, bytes) = web::block(move || crate::core::files::read(&st, &id, owner)).await??;
    Ok(HttpResponse::Ok()
        .content_type(upload.content_type)
        .insert_header(("Cache-Control", "private, max-age=3600"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(bytes))
}

/// Download one of the merchant's own scans
#[utoipa::path(
    tag = "kyb",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "The picture", content_type = "image/jpeg"), (status = 404, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["account_settings"]))),
)]
#[get("/uploads/{id}")]
async fn get_upload(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::AccountSettings>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    send_upload(&state, id.into_inner(), Some(auth.merchant_id)).await
}

/// Verification status and the steps saved so far
#[utoipa::path(tag = "kyb", security(("bearer" = [])), responses((status = 200, body = Kyb), (status = 401, body = Problem, content_type = "application/problem+json")), extensions(("x-permission" = json!(["account_settings"]))))]
#[get("/kyb")]
async fn get_kyb(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::AccountSettings>,
) -> Result<web::Json<Kyb>, ApiError> {
    let store = state.store.clone();
    let (kyb, _) = web::block(move || store.read(|c| kyb_view(c, auth.merchant_id))).await??;
    Ok(web::Json(kyb))
}

/// Validates and saves one step while the application can still change.
async fn save(
    state: &AppState,
    auth: &OperatorAuth,
    step: Step,
    validate: impl FnOnce(&mut DbConn, &identity::Merchant) -> Result<String, ApiError> + Send + 'static,
) -> Result<Kyb, ApiError> {
    let store = state.store.clone();
    let merchant_id = auth.merchant_id;
    let audit = auth.audit.clone();
    let kyb = web::block(move || {
        audit.write(&store, |c| -> Result<Kyb, ApiError> {
            let merchant = identity::merchant(c, merchant_id)?;
            editable(merchant.kyb_status)?;
            let json = validate(c, &merchant)?;
            kyb::save_step(c, merchant_id, step, &json, now())?;
            Ok(kyb_view(c, merchant_id)?.0)
        })
    })
    .await??;
    Ok(kyb)
}

/// Save step 1: filing information (备案信息)
#[utoipa::path(
    tag = "kyb", security(("bearer" = [])), request_body = KybFiling,
    responses(
        (status = 200, body = Kyb),
        (status = 409, description = "`kyb_locked`: under review or done", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["account_settings"]))),
)]
#[put("/kyb/filing")]
async fn save_filing(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::AccountSettings>,
    body: Body<KybFiling>,
) -> Result<web::Json<Kyb>, ApiError> {
    let body = body.take()?;
    let mut filing = body.into_inner();
    if let Ok(n) = LicenceNumber::parse(&filing.licence_number) {
        filing.licence_number = n.as_str().to_owned();
    }
    if let Some(Ok(code)) =
        filing.organisation_code.as_deref().filter(|c| !c.is_empty()).map(check_organisation_code)
    {
        filing.organisation_code = Some(code);
    }
    let merchant_id = auth.merchant_id;
    Ok(web::Json(
        save(&state, &auth, Step::Filing, move |c, _| {
            validate_filing(c, &filing, merchant_id)?;
            to_json(&filing)
        })
        .await?,
    ))
}

/// Save step 2: the corporate bank account (资金账户信息)
///
/// The account name must equal the company name, and the number is typed twice.
#[utoipa::path(
    tag = "kyb", security(("bearer" = [])), request_body = KybFundAccount,
    responses(
        (status = 200, body = Kyb),
        (status = 409, description = "`kyb_locked`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "e.g. `account_name_mismatch`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["account_settings"]))),
)]
#[put("/kyb/fund-account")]
async fn save_fund_account(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::AccountSettings>,
    body: Body<KybFundAccount>,
) -> Result<web::Json<Kyb>, ApiError> {
    let body = body.take()?;
    let mut account = body.into_inner();
    Ok(web::Json(
        save(&state, &auth, Step::FundAccount, move |_, merchant| {
            validate_fund_account(&account, &merchant.company_name)?;
            if let Ok(n) = BankAccountNo::parse(&account.account_number) {
                account.account_number = n.as_str().to_owned();
                account.account_number_confirm = n.as_str().to_owned();
            }
            account.account_name = account.account_name.trim().to_owned();
            to_json(&account)
        })
        .await?,
    ))
}

/// Save step 3: the legal representative (法人信息)
#[utoipa::path(
    tag = "kyb", security(("bearer" = [])), request_body = KybLegalRepresentative,
    responses(
        (status = 200, body = Kyb),
        (status = 409, description = "`kyb_locked`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "e.g. `id_number_checksum`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["account_settings"]))),
)]
#[put("/kyb/legal-representative")]
async fn save_legal_representative(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::AccountSettings>,
    body: Body<KybLegalRepresentative>,
) -> Result<web::Json<Kyb>, ApiError> {
    let body = body.take()?;
    let mut legal = body.into_inner();
    let merchant_id = auth.merchant_id;
    Ok(web::Json(
        save(&state, &auth, Step::LegalRepresentative, move |c, _| {
            validate_legal(c, &legal, merchant_id)?;
            if let Ok(n) = IdNumber::parse(&legal.id_number) {
                legal.id_number = n.as_str().to_owned();
            }
            to_json(&legal)
        })
        .await?,
    ))
}

/// Submit verification for review
///
/// All three steps must be saved. Review takes up to 3 working days; the
/// merchant can't change anything meanwhile.
#[utoipa::path(
    tag = "kyb", security(("bearer" = [])),
    responses(
        (status = 200, description = "Submitted: under review (3 working days)", body = Kyb),
        (status = 409, description = "`kyb_locked`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`kyb_incomplete`: a step is missing", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["account_settings"]))),
)]
#[post("/kyb/submit")]
async fn submit_kyb(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::AccountSettings>,
) -> Result<web::Json<Kyb>, ApiError> {
    let st = state.clone();
    Ok(web::Json(web::block(move || kyb_core::submit(&st, &auth.audit, auth.merchant_id)).await??))
}

/// Confirm the micro-deposit (确认金额)
///
/// Type the amount the platform sent to the corporate account, as it appears on
/// the bank statement. Five wrong guesses void it; ask for a new one then.
#[utoipa::path(
    tag = "kyb", security(("bearer" = [])), request_body = ConfirmDeposit,
    responses(
        (status = 200, description = "Verified", body = Kyb),
        (status = 409, description = "`no_pending_deposit`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`deposit_mismatch` (with attempts left) or `deposit_void`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["account_settings"]))),
)]
#[post("/kyb/micro-deposit")]
async fn confirm_deposit(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::AccountSettings>,
    body: Body<ConfirmDeposit>,
) -> Result<web::Json<Kyb>, ApiError> {
    let (st, body) = (state.clone(), body.take()?.into_inner());
    Ok(web::Json(
        web::block(move || {
            kyb_core::confirm_deposit(&st, &auth.audit, auth.merchant_id, (&body.amount, &body.second_amount))
        })
        .await??,
    ))
}

/// Ask for a new micro-deposit
///
/// Once the previous one is void after too many wrong amounts; three times,
/// then customer service takes over.
#[utoipa::path(
    tag = "kyb", security(("bearer" = [])),
    responses(
        (status = 200, body = Kyb),
        (status = 409, description = "`deposit_still_pending`, `no_pending_deposit` or `deposit_resends_exhausted` (customer service takes over)", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["account_settings"]))),
)]
#[post("/kyb/micro-deposit/resend")]
async fn resend_deposit(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::AccountSettings>,
) -> Result<web::Json<Kyb>, ApiError> {
    let st = state.clone();
    Ok(web::Json(web::block(move || kyb_core::resend_deposit(&st, &auth.audit, auth.merchant_id)).await??))
}

/// Send a new micro-deposit (staff taking over)
///
/// When the merchant's own resends ran out (`deposit_resends_exhausted`) and
/// customer service has checked the account: a new pair of amounts, and the
/// merchant's resend count starts again.
#[utoipa::path(
    tag = "ops", security(("bearer" = [])), params(("merchant_id" = i64, Path)),
    responses(
        (status = 200, body = KybReview),
        (status = 409, description = "`no_pending_deposit`: not waiting for a deposit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/ops/kyb/{merchant_id}/micro-deposit")]
async fn staff_send_deposit(
    state: web::Data<AppState>,
    staff: StaffAuth,
    merchant_id: web::Path<i64>,
) -> Result<web::Json<KybReview>, ApiError> {
    let (st, id) = (state.clone(), merchant_id.into_inner());
    let audit = staff.audit.clone();
    let (kyb, merchant) = web::block(move || kyb_core::staff_send_deposit(&st, &audit, id)).await??;
    tracing::info!(staff = staff.staff_id, merchant = id, "micro-deposit sent by staff");
    Ok(web::Json(KybReview { merchant: summary(&merchant), kyb }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct KybListQuery {
    /// `submitted` (default), `rejected`, `awaiting_deposit`, `verified`, `draft` or `all`.
    pub status: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// Verification applications to review
#[utoipa::path(
    tag = "ops", security(("bearer" = [])), params(KybListQuery),
    responses((status = 200, body = Page<MerchantSummary>), (status = 401, body = Problem, content_type = "application/problem+json"))
)]
#[get("/ops/kyb")]
async fn list_kyb(
    state: web::Data<AppState>,
    _staff: StaffAuth,
    query: web::Query<KybListQuery>,
) -> Result<web::Json<Page<MerchantSummary>>, ApiError> {
    let q = query.into_inner();
    let (page, per_page) = PageQuery { page: q.page, per_page: q.per_page }.resolve();
    let status = q.status.unwrap_or_else(|| "submitted".into());
    let store = state.store.clone();
    let offset = i64::from(page - 1) * i64::from(per_page);
    let (rows, total) = web::block(move || {
        let filter = (status != "all").then_some(status);
        store.read(|c| kyb::list_applications(c, filter.as_deref(), i64::from(per_page), offset))
    })
    .await??;
    Ok(web::Json(Page {
        items: rows.iter().map(|(_, m)| summary(m)).collect(),
        page,
        per_page,
        total: u64::try_from(total).unwrap_or(0),
    }))
}

/// One merchant's verification, every field and scan id
#[utoipa::path(
    tag = "ops", security(("bearer" = [])), params(("merchant_id" = i64, Path)),
    responses((status = 200, body = KybReview), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[get("/ops/kyb/{merchant_id}")]
async fn review_detail(
    state: web::Data<AppState>,
    _staff: StaffAuth,
    merchant_id: web::Path<i64>,
) -> Result<web::Json<KybReview>, ApiError> {
    let store = state.store.clone();
    let id = merchant_id.into_inner();
    let (kyb, merchant) = web::block(move || {
        store.read(|c| -> Result<_, ApiError> {
            if kyb::application(c, id)?.is_none() {
                return Err(ApiError::rule(
                    StatusCode::NOT_FOUND,
                    ErrorCode::KybNotFound,
                    "no verification for this merchant",
                ));
            }
            kyb_view(c, id)
        })
    })
    .await??;
    Ok(web::Json(KybReview { merchant: summary(&merchant), kyb }))
}

/// Any merchant's scan, for review
#[utoipa::path(
    tag = "ops", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, description = "The picture", content_type = "image/jpeg"), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[get("/ops/uploads/{id}")]
async fn staff_upload(
    state: web::Data<AppState>,
    _staff: StaffAuth,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    send_upload(&state, id.into_inner(), None).await
}

/// Approve verification: the sandbox bank sends the micro-deposit
#[utoipa::path(
    tag = "ops", security(("bearer" = [])), params(("merchant_id" = i64, Path)),
    responses(
        (status = 200, description = "Approved; waiting for the merchant to confirm the deposit", body = KybReview),
        (status = 409, description = "`kyb_not_submitted`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/ops/kyb/{merchant_id}/approve")]
async fn approve_kyb(
    state: web::Data<AppState>,
    staff: StaffAuth,
    merchant_id: web::Path<i64>,
) -> Result<web::Json<KybReview>, ApiError> {
    let store = state.store.clone();
    let id = merchant_id.into_inner();
    let (kyb, merchant) = web::block(move || {
        staff.audit.write(&store, |c| -> Result<_, ApiError> {
            reviewable(c, id)?;
            kyb::mark_reviewed(c, id, staff.staff_id, None, now())?;
            identity::set_kyb_status(c, id, KybStatus::AwaitingDeposit)?;
            send_micro_deposit(c, id, true)?;
            kyb_view(c, id)
        })
    })
    .await??;
    Ok(web::Json(KybReview { merchant: summary(&merchant), kyb }))
}

/// Reject verification with a reason the merchant sees
#[utoipa::path(
    tag = "ops", security(("bearer" = [])), params(("merchant_id" = i64, Path)), request_body = RejectKyb,
    responses(
        (status = 200, body = KybReview),
        (status = 409, description = "`kyb_not_submitted`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`reason_required`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/ops/kyb/{merchant_id}/reject")]
async fn reject_kyb(
    state: web::Data<AppState>,
    staff: StaffAuth,
    merchant_id: web::Path<i64>,
    body: web::Json<RejectKyb>,
) -> Result<web::Json<KybReview>, ApiError> {
    let reason = body.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > paydesk_domain::limits::KYB_REJECT_REASON_CHARS {
        return Err(ApiError::field(
            "reason",
            "reason_required",
            format!(
                "say what the merchant must fix (at most {} characters)",
                paydesk_domain::limits::KYB_REJECT_REASON_CHARS
            ),
        ));
    }
    let store = state.store.clone();
    let id = merchant_id.into_inner();
    let (kyb, merchant) = web::block(move || {
        staff.audit.write(&store, |c| -> Result<_, ApiError> {
            reviewable(c, id)?;
            kyb::mark_reviewed(c, id, staff.staff_id, Some(&reason), now())?;
            identity::set_kyb_status(c, id, KybStatus::Rejected)?;
            kyb_view(c, id)
        })
    })
    .await??;
    Ok(web::Json(KybReview { merchant: summary(&merchant), kyb }))
}
