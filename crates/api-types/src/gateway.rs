//! The integrator gateway (issue 12): API clients, their keys, the platform's
//! public key, and the signed operations.

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// A new API client: an operator of kind `api` in one of the merchant's roles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewApiClient {
    pub name: String,
    pub role_id: i64,
    pub payment_password: String,
}

/// One of a client's public keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApiKeyView {
    pub id: i64,
    /// `RSA-2048`, `RSA-4096` or `Ed25519`.
    pub algorithm: String,
    /// SHA-256 of the PEM, hex, first 16 characters: to tell keys apart.
    pub fingerprint: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// An API client and its keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApiClientView {
    /// What requests name in `app_id=`.
    pub app_id: String,
    pub name: String,
    pub role_name: String,
    pub created_at: String,
    pub keys: Vec<ApiKeyView>,
}

/// Register a public key (PEM: RSA of 2048 bits or more, or Ed25519).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewApiKey {
    pub public_key: String,
    pub payment_password: String,
}

/// The payment password, for a step that changes or reveals credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PaymentPasswordProof {
    pub payment_password: String,
}

/// 网关证书 / 公钥下载: the key the platform signs responses and notifications with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PlatformPublicKey {
    pub algorithm: String,
    /// PEM (SubjectPublicKeyInfo).
    pub public_key: String,
}

/// Who a signed request came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GatewayWhoAmI {
    pub app_id: String,
    /// The merchant account (registration e-mail).
    pub merchant: String,
    pub client_name: String,
}
