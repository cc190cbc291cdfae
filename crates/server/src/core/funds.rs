//! The fund operations (资金管理): what each looks up before the domain checks
//! it. Everything else is the one pipeline in [`crate::core::submit`].

use actix_web::http::StatusCode;
use chrono::NaiveTime;
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{
    Application, BankTransferRequest, Recharge, RechargeRequest, TransferRequest, WithdrawalRequest,
};
use paydesk_domain::application::{ApplicationKind, NumberKind};
use paydesk_domain::draft::{
    check_bank_payout, check_recharge, check_transfer, check_withdrawal, BankContact, BankPayeeInput,
    BankPayoutInput, OwnCard, PayeeSource, RechargeInput, TransferLineInput, WithdrawalInput,
};
use paydesk_domain::Money;
use paydesk_store::{cards, contacts, recharge as orders};

use crate::auth::OperatorAuth;
use crate::core::factors::Factors;
use crate::core::idempotency::Idem;
use crate::core::numbers;
use crate::core::payees::platform_payee;
use crate::core::submit::submit;
use crate::error::ApiError;
use crate::{views, AppState};

/// 转账到快捷通账户 (§3.4.2.1–2): each payee's platform account, then the check.
pub fn transfer(
    st: &AppState,
    auth: &OperatorAuth,
    req: TransferRequest,
    idem: &mut Idem,
) -> Result<Application, ApiError> {
    let factors = Factors::new(&req.payment_password, &req.sms_code, &req.security_key);
    submit(st, auth, ApplicationKind::Transfer, &factors, idem, |c, merchant, fees| {
        let payees =
            req.lines.iter().map(|l| platform_payee(c, &l.payee)).collect::<Result<Vec<_>, ApiError>>()?;
        let lines: Vec<TransferLineInput<'_>> = req
            .lines
            .iter()
            .map(|l| TransferLineInput {
                payee: &l.payee,
                amount: &l.amount,
                remark: l.remark.as_deref(),
                notify_phone: l.notify_phone.as_deref(),
                merchant_order_no: l.merchant_order_no.as_deref(),
            })
            .collect();
        Ok(check_transfer(&lines, req.remark.as_deref(), &payees, merchant.id, fees))
    })
}

/// 提现 (§4.1.1): the merchant's own card, then the check.
pub fn withdrawal(
    st: &AppState,
    auth: &OperatorAuth,
    req: WithdrawalRequest,
    idem: &mut Idem,
) -> Result<Application, ApiError> {
    let factors = Factors::new(&req.payment_password, &req.sms_code, &req.security_key);
    submit(st, auth, ApplicationKind::Withdrawal, &factors, idem, |c, merchant, fees| {
        let card = cards::find(c, merchant.id, req.card_id)?.map(|card| OwnCard {
            bank_name: paydesk_domain::banks::find(&card.bank).map(|b| b.name).unwrap_or("银行").to_owned(),
            account_no: card.account_no,
            account_name: card.account_name,
            bank: card.bank,
            branch_name: card.branch_name,
        });
        let input = WithdrawalInput {
            amount: &req.amount,
            speed: &req.speed,
            merchant_order_no: req.merchant_order_no.as_deref(),
        };
        Ok(check_withdrawal(&input, card, fees))
    })
}

/// 转账到银行账户 (§3.4.2.3): the saved contact when one is named, then the check.
pub fn bank_payout(
    st: &AppState,
    auth: &OperatorAuth,
    req: BankTransferRequest,
    idem: &mut Idem,
) -> Result<Application, ApiError> {
    let factors = Factors::new(&req.payment_password, &req.sms_code, &req.security_key);
    submit(st, auth, ApplicationKind::BankPayout, &factors, idem, |c, merchant, fees| {
        let source = match req.contact_id {
            None => PayeeSource::Typed,
            Some(id) => match contacts::find(c, merchant.id, id)?.filter(|c| c.kind == "bank") {
                None => PayeeSource::UnknownContact,
                Some(contact) => PayeeSource::Contact(BankContact {
                    account_type: contact.account_type.unwrap_or_else(|| "personal".into()),
                    name: contact.name,
                    bank: contact.bank.unwrap_or_default(),
                    branch_code: contact.branch_code.unwrap_or_default(),
                    account: contact.account,
                }),
            },
        };
        let input = BankPayoutInput {
            payee: BankPayeeInput {
                account_type: &req.account_type,
                name: &req.name,
                bank: &req.bank,
                branch_code: &req.branch_code,
                account_number: &req.account_number,
            },
            account_number_confirm: &req.account_number_confirm,
            amount: &req.amount,
            remark: req.remark.as_deref(),
            agreement_accepted: req.agreement_accepted,
            merchant_order_no: req.merchant_order_no.as_deref(),
        };
        Ok(check_bank_payout(&input, &source, fees))
    })
}

/// 充值 (§3.4.1): an order to pay on the bank's online-banking page; the balance
/// rises when the bank's signed notification arrives ([`crate::core::execute::recharge_result`]).
pub fn recharge(
    st: &AppState,
    auth: &OperatorAuth,
    req: RechargeRequest,
    idem: &mut Idem,
) -> Result<Recharge, ApiError> {
    if !st.settings.mode.is_development() {
        return Err(ApiError::rule(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::BankChannelUnavailable,
            "no bank channel is configured for recharges",
        ));
    }
    auth.audit.write(&st.store, |c| -> Result<Recharge, ApiError> {
        let at = st.clock.now();
        let midnight = at.date().and_time(NaiveTime::MIN);
        let mut used = Ok(0);
        let input =
            RechargeInput { amount: &req.amount, amount_confirm: &req.amount_confirm, bank: &req.bank };
        let (amount, bank) = check_recharge(&input, |bank| {
            used = orders::used_since(c, auth.merchant_id, bank.code, midnight);
            Money::from_fen(*used.as_ref().unwrap_or(&0)).unwrap_or(Money::MAX)
        })?;
        used?;
        let order_no = numbers::next(NumberKind::Recharge, at);
        let order = orders::create_order(
            c,
            order_no.as_str(),
            auth.merchant_id,
            auth.operator_id,
            bank.code,
            amount.fen(),
            at,
        )?;
        let view = views::recharge(&order, st.bank.as_ref());
        idem.record(c, &view)?;
        Ok(view)
    })
}
