//! The one error type at the API boundary. Every variant maps to a status on
//! purpose and renders as `application/problem+json` with a stable `code`. A 5xx
//! never carries internal text: its cause is logged and the body stays generic.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{FieldError, Problem};
use paydesk_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no such API route")]
    RouteNotFound,
    #[error("the request body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("the request body must be application/json")]
    UnsupportedMediaType,
    #[error("the request body is too large")]
    PayloadTooLarge,
    #[error("the request is malformed: {0}")]
    BadRequest(String),
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    #[error("sign in first")]
    Unauthenticated,
    #[error("the session has ended; sign in again")]
    SessionExpired,
    /// A business rule said no: a stable code, a status chosen for it, and words for people.
    #[error("{title}")]
    Rule { status: StatusCode, code: ErrorCode, title: String, detail: Option<String> },
    /// Too many requests of one kind from one address or for one account;
    /// answered with `Retry-After`.
    #[error("too many requests; slow down")]
    Throttled { retry_after: u64 },
    #[error("the database is unavailable")]
    Unavailable(#[source] StoreError),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> ApiError {
        ApiError::Validation(vec![FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }])
    }

    pub fn rule(status: StatusCode, code: ErrorCode, title: impl Into<String>) -> ApiError {
        ApiError::Rule { status, code, title: title.into(), detail: None }
    }

    pub fn with_detail(self, text: impl Into<String>) -> ApiError {
        match self {
            ApiError::Rule { status, code, title, .. } => {
                ApiError::Rule { status, code, title, detail: Some(text.into()) }
            }
            other => other,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::SessionExpired => "session_expired",
            ApiError::Rule { code, .. } => code.as_str(),
            ApiError::RouteNotFound => "route_not_found",
            ApiError::MalformedJson(_) => "malformed_json",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Validation(_) => "validation_failed",
            ApiError::Throttled { .. } => ErrorCode::TooManyRequests.as_str(),
            ApiError::Unavailable(_) => "service_unavailable",
            ApiError::Internal(_) => "internal_error",
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let (detail, errors) = match self {
            ApiError::MalformedJson(d) | ApiError::BadRequest(d) => (Some(d.clone()), Vec::new()),
            ApiError::Validation(errors) => (None, errors.clone()),
            ApiError::Rule { detail, .. } => (detail.clone(), Vec::new()),
            ApiError::Throttled { retry_after } => {
                (Some(format!("try again in {retry_after} seconds")), Vec::new())
            }
            // Internal causes are logged, never sent.
            _ => (None, Vec::new()),
        };
        let title = match self {
            ApiError::MalformedJson(_) => "The request body is not valid JSON".to_owned(),
            ApiError::BadRequest(_) => "The request is malformed".to_owned(),
            other => sentence_case(&other.to_string()),
        };
        Problem {
            type_uri: format!("/problems/{}", self.code()),
            title,
            status: status.as_u16(),
            code: self.code().to_owned(),
            detail,
            errors,
        }
    }
}

fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::RouteNotFound => StatusCode::NOT_FOUND,
            ApiError::MalformedJson(_) | ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthenticated | ApiError::SessionExpired => StatusCode::UNAUTHORIZED,
            ApiError::Rule { status, .. } => *status,
            ApiError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if self.status_code().is_server_error() {
            let cause: &dyn std::error::Error = match self {
                ApiError::Unavailable(e) => e,
                ApiError::Internal(e) => e.as_ref(),
                other => other,
            };
            tracing::error!(code = self.code(), cause = %error_chain(cause), "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        if let ApiError::Throttled { retry_after } = self {
            response.insert_header((actix_web::http::header::RETRY_AFTER, retry_after.to_string()));
        }
        response.content_type("application/problem+json").json(self.problem())
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

impl ApiError {
    /// The request-reading error inside an actix error (our JSON, query and path
    /// handlers build them), as a fresh value; anything else is a bad request.
    pub fn from_extractor(e: &actix_web::Error) -> ApiError {
        match e.as_error::<ApiError>() {
            Some(ApiError::MalformedJson(d)) => ApiError::MalformedJson(d.clone()),
            Some(ApiError::BadRequest(d)) => ApiError::BadRequest(d.clone()),
            Some(ApiError::Validation(v)) => ApiError::Validation(v.clone()),
            Some(ApiError::UnsupportedMediaType) => ApiError::UnsupportedMediaType,
            Some(ApiError::PayloadTooLarge) => ApiError::PayloadTooLarge,
            _ => ApiError::BadRequest(e.to_string()),
        }
    }
}

impl From<Vec<paydesk_domain::draft::FieldProblem>> for ApiError {
    fn from(problems: Vec<paydesk_domain::draft::FieldProblem>) -> Self {
        ApiError::Validation(
            problems
                .into_iter()
                .map(|p| FieldError { field: p.field, code: p.code.into(), message: p.message })
                .collect(),
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Pool(_) | StoreError::Connection(_) => ApiError::Unavailable(e),
            StoreError::OrderNoTaken(no) => ApiError::rule(
                StatusCode::CONFLICT,
                ErrorCode::MerchantOrderNoTaken,
                "This merchant order number has been used already",
            )
            .with_detail(format!("商户订单号 {no} is already used; merchant order numbers must be unique")),
            StoreError::BatchNoTaken(no) => ApiError::rule(
                StatusCode::CONFLICT,
                ErrorCode::MerchantBatchNoTaken,
                "This merchant batch number has been used already",
            )
            .with_detail(format!("商户批次号 {no} is already used; every batch needs a new one")),
            StoreError::InsufficientBalance(_) => ApiError::rule(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::InsufficientBalance,
                "the available balance is too low",
            ),
            StoreError::NonceReused => {
                crate::core::gateway::refused(paydesk_domain::gateway::Refusal::NonceReused)
            }
            StoreError::IdempotencyTakenOver(_) => ApiError::rule(
                StatusCode::CONFLICT,
                ErrorCode::IdempotencyKeyInProgress,
                "a request with this Idempotency-Key is still running",
            ),
            other => ApiError::Internal(other.into()),
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        ApiError::from(StoreError::from(e))
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(anyhow::anyhow!("blocking task failed: {e}"))
    }
}

/// Turns actix's JSON extractor failures into problems.
pub fn json_error(err: actix_web::error::JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as J;
    let api = match err {
        J::ContentType => ApiError::UnsupportedMediaType,
        J::Overflow { .. } | J::OverflowKnownLength { .. } => ApiError::PayloadTooLarge,
        J::Deserialize(e) if e.is_data() => match field_of(&e.to_string()) {
            Some(field) => ApiError::field(&field, "required", "this field is required"),
            None => ApiError::field("body", "invalid_value", e.to_string()),
        },
        J::Deserialize(e) => ApiError::MalformedJson(e.to_string()),
        other => ApiError::BadRequest(other.to_string()),
    };
    api.into()
}

/// serde names the missing field in its message: "missing field `amount` at line 1 column 2".
fn field_of(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    message.starts_with("missing field").then(|| message[start..start + len].to_owned())
}

pub fn query_error(err: actix_web::error::QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::BadRequest(err.to_string()).into()
}

pub fn path_error(err: actix_web::error::PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::BadRequest(err.to_string()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_errors_say_nothing_internal() {
        let e = ApiError::Internal(anyhow::anyhow!("password authentication failed for user postgres"));
        let p = e.problem();
        assert_eq!(p.status, 500);
        assert_eq!(p.code, "internal_error");
        assert_eq!(p.detail, None);
        assert!(!serde_json::to_string(&p).unwrap().contains("postgres"));
    }

    #[test]
    fn missing_field_is_named() {
        assert_eq!(field_of("missing field `amount` at line 1 column 2").as_deref(), Some("amount"));
        assert_eq!(field_of("invalid type: integer `5`, expected a string"), None);
    }
}
