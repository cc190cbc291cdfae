//! Real-name verification (实名认证, §2.2).

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

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
    /// New deposits the merchant may still ask for; at 0, customer service
    /// takes over (staff send the next one).
    pub resends_left: u32,
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

/// `POST /api/v1/kyb/micro-deposit`: the two amounts found on the bank
/// statement, in either order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ConfirmDeposit {
    #[cfg_attr(feature = "openapi", schema(example = "0.37"))]
    pub amount: String,
    #[cfg_attr(feature = "openapi", schema(example = "0.08"))]
    pub second_amount: String,
}
