//! The integrator gateway over HTTP (`core::gateway`): API clients and keys in
//! the portal, the platform's public key, and the signed operations.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use paydesk_api_types::{
    ApiClientView, ApiKeyView, GatewayWhoAmI, NewApiClient, NewApiKey, PaymentPasswordProof,
    PlatformPublicKey, Problem,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::core::gateway;
use crate::error::ApiError;
use crate::permits::{perm, Body, Can};
use crate::{wrap, AppState};

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_clients)
        .service(create_client)
        .service(add_key)
        .service(revoke_key)
        .service(platform_key)
        .service(whoami);
}

/// The merchant's API clients and their keys
#[utoipa::path(
    tag = "gateway", security(("bearer" = [])),
    responses((status = 200, body = Vec<ApiClientView>), (status = 403, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[get("/api-clients")]
async fn list_clients(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
) -> Result<web::Json<Vec<ApiClientView>>, ApiError> {
    let st = state.clone();
    Ok(web::Json(web::block(move || gateway::clients(&st, &auth)).await??))
}

/// Create an API client (an operator of kind `api` in one of your roles)
///
/// Its `app_id` names it in signed requests; register a public key next.
#[utoipa::path(
    tag = "gateway", security(("bearer" = [])), request_body = NewApiClient,
    responses(
        (status = 201, body = ApiClientView),
        (status = 422, description = "`name_invalid`, `role_unknown`, `payment_password_wrong`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[post("/api-clients")]
async fn create_client(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
    body: Body<NewApiClient>,
) -> Result<HttpResponse, ApiError> {
    let body = body.take()?.into_inner();
    let st = state.clone();
    let view = web::block(move || gateway::create_client(&st, &auth, &body)).await??;
    Ok(HttpResponse::Created().json(view))
}

/// Register a public key for an API client (RSA 2048+ or Ed25519, PEM)
///
/// The client's other keys stay live until revoked, so a key rotates with an overlap.
#[utoipa::path(
    tag = "gateway", security(("bearer" = [])), params(("app_id" = String, Path)), request_body = NewApiKey,
    responses(
        (status = 201, body = ApiKeyView),
        (status = 404, description = "`api_client_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`public_key_invalid`, `public_key_too_weak`, `payment_password_wrong`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[post("/api-clients/{app_id}/keys")]
async fn add_key(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
    app_id: web::Path<String>,
    body: Body<NewApiKey>,
) -> Result<HttpResponse, ApiError> {
    let body = body.take()?.into_inner();
    let st = state.clone();
    let view = web::block(move || gateway::add_key(&st, &auth, &app_id, &body)).await??;
    Ok(HttpResponse::Created().json(view))
}

/// Revoke one of an API client's keys
#[utoipa::path(
    tag = "gateway", security(("bearer" = [])), params(("app_id" = String, Path), ("key_id" = i64, Path)), request_body = PaymentPasswordProof,
    responses(
        (status = 204, description = "Revoked: requests it signs are refused with `key_revoked`"),
        (status = 404, description = "`api_client_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`payment_password_wrong`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[post("/api-clients/{app_id}/keys/{key_id}/revoke")]
async fn revoke_key(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
    path: web::Path<(String, i64)>,
    body: Body<PaymentPasswordProof>,
) -> Result<HttpResponse, ApiError> {
    let body = body.take()?.into_inner();
    let (app_id, key_id) = path.into_inner();
    let st = state.clone();
    web::block(move || gateway::revoke_key(&st, &auth, &app_id, key_id, &body.payment_password)).await??;
    Ok(HttpResponse::NoContent().finish())
}

/// The platform's public key (网关证书 / 公钥下载), behind the payment password
///
/// Verify `Paydesk-Signature` on responses and notifications with it.
#[utoipa::path(
    tag = "gateway", security(("bearer" = [])), request_body = PaymentPasswordProof,
    responses(
        (status = 200, body = PlatformPublicKey),
        (status = 422, description = "`payment_password_wrong`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[post("/gateway-key")]
async fn platform_key(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
    body: Body<PaymentPasswordProof>,
) -> Result<web::Json<PlatformPublicKey>, ApiError> {
    let body = body.take()?.into_inner();
    let st = state.clone();
    Ok(web::Json(web::block(move || gateway::platform_key(&st, &auth, &body.payment_password)).await??))
}

/// Who signed this request (a signed operation to test an integration with)
///
/// Answers with the client and merchant; the response carries `Paydesk-Signature`.
#[utoipa::path(
    tag = "gateway", security(("paydesk_signature" = [])),
    responses(
        (status = 200, body = GatewayWhoAmI, headers(("Paydesk-Signature" = String, description = "timestamp=…,nonce=…,signature=…"))),
        (status = 401, description = "`signature_malformed`, `signature_stale`, `nonce_invalid`, `nonce_reused`, `app_unknown`, `key_revoked`, `signature_invalid`", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/gateway/whoami")]
async fn whoami(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    // A GET signs an empty body.
    wrap::signed(state, req, web::Bytes::new(), |_, _, signed, _| {
        Ok((
            StatusCode::OK,
            GatewayWhoAmI {
                app_id: signed.client.app_id.clone(),
                merchant: signed.merchant.email.clone(),
                client_name: signed.operator.display_name.clone(),
            },
        ))
    })
    .await
}
