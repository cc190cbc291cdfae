//! 快捷盾绑定/解绑 (manual §3.7.5) and the key checks that stand in for SMS codes.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{
    KeyChallenge, KeyChallengeRequest, KeyRegistration, Problem, SecurityKeyCheck, SecurityKeyStatus,
};
use paydesk_domain::application::ApplicationKind;
use paydesk_store::identity;
use paydesk_store::keys::{self, Holder};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::OperatorAuth;
use crate::core::factors::{check_payment_password, check_sms_code};
use crate::error::ApiError;
use crate::permits::{perm, Body, Can};
use crate::security_key::{self as sk, review_binding, submit_binding};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(status).service(start_binding).service(finish_binding).service(unbind).service(challenge);
}

/// 快捷盾: whether the signed-in operator has bound a security key
#[utoipa::path(
    tag = "security", security(("bearer" = [])),
    responses((status = 200, body = SecurityKeyStatus)),
    extensions(("x-permission" = json!(["security_centre"]))),
)]
#[get("/security-key")]
async fn status(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::SecurityCentre>,
) -> Result<web::Json<SecurityKeyStatus>, ApiError> {
    let st = state.clone();
    Ok(web::Json(web::block(move || crate::core::security::key_status(&st, &auth)).await??))
}

/// The checks of §3.7.5: licence number, payment password, SMS code. Blocking.
fn check_identity(st: &AppState, auth: &OperatorAuth, body: &SecurityKeyCheck) -> Result<(), ApiError> {
    crate::core::security::check_licence(st, auth.merchant_id, &body.licence_number)?;
    let merchant = st.store.read(|c| identity::merchant(c, auth.merchant_id))?;
    check_payment_password(st, auth, &merchant, &body.payment_password)?;
    check_sms_code(st, auth.operator_id, Some(&body.sms_code))
}

/// Start binding a security key
///
/// After the licence number, payment password and SMS code check out, returns
/// the options for `navigator.credentials.create` (user verification required).
#[utoipa::path(
    tag = "security", security(("bearer" = [])), request_body = SecurityKeyCheck,
    responses(
        (status = 200, body = KeyChallenge),
        (status = 422, description = "`licence_number_wrong`, `payment_password_wrong`, SMS code errors", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "`security_key_unavailable`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["security_centre"]))),
)]
#[post("/security-key/registrations")]
async fn start_binding(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::SecurityCentre>,
    body: Body<SecurityKeyCheck>,
) -> Result<web::Json<KeyChallenge>, ApiError> {
    let body = body.take()?.into_inner();
    let st = state.clone();
    let (challenge_id, options) = web::block(move || -> Result<_, ApiError> {
        let rp = sk::webauthn(&st.webauthn)?;
        check_identity(&st, &auth, &body)?;
        auth.audit.write(&st.store, |c| -> Result<_, ApiError> {
            let o = identity::operator(c, auth.operator_id)?;
            sk::start_registration(c, rp, Holder::Operator(o.id), &o.login_name, &o.display_name)
        })
    })
    .await??;
    Ok(web::Json(KeyChallenge { challenge_id, options }))
}

/// Finish binding: the credential the key created
#[utoipa::path(
    tag = "security", security(("bearer" = [])), request_body = KeyRegistration,
    responses(
        (status = 201, body = SecurityKeyStatus),
        (status = 409, description = "`security_key_taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`security_key_invalid`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["security_centre"]))),
)]
#[post("/security-key")]
async fn finish_binding(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::SecurityCentre>,
    body: Body<KeyRegistration>,
) -> Result<HttpResponse, ApiError> {
    let body = body.take()?.into_inner();
    let st = state.clone();
    let view = web::block(move || -> Result<_, ApiError> {
        let rp = sk::webauthn(&st.webauthn)?;
        auth.audit.write(&st.store, |c| {
            sk::finish_registration(
                c,
                rp,
                Holder::Operator(auth.operator_id),
                &body.challenge_id,
                &body.credential,
            )
        })?;
        crate::core::security::key_status(&st, &auth)
    })
    .await??;
    Ok(HttpResponse::Created().json(view))
}

/// Unbind the security key (same checks as binding); SMS codes apply again
#[utoipa::path(
    tag = "security", security(("bearer" = [])), request_body = SecurityKeyCheck,
    responses(
        (status = 204, description = "Unbound"),
        (status = 409, description = "`security_key_not_bound`", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["security_centre"]))),
)]
#[post("/security-key/unbind")]
async fn unbind(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::SecurityCentre>,
    body: Body<SecurityKeyCheck>,
) -> Result<HttpResponse, ApiError> {
    let body = body.take()?.into_inner();
    let st = state.clone();
    web::block(move || -> Result<(), ApiError> {
        check_identity(&st, &auth, &body)?;
        if !auth.audit.write(&st.store, |c| keys::unbind(c, Holder::Operator(auth.operator_id)))? {
            return Err(ApiError::rule(
                StatusCode::CONFLICT,
                ErrorCode::SecurityKeyNotBound,
                "No security key is bound",
            ));
        }
        Ok(())
    })
    .await??;
    Ok(HttpResponse::NoContent().finish())
}

/// A key check for an approval or an operation
///
/// `review`: bound to exactly these applications and this decision; `submit`:
/// bound to one kind of operation. Answer with `navigator.credentials.get` and
/// send the result as `security_key` with the review or the operation.
#[utoipa::path(
    tag = "security", security(("bearer" = [])), request_body = KeyChallengeRequest,
    responses(
        (status = 200, body = KeyChallenge),
        (status = 409, description = "`security_key_not_bound`", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!([]))),
)]
#[post("/security-key/challenges")]
async fn challenge(
    state: web::Data<AppState>,
    auth: OperatorAuth,
    body: Body<KeyChallengeRequest>,
) -> Result<web::Json<KeyChallenge>, ApiError> {
    let body = body.take()?.into_inner();
    let binding = match body.purpose.as_str() {
        "review" => {
            let decision = body.decision.as_deref().unwrap_or("approve");
            if !["approve", "reject"].contains(&decision) || body.application_ids.is_empty() {
                return Err(ApiError::field(
                    "application_ids",
                    "ids_count",
                    "name the applications and the decision",
                ));
            }
            review_binding(decision, &body.application_ids)
        }
        "submit" | "policy" => {
            let kind = body
                .kind
                .as_deref()
                .and_then(ApplicationKind::parse)
                .ok_or_else(|| ApiError::field("kind", "kind_invalid", "name the kind of operation"))?;
            if body.purpose == "submit" {
                submit_binding(kind.as_str())
            } else {
                sk::policy_binding(kind.as_str())
            }
        }
        _ => return Err(ApiError::field("purpose", "purpose_invalid", "review, submit or policy")),
    };
    let st = state.clone();
    let (challenge_id, options) = web::block(move || -> Result<_, ApiError> {
        let rp = sk::webauthn(&st.webauthn)?;
        st.store.write(|c| sk::start_assertion(c, rp, Holder::Operator(auth.operator_id), &binding))
    })
    .await??;
    Ok(web::Json(KeyChallenge { challenge_id, options }))
}
