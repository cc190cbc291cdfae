//! Every API call the web app makes, one typed function each: the path, the
//! session it needs, what it sends and what comes back. Pages call these and
//! never spell a path.

use paydesk_api_types::*;
use serde::Serialize;

use crate::api::{self, ApiError, Realm};

/// `DELETE /api/v1/bank-cards/{id}`
pub async fn delete_bank_card(id: i64) -> Result<(), ApiError> {
    api::delete(Realm::Operator, &format!("/api/v1/bank-cards/{id}")).await
}

/// `DELETE /api/v1/contacts/{id}`
pub async fn delete_contact(id: i64) -> Result<(), ApiError> {
    api::delete(Realm::Operator, &format!("/api/v1/contacts/{id}")).await
}

/// `DELETE /api/v1/ops/session`
pub async fn staff_sign_out() -> Result<(), ApiError> {
    api::delete(Realm::Staff, "/api/v1/ops/session").await
}

/// `DELETE /api/v1/roles/{id}`
pub async fn delete_role(id: i64) -> Result<(), ApiError> {
    api::delete(Realm::Operator, &format!("/api/v1/roles/{id}")).await
}

/// `DELETE /api/v1/session`
pub async fn sign_out() -> Result<(), ApiError> {
    api::delete(Realm::Operator, "/api/v1/session").await
}

/// `GET /api/v1/bank-cards`
pub async fn get_bank_cards() -> Result<Vec<paydesk_api_types::BankCardView>, ApiError> {
    api::get(Realm::Operator, "/api/v1/bank-cards").await
}

/// `GET /api/v1/branch-places?bank={b}`
pub async fn get_branch_places(b: impl std::fmt::Display) -> Result<Vec<BranchPlace>, ApiError> {
    api::get(Realm::Operator, &format!("/api/v1/branch-places?bank={b}")).await
}

/// `GET /api/v1/contacts?kind={kind}&per_page=100`: the contacts a picker offers.
pub async fn get_contact_choices(kind: &'static str) -> Result<Page<ContactView>, ApiError> {
    api::get(Realm::Operator, &format!("/api/v1/contacts?kind={kind}&per_page=100")).await
}

/// `GET /api/v1/fees`
pub async fn get_fees() -> Result<paydesk_api_types::FeeSchedule, ApiError> {
    api::get(Realm::Operator, "/api/v1/fees").await
}

/// `GET /api/v1/funds/overview`
pub async fn get_funds_overview() -> Result<paydesk_api_types::FundsOverview, ApiError> {
    api::get(Realm::Operator, "/api/v1/funds/overview").await
}

/// `GET /api/v1/home`
pub async fn get_home() -> Result<Home, ApiError> {
    api::get(Realm::Operator, "/api/v1/home").await
}

/// `GET /api/v1/kyb`
pub async fn get_kyb() -> Result<Kyb, ApiError> {
    api::get(Realm::Operator, "/api/v1/kyb").await
}

/// `GET /api/v1/me`
pub async fn get_me() -> Result<Me, ApiError> {
    api::get(Realm::Operator, "/api/v1/me").await
}

/// `GET /api/v1/operation-log?page={p}{q}`
pub async fn get_operation_log(
    p: impl std::fmt::Display,
    q: impl std::fmt::Display,
) -> Result<Page<OperationLogEntry>, ApiError> {
    api::get(Realm::Operator, &format!("/api/v1/operation-log?page={p}{q}")).await
}

/// `GET /api/v1/operators`
pub async fn get_operators() -> Result<Vec<OperatorView>, ApiError> {
    api::get(Realm::Operator, "/api/v1/operators").await
}

/// `GET /api/v1/ops/frozen-logins`
pub async fn get_ops_frozen_logins() -> Result<Vec<FrozenLogin>, ApiError> {
    api::get(Realm::Staff, "/api/v1/ops/frozen-logins").await
}

/// `GET /api/v1/ops/kyb/{id}`
pub async fn get_ops_kyb(id: &str) -> Result<KybReview, ApiError> {
    api::get(Realm::Staff, &format!("/api/v1/ops/kyb/{id}")).await
}

/// `GET /api/v1/ops/kyb?status={s}`
pub async fn get_ops_kyb_queue(s: impl std::fmt::Display) -> Result<Page<MerchantSummary>, ApiError> {
    api::get(Realm::Staff, &format!("/api/v1/ops/kyb?status={s}")).await
}

/// `GET /api/v1/ops/me`
pub async fn get_ops_me() -> Result<StaffMe, ApiError> {
    api::get(Realm::Staff, "/api/v1/ops/me").await
}

/// `GET /api/v1/ops/merchants/{merchant_id}/fees`
pub async fn get_ops_merchant_fees(merchant_id: i64) -> Result<FeeSchedule, ApiError> {
    api::get(Realm::Staff, &format!("/api/v1/ops/merchants/{merchant_id}/fees")).await
}

/// `GET /api/v1/ops/merchants?page={p}`
pub async fn get_ops_merchants(p: impl std::fmt::Display) -> Result<Page<MerchantSummary>, ApiError> {
    api::get(Realm::Staff, &format!("/api/v1/ops/merchants?page={p}")).await
}

/// `GET /api/v1/permissions`
pub async fn get_permissions() -> Result<Vec<PermissionInfo>, ApiError> {
    api::get(Realm::Operator, "/api/v1/permissions").await
}

/// `GET /api/v1/recharge-banks`
pub async fn get_recharge_banks() -> Result<Vec<RechargeBank>, ApiError> {
    api::get(Realm::Operator, "/api/v1/recharge-banks").await
}

/// `GET /api/v1/recharges/{no}`
pub async fn get_recharge(no: impl std::fmt::Display) -> Result<Recharge, ApiError> {
    api::get(Realm::Operator, &format!("/api/v1/recharges/{no}")).await
}

/// `GET /api/v1/registrations/{t}`
pub async fn get_registration(t: impl std::fmt::Display) -> Result<RegistrationLink, ApiError> {
    api::get(Realm::Public, &format!("/api/v1/registrations/{t}")).await
}

/// `GET /api/v1/review-policies`
pub async fn get_review_policies() -> Result<Vec<ReviewPolicyView>, ApiError> {
    api::get(Realm::Operator, "/api/v1/review-policies").await
}

/// `GET /api/v1/reviews/{id}`
pub async fn get_review(id: i64) -> Result<ReviewDetail, ApiError> {
    api::get(Realm::Operator, &format!("/api/v1/reviews/{id}")).await
}

/// `GET /api/v1/reviews/pending/count`
pub async fn get_pending_count() -> Result<paydesk_api_types::PendingCount, ApiError> {
    api::get(Realm::Operator, "/api/v1/reviews/pending/count").await
}

/// `GET /api/v1/roles`
pub async fn get_roles() -> Result<Vec<RoleView>, ApiError> {
    api::get(Realm::Operator, "/api/v1/roles").await
}

/// `GET /api/v1/security`
pub async fn get_security() -> Result<SecurityOverview, ApiError> {
    api::get(Realm::Operator, "/api/v1/security").await
}

/// `PUT /api/v1/security/login-password`
pub async fn change_login_password(body: &ChangeLoginPassword) -> Result<(), ApiError> {
    api::put_no_content(Realm::Operator, "/api/v1/security/login-password", body).await
}

/// `POST /api/v1/security/email`
pub async fn bind_email(body: &EmailBind) -> Result<EmailLinkSent, ApiError> {
    api::post(Realm::Operator, "/api/v1/security/email", body).await
}

/// `POST /api/v1/security/email/change`
pub async fn start_email_change(body: &EmailProof) -> Result<EmailLinkSent, ApiError> {
    api::post(Realm::Operator, "/api/v1/security/email/change", body).await
}

/// `POST /api/v1/security/email/unbind`
pub async fn unbind_email(body: &EmailProof) -> Result<(), ApiError> {
    api::post_no_content(Realm::Operator, "/api/v1/security/email/unbind", body).await
}

/// `GET /api/v1/email-links/{token}`
pub async fn get_email_link(token: &str) -> Result<EmailLinkView, ApiError> {
    api::get(Realm::Public, &format!("/api/v1/email-links/{token}")).await
}

/// `POST /api/v1/email-links/{token}`
pub async fn open_email_link(token: &str, body: &EmailLinkUse) -> Result<EmailLinkUsed, ApiError> {
    api::post(Realm::Public, &format!("/api/v1/email-links/{token}"), body).await
}

/// `POST /api/v1/security/payment-password/recovery`
pub async fn start_payment_password_recovery() -> Result<RecoveryStarted, ApiError> {
    api::post(Realm::Operator, "/api/v1/security/payment-password/recovery", &serde_json::json!({})).await
}

/// `POST /api/v1/recoveries`
pub async fn start_recovery(body: &RecoveryStart) -> Result<RecoveryStarted, ApiError> {
    api::post(Realm::Public, "/api/v1/recoveries", body).await
}

/// `POST /api/v1/recoveries/{id}/sms-code`
pub async fn send_recovery_code(id: &str) -> Result<SmsCodeSent, ApiError> {
    api::post(Realm::Public, &format!("/api/v1/recoveries/{id}/sms-code"), &serde_json::json!({})).await
}

/// `POST /api/v1/recoveries/{id}/key-challenges`
pub async fn recovery_key_challenge(id: &str) -> Result<KeyChallenge, ApiError> {
    api::post(Realm::Public, &format!("/api/v1/recoveries/{id}/key-challenges"), &serde_json::json!({})).await
}

/// `POST /api/v1/recoveries/{id}/verify`
pub async fn verify_recovery(id: &str, body: &RecoveryVerify) -> Result<RecoveryLinkSent, ApiError> {
    api::post(Realm::Public, &format!("/api/v1/recoveries/{id}/verify"), body).await
}

/// `POST /api/v1/recoveries/{id}/resend`
pub async fn resend_recovery_link(id: &str) -> Result<RecoveryLinkSent, ApiError> {
    api::post(Realm::Public, &format!("/api/v1/recoveries/{id}/resend"), &serde_json::json!({})).await
}

/// `GET /api/v1/recoveries/links/{token}`
pub async fn get_recovery_link(token: &str) -> Result<RecoveryLink, ApiError> {
    api::get(Realm::Public, &format!("/api/v1/recoveries/links/{token}")).await
}

/// `POST /api/v1/recoveries/links/{token}`
pub async fn complete_recovery(token: &str, body: &RecoveryComplete) -> Result<(), ApiError> {
    api::post_no_content(Realm::Public, &format!("/api/v1/recoveries/links/{token}"), body).await
}

/// `PUT /api/v1/security/payment-password`
pub async fn change_payment_password(body: &ChangePaymentPassword) -> Result<(), ApiError> {
    api::put_no_content(Realm::Operator, "/api/v1/security/payment-password", body).await
}

/// `PUT /api/v1/security/phone`
pub async fn change_phone(body: &PhoneChange) -> Result<SecurityOverview, ApiError> {
    api::put(Realm::Operator, "/api/v1/security/phone", body).await
}

/// `POST /api/v1/security/phone/unbind`
pub async fn unbind_phone(body: &PhoneUnbind) -> Result<SecurityOverview, ApiError> {
    api::post(Realm::Operator, "/api/v1/security/phone/unbind", body).await
}

/// `GET /api/v1/security-key`
pub async fn get_security_key() -> Result<SecurityKeyStatus, ApiError> {
    api::get(Realm::Operator, "/api/v1/security-key").await
}

/// `POST /api/v1/bank-cards`
pub async fn add_bank_card(body: &NewBankCard) -> Result<BankCardView, ApiError> {
    api::post(Realm::Operator, "/api/v1/bank-cards", body).await
}

/// `POST /api/v1/captchas`
pub async fn new_captcha() -> Result<Captcha, ApiError> {
    api::post(Realm::Public, "/api/v1/captchas", &serde_json::json!({})).await
}

/// `POST /api/v1/contacts/bank`
pub async fn add_bank_contact(body: &NewBankContact) -> Result<ContactView, ApiError> {
    api::post(Realm::Operator, "/api/v1/contacts/bank", body).await
}

/// `POST /api/v1/contacts/platform`
pub async fn add_platform_contact(body: &NewPlatformContact) -> Result<ContactView, ApiError> {
    api::post(Realm::Operator, "/api/v1/contacts/platform", body).await
}

/// `POST /api/v1/kyb/micro-deposit`
pub async fn confirm_micro_deposit(body: &ConfirmDeposit) -> Result<Kyb, ApiError> {
    api::post(Realm::Operator, "/api/v1/kyb/micro-deposit", body).await
}

/// `POST /api/v1/kyb/micro-deposit/resend`
pub async fn resend_micro_deposit() -> Result<Kyb, ApiError> {
    api::post(Realm::Operator, "/api/v1/kyb/micro-deposit/resend", &serde_json::json!({})).await
}

/// `POST /api/v1/kyb/submit`
pub async fn submit_kyb() -> Result<Kyb, ApiError> {
    api::post(Realm::Operator, "/api/v1/kyb/submit", &serde_json::json!({})).await
}

/// `POST /api/v1/operators`
pub async fn add_operator(body: &NewOperatorRequest) -> Result<OperatorView, ApiError> {
    api::post(Realm::Operator, "/api/v1/operators", body).await
}

/// `POST /api/v1/operators/unlock`
pub async fn unlock_operator_pages(body: &UnlockRequest) -> Result<Unlocked, ApiError> {
    api::post(Realm::Operator, "/api/v1/operators/unlock", body).await
}

/// `POST /api/v1/ops/kyb/{id}/approve`
pub async fn approve_kyb(id: &str) -> Result<KybReview, ApiError> {
    api::post(Realm::Staff, &format!("/api/v1/ops/kyb/{id}/approve"), &serde_json::json!({})).await
}

/// `POST /api/v1/ops/kyb/{id}/micro-deposit` (staff take over after the merchant's resends)
pub async fn staff_send_micro_deposit(id: &str) -> Result<KybReview, ApiError> {
    api::post(Realm::Staff, &format!("/api/v1/ops/kyb/{id}/micro-deposit"), &serde_json::json!({})).await
}

/// `POST /api/v1/ops/kyb/{id}/reject`
pub async fn reject_kyb(id: &str, body: &RejectKyb) -> Result<KybReview, ApiError> {
    api::post(Realm::Staff, &format!("/api/v1/ops/kyb/{id}/reject"), body).await
}

/// `POST /api/v1/ops/operators/{id}/unfreeze?kind=…` (`operator_sign_in` or `payment_password`)
pub async fn unfreeze_operator(id: i64, kind: &str) -> Result<(), ApiError> {
    api::post_empty(Realm::Staff, &format!("/api/v1/ops/operators/{id}/unfreeze?kind={kind}")).await
}

/// Where a staff sign-in stands after the password.
pub enum StaffSignIn {
    Signed(AccessToken),
    /// A security key is bound: answer this check at `POST /api/v1/ops/session/key`.
    KeyNeeded(KeyChallenge),
}

/// `POST /api/v1/ops/session` (200 signed in, or 202 with a key check)
pub async fn staff_sign_in(body: &StaffLoginRequest) -> Result<StaffSignIn, ApiError> {
    let response = api::post_answer(Realm::Public, "/api/v1/ops/session", body).await?;
    if response.status() == 202 {
        Ok(StaffSignIn::KeyNeeded(api::decode(response).await?))
    } else {
        Ok(StaffSignIn::Signed(api::decode(response).await?))
    }
}

/// `POST /api/v1/ops/session/key`
pub async fn staff_key_sign_in(body: &KeyAssertion) -> Result<AccessToken, ApiError> {
    api::post(Realm::Public, "/api/v1/ops/session/key", body).await
}

/// `GET /api/v1/ops/security-key`
pub async fn get_ops_security_key() -> Result<SecurityKeyStatus, ApiError> {
    api::get(Realm::Staff, "/api/v1/ops/security-key").await
}

/// `POST /api/v1/ops/security-key/registrations`
pub async fn start_staff_key_binding(body: &StaffPassword) -> Result<KeyChallenge, ApiError> {
    api::post(Realm::Staff, "/api/v1/ops/security-key/registrations", body).await
}

/// `POST /api/v1/ops/security-key`
pub async fn bind_staff_key(body: &KeyRegistration) -> Result<SecurityKeyStatus, ApiError> {
    api::post(Realm::Staff, "/api/v1/ops/security-key", body).await
}

/// `POST /api/v1/ops/security-key/unbind-challenges`
pub async fn staff_key_unbind_challenge(body: &StaffPassword) -> Result<KeyChallenge, ApiError> {
    api::post(Realm::Staff, "/api/v1/ops/security-key/unbind-challenges", body).await
}

/// `POST /api/v1/ops/security-key/unbind`
pub async fn unbind_staff_key(body: &KeyAssertion) -> Result<(), ApiError> {
    api::post_no_content(Realm::Staff, "/api/v1/ops/security-key/unbind", body).await
}

/// `POST /api/v1/recharges`
pub async fn start_recharge(body: &RechargeRequest, key: &str) -> Result<Recharge, ApiError> {
    api::post_idempotent(Realm::Operator, "/api/v1/recharges", body, key).await
}

/// `POST /api/v1/registrations`
pub async fn start_registration(body: &RegistrationRequest) -> Result<RegistrationSent, ApiError> {
    api::post(Realm::Public, "/api/v1/registrations", body).await
}

/// `POST /api/v1/registrations/{t}/complete`
pub async fn complete_registration(
    t: impl std::fmt::Display,
    body: &CompleteRegistration,
) -> Result<Registered, ApiError> {
    api::post(Realm::Public, &format!("/api/v1/registrations/{t}/complete"), body).await
}

/// `POST /api/v1/registrations/resend`
pub async fn resend_registration_link(body: &ResendRequest) -> Result<RegistrationSent, ApiError> {
    api::post(Realm::Public, "/api/v1/registrations/resend", body).await
}

/// `POST /api/v1/reviews`
pub async fn decide_reviews(body: &ReviewRequest, key: &str) -> Result<ReviewOutcome, ApiError> {
    api::post_idempotent(Realm::Operator, "/api/v1/reviews", body, key).await
}

/// `POST /api/v1/roles`
pub async fn add_role(body: &RoleRequest) -> Result<RoleView, ApiError> {
    api::post(Realm::Operator, "/api/v1/roles", body).await
}

/// `POST /api/v1/security-key`
pub async fn bind_security_key(body: &KeyRegistration) -> Result<SecurityKeyStatus, ApiError> {
    api::post(Realm::Operator, "/api/v1/security-key", body).await
}

/// `POST /api/v1/security-key/challenges`
pub async fn security_key_challenge(body: &KeyChallengeRequest) -> Result<KeyChallenge, ApiError> {
    api::post(Realm::Operator, "/api/v1/security-key/challenges", body).await
}

/// `POST /api/v1/security-key/registrations`
pub async fn start_security_key_binding(body: &SecurityKeyCheck) -> Result<KeyChallenge, ApiError> {
    api::post(Realm::Operator, "/api/v1/security-key/registrations", body).await
}

/// `POST /api/v1/security-key/unbind`
pub async fn unbind_security_key(body: &SecurityKeyCheck) -> Result<(), ApiError> {
    api::post_no_content(Realm::Operator, "/api/v1/security-key/unbind", body).await
}

/// `POST /api/v1/session`
pub async fn sign_in(body: &LoginRequest) -> Result<AccessToken, ApiError> {
    api::post(Realm::Public, "/api/v1/session", body).await
}

/// `POST /api/v1/sms-codes`
pub async fn send_sms_code(body: &SmsCodeRequest) -> Result<SmsCodeSent, ApiError> {
    api::post(Realm::Operator, "/api/v1/sms-codes", body).await
}

/// `PUT /api/v1/operators/{id}`
pub async fn update_operator(id: i64, body: &UpdateOperatorRequest) -> Result<OperatorView, ApiError> {
    api::put(Realm::Operator, &format!("/api/v1/operators/{id}"), body).await
}

/// `PUT /api/v1/review-policies/{kind}`
pub async fn set_review_policy(
    kind: impl std::fmt::Display,
    body: &SetReviewPolicy,
) -> Result<Vec<ReviewPolicyView>, ApiError> {
    api::put(Realm::Operator, &format!("/api/v1/review-policies/{kind}"), body).await
}

/// `PUT /api/v1/roles/{id}`
pub async fn update_role(id: i64, body: &RoleRequest) -> Result<RoleView, ApiError> {
    api::put(Realm::Operator, &format!("/api/v1/roles/{id}"), body).await
}

/// `POST /api/v1/uploads`
pub async fn upload_scan(form: &web_sys::FormData) -> Result<UploadedFile, ApiError> {
    api::upload(Realm::Operator, "/api/v1/uploads", form).await
}

/// `GET /api/v1/ops/uploads/{id}`
pub async fn url_of_ops_upload(id: &str) -> Result<String, ApiError> {
    api::object_url(Realm::Staff, &format!("/api/v1/ops/uploads/{id}")).await
}

/// `GET /api/v1/statement/export?from={f}&to={t}`
pub async fn statement_export_url(
    f: impl std::fmt::Display,
    t: impl std::fmt::Display,
) -> Result<String, ApiError> {
    api::object_url(Realm::Operator, &format!("/api/v1/statement/export?from={f}&to={t}")).await
}

/// Percent-encodes one query value.
fn enc(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

/// `GET /api/v1/branches?bank=&province=&city=`
pub async fn get_branches(bank: &str, province: &str, city: &str) -> Result<Vec<BranchInfo>, ApiError> {
    let path = format!("/api/v1/branches?bank={}&province={}&city={}", enc(bank), enc(province), enc(city));
    api::get(Realm::Operator, &path).await
}

/// `PUT /api/v1/ops/merchants/{merchant_id}/fees/{product}`
pub async fn put_ops_merchant_fee(
    merchant_id: i64,
    product: &str,
    body: &SetFeeRule,
) -> Result<FeeSchedule, ApiError> {
    api::put(Realm::Staff, &format!("/api/v1/ops/merchants/{merchant_id}/fees/{product}"), body).await
}

/// `GET /api/v1/payees?account=`
pub async fn get_payee(account: &str) -> Result<Payee, ApiError> {
    api::get(Realm::Operator, &format!("/api/v1/payees?account={}", enc(account))).await
}

/// `POST /api/v1/transfers` under an Idempotency-Key.
pub async fn transfer(body: &TransferRequest, key: &str) -> Result<Application, ApiError> {
    api::post_idempotent(Realm::Operator, "/api/v1/transfers", body, key).await
}

/// `POST /api/v1/bank-transfers` under an Idempotency-Key.
pub async fn bank_transfer(body: &BankTransferRequest, key: &str) -> Result<Application, ApiError> {
    api::post_idempotent(Realm::Operator, "/api/v1/bank-transfers", body, key).await
}

/// `POST /api/v1/withdrawals` under an Idempotency-Key.
pub async fn withdraw(body: &WithdrawalRequest, key: &str) -> Result<Application, ApiError> {
    api::post_idempotent(Realm::Operator, "/api/v1/withdrawals", body, key).await
}

/// Which list of applications (审核管理 and 申请记录).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewList {
    /// 我的待审核: others' applications this operator may review.
    Pending,
    Transfers,
    Withdrawals,
    Refunds,
    /// 应用审核: payroll (代发工资) from the app centre.
    Payroll,
    /// 申请记录: every application.
    Records,
}

/// `GET /api/v1/reviews/{list}` or `/api/v1/applications`, a page with filters
/// (`query` is `&from=…&kind=…`, already encoded).
pub async fn get_review_list(list: ReviewList, page: u32, query: &str) -> Result<Page<ReviewItem>, ApiError> {
    let base = match list {
        ReviewList::Pending => "/api/v1/reviews/pending",
        ReviewList::Transfers => "/api/v1/reviews/transfers",
        ReviewList::Withdrawals => "/api/v1/reviews/withdrawals",
        ReviewList::Refunds => "/api/v1/reviews/refunds",
        ReviewList::Payroll => "/api/v1/reviews/payroll",
        ReviewList::Records => "/api/v1/applications",
    };
    api::get(Realm::Operator, &format!("{base}?page={page}{query}")).await
}

/// `POST /api/v1/applications/{id}/cancel` (撤销)
pub async fn cancel_application(id: i64) -> Result<ReviewResult, ApiError> {
    api::post(Realm::Operator, &format!("/api/v1/applications/{id}/cancel"), &serde_json::json!({})).await
}

/// `POST /api/v1/operators/{id}/disable` or `/enable`
pub async fn set_operator_active(id: i64, active: bool) -> Result<(), ApiError> {
    let what = if active { "enable" } else { "disable" };
    api::post_empty(Realm::Operator, &format!("/api/v1/operators/{id}/{what}")).await
}

/// `DELETE /api/v1/operators/{id}`
pub async fn delete_operator(id: i64) -> Result<(), ApiError> {
    api::delete(Realm::Operator, &format!("/api/v1/operators/{id}")).await
}

/// `GET /api/v1/contacts?kind=&q=`
pub async fn get_contacts(kind: &str, q: &str) -> Result<Page<ContactView>, ApiError> {
    api::get(Realm::Operator, &format!("/api/v1/contacts?kind={}&q={}", enc(kind), enc(q))).await
}

/// The three steps of real-name verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KybStep {
    Filing,
    FundAccount,
    LegalRepresentative,
}

/// `PUT /api/v1/kyb/{step}`
pub async fn put_kyb_step<B: Serialize>(step: KybStep, body: &B) -> Result<Kyb, ApiError> {
    let path = match step {
        KybStep::Filing => "/api/v1/kyb/filing",
        KybStep::FundAccount => "/api/v1/kyb/fund-account",
        KybStep::LegalRepresentative => "/api/v1/kyb/legal-representative",
    };
    api::put(Realm::Operator, path, body).await
}

/// `GET /api/v1/statement?from=&to=&page=`
pub async fn get_statement(from: &str, to: &str, page: u32) -> Result<Page<StatementLine>, ApiError> {
    api::get(Realm::Operator, &format!("/api/v1/statement?from={}&to={}&page={page}", enc(from), enc(to)))
        .await
}

/// `GET /api/v1/batch-templates`
pub async fn get_batch_templates() -> Result<Vec<BatchTemplate>, ApiError> {
    api::get(Realm::Operator, "/api/v1/batch-templates").await
}

/// `GET /api/v1/batch-templates/{kind}` as an object URL to save.
pub async fn batch_template_url(kind: &str) -> Result<String, ApiError> {
    api::object_url(Realm::Operator, &format!("/api/v1/batch-templates/{kind}")).await
}

/// `POST /api/v1/batches/checks?kind={kind}` (multipart `file`)
pub async fn check_batch(kind: &str, form: &web_sys::FormData) -> Result<BatchCheck, ApiError> {
    api::upload(Realm::Operator, &format!("/api/v1/batches/checks?kind={kind}"), form).await
}

/// `POST /api/v1/contacts/imports/checks` (multipart `file`)
pub async fn check_contact_list(form: &web_sys::FormData) -> Result<BatchCheck, ApiError> {
    api::upload(Realm::Operator, "/api/v1/contacts/imports/checks", form).await
}

/// `GET /api/v1/batches/files/{id}` as an object URL to save.
pub async fn batch_file_url(id: &str) -> Result<String, ApiError> {
    api::object_url(Realm::Operator, &format!("/api/v1/batches/files/{id}")).await
}

/// `POST /api/v1/batches` under an Idempotency-Key.
pub async fn submit_batch(body: &BatchSubmit, key: &str) -> Result<Application, ApiError> {
    api::post_idempotent(Realm::Operator, "/api/v1/batches", body, key).await
}

/// `POST /api/v1/contacts/imports`
pub async fn import_contacts(body: &ContactImport) -> Result<ContactsImported, ApiError> {
    api::post(Realm::Operator, "/api/v1/contacts/imports", body).await
}

/// `GET /api/v1/applications/{id}/lines/export` as an object URL to save.
pub async fn application_lines_url(id: i64) -> Result<String, ApiError> {
    api::object_url(Realm::Operator, &format!("/api/v1/applications/{id}/lines/export")).await
}

/// `GET /api/v1/api-clients`
pub async fn get_api_clients() -> Result<Vec<ApiClientView>, ApiError> {
    api::get(Realm::Operator, "/api/v1/api-clients").await
}

/// `POST /api/v1/api-clients`
pub async fn create_api_client(body: &NewApiClient) -> Result<ApiClientView, ApiError> {
    api::post(Realm::Operator, "/api/v1/api-clients", body).await
}

/// `POST /api/v1/api-clients/{app_id}/keys`
pub async fn add_api_key(app_id: &str, body: &NewApiKey) -> Result<ApiKeyView, ApiError> {
    api::post(Realm::Operator, &format!("/api/v1/api-clients/{app_id}/keys"), body).await
}

/// `POST /api/v1/api-clients/{app_id}/keys/{id}/revoke`
pub async fn revoke_api_key(app_id: &str, id: i64, body: &PaymentPasswordProof) -> Result<(), ApiError> {
    api::post_no_content(Realm::Operator, &format!("/api/v1/api-clients/{app_id}/keys/{id}/revoke"), body)
        .await
}

/// `POST /api/v1/gateway-key`
pub async fn get_platform_key(body: &PaymentPasswordProof) -> Result<PlatformPublicKey, ApiError> {
    api::post(Realm::Operator, "/api/v1/gateway-key", body).await
}

/// `GET /api/v1/qr-codes`
pub async fn get_qr_codes() -> Result<Vec<QrCodeView>, ApiError> {
    api::get(Realm::Operator, "/api/v1/qr-codes").await
}

/// `POST /api/v1/qr-codes`
pub async fn create_qr_code(body: &NewQrCode) -> Result<QrCodeView, ApiError> {
    api::post(Realm::Operator, "/api/v1/qr-codes", body).await
}

/// `POST /api/v1/qr-codes/{id}/disable`
pub async fn disable_qr_code(id: i64) -> Result<QrCodeView, ApiError> {
    api::post(Realm::Operator, &format!("/api/v1/qr-codes/{id}/disable"), &serde_json::json!({})).await
}

/// `GET /api/v1/qr-codes/{id}/poster.svg` as an object URL to show and save.
pub async fn qr_poster_url(id: i64) -> Result<String, ApiError> {
    api::object_url(Realm::Operator, &format!("/api/v1/qr-codes/{id}/poster.svg")).await
}

/// `GET /api/v1/collections/stream`: each payment as it arrives.
pub async fn collection_alerts(
    mut on_alert: impl FnMut(CollectionAlert),
    keep_going: impl Fn() -> bool,
) -> Result<(), ApiError> {
    api::event_stream(
        Realm::Operator,
        "/api/v1/collections/stream",
        |name, data| {
            if name == "payment" {
                if let Ok(alert) = serde_json::from_str(data) {
                    on_alert(alert);
                }
            }
        },
        keep_going,
    )
    .await
}

/// `GET /api/v1/trades?page=`
pub async fn get_trades(page: i64) -> Result<TradePage, ApiError> {
    api::get(Realm::Operator, &format!("/api/v1/trades?page={page}")).await
}

/// `GET /api/v1/notify-address`
pub async fn get_notify_address() -> Result<NotifyAddress, ApiError> {
    api::get(Realm::Operator, "/api/v1/notify-address").await
}

/// `POST /api/v1/notify-address`
pub async fn set_notify_address(body: &NotifyAddressChange) -> Result<NotifyAddress, ApiError> {
    api::post(Realm::Operator, "/api/v1/notify-address", body).await
}

/// `GET /api/v1/notifications?undelivered=&page=`
pub async fn get_notifications(undelivered: bool, page: i64) -> Result<EventPage, ApiError> {
    api::get(Realm::Operator, &format!("/api/v1/notifications?undelivered={undelivered}&page={page}")).await
}

/// `POST /api/v1/notifications/{event_id}/redeliver`
pub async fn redeliver_notification(event_id: &str) -> Result<EventView, ApiError> {
    api::post(Realm::Operator, &format!("/api/v1/notifications/{event_id}/redeliver"), &serde_json::json!({}))
        .await
}

/// `POST /api/v1/notifications/test`
pub async fn send_test_notification() -> Result<EventView, ApiError> {
    api::post(Realm::Operator, "/api/v1/notifications/test", &serde_json::json!({})).await
}

/// `GET /api/v1/apps`
pub async fn get_apps() -> Result<Vec<AppView>, ApiError> {
    api::get(Realm::Operator, "/api/v1/apps").await
}

/// `POST /api/v1/apps/{product}/apply`
pub async fn apply_for_app(product: &str, body: &ApplyForApp) -> Result<AppView, ApiError> {
    api::post(Realm::Operator, &format!("/api/v1/apps/{product}/apply"), body).await
}

/// `GET /api/v1/ops/signings`
pub async fn get_ops_signings(state: &str, page: u32) -> Result<Page<SigningView>, ApiError> {
    api::get(Realm::Staff, &format!("/api/v1/ops/signings?state={state}&page={page}")).await
}

/// `POST /api/v1/ops/merchants/{id}/signings/{product}/approve`
pub async fn approve_signing(
    merchant_id: i64,
    product: &str,
    body: &ApproveSigning,
) -> Result<SigningView, ApiError> {
    api::post(Realm::Staff, &format!("/api/v1/ops/merchants/{merchant_id}/signings/{product}/approve"), body)
        .await
}

/// `POST /api/v1/ops/merchants/{id}/signings/{product}/reject`
pub async fn reject_signing(
    merchant_id: i64,
    product: &str,
    body: &RejectSigning,
) -> Result<SigningView, ApiError> {
    api::post(Realm::Staff, &format!("/api/v1/ops/merchants/{merchant_id}/signings/{product}/reject"), body)
        .await
}

/// A 交易记录 filter as the page holds it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordFilter {
    pub kind: String,
    pub trade_type: String,
    pub status: String,
    pub q: String,
    pub from: String,
    pub to: String,
}

impl RecordFilter {
    fn query(&self) -> String {
        format!(
            "type={}&trade_type={}&status={}&q={}&from={}&to={}",
            enc(&self.kind),
            enc(&self.trade_type),
            enc(&self.status),
            enc(self.q.trim()),
            enc(&self.from),
            enc(&self.to)
        )
    }
}

/// `GET /api/v1/records` (交易记录).
pub async fn get_records(f: &RecordFilter, page: u32) -> Result<RecordPage, ApiError> {
    api::get(Realm::Operator, &format!("/api/v1/records?{}&page={page}", f.query())).await
}

/// `GET /api/v1/records/export` as an object URL to save.
pub async fn records_export_url(f: &RecordFilter) -> Result<String, ApiError> {
    api::object_url(Realm::Operator, &format!("/api/v1/records/export?{}", f.query())).await
}

/// `GET /api/v1/trades/{no}`: by 交易订单号, or by 商户订单号 (历史订单退款).
pub async fn get_trade_detail(no: &str, by_merchant_order_no: bool) -> Result<TradeDetail, ApiError> {
    let by = if by_merchant_order_no { "?by=merchant_order_no" } else { "" };
    api::get(Realm::Operator, &format!("/api/v1/trades/{}{by}", enc(no))).await
}

/// `POST /api/v1/trades/{no}/refunds` (退款申请).
pub async fn apply_refund(trade_no: &str, body: &RefundRequest, key: &str) -> Result<Application, ApiError> {
    api::post_idempotent(Realm::Operator, &format!("/api/v1/trades/{}/refunds", enc(trade_no)), body, key)
        .await
}
