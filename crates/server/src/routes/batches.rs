//! Batch files over HTTP (`core::batches`): templates, checking an upload,
//! submitting a checked batch of payments, importing bank contacts.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use paydesk_api_types::{BatchCheck, BatchSubmit, BatchTemplate, ContactImport, ContactsImported, Problem};
use paydesk_domain::batch::BatchKind;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::OperatorAuth;
use crate::core::batches;
use crate::error::ApiError;
use crate::permits::{perm, Body, Can, CanVerified};
use crate::{uploads, views, wrap, AppState};

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_templates)
        .service(download_template)
        .service(check_batch)
        .service(create_batch)
        .service(batch_file)
        .service(check_contacts)
        .service(import_contacts)
        .service(export_lines);
}

/// The multipart body of a batch file upload, for the docs.
#[derive(ToSchema)]
#[allow(dead_code)]
struct BatchForm {
    /// The filled template: .xlsx, .xls or .csv (UTF-8 or GBK), at most 2 MB
    /// and 999 rows.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Every batch template, with its date (模板更新于) and columns
#[utoipa::path(
    tag = "batches", security(("bearer" = [])),
    responses((status = 200, body = Vec<BatchTemplate>)),
    extensions(("x-permission" = json!([]))),
)]
#[get("/batch-templates")]
async fn list_templates(_auth: OperatorAuth) -> web::Json<Vec<BatchTemplate>> {
    web::Json(batches::templates())
}

/// Download a batch template (下载模板)
#[utoipa::path(
    tag = "batches", security(("bearer" = [])), params(("kind" = String, Path, description = "`platform_transfer`, `bank_transfer`, `payroll` or `bank_contacts`")),
    responses(
        (status = 200, description = "The template", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 422, description = "`batch_kind_unknown`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!([]))),
)]
#[get("/batch-templates/{kind}")]
async fn download_template(_auth: OperatorAuth, kind: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let kind = batches::kind_of(&kind)?;
    let bytes = web::block(move || batches::template(kind)).await??;
    Ok(views::xlsx_download(bytes, &kind.template_file_name()))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct KindQuery {
    /// `platform_transfer`, `bank_transfer` or `payroll`.
    #[serde(default)]
    pub kind: String,
}

async fn checked(
    state: web::Data<AppState>,
    auth: OperatorAuth,
    kind: BatchKind,
    form: Multipart,
) -> Result<web::Json<BatchCheck>, ApiError> {
    let (bytes, name) = uploads::read_file(form, paydesk_domain::limits::BATCH_FILE_BYTES).await?;
    let st = state.clone();
    Ok(web::Json(web::block(move || batches::check(&st, &auth, kind, &bytes, name)).await??))
}

/// Check a batch file of payments (上传模板)
///
/// Every row is checked as the single operation would be, and the 商户批次号 and
/// 商户订单号 against those used before. Answers 200 either way: with
/// `problems` (and a copy of the file with a problems column) nothing is kept
/// to submit; without, `file_id` submits it at `POST /api/v1/batches`.
#[utoipa::path(
    tag = "batches", security(("bearer" = [])), params(KindQuery),
    request_body(content = BatchForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, body = BatchCheck),
        (status = 422, description = "`file_required`, `file_too_large`, `file_type`, `file_unreadable`, `file_encoding`, `batch_kind_unknown`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["transfer"]))),
)]
#[post("/batches/checks")]
async fn check_batch(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Transfer>,
    query: web::Query<KindQuery>,
    form: Multipart,
) -> Result<web::Json<BatchCheck>, ApiError> {
    let kind = batches::kind_of(&query.kind)?;
    if kind.application_kind().is_none() {
        return Err(ApiError::field(
            "kind",
            "batch_kind_unknown",
            "contact lists are checked at /api/v1/contacts/imports/checks",
        ));
    }
    checked(state, auth, kind, form).await
}

/// Submit a checked batch of payments (确认转账 / 确认)
///
/// One application with a line per row; the total and fees are held at once.
/// The file is checked again first. An operator who may also review completes
/// it at once with the payment password and the second factor. Send an
/// `Idempotency-Key` to make retries safe; a 商户批次号 is used once for ever.
#[utoipa::path(
    tag = "batches", security(("bearer" = [])), request_body = BatchSubmit,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry replay the first answer instead of paying twice")),
    responses(
        (status = 201, description = "Created: `pending_review` with the money held, or executed", body = paydesk_api_types::Application),
        (status = 403, description = "`kyb_required` or `permission_denied`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`merchant_batch_no_taken`, `merchant_order_no_taken`, `idempotency_key_in_progress`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The file's problems (each as an error of `file_id` with its row and column), `insufficient_balance`, `payment_password_wrong`, `sms_code_wrong`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["transfer"]))),
)]
#[post("/batches")]
async fn create_batch(
    state: web::Data<AppState>,
    req: HttpRequest,
    op: CanVerified<perm::Transfer>,
    body: Body<BatchSubmit>,
) -> Result<HttpResponse, ApiError> {
    wrap::money(state, req, op.0, body, StatusCode::CREATED, batches::submit_batch).await
}

/// Download a file the batch check made (the copy with a problems column)
#[utoipa::path(
    tag = "batches", security(("bearer" = [])), params(("id" = String, Path)),
    responses(
        (status = 200, description = "The file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, description = "`upload_not_found`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!([]))),
)]
#[get("/batches/files/{id}")]
async fn batch_file(
    state: web::Data<AppState>,
    auth: OperatorAuth,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let (upload, bytes) =
        web::block(move || crate::core::files::read(&st, &id, Some(auth.merchant_id))).await??;
    if upload.content_type != paydesk_documents::XLSX {
        return Err(ApiError::rule(
            StatusCode::NOT_FOUND,
            paydesk_api_types::ErrorCode::UploadNotFound,
            "no such file",
        ));
    }
    Ok(views::xlsx_download(bytes, &upload.original_name))
}

/// Check a bank contact list (批量添加银行卡联系人)
#[utoipa::path(
    tag = "batches", security(("bearer" = [])),
    request_body(content = BatchForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, body = BatchCheck),
        (status = 422, description = "`file_required`, `file_too_large`, `file_type`, `file_unreadable`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["contacts"]))),
)]
#[post("/contacts/imports/checks")]
async fn check_contacts(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Contacts>,
    form: Multipart,
) -> Result<web::Json<BatchCheck>, ApiError> {
    checked(state, auth, BatchKind::BankContacts, form).await
}

/// Add the contacts of a checked list (确认)
#[utoipa::path(
    tag = "batches", security(("bearer" = [])), request_body = ContactImport,
    responses(
        (status = 201, body = ContactsImported),
        (status = 409, description = "`contact_exists`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The list's problems", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["contacts"]))),
)]
#[post("/contacts/imports")]
async fn import_contacts(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Contacts>,
    body: Body<ContactImport>,
) -> Result<HttpResponse, ApiError> {
    let body = body.take()?.into_inner();
    let st = state.clone();
    let done = web::block(move || batches::import_contacts(&st, &auth, &body.file_id)).await??;
    Ok(HttpResponse::Created().json(done))
}

/// Every line of an application as xlsx (查看更多 → 导出; a batch's result file)
///
/// Each line with its 交易订单号, 商户订单号, payee (bank accounts masked), amount,
/// fee, status and, when it failed or came back, why. For operators who see
/// the merchant's records or review the application's kind.
#[utoipa::path(
    tag = "batches", security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The lines", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, description = "`application_not_found`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!([]))),
)]
#[get("/applications/{id}/lines/export")]
async fn export_lines(
    state: web::Data<AppState>,
    auth: OperatorAuth,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (st, id) = (state.clone(), id.into_inner());
    let (name, bytes) = web::block(move || batches::lines_export(&st, &auth, id)).await??;
    Ok(views::xlsx_download(bytes, &name))
}
