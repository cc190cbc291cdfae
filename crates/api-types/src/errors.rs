//! Errors as the API answers them: RFC 9457 problems with a stable code.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The stable code of a problem (`Problem.code`). Programs branch on these; the
/// titles and details beside them are for people and may change. Per-field codes
/// (`FieldError.code`) come from the rules of each field instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    ApiClientNotFound,
    AppUnknown,
    ApplicationNotFound,
    ApplicationState,
    BadRequest,
    BankChannelUnavailable,
    CardExists,
    CardNotFound,
    ContactExists,
    ContactNotFound,
    DepositResendsExhausted,
    DepositStillPending,
    EmailState,
    EmailTaken,
    GrantExceedsOwn,
    IdempotencyKeyInProgress,
    IdempotencyKeyReused,
    InsufficientBalance,
    InternalError,
    InvalidCredentials,
    KeyRevoked,
    KindUnknown,
    KybIncomplete,
    KybLocked,
    KybNotFound,
    KybNotSubmitted,
    KybRequired,
    LastAdmin,
    LinkExpired,
    LinkInvalid,
    LinkUsed,
    LoginFrozen,
    LoginNameTaken,
    LoginNotFrozen,
    MalformedJson,
    MerchantBatchNoTaken,
    MerchantNotFound,
    MerchantOrderNoTaken,
    NoPendingDeposit,
    NonceInvalid,
    NonceReused,
    NotYourApplication,
    NoticeMismatch,
    OperatorDisabled,
    OperatorNotFound,
    OperatorOutranksYou,
    OrderClosed,
    OwnApplication,
    OwnOperator,
    OwnRole,
    PasswordChangeRequired,
    PayeeGone,
    PayeeNotFound,
    PayloadTooLarge,
    PaymentPasswordLocked,
    PaymentPasswordRequired,
    PayoutNotFound,
    PermissionDenied,
    PhoneState,
    ProductUnknown,
    RechargeNotFound,
    RecoveryState,
    RegistrationNotStarted,
    ResendTooSoon,
    RoleBuiltin,
    RoleInUse,
    RoleNameTaken,
    RoleNotFound,
    RouteNotFound,
    SecurityKeyNotBound,
    SecurityKeyTaken,
    SecurityKeyUnavailable,
    ServiceUnavailable,
    SessionExpired,
    SignatureInvalid,
    SignatureMalformed,
    SignatureStale,
    TooManyRequests,
    Unauthenticated,
    UnsupportedMediaType,
    UploadNotFound,
    ValidationFailed,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::ApiClientNotFound => "api_client_not_found",
            ErrorCode::AppUnknown => "app_unknown",
            ErrorCode::ApplicationNotFound => "application_not_found",
            ErrorCode::ApplicationState => "application_state",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::BankChannelUnavailable => "bank_channel_unavailable",
            ErrorCode::CardExists => "card_exists",
            ErrorCode::CardNotFound => "card_not_found",
            ErrorCode::ContactExists => "contact_exists",
            ErrorCode::ContactNotFound => "contact_not_found",
            ErrorCode::DepositResendsExhausted => "deposit_resends_exhausted",
            ErrorCode::DepositStillPending => "deposit_still_pending",
            ErrorCode::EmailState => "email_state",
            ErrorCode::EmailTaken => "email_taken",
            ErrorCode::GrantExceedsOwn => "grant_exceeds_own",
            ErrorCode::IdempotencyKeyInProgress => "idempotency_key_in_progress",
            ErrorCode::IdempotencyKeyReused => "idempotency_key_reused",
            ErrorCode::InsufficientBalance => "insufficient_balance",
            ErrorCode::InternalError => "internal_error",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::KeyRevoked => "key_revoked",
            ErrorCode::KindUnknown => "kind_unknown",
            ErrorCode::KybIncomplete => "kyb_incomplete",
            ErrorCode::KybLocked => "kyb_locked",
            ErrorCode::KybNotFound => "kyb_not_found",
            ErrorCode::KybNotSubmitted => "kyb_not_submitted",
            ErrorCode::KybRequired => "kyb_required",
            ErrorCode::LastAdmin => "last_admin",
            ErrorCode::LinkExpired => "link_expired",
            ErrorCode::LinkInvalid => "link_invalid",
            ErrorCode::LinkUsed => "link_used",
            ErrorCode::LoginFrozen => "login_frozen",
            ErrorCode::LoginNameTaken => "login_name_taken",
            ErrorCode::LoginNotFrozen => "login_not_frozen",
            ErrorCode::MalformedJson => "malformed_json",
            ErrorCode::MerchantBatchNoTaken => "merchant_batch_no_taken",
            ErrorCode::MerchantNotFound => "merchant_not_found",
            ErrorCode::MerchantOrderNoTaken => "merchant_order_no_taken",
            ErrorCode::NoPendingDeposit => "no_pending_deposit",
            ErrorCode::NonceInvalid => "nonce_invalid",
            ErrorCode::NonceReused => "nonce_reused",
            ErrorCode::NotYourApplication => "not_your_application",
            ErrorCode::NoticeMismatch => "notice_mismatch",
            ErrorCode::OperatorDisabled => "operator_disabled",
            ErrorCode::OperatorNotFound => "operator_not_found",
            ErrorCode::OperatorOutranksYou => "operator_outranks_you",
            ErrorCode::OrderClosed => "order_closed",
            ErrorCode::OwnApplication => "own_application",
            ErrorCode::OwnOperator => "own_operator",
            ErrorCode::OwnRole => "own_role",
            ErrorCode::PasswordChangeRequired => "password_change_required",
            ErrorCode::PayeeGone => "payee_gone",
            ErrorCode::PayeeNotFound => "payee_not_found",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::PaymentPasswordLocked => "payment_password_locked",
            ErrorCode::PaymentPasswordRequired => "payment_password_required",
            ErrorCode::PayoutNotFound => "payout_not_found",
            ErrorCode::PermissionDenied => "permission_denied",
            ErrorCode::PhoneState => "phone_state",
            ErrorCode::ProductUnknown => "product_unknown",
            ErrorCode::RechargeNotFound => "recharge_not_found",
            ErrorCode::RecoveryState => "recovery_state",
            ErrorCode::RegistrationNotStarted => "registration_not_started",
            ErrorCode::ResendTooSoon => "resend_too_soon",
            ErrorCode::RoleBuiltin => "role_builtin",
            ErrorCode::RoleInUse => "role_in_use",
            ErrorCode::RoleNameTaken => "role_name_taken",
            ErrorCode::RoleNotFound => "role_not_found",
            ErrorCode::RouteNotFound => "route_not_found",
            ErrorCode::SecurityKeyNotBound => "security_key_not_bound",
            ErrorCode::SecurityKeyTaken => "security_key_taken",
            ErrorCode::SecurityKeyUnavailable => "security_key_unavailable",
            ErrorCode::ServiceUnavailable => "service_unavailable",
            ErrorCode::SessionExpired => "session_expired",
            ErrorCode::SignatureInvalid => "signature_invalid",
            ErrorCode::SignatureMalformed => "signature_malformed",
            ErrorCode::SignatureStale => "signature_stale",
            ErrorCode::TooManyRequests => "too_many_requests",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::UploadNotFound => "upload_not_found",
            ErrorCode::ValidationFailed => "validation_failed",
        }
    }
}

/// An error, as `application/problem+json` (RFC 9457). `code` is stable and meant
/// for programs; `title` and `detail` are for people and may change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Problem {
    /// A URI naming the problem type: `/problems/{code}`.
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    /// One of [`ErrorCode`] from the server (the web app adds its own for
    /// failures to reach it, e.g. `network_error`).
    #[cfg_attr(feature = "openapi", schema(value_type = ErrorCode, example = "validation_failed"))]
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Per-field problems of a request body (validation errors).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One field's problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FieldError {
    /// The field, as a JSON pointer-like path: `amount`, `lines[2].amount`.
    pub field: String,
    #[cfg_attr(feature = "openapi", schema(example = "amount_too_many_decimals"))]
    pub code: String,
    pub message: String,
}
