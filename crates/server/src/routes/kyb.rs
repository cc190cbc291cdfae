//! Real-name verification (实名认证, manual §2.2): scans, the three steps, submission,
//! staff review, and the micro-deposit the merchant types back.

use std::path::PathBuf;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpResponse};
use chrono::NaiveDate;
use futures_util::StreamExt;
use paydesk_api_types::{
    ConfirmDeposit, FieldError, Kyb, KybFiling, KybFundAccount, KybLegalRepresentative, KybReview,
    MerchantSummary, MicroDepositState, Page, Problem, RejectKyb, UploadedFile,
};
use paydesk_domain::identity::{check_organisation_code, BankAccountNo, IdNumber, LicenceNumber, Phone};
use paydesk_domain::Money;
use paydesk_store::kyb::{self, Step};
use paydesk_store::{identity, DbConn};
use rand::Rng;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{now, random_token, OperatorAuth, StaffAuth};
use crate::error::ApiError;
use crate::permits::{perm, Body, Can};
use crate::query::PageQuery;
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
        .service(list_kyb)
        .service(review_detail)
        .service(staff_upload)
        .service(approve_kyb)
        .service(reject_kyb);
}

/// Scans may be at most this large (§2.2: 大小不超过3M).
pub const MAX_SCAN_BYTES: usize = paydesk_domain::limits::SCAN_BYTES;
/// Wrong guesses of the micro-deposit before it is void.
pub const DEPOSIT_ATTEMPTS: i32 = paydesk_domain::limits::MICRO_DEPOSIT_ATTEMPTS;

/// What the bytes are, judged by their first bytes and never by the file name.
pub fn sniff_scan(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.len() >= 26 && bytes.starts_with(b"BM") {
        Some("image/bmp")
    } else {
        None
    }
}

fn upload_path(data_dir: &std::path::Path, sha256: &str) -> PathBuf {
    data_dir.join("uploads").join(&sha256[..2]).join(sha256)
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
    mut form: Multipart,
) -> Result<HttpResponse, ApiError> {
    let mut found: Option<(Vec<u8>, String)> = None;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| ApiError::BadRequest(e.to_string()))?;
        if field.name() != Some("file") {
            continue;
        }
        let name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .unwrap_or("scan")
            .chars()
            .take(200)
            .collect();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| ApiError::BadRequest(e.to_string()))?;
            if bytes.len() + chunk.len() > MAX_SCAN_BYTES {
                return Err(ApiError::field("file", "file_too_large", "a scan may be at most 3 MB"));
            }
            bytes.extend_from_slice(&chunk);
        }
        found = Some((bytes, name));
        break;
    }
    let (bytes, original_name) = found
        .filter(|(b, _)| !b.is_empty())
        .ok_or_else(|| ApiError::field("file", "file_required", "choose a file to upload"))?;
    let content_type = sniff_scan(&bytes).ok_or_else(|| {
        ApiError::field("file", "file_type_not_allowed", "a scan must be a jpg, jpeg or bmp picture")
    })?;
    let sha256: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    let path = upload_path(&state.settings.data_dir, &sha256);
    let record = kyb::Upload {
        id: random_token(),
        merchant_id: auth.merchant_id,
        sha256: sha256.clone(),
        content_type: content_type.to_owned(),
        size: bytes.len() as i64,
        original_name,
        created_at: now(),
    };
    let store = state.store.clone();
    let saved = record.clone();
    web::block(move || -> Result<(), ApiError> {
        // Content-addressed: the same picture is written once. Write to a
        // temporary name and rename, so a half-written file is never served.
        if !path.exists() {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| ApiError::Internal(e.into()))?;
            }
            let tmp = path.with_extension(format!("tmp{}", std::process::id()));
            std::fs::write(&tmp, &bytes).map_err(|e| ApiError::Internal(e.into()))?;
            std::fs::rename(&tmp, &path).map_err(|e| ApiError::Internal(e.into()))?;
        }
        store.write(|c| kyb::insert_upload(c, &saved))?;
        Ok(())
    })
    .await??;
    Ok(HttpResponse::Created().json(UploadedFile {
        id: record.id,
        content_type: record.content_type,
        size: record.size as u64,
        sha256,
    }))
}

async fn send_upload(state: &AppState, id: String, owner: Option<i64>) -> Result<HttpResponse, ApiError> {
    let store = state.store.clone();
    let dir = state.settings.data_dir.clone();
    let (upload, bytes) = web::block(move || -> Result<_, ApiError> {
        let upload = store.read(|c| kyb::upload(c, &id))?;
        let upload = upload
            .filter(|u| owner.is_none_or(|m| m == u.merchant_id))
            .ok_or_else(|| ApiError::rule(StatusCode::NOT_FOUND, "upload_not_found", "no such file"))?;
        let bytes =
            std::fs::read(upload_path(&dir, &upload.sha256)).map_err(|e| ApiError::Internal(e.into()))?;
        Ok((upload, bytes))
    })
    .await??;
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

/// Collects per-field problems.
#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    fn add(&mut self, field: &str, code: &str, message: &str) {
        self.0.push(FieldError { field: field.into(), code: code.into(), message: message.into() });
    }

    fn required(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.add(field, "required", "this field is required");
        }
    }

    fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }
}

/// A `YYYY-MM-DD` date that has not passed, unless `long_term`.
fn check_term(p: &mut Problems, field: &str, long_term: bool, until: &Option<String>) {
    if long_term {
        return;
    }
    match until.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => p.add(field, "required", "enter the end date or tick long-term"),
        Some(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Err(_) => p.add(field, "date_invalid", "a date is written YYYY-MM-DD"),
            Ok(d) if d < now().date() => p.add(field, "date_passed", "this document has expired"),
            Ok(_) => {}
        },
    }
}

/// The scan must exist and belong to this merchant.
fn check_scan(
    c: &mut DbConn,
    p: &mut Problems,
    field: &str,
    id: &str,
    merchant_id: i64,
) -> Result<(), ApiError> {
    if id.trim().is_empty() {
        p.add(field, "scan_required", "upload this scan");
    } else if kyb::upload(c, id)?.is_none_or(|u| u.merchant_id != merchant_id) {
        p.add(field, "scan_unknown", "this scan was not uploaded by your account");
    }
    Ok(())
}

const ENTERPRISE_TYPES: [&str; 4] = ["enterprise", "individual_business", "public_institution", "other"];

fn validate_filing(c: &mut DbConn, f: &KybFiling, merchant_id: i64) -> Result<(), ApiError> {
    let mut p = Problems::default();
    if !ENTERPRISE_TYPES.contains(&f.enterprise_type.as_str()) {
        p.add("enterprise_type", "enterprise_type_invalid", "choose the type of enterprise");
    }
    let credit_code = match LicenceNumber::parse(&f.licence_number) {
        Ok(n) => n.as_str().len() == 18,
        Err(e) => {
            p.add("licence_number", e.code, e.message);
            false
        }
    };
    check_term(&mut p, "licence_valid_until", f.licence_long_term, &f.licence_valid_until);
    check_scan(c, &mut p, "licence_scan", &f.licence_scan, merchant_id)?;
    // A unified credit code replaces the organisation code and tax certificates (三证合一).
    if !credit_code {
        match f.organisation_code.as_deref() {
            None | Some("") => p.add("organisation_code", "required", "this field is required"),
            Some(code) => {
                if let Err(e) = check_organisation_code(code) {
                    p.add("organisation_code", e.code, e.message);
                }
            }
        }
        check_scan(
            c,
            &mut p,
            "organisation_code_scan",
            f.organisation_code_scan.as_deref().unwrap_or(""),
            merchant_id,
        )?;
        check_scan(
            c,
            &mut p,
            "tax_registration_scan",
            f.tax_registration_scan.as_deref().unwrap_or(""),
            merchant_id,
        )?;
    }
    for (i, scan) in f.other_scans.iter().enumerate() {
        check_scan(c, &mut p, &format!("other_scans[{i}]"), scan, merchant_id)?;
    }
    for (field, value) in
        [("province", &f.province), ("city", &f.city), ("district", &f.district), ("address", &f.address)]
    {
        p.required(field, value);
    }
    if f.websites.len() > 10 {
        p.add("websites", "too_many", "list at most 10 websites");
    }
    for (i, site) in f.websites.iter().enumerate() {
        let s = site.trim();
        if s.is_empty() || s.contains(char::is_whitespace) || !s.contains('.') {
            p.add(&format!("websites[{i}]"), "website_invalid", "a website looks like www.example.com");
        }
    }
    p.finish()
}

fn validate_fund_account(f: &KybFundAccount, company_name: &str) -> Result<(), ApiError> {
    let mut p = Problems::default();
    if f.account_name.trim() != company_name {
        p.add("account_name", "account_name_mismatch", "the account name must be exactly the company's name");
    }
    for (field, value) in [
        ("bank", &f.bank),
        ("bank_province", &f.bank_province),
        ("bank_city", &f.bank_city),
        ("branch", &f.branch),
    ] {
        p.required(field, value);
    }
    match BankAccountNo::parse(&f.account_number) {
        Err(e) => p.add("account_number", e.code, e.message),
        Ok(n) => {
            if BankAccountNo::parse(&f.account_number_confirm).ok().as_ref() != Some(&n) {
                p.add("account_number_confirm", "account_number_mismatch", "the two account numbers differ");
            }
        }
    }
    p.finish()
}

fn validate_legal(c: &mut DbConn, l: &KybLegalRepresentative, merchant_id: i64) -> Result<(), ApiError> {
    let mut p = Problems::default();
    p.required("name", &l.name);
    if let Err(e) = IdNumber::parse(&l.id_number) {
        p.add("id_number", e.code, e.message);
    }
    check_term(&mut p, "id_valid_until", l.id_long_term, &l.id_valid_until);
    check_scan(c, &mut p, "id_front_scan", &l.id_front_scan, merchant_id)?;
    check_scan(c, &mut p, "id_back_scan", &l.id_back_scan, merchant_id)?;
    if let Some(agent) = &l.agent {
        p.required("agent.name", &agent.name);
        if let Err(e) = IdNumber::parse(&agent.id_number) {
            p.add("agent.id_number", e.code, e.message);
        }
        if let Err(e) = Phone::parse(&agent.phone) {
            p.add("agent.phone", e.code, e.message);
        }
    }
    p.finish()
}

fn parse_step<T: serde::de::DeserializeOwned>(json: &Option<String>) -> Option<T> {
    json.as_deref().and_then(|j| serde_json::from_str(j).ok())
}

fn masked_account(no: &str) -> String {
    BankAccountNo::parse(no).map(|n| n.masked()).unwrap_or_else(|_| "****".into())
}

/// Everything about one merchant's verification.
fn kyb_view(c: &mut DbConn, merchant_id: i64) -> Result<(Kyb, identity::Merchant), ApiError> {
    let merchant = identity::merchant(c, merchant_id)?;
    let app = kyb::application(c, merchant_id)?;
    let deposit = kyb::latest_deposit(c, merchant_id)?;
    let kyb = Kyb {
        status: merchant.kyb_status.clone(),
        company_name: merchant.company_name.clone(),
        filing: app.as_ref().and_then(|a| parse_step(&a.filing)),
        fund_account: app.as_ref().and_then(|a| parse_step(&a.fund_account)),
        legal_representative: app.as_ref().and_then(|a| parse_step(&a.legal_representative)),
        reject_reason: app.as_ref().and_then(|a| a.reject_reason.clone()),
        submitted_at: app.as_ref().and_then(|a| a.submitted_at).map(|t| t.and_utc().to_rfc3339()),
        micro_deposit: deposit.map(|d| MicroDepositState {
            bank: d.bank,
            account: masked_account(&d.account_no),
            status: d.status,
            attempts_left: u32::try_from(DEPOSIT_ATTEMPTS - d.attempts).unwrap_or(0),
            sent_at: d.created_at.and_utc().to_rfc3339(),
        }),
    };
    Ok((kyb, merchant))
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

fn editable(status: &str) -> Result<(), ApiError> {
    match status {
        "draft" | "rejected" => Ok(()),
        _ => Err(ApiError::rule(StatusCode::CONFLICT, "kyb_locked", "verification can't be changed now")
            .with_detail(format!("it is {status}"))),
    }
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
    let kyb = web::block(move || {
        store.write(|c| -> Result<Kyb, ApiError> {
            let merchant = identity::merchant(c, merchant_id)?;
            editable(&merchant.kyb_status)?;
            let json = validate(c, &merchant)?;
            kyb::save_step(c, merchant_id, step, &json, now())?;
            Ok(kyb_view(c, merchant_id)?.0)
        })
    })
    .await??;
    Ok(kyb)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|e| ApiError::Internal(e.into()))
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
    let store = state.store.clone();
    let merchant_id = auth.merchant_id;
    let kyb = web::block(move || {
        store.write(|c| -> Result<Kyb, ApiError> {
            let (view, merchant) = kyb_view(c, merchant_id)?;
            editable(&merchant.kyb_status)?;
            let mut p = Problems::default();
            if view.filing.is_none() {
                p.add("filing", "kyb_incomplete", "save the filing information first");
            }
            if view.fund_account.is_none() {
                p.add("fund_account", "kyb_incomplete", "save the fund account first");
            }
            if view.legal_representative.is_none() {
                p.add("legal_representative", "kyb_incomplete", "save the legal representative first");
            }
            p.finish()?;
            kyb::mark_submitted(c, merchant_id, now())?;
            identity::set_kyb_status(c, merchant_id, "submitted")?;
            Ok(kyb_view(c, merchant_id)?.0)
        })
    })
    .await??;
    Ok(web::Json(kyb))
}

/// Sends a new random amount below 1.00 to the saved corporate account.
fn send_micro_deposit(c: &mut DbConn, merchant_id: i64) -> Result<(), ApiError> {
    let app = kyb::application(c, merchant_id)?.ok_or(ApiError::rule(
        StatusCode::CONFLICT,
        "kyb_incomplete",
        "there is no fund account to send to",
    ))?;
    let account: KybFundAccount = parse_step(&app.fund_account).ok_or(ApiError::rule(
        StatusCode::CONFLICT,
        "kyb_incomplete",
        "there is no fund account to send to",
    ))?;
    let amount = rand::rng().random_range(1..100);
    kyb::create_deposit(
        c,
        &kyb::NewDeposit {
            merchant_id,
            bank: &account.bank,
            account_no: &account.account_number,
            account_name: &account.account_name,
            amount,
            at: now(),
        },
    )?;
    Ok(())
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
    let body = body.take()?;
    let amount =
        Money::parse(body.amount.trim()).map_err(|e| ApiError::field("amount", e.code(), e.to_string()))?;
    let store = state.store.clone();
    let merchant_id = auth.merchant_id;
    // A wrong guess must be counted even though the request fails, so the count
    // is committed on its own before the refusal is returned.
    let outcome = web::block(move || {
        store.write(|c| -> Result<Result<Kyb, ApiError>, ApiError> {
            let merchant = identity::merchant(c, merchant_id)?;
            let deposit = kyb::latest_deposit(c, merchant_id)?
                .filter(|d| merchant.kyb_status == "awaiting_deposit" && d.status == "pending")
                .ok_or(ApiError::rule(
                    StatusCode::CONFLICT,
                    "no_pending_deposit",
                    "there is no deposit to confirm",
                ))?;
            if amount.fen() == deposit.amount {
                kyb::set_deposit_status(c, deposit.id, "confirmed", Some(now()))?;
                identity::set_kyb_status(c, merchant_id, "verified")?;
                return Ok(Ok(kyb_view(c, merchant_id)?.0));
            }
            let attempts = kyb::record_attempt(c, deposit.id)?;
            if attempts >= DEPOSIT_ATTEMPTS {
                kyb::set_deposit_status(c, deposit.id, "void", None)?;
                return Ok(Err(ApiError::field(
                    "amount",
                    "deposit_void",
                    "too many wrong amounts; ask for a new deposit",
                )));
            }
            let left = DEPOSIT_ATTEMPTS - attempts;
            Ok(Err(ApiError::field(
                "amount",
                "deposit_mismatch",
                format!("that is not the amount sent; {left} tries left"),
            )))
        })
    })
    .await??;
    Ok(web::Json(outcome?))
}

/// Ask for a new micro-deposit
///
/// Once the previous one is void after too many wrong amounts.
#[utoipa::path(
    tag = "kyb", security(("bearer" = [])),
    responses(
        (status = 200, body = Kyb),
        (status = 409, description = "`deposit_still_pending` or `no_pending_deposit`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["account_settings"]))),
)]
#[post("/kyb/micro-deposit/resend")]
async fn resend_deposit(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::AccountSettings>,
) -> Result<web::Json<Kyb>, ApiError> {
    let store = state.store.clone();
    let merchant_id = auth.merchant_id;
    let kyb = web::block(move || {
        store.write(|c| -> Result<Kyb, ApiError> {
            let merchant = identity::merchant(c, merchant_id)?;
            if merchant.kyb_status != "awaiting_deposit" {
                return Err(ApiError::rule(
                    StatusCode::CONFLICT,
                    "no_pending_deposit",
                    "verification is not waiting for a deposit",
                ));
            }
            if kyb::latest_deposit(c, merchant_id)?.is_some_and(|d| d.status == "pending") {
                return Err(ApiError::rule(
                    StatusCode::CONFLICT,
                    "deposit_still_pending",
                    "the last deposit can still be confirmed",
                ));
            }
            send_micro_deposit(c, merchant_id)?;
            Ok(kyb_view(c, merchant_id)?.0)
        })
    })
    .await??;
    Ok(web::Json(kyb))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct KybListQuery {
    /// `submitted` (default), `rejected`, `awaiting_deposit`, `verified`, `draft` or `all`.
    pub status: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

fn summary(m: &identity::Merchant) -> MerchantSummary {
    MerchantSummary {
        id: m.id,
        email: m.email.clone(),
        company_name: m.company_name.clone(),
        kyb_status: m.kyb_status.clone(),
        created_at: m.created_at.and_utc().to_rfc3339(),
    }
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
                    "kyb_not_found",
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

fn reviewable(c: &mut DbConn, merchant_id: i64) -> Result<(), ApiError> {
    let merchant = identity::merchant(c, merchant_id).map_err(|_| {
        ApiError::rule(StatusCode::NOT_FOUND, "kyb_not_found", "no verification for this merchant")
    })?;
    if merchant.kyb_status != "submitted" {
        return Err(ApiError::rule(
            StatusCode::CONFLICT,
            "kyb_not_submitted",
            "only a submitted verification can be reviewed",
        )
        .with_detail(format!("it is {}", merchant.kyb_status)));
    }
    Ok(())
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
        store.write(|c| -> Result<_, ApiError> {
            reviewable(c, id)?;
            kyb::mark_reviewed(c, id, staff.staff_id, None, now())?;
            identity::set_kyb_status(c, id, "awaiting_deposit")?;
            send_micro_deposit(c, id)?;
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
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ApiError::field(
            "reason",
            "reason_required",
            "say what the merchant must fix (at most 500 characters)",
        ));
    }
    let store = state.store.clone();
    let id = merchant_id.into_inner();
    let (kyb, merchant) = web::block(move || {
        store.write(|c| -> Result<_, ApiError> {
            reviewable(c, id)?;
            kyb::mark_reviewed(c, id, staff.staff_id, Some(&reason), now())?;
            identity::set_kyb_status(c, id, "rejected")?;
            kyb_view(c, id)
        })
    })
    .await??;
    Ok(web::Json(KybReview { merchant: summary(&merchant), kyb }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_are_judged_by_content() {
        assert_eq!(sniff_scan(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        let mut bmp = b"BM".to_vec();
        bmp.resize(54, 0);
        assert_eq!(sniff_scan(&bmp), Some("image/bmp"));
        assert_eq!(sniff_scan(b"\x89PNG\r\n\x1a\n"), None);
        assert_eq!(sniff_scan(b"BM"), None, "too short to be a bitmap");
        assert_eq!(sniff_scan(b"%PDF-1.7"), None);
    }
}
