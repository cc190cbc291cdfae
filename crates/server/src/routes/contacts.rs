//! 联系人 (manual §3.3.2): saved payees, for the payee pickers of transfers.

use actix_web::http::StatusCode;
use actix_web::{delete, get, post, web, HttpResponse};
use paydesk_api_types::{ContactView, FieldError, NewBankContact, NewPlatformContact, Page, Problem};
use paydesk_domain::identity::{BankAccountNo, Email, Phone};
use paydesk_domain::{banks, branches};
use paydesk_store::{contacts, identity};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::now;
use crate::error::ApiError;
use crate::permits::{perm, Body, Can, Params};
use crate::AppState;
use paydesk_domain::identity::masked_name;

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

fn optional_phone(phone: &Option<String>, errors: &mut Vec<FieldError>) -> Option<String> {
    let p = phone.as_deref().map(str::trim).filter(|p| !p.is_empty())?;
    match Phone::parse(p) {
        Ok(p) => Some(p.as_str().to_owned()),
        Err(e) => {
            errors.push(FieldError { field: "phone".into(), code: e.code.into(), message: e.message.into() });
            None
        }
    }
}

fn taken() -> ApiError {
    ApiError::rule(StatusCode::CONFLICT, "contact_exists", "this account is already a contact")
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
    let body = body.take()?;
    let body = body.into_inner();
    let email = Email::parse(&body.account).map_err(|e| ApiError::field("account", e.code, e.message))?;
    let mut errors = Vec::new();
    let phone = optional_phone(&body.phone, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let remark = body.remark.unwrap_or_default().trim().chars().take(50).collect::<String>();
    let store = state.store.clone();
    let contact = web::block(move || {
        store.write(|c| -> Result<contacts::Contact, ApiError> {
            let payee = identity::find_merchant_by_email(c, email.as_str())?;
            if payee.as_ref().is_some_and(|m| m.id == auth.merchant_id) {
                return Err(ApiError::field("account", "payee_is_self", "this is your own account"));
            }
            let payee = payee.filter(|m| m.kyb_status == "verified").ok_or_else(|| {
                ApiError::field("account", "payee_not_found", "no verified platform account has this name")
            })?;
            contacts::add(
                c,
                &contacts::NewContact {
                    merchant_id: auth.merchant_id,
                    kind: "platform",
                    name: &masked_name(&payee.company_name),
                    account: &payee.email,
                    account_type: None,
                    bank: None,
                    branch_code: None,
                    branch_name: None,
                    phone: phone.as_deref(),
                    remark: &remark,
                    at: now(),
                },
            )?
            .ok_or_else(taken)
        })
    })
    .await??;
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
    let body = body.take()?;
    let body = body.into_inner();
    let mut errors = Vec::new();
    let mut push = |field: &str, code: &str, message: &str| {
        errors.push(FieldError { field: field.into(), code: code.into(), message: message.into() })
    };
    if !["personal", "corporate"].contains(&body.account_type.as_str()) {
        push("account_type", "account_type_invalid", "choose personal or corporate");
    }
    let name = body.name.trim().to_owned();
    if name.chars().count() < 2 || name.chars().count() > 60 {
        push("name", "name_invalid", "enter the account holder's full name");
    }
    let number = BankAccountNo::parse(&body.account_number)
        .map_err(|e| push("account_number", e.code, e.message))
        .ok();
    let branch = branches::by_code(body.branch_code.trim()).filter(|b| b.bank == body.bank);
    if branch.is_none() {
        push("branch_code", "branch_unknown", "choose the branch from the directory");
    }
    let phone = optional_phone(&body.phone, &mut errors);
    let (Some(number), Some(branch), true) = (number, branch, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let remark = body.remark.unwrap_or_default().trim().chars().take(50).collect::<String>();
    let store = state.store.clone();
    let contact = web::block(move || {
        store.write(|c| -> Result<contacts::Contact, ApiError> {
            contacts::add(
                c,
                &contacts::NewContact {
                    merchant_id: auth.merchant_id,
                    kind: "bank",
                    name: &name,
                    account: number.as_str(),
                    account_type: Some(&body.account_type),
                    bank: Some(&branch.bank),
                    branch_code: Some(&branch.code),
                    branch_name: Some(&branch.name),
                    phone: phone.as_deref(),
                    remark: &remark,
                    at: now(),
                },
            )?
            .ok_or_else(taken)
        })
    })
    .await??;
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
    let deleted = web::block(move || store.write(|c| contacts::delete(c, auth.merchant_id, id))).await??;
    if !deleted {
        return Err(ApiError::rule(StatusCode::NOT_FOUND, "contact_not_found", "no such contact"));
    }
    Ok(HttpResponse::NoContent().finish())
}
