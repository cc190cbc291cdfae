//! Real-name verification (实名认证, §2.2): the parts with steps of their own.

use paydesk_api_types::ErrorCode;
use paydesk_domain::states::KybStatus;

use actix_web::http::StatusCode;
use chrono::NaiveDate;
use paydesk_api_types::{
    FieldError, Kyb, KybFiling, KybFundAccount, KybLegalRepresentative, MerchantSummary, MicroDepositState,
    UploadedFile,
};
use paydesk_domain::identity::{check_organisation_code, BankAccountNo, IdNumber, LicenceNumber, Phone};
use paydesk_domain::{limits, Money};
use paydesk_store::{identity, kyb, DbConn};
use rand::Rng;

use crate::auth::{now, OperatorAuth};
use crate::error::ApiError;
use crate::AppState;

/// What a scan is, judged by its first bytes (never by its name): jpg/jpeg or bmp.
pub fn sniff_scan(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.len() >= 26 && bytes.starts_with(b"BM") {
        Some("image/bmp")
    } else {
        None
    }
}

/// Keeps a scan: stored once per content (a temporary name renamed into place, so
/// a half-written file is never served) and recorded for the merchant. Blocking.
pub fn store_scan(
    st: &AppState,
    auth: &OperatorAuth,
    bytes: &[u8],
    original_name: String,
) -> Result<UploadedFile, ApiError> {
    let content_type = sniff_scan(bytes).ok_or_else(|| {
        ApiError::field("file", "file_type_not_allowed", "a scan must be a jpg, jpeg or bmp picture")
    })?;
    let record =
        crate::core::files::keep(st, &auth.audit, auth.merchant_id, bytes, content_type, original_name)?;
    Ok(UploadedFile {
        id: record.id,
        content_type: record.content_type,
        size: bytes.len() as u64,
        sha256: record.sha256,
    })
}

/// Collects per-field problems.
#[derive(Default)]
pub(crate) struct Problems(Vec<FieldError>);

impl Problems {
    fn add(&mut self, field: &str, code: &str, message: &str) {
        self.0.push(FieldError { field: field.into(), code: code.into(), message: message.into() });
    }

    fn required(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.add(field, "required", "this field is required");
        }
    }

    fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }
}

/// A `YYYY-MM-DD` date that has not passed, unless `long_term`.
pub(crate) fn check_term(p: &mut Problems, field: &str, long_term: bool, until: &Option<String>) {
    if long_term {
        return;
    }
    match until.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => p.add(field, "required", "enter the end date or tick long-term"),
        Some(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Err(_) => p.add(field, "date_invalid", "a date is written YYYY-MM-DD"),
            Ok(d) if d < now().date() => p.add(field, "date_passed", "this document has expired"),
            Ok(_) => {}
        },
    }
}

/// The scan must exist and belong to this merchant.
pub(crate) fn check_scan(
    c: &mut DbConn,
    p: &mut Problems,
    field: &str,
    id: &str,
    merchant_id: i64,
) -> Result<(), ApiError> {
    if id.trim().is_empty() {
        p.add(field, "scan_required", "upload this scan");
    } else if kyb::upload(c, id)?.is_none_or(|u| u.merchant_id != merchant_id) {
        p.add(field, "scan_unknown", "this scan was not uploaded by your account");
    }
    Ok(())
}

pub(crate) const ENTERPRISE_TYPES: [&str; 4] =
    ["enterprise", "individual_business", "public_institution", "other"];

pub(crate) fn validate_filing(c: &mut DbConn, f: &KybFiling, merchant_id: i64) -> Result<(), ApiError> {
    let mut p = Problems::default();
    if !ENTERPRISE_TYPES.contains(&f.enterprise_type.as_str()) {
        p.add("enterprise_type", "enterprise_type_invalid", "choose the type of enterprise");
    }
    let credit_code = match LicenceNumber::parse(&f.licence_number) {
        Ok(n) => n.as_str().len() == 18,
        Err(e) => {
            p.add("licence_number", e.code, e.message);
            false
        }
    };
    check_term(&mut p, "licence_valid_until", f.licence_long_term, &f.licence_valid_until);
    check_scan(c, &mut p, "licence_scan", &f.licence_scan, merchant_id)?;
    // A unified credit code replaces the organisation code and tax certificates (三证合一).
    if !credit_code {
        match f.organisation_code.as_deref() {
            None | Some("") => p.add("organisation_code", "required", "this field is required"),
            Some(code) => {
                if let Err(e) = check_organisation_code(code) {
                    p.add("organisation_code", e.code, e.message);
                }
            }
        }
        check_scan(
            c,
            &mut p,
            "organisation_code_scan",
            f.organisation_code_scan.as_deref().unwrap_or(""),
            merchant_id,
        )?;
        check_scan(
            c,
            &mut p,
            "tax_registration_scan",
            f.tax_registration_scan.as_deref().unwrap_or(""),
            merchant_id,
        )?;
    }
    for (i, scan) in f.other_scans.iter().enumerate() {
        check_scan(c, &mut p, &format!("other_scans[{i}]"), scan, merchant_id)?;
    }
    for (field, value) in
        [("province", &f.province), ("city", &f.city), ("district", &f.district), ("address", &f.address)]
    {
        p.required(field, value);
    }
    if f.websites.len() > 10 {
        p.add("websites", "too_many", "list at most 10 websites");
    }
    for (i, site) in f.websites.iter().enumerate() {
        let s = site.trim();
        if s.is_empty() || s.contains(char::is_whitespace) || !s.contains('.') {
            p.add(&format!("websites[{i}]"), "website_invalid", "a website looks like www.example.com");
        }
    }
    p.finish()
}

pub(crate) fn validate_fund_account(f: &KybFundAccount, company_name: &str) -> Result<(), ApiError> {
    let mut p = Problems::default();
    if f.account_name.trim() != company_name {
        p.add("account_name", "account_name_mismatch", "the account name must be exactly the company's name");
    }
    for (field, value) in [
        ("bank", &f.bank),
        ("bank_province", &f.bank_province),
        ("bank_city", &f.bank_city),
        ("branch", &f.branch),
    ] {
        p.required(field, value);
    }
    match BankAccountNo::parse(&f.account_number) {
        Err(e) => p.add("account_number", e.code, e.message),
        Ok(n) => {
            if BankAccountNo::parse(&f.account_number_confirm).ok().as_ref() != Some(&n) {
                p.add("account_number_confirm", "account_number_mismatch", "the two account numbers differ");
            }
        }
    }
    p.finish()
}

pub(crate) fn validate_legal(
    c: &mut DbConn,
    l: &KybLegalRepresentative,
    merchant_id: i64,
) -> Result<(), ApiError> {
    let mut p = Problems::default();
    p.required("name", &l.name);
    if let Err(e) = IdNumber::parse(&l.id_number) {
        p.add("id_number", e.code, e.message);
    }
    check_term(&mut p, "id_valid_until", l.id_long_term, &l.id_valid_until);
    check_scan(c, &mut p, "id_front_scan", &l.id_front_scan, merchant_id)?;
    check_scan(c, &mut p, "id_back_scan", &l.id_back_scan, merchant_id)?;
    if let Some(agent) = &l.agent {
        p.required("agent.name", &agent.name);
        if let Err(e) = IdNumber::parse(&agent.id_number) {
            p.add("agent.id_number", e.code, e.message);
        }
        if let Err(e) = Phone::parse(&agent.phone) {
            p.add("agent.phone", e.code, e.message);
        }
    }
    p.finish()
}

pub(crate) fn parse_step<T: serde::de::DeserializeOwned>(json: &Option<String>) -> Option<T> {
    json.as_deref().and_then(|j| serde_json::from_str(j).ok())
}

pub(crate) fn masked_account(no: &str) -> String {
    BankAccountNo::parse(no).map(|n| n.masked()).unwrap_or_else(|_| "****".into())
}

/// Everything about one merchant's verification.
pub(crate) fn kyb_view(c: &mut DbConn, merchant_id: i64) -> Result<(Kyb, identity::Merchant), ApiError> {
    let merchant = identity::merchant(c, merchant_id)?;
    let app = kyb::application(c, merchant_id)?;
    let deposit = kyb::latest_deposit(c, merchant_id)?;
    let resends = kyb::resends_since_staff(c, merchant_id)?;
    let kyb = Kyb {
        status: merchant.kyb_status.to_string(),
        company_name: merchant.company_name.clone(),
        filing: app.as_ref().and_then(|a| parse_step(&a.filing)),
        fund_account: app.as_ref().and_then(|a| parse_step(&a.fund_account)),
        legal_representative: app.as_ref().and_then(|a| parse_step(&a.legal_representative)),
        reject_reason: app.as_ref().and_then(|a| a.reject_reason.clone()),
        submitted_at: app.as_ref().and_then(|a| a.submitted_at).map(|t| t.and_utc().to_rfc3339()),
        micro_deposit: deposit.map(|d| MicroDepositState {
            bank: d.bank,
            account: masked_account(&d.account_no),
            status: d.status,
            attempts_left: u32::try_from(limits::MICRO_DEPOSIT_ATTEMPTS - d.attempts).unwrap_or(0),
            resends_left: u32::try_from(limits::MICRO_DEPOSIT_RESENDS - resends).unwrap_or(0),
            sent_at: d.created_at.and_utc().to_rfc3339(),
        }),
    };
    Ok((kyb, merchant))
}

pub(crate) fn editable(status: KybStatus) -> Result<(), ApiError> {
    match status.is_editable() {
        true => Ok(()),
        false => Err(ApiError::rule(
            StatusCode::CONFLICT,
            ErrorCode::KybLocked,
            "verification can't be changed now",
        )
        .with_detail(format!("it is {status}"))),
    }
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|e| ApiError::Internal(e.into()))
}

/// Sends two new random amounts below 1.00 to the saved corporate account.
pub(crate) fn send_micro_deposit(c: &mut DbConn, merchant_id: i64, by_staff: bool) -> Result<(), ApiError> {
    let app = kyb::application(c, merchant_id)?.ok_or(ApiError::rule(
        StatusCode::CONFLICT,
        ErrorCode::KybIncomplete,
        "there is no fund account to send to",
    ))?;
    let account: KybFundAccount = parse_step(&app.fund_account).ok_or(ApiError::rule(
        StatusCode::CONFLICT,
        ErrorCode::KybIncomplete,
        "there is no fund account to send to",
    ))?;
    let mut rng = rand::rng();
    kyb::create_deposit(
        c,
        &kyb::NewDeposit {
            merchant_id,
            bank: &account.bank,
            account_no: &account.account_number,
            account_name: &account.account_name,
            amounts: (rng.random_range(1..100), rng.random_range(1..100)),
            sent_by_staff: by_staff,
            at: now(),
        },
    )?;
    Ok(())
}

pub(crate) fn summary(m: &identity::Merchant) -> MerchantSummary {
    MerchantSummary {
        id: m.id,
        email: m.email.clone(),
        company_name: m.company_name.clone(),
        kyb_status: m.kyb_status.to_string(),
        created_at: m.created_at.and_utc().to_rfc3339(),
    }
}

pub(crate) fn reviewable(c: &mut DbConn, merchant_id: i64) -> Result<(), ApiError> {
    let merchant = identity::merchant(c, merchant_id).map_err(|_| {
        ApiError::rule(StatusCode::NOT_FOUND, ErrorCode::KybNotFound, "no verification for this merchant")
    })?;
    if merchant.kyb_status != KybStatus::Submitted {
        return Err(ApiError::rule(
            StatusCode::CONFLICT,
            ErrorCode::KybNotSubmitted,
            "only a submitted verification can be reviewed",
        )
        .with_detail(format!("it is {}", merchant.kyb_status)));
    }
    Ok(())
}

/// Submits the three saved steps for review (审核中, 3 working days).
pub fn submit(st: &AppState, audit: &crate::oplog::Audit, merchant_id: i64) -> Result<Kyb, ApiError> {
    audit.write(&st.store, |c| -> Result<Kyb, ApiError> {
        let (view, merchant) = kyb_view(c, merchant_id)?;
        editable(merchant.kyb_status)?;
        let mut p = Problems::default();
        if view.filing.is_none() {
            p.add("filing", "kyb_incomplete", "save the filing information first");
        }
        if view.fund_account.is_none() {
            p.add("fund_account", "kyb_incomplete", "save the fund account first");
        }
        if view.legal_representative.is_none() {
            p.add("legal_representative", "kyb_incomplete", "save the legal representative first");
        }
        p.finish()?;
        kyb::mark_submitted(c, merchant_id, st.clock.now())?;
        identity::set_kyb_status(c, merchant_id, KybStatus::Submitted)?;
        Ok(kyb_view(c, merchant_id)?.0)
    })
}

/// 确认金额: the two amounts typed back, in either order. A wrong pair is
/// counted even though the request fails, so the count commits on its own
/// before the refusal returns; the check is one conditional update.
pub fn confirm_deposit(
    st: &AppState,
    audit: &crate::oplog::Audit,
    merchant_id: i64,
    typed: (&str, &str),
) -> Result<Kyb, ApiError> {
    let parse = |field: &str, text: &str| {
        Money::parse(text.trim()).map_err(|e| ApiError::field(field, e.code(), e.to_string()))
    };
    let amounts = (parse("amount", typed.0)?.fen(), parse("second_amount", typed.1)?.fen());
    audit.write(&st.store, |c| -> Result<Result<Kyb, ApiError>, ApiError> {
        let merchant = identity::merchant(c, merchant_id)?;
        let closed = || {
            ApiError::rule(
                StatusCode::CONFLICT,
                ErrorCode::NoPendingDeposit,
                "there is no deposit to confirm",
            )
        };
        let deposit = kyb::latest_deposit(c, merchant_id)?
            .filter(|_| merchant.kyb_status == KybStatus::AwaitingDeposit)
            .ok_or_else(closed)?;
        match kyb::guess_deposit(c, deposit.id, amounts, limits::MICRO_DEPOSIT_ATTEMPTS, st.clock.now())? {
            kyb::Guess::Right => {
                identity::set_kyb_status(c, merchant_id, KybStatus::Verified)?;
                Ok(Ok(kyb_view(c, merchant_id)?.0))
            }
            kyb::Guess::Closed => Ok(Err(closed())),
            kyb::Guess::Wrong(n) if n >= limits::MICRO_DEPOSIT_ATTEMPTS => Ok(Err(ApiError::field(
                "amount",
                "deposit_void",
                "too many wrong amounts; ask for a new deposit",
            ))),
            kyb::Guess::Wrong(n) => Ok(Err(ApiError::field(
                "amount",
                "deposit_mismatch",
                format!("these are not the amounts sent; {} tries left", limits::MICRO_DEPOSIT_ATTEMPTS - n),
            ))),
        }
    })?
}

/// `409 no_pending_deposit` unless verification waits for a deposit.
fn awaiting_deposit(c: &mut DbConn, merchant_id: i64) -> Result<(), ApiError> {
    if identity::merchant(c, merchant_id)?.kyb_status != KybStatus::AwaitingDeposit {
        return Err(ApiError::rule(
            StatusCode::CONFLICT,
            ErrorCode::NoPendingDeposit,
            "verification is not waiting for a deposit",
        ));
    }
    Ok(())
}

/// 重新汇款: the merchant asks for a new deposit once the last one is void —
/// at most [`limits::MICRO_DEPOSIT_RESENDS`] times after staff sent one; then
/// customer service takes over.
pub fn resend_deposit(st: &AppState, audit: &crate::oplog::Audit, merchant_id: i64) -> Result<Kyb, ApiError> {
    audit.write(&st.store, |c| -> Result<Kyb, ApiError> {
        awaiting_deposit(c, merchant_id)?;
        if kyb::latest_deposit(c, merchant_id)?.is_some_and(|d| d.status == "pending") {
            return Err(ApiError::rule(
                StatusCode::CONFLICT,
                ErrorCode::DepositStillPending,
                "the last deposit can still be confirmed",
            ));
        }
        if kyb::resends_since_staff(c, merchant_id)? >= limits::MICRO_DEPOSIT_RESENDS {
            return Err(ApiError::rule(
                StatusCode::CONFLICT,
                ErrorCode::DepositResendsExhausted,
                "no more deposits can be asked for here",
            )
            .with_detail("customer service will check the account and send the next deposit"));
        }
        send_micro_deposit(c, merchant_id, false)?;
        Ok(kyb_view(c, merchant_id)?.0)
    })
}

/// Staff take over after the merchant's resends ran out: a new deposit, and
/// the merchant's count starts again.
pub fn staff_send_deposit(
    st: &AppState,
    audit: &crate::oplog::Audit,
    merchant_id: i64,
) -> Result<(Kyb, identity::Merchant), ApiError> {
    audit.write(&st.store, |c| -> Result<_, ApiError> {
        awaiting_deposit(c, merchant_id)?;
        send_micro_deposit(c, merchant_id, true)?;
        kyb_view(c, merchant_id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_are_judged_by_content() {
        assert_eq!(sniff_scan(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        let mut bmp = b"BM".to_vec();
        bmp.resize(54, 0);
        assert_eq!(sniff_scan(&bmp), Some("image/bmp"));
        assert_eq!(sniff_scan(b"\x89PNG\r\n\x1a\n"), None);
        assert_eq!(sniff_scan(b"BM"), None, "too short to be a bitmap");
        assert_eq!(sniff_scan(b"%PDF-1.7"), None);
    }
}
