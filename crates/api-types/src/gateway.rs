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

/// Create a gateway trade (网关交易). Sent signed; the same `merchant_order_no`
/// again answers the trade made the first time (when the request is the same).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewTrade {
    /// 商户订单号: letters and digits, at most 32, unique per merchant.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^[A-Za-z0-9]{1,32}$", max_length = 32, example = "SHOP20261201001")
    )]
    pub merchant_order_no: String,
    /// 商品名称, 1 to 128 characters.
    #[cfg_attr(feature = "openapi", schema(max_length = 128, example = "咖啡豆 1kg"))]
    pub subject: String,
    /// Yuan with at most two decimals, above zero.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^\d{1,11}(\.\d{1,2})?$", example = "88.00"))]
    pub amount: String,
    /// `instant` (即时到账) or `guaranteed` (担保: held until receipt is confirmed).
    #[cfg_attr(feature = "openapi", schema(example = "instant"))]
    pub mode: String,
    /// Minutes the buyer has to pay: 1 to 21600; 120 when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 21600))]
    pub expire_minutes: Option<u32>,
    /// Where this trade's notifications go instead of the merchant's 实时反馈地址.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 512))]
    pub notify_url: Option<String>,
    /// Where the cashier sends the buyer after paying.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 512))]
    pub return_url: Option<String>,
}

/// A gateway trade as the integrator and the portal see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TradeView {
    /// 交易订单号 (21 digits).
    pub trade_no: String,
    pub merchant_order_no: String,
    pub subject: String,
    pub amount: String,
    /// 服务费: taken from the amount at settlement.
    pub fee: String,
    /// `instant` or `guaranteed`.
    pub mode: String,
    /// `pending`, `paid`, `completed`, `settled`, `failed` or `closed`.
    pub status: String,
    /// 待支付, 支付成功, 交易成功, 结算成功, 交易失败, 已关闭.
    pub status_zh: String,
    /// The hosted cashier page to send the buyer to.
    pub cashier_url: String,
    /// What a QR code for the cashier holds (the same address).
    pub qr_content: String,
    pub created_at: String,
    pub expires_at: String,
    pub paid_at: Option<String>,
    pub completed_at: Option<String>,
    /// When settlement takes it (T+1), once it is complete.
    pub settle_after: Option<String>,
    pub settled_at: Option<String>,
    pub closed_at: Option<String>,
    /// A guaranteed trade's receipt counts as confirmed at this time.
    pub auto_confirm_at: Option<String>,
    /// 已退金额: what its refunds hold (waiting for review, under way or done).
    pub refunded: String,
    /// 退款笔数: its refunds, whatever their state.
    pub refund_count: i32,
    /// Whether a refund may be applied for now (paid, money left, under 50 refunds).
    pub refundable: bool,
}

/// A page of trades.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TradePage {
    pub items: Vec<TradeView>,
    pub total: i64,
}

/// 实时反馈地址: where notifications go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NotifyAddress {
    /// Empty when none is set.
    pub url: String,
}

/// Change the 实时反馈地址 (https in production, not a private address).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NotifyAddressChange {
    #[cfg_attr(feature = "openapi", schema(max_length = 512))]
    pub url: String,
    pub payment_password: String,
}

/// One attempt to deliver a notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DeliveryView {
    pub attempt: i32,
    pub started_at: String,
    /// The receiver's HTTP status; absent when it didn't answer.
    pub status: Option<i32>,
    pub latency_ms: i64,
    /// The start of the answer, or why there was none.
    pub excerpt: String,
}

/// A notification (实时反馈) and its deliveries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EventView {
    /// The same on every retry: drop what you have seen.
    pub event_id: String,
    /// `trade_paid`, `trade_completed`, `trade_settled`, `trade_closed` or `test`.
    pub kind: String,
    pub trade_no: Option<String>,
    pub url: Option<String>,
    pub attempts: i32,
    pub delivered_at: Option<String>,
    /// Absent when delivered or when the retries are spent.
    pub next_attempt_at: Option<String>,
    pub created_at: String,
    /// The body as sent (and signed).
    pub payload: String,
    pub deliveries: Vec<DeliveryView>,
}

/// A page of notifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EventPage {
    pub items: Vec<EventView>,
    pub total: i64,
}

/// A collection QR code (收款码, 二维码收款).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct QrCodeView {
    pub id: i64,
    pub name: String,
    /// Fixed amount; absent for an open-amount code.
    pub amount: Option<String>,
    pub active: bool,
    /// The link the code holds: the buyer's payment page.
    pub url: String,
    pub created_at: String,
    /// Payments received through it, and their total.
    pub paid_count: i64,
    pub paid_total: String,
}

/// A new QR code: a name, and an amount unless the buyer types it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewQrCode {
    #[cfg_attr(feature = "openapi", schema(max_length = 20, example = "门店收款"))]
    pub name: String,
    /// Empty or absent: open amount.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(\d{1,11}(\.\d{1,2})?)?$", example = "88.00"))]
    pub amount: Option<String>,
}

/// 收款提醒: payments as they arrive, with today's total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CollectionAlert {
    pub trade_no: String,
    pub subject: String,
    pub amount: String,
    pub paid_at: String,
    /// Payments today (China time) so far, and their total.
    pub today_count: i64,
    pub today_total: String,
}
