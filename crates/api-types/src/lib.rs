//! The JSON the Paydesk API speaks, shared by the server and the SPA so that the
//! two can't disagree. Amounts travel as strings with two decimals (`"1024.50"`).

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Health {
    /// `ok` when the database answers and every migration is applied, `migrating` otherwise.
    #[cfg_attr(feature = "openapi", schema(example = "ok"))]
    pub status: String,
    /// The server's version.
    #[cfg_attr(feature = "openapi", schema(example = "0.1.0"))]
    pub version: String,
    /// `sqlite` or `postgres`.
    #[cfg_attr(feature = "openapi", schema(example = "sqlite"))]
    pub database: String,
    pub migrations: Migrations,
}

/// Which schema migrations the database has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Migrations {
    pub applied: u32,
    pub pending: u32,
    /// Version of the newest applied migration.
    pub latest: Option<String>,
}

/// `POST /api/v1/amounts/preview`: an amount as a person typed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AmountPreviewRequest {
    /// Digits with an optional point and at most two decimals; no sign, no separators.
    #[cfg_attr(feature = "openapi", schema(example = "1024.5"))]
    pub amount: String,
}

/// The canonical form of an amount and how it is written in Chinese capitals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AmountPreview {
    #[cfg_attr(feature = "openapi", schema(example = "1024.50"))]
    pub amount: String,
    #[cfg_attr(feature = "openapi", schema(example = 102450))]
    pub fen: i64,
    /// 大写, e.g. 壹仟零贰拾肆元伍角整.
    #[cfg_attr(feature = "openapi", schema(example = "壹仟零贰拾肆元伍角整"))]
    pub in_words: String,
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
    #[cfg_attr(feature = "openapi", schema(example = "validation_failed"))]
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The wire shape of an error is a contract with integrators.
    #[test]
    fn problem_json_shape_is_pinned() {
        let p = Problem {
            type_uri: "/problems/validation_failed".into(),
            title: "The request has invalid fields".into(),
            status: 422,
            code: "validation_failed".into(),
            detail: None,
            errors: vec![FieldError {
                field: "amount".into(),
                code: "amount_signed".into(),
                message: "an amount has no sign".into(),
            }],
        };
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            serde_json::json!({
                "type": "/problems/validation_failed",
                "title": "The request has invalid fields",
                "status": 422,
                "code": "validation_failed",
                "errors": [{"field": "amount", "code": "amount_signed", "message": "an amount has no sign"}]
            })
        );
    }
}
