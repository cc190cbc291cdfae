//! Refunds (issue 13) over HTTP on both backends: a paid trade refunded in
//! parts before and after its settlement, through review; a rejection and a
//! refund the bank can't return each give the money back where it came from;
//! a trade older than the 31-day query window refunds as any other; concurrent
//! refunds of one trade never pass its amount; the books balance throughout.

use paydesk_api_types::{
    Application, Page, Problem, RecordPage, RefundView, ReviewItem, TradeDetail, TradeView,
};
use paydesk_domain::fees::Product;
use paydesk_store::testing::TestDb;
use serde_json::{json, Value};

use crate::common::{available_fen, ok_json, Integrator, TestApp, PAYER, PAY_PW, PW};
use crate::trades::{count, pay, pending_fen, receiver, run, set_fee, trade, wait_for_status, wait_until};

on_both_backends_async!(
    a_trade_is_refunded_in_parts_before_and_after_settlement,
    a_refund_the_bank_cannot_return_goes_back_to_pending,
    concurrent_refunds_never_pass_the_amount,
    the_gateway_refunds_once_per_refund_order_no,
    records_find_every_kind_by_filter_and_export_equals_the_page,
    a_batch_refund_is_checked_approved_and_returned
);

/// A paid instant trade of `amount` (acquiring fee 0.60%) from the payer's shop.
async fn paid_trade(app: &TestApp, shop: &Integrator, order_no: &str, amount: &str) -> TradeView {
    let body =
        json!({"merchant_order_no": order_no, "subject": "咖啡豆", "amount": amount, "mode": "instant"})
            .to_string();
    let t: TradeView =
        ok_json(shop.send(app, "POST", "/api/v1/gateway/trades", body.as_bytes()).await, 201).await;
    pay(app, &t, "ICBC").await;
    wait_for_status(app, shop, &t.trade_no, "completed").await
}

async fn apply(app: &TestApp, token: &str, trade_no: &str, body: Value) -> reqwest::Response {
    let mut body = body;
    body["payment_password"] = json!(PAY_PW);
    let path = format!("/api/v1/trades/{trade_no}/refunds");
    app.client.post(app.url(&path)).bearer_auth(token).json(&body).send().await.unwrap()
}

async fn review(app: &TestApp, auditor: &str, id: i64, decision: &str) {
    let sms = app.fresh_sms_code(auditor, "13700137000").await;
    let body = json!({"application_ids": [id], "decision": decision, "payment_password": PAY_PW,
        "sms_code": sms, "remark": "退款审核"});
    let r =
        app.client.post(app.url("/api/v1/reviews")).bearer_auth(auditor).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

async fn refunds_of(app: &TestApp, token: &str, trade_no: &str) -> Vec<RefundView> {
    ok_json(app.get_with(&format!("/api/v1/trades/{trade_no}/refunds"), token).await, 200).await
}

/// The bank returns what it was given two hours ago, and its answers arrive.
async fn bank_answers(app: &TestApp) {
    run(app, "/sandbox/bank/payouts/run?hours=3").await;
}

fn fee_income_fen(app: &TestApp) -> i64 {
    app.db
        .store()
        .read(|c| -> Result<i64, paydesk_store::StoreError> {
            let found = paydesk_store::ledger::find_account(c, paydesk_domain::postings::FEE_INCOME)?;
            Ok(found.map_or(0, |a| a.balance))
        })
        .unwrap()
}

async fn a_trade_is_refunded_in_parts_before_and_after_settlement(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let shop = Integrator::create(&app).await;
    set_fee(&app, Product::AcquiringInstant, 60).await;
    let t = paid_trade(&app, &shop, "SHOPR1", "88.00").await;
    assert!(t.refundable && t.refunded == "0.00" && t.refund_count == 0);
    // Older than the 31-day window of 交易记录: a refund doesn't care.
    backdate(&app, &t.trade_no, 40);
    let applicant = app.login(PAYER, "applicant", PW).await;
    let auditor = app.login(PAYER, "auditor", PW).await;
    assert!(refunds_of(&app, &applicant, &t.trade_no).await.is_empty(), "无退款信息");

    // Bad requests change nothing, and say every problem at once.
    let p: Problem = ok_json(
        apply(&app, &applicant, &t.trade_no, json!({"amount": "88.01", "remark": "x".repeat(51)})).await,
        422,
    )
    .await;
    let codes: Vec<&str> = p.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["amount_over_refundable", "remark_too_long"]);
    let p: Problem =
        ok_json(apply(&app, &applicant, "000000000000000000000", json!({"full": true})).await, 404).await;
    assert_eq!(p.code, "trade_not_found");

    // 部分退款 before settlement: held out of pending settlement.
    let first: Application = ok_json(
        apply(&app, &applicant, &t.trade_no, json!({"amount": "30.00", "remark": "缺货"})).await,
        201,
    )
    .await;
    assert_eq!((first.kind.as_str(), first.status.as_str()), ("refund", "pending_review"));
    assert_eq!((pending_fen(&app), available_fen(&app.db.store(), 1)), (5_800, 100));
    let seen = trade(&app, &shop, &t.trade_no).await;
    assert_eq!((seen.refunded.as_str(), seen.refund_count), ("30.00", 1));
    let listed = refunds_of(&app, &applicant, &t.trade_no).await;
    assert_eq!(listed.len(), 1);
    let r = &listed[0];
    assert_eq!(
        (r.amount.as_str(), r.fee_back.as_str(), r.status_zh.as_str(), r.remark.as_str()),
        ("30.00", "0.18", "待审核", "缺货")
    );
    assert_eq!(r.refund_no, first.lines[0].trade_no);

    // 退款审核 names the original trade (§3.5.3).
    let waiting: Page<ReviewItem> =
        ok_json(app.get_with("/api/v1/reviews/refunds", &auditor).await, 200).await;
    let item = waiting.items.iter().find(|i| i.id == first.id).expect("in 退款审核");
    assert_eq!(item.original_trade_no.as_deref(), Some(t.trade_no.as_str()));
    assert_eq!(item.original_merchant_order_no.as_deref(), Some("SHOPR1"));
    assert_eq!(
        (item.total_amount.as_str(), item.total_fee.as_str(), item.total.as_str()),
        ("30.00", "0.18", "30.00")
    );

    // Approved: it leaves for the bank, and the bank returns it to the buyer.
    review(&app, &auditor, first.id, "approve").await;
    assert_eq!(refunds_of(&app, &applicant, &t.trade_no).await[0].status, "processing");
    bank_answers(&app).await;
    let done = &refunds_of(&app, &applicant, &t.trade_no).await[0];
    assert_eq!((done.status.as_str(), done.status_zh.as_str()), ("succeeded", "退款成功"));
    assert!(done.finished_at.is_some());
    app.assert_books_balance();

    // T+1 settles what the refund left: 58.00 less the fee's rest (0.53 − 0.18).
    let fees_before = fee_income_fen(&app);
    assert_eq!(run(&app, "/sandbox/settlement/run?hours=25").await["settled"], 1);
    assert_eq!((pending_fen(&app), available_fen(&app.db.store(), 1)), (0, 100 + 5_800 - 35));
    assert_eq!(fee_income_fen(&app) - fees_before, 35);

    // 全额退款 after settlement: out of available, the fee's rest back from the platform.
    let rest: Application =
        ok_json(apply(&app, &applicant, &t.trade_no, json!({"full": true})).await, 201).await;
    assert_eq!(rest.total_amount, "58.00");
    assert_eq!(available_fen(&app.db.store(), 1), 100);
    assert_eq!(fee_income_fen(&app) - fees_before, 0);
    let p: Problem = ok_json(apply(&app, &applicant, &t.trade_no, json!({"full": true})).await, 422).await;
    assert_eq!(p.errors[0].code, "trade_fully_refunded");

    // Rejected: the money comes back as settled money.
    review(&app, &auditor, rest.id, "reject").await;
    assert_eq!(available_fen(&app.db.store(), 1), 100 + 5_800 - 35);
    assert_eq!(fee_income_fen(&app) - fees_before, 35);
    let seen = trade(&app, &shop, &t.trade_no).await;
    assert_eq!((seen.refunded.as_str(), seen.refund_count, seen.refundable), ("30.00", 2, true));
    let listed = refunds_of(&app, &applicant, &t.trade_no).await;
    assert_eq!(listed.iter().map(|r| r.status.as_str()).collect::<Vec<_>>(), ["succeeded", "rejected"]);
    // 历史订单退款: the 40-day-old trade by its merchant order number, with its 退款记录.
    let detail: TradeDetail =
        ok_json(app.get_with("/api/v1/trades/SHOPR1?by=merchant_order_no", &applicant).await, 200).await;
    assert_eq!(detail.trade.trade_no, t.trade_no);
    assert_eq!(
        (detail.trade_type_zh.as_str(), detail.kept.as_str(), detail.refundable_amount.as_str()),
        ("即时到账收单交易", "57.65", "58.00")
    );
    assert_eq!(detail.refunds.len(), 2);
    let by_no: TradeDetail =
        ok_json(app.get_with(&format!("/api/v1/trades/{}", t.trade_no), &applicant).await, 200).await;
    assert_eq!(by_no, detail);
    let p: Problem = ok_json(app.get_with("/api/v1/trades/SHOPR1", &applicant).await, 404).await;
    assert_eq!(p.code, "trade_not_found");
    let last: Application = ok_json(
        apply(&app, &applicant, &detail.trade.trade_no, json!({"full": true, "remark": "历史订单"})).await,
        201,
    )
    .await;
    assert_eq!(last.total_amount, "58.00");
    app.assert_books_balance();
}

async fn a_refund_the_bank_cannot_return_goes_back_to_pending(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let shop = Integrator::create(&app).await;
    set_fee(&app, Product::AcquiringInstant, 60).await;
    let t = paid_trade(&app, &shop, "SHOPR2", "10.00").await;
    let applicant = app.login(PAYER, "applicant", PW).await;
    let auditor = app.login(PAYER, "auditor", PW).await;
    // The sandbox bank fails refunds of x.44: the buyer's account is closed.
    let a: Application =
        ok_json(apply(&app, &applicant, &t.trade_no, json!({"amount": "4.44"})).await, 201).await;
    review(&app, &auditor, a.id, "approve").await;
    assert_eq!(pending_fen(&app), 1_000 - 444);
    bank_answers(&app).await;
    let r = &refunds_of(&app, &applicant, &t.trade_no).await[0];
    assert_eq!((r.status.as_str(), r.status_zh.as_str()), ("failed", "退款失败"));
    assert!(r.failure_reason.as_deref().unwrap_or_default().contains("销户"), "{r:?}");
    // Back in pending settlement, and the trade has it all to refund again.
    assert_eq!(pending_fen(&app), 1_000);
    let seen = trade(&app, &shop, &t.trade_no).await;
    assert_eq!((seen.refunded.as_str(), seen.refund_count), ("0.00", 1));
    let reviewed: Application =
        ok_json(app.get_with(&format!("/api/v1/applications/{}", a.id), &applicant).await, 200).await;
    assert_eq!(reviewed.status, "failed");
    // Settlement then takes the whole trade, net of the whole fee.
    assert_eq!(run(&app, "/sandbox/settlement/run?hours=25").await["settled"], 1);
    assert_eq!((pending_fen(&app), available_fen(&app.db.store(), 1)), (0, 100 + 1_000 - 6));
    app.assert_books_balance();
}

async fn concurrent_refunds_never_pass_the_amount(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let shop = Integrator::create(&app).await;
    let t = paid_trade(&app, &shop, "SHOPR3", "10.00").await;
    let applicant = app.login(PAYER, "applicant", PW).await;
    let answers = futures_util::future::join_all(
        (0..8).map(|_| apply(&app, &applicant, &t.trade_no, json!({"amount": "3.00"}))),
    )
    .await;
    let mut held = 0;
    for r in answers {
        match r.status().as_u16() {
            201 => held += 1,
            409 => assert_eq!(r.json::<Problem>().await.unwrap().code, "trade_changed"),
            422 => assert_eq!(r.json::<Problem>().await.unwrap().errors[0].code, "amount_over_refundable"),
            other => panic!("unexpected {other}: {}", r.text().await.unwrap()),
        }
    }
    assert!((1..=3).contains(&held), "{held} refunds of 3.00 held on a 10.00 trade");
    let seen = trade(&app, &shop, &t.trade_no).await;
    assert_eq!(seen.refunded, format!("{}.00", 3 * held));
    assert_eq!(seen.refund_count, held);
    assert_eq!(pending_fen(&app), 1_000 - 300 * i64::from(held));
    app.assert_books_balance();
}

async fn the_gateway_refunds_once_per_refund_order_no(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let shop = Integrator::create(&app).await;
    let (notify_url, got) = receiver(0);
    let body = json!({"merchant_order_no": "SHOPR4", "subject": "茶叶", "amount": "20.00", "mode": "instant",
        "notify_url": notify_url})
    .to_string();
    let t: TradeView =
        ok_json(shop.send(&app, "POST", "/api/v1/gateway/trades", body.as_bytes()).await, 201).await;
    pay(&app, &t, "ICBC").await;
    wait_for_status(&app, &shop, &t.trade_no, "completed").await;
    wait_until("the payment notification", || count(&got) >= 1).await;

    let ask = |order_no: &str, amount: &str| {
        json!({"merchant_order_no": "SHOPR4", "refund_order_no": order_no, "amount": amount, "remark": "退货"})
            .to_string()
    };
    let first: RefundView = ok_json(
        shop.send(&app, "POST", "/api/v1/gateway/refunds", ask("RF001", "5.00").as_bytes()).await,
        201,
    )
    .await;
    assert_eq!(
        (first.trade_no.as_str(), first.status.as_str(), first.amount.as_str()),
        (t.trade_no.as_str(), "pending", "5.00")
    );
    assert_eq!(first.refund_order_no.as_deref(), Some("RF001"));
    // The same number answers the same refund, whatever else the request says.
    let again: RefundView = ok_json(
        shop.send(&app, "POST", "/api/v1/gateway/refunds", ask("RF001", "6.00").as_bytes()).await,
        200,
    )
    .await;
    assert_eq!(again.refund_no, first.refund_no);
    // Racing requests with one new number make one refund.
    let body = ask("RF002", "1.00");
    let racers = (0..6).map(|_| shop.send(&app, "POST", "/api/v1/gateway/refunds", body.as_bytes()));
    let mut numbers = std::collections::BTreeSet::new();
    let mut created = 0;
    for r in futures_util::future::join_all(racers).await {
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        assert!(status == 201 || status == 200, "{status} {text}");
        created += usize::from(status == 201);
        numbers.insert(serde_json::from_str::<RefundView>(&text).unwrap().refund_no);
    }
    assert_eq!((created, numbers.len()), (1, 1), "one refund for one refund order number");
    let seen = trade(&app, &shop, &t.trade_no).await;
    assert_eq!((seen.refunded.as_str(), seen.refund_count), ("6.00", 2));

    // Found by either number; an unknown one is 404.
    let found: RefundView =
        ok_json(shop.send(&app, "GET", "/api/v1/gateway/refunds?refund_order_no=RF001", b"").await, 200)
            .await;
    assert_eq!(found.refund_no, first.refund_no);
    let path = format!("/api/v1/gateway/refunds?refund_no={}", first.refund_no);
    let found: RefundView = ok_json(shop.send(&app, "GET", &path, b"").await, 200).await;
    assert_eq!(found.refund_order_no.as_deref(), Some("RF001"));
    let p: Problem =
        ok_json(shop.send(&app, "GET", "/api/v1/gateway/refunds?refund_order_no=NOPE", b"").await, 404).await;
    assert_eq!(p.code, "refund_not_found");

    // Approved and returned by the bank: a signed refund_succeeded notification;
    // the other, rejected: refund_failed.
    let auditor = app.login(PAYER, "auditor", PW).await;
    review(&app, &auditor, first.application_id, "approve").await;
    let second: RefundView =
        ok_json(shop.send(&app, "GET", "/api/v1/gateway/refunds?refund_order_no=RF002", b"").await, 200)
            .await;
    review(&app, &auditor, second.application_id, "reject").await;
    bank_answers(&app).await;
    run(&app, "/sandbox/notifications/run?minutes=1").await;
    wait_until("the refund notifications", || count(&got) >= 3).await;
    let list = got.lock().unwrap().clone();
    let events: Vec<(String, String, String)> = list[1..]
        .iter()
        .map(|(_, _, _, body)| {
            let v: Value = serde_json::from_str(body).unwrap();
            (
                v["type"].as_str().unwrap().to_owned(),
                v["data"]["refund_no"].as_str().unwrap().to_owned(),
                v["data"]["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        events.contains(&("refund_succeeded".into(), first.refund_no.clone(), "succeeded".into())),
        "{events:?}"
    );
    assert!(
        events.contains(&("refund_failed".into(), second.refund_no.clone(), "rejected".into())),
        "{events:?}"
    );
    let seen = trade(&app, &shop, &t.trade_no).await;
    assert_eq!((seen.refunded.as_str(), seen.refund_count), ("5.00", 2));
    app.assert_books_balance();
}

fn backdate(app: &TestApp, trade_no: &str, days: i64) {
    app.db
        .store()
        .write(|c| -> Result<usize, paydesk_store::StoreError> {
            use diesel::RunQueryDsl;
            let back = match c {
                paydesk_store::DbConn::Pg(_) => format!("created_at - INTERVAL '{days} days'"),
                paydesk_store::DbConn::Sqlite(_) => format!("datetime(created_at, '-{days} days')"),
            };
            let sql = format!("UPDATE trades SET created_at = {back} WHERE trade_no = '{trade_no}'");
            Ok(diesel::sql_query(sql).execute(c)?)
        })
        .unwrap();
}

async fn records(app: &TestApp, token: &str, query: &str) -> RecordPage {
    ok_json(app.get_with(&format!("/api/v1/records{query}"), token).await, 200).await
}

async fn records_find_every_kind_by_filter_and_export_equals_the_page(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "100.00").await;
    let shop = Integrator::create(&app).await;
    set_fee(&app, Product::AcquiringInstant, 60).await;
    let older = paid_trade(&app, &shop, "SHOPR7", "7.00").await;
    backdate(&app, &older.trade_no, 40);
    let paid = paid_trade(&app, &shop, "SHOPR5", "50.00").await;
    let body =
        json!({"merchant_order_no": "SHOPR6", "subject": "未付", "amount": "6.00", "mode": "guaranteed"})
            .to_string();
    let unpaid: TradeView =
        ok_json(shop.send(&app, "POST", "/api/v1/gateway/trades", body.as_bytes()).await, 201).await;
    let applicant = app.login(PAYER, "applicant", PW).await;
    let refund: Application =
        ok_json(apply(&app, &applicant, &paid.trade_no, json!({"amount": "10.00"})).await, 201).await;
    let transfer =
        json!({"lines": [{"payee": crate::common::PAYEE, "amount": "1.50"}], "payment_password": PAY_PW});
    let r = app
        .client
        .post(app.url("/api/v1/transfers"))
        .bearer_auth(&applicant)
        .json(&transfer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    // 网关交易 by default, the last 31 days, newest first.
    let page = records(&app, &applicant, "").await;
    assert_eq!((page.total, page.capped, page.per_page), (2, false, 20));
    let nos: Vec<&str> = page.items.iter().map(|r| r.trade_no.as_str()).collect();
    assert_eq!(nos, [unpaid.trade_no.as_str(), paid.trade_no.as_str()]);
    let row = &page.items[1];
    assert_eq!(
        (row.trade_type_zh.as_str(), row.amount.as_str(), row.fee.as_str(), row.refunded.as_deref()),
        ("即时到账收单交易", "50.00", "0.30", Some("10.00"))
    );
    assert_eq!((row.status_zh.as_str(), row.refundable), ("交易成功", true));
    assert!(!page.items[0].refundable, "an unpaid trade has nothing to refund");
    // Each filter, and the keyword by either number.
    assert_eq!(records(&app, &applicant, "?status=pending").await.items[0].trade_no, unpaid.trade_no);
    assert_eq!(records(&app, &applicant, "?trade_type=guaranteed").await.total, 1);
    assert_eq!(records(&app, &applicant, "?trade_type=instant&status=completed").await.total, 1);
    assert_eq!(records(&app, &applicant, "?q=SHOPR5").await.items[0].trade_no, paid.trade_no);
    assert_eq!(records(&app, &applicant, &format!("?q={}", paid.trade_no)).await.total, 1);
    assert_eq!(records(&app, &applicant, "?q=SHOPR").await.total, 0, "exact, not a prefix");
    // Beyond the default window, found by its own range.
    let day = |days: i64| (chrono::Utc::now() - chrono::Duration::days(days)).format("%Y-%m-%d").to_string();
    let old = records(&app, &applicant, &format!("?from={}&to={}", day(45), day(30))).await;
    assert_eq!(old.items.iter().map(|r| r.trade_no.as_str()).collect::<Vec<_>>(), [older.trade_no.as_str()]);
    // The other query types.
    let refunds = records(&app, &applicant, "?type=refund").await;
    assert_eq!(refunds.total, 1);
    let r = &refunds.items[0];
    assert_eq!(
        (r.trade_no.as_str(), r.counterparty.as_str()),
        (refund.lines[0].trade_no.as_str(), paid.trade_no.as_str())
    );
    assert_eq!((r.amount.as_str(), r.fee.as_str(), r.status_zh.as_str()), ("10.00", "0.06", "待审核"));
    let transfers = records(&app, &applicant, "?type=transfer&trade_type=platform_account").await;
    assert_eq!((transfers.total, transfers.items[0].amount.as_str()), (1, "1.50"));
    assert_eq!(records(&app, &applicant, "?type=transfer&trade_type=bank_account").await.total, 0);
    for kind in ["recharge", "withdrawal", "payroll", "bounce"] {
        assert_eq!(records(&app, &applicant, &format!("?type={kind}")).await.total, 0, "{kind}");
    }
    // Bad filters: every problem at once, nothing found.
    let p: Problem = ok_json(
        app.get_with("/api/v1/records?type=refund&status=settled&trade_type=fast", &applicant).await,
        422,
    )
    .await;
    let codes: Vec<&str> = p.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["trade_type_invalid", "status_invalid"]);
    let p: Problem = ok_json(
        app.get_with(&format!("/api/v1/records?from={}&to={}", day(40), day(0)), &applicant).await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "range_too_long");

    // 导出下载 equals the page.
    let r = app.get_with("/api/v1/records/export?trade_type=all", &applicant).await;
    assert_eq!(r.status(), 200);
    let grid = paydesk_documents::batch::read_grid(&r.bytes().await.unwrap()).unwrap();
    let rows: Vec<&Vec<String>> =
        grid.iter().skip(4).filter(|row| row.len() > 1 && !row[1].is_empty()).collect();
    assert_eq!(rows.len(), page.items.len());
    for (row, item) in rows.iter().zip(&page.items) {
        assert_eq!(
            (row[1].as_str(), row[3].as_str(), row[7].as_str()),
            (item.trade_no.as_str(), item.trade_type_zh.as_str(), item.status_zh.as_str())
        );
        assert_eq!(row[4].parse::<f64>().unwrap(), item.amount.parse::<f64>().unwrap());
    }
    // The auditor sees the records too; a role without 交易记录 doesn't.
    let auditor = app.login(PAYER, "auditor", PW).await;
    assert_eq!(records(&app, &auditor, "").await.total, 2);
}

async fn check_refund_file(
    app: &TestApp,
    token: &str,
    rows: &[&[&str]],
    batch_no: &str,
) -> paydesk_api_types::BatchCheck {
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let bytes =
        paydesk_documents::batch::filled_xlsx(paydesk_domain::batch::BatchKind::Refund, batch_no, &rows)
            .unwrap();
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name("退款.xlsx".to_owned()));
    let r = app
        .client
        .post(app.url("/api/v1/batches/checks?kind=refund"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    ok_json(r, 200).await
}

async fn a_batch_refund_is_checked_approved_and_returned(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let shop = Integrator::create(&app).await;
    set_fee(&app, Product::AcquiringInstant, 60).await;
    let a = paid_trade(&app, &shop, "SHOPR8", "20.00").await;
    let b = paid_trade(&app, &shop, "SHOPR9", "10.00").await;
    let applicant = app.login(PAYER, "applicant", PW).await;
    let auditor = app.login(PAYER, "auditor", PW).await;

    // Problems are reported where they are, and nothing is created.
    let bad = check_refund_file(
        &app,
        &applicant,
        &[&["SHOPR8", "R81", "25.00", ""], &["NOPE", "R82", "1.00", ""], &["SHOPR9", "R81", "1.00", ""]],
        "RB001",
    )
    .await;
    let found: Vec<(u32, &str)> = bad.problems.iter().map(|p| (p.row, p.code.as_str())).collect();
    assert_eq!(found, [(4, "amount_over_refundable"), (5, "trade_not_found"), (6, "order_no_repeated")]);
    assert!(bad.file_id.is_none());

    // Two rows of one trade share its fee on a running total; the batch waits for review.
    let ok = check_refund_file(
        &app,
        &applicant,
        &[
            &["SHOPR8", "R81", "5.00", "缺货"],
            &["SHOPR8", "R82", "15.00", ""],
            &["SHOPR9", "R91", "10.00", ""],
        ],
        "RB002",
    )
    .await;
    assert!(ok.problems.is_empty(), "{:?}", ok.problems);
    assert_eq!(
        (ok.line_count, ok.total_amount.as_str(), ok.total_fee.as_str(), ok.total.as_str()),
        (3, "30.00", "0.18", "30.00")
    );
    let fees: Vec<&str> = ok.lines.iter().map(|l| l.fee.as_str()).collect();
    assert_eq!(fees, ["0.03", "0.09", "0.06"]);
    assert_eq!(ok.original_fee.as_deref(), Some("0.18"), "原始订单服务费: each trade's fee once");
    assert_eq!(ok.lines[0].payee_account, a.trade_no);
    let body = json!({"kind": "refund", "file_id": ok.file_id, "payment_password": PAY_PW});
    let r =
        app.client.post(app.url("/api/v1/batches")).bearer_auth(&applicant).json(&body).send().await.unwrap();
    let batch: Application = ok_json(r, 201).await;
    assert_eq!(
        (batch.kind.as_str(), batch.status.as_str(), batch.line_count),
        ("batch_refund", "pending_review", 3)
    );
    assert_eq!(pending_fen(&app), 0, "every refund held out of pending settlement");
    assert_eq!(trade(&app, &shop, &a.trade_no).await.refund_count, 2);

    review(&app, &auditor, batch.id, "approve").await;
    bank_answers(&app).await;
    let done: Application =
        ok_json(app.get_with(&format!("/api/v1/applications/{}", batch.id), &applicant).await, 200).await;
    assert_eq!(done.status, "succeeded");
    for t in [&a, &b] {
        let refunds = refunds_of(&app, &applicant, &t.trade_no).await;
        assert!(refunds.iter().all(|r| r.status == "succeeded" && r.batch_no.as_deref() == Some("RB002")));
    }
    let batches = records(&app, &applicant, "?type=refund&trade_type=batch_refund").await;
    assert_eq!(batches.total, 3);
    // Settlement finds nothing left of either trade.
    let before = available_fen(&app.db.store(), 1);
    run(&app, "/sandbox/settlement/run?hours=25").await;
    assert_eq!((pending_fen(&app), available_fen(&app.db.store(), 1)), (0, before));
    app.assert_books_balance();
}
