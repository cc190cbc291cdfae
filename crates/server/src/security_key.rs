//! 快捷盾 (manual §3.7.5) as a FIDO2/WebAuthn security key, with webauthn-rs.
//!
//! Binding is a registration ceremony with user verification required (passkey
//! semantics), opened by the licence number, the payment password and an SMS
//! code. Once an operator has a key, their approvals and the fund operations
//! they complete at once take an assertion instead of the SMS code.
//!
//! Every ceremony's state is kept server-side, single use and short-lived,
//! together with what its assertion may be used for: a review challenge is
//! bound to the exact, sorted application ids and the decision, so an
//! assertion made for one application can't approve another.

use paydesk_api_types::ErrorCode;
use std::sync::Arc;

use actix_web::http::StatusCode;
use chrono::Duration;
use paydesk_api_types::KeyAssertion;
use paydesk_store::keys::{self, Holder};
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential,
    Url, Uuid, Webauthn, WebauthnBuilder,
};

use crate::auth::{now, random_token};
use crate::error::ApiError;
use crate::Settings;

/// How long a ceremony may take.
pub const CHALLENGE_SECS: i64 = paydesk_domain::limits::KEY_CHALLENGE_SECS;

/// The relying party: this server's host. Development accepts `localhost` on
/// any port (browsers allow WebAuthn on http://localhost); production uses the
/// public URL, which must be https.
pub fn relying_party(settings: &Settings) -> anyhow::Result<Option<Arc<Webauthn>>> {
    let origin = match &settings.public_url {
        Some(u) => Url::parse(u)?,
        None if settings.mode.is_development() => Url::parse("http://localhost")?,
        None => return Ok(None),
    };
    let Some(host) = origin.host_str().map(str::to_owned) else { return Ok(None) };
    let builder = WebauthnBuilder::new(&host, &origin)?
        .rp_name("Paydesk")
        .allow_any_port(settings.mode.is_development());
    Ok(Some(Arc::new(builder.build()?)))
}

fn unavailable() -> ApiError {
    ApiError::rule(
        StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::SecurityKeyUnavailable,
        "Security keys need a public https address",
    )
    .with_detail("set PAYDESK_PUBLIC_URL")
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("webauthn: {e}"))
}

pub fn webauthn(rp: &Option<Arc<Webauthn>>) -> Result<&Webauthn, ApiError> {
    rp.as_deref().ok_or_else(unavailable)
}

/// The holder's bound key, if any.
pub fn passkey_of(c: &mut paydesk_store::DbConn, holder: Holder) -> Result<Option<Passkey>, ApiError> {
    match keys::find(c, holder)? {
        None => Ok(None),
        Some((json, _)) => serde_json::from_str(&json).map(Some).map_err(internal),
    }
}

/// Starts binding a key; returns the challenge id and the browser's options.
pub fn start_registration(
    c: &mut paydesk_store::DbConn,
    rp: &Webauthn,
    holder: Holder,
    login: &str,
    display: &str,
) -> Result<(String, serde_json::Value), ApiError> {
    // A stable user handle per holder: "Paydesk" and the kind, then the id.
    let (kind, id) = match holder {
        Holder::Operator(id) => (0x5061_7964_6573_6b00, id),
        Holder::Staff(id) => (0x5061_7964_6573_6b01, id),
    };
    let user = Uuid::from_u64_pair(kind, u64::try_from(id).unwrap_or(0));
    let (options, state) = rp.start_passkey_registration(user, login, display, None).map_err(internal)?;
    let id = random_token();
    keys::create_challenge(
        c,
        &keys::NewChallenge {
            id: &id,
            holder,
            purpose: "register",
            bound_to: "register",
            state: &serde_json::to_string(&state).map_err(internal)?,
            expires_at: now() + Duration::seconds(CHALLENGE_SECS),
        },
    )?;
    Ok((id, serde_json::to_value(options).map_err(internal)?))
}

fn refused(message: &'static str) -> ApiError {
    ApiError::field("security_key", "security_key_invalid", message)
}

/// Finishes binding with the browser's new credential.
pub fn finish_registration(
    c: &mut paydesk_store::DbConn,
    rp: &Webauthn,
    holder: Holder,
    challenge_id: &str,
    credential: &serde_json::Value,
) -> Result<(), ApiError> {
    let (_, state) = keys::take_challenge(c, challenge_id, holder, "register", now())?
        .ok_or_else(|| refused("this registration expired or was used; start again"))?;
    let state: PasskeyRegistration = serde_json::from_str(&state).map_err(internal)?;
    let credential: RegisterPublicKeyCredential =
        serde_json::from_value(credential.clone()).map_err(|_| refused("not a WebAuthn credential"))?;
    let passkey = rp
        .finish_passkey_registration(&credential, &state)
        .map_err(|_| refused("the key's answer did not verify"))?;
    let cred_id = serde_json::to_string(passkey.cred_id()).map_err(internal)?;
    let json = serde_json::to_string(&passkey).map_err(internal)?;
    if !keys::bind(c, holder, &cred_id, &json, now())? {
        return Err(ApiError::rule(
            StatusCode::CONFLICT,
            ErrorCode::SecurityKeyTaken,
            "This key is bound already",
        ));
    }
    Ok(())
}

/// What a review assertion is bound to: the decision and the exact, sorted ids.
pub fn review_binding(decision: &str, ids: &[i64]) -> String {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("review:{decision}:{}", list.join(","))
}

/// What a policy-change assertion is bound to: the kind whose policy changes.
pub fn policy_binding(kind: &str) -> String {
    format!("policy:{kind}")
}

/// What a submit assertion is bound to: the kind of operation.
pub fn submit_binding(kind: &str) -> String {
    format!("submit:{kind}")
}

/// Starts an assertion for `binding`; `409 security_key_not_bound` without a key.
pub fn start_assertion(
    c: &mut paydesk_store::DbConn,
    rp: &Webauthn,
    holder: Holder,
    binding: &str,
) -> Result<(String, serde_json::Value), ApiError> {
    let passkey = passkey_of(c, holder)?.ok_or_else(|| {
        ApiError::rule(StatusCode::CONFLICT, ErrorCode::SecurityKeyNotBound, "Bind a security key first")
    })?;
    let (options, state) = rp.start_passkey_authentication(&[passkey]).map_err(internal)?;
    let id = random_token();
    keys::create_challenge(
        c,
        &keys::NewChallenge {
            id: &id,
            holder,
            purpose: "authenticate",
            bound_to: binding,
            state: &serde_json::to_string(&state).map_err(internal)?,
            expires_at: now() + Duration::seconds(CHALLENGE_SECS),
        },
    )?;
    Ok((id, serde_json::to_value(options).map_err(internal)?))
}

/// Verifies an assertion made for exactly `binding`. Its challenge is used up
/// in a transaction of its own first, so a refused assertion can't be tried
/// again either.
pub fn verify_assertion(
    store: &paydesk_store::Store,
    rp: &Webauthn,
    holder: Holder,
    binding: &str,
    assertion: &KeyAssertion,
) -> Result<(), ApiError> {
    let (bound_to, state) = store
        .write(|c| keys::take_challenge(c, &assertion.challenge_id, holder, "authenticate", now()))?
        .ok_or_else(|| refused("this key check expired or was used; ask for a new one"))?;
    if bound_to != binding {
        return Err(ApiError::field(
            "security_key",
            "security_key_mismatch",
            "this key check was made for other applications or another operation",
        ));
    }
    let state: PasskeyAuthentication = serde_json::from_str(&state).map_err(internal)?;
    let credential: PublicKeyCredential = serde_json::from_value(assertion.credential.clone())
        .map_err(|_| refused("not a WebAuthn assertion"))?;
    let result = rp
        .finish_passkey_authentication(&credential, &state)
        .map_err(|_| refused("the key's answer did not verify"))?;
    if !result.user_verified() {
        return Err(refused("the key did not verify its user (PIN or fingerprint)"));
    }
    store.write(|c| -> Result<(), ApiError> {
        let mut passkey = passkey_of(c, holder)?.ok_or_else(|| refused("no key is bound"))?;
        passkey.update_credential(&result);
        keys::used(c, holder, &serde_json::to_string(&passkey).map_err(internal)?, now())?;
        Ok(())
    })
}
