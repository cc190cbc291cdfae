//! 联系人 (manual §3.3.2): saved payees, for the payee pickers of transfers.

use actix_web::http::StatusCode;
use actix_web::{delete, get, post, web, HttpResponse};
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{ContactView, NewBankContact, NewPlatformContact, Page, Problem};
use paydesk_domain::banks;
use paydesk_domain::identity::BankAccountNo;
use paydesk_store::contacts;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::core::payees;
use crate::error::ApiError;
use crate::permits::{perm, Body, Can, Params};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_contacts)
        .service(add_platform_contact)
        .service(add_bank_contact)
        .service(delete_contact);
}

/// Bank account numbers are shown masked, as everywhere.
fn view(c: &contacts::Contact) -> ContactView {
    let account = if c.kind == "bank" {
        BankAccountNo::parse(&c.account).map(|n| n.masked()).unwrap_or_default()
    } else {
        c.account.clone()
    };
    ContactView {
        id: c.id,
        kind: c.kind.clone(),
        name: c.name.clone(),
        account,
        account_type: c.account_type.clone(),
        bank: c.bank.clone(),
        bank_name: c.bank.as_deref().and_then(banks::find).map(|b| b.name.to_owned()),
        branch_code: c.branch_code.clone(),
        branch_name: c.branch_name.clone(),
        phone: c.phone.clone(),
        remark: c.remark.clone(),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ContactQuery {
    /// `platform` or `bank`; both when absent.
    pub kind: Option<String>,
    /// A word of the name or account.
    pub q: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// Saved payees, by name, 20 a page
#[utoipa::path(tag = "contacts", security(("bearer" = [])), params(ContactQuery), responses((status = 200, body = Page<ContactView>)), extensions(("x-permission" = json!(["contacts"]))))]
#[get("/contacts")]
async fn list_contacts(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Contacts>,
    query: Params<ContactQuery>,
) -> Result<web::Json<Page<ContactView>>, ApiError> {
    let query = query.take()?;
    let q = query.into_inner();
    let page = q.page.unwrap_or(1).max(1);
    let per_page = q.per_page.unwrap_or(20).clamp(1, 100);
    let store = state.store.clone();
    let kind = q.kind.filter(|k| !k.is_empty());
    let word = q.q.map(|w| w.trim().to_owned()).filter(|w| !w.is_empty());
    let (rows, total) = web::block(move || {
        store.read(|c| {
            contacts::search(
                c,
                auth.merchant_id,
                kind.as_deref(),
                word.as_deref(),
                i64::from(per_page),
                i64::from(page - 1) * i64::from(per_page),
            )
        })
    })
    .await??;
    Ok(web::Json(Page {
        items: rows.iter().map(view).collect(),
        page,
        per_page,
        total: u64::try_from(total).unwrap_or(0),
    }))
}

/// Add a platform-account contact
///
/// The account must be a verified merchant; its name (partly masked) is filled in.
#[utoipa::path(
    tag = "contacts", security(("bearer" = [])), request_body = NewPlatformContact,
    responses(
        (status = 201, body = ContactView),
        (status = 409, description = "`contact_exists`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`payee_not_found`, `payee_is_self`, `phone_invalid`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["contacts"]))),
)]
#[post("/contacts/platform")]
async fn add_platform_contact(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Contacts>,
    body: Body<NewPlatformContact>,
) -> Result<HttpResponse, ApiError> {
    let (st, body) = (state.clone(), body.take()?.into_inner());
    let contact = web::block(move || payees::add_platform_contact(&st, &auth, body)).await??;
    Ok(HttpResponse::Created().json(view(&contact)))
}

/// Add a bank-account contact
#[utoipa::path(
    tag = "contacts", security(("bearer" = [])), request_body = NewBankContact,
    responses(
        (status = 201, body = ContactView),
        (status = 409, description = "`contact_exists`", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["contacts"]))),
)]
#[post("/contacts/bank")]
async fn add_bank_contact(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Contacts>,
    body: Body<NewBankContact>,
) -> Result<HttpResponse, ApiError> {
    let (st, body) = (state.clone(), body.take()?.into_inner());
    let contact = web::block(move || payees::add_bank_contact(&st, &auth, body)).await??;
    Ok(HttpResponse::Created().json(view(&contact)))
}

/// Delete a contact
#[utoipa::path(
    tag = "contacts", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, description = "`contact_not_found`", body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["contacts"]))),
)]
#[delete("/contacts/{id}")]
async fn delete_contact(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Contacts>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let store = state.store.clone();
    let id = id.into_inner();
    let deleted =
        web::block(move || auth.audit.write(&store, |c| contacts::delete(c, auth.merchant_id, id))).await??;
    if !deleted {
        return Err(ApiError::rule(StatusCode::NOT_FOUND, ErrorCode::ContactNotFound, "no such contact"));
    }
    Ok(HttpResponse::NoContent().finish())
}
