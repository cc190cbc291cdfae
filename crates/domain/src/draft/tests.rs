//! The fund forms' validation tables, checked without a server or a database.

use super::*;

const SELF_ID: i64 = 1;

fn payee(id: i64, account: &str, verified: bool) -> Option<PlatformPayee> {
    Some(PlatformPayee { merchant_id: id, account: account.into(), name: "收款公司".into(), verified })
}

fn line<'a>(payee: &'a str, amount: &'a str) -> TransferLineInput<'a> {
    TransferLineInput { payee, amount, ..TransferLineInput::default() }
}

fn fields(problems: &[FieldProblem]) -> Vec<(&str, &str)> {
    problems.iter().map(|p| (p.field.as_str(), p.code)).collect()
}

fn one_transfer(l: TransferLineInput<'_>, found: Option<PlatformPayee>) -> Result<Draft, Vec<FieldProblem>> {
    check_transfer(&[l], None, &[found], SELF_ID, &FeeSchedule::default())
}

#[test]
fn a_sound_transfer_becomes_a_draft_with_fees() {
    let fees = FeeSchedule(vec![(
        Product::Transfer,
        FeeRule { fixed: Money::from_fen(100).unwrap(), ..FeeRule::FREE },
    )]);
    let lines = [
        TransferLineInput {
            remark: Some(" 劳务费 "),
            notify_phone: Some("13800138000"),
            ..line("a@x.cn", "10.00")
        },
        TransferLineInput { merchant_order_no: Some("A1"), ..line("b@x.cn", "2.50") },
    ];
    let draft = check_transfer(
        &lines,
        Some(" 十月 "),
        &[payee(2, "a@x.cn", true), payee(3, "b@x.cn", true)],
        SELF_ID,
        &fees,
    )
    .unwrap();
    assert_eq!(draft.kind, ApplicationKind::Transfer);
    assert_eq!((draft.total_amount(), draft.total_fee()), (1250, 200));
    assert_eq!(draft.remark, "十月");
    assert_eq!(draft.hold_remark, "转账 十月");
    assert_eq!(draft.lines[0].remark, "劳务费");
    assert_eq!(draft.lines[0].notify_phone.as_ref().map(Phone::as_str), Some("13800138000"));
    assert_eq!(draft.lines[1].merchant_order_no.as_ref().map(OrderNo::as_str), Some("A1"));
    assert!(draft.lines.iter().all(|l| l.payee_kind == PayeeKind::PlatformAccount));
}

#[test]
fn every_transfer_line_problem_is_named_by_field() {
    let long = "字".repeat(limits::REMARK_CHARS + 1);
    let table: Vec<(TransferLineInput<'_>, Option<PlatformPayee>, &str, &str)> = vec![
        (line("me@x.cn", "1.00"), payee(SELF_ID, "me@x.cn", true), "lines[0].payee", "payee_is_self"),
        (line("ghost@x.cn", "1.00"), None, "lines[0].payee", "payee_not_found"),
        (line("new@x.cn", "1.00"), payee(9, "new@x.cn", false), "lines[0].payee", "payee_not_found"),
        (line("not an email", "1.00"), None, "lines[0].payee", "email_invalid"),
        (line("b@x.cn", "0"), payee(2, "b@x.cn", true), "lines[0].amount", "amount_zero"),
        (line("b@x.cn", "-1"), payee(2, "b@x.cn", true), "lines[0].amount", "amount_signed"),
        (line("b@x.cn", "1.001"), payee(2, "b@x.cn", true), "lines[0].amount", "amount_too_many_decimals"),
        (
            TransferLineInput { notify_phone: Some("12"), ..line("b@x.cn", "1") },
            payee(2, "b@x.cn", true),
            "lines[0].notify_phone",
            "phone_invalid",
        ),
        (
            TransferLineInput { remark: Some(&long), ..line("b@x.cn", "1") },
            payee(2, "b@x.cn", true),
            "lines[0].remark",
            "remark_too_long",
        ),
        (
            TransferLineInput { merchant_order_no: Some("2014-09"), ..line("b@x.cn", "1") },
            payee(2, "b@x.cn", true),
            "lines[0].merchant_order_no",
            "order_no_invalid",
        ),
    ];
    for (input, found, field, code) in table {
        let problems = one_transfer(input.clone(), found).unwrap_err();
        assert_eq!(fields(&problems), vec![(field, code)], "{input:?}");
    }
}

#[test]
fn a_transfer_has_one_to_five_lines_and_distinct_order_numbers() {
    let none = check_transfer(&[], None, &[], SELF_ID, &FeeSchedule::default()).unwrap_err();
    assert_eq!(fields(&none), vec![("lines", "lines_count")]);
    let six = vec![line("b@x.cn", "1"); limits::TRANSFER_LINES + 1];
    let found = vec![payee(2, "b@x.cn", true); six.len()];
    let too_many = check_transfer(&six, None, &found, SELF_ID, &FeeSchedule::default()).unwrap_err();
    assert_eq!(fields(&too_many), vec![("lines", "lines_count")]);
    let five = &six[..limits::TRANSFER_LINES];
    assert!(check_transfer(five, None, &found, SELF_ID, &FeeSchedule::default()).is_ok());

    let twice = [
        TransferLineInput { merchant_order_no: Some("A1"), ..line("b@x.cn", "1") },
        TransferLineInput { merchant_order_no: Some("A1"), ..line("b@x.cn", "1") },
    ];
    let problems = check_transfer(&twice, None, &found[..2], SELF_ID, &FeeSchedule::default()).unwrap_err();
    assert_eq!(fields(&problems), vec![("lines[1].merchant_order_no", "order_no_repeated")]);
}

#[test]
fn every_problem_of_every_line_is_reported_at_once() {
    let lines = [line("ghost@x.cn", "0"), line("b@x.cn", "x")];
    let problems =
        check_transfer(&lines, None, &[None, payee(2, "b@x.cn", true)], SELF_ID, &FeeSchedule::default())
            .unwrap_err();
    assert_eq!(
        fields(&problems),
        vec![
            ("lines[0].amount", "amount_zero"),
            ("lines[0].payee", "payee_not_found"),
            ("lines[1].amount", "amount_malformed")
        ]
    );
}

fn card() -> OwnCard {
    OwnCard {
        account_no: "6222021234561332".into(),
        account_name: "示例公司".into(),
        bank: "ICBC".into(),
        bank_name: "中国工商银行".into(),
        branch_name: "上海陆家嘴支行".into(),
    }
}

#[test]
fn a_withdrawal_goes_to_an_own_card_at_a_known_speed() {
    let fees = FeeSchedule(vec![(
        Product::WithdrawalFast,
        FeeRule { fixed: Money::from_fen(200).unwrap(), ..FeeRule::FREE },
    )]);
    let fast = WithdrawalInput { amount: "20.00", speed: "fast", merchant_order_no: Some("W1") };
    let draft = check_withdrawal(&fast, Some(card()), &fees).unwrap();
    assert_eq!(
        (draft.kind, draft.total_amount(), draft.total_fee()),
        (ApplicationKind::Withdrawal, 2000, 200)
    );
    assert_eq!(draft.hold_remark, "快速提现 至 中国工商银行");
    assert_eq!(draft.lines[0].speed, Some(PayoutSpeed::Fast));
    assert_eq!(draft.lines[0].payee_kind, PayeeKind::OwnCard);
    let standard = WithdrawalInput { speed: "standard", ..fast.clone() };
    assert_eq!(check_withdrawal(&standard, Some(card()), &fees).unwrap().total_fee(), 0);

    let table = [
        (WithdrawalInput { speed: "slow", ..fast.clone() }, Some(card()), "speed", "speed_invalid"),
        (WithdrawalInput { amount: "0.00", ..fast.clone() }, Some(card()), "amount", "amount_zero"),
        (fast.clone(), None, "card_id", "card_unknown"),
        (
            WithdrawalInput { merchant_order_no: Some("订单1"), ..fast.clone() },
            Some(card()),
            "merchant_order_no",
            "order_no_invalid",
        ),
    ];
    for (input, card, field, code) in table {
        let problems = check_withdrawal(&input, card, &fees).unwrap_err();
        assert_eq!(fields(&problems), vec![(field, code)], "{input:?}");
    }
}

fn bank_input(branch: &branches::Branch) -> BankPayoutInput<'_> {
    BankPayoutInput {
        payee: BankPayeeInput {
            account_type: "personal",
            name: "张三",
            bank: &branch.bank,
            branch_code: &branch.code,
            account_number: "6222021234561111",
        },
        account_number_confirm: "6222021234561111",
        amount: "1.00",
        remark: Some("劳务费"),
        agreement_accepted: true,
        merchant_order_no: None,
    }
}

#[test]
fn a_bank_payout_checks_every_field_of_the_form() {
    let long = "字".repeat(limits::REMARK_CHARS + 1);
    let branch = &branches::all()[0];
    let good = bank_input(branch);
    let draft = check_bank_payout(&good, &PayeeSource::Typed, &FeeSchedule::default()).unwrap();
    assert_eq!(draft.kind, ApplicationKind::BankPayout);
    assert_eq!(draft.hold_remark, "转账到银行账户 张三");
    assert_eq!(draft.lines[0].payee_kind, PayeeKind::BankPersonal);
    assert_eq!(draft.lines[0].branch.as_deref(), Some(branch.name.as_str()));

    let other_bank = branches::all().iter().find(|b| b.bank != branch.bank).unwrap();
    let table = [
        (
            BankPayoutInput {
                payee: BankPayeeInput { account_type: "other", ..good.payee.clone() },
                ..good.clone()
            },
            "account_type",
            "account_type_invalid",
        ),
        (
            BankPayoutInput { payee: BankPayeeInput { name: " ", ..good.payee.clone() }, ..good.clone() },
            "name",
            "name_invalid",
        ),
        (
            BankPayoutInput { account_number_confirm: "6222021234561112", ..good.clone() },
            "account_number_confirm",
            "account_number_mismatch",
        ),
        (
            BankPayoutInput {
                payee: BankPayeeInput { branch_code: &other_bank.code, ..good.payee.clone() },
                ..good.clone()
            },
            "branch_code",
            "branch_unknown",
        ),
        (BankPayoutInput { amount: "1.999", ..good.clone() }, "amount", "amount_too_many_decimals"),
        (
            BankPayoutInput { agreement_accepted: false, ..good.clone() },
            "agreement_accepted",
            "agreement_required",
        ),
        (BankPayoutInput { remark: Some(&long), ..good.clone() }, "remark", "remark_too_long"),
    ];
    for (input, field, code) in table {
        let problems = check_bank_payout(&input, &PayeeSource::Typed, &FeeSchedule::default()).unwrap_err();
        assert_eq!(fields(&problems), vec![(field, code)], "{input:?}");
    }
}

#[test]
fn a_saved_contact_replaces_what_was_typed() {
    let branch = &branches::all()[0];
    let contact = BankContact {
        account_type: "corporate".into(),
        name: "某某公司".into(),
        bank: branch.bank.clone(),
        branch_code: branch.code.clone(),
        account: "6222021234569999".into(),
    };
    let base = bank_input(branch);
    let typed = BankPayoutInput {
        payee: BankPayeeInput { name: "", account_number: "", ..base.payee.clone() },
        ..base
    };
    let draft = check_bank_payout(&typed, &PayeeSource::Contact(contact), &FeeSchedule::default()).unwrap();
    assert_eq!(draft.lines[0].payee_account, "6222021234569999");
    assert_eq!(draft.lines[0].payee_kind, PayeeKind::BankCorporate);
    let unknown =
        check_bank_payout(&typed, &PayeeSource::UnknownContact, &FeeSchedule::default()).unwrap_err();
    assert_eq!(fields(&unknown), vec![("contact_id", "contact_unknown")]);
}

#[test]
fn kinds_and_speeds_read_back_what_they_write() {
    for kind in PayeeKind::ALL {
        assert_eq!(PayeeKind::parse(kind.as_str()), Some(*kind));
    }
    for speed in [PayoutSpeed::Standard, PayoutSpeed::Fast] {
        assert_eq!(PayoutSpeed::parse(speed.as_str()), Some(speed));
    }
    assert_eq!(payee_lookup_key(" A@X.cn "), Some("a@x.cn".into()));
    assert_eq!(payee_lookup_key("nope"), None);
}

#[test]
fn a_recharge_is_typed_twice_and_fits_the_banks_limits() {
    let ok = RechargeInput { amount: "1000.00", amount_confirm: "1000", bank: "ICBC" };
    let (amount, bank) = check_recharge(&ok, |_| Money::ZERO).unwrap();
    assert_eq!((amount.fen(), bank.code), (100_000, "ICBC"));
    let codes = |input: RechargeInput<'_>, used: i64| {
        check_recharge(&input, |_| Money::from_fen(used).unwrap())
            .unwrap_err()
            .into_iter()
            .map(|p| (p.field, p.code))
            .collect::<Vec<_>>()
    };
    let field = |f: &str, c: &'static str| vec![(f.to_owned(), c)];
    assert_eq!(
        codes(RechargeInput { amount_confirm: "999", ..ok.clone() }, 0),
        field("amount_confirm", "amount_mismatch")
    );
    assert_eq!(codes(RechargeInput { bank: "NOPE", ..ok.clone() }, 0), field("bank", "bank_unknown"));
    assert_eq!(
        codes(RechargeInput { amount: "0", amount_confirm: "0", ..ok.clone() }, 0),
        field("amount", "amount_zero")
    );
    let single = crate::banks::find("CITIC").unwrap().single_limit_fen;
    let over = Money::from_fen(single + 1).unwrap().to_string();
    assert_eq!(
        codes(RechargeInput { amount: &over, amount_confirm: &over, bank: "CITIC" }, 0),
        field("amount", "over_single_limit")
    );
    let icbc = crate::banks::find("ICBC").unwrap().daily_limit_fen;
    assert_eq!(codes(ok.clone(), icbc - 1), field("amount", "over_daily_limit"));
}

#[test]
fn a_card_is_typed_twice_at_a_directory_branch_and_twenty_at_most() {
    let branch = &branches::all()[0];
    let input = CardInput {
        bank: &branch.bank,
        branch_code: &branch.code,
        account_number: "6222021234561332",
        account_number_confirm: "6222021234561332",
    };
    let (n, b) = check_card(&input, &[]).unwrap();
    assert_eq!((n.as_str(), b.code.as_str()), ("6222021234561332", branch.code.as_str()));
    let full: Vec<String> = (0..limits::BANK_CARDS).map(|i| format!("62220212345600{i:02}")).collect();
    let codes = |r: Result<_, Vec<FieldProblem>>| {
        r.err().unwrap_or_default().into_iter().map(|p| p.code).collect::<Vec<_>>()
    };
    assert_eq!(codes(check_card(&input, &full)), ["card_limit"]);
    assert_eq!(codes(check_card(&input, &full[..limits::BANK_CARDS - 1])), Vec::<&str>::new());
    let mismatch = CardInput { account_number_confirm: "6222021234561333", ..input.clone() };
    assert_eq!(codes(check_card(&mismatch, &[])), ["account_number_mismatch"]);
    let elsewhere = CardInput { bank: "NOPE", ..input.clone() };
    assert_eq!(codes(check_card(&elsewhere, &[])), ["branch_unknown"]);
}

#[test]
fn contacts_follow_the_payee_rules() {
    let found = payee(2, "b@x.cn", true);
    let c = check_platform_contact("b@x.cn", Some("13800138000"), Some(" 供应商 "), found, SELF_ID).unwrap();
    assert_eq!((c.name.as_str(), c.account.as_str(), c.remark.as_str()), ("收**司", "b@x.cn", "供应商"));
    let mine =
        check_platform_contact("me@x.cn", None, None, payee(SELF_ID, "me@x.cn", true), SELF_ID).unwrap_err();
    assert_eq!(fields(&mine), vec![("account", "payee_is_self")]);
    let branch = &branches::all()[0];
    let bank = BankContactInput {
        payee: BankPayeeInput {
            account_type: "corporate",
            name: "某某公司",
            bank: &branch.bank,
            branch_code: &branch.code,
            account_number: "6222021234561111",
        },
        phone: Some("12"),
        remark: None,
    };
    assert_eq!(fields(&check_bank_contact(&bank).unwrap_err()), vec![("phone", "phone_invalid")]);
    let ok = check_bank_contact(&BankContactInput { phone: None, ..bank }).unwrap();
    assert_eq!(ok.kind.and_then(PayeeKind::account_type), Some("corporate"));
}
