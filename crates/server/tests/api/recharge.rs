//! Recharge through the sandbox bank (manual §3.4.1), on both backends.

use paydesk_domain::states::KybStatus;
use std::time::Duration;

use crate::common::{ok_json, spawn_app, spawn_app_in, TestApp};
use paydesk_api_types::{Home, Problem, Recharge, RechargeBank};
use paydesk_server::sandbox_bank;
use paydesk_store::db::count_rows;
use paydesk_store::testing::TestDb;
use paydesk_store::{identity, recharge, StoreError};
use serde_json::json;

on_both_backends_async!(
    the_balance_rises_only_when_the_bank_confirms,
    a_cancelled_payment_credits_nothing,
    forged_and_replayed_notifications_change_nothing,
    limits_and_bad_input_are_refused,
    undelivered_notifications_are_retried_until_acknowledged,
);

const EMAIL: &str = "m@example.com";
const PW: &str = "abc123!x";

async fn verified(db: TestDb) -> (TestApp, String) {
    let app = spawn_app(db).await;
    app.register(EMAIL, "充值测试有限公司", PW, "pay456#y").await;
    app.db.store().write(|c| identity::set_kyb_status(c, 1, KybStatus::Verified)).unwrap();
    let token = app.login(EMAIL, EMAIL, PW).await;
    (app, token)
}

async fn start(app: &TestApp, token: &str, amount: &str, bank: &str) -> reqwest::Response {
    let body = json!({"amount": amount, "amount_confirm": amount, "bank": bank});
    app.client.post(app.url("/api/v1/recharges")).bearer_auth(token).json(&body).send().await.unwrap()
}

async fn available(app: &TestApp, token: &str) -> String {
    let home: Home = ok_json(app.get_with("/api/v1/home", token).await, 200).await;
    home.available
}

async fn wait_for_status(app: &TestApp, token: &str, order_no: &str, status: &str) -> Recharge {
    for _ in 0..100 {
        let r: Recharge =
            ok_json(app.get_with(&format!("/api/v1/recharges/{order_no}"), token).await, 200).await;
        if r.status == status {
            return r;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("order {order_no} never became {status}");
}

async fn the_balance_rises_only_when_the_bank_confirms(db: TestDb) {
    let (app, token) = verified(db).await;
    let banks: Vec<RechargeBank> = ok_json(app.get_with("/api/v1/recharge-banks", &token).await, 200).await;
    assert!(banks.iter().any(|b| b.code == "ICBC" && b.single_limit == "2000000.00"));
    let order: Recharge = ok_json(start(&app, &token, "1000.00", "ICBC").await, 201).await;
    assert_eq!(
        (order.status.as_str(), order.amount.as_str(), order.bank_name.as_str()),
        ("pending", "1000.00", "中国工商银行")
    );
    assert_eq!(available(&app, &token).await, "0.00", "nothing before the bank confirms");

    let page = app.get(&order.pay_url).await.text().await.unwrap();
    assert!(page.contains("1000.00") && page.contains("充值测试有限公司") && page.contains("壹仟元整"));
    let paid = app.client.post(app.url(&format!("{}/pay", order.pay_url))).send().await.unwrap();
    assert_eq!(paid.status(), 303);
    assert_eq!(
        paid.headers()["location"],
        format!("/funds/recharge/result?order_no={}", order.order_no).as_str()
    );
    wait_for_status(&app, &token, &order.order_no, "paid").await;
    assert_eq!(available(&app, &token).await, "1000.00");
    let home: Home = ok_json(app.get_with("/api/v1/home", &token).await, 200).await;
    assert_eq!(
        (home.recent[0].income.as_deref(), home.recent[0].remark.as_str()),
        (Some("1000.00"), "充值 中国工商银行")
    );
    // Paying twice is not possible.
    let again = app.client.post(app.url(&format!("{}/pay", order.pay_url))).send().await.unwrap();
    assert_eq!(again.status(), 409);
    app.assert_books_balance();
}

async fn a_cancelled_payment_credits_nothing(db: TestDb) {
    let (app, token) = verified(db).await;
    let order: Recharge = ok_json(start(&app, &token, "10.00", "CMB").await, 201).await;
    let cancelled = app.client.post(app.url(&format!("{}/cancel", order.pay_url))).send().await.unwrap();
    assert_eq!(cancelled.status(), 303);
    wait_for_status(&app, &token, &order.order_no, "cancelled").await;
    assert_eq!(available(&app, &token).await, "0.00");
    assert_eq!(app.db.store().read(|c| count_rows(c, "journal_entries")).unwrap(), 0);
}

async fn forged_and_replayed_notifications_change_nothing(db: TestDb) {
    let (app, token) = verified(db).await;
    let order: Recharge = ok_json(start(&app, &token, "100.00", "ICBC").await, 201).await;
    let notify = |body: String, signature: String| {
        let client = app.client.clone();
        let url = app.url(sandbox_bank::NOTIFY_PATH);
        async move {
            client
                .post(url)
                .header(sandbox_bank::SIGNATURE_HEADER, signature)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let forged = json!({"order_no": order.order_no, "amount": 10_000, "result": "paid", "bank_reference": "X", "time": "now"}).to_string();
    let p: Problem = ok_json(notify(forged.clone(), "00".repeat(32)).await, 401).await;
    assert_eq!(p.code, "signature_invalid");
    let p: Problem = ok_json(notify(forged, String::new()).await, 401).await;
    assert_eq!(p.code, "signature_invalid");
    assert_eq!(available(&app, &token).await, "0.00");
    assert_eq!(app.db.store().read(|c| count_rows(c, "journal_entries")).unwrap(), 0);

    // The bank's genuine notice, then the same notice replayed and a tampered copy.
    app.client.post(app.url(&format!("{}/pay", order.pay_url))).send().await.unwrap();
    wait_for_status(&app, &token, &order.order_no, "paid").await;
    // The bank records the platform's acknowledgement after the answer reaches it.
    let mut genuine = Vec::new();
    for _ in 0..100 {
        genuine = app
            .db
            .store()
            .read(|c| {
                recharge::due_notifications(c, chrono::Utc::now().naive_utc() + chrono::Duration::days(1), 10)
            })
            .unwrap();
        if genuine.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let sent: Vec<(String, String)> = app
        .db
        .store()
        .read(|c| -> Result<_, StoreError> {
            use diesel::prelude::*;
            use paydesk_store::schema::sandbox_bank_notifications as n;
            Ok(n::table.select((n::payload, n::signature)).load::<(String, String)>(c)?)
        })
        .unwrap();
    assert!(genuine.is_empty(), "the genuine notice was acknowledged");
    let (payload, signature) = sent[0].clone();
    for _ in 0..3 {
        assert_eq!(
            notify(payload.clone(), signature.clone()).await.status(),
            200,
            "repeats are acknowledged"
        );
    }
    assert_eq!(available(&app, &token).await, "100.00", "credited exactly once");
    let tampered = payload.replace("10000", "99999");
    assert_eq!(notify(tampered, signature).await.status(), 401);
    assert_eq!(app.db.store().read(|c| count_rows(c, "journal_entries")).unwrap(), 1);
    app.assert_books_balance();
}

async fn limits_and_bad_input_are_refused(db: TestDb) {
    let (app, token) = verified(db).await;
    let field = |p: &Problem| (p.errors[0].field.clone(), p.errors[0].code.clone());
    let p: Problem = ok_json(start(&app, &token, "10000.01", "CITIC").await, 422).await;
    assert_eq!(field(&p), ("amount".into(), "over_single_limit".into()));
    let _: Recharge = ok_json(start(&app, &token, "6000.00", "CITIC").await, 201).await;
    let p: Problem = ok_json(start(&app, &token, "5000.00", "CITIC").await, 422).await;
    assert_eq!(field(&p), ("amount".into(), "over_daily_limit".into()));
    let _: Recharge = ok_json(start(&app, &token, "5000.00", "ICBC").await, 201).await;
    let p: Problem = ok_json(start(&app, &token, "1.00", "NOPE").await, 422).await;
    assert_eq!(field(&p), ("bank".into(), "bank_unknown".into()));
    let mismatch = json!({"amount": "100.00", "amount_confirm": "10.00", "bank": "ICBC"});
    let p: Problem = ok_json(
        app.client
            .post(app.url("/api/v1/recharges"))
            .bearer_auth(&token)
            .json(&mismatch)
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(field(&p), ("amount_confirm".into(), "amount_mismatch".into()));
    let p: Problem = ok_json(start(&app, &token, "0", "ICBC").await, 422).await;
    assert_eq!(field(&p), ("amount".into(), "amount_zero".into()));
    assert_eq!(app.db.store().read(|c| count_rows(c, "recharge_orders")).unwrap(), 2);

    app.db.store().write(|c| identity::set_kyb_status(c, 1, KybStatus::Rejected)).unwrap();
    let p: Problem = ok_json(start(&app, &token, "1.00", "ICBC").await, 403).await;
    assert_eq!(p.code, "kyb_required");
}

async fn undelivered_notifications_are_retried_until_acknowledged(db: TestDb) {
    // Production mode runs no delivery loop, so this test drives deliveries itself.
    let app = spawn_app_in(db, paydesk_server::Mode::Production).await;
    app.register_in_production(EMAIL).await;
    let store = app.db.store();
    store
        .write(|c| -> Result<(), StoreError> {
            identity::set_kyb_status(c, 1, KybStatus::Verified)?;
            recharge::create_order(c, "R1", 1, 1, "ICBC", 5_000, chrono::Utc::now().naive_utc())?;
            Ok(())
        })
        .unwrap();
    let signer = sandbox_bank::Signer::new(
        &store.write(|c| paydesk_store::secrets::get_or_create(c, "sandbox_bank_hmac", String::new)).unwrap(),
    );
    sandbox_bank::decide(&store, &signer, "R1", true).unwrap();
    let client = crate::common::bare_client();
    // The platform can't be reached: the attempt is counted and pushed back.
    assert_eq!(sandbox_bank::deliver_due(&store, &client, "http://127.0.0.1:9").await, 0);
    let (attempts, error): (i32, Option<String>) = store
        .read(|c| -> Result<_, StoreError> {
            use diesel::prelude::*;
            use paydesk_store::schema::sandbox_bank_notifications as n;
            Ok(n::table.select((n::attempts, n::last_error)).first(c)?)
        })
        .unwrap();
    assert_eq!(attempts, 1);
    assert!(error.is_some());
    assert_eq!(sandbox_bank::deliver_due(&store, &client, &app.base).await, 0, "not due again yet");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(sandbox_bank::deliver_due(&store, &client, &app.base).await, 1);
    assert_eq!(store.read(|c| recharge::find_order(c, "R1")).unwrap().unwrap().status, "paid");
    assert_eq!(
        sandbox_bank::deliver_due(&store, &client, &app.base).await,
        0,
        "acknowledged: never sent again"
    );
    app.assert_books_balance();
}
