//! Drafts of fund operations: what a request asks for, checked against the rules
//! before anything is stored. Each operation has one `check` that takes the
//! request as typed, the payees the server looked up beforehand, and the fee
//! schedule, and answers with a [`Draft`] ready to hold and store — or with every
//! problem found, field by field. No IO: the server looks things up first.
//!
//! Manual: §3.4.2.1–2 (transfers to platform accounts), §3.4.2.3 (transfers to
//! bank accounts), §4.1.1 (withdrawals).

use std::collections::HashSet;

use crate::application::{ApplicationKind, OrderNo};
use crate::branches;
use crate::fees::{FeeRule, Product};
use crate::identity::{BankAccountNo, Email, Phone};
use crate::limits;
use crate::states::named_enum;
use crate::Money;

/// One field's problem, with a stable code for the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The request's field path: `amount`, `lines[2].payee`.
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> FieldProblem {
        FieldProblem { field: field.into(), code, message: message.into() }
    }
}

named_enum!(
    /// Whom a line pays.
    PayeeKind, "payee kind" {
        /// Another merchant on the platform (快捷通账户).
        PlatformAccount => "platform_account",
        /// One of the merchant's own bank cards (提现).
        OwnCard => "bank_account",
        /// Someone's personal bank account (对私).
        BankPersonal => "bank_account_personal",
        /// A company's bank account (对公).
        BankCorporate => "bank_account_corporate",
        /// The buyer of a gateway trade: a refund goes back the way the payment
        /// came (原路返回); the line's account is the trade's number.
        Buyer => "buyer",
    }
);

impl PayeeKind {
    /// `personal` (对私) or `corporate` (对公), for someone else's bank account.
    pub fn account_type(self) -> Option<&'static str> {
        match self {
            PayeeKind::BankPersonal => Some("personal"),
            PayeeKind::BankCorporate => Some("corporate"),
            PayeeKind::PlatformAccount | PayeeKind::OwnCard | PayeeKind::Buyer => None,
        }
    }

    /// Bank account numbers are masked everywhere but where they are typed.
    pub fn is_bank(self) -> bool {
        !matches!(self, PayeeKind::PlatformAccount | PayeeKind::Buyer)
    }
}

named_enum!(
    /// How fast the bank pays out (§4.1.1.1.2: 普通提现 T+1, 快速提现 2 小时).
    PayoutSpeed, "payout speed" {
        Standard => "standard",
        Fast => "fast",
    }
);

impl PayoutSpeed {
    /// Hours from submission until the bank pays.
    pub fn hours(self) -> i64 {
        match self {
            PayoutSpeed::Standard => 24,
            PayoutSpeed::Fast => 2,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            PayoutSpeed::Standard => "普通提现",
            PayoutSpeed::Fast => "快速提现",
        }
    }
}

/// A line ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftLine {
    pub payee_kind: PayeeKind,
    pub payee_account: String,
    pub payee_name: String,
    pub amount: Money,
    pub fee: Money,
    pub remark: String,
    pub notify_phone: Option<Phone>,
    pub merchant_order_no: Option<OrderNo>,
    /// Bank lines: the bank's code, the branch's name and the payout speed.
    pub bank: Option<String>,
    pub branch: Option<String>,
    pub speed: Option<PayoutSpeed>,
}

/// A checked fund operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub kind: ApplicationKind,
    pub remark: String,
    /// The statement line's text for the hold (收支明细 备注).
    pub hold_remark: String,
    pub lines: Vec<DraftLine>,
    /// 商户批次号, for batches from a file.
    pub batch_no: Option<OrderNo>,
}

impl Draft {
    pub fn total_amount(&self) -> i64 {
        self.lines.iter().map(|l| l.amount.fen()).sum()
    }

    pub fn total_fee(&self) -> i64 {
        self.lines.iter().map(|l| l.fee.fen()).sum()
    }
}

/// The merchant's fee rules by product; a product without one is free (0.00, as
/// in the manual).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeeSchedule(pub Vec<(Product, FeeRule)>);

impl FeeSchedule {
    pub fn rule(&self, product: Product) -> FeeRule {
        self.0.iter().find(|(p, _)| *p == product).map(|(_, r)| *r).unwrap_or(FeeRule::FREE)
    }
}

/// Collects problems while a request is read.
#[derive(Default)]
pub(crate) struct Problems(pub(crate) Vec<FieldProblem>);

impl Problems {
    pub(crate) fn push(&mut self, field: impl Into<String>, code: &'static str, message: impl Into<String>) {
        self.0.push(FieldProblem::new(field, code, message));
    }

    /// An amount above 0.00.
    pub(crate) fn amount(&mut self, field: impl Into<String>, text: &str) -> Option<Money> {
        match Money::parse(text.trim()) {
            Ok(a) if a.is_zero() => {
                self.push(field, "amount_zero", "the amount must be more than 0.00");
                None
            }
            Ok(a) => Some(a),
            Err(e) => {
                self.push(field, e.code(), e.to_string());
                None
            }
        }
    }

    /// A remark of at most [`limits::REMARK_CHARS`], trimmed; blank is empty.
    pub(crate) fn remark(&mut self, field: impl Into<String>, text: Option<&str>) -> String {
        let remark = text.unwrap_or("").trim().to_owned();
        if remark.chars().count() > limits::REMARK_CHARS {
            self.push(
                field,
                "remark_too_long",
                format!("a remark has at most {} characters", limits::REMARK_CHARS),
            );
        }
        remark
    }

    /// An optional merchant order number: absent or blank is none.
    pub(crate) fn order_no(&mut self, field: impl Into<String>, text: Option<&str>) -> Option<OrderNo> {
        match text.map(str::trim).filter(|t| !t.is_empty()).map(OrderNo::parse)? {
            Ok(no) => Some(no),
            Err(e) => {
                self.push(field, e.code, e.message);
                None
            }
        }
    }

    /// A bank account number typed twice alike.
    fn account_twice(&mut self, number: &str, confirm: &str) -> Option<BankAccountNo> {
        match BankAccountNo::parse(number) {
            Ok(n) => {
                if BankAccountNo::parse(confirm).ok().as_ref() != Some(&n) {
                    self.push(
                        "account_number_confirm",
                        "account_number_mismatch",
                        "the two account numbers differ",
                    );
                }
                Some(n)
            }
            Err(e) => {
                self.push("account_number", e.code, e.message);
                None
            }
        }
    }

    /// A branch of `bank` from the directory.
    fn branch(&mut self, bank: &str, code: &str) -> Option<&'static branches::Branch> {
        let branch = branches::by_code(code.trim()).filter(|b| b.bank == bank);
        if branch.is_none() {
            self.push("branch_code", "branch_unknown", "choose the branch from the directory");
        }
        branch
    }

    /// A platform account to pay: well-formed, found, verified, not the payer's own.
    fn platform_payee(
        &mut self,
        field: String,
        typed: &str,
        found: Option<PlatformPayee>,
        payer_id: i64,
    ) -> Option<PlatformPayee> {
        match (Email::parse(typed), found) {
            (Err(e), _) => {
                self.push(field, e.code, e.message);
                None
            }
            (Ok(_), Some(m)) if m.merchant_id == payer_id => {
                self.push(field, "payee_is_self", "you can't pay your own account");
                None
            }
            (Ok(_), Some(m)) if m.verified => Some(m),
            (Ok(_), _) => {
                self.push(field, "payee_not_found", "no verified platform account has this name");
                None
            }
        }
    }

    /// An optional phone number: absent or blank is none.
    fn phone(&mut self, field: String, text: Option<&str>) -> Option<Phone> {
        match text.map(str::trim).filter(|t| !t.is_empty()).map(Phone::parse)? {
            Ok(phone) => Some(phone),
            Err(e) => {
                self.push(field, e.code, e.message);
                None
            }
        }
    }

    /// 对私 or 对公.
    fn account_type(&mut self, text: &str) -> Option<PayeeKind> {
        match text {
            "personal" => Some(PayeeKind::BankPersonal),
            "corporate" => Some(PayeeKind::BankCorporate),
            _ => {
                self.push("account_type", "account_type_invalid", "choose personal or corporate");
                None
            }
        }
    }

    /// Someone's bank account as a payee: 对私/对公, the holder's name, the number
    /// (typed twice where the form asks so) and the branch from the directory.
    fn bank_payee(&mut self, typed: &BankPayeeInput<'_>, confirm: &str) -> Option<BankPayee> {
        let kind = self.account_type(typed.account_type);
        let name = self.holder_name(typed.name);
        let number = self.account_twice(typed.account_number, confirm);
        let branch = self.branch(typed.bank, typed.branch_code);
        Some(BankPayee { kind: kind?, name, number: number?, branch: branch? })
    }

    /// The account holder's full name (收款开户名).
    fn holder_name(&mut self, text: &str) -> String {
        let name = text.trim().to_owned();
        let (min, max) = limits::HOLDER_NAME_CHARS;
        if !(min..=max).contains(&name.chars().count()) {
            self.push("name", "name_invalid", "enter the account holder's full name");
        }
        name
    }

    pub(crate) fn finish<T>(self, value: Option<T>) -> Result<T, Vec<FieldProblem>> {
        match value {
            Some(v) if self.0.is_empty() => Ok(v),
            _ => Err(self.0),
        }
    }
}

/// One line of a transfer to platform accounts, as typed.
#[derive(Debug, Clone, Default)]
pub struct TransferLineInput<'a> {
    pub payee: &'a str,
    pub amount: &'a str,
    pub remark: Option<&'a str>,
    pub notify_phone: Option<&'a str>,
    pub merchant_order_no: Option<&'a str>,
}

/// A platform account the server found for a payee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformPayee {
    pub merchant_id: i64,
    pub account: String,
    pub name: String,
    pub verified: bool,
}

/// The payee account as it is looked up: the normalised e-mail, or none when it
/// isn't one (the check says why).
pub fn payee_lookup_key(typed: &str) -> Option<String> {
    Email::parse(typed).ok().map(|e| e.as_str().to_owned())
}

/// 转账到快捷通账户 (§3.4.2.1–2): one to [`limits::TRANSFER_LINES`] payees.
/// `payees[i]` is what the server found for line `i` (by [`payee_lookup_key`]).
pub fn check_transfer(
    lines: &[TransferLineInput<'_>],
    remark: Option<&str>,
    payees: &[Option<PlatformPayee>],
    payer_id: i64,
    fees: &FeeSchedule,
) -> Result<Draft, Vec<FieldProblem>> {
    let mut p = Problems::default();
    if lines.is_empty() || lines.len() > limits::TRANSFER_LINES {
        p.push(
            "lines",
            "lines_count",
            format!("add one to {} payees; use a batch file for more", limits::TRANSFER_LINES),
        );
    }
    let rule = fees.rule(Product::Transfer);
    let mut order_nos = HashSet::new();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate().take(limits::TRANSFER_LINES) {
        let field = |name: &str| format!("lines[{i}].{name}");
        let amount = p.amount(field("amount"), line.amount);
        let payee = p.platform_payee(field("payee"), line.payee, payees.get(i).cloned().flatten(), payer_id);
        let notify_phone = p.phone(field("notify_phone"), line.notify_phone);
        let line_remark = p.remark(field("remark"), line.remark);
        let merchant_order_no = match p.order_no(field("merchant_order_no"), line.merchant_order_no) {
            Some(no) if !order_nos.insert(no.clone()) => {
                p.push(
                    field("merchant_order_no"),
                    "order_no_repeated",
                    "each line needs its own merchant order number",
                );
                None
            }
            other => other,
        };
        if let (Some(amount), Some(payee)) = (amount, payee) {
            out.push(DraftLine {
                payee_kind: PayeeKind::PlatformAccount,
                payee_account: payee.account,
                payee_name: payee.name,
                amount,
                fee: rule.fee(amount),
                remark: line_remark,
                notify_phone,
                merchant_order_no,
                bank: None,
                branch: None,
                speed: None,
            });
        }
    }
    // The application's remark is kept short rather than refused (it is optional).
    let remark: String = remark.unwrap_or("").trim().chars().take(limits::REMARK_CHARS).collect();
    let hold_remark = if remark.is_empty() { "转账".to_owned() } else { format!("转账 {remark}") };
    p.finish(Some(Draft { kind: ApplicationKind::Transfer, remark, hold_remark, lines: out, batch_no: None }))
}

/// 提现 (§4.1.1), as typed.
#[derive(Debug, Clone, Default)]
pub struct WithdrawalInput<'a> {
    pub amount: &'a str,
    pub speed: &'a str,
    pub merchant_order_no: Option<&'a str>,
}

/// One of the merchant's own bank cards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnCard {
    pub account_no: String,
    pub account_name: String,
    /// The bank's code (`ICBC`) and its name.
    pub bank: String,
    pub bank_name: String,
    pub branch_name: String,
}

/// A withdrawal to `card`, the merchant's own card the request named (none when
/// it isn't theirs).
pub fn check_withdrawal(
    input: &WithdrawalInput<'_>,
    card: Option<OwnCard>,
    fees: &FeeSchedule,
) -> Result<Draft, Vec<FieldProblem>> {
    let mut p = Problems::default();
    if card.is_none() {
        p.push("card_id", "card_unknown", "withdraw only to one of your own bank cards");
    }
    let amount = p.amount("amount", input.amount);
    let speed = PayoutSpeed::parse(input.speed);
    if speed.is_none() {
        p.push("speed", "speed_invalid", "choose standard (T+1) or fast (2 hours)");
    }
    let merchant_order_no = p.order_no("merchant_order_no", input.merchant_order_no);
    let draft = match (card, amount, speed) {
        (Some(card), Some(amount), Some(speed)) => {
            let product = match speed {
                PayoutSpeed::Standard => Product::WithdrawalStandard,
                PayoutSpeed::Fast => Product::WithdrawalFast,
            };
            Some(Draft {
                kind: ApplicationKind::Withdrawal,
                remark: String::new(),
                hold_remark: format!("{} 至 {}", speed.label_zh(), card.bank_name),
                lines: vec![DraftLine {
                    payee_kind: PayeeKind::OwnCard,
                    payee_account: card.account_no,
                    payee_name: card.account_name,
                    amount,
                    fee: fees.rule(product).fee(amount),
                    remark: String::new(),
                    notify_phone: None,
                    merchant_order_no,
                    bank: Some(card.bank),
                    branch: Some(card.branch_name),
                    speed: Some(speed),
                }],
                batch_no: None,
            })
        }
        _ => None,
    };
    p.finish(draft)
}

/// Someone's bank account, as typed on a payout or contact form.
#[derive(Debug, Clone, Default)]
pub struct BankPayeeInput<'a> {
    /// `personal` or `corporate`.
    pub account_type: &'a str,
    pub name: &'a str,
    pub bank: &'a str,
    pub branch_code: &'a str,
    pub account_number: &'a str,
}

/// Someone's bank account, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
struct BankPayee {
    kind: PayeeKind,
    name: String,
    number: BankAccountNo,
    branch: &'static branches::Branch,
}

/// 转账到银行账户 (§3.4.2.3), as typed.
#[derive(Debug, Clone, Default)]
pub struct BankPayoutInput<'a> {
    pub payee: BankPayeeInput<'a>,
    pub account_number_confirm: &'a str,
    pub amount: &'a str,
    pub remark: Option<&'a str>,
    pub agreement_accepted: bool,
    pub merchant_order_no: Option<&'a str>,
}

/// A saved bank contact (联系人) the request paid by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankContact {
    pub account_type: String,
    pub name: String,
    pub bank: String,
    pub branch_code: String,
    pub account: String,
}

/// How the request named its payee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayeeSource {
    /// Typed on the form.
    Typed,
    /// A saved contact, found.
    Contact(BankContact),
    /// A contact id that isn't one of the merchant's bank contacts.
    UnknownContact,
}

/// A payout to someone's bank account. A saved contact's details replace the
/// typed ones (the full number never went back to the browser).
pub fn check_bank_payout(
    input: &BankPayoutInput<'_>,
    source: &PayeeSource,
    fees: &FeeSchedule,
) -> Result<Draft, Vec<FieldProblem>> {
    let mut p = Problems::default();
    let mut input = input.clone();
    match source {
        PayeeSource::Typed => {}
        PayeeSource::UnknownContact => {
            p.push("contact_id", "contact_unknown", "choose one of your bank contacts");
            return Err(p.0);
        }
        PayeeSource::Contact(c) => {
            input.payee = BankPayeeInput {
                account_type: &c.account_type,
                name: &c.name,
                bank: &c.bank,
                branch_code: &c.branch_code,
                account_number: &c.account,
            };
            input.account_number_confirm = &c.account;
        }
    }
    let payee = p.bank_payee(&input.payee, input.account_number_confirm);
    let amount = p.amount("amount", input.amount);
    let remark = p.remark("remark", input.remark);
    if !input.agreement_accepted {
        p.push("agreement_accepted", "agreement_required", "read and accept the payout agreement");
    }
    let merchant_order_no = p.order_no("merchant_order_no", input.merchant_order_no);
    let draft = match (payee, amount) {
        (Some(BankPayee { kind, name, number, branch }), Some(amount)) => Some(Draft {
            kind: ApplicationKind::BankPayout,
            hold_remark: format!("转账到银行账户 {name}"),
            lines: vec![DraftLine {
                payee_kind: kind,
                payee_account: number.as_str().to_owned(),
                payee_name: name,
                amount,
                fee: fees.rule(Product::BankPayout).fee(amount),
                remark: remark.clone(),
                notify_phone: None,
                merchant_order_no,
                bank: Some(branch.bank.clone()),
                branch: Some(branch.name.clone()),
                speed: Some(PayoutSpeed::Standard),
            }],
            remark,
            batch_no: None,
        }),
        _ => None,
    };
    p.finish(draft)
}

/// 充值 (§3.4.1), as typed: the amount twice and the bank.
#[derive(Debug, Clone, Default)]
pub struct RechargeInput<'a> {
    pub amount: &'a str,
    pub amount_confirm: &'a str,
    pub bank: &'a str,
}

/// A recharge: the amount typed twice alike, a known bank, within the bank's
/// single limit and — with `used_today` already recharged from it — its daily one.
pub fn check_recharge(
    input: &RechargeInput<'_>,
    used_today: impl FnOnce(&'static crate::banks::Bank) -> Money,
) -> Result<(Money, &'static crate::banks::Bank), Vec<FieldProblem>> {
    let mut p = Problems::default();
    let amount = p.amount("amount", input.amount);
    if amount.is_some() && Money::parse(input.amount_confirm.trim()).ok() != amount {
        p.push("amount_confirm", "amount_mismatch", "the two amounts differ");
    }
    let bank = crate::banks::find(input.bank);
    if bank.is_none() {
        p.push("bank", "bank_unknown", "choose a bank");
    }
    let (Some(amount), Some(bank), true) = (amount, bank, p.0.is_empty()) else { return Err(p.0) };
    match bank.check(amount, used_today(bank)) {
        Ok(()) => Ok((amount, bank)),
        Err(crate::banks::LimitBreach::Single { limit }) => {
            p.push(
                "amount",
                "over_single_limit",
                format!("{} takes at most {limit} per recharge", bank.name),
            );
            Err(p.0)
        }
        Err(crate::banks::LimitBreach::Daily { limit, used }) => {
            p.push(
                "amount",
                "over_daily_limit",
                format!("{} takes at most {limit} a day; {used} is already used today", bank.name),
            );
            Err(p.0)
        }
    }
}

/// A bank card of the merchant's own (§3.3.1.3), as typed.
#[derive(Debug, Clone, Default)]
pub struct CardInput<'a> {
    pub bank: &'a str,
    pub branch_code: &'a str,
    pub account_number: &'a str,
    pub account_number_confirm: &'a str,
}

/// A new card: the number typed twice, a branch from the directory, and at most
/// [`limits::BANK_CARDS`] in all (`existing` are the numbers of the cards the
/// merchant has; adding one of them again is the caller's `card_exists`).
pub fn check_card(
    input: &CardInput<'_>,
    existing: &[String],
) -> Result<(BankAccountNo, &'static branches::Branch), Vec<FieldProblem>> {
    let mut p = Problems::default();
    let number = p.account_twice(input.account_number, input.account_number_confirm);
    let branch = p.branch(input.bank, input.branch_code);
    if let Some(n) = &number {
        if !existing.iter().any(|e| e == n.as_str()) && existing.len() >= limits::BANK_CARDS {
            p.push(
                "account_number",
                "card_limit",
                format!("at most {} cards; delete one first", limits::BANK_CARDS),
            );
        }
    }
    let card = match (number, branch) {
        (Some(n), Some(b)) => Some((n, b)),
        _ => None,
    };
    p.finish(card)
}

/// A saved payee (联系人, §3.3.2), ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactDraft {
    pub name: String,
    pub account: String,
    /// Bank contacts: 对私 / 对公 and the branch.
    pub kind: Option<PayeeKind>,
    pub branch: Option<&'static branches::Branch>,
    pub phone: Option<Phone>,
    pub remark: String,
}

/// The remark of a contact is kept short rather than refused (it is optional).
fn short_remark(text: Option<&str>) -> String {
    text.unwrap_or("").trim().chars().take(limits::REMARK_CHARS).collect()
}

/// A platform-account contact (§3.3.2.1): a verified merchant other than
/// oneself, shown by its masked name.
pub fn check_platform_contact(
    account: &str,
    phone: Option<&str>,
    remark: Option<&str>,
    found: Option<PlatformPayee>,
    owner_id: i64,
) -> Result<ContactDraft, Vec<FieldProblem>> {
    let mut p = Problems::default();
    let payee = p.platform_payee("account".into(), account, found, owner_id);
    let phone = p.phone("phone".into(), phone);
    let draft = payee.map(|m| ContactDraft {
        name: crate::identity::masked_name(&m.name),
        account: m.account,
        kind: None,
        branch: None,
        phone,
        remark: short_remark(remark),
    });
    p.finish(draft)
}

/// A bank-account contact (§3.3.2.2.1), as typed.
#[derive(Debug, Clone, Default)]
pub struct BankContactInput<'a> {
    pub payee: BankPayeeInput<'a>,
    pub phone: Option<&'a str>,
    pub remark: Option<&'a str>,
}

/// A bank-account contact: the same rules as a payout's payee.
pub fn check_bank_contact(input: &BankContactInput<'_>) -> Result<ContactDraft, Vec<FieldProblem>> {
    let mut p = Problems::default();
    // A contact's number is typed once.
    let payee = p.bank_payee(&input.payee, input.payee.account_number);
    let phone = p.phone("phone".into(), input.phone);
    let draft = match payee {
        Some(BankPayee { kind, name, number, branch }) => Some(ContactDraft {
            name,
            account: number.as_str().to_owned(),
            kind: Some(kind),
            branch: Some(branch),
            phone,
            remark: short_remark(input.remark),
        }),
        _ => None,
    };
    p.finish(draft)
}

pub mod batch;

#[cfg(test)]
mod tests;
