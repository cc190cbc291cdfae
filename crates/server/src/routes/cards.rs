//! 银行账户 (manual §3.3.1.3): the merchant's own bank cards, at most 20, each in
//! the company's name; and the branch directory the forms look branches up in.

use actix_web::http::StatusCode;
use actix_web::{delete, get, post, web, HttpResponse};
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{BankCardView, BranchInfo, BranchPlace, NewBankCard, Problem};
use paydesk_domain::identity::BankAccountNo;
use paydesk_domain::{banks, branches};
use paydesk_store::{cards, identity};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{now, OperatorAuth};
use crate::core::payees;
use crate::error::ApiError;
use crate::permits::{perm, Body, Can};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(find_branches)
        .service(branch_places)
        .service(list_cards)
        .service(add_card)
        .service(delete_card);
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct BranchQuery {
    /// Bank code, e.g. `ICBC`.
    pub bank: String,
    pub province: Option<String>,
    pub city: Option<String>,
    /// A word of the branch name.
    pub q: Option<String>,
}

/// Look up bank branches (查询支行信息)
#[utoipa::path(tag = "funds", security(("bearer" = [])), params(BranchQuery), responses((status = 200, body = [BranchInfo])), extensions(("x-permission" = json!([]))))]
#[get("/branches")]
async fn find_branches(_auth: OperatorAuth, query: web::Query<BranchQuery>) -> web::Json<Vec<BranchInfo>> {
    let q = query.into_inner();
    let nonempty =
        |s: &Option<String>| s.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let (province, city, word) = (nonempty(&q.province), nonempty(&q.city), nonempty(&q.q));
    web::Json(
        branches::search(&q.bank, province.as_deref(), city.as_deref(), word.as_deref())
            .take(50)
            .map(|b| BranchInfo {
                code: b.code.clone(),
                name: b.name.clone(),
                province: b.province.clone(),
                city: b.city.clone(),
                district: b.district.clone(),
            })
            .collect(),
    )
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PlaceQuery {
    pub bank: String,
}

/// Provinces and cities where a bank has branches
#[utoipa::path(tag = "funds", security(("bearer" = [])), params(PlaceQuery), responses((status = 200, body = [BranchPlace])), extensions(("x-permission" = json!([]))))]
#[get("/branch-places")]
async fn branch_places(_auth: OperatorAuth, query: web::Query<PlaceQuery>) -> web::Json<Vec<BranchPlace>> {
    web::Json(
        branches::places(&query.bank)
            .into_iter()
            .map(|(province, cities)| BranchPlace { province, cities })
            .collect(),
    )
}

fn card_view(c: &cards::BankCard) -> BankCardView {
    BankCardView {
        id: c.id,
        bank: c.bank.clone(),
        bank_name: banks::find(&c.bank).map(|b| b.name).unwrap_or("").to_owned(),
        branch: c.branch_name.clone(),
        province: c.province.clone(),
        city: c.city.clone(),
        account: BankAccountNo::parse(&c.account_no).map(|n| n.masked()).unwrap_or_default(),
        account_name: c.account_name.clone(),
        created_at: c.created_at.and_utc().to_rfc3339(),
    }
}

/// The merchant's bank cards
#[utoipa::path(tag = "funds", security(("bearer" = [])), responses((status = 200, body = [BankCardView])), extensions(("x-permission" = json!(["account_settings", "withdrawal"]))))]
#[get("/bank-cards")]
async fn list_cards(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::CardsView>,
) -> Result<web::Json<Vec<BankCardView>>, ApiError> {
    let store = state.store.clone();
    let list = web::block(move || store.read(|c| cards::list(c, auth.merchant_id))).await??;
    Ok(web::Json(list.iter().map(card_view).collect()))
}

/// Add a bank card
///
/// The card is in the company's name (it can't be another); the branch comes
/// from the directory; the number is typed twice; the payment password confirms.
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), request_body = NewBankCard,
    responses(
        (status = 201, body = BankCardView),
        (status = 403, description = "`permission_denied`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`card_exists`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`card_limit`, `branch_unknown`, `account_number_mismatch`, `payment_password_wrong`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["account_settings"]))),
)]
#[post("/bank-cards")]
async fn add_card(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::AccountSettings>,
    body: Body<NewBankCard>,
) -> Result<HttpResponse, ApiError> {
    let (st, body) = (state.clone(), body.take()?.into_inner());
    let card = web::block(move || payees::add_card(&st, &auth, body)).await??;
    Ok(HttpResponse::Created().json(card_view(&card)))
}

/// Delete a bank card
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "`card_not_found`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["account_settings"]))),
)]
#[delete("/bank-cards/{id}")]
async fn delete_card(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::AccountSettings>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let store = state.store.clone();
    let id = id.into_inner();
    web::block(move || {
        auth.audit.write(&store, |c| -> Result<(), ApiError> {
            identity::merchant(c, auth.merchant_id)?;
            if !cards::delete(c, auth.merchant_id, id, now())? {
                return Err(ApiError::rule(StatusCode::NOT_FOUND, ErrorCode::CardNotFound, "no such card"));
            }
            Ok(())
        })
    })
    .await??;
    Ok(HttpResponse::NoContent().finish())
}
