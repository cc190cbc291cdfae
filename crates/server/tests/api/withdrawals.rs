//! Withdrawals through the sandbox bank (manual §4.1.1), on both backends: the
//! payout succeeds, fails with the money back, or comes back later (退票).

use crate::common::{ok_json, spawn_app, TestApp, PAY_PW, PW};
use paydesk_api_types::{
    Application, BankCardView, BranchInfo, FeeSchedule, FundsOverview, Page, Problem, StatementLine,
};
use paydesk_domain::states::KybStatus;
use paydesk_store::db::count_rows;
use paydesk_store::testing::TestDb;
use paydesk_store::{identity, ledger, StoreError};
use serde_json::json;

on_both_backends_async!(
    a_fast_withdrawal_is_paid_out_within_two_hours,
    a_standard_withdrawal_waits_for_the_next_day,
    a_refused_payout_gives_the_money_back,
    a_returned_payout_comes_back_with_its_own_line,
    only_the_merchants_own_cards_and_sound_input_are_accepted,
    a_bank_transfer_is_paid_out_and_a_returned_one_comes_back,
    bad_bank_transfer_input_is_refused_and_writes_nothing,
    fees_follow_the_schedule_and_come_back_with_refused_money,
    a_saved_bank_contact_is_paid_by_its_id,
    payout_results_come_only_from_the_bank_and_count_once,
);

const EMAIL: &str = "m@example.com";

async fn setup(db: TestDb) -> (TestApp, String) {
    let app = spawn_app(db).await;
    app.register(EMAIL, "提现测试有限公司", PW, PAY_PW).await;
    let hash = paydesk_server::auth::hash_password(PW).unwrap();
    app.db
        .store()
        .write(|c| -> Result<(), StoreError> {
            identity::set_kyb_status(c, 1, KybStatus::Verified)?;
            identity::create_operator(c, 1, "applicant", "申请员", &hash, "applicant", None)?;
            Ok(())
        })
        .unwrap();
    app.fund(1, "100.00");
    let token = app.login(EMAIL, "applicant", PW).await;
    (app, token)
}

async fn card(app: &TestApp, number: &str) -> i64 {
    let admin = app.login(EMAIL, EMAIL, PW).await;
    let found: Vec<BranchInfo> =
        ok_json(app.get_with("/api/v1/branches?bank=ICBC&q=陆家嘴", &admin).await, 200).await;
    let body = json!({"bank": "ICBC", "branch_code": found[0].code, "account_number": number, "account_number_confirm": number, "payment_password": PAY_PW});
    let c: BankCardView = ok_json(
        app.client.post(app.url("/api/v1/bank-cards")).bearer_auth(&admin).json(&body).send().await.unwrap(),
        201,
    )
    .await;
    c.id
}

/// The admin withdraws (so it goes to the bank at once).
async fn withdraw(app: &TestApp, card_id: i64, amount: &str, speed: &str) -> Application {
    let admin = app.login(EMAIL, EMAIL, PW).await;
    app.db.store().write(|c| identity::set_merchant_phone(c, 1, "13800138000")).unwrap();
    // A fresh code each time: wait out the cool-down by clearing it in the test.
    app.db
        .store()
        .write(|c| -> Result<(), StoreError> {
            use diesel::connection::SimpleConnection;
            Ok(c.batch_execute("DELETE FROM sms_codes")?)
        })
        .unwrap();
    ok_json::<serde_json::Value>(
        app.client
            .post(app.url("/api/v1/sms-codes"))
            .bearer_auth(&admin)
            .json(&json!({"purpose": "fund_operation"}))
            .send()
            .await
            .unwrap(),
        202,
    )
    .await;
    let code: String =
        app.outbox("13800138000").await[0].body.chars().filter(char::is_ascii_digit).take(6).collect();
    let body = json!({"card_id": card_id, "amount": amount, "speed": speed, "payment_password": PAY_PW, "sms_code": code});
    ok_json(
        app.client.post(app.url("/api/v1/withdrawals")).bearer_auth(&admin).json(&body).send().await.unwrap(),
        201,
    )
    .await
}

async fn run_bank(app: &TestApp, hours: i64) {
    let r =
        app.client.post(app.url(&format!("/sandbox/bank/payouts/run?hours={hours}"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

async fn status(app: &TestApp, id: i64) -> String {
    let token = app.login(EMAIL, EMAIL, PW).await;
    let a: Application =
        ok_json(app.get_with(&format!("/api/v1/applications/{id}"), &token).await, 200).await;
    a.status
}

async fn overview(app: &TestApp) -> (String, String) {
    let token = app.login(EMAIL, EMAIL, PW).await;
    let o: FundsOverview = ok_json(app.get_with("/api/v1/funds/overview", &token).await, 200).await;
    (o.available, o.frozen)
}

async fn a_fast_withdrawal_is_paid_out_within_two_hours(db: TestDb) {
    let (app, _) = setup(db).await;
    let card = card(&app, "6222021234561332").await;
    let w = withdraw(&app, card, "20.00", "fast").await;
    assert_eq!((w.status.as_str(), w.lines[0].payee_account.as_str()), ("processing", "*****1332"));
    assert_eq!(overview(&app).await, ("80.00".into(), "0.00".into()));
    run_bank(&app, 1).await;
    assert_eq!(status(&app, w.id).await, "processing", "not yet after one hour");
    run_bank(&app, 3).await;
    assert_eq!(status(&app, w.id).await, "succeeded");
    assert_eq!(overview(&app).await, ("80.00".into(), "0.00".into()));
    app.assert_books_balance();
}

async fn a_standard_withdrawal_waits_for_the_next_day(db: TestDb) {
    let (app, _) = setup(db).await;
    let card = card(&app, "6222021234561332").await;
    let w = withdraw(&app, card, "30.00", "standard").await;
    run_bank(&app, 3).await;
    assert_eq!(status(&app, w.id).await, "processing");
    run_bank(&app, 25).await;
    assert_eq!(status(&app, w.id).await, "succeeded");
    app.assert_books_balance();
}

async fn a_refused_payout_gives_the_money_back(db: TestDb) {
    let (app, _) = setup(db).await;
    let card = card(&app, "6222021234560000").await;
    let w = withdraw(&app, card, "20.00", "fast").await;
    run_bank(&app, 3).await;
    assert_eq!(status(&app, w.id).await, "failed");
    assert_eq!(overview(&app).await, ("100.00".into(), "0.00".into()));
    let token = app.login(EMAIL, EMAIL, PW).await;
    let page: Page<StatementLine> = ok_json(app.get_with("/api/v1/statement", &token).await, 200).await;
    assert_eq!(page.items[0].income.as_deref(), Some("20.00"));
    assert!(page.items[0].remark.starts_with("出款失败退回"));
    app.assert_books_balance();
}

async fn a_returned_payout_comes_back_with_its_own_line(db: TestDb) {
    let (app, _) = setup(db).await;
    let card = card(&app, "6222021234569999").await;
    let w = withdraw(&app, card, "20.00", "fast").await;
    run_bank(&app, 3).await;
    assert_eq!(status(&app, w.id).await, "succeeded", "paid out first");
    assert_eq!(overview(&app).await.0, "80.00");
    // The bank's clock moves on past the hour in which it returns such payouts.
    run_bank(&app, 5).await;
    assert_eq!(overview(&app).await.0, "100.00", "the returned payout is back");
    let token = app.login(EMAIL, EMAIL, PW).await;
    let page: Page<StatementLine> = ok_json(app.get_with("/api/v1/statement", &token).await, 200).await;
    let lines: Vec<(Option<String>, Option<String>, String)> =
        page.items.iter().map(|l| (l.income.clone(), l.expense.clone(), l.balance_after.clone())).collect();
    assert_eq!(
        lines,
        vec![
            (Some("20.00".into()), None, "100.00".into()),
            (None, Some("20.00".into()), "80.00".into()),
            (Some("100.00".into()), None, "100.00".into()),
        ]
    );
    assert!(page.items[0].remark.starts_with("退票"));
    run_bank(&app, 9).await;
    assert_eq!(overview(&app).await.0, "100.00", "returned once only");
    app.assert_books_balance();
}

async fn only_the_merchants_own_cards_and_sound_input_are_accepted(db: TestDb) {
    let (app, applicant) = setup(db).await;
    let mine = card(&app, "6222021234561332").await;
    app.register("o@example.com", "别家公司", PW, PAY_PW).await;
    app.db.store().write(|c| identity::set_kyb_status(c, 2, KybStatus::Verified)).unwrap();
    let other_admin = app.login("o@example.com", "o@example.com", PW).await;
    let found: Vec<BranchInfo> =
        ok_json(app.get_with("/api/v1/branches?bank=ICBC&q=陆家嘴", &other_admin).await, 200).await;
    let body = json!({"bank": "ICBC", "branch_code": found[0].code, "account_number": "6222021234567777", "account_number_confirm": "6222021234567777", "payment_password": PAY_PW});
    let theirs: BankCardView = ok_json(
        app.client
            .post(app.url("/api/v1/bank-cards"))
            .bearer_auth(&other_admin)
            .json(&body)
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;

    let before = app
        .db
        .store()
        .read(|c| -> Result<_, StoreError> {
            Ok((count_rows(c, "applications")?, count_rows(c, "journal_entries")?))
        })
        .unwrap();
    let send = |body: serde_json::Value| {
        let client = app.client.clone();
        let url = app.url("/api/v1/withdrawals");
        let token = applicant.clone();
        async move { client.post(url).bearer_auth(token).json(&body).send().await.unwrap() }
    };
    let p: Problem = ok_json(
        send(json!({"card_id": theirs.id, "amount": "1.00", "speed": "fast", "payment_password": PAY_PW}))
            .await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "card_unknown", "a card that is not the merchant's");
    let p: Problem = ok_json(
        send(json!({"card_id": mine, "amount": "1.00", "speed": "slow", "payment_password": PAY_PW})).await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "speed_invalid");
    let p: Problem = ok_json(
        send(json!({"card_id": mine, "amount": "100.01", "speed": "fast", "payment_password": PAY_PW})).await,
        422,
    )
    .await;
    assert_eq!(p.code, "insufficient_balance");
    let p: Problem = ok_json(
        send(json!({"card_id": mine, "amount": "0.00", "speed": "fast", "payment_password": PAY_PW})).await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "amount_zero");
    let after = app
        .db
        .store()
        .read(|c| -> Result<_, StoreError> {
            Ok((count_rows(c, "applications")?, count_rows(c, "journal_entries")?))
        })
        .unwrap();
    assert_eq!(before, after, "refusals change nothing");

    // The applicant's own withdrawal waits for review with the money held.
    let held: Application = ok_json(
        send(json!({"card_id": mine, "amount": "10.00", "speed": "fast", "payment_password": PAY_PW})).await,
        201,
    )
    .await;
    assert_eq!(held.status, "pending_review");
    assert_eq!(overview(&app).await, ("90.00".into(), "10.00".into()));

    // Until verification is approved, withdrawals answer 403 like every money endpoint.
    app.db.store().write(|c| identity::set_kyb_status(c, 1, KybStatus::Submitted)).unwrap();
    let p: Problem = ok_json(
        send(json!({"card_id": mine, "amount": "1.00", "speed": "fast", "payment_password": PAY_PW})).await,
        403,
    )
    .await;
    assert_eq!(p.code, "kyb_required");
    app.assert_books_balance();
}

fn bank_transfer(number: &str, amount: &str) -> serde_json::Value {
    json!({"account_type": "personal", "name": "李四", "bank": "ICBC", "branch_code": "102290000019",
           "account_number": number, "account_number_confirm": number, "amount": amount, "remark": "劳务费",
           "agreement_accepted": true, "payment_password": PAY_PW})
}

async fn a_bank_transfer_is_paid_out_and_a_returned_one_comes_back(db: TestDb) {
    let (app, applicant) = setup(db).await;
    let send = |body: serde_json::Value| {
        let client = app.client.clone();
        let url = app.url("/api/v1/bank-transfers");
        let token = applicant.clone();
        async move { client.post(url).bearer_auth(token).json(&body).send().await.unwrap() }
    };
    // The applicant's payout waits for review with the money held.
    let held: Application = ok_json(send(bank_transfer("6222021234561111", "10.00")).await, 201).await;
    assert_eq!((held.kind.as_str(), held.status.as_str()), ("bank_payout", "pending_review"));
    assert_eq!(held.lines[0].payee_account, "*****1111");

    // With the single-person policy the admin's goes to the bank at once (by
    // default bank payouts wait for a second person); this test account returns it later.
    let admin = app.login(EMAIL, EMAIL, PW).await;
    app.db.store().write(|c| identity::set_merchant_phone(c, 1, "13800138000")).unwrap();
    let sms = app.fresh_sms_code(&admin, "13800138000").await;
    let r = app
        .client
        .put(app.url("/api/v1/review-policies/bank_payout"))
        .bearer_auth(&admin)
        .json(&json!({"mode": "single", "payment_password": PAY_PW, "sms_code": sms}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let code = app.fresh_sms_code(&admin, "13800138000").await;
    let mut body = bank_transfer("6222021234569999", "50.00");
    body["sms_code"] = json!(code);
    let out: Application = ok_json(
        app.client
            .post(app.url("/api/v1/bank-transfers"))
            .bearer_auth(&admin)
            .json(&body)
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    assert_eq!(out.status, "processing");
    assert_eq!(overview(&app).await, ("40.00".into(), "10.00".into()));
    run_bank(&app, 25).await;
    assert_eq!(status(&app, out.id).await, "succeeded");
    run_bank(&app, 27).await;
    assert_eq!(overview(&app).await, ("90.00".into(), "10.00".into()), "退票: the 50.00 is back");
    app.assert_books_balance();
}

async fn bad_bank_transfer_input_is_refused_and_writes_nothing(db: TestDb) {
    let (app, applicant) = setup(db).await;
    let count = |app: &TestApp| app.db.store().read(|c| count_rows(c, "applications")).unwrap();
    // The whole table of field rules is domain::draft's unit tests; here, that
    // the server answers them field by field and writes nothing.
    let cases: Vec<(serde_json::Value, &str, &str)> = vec![
        (
            {
                let mut b = bank_transfer("6222021234561111", "1.00");
                b["account_number_confirm"] = json!("6222021234561112");
                b
            },
            "account_number_confirm",
            "account_number_mismatch",
        ),
        (
            {
                let mut b = bank_transfer("6222021234561111", "1.00");
                b["agreement_accepted"] = json!(false);
                b
            },
            "agreement_accepted",
            "agreement_required",
        ),
    ];
    for (body, field, code) in cases {
        let p: Problem = ok_json(
            app.client
                .post(app.url("/api/v1/bank-transfers"))
                .bearer_auth(&applicant)
                .json(&body)
                .send()
                .await
                .unwrap(),
            422,
        )
        .await;
        assert!(p.errors.iter().any(|e| e.field == field && e.code == code), "{field}: {p:?}");
    }
    let p: Problem = ok_json(
        app.client
            .post(app.url("/api/v1/bank-transfers"))
            .bearer_auth(&applicant)
            .json(&bank_transfer("6222021234561111", "100.01"))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p.code, "insufficient_balance");
    assert_eq!(count(&app), 0);
    app.assert_books_balance();
}

fn fee_income(app: &TestApp) -> i64 {
    app.db
        .store()
        .read(|c| -> Result<i64, StoreError> {
            match ledger::find_account(c, "platform:fee_income")? {
                Some(a) => ledger::balance(c, a.id),
                None => Ok(0),
            }
        })
        .unwrap()
}

async fn fees_follow_the_schedule_and_come_back_with_refused_money(db: TestDb) {
    let (app, applicant) = setup(db).await;
    let schedule: FeeSchedule = ok_json(app.get_with("/api/v1/fees", &applicant).await, 200).await;
    assert_eq!(schedule.items.len(), paydesk_domain::fees::Product::ALL.len());
    assert!(
        schedule.items.iter().all(|r| r.fixed == "0.00" && r.rate_bp == 0 && r.min == "0.00"),
        "free by default"
    );

    let staff = app.staff_token().await;
    let put = |path: &str, token: &str, body: serde_json::Value| {
        let request = app.client.put(app.url(path)).bearer_auth(token).json(&body);
        async move { request.send().await.unwrap() }
    };
    // Nonsense is refused and changes nothing.
    let p: Problem = ok_json(
        put(
            "/api/v1/ops/merchants/1/fees/bank_payout",
            &staff,
            json!({"fixed": "0.00", "rate_bp": 50, "min": "5.00", "max": "1.00"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "max_below_min");
    let p: Problem = ok_json(
        put(
            "/api/v1/ops/merchants/1/fees/bank_payout",
            &staff,
            json!({"fixed": "-1", "rate_bp": 0, "min": "0"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].field, "fixed");
    let p: Problem = ok_json(
        put(
            "/api/v1/ops/merchants/1/fees/refund",
            &staff,
            json!({"fixed": "1.00", "rate_bp": 0, "min": "0"}),
        )
        .await,
        404,
    )
    .await;
    assert_eq!(p.code, "product_unknown");
    let p: Problem = ok_json(
        put(
            "/api/v1/ops/merchants/99/fees/transfer",
            &staff,
            json!({"fixed": "1.00", "rate_bp": 0, "min": "0"}),
        )
        .await,
        404,
    )
    .await;
    assert_eq!(p.code, "merchant_not_found");
    let admin = app.login(EMAIL, EMAIL, PW).await;
    let r = put(
        "/api/v1/ops/merchants/1/fees/transfer",
        &admin,
        json!({"fixed": "0.00", "rate_bp": 0, "min": "0"}),
    )
    .await;
    assert_eq!(r.status(), 401, "a merchant's operator can't set fees");
    let unchanged: FeeSchedule = ok_json(app.get_with("/api/v1/fees", &applicant).await, 200).await;
    assert_eq!(unchanged, schedule);

    // 2.00 a fast withdrawal; 0.50 % of a bank payout, at least 1.00, at most 10.00.
    ok_json::<FeeSchedule>(
        put(
            "/api/v1/ops/merchants/1/fees/withdrawal_fast",
            &staff,
            json!({"fixed": "2.00", "rate_bp": 0, "min": "0.00"}),
        )
        .await,
        200,
    )
    .await;
    let after: FeeSchedule = ok_json(
        put(
            "/api/v1/ops/merchants/1/fees/bank_payout",
            &staff,
            json!({"fixed": "0", "rate_bp": 50, "min": "1.00", "max": "10.00"}),
        )
        .await,
        200,
    )
    .await;
    let payout_rule = after.items.iter().find(|r| r.product == "bank_payout").unwrap();
    assert_eq!(
        (payout_rule.rate_bp, payout_rule.min.as_str(), payout_rule.max.as_deref()),
        (50, "1.00", Some("10.00"))
    );
    let staff_view: FeeSchedule =
        ok_json(app.get_with("/api/v1/ops/merchants/1/fees", &staff).await, 200).await;
    assert_eq!(staff_view, after);

    let good = card(&app, "6222021234561332").await;
    let w = withdraw(&app, good, "20.00", "fast").await;
    assert_eq!((w.total_fee.as_str(), w.total.as_str()), ("2.00", "22.00"));
    assert_eq!(w.lines[0].fee, "2.00");
    assert_eq!(overview(&app).await, ("78.00".into(), "0.00".into()));
    run_bank(&app, 3).await;
    assert_eq!(status(&app, w.id).await, "succeeded");
    assert_eq!(fee_income(&app), 200, "the fee is the platform's once the payout goes out");
    let page: Page<StatementLine> = ok_json(app.get_with("/api/v1/statement", &admin).await, 200).await;
    assert_eq!(page.items[0].expense.as_deref(), Some("22.00"), "one line: amount and fee");

    // A refused payout gives back the amount and the fee.
    let bad = card(&app, "6222021234560000").await;
    let w = withdraw(&app, bad, "20.00", "fast").await;
    assert_eq!(overview(&app).await.0, "56.00");
    run_bank(&app, 6).await;
    assert_eq!(status(&app, w.id).await, "failed");
    assert_eq!(overview(&app).await.0, "78.00");
    assert_eq!(fee_income(&app), 200);

    // The standard withdrawal stays free; a bank payout's fee is at least 1.00.
    let held: Application = ok_json(
        app.client
            .post(app.url("/api/v1/bank-transfers"))
            .bearer_auth(&applicant)
            .json(&bank_transfer("6222021234561111", "10.00"))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    assert_eq!((held.total_fee.as_str(), held.total.as_str()), ("1.00", "11.00"));
    assert_eq!(overview(&app).await, ("67.00".into(), "11.00".into()));
    app.assert_books_balance();
}

async fn a_saved_bank_contact_is_paid_by_its_id(db: TestDb) {
    let (app, applicant) = setup(db).await;
    let admin = app.login(EMAIL, EMAIL, PW).await;
    let add = |path: &str, body: serde_json::Value| {
        let request = app.client.post(app.url(path)).bearer_auth(&admin).json(&body);
        async move { request.send().await.unwrap() }
    };
    let saved: paydesk_api_types::ContactView = ok_json(
        add(
            "/api/v1/contacts/bank",
            json!({"account_type": "corporate", "name": "王五商贸有限公司", "bank": "ICBC",
                   "branch_code": "102290000019", "account_number": "6222021234565555"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(saved.account, "*****5555", "the number is masked on the way back");
    let pay = |contact: i64, order: &str| {
        json!({"contact_id": contact, "amount": "12.00", "agreement_accepted": true,
               "payment_password": PAY_PW, "merchant_order_no": order})
    };
    let send = |body: serde_json::Value| {
        let request = app.client.post(app.url("/api/v1/bank-transfers")).bearer_auth(&applicant).json(&body);
        async move { request.send().await.unwrap() }
    };
    let held: Application = ok_json(send(pay(saved.id, "C1")).await, 201).await;
    assert_eq!(held.lines[0].payee_name, "王五商贸有限公司");
    assert_eq!(held.lines[0].payee_account, "*****5555");
    assert_eq!(held.lines[0].merchant_order_no.as_deref(), Some("C1"));
    // Someone else's contact, an unknown one, or a platform contact can't be paid this way.
    let p: Problem = ok_json(send(pay(999, "C2")).await, 422).await;
    assert_eq!((p.errors[0].field.as_str(), p.errors[0].code.as_str()), ("contact_id", "contact_unknown"));
    app.register("payee@example.com", "收款科技有限公司", PW, PAY_PW).await;
    app.db.store().write(|c| identity::set_kyb_status(c, 2, KybStatus::Verified)).unwrap();
    let platform: paydesk_api_types::ContactView =
        ok_json(add("/api/v1/contacts/platform", json!({"account": "payee@example.com"})).await, 201).await;
    let p: Problem = ok_json(send(pay(platform.id, "C3")).await, 422).await;
    assert_eq!(p.errors[0].code, "contact_unknown");
    // The order number is spent.
    let p: Problem = ok_json(send(pay(saved.id, "C1")).await, 409).await;
    assert_eq!(p.code, "merchant_order_no_taken");
    assert_eq!(overview(&app).await, ("88.00".into(), "12.00".into()));
    app.assert_books_balance();
}

/// The bank's answer about a payout is a signed notification like any other: a
/// forged or tampered one is refused, a repeated one changes nothing.
async fn payout_results_come_only_from_the_bank_and_count_once(db: TestDb) {
    use paydesk_server::sandbox_bank::{NOTIFY_PATH, SIGNATURE_HEADER};
    let (app, _) = setup(db).await;
    let card = card(&app, "6222021234560000").await;
    let w = withdraw(&app, card, "20.00", "fast").await;
    let trade_no =
        app.db.store().read(|c| paydesk_store::payouts::of_application(c, w.id)).unwrap().remove(0).trade_no;
    let notify = |body: String, signature: String| {
        let client = app.client.clone();
        let url = app.url(NOTIFY_PATH);
        async move {
            client
                .post(url)
                .header(SIGNATURE_HEADER, signature)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // A forger says the payout (to a failing account) succeeded: refused, nothing moves.
    let forged = json!({"kind": "payout", "trade_no": trade_no, "amount": 2000, "result": "succeeded",
        "bank_reference": "X", "reason": null, "time": "now"})
    .to_string();
    assert_eq!(notify(forged, "00".repeat(32)).await, 401);
    assert_eq!(status(&app, w.id).await, "processing");

    // The bank refuses it and says so; its notice, sent again and again, counts once.
    run_bank(&app, 3).await;
    assert_eq!(status(&app, w.id).await, "failed");
    assert_eq!(overview(&app).await, ("100.00".into(), "0.00".into()));
    let (payload, signature): (String, String) = app
        .db
        .store()
        .read(|c| -> Result<_, StoreError> {
            use diesel::prelude::*;
            use paydesk_store::schema::sandbox_bank_notifications as n;
            Ok(n::table.filter(n::order_no.eq(&trade_no)).select((n::payload, n::signature)).first(c)?)
        })
        .unwrap();
    assert!(payload.contains("\"failed\""), "{payload}");
    for _ in 0..3 {
        assert_eq!(notify(payload.clone(), signature.clone()).await, 200);
    }
    assert_eq!(notify(payload.replace("failed", "returned"), signature).await, 401, "tampered");
    assert_eq!(overview(&app).await, ("100.00".into(), "0.00".into()), "given back once");
    app.assert_books_balance();
}
