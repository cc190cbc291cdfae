//! Opening an account (§2.1): the e-mailed link and the last step.

use actix_web::http::StatusCode;
use paydesk_api_types::CompleteRegistration;
use paydesk_api_types::ErrorCode;
use paydesk_domain::identity::check_registration;
use paydesk_store::identity::{self, NewMerchant};
use paydesk_store::onboarding;

use crate::auth::{hash_password, now, sha256_hex};
use crate::error::ApiError;
use crate::AppState;

/// Why a link can't be used, or the registration it belongs to.
pub fn usable(link: Option<onboarding::Registration>) -> Result<onboarding::Registration, ApiError> {
    let link = link.ok_or_else(|| {
        ApiError::rule(StatusCode::NOT_FOUND, ErrorCode::LinkInvalid, "this registration link is not valid")
    })?;
    if link.used_at.is_some() {
        return Err(ApiError::rule(
            StatusCode::GONE,
            ErrorCode::LinkUsed,
            "this registration link was already used",
        ));
    }
    if link.expires_at <= now() {
        return Err(ApiError::rule(
            StatusCode::GONE,
            ErrorCode::LinkExpired,
            "this registration link has expired",
        )
        .with_detail("ask for a new link from the registration page"));
    }
    Ok(link)
}

/// The last step: the company and its two passwords; the link is used up and the
/// merchant opened with its admin operator and ledger accounts. Blocking.
pub fn complete(
    st: &AppState,
    audit: &crate::oplog::Audit,
    token: &str,
    body: &CompleteRegistration,
) -> Result<identity::Merchant, ApiError> {
    let company = check_registration(&body.company_name, &body.login_password, &body.payment_password)?;
    let login_hash = hash_password(&body.login_password)?;
    let payment_hash = hash_password(&body.payment_password)?;
    let hash = sha256_hex(token);
    audit.write(&st.store, |c| -> Result<_, ApiError> {
        let link = usable(onboarding::find_registration(c, &hash)?)?;
        if !onboarding::use_registration(c, link.id, st.clock.now())? {
            return Err(ApiError::rule(
                StatusCode::GONE,
                ErrorCode::LinkUsed,
                "this registration link was already used",
            ));
        }
        let new = NewMerchant {
            email: &link.email,
            company_name: &company,
            login_password_hash: &login_hash,
            payment_password_hash: &payment_hash,
        };
        identity::create_merchant(c, &new)?.ok_or_else(|| {
            ApiError::rule(StatusCode::CONFLICT, ErrorCode::EmailTaken, "this e-mail already has an account")
        })
    })
}
