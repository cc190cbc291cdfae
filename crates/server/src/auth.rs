//! Passwords, tokens and the session extractors.
//!
//! A signed-in person holds a short-lived access token (HS256 JWT, 5 minutes)
//! and a refresh token in an HttpOnly, SameSite=Strict cookie. Both stand for a
//! server-side session row: logout revokes it, and a session idle for 15 minutes
//! is over whatever the tokens say.

use paydesk_api_types::ErrorCode;
use paydesk_domain::states::{KybStatus, OperatorStatus};
use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{web, FromRequest, HttpRequest};
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{Duration, NaiveDateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::AppState;

/// Access tokens live this long; the SPA refreshes before they lapse.
pub const ACCESS_TOKEN_SECS: i64 = paydesk_domain::limits::ACCESS_TOKEN_SECS;
/// A session unused for this long is over (manual-grade portals end idle sessions).
pub const IDLE_SECS: i64 = paydesk_domain::limits::SESSION_IDLE_SECS;

/// A session is live at `at` when used within [`IDLE_SECS`] and opened within
/// `limits::SESSION_MAX_SECS`.
pub fn liveness(at: NaiveDateTime) -> paydesk_store::sessions::Liveness {
    paydesk_store::sessions::Liveness {
        idle_since: at - Duration::seconds(IDLE_SECS),
        opened_since: at - Duration::seconds(paydesk_domain::limits::SESSION_MAX_SECS),
    }
}

/// At most `limits::CONCURRENT_HASHES` Argon2 computations (19 MiB each) at
/// once; the rest wait their turn, so a flood of sign-ins can't exhaust memory.
struct HashPermits {
    in_use: std::sync::Mutex<usize>,
    freed: std::sync::Condvar,
}

static HASH_PERMITS: HashPermits =
    HashPermits { in_use: std::sync::Mutex::new(0), freed: std::sync::Condvar::new() };

/// Runs `f` holding one of the hashing permits.
fn with_hash_permit<T>(f: impl FnOnce() -> T) -> T {
    let p = &HASH_PERMITS;
    {
        let mut n = p.in_use.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while *n >= paydesk_domain::limits::CONCURRENT_HASHES {
            n = p.freed.wait(n).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        *n += 1;
        HASH_HIGH_WATER.fetch_max(*n, std::sync::atomic::Ordering::Relaxed);
    }
    struct Release;
    impl Drop for Release {
        fn drop(&mut self) {
            let p = &HASH_PERMITS;
            *p.in_use.lock().unwrap_or_else(std::sync::PoisonError::into_inner) -= 1;
            p.freed.notify_one();
        }
    }
    let _release = Release;
    f()
}

static HASH_HIGH_WATER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The most hashes ever computed at once in this process.
pub fn hashes_high_water() -> usize {
    HASH_HIGH_WATER.load(std::sync::atomic::Ordering::Relaxed)
}

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    with_hash_permit(|| hash_unbounded(password))
}

fn hash_unbounded(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("hashing a password: {e}")))
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    with_hash_permit(|| {
        PasswordHash::new(hash)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
}

/// Spends the time of a real check when there is no account to check against,
/// so "no such operator" and "wrong password" take about as long.
pub fn verify_against_nothing(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let hash = DUMMY.get_or_init(|| hash_unbounded("dummy-password-1").unwrap_or_default());
    let _ = verify_password(hash, password);
}

/// 32 random bytes, URL-safe: registration links, refresh tokens, session ids.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Tokens are stored only as this digest.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// Who a session belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Operator,
    Staff,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Operator => "operator",
            SubjectKind::Staff => "staff",
        }
    }

    /// Each kind has its own refresh cookie, sent only to its own session endpoints,
    /// so a staff sign-in in the same browser never replaces an operator's.
    pub fn refresh_cookie_name(self) -> &'static str {
        match self {
            SubjectKind::Operator => "paydesk_refresh",
            SubjectKind::Staff => "paydesk_staff_refresh",
        }
    }

    fn refresh_cookie_path(self) -> &'static str {
        match self {
            SubjectKind::Operator => "/api/v1/session",
            SubjectKind::Staff => "/api/v1/ops/session",
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: i64,
    kind: SubjectKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mid: Option<i64>,
    sid: String,
    /// Unique per token, so two tokens issued in the same second differ.
    jti: String,
    iat: i64,
    exp: i64,
}

/// Signs and checks access tokens with the key every server shares.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys(..)")
    }
}

impl TokenKeys {
    pub fn from_secret(secret: &str) -> TokenKeys {
        TokenKeys {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
        }
    }

    pub fn issue(
        &self,
        kind: SubjectKind,
        subject: i64,
        merchant: Option<i64>,
        session: &str,
    ) -> Result<String, ApiError> {
        let iat = Utc::now().timestamp();
        let claims = Claims {
            sub: subject,
            kind,
            mid: merchant,
            sid: session.to_owned(),
            jti: random_token(),
            iat,
            exp: iat + ACCESS_TOKEN_SECS,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("signing a token: {e}")))
    }

    fn check(&self, token: &str) -> Option<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation).ok().map(|d| d.claims)
    }

    /// Who a valid token speaks for (the operation log's "who"); the session
    /// itself is checked by the extractors, not here.
    pub fn who(&self, token: &str) -> Option<Who> {
        self.check(token).map(|c| Who { kind: c.kind, subject_id: c.sub, merchant_id: c.mid })
    }
}

/// The subject of an access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Who {
    pub kind: SubjectKind,
    pub subject_id: i64,
    pub merchant_id: Option<i64>,
}

/// The bearer token of a request, if any.
pub fn bearer_of(req: &HttpRequest) -> Option<String> {
    bearer(req)
}

/// The refresh cookie: HttpOnly, SameSite=Strict, sent only to the session endpoints.
pub fn refresh_cookie(kind: SubjectKind, value: &str, secure: bool) -> Cookie<'static> {
    Cookie::build(kind.refresh_cookie_name(), value.to_owned())
        .path(kind.refresh_cookie_path())
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .finish()
}

pub fn expired_refresh_cookie(kind: SubjectKind, secure: bool) -> Cookie<'static> {
    let mut c = refresh_cookie(kind, "", secure);
    c.make_removal();
    c
}

/// A signed-in, active operator of a merchant, with what their role allows.
#[derive(Debug, Clone)]
pub struct OperatorAuth {
    pub operator_id: i64,
    pub merchant_id: i64,
    pub session_id: String,
    pub permissions: paydesk_domain::permissions::Permissions,
    /// The request's operation-log line: write changes through it.
    pub audit: crate::oplog::Audit,
    /// The app id when an API client signed the request: the signature stands
    /// for the payment password and the second factor.
    pub signed_by: Option<String>,
}

impl OperatorAuth {
    pub fn holds(&self, p: paydesk_domain::permissions::Permission) -> bool {
        self.permissions.contains(&p)
    }

    /// `403 permission_denied` unless the operator's role includes `p`.
    pub fn require(&self, p: paydesk_domain::permissions::Permission) -> Result<(), ApiError> {
        if self.holds(p) {
            Ok(())
        } else {
            Err(crate::permits::denied(&[p]))
        }
    }
}

/// A signed-in operator whose merchant has passed real-name verification: what
/// every money-moving endpoint (recharge, transfer, withdrawal) extracts. Until
/// verification is approved they answer `403 kyb_required` (manual §2.2).
#[derive(Debug, Clone)]
pub struct VerifiedOperator(pub OperatorAuth);

impl FromRequest for VerifiedOperator {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        let auth = OperatorAuth::from_request(&req, payload);
        Box::pin(async move {
            let auth = auth.await?;
            let state = req.app_data::<web::Data<AppState>>().cloned().ok_or(ApiError::Unauthenticated)?;
            let merchant_id = auth.merchant_id;
            let status = web::block(move || {
                state.store.read(|c| paydesk_store::identity::merchant(c, merchant_id).map(|m| m.kyb_status))
            })
            .await??;
            if status != KybStatus::Verified {
                return Err(ApiError::rule(
                    actix_web::http::StatusCode::FORBIDDEN,
                    ErrorCode::KybRequired,
                    "complete real-name verification first",
                )
                .with_detail("recharge, transfer and withdrawal open once verification is approved"));
            }
            Ok(VerifiedOperator(auth))
        })
    }
}

/// A signed-in member of the platform's staff.
#[derive(Debug, Clone)]
pub struct StaffAuth {
    pub staff_id: i64,
    pub session_id: String,
    /// The request's operation-log line: write changes through it.
    pub audit: crate::oplog::Audit,
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get("authorization")?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(|t| t.trim().to_owned())
}

/// Checks the token and that its session is live and not idle; marks activity.
async fn authenticate(req: HttpRequest, want: SubjectKind) -> Result<Claims, ApiError> {
    let state = req.app_data::<web::Data<AppState>>().cloned().ok_or(ApiError::Unauthenticated)?;
    let token = bearer(&req).ok_or(ApiError::Unauthenticated)?;
    let claims = state.tokens.check(&token).ok_or(ApiError::Unauthenticated)?;
    if claims.kind != want {
        return Err(ApiError::Unauthenticated);
    }
    let store = state.store.clone();
    let sid = claims.sid.clone();
    let live = web::block(move || {
        let at = now();
        store.write(|c| paydesk_store::sessions::touch(c, &sid, at, liveness(at)))
    })
    .await??;
    if !live {
        return Err(ApiError::SessionExpired);
    }
    Ok(claims)
}

/// What an operator whose password an admin set may still do: see who they
/// are, change the password, sign out.
const PASSWORD_CHANGE_ALLOWS: [(&str, &str); 5] = [
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/security"),
    ("PUT", "/api/v1/security/login-password"),
    ("DELETE", "/api/v1/session"),
    ("POST", "/api/v1/session/logout-all"),
];

fn password_change_required() -> ApiError {
    ApiError::rule(
        actix_web::http::StatusCode::FORBIDDEN,
        paydesk_api_types::ErrorCode::PasswordChangeRequired,
        "change the password an administrator set before going on",
    )
    .with_detail("PUT /api/v1/security/login-password")
}

impl FromRequest for OperatorAuth {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req.app_data::<web::Data<AppState>>().cloned().ok_or(ApiError::Unauthenticated)?;
            let audit = crate::oplog::Audit::of(&req);
            let may_skip_change = PASSWORD_CHANGE_ALLOWS.contains(&(req.method().as_str(), req.path()));
            let claims = authenticate(req, SubjectKind::Operator).await?;
            let merchant_id = claims.mid.ok_or(ApiError::Unauthenticated)?;
            let operator_id = claims.sub;
            let permissions = web::block(move || {
                state.store.read(|c| -> Result<_, ApiError> {
                    let operator = paydesk_store::identity::operator(c, operator_id)?;
                    // Disabling or deleting an operator ends their sessions at once.
                    if operator.status != OperatorStatus::Active || operator.merchant_id != merchant_id {
                        return Err(ApiError::SessionExpired);
                    }
                    if operator.password_change_required && !may_skip_change {
                        return Err(password_change_required());
                    }
                    Ok(paydesk_store::roles::of_operator(c, &operator)?.1)
                })
            })
            .await??;
            Ok(OperatorAuth {
                operator_id,
                merchant_id,
                session_id: claims.sid,
                permissions,
                audit,
                signed_by: None,
            })
        })
    }
}

impl FromRequest for StaffAuth {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let audit = crate::oplog::Audit::of(&req);
            let claims = authenticate(req, SubjectKind::Staff).await?;
            Ok(StaffAuth { staff_id: claims.sub, session_id: claims.sid, audit })
        })
    }
}

/// The caller's address, for logs and lockout records.
pub fn client_ip(req: &HttpRequest) -> String {
    req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_else(|| "unknown".to_owned())
}

pub fn user_agent(req: &HttpRequest) -> String {
    req.headers()
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(200).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password("abc123!").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "abc123!"));
        assert!(!verify_password(&hash, "abc123?"));
        assert!(!verify_password("not a hash", "abc123!"));
    }

    #[test]
    fn a_flood_of_checks_hashes_a_few_at_a_time() {
        let hash = hash_password("abc123!").unwrap();
        let checks: Vec<_> = (0..16)
            .map(|_| {
                let hash = hash.clone();
                std::thread::spawn(move || verify_password(&hash, "wrong-one"))
            })
            .collect();
        for c in checks {
            assert!(!c.join().unwrap());
        }
        assert!(hashes_high_water() <= paydesk_domain::limits::CONCURRENT_HASHES, "{}", hashes_high_water());
    }

    #[test]
    fn tokens_are_checked() {
        let keys = TokenKeys::from_secret("s3cret");
        let token = keys.issue(SubjectKind::Operator, 7, Some(3), "sid").unwrap();
        let claims = keys.check(&token).unwrap();
        assert_eq!((claims.sub, claims.mid, claims.kind), (7, Some(3), SubjectKind::Operator));
        assert!(TokenKeys::from_secret("other").check(&token).is_none());
        assert!(keys.check(&format!("{token}x")).is_none());
    }

    #[test]
    fn refresh_cookies_are_http_only_strict_and_scoped() {
        let c = refresh_cookie(SubjectKind::Operator, "v", true);
        assert_eq!(
            (c.http_only(), c.secure(), c.same_site()),
            (Some(true), Some(true), Some(SameSite::Strict))
        );
        assert_eq!(c.path(), Some("/api/v1/session"));
        let s = refresh_cookie(SubjectKind::Staff, "v", false);
        assert_eq!(
            (s.name(), s.path(), s.secure()),
            ("paydesk_staff_refresh", Some("/api/v1/ops/session"), Some(false))
        );
    }

    #[test]
    fn random_tokens_differ_and_hash_stably() {
        assert_ne!(random_token(), random_token());
        assert_eq!(sha256_hex("abc").len(), 64);
        assert_eq!(sha256_hex("abc"), sha256_hex("abc"));
    }
}
