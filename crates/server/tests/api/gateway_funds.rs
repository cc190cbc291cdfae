//! Fund operations for API clients on both backends (issue 12): a signed
//! transfer runs the one submit pipeline as the client's operator — the
//! signature stands for the payment password and second factor, the client's
//! role decides what it may do, the merchant's review policy still holds the
//! money for an auditor — once per Idempotency-Key, and the operation log names
//! the client.

use paydesk_api_types::{Application, Problem};
use paydesk_store::testing::TestDb;
use serde_json::json;

use crate::common::{available_fen, ok_json, Integrator, PAYEE, PAYER, PW};

on_both_backends_async!(a_signed_transfer_goes_through_the_pipeline, a_signed_transfers_nonce_is_spent_once);

async fn a_signed_transfer_goes_through_the_pipeline(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "100.00").await;
    let erp = Integrator::create(&app).await;
    let body = json!({"lines": [{"payee": PAYEE, "amount": "10.00", "remark": "货款"}], "remark": "ERP"})
        .to_string();
    let send = |key: &'static str| {
        let (erp, app, body) = (&erp, &app, body.clone());
        async move {
            let path = "/api/v1/gateway/transfers";
            let ts = chrono::Utc::now().timestamp();
            let nonce = format!("k{}{:020}", key, rand::random::<u64>());
            let message = paydesk_domain::gateway::canonical("POST", path, ts, &nonce, body.as_bytes());
            let auth = paydesk_domain::gateway::header(&erp.app_id, ts, &nonce, &erp.key.sign(&message));
            app.client
                .post(app.url(path))
                .header("Authorization", auth)
                .header("Idempotency-Key", key)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    // The applicant's role applies and the auditor reviews: the money is held.
    let first: Application = ok_json(send("erp-1").await, 201).await;
    assert_eq!(first.status, "pending_review");
    let r = send("erp-1").await;
    assert_eq!(r.headers()["idempotent-replayed"], "true");
    let again: Application = ok_json(r, 201).await;
    assert_eq!(again.id, first.id, "the same key answers the same application");
    assert_eq!(available_fen(&app.db.store(), 1), 9_000);

    // A role without 转账 may not.
    let viewer = Integrator::create_in(&app, "审核", "Viewer").await;
    let r = viewer.send(&app, "POST", "/api/v1/gateway/transfers", body.as_bytes()).await;
    let p: Problem = ok_json(r, 403).await;
    assert_eq!(p.code, "permission_denied");
    // Bad input changes nothing.
    let bad = json!({"lines": [{"payee": PAYEE, "amount": "-1"}]}).to_string();
    let p: Problem =
        ok_json(erp.send(&app, "POST", "/api/v1/gateway/transfers", bad.as_bytes()).await, 422).await;
    assert_eq!(p.errors[0].field, "lines[0].amount");
    assert_eq!(available_fen(&app.db.store(), 1), 9_000);

    // The operation log names the API client for its signed change.
    let admin = app.login(PAYER, PAYER, PW).await;
    let log: serde_json::Value = ok_json(app.get_with("/api/v1/operation-log", &admin).await, 200).await;
    let line = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["action"] == "POST /api/v1/gateway/transfers" && l["status"] == 201)
        .unwrap_or_else(|| panic!("{log}"));
    assert_eq!(line["operator"].as_str(), Some(format!("Shop ({})", erp.app_id).as_str()), "{line}");
}

/// The nonce of a signed transfer is spent in the transaction that makes the
/// transfer: copies of one signed request sent at once make one transfer and
/// the rest are refused as replays; a refused request, and one answered from
/// its Idempotency-Key, spend theirs too.
async fn a_signed_transfers_nonce_is_spent_once(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "100.00").await;
    let erp = Integrator::create(&app).await;
    let path = "/api/v1/gateway/transfers";
    let transfer = |amount: &str| {
        json!({"lines": [{"payee": PAYEE, "amount": amount, "remark": "货款"}]}).to_string().into_bytes()
    };
    let ten = transfer("10.00");
    let copies = futures_util::future::join_all(
        (0..8).map(|_| erp.send_with_nonce(&app, "POST", path, &ten, "copies-0000000001")),
    )
    .await;
    let mut answers = Vec::new();
    for r in copies {
        let status = r.status().as_u16();
        let p: serde_json::Value = r.json().await.unwrap();
        answers.push((status, p["code"].as_str().unwrap_or("").to_owned()));
    }
    answers.sort();
    let expected: Vec<(u16, String)> = std::iter::once((201, String::new()))
        .chain(std::iter::repeat_n((401, "nonce_reused".to_owned()), 7))
        .collect();
    assert_eq!(answers, expected);
    assert_eq!(available_fen(&app.db.store(), 1), 9_000, "one transfer held");
    let r = erp.send_with_nonce(&app, "POST", path, &ten, "copies-0000000001").await;
    assert_eq!(ok_json::<Problem>(r, 401).await.code, "nonce_reused");

    // Refused for want of money: sent again as it was, a replay.
    let much = transfer("500.00");
    let r = erp.send_with_nonce(&app, "POST", path, &much, "short-00000000001").await;
    assert_eq!(ok_json::<Problem>(r, 422).await.code, "insufficient_balance");
    let r = erp.send_with_nonce(&app, "POST", path, &much, "short-00000000001").await;
    assert_eq!(ok_json::<Problem>(r, 401).await.code, "nonce_reused");

    // Answered from its Idempotency-Key: signed afresh it is the first answer;
    // sent again as it was, a replay.
    let erp = Integrator { idempotency_key: Some("erp-keyed".into()), ..erp };
    let keyed = |nonce: &'static str| erp.send_with_nonce(&app, "POST", path, &ten, nonce);
    let first: Application = ok_json(keyed("keyed-00000000001").await, 201).await;
    let r = keyed("keyed-00000000002").await;
    assert_eq!(r.headers()["idempotent-replayed"], "true");
    assert_eq!(ok_json::<Application>(r, 201).await.id, first.id);
    for nonce in ["keyed-00000000001", "keyed-00000000002"] {
        assert_eq!(ok_json::<Problem>(keyed(nonce).await, 401).await.code, "nonce_reused", "{nonce}");
    }
    assert_eq!(available_fen(&app.db.store(), 1), 8_000, "two transfers held");
}
