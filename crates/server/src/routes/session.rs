//! Signing in and out (manual §3.1): operators of merchants, and platform staff.

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use paydesk_api_types::{
    AccessToken, KeyAssertion, KeyChallenge, LoginRequest, Me, Problem, SessionsEnded, StaffLoginRequest,
    StaffMe,
};
use paydesk_domain::application::ApplicationKind;
use paydesk_domain::permissions::{on_submit, Submission};
use paydesk_store::{identity, sessions};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{
    client_ip, expired_refresh_cookie, now, refresh_cookie, user_agent, OperatorAuth, StaffAuth, SubjectKind,
    ACCESS_TOKEN_SECS,
};
use crate::core::captcha;
use crate::core::session::{self as core_session, Issued, StaffStep};
use crate::error::ApiError;
use crate::ratelimit::Door;
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(login)
        .service(refresh_session)
        .service(logout)
        .service(logout_everywhere)
        .service(me)
        .service(staff_login)
        .service(staff_key_login)
        .service(staff_me)
        .service(refresh_staff_session)
        .service(staff_logout);
}

/// The access token in the body, the refresh token in an HttpOnly cookie.
fn issued_response(state: &AppState, issued: Issued) -> HttpResponse {
    HttpResponse::Ok()
        .cookie(refresh_cookie(issued.kind, &issued.refresh, state.settings.secure_cookies()))
        .json(AccessToken {
            access_token: issued.access,
            token_type: "Bearer".into(),
            expires_in: ACCESS_TOKEN_SECS as u32,
        })
}

/// Sign in as an operator
///
/// Merchant account (the registration e-mail), operator login name (the admin's
/// is the e-mail), password and captcha. Unknown accounts and wrong passwords get
/// the same answer. Five wrong passwords for one operator within a day freeze
/// that login for 24 hours (`423 login_frozen`, saying until when).
#[utoipa::path(
    tag = "session",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the refresh token is set as an HttpOnly cookie", body = AccessToken),
        (status = 401, description = "`invalid_credentials`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong captcha", body = Problem, content_type = "application/problem+json"),
        (status = 423, description = "`login_frozen`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/session")]
async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (ip, agent) = (client_ip(&req), user_agent(&req));
    let account = format!("{}/{}", body.merchant.trim(), body.operator.trim());
    state.limiter.hit_all(&[(Door::SignInIp, &ip), (Door::SignInAccount, &account)])?;
    let (st, id, answer) = (state.clone(), body.captcha_id.clone(), body.captcha_answer.clone());
    web::block(move || captcha::check(&st, &id, &answer)).await??;
    let st = state.clone();
    let issued = web::block(move || core_session::sign_in(&st, &body, (ip, agent))).await??;
    Ok(issued_response(&state, issued))
}

/// Rotates the refresh token of `kind` presented in its cookie and issues a new access token.
async fn refresh_for(
    state: web::Data<AppState>,
    req: HttpRequest,
    kind: SubjectKind,
) -> Result<HttpResponse, ApiError> {
    let presented = req
        .cookie(kind.refresh_cookie_name())
        .map(|c| c.value().to_owned())
        .ok_or(ApiError::SessionExpired)?;
    let st = state.clone();
    let issued = web::block(move || core_session::refresh(&st, kind, &presented)).await??;
    Ok(issued_response(&state, issued))
}

/// Get a new access token with the refresh cookie
///
/// The refresh token rotates on every use; a session idle for 15 minutes, older
/// than 12 hours or revoked can't be refreshed, and showing a refresh token
/// that was already exchanged ends its session (it was copied).
#[utoipa::path(
    tag = "session",
    security(("refresh_cookie" = [])),
    responses(
        (status = 200, description = "A new access token and refresh cookie", body = AccessToken),
        (status = 401, description = "`session_expired`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!([]))),
)]
#[post("/session/refresh")]
async fn refresh_session(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    refresh_for(state, req, SubjectKind::Operator).await
}

/// Get a new staff access token with the staff refresh cookie
#[utoipa::path(
    tag = "ops",
    security(("staff_refresh_cookie" = [])),
    responses(
        (status = 200, description = "A new access token and refresh cookie", body = AccessToken),
        (status = 401, description = "`session_expired`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/ops/session/refresh")]
async fn refresh_staff_session(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    refresh_for(state, req, SubjectKind::Staff).await
}

/// Sign out of the staff console
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    responses((status = 204, description = "Signed out"), (status = 401, body = Problem, content_type = "application/problem+json"))
)]
#[delete("/ops/session")]
async fn staff_logout(state: web::Data<AppState>, auth: StaffAuth) -> Result<HttpResponse, ApiError> {
    let store = state.store.clone();
    web::block(move || auth.audit.write(&store, |c| sessions::revoke(c, &auth.session_id, now()))).await??;
    Ok(HttpResponse::NoContent()
        .cookie(expired_refresh_cookie(SubjectKind::Staff, state.settings.secure_cookies()))
        .finish())
}

/// Sign out of this session
#[utoipa::path(
    tag = "session",
    security(("bearer" = [])),
    responses((status = 204, description = "Signed out"), (status = 401, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!([]))),
)]
#[delete("/session")]
async fn logout(state: web::Data<AppState>, auth: OperatorAuth) -> Result<HttpResponse, ApiError> {
    let store = state.store.clone();
    web::block(move || auth.audit.write(&store, |c| sessions::revoke(c, &auth.session_id, now()))).await??;
    Ok(HttpResponse::NoContent()
        .cookie(expired_refresh_cookie(SubjectKind::Operator, state.settings.secure_cookies()))
        .finish())
}

/// Sign out everywhere
///
/// Ends every session of the signed-in operator, on every device.
#[utoipa::path(
    tag = "session",
    security(("bearer" = [])),
    responses((status = 200, body = SessionsEnded), (status = 401, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!([]))),
)]
#[post("/session/logout-all")]
async fn logout_everywhere(state: web::Data<AppState>, auth: OperatorAuth) -> Result<HttpResponse, ApiError> {
    let store = state.store.clone();
    let ended = web::block(move || {
        auth.audit.write(&store, |c| sessions::revoke_all(c, "operator", auth.operator_id, now()))
    })
    .await??;
    Ok(HttpResponse::Ok()
        .cookie(expired_refresh_cookie(SubjectKind::Operator, state.settings.secure_cookies()))
        .json(SessionsEnded { ended: u32::try_from(ended).unwrap_or(u32::MAX) }))
}

/// The signed-in operator and merchant
#[utoipa::path(
    tag = "session",
    security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!([]))),
)]
#[get("/me")]
async fn me(state: web::Data<AppState>, auth: OperatorAuth) -> Result<web::Json<Me>, ApiError> {
    let store = state.store.clone();
    let held = auth.permissions.clone();
    let (m, o, role, at_once, key) = web::block(move || {
        store.read(|c| -> Result<_, ApiError> {
            let m = identity::merchant(c, auth.merchant_id)?;
            let o = identity::operator(c, auth.operator_id)?;
            let (role, _) = paydesk_store::roles::of_operator(c, &o)?;
            let mut at_once = Vec::new();
            for kind in ApplicationKind::ALL {
                let mode = paydesk_store::roles::policy(c, m.id, kind)?;
                if on_submit(&auth.permissions, kind, mode) == Submission::CompletesNow {
                    at_once.push(kind.as_str().to_owned());
                }
            }
            let key = paydesk_store::keys::find(c, paydesk_store::keys::Holder::Operator(o.id))?.is_some();
            Ok((m, o, role, at_once, key))
        })
    })
    .await??;
    let phone_bound = crate::core::factors::phone_of(&o, &m).is_some();
    Ok(web::Json(Me {
        merchant_id: m.id,
        merchant_email: m.email,
        company_name: m.company_name,
        operator: o.login_name,
        display_name: o.display_name,
        role: role.as_ref().and_then(|r| r.builtin.clone()).unwrap_or_else(|| "custom".into()),
        role_name: role.map(|r| r.name).unwrap_or_default(),
        permissions: held.iter().map(|p| p.as_str().to_owned()).collect(),
        completes_at_once: at_once,
        security_key_bound: key,
        kyb_status: m.kyb_status.to_string(),
        password_change_required: o.password_change_required,
        phone_bound,
    }))
}

/// Sign in as platform staff
#[utoipa::path(
    tag = "ops",
    request_body = StaffLoginRequest,
    responses(
        (status = 200, description = "Signed in", body = AccessToken),
        (status = 202, description = "The password was right and a security key is bound: answer this key check at `POST /ops/session/key`", body = KeyChallenge),
        (status = 401, description = "`invalid_credentials`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/ops/session")]
async fn staff_login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<StaffLoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (ip, agent) = (client_ip(&req), user_agent(&req));
    let account = format!("staff/{}", body.login_name.trim());
    state.limiter.hit_all(&[(Door::SignInIp, &ip), (Door::SignInAccount, &account)])?;
    let (st, id, answer) = (state.clone(), body.captcha_id.clone(), body.captcha_answer.clone());
    web::block(move || captcha::check(&st, &id, &answer)).await??;
    let st = state.clone();
    match web::block(move || core_session::staff_sign_in(&st, &body, (ip, agent))).await?? {
        StaffStep::Signed(issued) => Ok(issued_response(&state, issued)),
        StaffStep::KeyNeeded(challenge_id, options) => {
            Ok(HttpResponse::Accepted().json(KeyChallenge { challenge_id, options }))
        }
    }
}

/// Finish a staff sign-in with the security key
///
/// After `POST /ops/session` answered 202: the key's answer
/// (`navigator.credentials.get` with the options given). A refused answer uses
/// the check up; sign in again.
#[utoipa::path(
    tag = "ops",
    request_body = KeyAssertion,
    responses(
        (status = 200, description = "Signed in; the refresh token is set as an HttpOnly cookie", body = AccessToken),
        (status = 422, description = "`security_key_invalid`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/ops/session/key")]
async fn staff_key_login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<KeyAssertion>,
) -> Result<HttpResponse, ApiError> {
    let (ip, agent) = (client_ip(&req), user_agent(&req));
    state.limiter.hit_all(&[(Door::SignInIp, &ip)])?;
    let st = state.clone();
    let issued = web::block(move || core_session::staff_key_sign_in(&st, &body, (ip, agent))).await??;
    Ok(issued_response(&state, issued))
}

/// The signed-in staff member
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    responses((status = 200, body = StaffMe), (status = 401, body = Problem, content_type = "application/problem+json"))
)]
#[get("/ops/me")]
async fn staff_me(state: web::Data<AppState>, auth: StaffAuth) -> Result<web::Json<StaffMe>, ApiError> {
    let store = state.store.clone();
    let (member, key) = web::block(move || {
        store.read(|c| -> Result<_, ApiError> {
            let key = paydesk_store::keys::find(c, paydesk_store::keys::Holder::Staff(auth.staff_id))?;
            Ok((identity::staff_member(c, auth.staff_id)?, key.is_some()))
        })
    })
    .await??;
    Ok(web::Json(StaffMe { login_name: member.login_name, security_key_bound: key }))
}
