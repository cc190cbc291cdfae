//! Review (manual §3.5) over HTTP on both backends: maker-checker, single-person
//! policy, bulk review, rejection, and two reviewers racing for one application.

use crate::common::{ok_json, TestApp, PAYEE, PAYER, PAY_PW, PW};
use paydesk_api_types::{
    Application, Home, Page, PendingCount, Problem, ReviewDetail, ReviewItem, ReviewOutcome,
};
use paydesk_store::identity;
use paydesk_store::testing::TestDb;
use serde_json::{json, Value};

on_both_backends_async!(
    an_applicants_bank_payout_waits_for_an_auditor,
    nobody_reviews_their_own_under_maker_checker,
    a_double_approval_executes_once,
    bulk_review_and_rejection,
    an_applicant_withdraws_a_pending_application,
);

/// The payer (1,000.00) with an admin, an applicant and two auditors; a payee.
async fn setup(db: TestDb) -> TestApp {
    let app = crate::common::payer_and_payee(db, "1000.00").await;
    let hash = paydesk_server::auth::hash_password(PW).unwrap();
    app.db
        .store()
        .write(|c| {
            identity::create_operator(c, 1, "auditor2", "审核员二", &hash, "auditor", Some("13600136000"))
        })
        .unwrap();
    app
}

async fn code(app: &TestApp, token: &str, phone: &str) -> String {
    app.fresh_sms_code(token, phone).await
}

async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> reqwest::Response {
    app.client.post(app.url(path)).bearer_auth(token).json(body).send().await.unwrap()
}

fn bank_payout(amount: &str) -> Value {
    json!({"account_type": "personal", "name": "李四", "bank": "ICBC", "branch_code": "102290000019",
           "account_number": "6222021234561111", "account_number_confirm": "6222021234561111",
           "amount": amount, "agreement_accepted": true, "payment_password": PAY_PW})
}

fn transfer(amount: &str) -> Value {
    json!({"lines": [{"payee": PAYEE, "amount": amount}], "payment_password": PAY_PW})
}

async fn balances(app: &TestApp, login: (&str, &str)) -> (String, String) {
    let token = app.login(login.0, login.1, PW).await;
    let home: Home = ok_json(app.get_with("/api/v1/home", &token).await, 200).await;
    (home.available, home.frozen)
}

async fn approve(app: &TestApp, token: &str, ids: &[i64], sms: &str) -> reqwest::Response {
    let body = json!({"application_ids": ids, "decision": "approve", "payment_password": PAY_PW, "sms_code": sms, "remark": "同意"});
    post(app, token, "/api/v1/reviews", &body).await
}

async fn an_applicants_bank_payout_waits_for_an_auditor(db: TestDb) {
    let app = setup(db).await;
    let applicant = app.login(PAYER, "applicant", PW).await;
    let auditor = app.login(PAYER, "auditor", PW).await;
    let held: Application =
        ok_json(post(&app, &applicant, "/api/v1/bank-transfers", &bank_payout("50.00")).await, 201).await;
    assert_eq!(held.status, "pending_review");
    // 交易订单号: 21 digits, today's date first, not the database id.
    assert_eq!(held.trade_no.len(), 21);
    assert!(held.trade_no.chars().all(|c| c.is_ascii_digit()));
    assert!(held.trade_no.starts_with(&chrono::Utc::now().format("%y%m%d").to_string()));
    assert_eq!(held.lines[0].trade_no.len(), 21);
    assert_ne!(held.lines[0].trade_no, held.trade_no, "a line has its own number");

    // It waits in the auditor's list, not in the applicant's (who may not review).
    let count: PendingCount =
        ok_json(app.get_with("/api/v1/reviews/pending/count", &auditor).await, 200).await;
    assert_eq!(count.count, 1);
    let list: Page<ReviewItem> = ok_json(app.get_with("/api/v1/reviews/pending", &auditor).await, 200).await;
    assert_eq!(list.items.len(), 1);
    let item = &list.items[0];
    assert_eq!((item.kind.as_str(), item.total.as_str(), item.can_review), ("bank_payout", "50.00", true));
    assert_eq!(item.applicant, "申请员 (applicant)");
    assert_eq!(item.payee, "李四 *****1111");
    let p: Problem = ok_json(app.get_with("/api/v1/reviews/pending", &applicant).await, 403).await;
    assert_eq!(p.code, "permission_denied");
    let detail: ReviewDetail =
        ok_json(app.get_with(&format!("/api/v1/reviews/{}", held.id), &auditor).await, 200).await;
    assert_eq!(detail.lines.len(), 1);

    // Filters: by kind, by keyword, by period.
    let none: Page<ReviewItem> =
        ok_json(app.get_with("/api/v1/reviews/pending?kind=withdrawal", &auditor).await, 200).await;
    assert_eq!(none.total, 0);
    let by_no: Page<ReviewItem> =
        ok_json(app.get_with(&format!("/api/v1/reviews/pending?q={}", held.trade_no), &auditor).await, 200)
            .await;
    assert_eq!(by_no.total, 1);
    assert_eq!(by_no.items[0].trade_no, held.trade_no);
    // The database id is no number people see: it finds nothing.
    let by_id: Page<ReviewItem> =
        ok_json(app.get_with(&format!("/api/v1/reviews/pending?q={}", held.id), &auditor).await, 200).await;
    assert_eq!(by_id.total, 0);
    let old: Page<ReviewItem> =
        ok_json(app.get_with("/api/v1/reviews/pending?from=2020-01-01&to=2020-01-31", &auditor).await, 200)
            .await;
    assert_eq!(old.total, 0);

    // Approving needs the payment password and the SMS code.
    let p: Problem = ok_json(approve(&app, &auditor, &[held.id], "").await, 422).await;
    assert_eq!(p.errors[0].code, "sms_code_required");
    let sms = code(&app, &auditor, "13700137000").await;
    let out: ReviewOutcome = ok_json(approve(&app, &auditor, &[held.id], &sms).await, 200).await;
    assert_eq!(out.results[0].status, "processing");
    assert_eq!(out.results[0].code, None);
    let r = app.client.post(app.url("/sandbox/bank/payouts/run?hours=25")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let records: Page<ReviewItem> =
        ok_json(app.get_with("/api/v1/applications?status=approved", &auditor).await, 200).await;
    assert_eq!(records.items[0].status, "succeeded");
    assert_eq!(records.items[0].reviewer.as_deref(), Some("审核员 (auditor)"));
    assert_eq!(records.items[0].review_remark.as_deref(), Some("同意"));
    let count: PendingCount =
        ok_json(app.get_with("/api/v1/reviews/pending/count", &auditor).await, 200).await;
    assert_eq!(count.count, 0);
    assert_eq!(balances(&app, (PAYER, PAYER)).await, ("950.00".into(), "0.00".into()));
    app.assert_books_balance();
}

async fn nobody_reviews_their_own_under_maker_checker(db: TestDb) {
    let app = setup(db).await;
    let admin = app.login(PAYER, PAYER, PW).await;
    // Bank payouts are maker-checker by default: even the admin's waits.
    let held: Application =
        ok_json(post(&app, &admin, "/api/v1/bank-transfers", &bank_payout("30.00")).await, 201).await;
    assert_eq!(held.status, "pending_review");
    let mine: Page<ReviewItem> = ok_json(app.get_with("/api/v1/reviews/pending", &admin).await, 200).await;
    assert_eq!(mine.total, 0, "one's own applications are not in one's pending list");
    let sms = code(&app, &admin, "13800138000").await;
    let p: Problem = ok_json(approve(&app, &admin, &[held.id], &sms).await, 403).await;
    assert_eq!(p.code, "own_application");
    assert_eq!(balances(&app, (PAYER, PAYER)).await, ("970.00".into(), "30.00".into()), "nothing moved");

    // The auditor approves it.
    let auditor = app.login(PAYER, "auditor", PW).await;
    let sms = code(&app, &auditor, "13700137000").await;
    let out: ReviewOutcome = ok_json(approve(&app, &auditor, &[held.id], &sms).await, 200).await;
    assert_eq!(out.results[0].status, "processing");

    // The admin's own payout waits too: bank payouts are maker-checker by default.
    let own: Application =
        ok_json(post(&app, &admin, "/api/v1/bank-transfers", &bank_payout("5.00")).await, 201).await;
    assert_eq!(own.status, "pending_review");

    // The merchant switches bank payouts to single-person: it takes the payment
    // password and the second factor, and the admin's next one goes at once.
    let policy = |body: Value| {
        let request =
            app.client.put(app.url("/api/v1/review-policies/bank_payout")).bearer_auth(&admin).json(&body);
        async move { request.send().await.unwrap() }
    };
    let p: Problem =
        ok_json(policy(json!({"mode": "single", "payment_password": "wrong-pay-1"})).await, 422).await;
    assert_eq!(p.errors[0].code, "payment_password_wrong");
    let p: Problem = ok_json(policy(json!({"mode": "single", "payment_password": PAY_PW})).await, 422).await;
    assert_eq!(p.errors[0].code, "sms_code_required");
    let sms = code(&app, &admin, "13800138000").await;
    let r = policy(json!({"mode": "single", "payment_password": PAY_PW, "sms_code": sms})).await;
    assert_eq!(r.status(), 200);
    // The one already waiting keeps the policy it was submitted under: the
    // admin still can't approve its own.
    let sms = code(&app, &admin, "13800138000").await;
    let out: Problem = ok_json(approve(&app, &admin, &[own.id], &sms).await, 403).await;
    assert_eq!(out.code, "own_application");
    let me: paydesk_api_types::Me = ok_json(app.get_with("/api/v1/me", &admin).await, 200).await;
    assert!(me.completes_at_once.contains(&"bank_payout".to_owned()));
    let mut body = bank_payout("20.00");
    body["sms_code"] = json!(code(&app, &admin, "13800138000").await);
    let now: Application = ok_json(post(&app, &admin, "/api/v1/bank-transfers", &body).await, 201).await;
    assert_eq!(now.status, "processing");
    // The auditor can't change policies.
    let r = app
        .client
        .put(app.url("/api/v1/review-policies/transfer"))
        .bearer_auth(&auditor)
        .json(&json!({"mode": "maker_checker", "payment_password": PAY_PW}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    app.assert_books_balance();
}

async fn a_double_approval_executes_once(db: TestDb) {
    let app = setup(db).await;
    let applicant = app.login(PAYER, "applicant", PW).await;
    let held: Application =
        ok_json(post(&app, &applicant, "/api/v1/transfers", &transfer("100.00")).await, 201).await;
    let one = app.login(PAYER, "auditor", PW).await;
    let two = app.login(PAYER, "auditor2", PW).await;
    let sms_one = code(&app, &one, "13700137000").await;
    // Both codes must be live at once: ask for the second without clearing the first.
    let r = post(&app, &two, "/api/v1/sms-codes", &json!({"purpose": "fund_operation"})).await;
    assert_eq!(r.status(), 202);
    let sms_two: String =
        app.outbox("13600136000").await[0].body.chars().filter(char::is_ascii_digit).take(6).collect();
    let target = [held.id];
    let (a, b) = tokio::join!(approve(&app, &one, &target, &sms_one), approve(&app, &two, &target, &sms_two));
    let a: ReviewOutcome = ok_json(a, 200).await;
    let b: ReviewOutcome = ok_json(b, 200).await;
    let results = [&a.results[0], &b.results[0]];
    assert_eq!(results.iter().filter(|r| r.code.is_none()).count(), 1, "{results:?}");
    let loser = results.iter().find(|r| r.code.is_some()).unwrap();
    assert_eq!(loser.code.as_deref(), Some("application_state"));
    assert!(results.iter().all(|r| r.status == "succeeded"));
    assert_eq!(balances(&app, (PAYEE, PAYEE)).await, ("100.00".into(), "0.00".into()), "paid once");
    assert_eq!(balances(&app, (PAYER, PAYER)).await, ("900.00".into(), "0.00".into()));

    // A rejected application can't be approved afterwards.
    let second: Application =
        ok_json(post(&app, &applicant, "/api/v1/transfers", &transfer("10.00")).await, 201).await;
    let body = json!({"application_ids": [second.id], "decision": "reject", "remark": "金额有误"});
    let out: ReviewOutcome = ok_json(post(&app, &one, "/api/v1/reviews", &body).await, 200).await;
    assert_eq!(out.results[0].status, "rejected");
    let sms = code(&app, &two, "13600136000").await;
    let out: ReviewOutcome = ok_json(approve(&app, &two, &[second.id], &sms).await, 200).await;
    assert_eq!(
        (out.results[0].status.as_str(), out.results[0].code.as_deref()),
        ("rejected", Some("application_state"))
    );
    assert_eq!(balances(&app, (PAYER, PAYER)).await, ("900.00".into(), "0.00".into()));
    app.assert_books_balance();
}

async fn bulk_review_and_rejection(db: TestDb) {
    let app = setup(db).await;
    let applicant = app.login(PAYER, "applicant", PW).await;
    let auditor = app.login(PAYER, "auditor", PW).await;
    let mut ids = Vec::new();
    for amount in ["1.00", "2.00", "3.00", "4.00"] {
        let a: Application =
            ok_json(post(&app, &applicant, "/api/v1/transfers", &transfer(amount)).await, 201).await;
        ids.push(a.id);
    }
    assert_eq!(balances(&app, (PAYER, PAYER)).await, ("990.00".into(), "10.00".into()));

    // Bad requests change nothing.
    let p: Problem = ok_json(
        post(&app, &auditor, "/api/v1/reviews", &json!({"application_ids": [ids[3]], "decision": "reject"}))
            .await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "remark_required");
    let p: Problem = ok_json(approve(&app, &auditor, &[ids[0], 999], "123456").await, 404).await;
    assert_eq!(p.code, "application_not_found");
    let p: Problem = ok_json(
        post(&app, &auditor, "/api/v1/reviews", &json!({"application_ids": [], "decision": "approve"})).await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "ids_count");

    // Three at once, then the fourth rejected with its money back.
    let sms = code(&app, &auditor, "13700137000").await;
    let out: ReviewOutcome = ok_json(approve(&app, &auditor, &ids[..3], &sms).await, 200).await;
    assert_eq!(out.results.iter().map(|r| r.status.as_str()).collect::<Vec<_>>(), ["succeeded"; 3]);
    let body = json!({"application_ids": [ids[3]], "decision": "reject", "remark": "不需要了"});
    let out: ReviewOutcome = ok_json(post(&app, &auditor, "/api/v1/reviews", &body).await, 200).await;
    assert_eq!(out.results[0].status, "rejected");
    assert_eq!(balances(&app, (PAYER, PAYER)).await, ("994.00".into(), "0.00".into()));
    assert_eq!(balances(&app, (PAYEE, PAYEE)).await, ("6.00".into(), "0.00".into()));
    let rejected: Page<ReviewItem> =
        ok_json(app.get_with("/api/v1/reviews/transfers?status=rejected", &auditor).await, 200).await;
    assert_eq!(rejected.total, 1);
    assert_eq!(rejected.items[0].review_remark.as_deref(), Some("不需要了"));
    app.assert_books_balance();
}

async fn an_applicant_withdraws_a_pending_application(db: TestDb) {
    let app = setup(db).await;
    let applicant = app.login(PAYER, "applicant", PW).await;
    let auditor = app.login(PAYER, "auditor", PW).await;
    let held: Application =
        ok_json(post(&app, &applicant, "/api/v1/transfers", &transfer("40.00")).await, 201).await;
    let cancel = format!("/api/v1/applications/{}/cancel", held.id);
    let p: Problem = ok_json(post(&app, &auditor, &cancel, &json!({})).await, 403).await;
    assert_eq!(p.code, "not_your_application");
    let out: paydesk_api_types::ReviewResult =
        ok_json(post(&app, &applicant, &cancel, &json!({})).await, 200).await;
    assert_eq!(out.status, "cancelled");
    assert_eq!(balances(&app, (PAYER, PAYER)).await, ("1000.00".into(), "0.00".into()), "the money is back");
    let p: Problem = ok_json(post(&app, &applicant, &cancel, &json!({})).await, 409).await;
    assert_eq!(p.code, "application_state");
    // Approving a cancelled application fails cleanly and moves nothing.
    let sms = code(&app, &auditor, "13700137000").await;
    let out: ReviewOutcome = ok_json(approve(&app, &auditor, &[held.id], &sms).await, 200).await;
    assert_eq!(
        (out.results[0].status.as_str(), out.results[0].code.as_deref()),
        ("cancelled", Some("application_state"))
    );
    assert_eq!(balances(&app, (PAYEE, PAYEE)).await, ("0.00".into(), "0.00".into()));
    // 应用审核 lists payroll applications (none yet).
    let payroll: Page<ReviewItem> =
        ok_json(app.get_with("/api/v1/reviews/payroll", &auditor).await, 200).await;
    assert_eq!(payroll.total, 0);
    app.assert_books_balance();
}
