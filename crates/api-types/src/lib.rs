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

/// `POST /api/v1/captchas`: a picture to type back, valid for a few minutes, once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Captcha {
    pub id: String,
    /// An SVG picture of the characters to type.
    pub image_svg: String,
    pub expires_in: u32,
    /// Development mode only: the answer, shown beside the picture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dev_answer: Option<String>,
}

/// Step 1 of registration (§2.1): an e-mail, the captcha, and the service agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RegistrationRequest {
    #[cfg_attr(feature = "openapi", schema(example = "finance@example.com"))]
    pub email: String,
    pub captcha_id: String,
    pub captcha_answer: String,
    /// 我已阅读并同意《服务协议》 must be ticked.
    pub agreement_accepted: bool,
}

/// `POST /api/v1/registrations/resend`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ResendRequest {
    pub email: String,
}

/// The link is on its way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RegistrationSent {
    pub email: String,
    /// Seconds before another link may be requested.
    pub resend_after: u32,
}

/// What a registration link is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RegistrationLink {
    pub email: String,
}

/// Step 2 of registration: the company and its two passwords.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CompleteRegistration {
    #[cfg_attr(feature = "openapi", schema(example = "上海示例贸易有限公司"))]
    pub company_name: String,
    /// 6–32 letters, digits and symbols, no spaces, at least two kinds.
    pub login_password: String,
    /// Same rule; must differ from the login password.
    pub payment_password: String,
}

/// A merchant that now exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Registered {
    pub email: String,
    pub company_name: String,
    /// The admin operator's login name: the e-mail itself.
    pub operator: String,
}

/// Sign-in (§3.1): merchant account, operator, password, captcha.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LoginRequest {
    /// 商户账号: the registration e-mail.
    pub merchant: String,
    /// 操作员: the operator's login name; the admin's is the e-mail.
    pub operator: String,
    pub password: String,
    pub captcha_id: String,
    pub captcha_answer: String,
}

/// Platform staff sign-in for the console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StaffLoginRequest {
    pub login_name: String,
    pub password: String,
    pub captcha_id: String,
    pub captcha_answer: String,
}

/// An access token; the refresh token travels in an HttpOnly cookie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AccessToken {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token lapses; refresh before then.
    pub expires_in: u32,
}

/// The signed-in operator and their merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Me {
    pub merchant_id: i64,
    pub merchant_email: String,
    pub company_name: String,
    pub operator: String,
    pub display_name: String,
    /// `admin`, `applicant`, `auditor` (the built-in roles) or `custom`.
    pub role: String,
    /// The role's name as the merchant sees it (管理, 申请, 审核, or a custom name).
    pub role_name: String,
    /// What the role allows (`GET /api/v1/permissions` lists them all).
    pub permissions: Vec<String>,
    /// Kinds of application this operator completes at once (single-person policy
    /// and both the apply and the review permission); others wait for review.
    pub completes_at_once: Vec<String>,
    /// A security key (快捷盾) is bound: fund operations and approvals take it instead of an SMS code.
    pub security_key_bound: bool,
    /// draft | submitted | rejected | awaiting_deposit | verified
    pub kyb_status: String,
}

/// The signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StaffMe {
    pub login_name: String,
}

/// How many sessions were ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SessionsEnded {
    pub ended: u32,
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

/// A merchant as the staff console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MerchantSummary {
    pub id: i64,
    pub email: String,
    pub company_name: String,
    pub kyb_status: String,
    pub created_at: String,
}

/// An operator login frozen by the lockout rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FrozenLogin {
    pub operator_id: i64,
    pub merchant_email: String,
    pub company_name: String,
    pub operator: String,
    pub frozen_until: String,
}

/// A stored scan: `POST /api/v1/uploads` (multipart field `file`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UploadedFile {
    /// Refer to the file by this id in the verification steps.
    pub id: String,
    /// `image/jpeg` or `image/bmp`, judged by the content.
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
}

/// Step 1 of verification (§2.2): 备案信息, the filing information.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KybFiling {
    /// 企业类型: `enterprise`, `individual_business`, `public_institution` or `other`.
    pub enterprise_type: String,
    /// 营业执照号: an 18-character credit code or a 15-digit registration number.
    pub licence_number: String,
    /// 长期: the licence has no end date.
    pub licence_long_term: bool,
    /// 营业执照期限, `YYYY-MM-DD`, unless long-term.
    #[serde(default)]
    pub licence_valid_until: Option<String>,
    /// Upload id of the licence scan.
    pub licence_scan: String,
    /// 组织机构代码; not needed with an 18-character credit code.
    #[serde(default)]
    pub organisation_code: Option<String>,
    #[serde(default)]
    pub organisation_code_scan: Option<String>,
    /// 税务登记证扫描件; not needed with an 18-character credit code.
    #[serde(default)]
    pub tax_registration_scan: Option<String>,
    #[serde(default)]
    pub other_scans: Vec<String>,
    #[serde(default)]
    pub icp_number: Option<String>,
    pub province: String,
    pub city: String,
    pub district: String,
    pub address: String,
    #[serde(default)]
    pub websites: Vec<String>,
    #[serde(default)]
    pub business_scope: Option<String>,
}

/// Step 2: 资金账户信息, the corporate bank account (its name must be the company's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KybFundAccount {
    pub account_name: String,
    pub bank: String,
    pub bank_province: String,
    pub bank_city: String,
    pub branch: String,
    pub account_number: String,
    /// The account number typed a second time.
    pub account_number_confirm: String,
}

/// Someone who handles verification for the legal representative (代办人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KybAgent {
    pub name: String,
    pub id_number: String,
    pub phone: String,
}

/// Step 3: 法人信息, the legal representative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KybLegalRepresentative {
    pub name: String,
    /// Resident ID number; its check digit is verified.
    pub id_number: String,
    pub id_long_term: bool,
    /// `YYYY-MM-DD`, unless long-term.
    #[serde(default)]
    pub id_valid_until: Option<String>,
    pub id_front_scan: String,
    pub id_back_scan: String,
    #[serde(default)]
    pub agent: Option<KybAgent>,
}

/// The micro-deposit the platform sent to the corporate account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MicroDepositState {
    pub bank: String,
    /// The receiving account, masked.
    pub account: String,
    /// `pending`, `confirmed` or `void` (too many wrong guesses; ask for a new one).
    pub status: String,
    pub attempts_left: u32,
    pub sent_at: String,
}

/// Where a merchant's verification stands, with what it has saved so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Kyb {
    /// `draft`, `submitted` (under review, 3 working days), `rejected`,
    /// `awaiting_deposit` (type back the micro-deposit) or `verified`.
    pub status: String,
    pub company_name: String,
    pub filing: Option<KybFiling>,
    pub fund_account: Option<KybFundAccount>,
    pub legal_representative: Option<KybLegalRepresentative>,
    /// Why staff rejected it, for the merchant to fix.
    pub reject_reason: Option<String>,
    pub submitted_at: Option<String>,
    pub micro_deposit: Option<MicroDepositState>,
}

/// `POST /api/v1/kyb/micro-deposit`: the amount found on the bank statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ConfirmDeposit {
    #[cfg_attr(feature = "openapi", schema(example = "0.37"))]
    pub amount: String,
}

/// A verification application as staff review it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KybReview {
    pub merchant: MerchantSummary,
    pub kyb: Kyb,
}

/// Staff's reason for sending verification back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RejectKyb {
    pub reason: String,
}

/// Which security services the merchant has (manual §3.3: 安全服务开通情况).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SecurityServices {
    pub payment_password_set: bool,
    /// The bound phone, masked (186****3290), if any.
    pub phone: Option<String>,
    /// The bound e-mail, masked (8*****4@qq.com).
    pub email: Option<String>,
    pub security_key_bound: bool,
}

/// One line of the account statement (收支明细).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatementLine {
    pub time: String,
    /// Money in, if this line is income.
    pub income: Option<String>,
    /// Money out, if this line is an expense.
    pub expense: Option<String>,
    pub balance_after: String,
    pub remark: String,
}

/// The home page (首页, manual §3.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Home {
    /// 登录账号: the merchant account and the signed-in operator.
    pub merchant_email: String,
    pub company_name: String,
    pub operator: String,
    pub display_name: String,
    /// The operator's role name (管理, 申请, 审核, or a custom name).
    pub role: String,
    /// 可用余额.
    pub available: String,
    /// 冻结金额.
    pub frozen: String,
    pub kyb_status: String,
    pub security: SecurityServices,
    /// The five newest statement lines.
    pub recent: Vec<StatementLine>,
}

/// `POST /api/v1/sms-codes`: send a one-time code to the operator's bound phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SmsCodeRequest {
    /// What the code is for: `fund_operation`.
    pub purpose: String,
}

/// The code is on its way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SmsCodeSent {
    /// The phone it went to, masked.
    pub phone: String,
    /// Seconds before another code may be asked for.
    pub resend_after: u32,
    /// Seconds the code stays valid.
    pub expires_in: u32,
}

/// Who a platform account belongs to, shown before money goes there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Payee {
    pub account: String,
    /// The company name, partly masked (上海**贸易有限公司).
    pub name: String,
}

/// One payee of a transfer to platform accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TransferLine {
    /// The payee's platform account (their registration e-mail).
    pub payee: String,
    #[cfg_attr(feature = "openapi", schema(example = "100.00"))]
    pub amount: String,
    #[serde(default)]
    pub remark: Option<String>,
    /// 短信通知联系人: a phone to tell the payee by SMS.
    #[serde(default)]
    pub notify_phone: Option<String>,
    /// 商户订单号: your own reference, at most 32 letters and digits, unique across
    /// all your operations; a number used before is refused with 409 `merchant_order_no_taken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_order_no: Option<String>,
}

/// 转账到快捷通账户 (§3.4.2.1–2): one to five payees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TransferRequest {
    pub lines: Vec<TransferLine>,
    #[serde(default)]
    pub remark: Option<String>,
    pub payment_password: String,
    /// Needed when the operator may also review: then the transfer completes at once.
    #[serde(default)]
    pub sms_code: Option<String>,
    /// Instead of the SMS code when the operator has bound a security key: an
    /// assertion for a `submit` challenge of this kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_key: Option<KeyAssertion>,
}

/// One line of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApplicationLine {
    pub line_no: u32,
    pub payee_account: String,
    pub payee_name: String,
    pub amount: String,
    pub fee: String,
    pub remark: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_order_no: Option<String>,
}

/// A fund operation and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Application {
    pub id: i64,
    /// 交易订单号: the platform's number for it, 21 digits.
    pub trade_no: String,
    /// `transfer`, `bank_payout`, `withdrawal`, ...
    pub kind: String,
    /// `pending_review`, `approved`, `processing`, `succeeded`, `failed`, `rejected`, `cancelled`, ...
    pub status: String,
    pub total_amount: String,
    pub total_fee: String,
    /// Amount plus fee: what leaves the balance.
    pub total: String,
    pub line_count: u32,
    pub remark: String,
    pub created_at: String,
    pub lines: Vec<ApplicationLine>,
}

/// A bank to recharge from, with its online-banking limits (manual §3.4.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RechargeBank {
    pub code: String,
    pub name: String,
    /// 单笔限额.
    pub single_limit: String,
    /// 每日限额.
    pub daily_limit: String,
    /// 需要满足的条件, in Chinese and English.
    pub condition_zh: String,
    pub condition_en: String,
}

/// 充值: the amount typed twice and the bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RechargeRequest {
    #[cfg_attr(feature = "openapi", schema(example = "1000.00"))]
    pub amount: String,
    pub amount_confirm: String,
    /// A bank code from `GET /api/v1/recharge-banks`.
    pub bank: String,
}

/// A recharge order and where to pay it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Recharge {
    pub order_no: String,
    pub amount: String,
    pub bank: String,
    pub bank_name: String,
    /// `pending` until the bank's notification arrives, then `paid` or `cancelled`.
    pub status: String,
    /// The bank's online-banking page for this order.
    pub pay_url: String,
    pub created_at: String,
}

/// The balance at the end of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DailyBalance {
    /// `YYYY-MM-DD` (UTC).
    pub date: String,
    pub balance: String,
}

/// 资金总览: balances and the trend of the last 30 days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FundsOverview {
    pub available: String,
    pub frozen: String,
    /// 待结算: acquired from buyers, not yet settled.
    pub pending_settlement: String,
    /// One point per day, oldest first, ending today.
    pub trend: Vec<DailyBalance>,
}

/// A bank branch from the directory (开户支行, 联行号).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BranchInfo {
    pub code: String,
    pub name: String,
    pub province: String,
    pub city: String,
    pub district: String,
}

/// A province and the cities in it where a bank has branches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BranchPlace {
    pub province: String,
    pub cities: Vec<String>,
}

/// One of the merchant's bank cards; the number is masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BankCardView {
    pub id: i64,
    pub bank: String,
    pub bank_name: String,
    pub branch: String,
    pub province: String,
    pub city: String,
    /// `*****1332`.
    pub account: String,
    /// Always the company name.
    pub account_name: String,
    pub created_at: String,
}

/// 添加银行卡: the name is the company's and can't be chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewBankCard {
    pub bank: String,
    /// 联行号 from `GET /api/v1/branches`.
    pub branch_code: String,
    pub account_number: String,
    pub account_number_confirm: String,
    pub payment_password: String,
}

/// 提现 (manual §4.1.1): to one of the merchant's own bank cards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WithdrawalRequest {
    /// One of `GET /api/v1/bank-cards`.
    pub card_id: i64,
    #[cfg_attr(feature = "openapi", schema(example = "20.00"))]
    pub amount: String,
    /// `standard` (普通提现, T+1) or `fast` (快速提现, within 2 hours).
    pub speed: String,
    /// 商户订单号: your own reference, at most 32 letters and digits, unique across
    /// all your operations; a number used before is refused with 409 `merchant_order_no_taken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_order_no: Option<String>,
    pub payment_password: String,
    /// Needed when the operator may also review: then the withdrawal goes out at once.
    #[serde(default)]
    pub sms_code: Option<String>,
    /// Instead of the SMS code when the operator has bound a security key: an
    /// assertion for a `submit` challenge of this kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_key: Option<KeyAssertion>,
}

/// 转账到银行账户 (manual §3.4.2.3): one payout to a personal or corporate account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BankTransferRequest {
    /// Pay a saved bank contact (`GET /api/v1/contacts?kind=bank`): its type, name,
    /// bank, branch and account number are used and the five fields below may be
    /// left out. The full number never has to travel back to the browser.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<i64>,
    /// `personal` (对私) or `corporate` (对公).
    #[serde(default)]
    pub account_type: String,
    /// The account holder's name.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub bank: String,
    /// 联行号 from `GET /api/v1/branches`.
    #[serde(default)]
    pub branch_code: String,
    #[serde(default)]
    pub account_number: String,
    #[serde(default)]
    pub account_number_confirm: String,
    #[cfg_attr(feature = "openapi", schema(example = "50.00"))]
    pub amount: String,
    #[serde(default)]
    pub remark: Option<String>,
    /// The payout agreement must be accepted.
    pub agreement_accepted: bool,
    /// 商户订单号: your own reference, at most 32 letters and digits, unique across
    /// all your operations; a number used before is refused with 409 `merchant_order_no_taken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_order_no: Option<String>,

    pub payment_password: String,
    #[serde(default)]
    pub sms_code: Option<String>,
    /// Instead of the SMS code when the operator has bound a security key: an
    /// assertion for a `submit` challenge of this kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_key: Option<KeyAssertion>,
}

/// A saved payee (联系人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ContactView {
    pub id: i64,
    /// `platform` or `bank`.
    pub kind: String,
    pub name: String,
    /// The platform account, or the bank account number masked.
    pub account: String,
    pub account_type: Option<String>,
    pub bank: Option<String>,
    pub bank_name: Option<String>,
    pub branch_code: Option<String>,
    pub branch_name: Option<String>,
    pub phone: Option<String>,
    pub remark: String,
}

/// 添加快捷通账户联系人: the account must exist; its name is filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewPlatformContact {
    pub account: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub remark: Option<String>,
}

/// 添加银行卡联系人.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewBankContact {
    /// `personal` or `corporate`.
    pub account_type: String,
    pub name: String,
    pub bank: String,
    pub branch_code: String,
    pub account_number: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub remark: Option<String>,
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

/// One product's fee rule: `fixed + amount × rate_bp / 10000`, rounded half up to
/// the fen, then held between `min` and `max`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeeRuleView {
    /// `transfer`, `bank_payout`, `withdrawal_standard` or `withdrawal_fast`.
    pub product: String,
    /// The manual's name of the product.
    pub label: String,
    #[cfg_attr(feature = "openapi", schema(example = "0.00"))]
    pub fixed: String,
    /// Basis points of the amount (10 = 0.10 %).
    pub rate_bp: u32,
    pub min: String,
    /// No maximum when absent.
    pub max: Option<String>,
}

/// 服务费: the merchant's fee schedule, one rule per product (0.00 unless agreed otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeeSchedule {
    pub items: Vec<FeeRuleView>,
}

/// Staff set one product's fee rule for a merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SetFeeRule {
    #[cfg_attr(feature = "openapi", schema(example = "1.00"))]
    pub fixed: String,
    pub rate_bp: u32,
    pub min: String,
    #[serde(default)]
    pub max: Option<String>,
}

/// One application as the review pages list it (我的待审核, 转账审核, 提现审核, 申请记录).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewItem {
    pub id: i64,
    /// 交易订单号: the platform's number for it, 21 digits.
    pub trade_no: String,
    /// `transfer`, `bank_payout`, `withdrawal`, ...
    pub kind: String,
    pub status: String,
    /// 商户订单号 of a single operation, when the merchant gave one.
    pub merchant_order_no: Option<String>,
    pub created_at: String,
    pub total_amount: String,
    pub total_fee: String,
    pub total: String,
    pub line_count: u32,
    /// 申请人: who submitted it.
    pub applicant: String,
    /// 收款账户: the payee of a single operation, or the number of payees.
    pub payee: String,
    pub reviewer: Option<String>,
    pub review_remark: Option<String>,
    pub reviewed_at: Option<String>,
    /// Whether the signed-in operator may review it now.
    pub can_review: bool,
    /// Submitted by the signed-in operator (who may withdraw it while it waits).
    pub mine: bool,
}

/// Approve or reject one or more pending applications (§3.5.1.2–3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewRequest {
    /// The checked rows; at most 100.
    pub application_ids: Vec<i64>,
    /// `approve` (审核通过) or `reject` (审核拒绝).
    pub decision: String,
    /// 备注; required when rejecting.
    #[serde(default)]
    pub remark: Option<String>,
    /// Required to approve.
    #[serde(default)]
    pub payment_password: Option<String>,
    /// The second factor to approve, when no security key is bound.
    #[serde(default)]
    pub sms_code: Option<String>,
    /// The second factor to approve when the operator has bound a security key:
    /// an assertion for a `review` challenge of exactly these applications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_key: Option<KeyAssertion>,
}

/// What became of one application of a review request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewResult {
    pub id: i64,
    /// The application's status afterwards.
    pub status: String,
    /// Set when this one could not be reviewed, e.g. `application_state` when
    /// someone else reviewed it first.
    pub code: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewOutcome {
    pub results: Vec<ReviewResult>,
}

/// How many applications wait for the signed-in operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PendingCount {
    pub count: u64,
}

/// 审核设置: how one kind of operation is reviewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewPolicyView {
    pub kind: String,
    /// `single` (单人操作: an operator holding apply and review completes at once)
    /// or `maker_checker` (多人制单复核: a second operator reviews).
    pub mode: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SetReviewPolicy {
    pub mode: String,
}

/// A review detail page: the application, its lines, and who did what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewDetail {
    pub item: ReviewItem,
    pub remark: String,
    pub lines: Vec<ApplicationLine>,
}

/// A permission a role can hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PermissionInfo {
    pub name: String,
    pub label_zh: String,
    pub label_en: String,
    /// A review right (审核) rather than a page.
    pub review: bool,
}

/// 角色: a built-in role (管理, 申请, 审核) or a custom one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoleView {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// `admin`, `applicant` or `auditor` for the built-in roles.
    pub builtin: Option<String>,
    pub permissions: Vec<String>,
    /// Operators (not deleted) in this role.
    pub holders: u32,
}

/// Add or change a custom role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoleRequest {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Permission names; each must be one the signed-in operator holds.
    pub permissions: Vec<String>,
}

/// 操作员 as the member list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OperatorView {
    pub id: i64,
    pub login_name: String,
    pub display_name: String,
    /// Masked.
    pub phone: Option<String>,
    pub role_id: i64,
    pub role_name: String,
    /// `active` or `disabled`.
    pub status: String,
    pub created_at: String,
    /// The signed-in operator.
    pub is_me: bool,
}

/// 添加成员.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewOperatorRequest {
    /// 4–32 letters, digits, `_ . @ -`; unique within the merchant.
    pub login_name: String,
    pub display_name: String,
    /// The login password, by the rules of §3.7.1.
    pub password: String,
    /// The phone that receives this operator's SMS codes.
    #[serde(default)]
    pub phone: Option<String>,
    pub role_id: i64,
}

/// 修改成员.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UpdateOperatorRequest {
    pub display_name: String,
    /// Left out: unchanged; empty: removed.
    #[serde(default)]
    pub phone: Option<String>,
    pub role_id: i64,
    /// A new login password, when it is being reset.
    #[serde(default)]
    pub password: Option<String>,
}

/// The payment password that opens the operator pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UnlockRequest {
    pub payment_password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Unlocked {
    /// Until when the operator pages stay open for this session (RFC 3339).
    pub until: String,
}

/// One row of the operation log (日志查询).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OperationLogEntry {
    pub id: i64,
    /// Who: `显示名 (login)`, or empty for requests without a session.
    pub operator: String,
    /// What: method and route, e.g. `POST /api/v1/transfers`.
    pub action: String,
    /// The path with its parameters.
    pub target: String,
    /// The answer's HTTP status.
    pub status: u16,
    pub ip: String,
    pub at: String,
}

/// 快捷盾 of the signed-in operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SecurityKeyStatus {
    pub bound: bool,
    pub bound_at: Option<String>,
}

/// Binding or unbinding a key (§3.7.5): the licence number, payment password and SMS code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SecurityKeyCheck {
    /// 营业执照注册号 as given at real-name verification.
    pub licence_number: String,
    pub payment_password: String,
    pub sms_code: String,
}

/// A WebAuthn ceremony to run in the browser: pass `options` to
/// `navigator.credentials.create` or `.get` and send the result back with `challenge_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KeyChallenge {
    pub challenge_id: String,
    /// `CreationChallengeResponse` or `RequestChallengeResponse` (WebAuthn JSON).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub options: serde_json::Value,
}

/// Finish binding: the new credential (`PublicKeyCredential.toJSON()`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KeyRegistration {
    pub challenge_id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub credential: serde_json::Value,
}

/// What an assertion is asked for: approving or rejecting exact applications, or
/// submitting an operation of one kind that completes at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KeyChallengeRequest {
    /// `review` or `submit`.
    pub purpose: String,
    #[serde(default)]
    pub application_ids: Vec<i64>,
    /// For `review`: `approve` or `reject`.
    #[serde(default)]
    pub decision: Option<String>,
    /// For `submit`: `transfer`, `bank_payout`, `withdrawal`, ...
    #[serde(default)]
    pub kind: Option<String>,
}

/// A security-key assertion standing in for the SMS code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KeyAssertion {
    pub challenge_id: String,
    /// `PublicKeyCredential.toJSON()` from `navigator.credentials.get`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub credential: serde_json::Value,
}
