//! Signing in (§3.1): operators and staff, each under the lockout of five wrong
//! passwords a day (counted before the hash is checked, see `core::attempts`),
//! and the server-side session behind every pair of tokens.

use actix_web::http::StatusCode;
use chrono::{DateTime, NaiveDateTime, Utc};
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{KeyAssertion, LoginRequest, StaffLoginRequest};
use paydesk_domain::states::{AttemptKind, OperatorStatus, StaffStatus};
use paydesk_store::keys::{self, Holder};
use paydesk_store::{identity, sessions};

use crate::auth::{
    liveness, now, random_token, sha256_hex, verify_against_nothing, verify_password, SubjectKind,
};
use crate::core::attempts::{self, Outcome};
use crate::core::staff_key;
use crate::error::ApiError;
use crate::AppState;

pub fn invalid_credentials() -> ApiError {
    ApiError::rule(
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidCredentials,
        "the account, operator or password is wrong",
    )
}

pub fn frozen(until: NaiveDateTime) -> ApiError {
    let until = DateTime::<Utc>::from_naive_utc_and_offset(until, Utc);
    ApiError::rule(
        StatusCode::LOCKED,
        ErrorCode::LoginFrozen,
        "this login is frozen after five wrong passwords",
    )
    .with_detail(format!(
        "frozen until {} (UTC); contact customer service to unlock it sooner",
        until.format("%Y-%m-%d %H:%M:%S")
    ))
}

/// One sign-in, for the operation log.
struct SignIn<'a> {
    kind: SubjectKind,
    /// The operator or staff member, when the name was known.
    subject: Option<i64>,
    merchant: Option<i64>,
    status: u16,
    ip: &'a str,
}

fn log_sign_in(c: &mut paydesk_store::DbConn, s: SignIn<'_>) -> Result<(), paydesk_store::StoreError> {
    let (operator_id, staff_id, path) = match s.kind {
        SubjectKind::Operator => (s.subject, None, "/api/v1/session"),
        SubjectKind::Staff => (None, s.subject, "/api/v1/ops/session"),
    };
    paydesk_store::oplog::record(
        c,
        &paydesk_store::oplog::NewEntry {
            merchant_id: s.merchant,
            operator_id,
            staff_id,
            action: &format!("POST {path}"),
            target: path,
            status: s.status,
            ip: s.ip,
            at: now(),
        },
    )
}

/// Logs a refused sign-in (wrong password, frozen, disabled) and answers the refusal.
fn refuse_sign_in(st: &AppState, s: SignIn<'_>, refusal: ApiError) -> ApiError {
    use actix_web::ResponseError;
    let s = SignIn { status: refusal.status_code().as_u16(), ..s };
    if let Err(e) = st.store.write(|c| log_sign_in(c, s)) {
        tracing::error!(error = %e, "logging a refused sign-in failed");
    }
    refusal
}

/// The answer to a sign-in password that was not right.
fn refused(outcome: Outcome) -> ApiError {
    match outcome {
        Outcome::Frozen(until) | Outcome::JustFrozen(until) => frozen(until),
        Outcome::Right | Outcome::Wrong { .. } => invalid_credentials(),
    }
}

/// A new access token and the refresh token to set as a cookie.
pub struct Issued {
    pub kind: SubjectKind,
    pub access: String,
    pub refresh: String,
}

/// Opens a server-side session and issues its tokens. Blocking.
pub fn open_session(
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
        )?;
        // The sign-in is logged with the session it opens.
        log_sign_in(c, SignIn { kind, subject: Some(subject), merchant, status: 200, ip: &ip })
    })?;
    let access = state.tokens.issue(kind, subject, merchant, &session_id)?;
    Ok(Issued { kind, access, refresh: refresh_token })
}

/// An operator signs in: merchant account, operator, password. Unknown accounts
/// and wrong passwords get the same answer in the same time. Blocking.
pub fn sign_in(st: &AppState, body: &LoginRequest, client: (String, String)) -> Result<Issued, ApiError> {
    let (ip, agent) = client;
    let merchant_email = body.merchant.trim().to_ascii_lowercase();
    let operator_name = body.operator.trim().to_owned();
    let found = st.store.read(|c| -> Result<_, ApiError> {
        let Some(m) = identity::find_merchant_by_email(c, &merchant_email)? else { return Ok(None) };
        Ok(identity::find_operator(c, m.id, &operator_name)?.map(|o| (m, o)))
    })?;
    let Some((merchant, operator)) = found else {
        verify_against_nothing(&body.password);
        let who = SignIn { kind: SubjectKind::Operator, subject: None, merchant: None, status: 0, ip: &ip };
        return Err(refuse_sign_in(st, who, invalid_credentials()));
    };
    let who = |status| SignIn {
        kind: SubjectKind::Operator,
        subject: Some(operator.id),
        merchant: Some(merchant.id),
        status,
        ip: &ip,
    };
    let outcome = attempts::guarded(st, AttemptKind::OperatorSignIn, operator.id, &ip, || {
        verify_password(&operator.password_hash, &body.password)
    })?;
    if outcome != Outcome::Right {
        tracing::info!(operator = operator.id, ?outcome, "wrong password");
        return Err(refuse_sign_in(st, who(0), refused(outcome)));
    }
    if operator.status != OperatorStatus::Active {
        let refusal =
            ApiError::rule(StatusCode::FORBIDDEN, ErrorCode::OperatorDisabled, "this operator is disabled");
        return Err(refuse_sign_in(st, who(0), refusal));
    }
    open_session(st, (ip, agent), SubjectKind::Operator, operator.id, Some(merchant.id))
}

/// Where a staff sign-in stands after the password.
pub enum StaffStep {
    /// Signed in.
    Signed(Issued),
    /// The password was right and a key is bound: the key check to answer
    /// (challenge id, request options) with [`staff_key_sign_in`].
    KeyNeeded(String, serde_json::Value),
}

fn staff_disabled() -> ApiError {
    ApiError::rule(StatusCode::FORBIDDEN, ErrorCode::OperatorDisabled, "this staff account is disabled")
}

/// A staff member signs in; with a bound security key, the password only
/// opens the key check. Blocking.
pub fn staff_sign_in(
    st: &AppState,
    body: &StaffLoginRequest,
    client: (String, String),
) -> Result<StaffStep, ApiError> {
    let (ip, agent) = client;
    let found = st.store.read(|c| identity::find_staff(c, body.login_name.trim()))?;
    let Some(member) = found else {
        verify_against_nothing(&body.password);
        let who = SignIn { kind: SubjectKind::Staff, subject: None, merchant: None, status: 0, ip: &ip };
        return Err(refuse_sign_in(st, who, invalid_credentials()));
    };
    let who =
        SignIn { kind: SubjectKind::Staff, subject: Some(member.id), merchant: None, status: 0, ip: &ip };
    let outcome = attempts::guarded(st, AttemptKind::StaffSignIn, member.id, &ip, || {
        verify_password(&member.password_hash, &body.password)
    })?;
    if outcome != Outcome::Right {
        tracing::info!(staff = member.id, ?outcome, "wrong staff password");
        return Err(refuse_sign_in(st, who, refused(outcome)));
    }
    if member.status != StaffStatus::Active {
        return Err(refuse_sign_in(st, who, staff_disabled()));
    }
    let holder = Holder::Staff(member.id);
    if st.store.read(|c| keys::find(c, holder))?.is_some() {
        let rp = crate::security_key::webauthn(&st.webauthn)?;
        let (id, options) =
            st.store.write(|c| crate::security_key::start_assertion(c, rp, holder, staff_key::SIGN_IN))?;
        return Ok(StaffStep::KeyNeeded(id, options));
    }
    Ok(StaffStep::Signed(open_session(st, (ip, agent), SubjectKind::Staff, member.id, None)?))
}

/// The second step of a staff sign-in: the key's answer to the check the
/// password opened. A refused answer uses the check up; sign in again. Blocking.
pub fn staff_key_sign_in(
    st: &AppState,
    assertion: &KeyAssertion,
    client: (String, String),
) -> Result<Issued, ApiError> {
    let (ip, agent) = client;
    let expired = || {
        ApiError::field(
            "security_key",
            "security_key_invalid",
            "this key check expired or was used; sign in again",
        )
    };
    let Some(Holder::Staff(id)) =
        st.store.read(|c| keys::challenge_holder(c, &assertion.challenge_id, now()))?
    else {
        return Err(expired());
    };
    let who = SignIn { kind: SubjectKind::Staff, subject: Some(id), merchant: None, status: 0, ip: &ip };
    let rp = crate::security_key::webauthn(&st.webauthn)?;
    if let Err(refusal) =
        crate::security_key::verify_assertion(&st.store, rp, Holder::Staff(id), staff_key::SIGN_IN, assertion)
    {
        return Err(refuse_sign_in(st, who, refusal));
    }
    let member = st.store.read(|c| identity::staff_member(c, id))?;
    if member.status != StaffStatus::Active {
        return Err(refuse_sign_in(st, who, staff_disabled()));
    }
    open_session(st, (ip, agent), SubjectKind::Staff, id, None)
}

/// Exchanges a refresh token for a new pair. A token already exchanged means
/// two holders — the owner and a thief — so its whole session ends. Blocking.
pub fn refresh(st: &AppState, kind: SubjectKind, presented: &str) -> Result<Issued, ApiError> {
    let old_hash = sha256_hex(presented);
    let fresh = random_token();
    let at = now();
    // The transaction commits the revocation of a stolen session even though
    // the answer is a refusal, so it answers None rather than an error.
    let session = st.store.write(|c| -> Result<Option<_>, ApiError> {
        let Some(s) = sessions::find_by_refresh(c, &old_hash)?.filter(|s| s.subject_kind == kind.as_str())
        else {
            if let Some(stolen) = sessions::spent_refresh(c, &old_hash)? {
                sessions::revoke(c, &stolen, at)?;
                tracing::warn!(session = %stolen, "a spent refresh token was shown again; session ended");
            }
            return Ok(None);
        };
        let rotated = sessions::touch(c, &s.id, at, liveness(at))?
            && sessions::rotate_refresh(c, &s.id, &old_hash, &sha256_hex(&fresh), at)?;
        Ok(rotated.then_some(s))
    })?;
    let session = session.ok_or(ApiError::SessionExpired)?;
    let access = st.tokens.issue(kind, session.subject_id, session.merchant_id, &session.id)?;
    Ok(Issued { kind, access, refresh: fresh })
}
