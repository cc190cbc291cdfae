//! The staff console's security key (issue 10). A staff member binds a key
//! after typing their password again; from then on, signing in to the console
//! takes the key after the password (`core::session::staff_sign_in`). Unbinding
//! takes the password and the key itself, so a stolen session alone can't
//! remove it; a lost key is removed from the command line
//! (`paydesk ops reset-staff-key`).

use actix_web::http::StatusCode;
use paydesk_api_types::{ErrorCode, KeyAssertion, KeyRegistration, SecurityKeyStatus};
use paydesk_domain::states::AttemptKind;
use paydesk_store::identity;
use paydesk_store::keys::{self, Holder};
use serde_json::Value;

use crate::auth::StaffAuth;
use crate::core::security::{confirm_current_password, key_status_of, Current};
use crate::error::ApiError;
use crate::security_key as sk;
use crate::AppState;

/// What a sign-in assertion is bound to.
pub const SIGN_IN: &str = "staff:sign-in";
/// What an unbinding assertion is bound to.
const UNBIND: &str = "staff:unbind";

fn holder(auth: &StaffAuth) -> Holder {
    Holder::Staff(auth.staff_id)
}

/// The signed-in staff member's key. Blocking.
pub fn status(st: &AppState, auth: &StaffAuth) -> Result<SecurityKeyStatus, ApiError> {
    st.store.read(|c| key_status_of(c, holder(auth), None))
}

fn confirm_password(st: &AppState, auth: &StaffAuth, password: &str, ip: &str) -> Result<(), ApiError> {
    let member = st.store.read(|c| identity::staff_member(c, auth.staff_id))?;
    let current = Current { kind: AttemptKind::StaffSignIn, subject: member.id, hash: &member.password_hash };
    confirm_current_password(st, &current, ("password", password), ip)
}

/// Starts binding after the password checks out: the creation options. Blocking.
pub fn start_binding(
    st: &AppState,
    auth: &StaffAuth,
    password: &str,
    ip: &str,
) -> Result<(String, Value), ApiError> {
    let rp = sk::webauthn(&st.webauthn)?;
    confirm_password(st, auth, password, ip)?;
    auth.audit.write(&st.store, |c| -> Result<_, ApiError> {
        let member = identity::staff_member(c, auth.staff_id)?;
        sk::start_registration(c, rp, holder(auth), &member.login_name, &member.login_name)
    })
}

/// Finishes binding with the key's new credential. Blocking.
pub fn finish_binding(
    st: &AppState,
    auth: &StaffAuth,
    body: &KeyRegistration,
) -> Result<SecurityKeyStatus, ApiError> {
    let rp = sk::webauthn(&st.webauthn)?;
    auth.audit.write(&st.store, |c| {
        sk::finish_registration(c, rp, holder(auth), &body.challenge_id, &body.credential)
    })?;
    status(st, auth)
}

fn not_bound() -> ApiError {
    ApiError::rule(StatusCode::CONFLICT, ErrorCode::SecurityKeyNotBound, "No security key is bound")
}

/// A key check for unbinding, after the password checks out. Blocking.
pub fn unbind_challenge(
    st: &AppState,
    auth: &StaffAuth,
    password: &str,
    ip: &str,
) -> Result<(String, Value), ApiError> {
    let rp = sk::webauthn(&st.webauthn)?;
    confirm_password(st, auth, password, ip)?;
    st.store.write(|c| sk::start_assertion(c, rp, holder(auth), UNBIND))
}

/// Unbinds with an assertion made for it. Blocking.
pub fn unbind(st: &AppState, auth: &StaffAuth, assertion: &KeyAssertion) -> Result<(), ApiError> {
    let rp = sk::webauthn(&st.webauthn)?;
    sk::verify_assertion(&st.store, rp, holder(auth), UNBIND, assertion)?;
    if !auth.audit.write(&st.store, |c| keys::unbind(c, holder(auth)))? {
        return Err(not_bound());
    }
    Ok(())
}
