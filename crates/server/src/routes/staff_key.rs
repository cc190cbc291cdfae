//! The staff console's security key: bind it after typing the password again,
//! see it, and unbind it with the password and the key (`core::staff_key`).

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use paydesk_api_types::{
    KeyAssertion, KeyChallenge, KeyRegistration, Problem, SecurityKeyStatus, StaffPassword,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{client_ip, StaffAuth};
use crate::core::staff_key;
use crate::error::ApiError;
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(status)
        .service(start_binding)
        .service(finish_binding)
        .service(unbind_challenge)
        .service(unbind);
}

/// The signed-in staff member's security key
#[utoipa::path(
    tag = "ops", security(("bearer" = [])),
    responses((status = 200, body = SecurityKeyStatus), (status = 401, body = Problem, content_type = "application/problem+json"))
)]
#[get("/ops/security-key")]
async fn status(
    state: web::Data<AppState>,
    auth: StaffAuth,
) -> Result<web::Json<SecurityKeyStatus>, ApiError> {
    let st = state.clone();
    Ok(web::Json(web::block(move || staff_key::status(&st, &auth)).await??))
}

/// Start binding a security key to the staff sign-in
///
/// After the password checks out (a wrong one counts toward the sign-in
/// lockout): the options for `navigator.credentials.create`. Once bound,
/// signing in to the console takes the key after the password.
#[utoipa::path(
    tag = "ops", security(("bearer" = [])), request_body = StaffPassword,
    responses(
        (status = 200, body = KeyChallenge),
        (status = 422, description = "`password_wrong`", body = Problem, content_type = "application/problem+json"),
        (status = 423, description = "`login_frozen`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "`security_key_unavailable`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/ops/security-key/registrations")]
async fn start_binding(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: StaffAuth,
    body: web::Json<StaffPassword>,
) -> Result<web::Json<KeyChallenge>, ApiError> {
    password_opens(state, req, auth, body, staff_key::start_binding).await
}

/// A step the password opens: the key ceremony it starts.
type Opens = fn(&AppState, &StaffAuth, &str, &str) -> Result<(String, serde_json::Value), ApiError>;

async fn password_opens(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: StaffAuth,
    body: web::Json<StaffPassword>,
    step: Opens,
) -> Result<web::Json<KeyChallenge>, ApiError> {
    let (st, ip) = (state.clone(), client_ip(&req));
    let (challenge_id, options) = web::block(move || step(&st, &auth, &body.password, &ip)).await??;
    Ok(web::Json(KeyChallenge { challenge_id, options }))
}

/// Finish binding: the credential the key created
#[utoipa::path(
    tag = "ops", security(("bearer" = [])), request_body = KeyRegistration,
    responses(
        (status = 201, body = SecurityKeyStatus),
        (status = 409, description = "`security_key_taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`security_key_invalid`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/ops/security-key")]
async fn finish_binding(
    state: web::Data<AppState>,
    auth: StaffAuth,
    body: web::Json<KeyRegistration>,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let view = web::block(move || staff_key::finish_binding(&st, &auth, &body)).await??;
    Ok(HttpResponse::Created().json(view))
}

/// A key check for unbinding, after the password checks out
#[utoipa::path(
    tag = "ops", security(("bearer" = [])), request_body = StaffPassword,
    responses(
        (status = 200, body = KeyChallenge),
        (status = 409, description = "`security_key_not_bound`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`password_wrong`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/ops/security-key/unbind-challenges")]
async fn unbind_challenge(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: StaffAuth,
    body: web::Json<StaffPassword>,
) -> Result<web::Json<KeyChallenge>, ApiError> {
    password_opens(state, req, auth, body, staff_key::unbind_challenge).await
}

/// Unbind the staff security key with the key's answer
#[utoipa::path(
    tag = "ops", security(("bearer" = [])), request_body = KeyAssertion,
    responses(
        (status = 204, description = "Unbound; signing in takes the password alone"),
        (status = 409, description = "`security_key_not_bound`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`security_key_invalid`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/ops/security-key/unbind")]
async fn unbind(
    state: web::Data<AppState>,
    auth: StaffAuth,
    body: web::Json<KeyAssertion>,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    web::block(move || staff_key::unbind(&st, &auth, &body)).await??;
    Ok(HttpResponse::NoContent().finish())
}
