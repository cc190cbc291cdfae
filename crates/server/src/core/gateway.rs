//! The integrator gateway (issue 12): API clients and their keys, managed in the
//! portal behind the payment password, and the check of every signed request
//! (`domain::gateway` decides what is signed; `gateway_keys` does the
//! arithmetic). A signature replaces the session, the payment password and the
//! second factor; the client's role still decides what it may do.

use actix_web::http::StatusCode;
use paydesk_api_types::{ApiClientView, ApiKeyView, ErrorCode, NewApiClient, NewApiKey, PlatformPublicKey};
use paydesk_domain::apps::App;
use paydesk_domain::gateway::{self, Refusal, SignedHeader};
use paydesk_store::gateway::{self as store, ApiClient};
use paydesk_store::{identity, roles};
use sha2::{Digest, Sha256};

use crate::auth::{hash_password, random_token, OperatorAuth};
use crate::core::factors::check_payment_password;
use crate::core::operators::grantable_role;
use crate::error::ApiError;
use crate::gateway_keys::PublicKey;
use crate::AppState;

/// A refused signed request: 401 with the refusal's own code.
pub fn refused(r: Refusal) -> ApiError {
    let code = match r {
        Refusal::Malformed => ErrorCode::SignatureMalformed,
        Refusal::Stale => ErrorCode::SignatureStale,
        Refusal::BadNonce => ErrorCode::NonceInvalid,
        Refusal::NonceReused => ErrorCode::NonceReused,
        Refusal::UnknownApp => ErrorCode::AppUnknown,
        Refusal::KeyRevoked => ErrorCode::KeyRevoked,
        Refusal::BadSignature => ErrorCode::SignatureInvalid,
    };
    ApiError::rule(StatusCode::UNAUTHORIZED, code, r.message())
}

fn not_found() -> ApiError {
    ApiError::rule(StatusCode::NOT_FOUND, ErrorCode::ApiClientNotFound, "no such API client")
}

fn fingerprint(pem: &str) -> String {
    Sha256::digest(pem.trim().as_bytes()).iter().take(8).map(|b| format!("{b:02x}")).collect()
}

fn key_view(k: &store::ApiKey) -> ApiKeyView {
    ApiKeyView {
        id: k.id,
        algorithm: k.algorithm.clone(),
        fingerprint: fingerprint(&k.public_key),
        created_at: k.created_at.and_utc().to_rfc3339(),
        revoked_at: k.revoked_at.map(|t| t.and_utc().to_rfc3339()),
    }
}

fn client_view(c: &mut paydesk_store::DbConn, client: &ApiClient) -> Result<ApiClientView, ApiError> {
    let operator = identity::operator(c, client.operator_id)?;
    let role = roles::of_operator(c, &operator)?.0;
    Ok(ApiClientView {
        app_id: client.app_id.clone(),
        name: operator.display_name,
        role_name: role.map(|r| r.name).unwrap_or_default(),
        created_at: client.created_at.and_utc().to_rfc3339(),
        keys: store::keys(c, &client.app_id)?.iter().map(key_view).collect(),
    })
}

fn confirm(st: &AppState, auth: &OperatorAuth, payment_password: &str) -> Result<(), ApiError> {
    let merchant = st.store.read(|c| identity::merchant(c, auth.merchant_id))?;
    check_payment_password(st, auth, &merchant, payment_password)
}

/// The merchant's API clients. Blocking.
pub fn clients(st: &AppState, auth: &OperatorAuth) -> Result<Vec<ApiClientView>, ApiError> {
    st.store.read(|c| -> Result<_, ApiError> {
        store::clients_of(c, auth.merchant_id)?.iter().map(|client| client_view(c, client)).collect()
    })
}

/// Creates an API client in a role the caller may grant. Blocking.
pub fn create_client(
    st: &AppState,
    auth: &OperatorAuth,
    body: &NewApiClient,
) -> Result<ApiClientView, ApiError> {
    let name = body.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > paydesk_domain::limits::OPERATOR_NAME_CHARS {
        return Err(ApiError::field("name", "name_invalid", "a client's name has 1 to 20 characters"));
    }
    confirm(st, auth, &body.payment_password)?;
    let app_id = format!("app_{}", &random_token()[..24]);
    // Nothing matches this hash: an API client never signs in with a password.
    let unusable = hash_password(&random_token())?;
    let at = st.clock.now();
    auth.audit.write(&st.store, |c| -> Result<_, ApiError> {
        crate::core::apps::require(c, auth.merchant_id, App::ApiAccess)?;
        let role = grantable_role(c, auth, body.role_id)?;
        let new = identity::NewOperator {
            login_name: &app_id,
            display_name: &name,
            password_hash: &unusable,
            phone: None,
            password_change_required: false,
        };
        let (client, _) = store::create_client(c, auth.merchant_id, role.id, &app_id, &new, at)?;
        client_view(c, &client)
    })
}

fn own_client(
    c: &mut paydesk_store::DbConn,
    auth: &OperatorAuth,
    app_id: &str,
) -> Result<ApiClient, ApiError> {
    store::client(c, app_id)?.filter(|cl| cl.merchant_id == auth.merchant_id).ok_or_else(not_found)
}

/// Registers a public key for one of the merchant's clients. Blocking.
pub fn add_key(
    st: &AppState,
    auth: &OperatorAuth,
    app_id: &str,
    body: &NewApiKey,
) -> Result<ApiKeyView, ApiError> {
    let key = PublicKey::from_pem(&body.public_key)
        .map_err(|p| ApiError::field("public_key", p.code(), p.message()))?;
    confirm(st, auth, &body.payment_password)?;
    let at = st.clock.now();
    auth.audit.write(&st.store, |c| -> Result<_, ApiError> {
        let client = own_client(c, auth, app_id)?;
        Ok(key_view(&store::add_key(c, &client.app_id, &key.algorithm(), body.public_key.trim(), at)?))
    })
}

/// Revokes a key: requests signed with it are refused from now on. Blocking.
pub fn revoke_key(
    st: &AppState,
    auth: &OperatorAuth,
    app_id: &str,
    key_id: i64,
    payment_password: &str,
) -> Result<(), ApiError> {
    confirm(st, auth, payment_password)?;
    let at = st.clock.now();
    auth.audit.write(&st.store, |c| -> Result<(), ApiError> {
        let client = own_client(c, auth, app_id)?;
        if !store::revoke_key(c, &client.app_id, key_id, at)? {
            return Err(not_found());
        }
        Ok(())
    })
}

/// 公钥下载: the platform's public key, behind the payment password. Blocking.
pub fn platform_key(
    st: &AppState,
    auth: &OperatorAuth,
    payment_password: &str,
) -> Result<PlatformPublicKey, ApiError> {
    confirm(st, auth, payment_password)?;
    Ok(PlatformPublicKey { algorithm: "Ed25519".into(), public_key: st.platform_key.public_pem() })
}

/// Who signed a request that checked out.
#[derive(Debug, Clone)]
pub struct Signed {
    pub client: ApiClient,
    pub operator: identity::Operator,
    pub merchant: identity::Merchant,
    pub role: Option<roles::Role>,
}

impl Signed {
    pub fn of(signer: store::Signer) -> Signed {
        let store::Signer { client, operator, merchant, role, .. } = signer;
        Signed { client, operator, merchant, role }
    }

    /// What the client's role allows (a custom role's list is read in `c`).
    pub fn permissions(
        &self,
        c: &mut paydesk_store::DbConn,
    ) -> Result<paydesk_domain::permissions::Permissions, ApiError> {
        Ok(match &self.role {
            Some(role) => roles::permissions(c, role)?,
            None => Default::default(),
        })
    }
}

/// Counts a refusal against the address that sent it.
fn count_refusal(st: &AppState, ip: &str, e: &ApiError) {
    if matches!(e, ApiError::Rule { status, .. } if *status == StatusCode::UNAUTHORIZED) {
        // Counted, not refused: this request already has its answer.
        let _ = st.limiter.hit(crate::ratelimit::Door::GatewayRefusedIp, ip);
    }
}

/// The first check of a signed request, before any database work: an address
/// whose requests were refused too often waits (`429`); then the header's
/// shape, the time window and the nonce's shape. Blocking (the limiter).
pub fn admit(st: &AppState, ip: &str, header: Option<&str>) -> Result<SignedHeader, ApiError> {
    st.limiter.check(crate::ratelimit::Door::GatewayRefusedIp, ip)?;
    let checked = gateway::parse_header(header.unwrap_or("")).and_then(|h| {
        gateway::check_freshness(&h, st.clock.now().and_utc().timestamp())?;
        Ok(h)
    });
    checked.map_err(refused).inspect_err(|e| count_refusal(st, ip, e))
}

/// The rest of the check: the client, the signature against its live keys (a
/// revoked one is named), then the client's own rate
/// (`limits::rate::GATEWAY_PER_APP`). The nonce is claimed after this — after
/// the signature, so unsigned noise can't fill the nonce table — in the
/// transaction of the request's change ([`claim_nonce_in`], or the operation
/// log line's, `oplog::Audit::spends_nonce`), so both commit together; a
/// request that changes nothing spends its nonce with [`spend_nonce`].
pub fn verify_in(
    c: &mut paydesk_store::DbConn,
    st: &AppState,
    ip: &str,
    h: &SignedHeader,
    method: &str,
    path_and_query: &str,
    body: &[u8],
) -> Result<Signed, ApiError> {
    let signed = verify(c, h, method, path_and_query, body).inspect_err(|e| count_refusal(st, ip, e))?;
    st.limiter.hit(crate::ratelimit::Door::GatewayApp, &signed.client.app_id)?;
    Ok(signed)
}

fn verify(
    c: &mut paydesk_store::DbConn,
    h: &SignedHeader,
    method: &str,
    path_and_query: &str,
    body: &[u8],
) -> Result<Signed, ApiError> {
    let signer = store::signer(c, &h.app_id)?.ok_or(refused(Refusal::UnknownApp))?;
    let operator = &signer.operator;
    if operator.status != paydesk_domain::states::OperatorStatus::Active || operator.kind != "api" {
        return Err(refused(Refusal::UnknownApp));
    }
    let message = gateway::canonical(method, path_and_query, h.timestamp, &h.nonce, body);
    let verifies = |k: &store::ApiKey| {
        PublicKey::from_pem(&k.public_key).is_ok_and(|p| p.verify(&message, &h.signature))
    };
    if !signer.keys.iter().filter(|k| k.revoked_at.is_none()).any(verifies) {
        let revoked = signer.keys.iter().filter(|k| k.revoked_at.is_some()).any(verifies);
        return Err(refused(if revoked { Refusal::KeyRevoked } else { Refusal::BadSignature }));
    }
    Ok(Signed::of(signer))
}

/// Claims a verified request's nonce inside the request's transaction: a
/// concurrent request with the same nonce waits on the unique key and is
/// refused once this one commits.
pub fn claim_nonce_in(
    c: &mut paydesk_store::DbConn,
    st: &AppState,
    ip: &str,
    h: &SignedHeader,
) -> Result<(), ApiError> {
    if !store::claim_nonce(c, &h.app_id, &h.nonce, st.clock.now())? {
        return Err(nonce_reused(st, ip));
    }
    Ok(())
}

/// The refusal of a nonce used before, counted against the address.
pub fn nonce_reused(st: &AppState, ip: &str) -> ApiError {
    let e = refused(Refusal::NonceReused);
    count_refusal(st, ip, &e);
    e
}

/// Claims a verified request's nonce in a transaction of its own, when the
/// request's own transaction didn't (it rolled back, or the request changed
/// nothing): a request that was refused, failed or answered from its
/// Idempotency-Key can't be sent again as it was (a retry signs afresh).
/// False when another request had spent it. Blocking.
pub fn spend_nonce(st: &AppState, h: &SignedHeader) -> bool {
    match st.store.write(|c| store::claim_nonce(c, &h.app_id, &h.nonce, st.clock.now())) {
        Ok(fresh) => fresh,
        Err(e) => {
            tracing::warn!(error = %e, "spending a nonce failed");
            true
        }
    }
}

/// Forgets nonces older than the window in which a reuse could be tried
/// (`gateway::NONCE_KEEP_SECS`). Blocking; the jobs run it every minute.
pub fn forget_nonces(st: &AppState) -> Result<usize, ApiError> {
    let before = st.clock.now() - chrono::Duration::seconds(gateway::NONCE_KEEP_SECS);
    Ok(st.store.write(|c| store::forget_nonces(c, before))?)
}
