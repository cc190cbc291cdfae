//! Saved payees and the merchant's own cards (§3.3.1.3, §3.3.2): what they look
//! up before the domain checks them, and the writes.

use actix_web::http::StatusCode;
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{NewBankCard, NewBankContact, NewPlatformContact};
use paydesk_domain::draft::{
    check_bank_contact, check_card, check_platform_contact, payee_lookup_key, BankContactInput,
    BankPayeeInput, CardInput, ContactDraft, PlatformPayee,
};
use paydesk_domain::states::KybStatus;
use paydesk_store::{cards, contacts, identity, DbConn};

use crate::auth::OperatorAuth;
use crate::core::factors::check_payment_password;
use crate::error::ApiError;
use crate::AppState;

/// The platform account a payee names, as the domain's checks take it.
pub fn platform_payee(c: &mut DbConn, typed: &str) -> Result<Option<PlatformPayee>, ApiError> {
    let Some(email) = payee_lookup_key(typed) else { return Ok(None) };
    Ok(identity::find_merchant_by_email(c, &email)?.map(|m| PlatformPayee {
        merchant_id: m.id,
        verified: m.kyb_status == KybStatus::Verified,
        account: m.email,
        name: m.company_name,
    }))
}

fn contact_exists() -> ApiError {
    ApiError::rule(StatusCode::CONFLICT, ErrorCode::ContactExists, "this account is already a contact")
}

/// A checked contact as the store adds it.
pub(crate) fn new_contact<'a>(
    merchant_id: i64,
    kind: &'a str,
    draft: &'a ContactDraft,
    at: chrono::NaiveDateTime,
) -> contacts::NewContact<'a> {
    contacts::NewContact {
        merchant_id,
        kind,
        name: &draft.name,
        account: &draft.account,
        account_type: draft.kind.and_then(|k| k.account_type()),
        bank: draft.branch.map(|b| b.bank.as_str()),
        branch_code: draft.branch.map(|b| b.code.as_str()),
        branch_name: draft.branch.map(|b| b.name.as_str()),
        phone: draft.phone.as_ref().map(|p| p.as_str()),
        remark: &draft.remark,
        at,
    }
}

fn save_contact(
    st: &AppState,
    auth: &OperatorAuth,
    kind: &str,
    draft: &ContactDraft,
) -> Result<contacts::Contact, ApiError> {
    let at = st.clock.now();
    auth.audit.write(&st.store, |c| {
        contacts::add(c, &new_contact(auth.merchant_id, kind, draft, at))?.ok_or_else(contact_exists)
    })
}

/// 添加快捷通账户联系人 (§3.3.2.1).
pub fn add_platform_contact(
    st: &AppState,
    auth: &OperatorAuth,
    req: NewPlatformContact,
) -> Result<contacts::Contact, ApiError> {
    let found = st.store.read(|c| platform_payee(c, &req.account))?;
    let draft = check_platform_contact(
        &req.account,
        req.phone.as_deref(),
        req.remark.as_deref(),
        found,
        auth.merchant_id,
    )?;
    save_contact(st, auth, "platform", &draft)
}

/// 添加单个银行卡联系人 (§3.3.2.2.1).
pub fn add_bank_contact(
    st: &AppState,
    auth: &OperatorAuth,
    req: NewBankContact,
) -> Result<contacts::Contact, ApiError> {
    let draft = check_bank_contact(&BankContactInput {
        payee: BankPayeeInput {
            account_type: &req.account_type,
            name: &req.name,
            bank: &req.bank,
            branch_code: &req.branch_code,
            account_number: &req.account_number,
        },
        phone: req.phone.as_deref(),
        remark: req.remark.as_deref(),
    })?;
    save_contact(st, auth, "bank", &draft)
}

/// 添加银行卡 (§3.3.1.3): always in the company's name, with the payment password.
pub fn add_card(st: &AppState, auth: &OperatorAuth, req: NewBankCard) -> Result<cards::BankCard, ApiError> {
    let (merchant, existing) = st.store.read(|c| -> Result<_, ApiError> {
        let existing: Vec<String> =
            cards::list(c, auth.merchant_id)?.into_iter().map(|x| x.account_no).collect();
        Ok((identity::merchant(c, auth.merchant_id)?, existing))
    })?;
    let input = CardInput {
        bank: &req.bank,
        branch_code: &req.branch_code,
        account_number: &req.account_number,
        account_number_confirm: &req.account_number_confirm,
    };
    let (number, branch) = check_card(&input, &existing)?;
    check_payment_password(st, auth, &merchant, &req.payment_password)?;
    let at = st.clock.now();
    auth.audit.write(&st.store, |c| {
        // Checked again inside the write: another request may have added it meanwhile.
        if cards::list(c, auth.merchant_id)?.iter().any(|x| x.account_no == number.as_str()) {
            return Err(ApiError::rule(
                StatusCode::CONFLICT,
                ErrorCode::CardExists,
                "this card is already added",
            ));
        }
        Ok(cards::add(
            c,
            &cards::NewCard {
                merchant_id: auth.merchant_id,
                bank: &branch.bank,
                branch_code: &branch.code,
                branch_name: &branch.name,
                province: &branch.province,
                city: &branch.city,
                account_no: number.as_str(),
                account_name: &merchant.company_name,
                created_by: auth.operator_id,
                at,
            },
        )?)
    })
}
