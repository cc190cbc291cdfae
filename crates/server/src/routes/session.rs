//! Signing in and out (manual §3.1): operators of merchants, and platform staff.

use actix_web::http::StatusCode;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use paydesk_api_types::{AccessToken, LoginRequest, Me, Problem, SessionsEnded, StaffLoginRequest, StaffMe};
use paydesk_domain::application::ApplicationKind;
use paydesk_domain::lockout::{self, AfterFailure};
use paydesk_domain::permissions::{on_submit, Submission};
use paydesk_store::{identity, sessions};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{
    client_ip, expired_refresh_cookie, now, random_token, refresh_cookie, sha256_hex, user_agent,
    verify_against_nothing, verify_password, OperatorAuth, StaffAuth, SubjectKind, ACCESS_TOKEN_SECS,
    IDLE_SECS,
};
use crate::core::captcha;
use crate::error::ApiError;
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(login)
        .service(refresh_session)
        .service(logout)
        .service(logout_everywhere)
        .service(me)
        .service(staff_login)
        .service(staff_me)
        .service(refresh_staff_session)
        .service(staff_logout);
}

fn invalid_credentials() -> ApiError {
    ApiError::rule(
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
        "the account, operator or password is wrong",
    )
}

fn frozen(until: NaiveDateTime) -> ApiError {
    let until = DateTime::<Utc>::from_naive_utc_and_offset(until, Utc);
    ApiError::rule(StatusCode::LOCKED, "login_frozen", "this login is frozen after five wrong passwords")
        .with_detail(format!(
            "frozen until {} (UTC); contact customer service to unlock it sooner",
            until.format("%Y-%m-%d %H:%M:%S")
        ))
}

fn to_epoch(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp()
}

/// A new access token and the refresh token to set as a cookie.
struct Issued {
    kind: SubjectKind,
    access: String,
    refresh: String,
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

/// Opens a server-side session and issues its tokens. Blocking.
fn open_session(
    state: &AppState,
    (ip, agent): (String, String),
    kind: SubjectKind,
    subject: i64,
    merchant: Option<i64>,
) -> Result<Issued, ApiError> {
    let session_id = random_token();
    let refresh_token = random_token();
    state.store.write(|c| {
        sessions::create(
            c,
            &sessions::NewSession {
                id: &session_id,
                subject_kind: kind.as_str(),
                subject_id: subject,
                merchant_id: merchant,
                refresh_hash: &sha256_hex(&refresh_token),
                ip: &ip,
                user_agent: &agent,
                at: now(),
            },
        )
    })?;
    let access = state.tokens.issue(kind, subject, merchant, &session_id)?;
    Ok(Issued { kind, access, refresh: refresh_token })
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
    let (st, id, answer) = (state.clone(), body.captcha_id.clone(), body.captcha_answer.clone());
    web::block(move || captcha::check(&st, &id, &answer)).await??;
    let (ip, agent) = (client_ip(&req), user_agent(&req));
    let st = state.clone();
    let issued = web::block(move || -> Result<Issued, ApiError> {
        let merchant_email = body.merchant.trim().to_ascii_lowercase();
        let operator_name = body.operator.trim().to_owned();
        let found = st.store.read(|c| -> Result<_, ApiError> {
            let Some(m) = identity::find_merchant_by_email(c, &merchant_email)? else { return Ok(None) };
            Ok(identity::find_operator(c, m.id, &operator_name)?.map(|o| (m, o)))
        })?;
        let Some((merchant, operator)) = found else {
            verify_against_nothing(&body.password);
            return Err(invalid_credentials());
        };
        let at = now();
        if let Some(until) =
            operator.frozen_until.filter(|u| lockout::is_frozen(Some(to_epoch(*u)), to_epoch(at)))
        {
            verify_against_nothing(&body.password);
            return Err(frozen(until));
        }
        if !verify_password(&operator.password_hash, &body.password) {
            let outcome = st.store.write(|c| -> Result<_, ApiError> {
                let earlier =
                    identity::failures_since(c, operator.id, at - Duration::seconds(lockout::WINDOW_SECS))?;
                let earlier: Vec<i64> = earlier.into_iter().map(to_epoch).collect();
                identity::record_login_failure(c, operator.id, &ip, at)?;
                let outcome = lockout::after_failure(&earlier, to_epoch(at));
                if let AfterFailure::FrozenUntil(until) = outcome {
                    let until = DateTime::from_timestamp(until, 0).map(|d| d.naive_utc()).unwrap_or(at);
                    identity::freeze_operator(c, operator.id, until)?;
                }
                Ok(outcome)
            })?;
            tracing::info!(operator = operator.id, ?outcome, "wrong password");
            return Err(match outcome {
                AfterFailure::FrozenUntil(_) => frozen(at + Duration::seconds(lockout::FREEZE_SECS)),
                AfterFailure::TriesLeft(_) => invalid_credentials(),
            });
        }
        if operator.status != "active" {
            return Err(ApiError::rule(
                StatusCode::FORBIDDEN,
                "operator_disabled",
                "this operator is disabled",
            ));
        }
        st.store.write(|c| identity::clear_lockout(c, operator.id))?;
        open_session(&st, (ip, agent), SubjectKind::Operator, operator.id, Some(merchant.id))
    })
    .await??;
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
    let issued = web::block(move || -> Result<Issued, ApiError> {
        let old_hash = sha256_hex(&presented);
        let fresh = random_token();
        let at = now();
        let session = st.store.write(|c| -> Result<_, ApiError> {
            let s = sessions::find_by_refresh(c, &old_hash)?
                .filter(|s| s.subject_kind == kind.as_str())
                .ok_or(ApiError::SessionExpired)?;
            if !sessions::touch(c, &s.id, at, at - Duration::seconds(IDLE_SECS))?
                || !sessions::rotate_refresh(c, &s.id, &old_hash, &sha256_hex(&fresh))?
            {
                return Err(ApiError::SessionExpired);
            }
            Ok(s)
        })?;
        let access = st.tokens.issue(kind, session.subject_id, session.merchant_id, &session.id)?;
        Ok(Issued { kind, access, refresh: fresh })
    })
    .await??;
    Ok(issued_response(&state, issued))
}

/// Get a new access token with the refresh cookie
///
/// The refresh token rotates on every use; a session idle for 15 minutes or
/// revoked can't be refreshed.
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
    web::block(move || store.write(|c| sessions::revoke(c, &auth.session_id, now()))).await??;
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
    web::block(move || store.write(|c| sessions::revoke(c, &auth.session_id, now()))).await??;
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
    let ended =
        web::block(move || store.write(|c| sessions::revoke_all(c, "operator", auth.operator_id, now())))
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
            let key = paydesk_store::keys::find(c, o.id)?.is_some();
            Ok((m, o, role, at_once, key))
        })
    })
    .await??;
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
        kyb_status: m.kyb_status,
    }))
}

/// Sign in as platform staff
#[utoipa::path(
    tag = "ops",
    request_body = StaffLoginRequest,
    responses(
        (status = 200, description = "Signed in", body = AccessToken),
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
    let (st, id, answer) = (state.clone(), body.captcha_id.clone(), body.captcha_answer.clone());
    web::block(move || captcha::check(&st, &id, &answer)).await??;
    let (ip, agent) = (client_ip(&req), user_agent(&req));
    let st = state.clone();
    let issued = web::block(move || -> Result<Issued, ApiError> {
        let found = st.store.read(|c| identity::find_staff(c, body.login_name.trim()))?;
        let Some(member) = found else {
            verify_against_nothing(&body.password);
            return Err(invalid_credentials());
        };
        if !verify_password(&member.password_hash, &body.password) {
            return Err(invalid_credentials());
        }
        open_session(&st, (ip, agent), SubjectKind::Staff, member.id, None)
    })
    .await??;
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
    let member = web::block(move || store.read(|c| identity::staff_member(c, auth.staff_id))).await??;
    Ok(web::Json(StaffMe { login_name: member.login_name }))
}
