//! Signing in (§3.1): operators with the lockout of five wrong passwords a day,
//! staff, and the server-side session behind every pair of tokens.

use actix_web::http::StatusCode;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{LoginRequest, StaffLoginRequest};
use paydesk_domain::limits;
use paydesk_domain::lockout::{self, AfterFailure};
use paydesk_domain::states::OperatorStatus;
use paydesk_store::{identity, sessions};

use crate::auth::{now, random_token, sha256_hex, verify_against_nothing, verify_password, SubjectKind};
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

pub fn to_epoch(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp()
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
        )
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
            let earlier = identity::failures_since(
                c,
                operator.id,
                at - Duration::seconds(limits::LOCKOUT_WINDOW_SECS),
            )?;
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
            AfterFailure::FrozenUntil(_) => frozen(at + Duration::seconds(limits::LOCKOUT_FREEZE_SECS)),
            AfterFailure::TriesLeft(_) => invalid_credentials(),
        });
    }
    if operator.status != OperatorStatus::Active {
        return Err(ApiError::rule(
            StatusCode::FORBIDDEN,
            ErrorCode::OperatorDisabled,
            "this operator is disabled",
        ));
    }
    st.store.write(|c| identity::clear_lockout(c, operator.id))?;
    open_session(st, (ip, agent), SubjectKind::Operator, operator.id, Some(merchant.id))
}

/// A staff member signs in. Blocking.
pub fn staff_sign_in(
    st: &AppState,
    body: &StaffLoginRequest,
    client: (String, String),
) -> Result<Issued, ApiError> {
    let (ip, agent) = client;
    let found = st.store.read(|c| identity::find_staff(c, body.login_name.trim()))?;
    let Some(member) = found else {
        verify_against_nothing(&body.password);
        return Err(invalid_credentials());
    };
    if !verify_password(&member.password_hash, &body.password) {
        return Err(invalid_credentials());
    }
    open_session(st, (ip, agent), SubjectKind::Staff, member.id, None)
}
