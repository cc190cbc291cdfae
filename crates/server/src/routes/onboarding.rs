//! Opening an account (manual §2.1): captcha, e-mail link, company and passwords.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Duration;
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{
    Captcha, CompleteRegistration, Problem, Registered, RegistrationLink, RegistrationRequest,
    RegistrationSent, ResendRequest,
};
use paydesk_domain::identity::Email;
use paydesk_domain::limits;
use paydesk_store::identity::{self};
use paydesk_store::onboarding;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::client_ip;
use crate::auth::{now, random_token, sha256_hex};
use crate::core::captcha;
use crate::core::onboarding::{self as onboarding_core, usable};
use crate::error::ApiError;
use crate::ratelimit::Door;
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(new_captcha)
        .service(start_registration)
        .service(resend_registration)
        .service(registration_link)
        .service(complete_registration);
}

/// A registration link lives this long.
const LINK_HOURS: i64 = limits::REGISTRATION_LINK_HOURS;
/// Seconds between two links to one address.
const RESEND_COOLDOWN_SECS: i64 = limits::RESEND_COOLDOWN_SECS;

/// A new image captcha
///
/// Each captcha is good for one answer within five minutes. In development mode
/// the answer comes back in `dev_answer` so people and tests can pass it.
#[utoipa::path(tag = "onboarding", responses((status = 201, body = Captcha)))]
#[post("/captchas")]
async fn new_captcha(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    state.limiter.hit(Door::CaptchaIp, &client_ip(&req))?;
    let st = state.clone();
    Ok(HttpResponse::Created().json(web::block(move || captcha::issue(&st)).await??))
}

fn parse_email(text: &str) -> Result<Email, ApiError> {
    Email::parse(text).map_err(|e| ApiError::field("email", e.code, e.message))
}

/// Sends a registration link unless one went to the address within the cool-down.
async fn send_link(state: &AppState, req: &HttpRequest, email: Email) -> Result<RegistrationSent, ApiError> {
    state.limiter.hit_all(&[(Door::RegisterIp, &client_ip(req)), (Door::RegisterAccount, email.as_str())])?;
    let token = random_token();
    let link = format!("{}/register/complete?token={token}", state.settings.public_base(req));
    let store = state.store.clone();
    let messenger = state.messenger.clone();
    let address = email.as_str().to_owned();
    let audit = crate::oplog::Audit::of(req);
    web::block(move || -> Result<(), ApiError> {
        let at = now();
        audit.write(&store, |c| -> Result<(), ApiError> {
            if identity::find_merchant_by_email(c, &address)?.is_some() {
                return Err(ApiError::rule(StatusCode::CONFLICT, ErrorCode::EmailTaken, "this e-mail already has an account")
                    .with_detail("sign in, or recover the password from the sign-in page"));
            }
            if let Some(last) = onboarding::last_registration_sent(c, &address)? {
                let wait = RESEND_COOLDOWN_SECS - (at - last).num_seconds();
                if wait > 0 {
                    return Err(ApiError::rule(
                        StatusCode::TOO_MANY_REQUESTS,
                        ErrorCode::ResendTooSoon,
                        "a link was sent less than a minute ago",
                    )
                    .with_detail(format!("try again in {wait} seconds")));
                }
            }
            onboarding::create_registration(c, &address, &sha256_hex(&token), at, at + Duration::hours(LINK_HOURS))?;
            Ok(())
        })?;
        let body = format!(
            "您好！\n\n请在 {LINK_HOURS} 小时内点击下面的链接，完成 Paydesk 商户注册：\n{link}\n\n\
             Hello,\n\nOpen this link within {LINK_HOURS} hours to finish registering with Paydesk:\n{link}\n\n\
             如非本人操作，请忽略本邮件。If you did not ask for this, ignore this e-mail.\n"
        );
        messenger.email_with_secrets(&store, &address, "Paydesk 注册邮箱验证 / Confirm your e-mail", &body, &[&token])?;
        Ok(())
    })
    .await??;
    Ok(RegistrationSent { email: email.to_string(), resend_after: RESEND_COOLDOWN_SECS as u32 })
}

/// Start registration: send a link to the e-mail
///
/// Needs the captcha and the accepted service agreement. The link expires in 24
/// hours and works once; a new one can be asked for after 60 seconds.
#[utoipa::path(
    tag = "onboarding",
    request_body = RegistrationRequest,
    responses(
        (status = 202, description = "The link was sent", body = RegistrationSent),
        (status = 409, description = "`email_taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid e-mail, captcha or agreement", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`resend_too_soon`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registrations")]
async fn start_registration(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<RegistrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let email = parse_email(&body.email)?;
    if !body.agreement_accepted {
        return Err(ApiError::field(
            "agreement_accepted",
            "agreement_required",
            "read and accept the service agreement",
        ));
    }
    let (st, id, answer) = (state.clone(), body.captcha_id.clone(), body.captcha_answer.clone());
    web::block(move || captcha::check(&st, &id, &answer)).await??;
    let sent = send_link(&state, &req, email).await?;
    Ok(HttpResponse::Accepted().json(sent))
}

/// Send the registration link again
///
/// Allowed once the 60-second cool-down since the last link has passed.
#[utoipa::path(
    tag = "onboarding",
    request_body = ResendRequest,
    responses(
        (status = 202, description = "Another link was sent", body = RegistrationSent),
        (status = 429, description = "`resend_too_soon`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registrations/resend")]
async fn resend_registration(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<ResendRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = parse_email(&body.email)?;
    let store = state.store.clone();
    let address = email.as_str().to_owned();
    let started =
        web::block(move || store.read(|c| onboarding::last_registration_sent(c, &address))).await??;
    if started.is_none() {
        return Err(ApiError::rule(
            StatusCode::NOT_FOUND,
            ErrorCode::RegistrationNotStarted,
            "no registration was started for this e-mail",
        ));
    }
    let sent = send_link(&state, &req, email).await?;
    Ok(HttpResponse::Accepted().json(sent))
}

/// Check a registration link
#[utoipa::path(
    tag = "onboarding",
    params(("token" = String, Path, description = "The token from the e-mailed link")),
    responses(
        (status = 200, body = RegistrationLink),
        (status = 404, description = "`link_invalid`", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "`link_used` or `link_expired`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/registrations/{token}")]
async fn registration_link(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let store = state.store.clone();
    let hash = sha256_hex(&token);
    let link = web::block(move || store.read(|c| onboarding::find_registration(c, &hash))).await??;
    let link = usable(link)?;
    Ok(HttpResponse::Ok().json(RegistrationLink { email: link.email }))
}

/// Finish registration: company name and the two passwords
///
/// Opens the merchant with its `admin` operator (login name = the e-mail) and its
/// balance accounts. The link is spent.
#[utoipa::path(
    tag = "onboarding",
    params(("token" = String, Path, description = "The token from the e-mailed link")),
    request_body = CompleteRegistration,
    responses(
        (status = 201, body = Registered),
        (status = 404, description = "`link_invalid`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`email_taken`", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "`link_used` or `link_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Weak or equal passwords, missing company name", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registrations/{token}/complete")]
async fn complete_registration(
    state: web::Data<AppState>,
    token: web::Path<String>,
    body: web::Json<CompleteRegistration>,
    audit: crate::oplog::Audit,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let merchant = web::block(move || onboarding_core::complete(&st, &audit, &token, &body)).await??;
    Ok(HttpResponse::Created().json(Registered {
        operator: merchant.email.clone(),
        email: merchant.email,
        company_name: merchant.company_name,
    }))
}
