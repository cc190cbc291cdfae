//! Health, amount previews, paging and the development outbox.

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

/// A message in the development outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OutboxMessage {
    pub id: i64,
    /// `email` or `sms`.
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// `kept` (outbox only), `sent`, or `failed`.
    pub status: String,
    pub created_at: String,
}

/// A page of a list: 20 rows per page unless asked otherwise, as in the manual.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
}
