//! Gateway trades end to end on both backends (issue 12): a signed trade,
//! idempotent by merchant order number; paid by a buyer in the cashier through
//! the sandbox bank; its money in pending settlement, then settled T+1 net of
//! the fee; a guaranteed trade held until receipt is confirmed; closing and
//! expiry; and its notifications — signed, one event id across retries, a
//! receiver that fails three times getting it four times, and the delivery log.

use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use paydesk_api_types::{CollectionAlert, EventPage, PlatformPublicKey, Problem, QrCodeView, TradeView};
use paydesk_domain::fees::Product;
use paydesk_domain::gateway::{canonical, EVENT_ID_HEADER, RESPONSE_HEADER};
use paydesk_domain::Money;
use paydesk_server::gateway_keys::PublicKey;
use paydesk_store::testing::TestDb;
use serde_json::json;

use crate::common::{available_fen, ok_json, Integrator, TestApp, PAYEE, PAYER, PAY_PW, PW};

on_both_backends_async!(
    a_trade_is_paid_notified_and_settled,
    two_servers_share_the_jobs,
    a_qr_code_collects_and_the_portal_hears_of_it,
    racing_requests_make_one_trade_and_each_nonce_is_spent,
    dropped_database_connections_are_replaced
);

/// What a receiver got: (event id header, signature header, path, body).
pub(crate) type Received = Arc<Mutex<Vec<(String, String, String, String)>>>;

/// A merchant's notification receiver on a port of its own that answers 500
/// to its first `failures` requests, then 200.
pub(crate) fn receiver(failures: usize) -> (String, Received) {
    let got: Received = Arc::default();
    let seen = got.clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = HttpServer::new(move || {
        let seen = seen.clone();
        App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
            let seen = seen.clone();
            async move {
                let header = |name: &str| {
                    req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
                };
                let mut list = seen.lock().unwrap();
                let path = req.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
                list.push((
                    header(EVENT_ID_HEADER),
                    header(RESPONSE_HEADER),
                    path,
                    String::from_utf8_lossy(&body).into_owned(),
                ));
                if list.len() <= failures {
                    HttpResponse::InternalServerError().body("busy, try later")
                } else {
                    HttpResponse::Ok().body("success")
                }
            }
        }))
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    actix_web::rt::spawn(server);
    (format!("http://127.0.0.1:{port}/paydesk/notify?shop=1"), got)
}

pub(crate) fn count(got: &Received) -> usize {
    got.lock().unwrap().len()
}

pub(crate) async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..100 {
        if done() {
            return;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

pub(crate) async fn trade(app: &TestApp, who: &Integrator, trade_no: &str) -> TradeView {
    ok_json(who.send(app, "GET", &format!("/api/v1/gateway/trades/{trade_no}"), b"").await, 200).await
}

/// The cashier's form: the buyer picks a bank.
async fn choose_bank(app: &TestApp, t: &TradeView, bank: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/pay", t.cashier_url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("bank={bank}"))
        .send()
        .await
        .unwrap()
}

/// The buyer pays in the cashier: picks a bank, pays at the bank's page, and
/// comes back to the result page.
pub(crate) async fn pay(app: &TestApp, t: &TradeView, bank: &str) {
    let page = app.client.get(&t.cashier_url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("付款贸易有限公司") && html.contains(&t.amount) && html.contains(&t.subject),
        "{html}"
    );
    let chosen = choose_bank(app, t, bank).await;
    assert_eq!(chosen.status(), 303);
    let bank_page = chosen.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(bank_page, format!("/sandbox/bank/pay/{}?bank={bank}", t.trade_no));
    assert!(app.get(&bank_page).await.text().await.unwrap().contains("确认付款"));
    let (path, query) = bank_page.split_once('?').unwrap();
    let paid = app.client.post(app.url(&format!("{path}/pay?{query}"))).send().await.unwrap();
    assert_eq!(paid.status(), 303);
    assert_eq!(paid.headers()["location"], format!("/cashier/{}/result", t.trade_no).as_str());
}

pub(crate) async fn wait_for_status(
    app: &TestApp,
    who: &Integrator,
    trade_no: &str,
    status: &str,
) -> TradeView {
    for _ in 0..100 {
        let t = trade(app, who, trade_no).await;
        if t.status == status {
            return t;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("trade {trade_no} never became {status}");
}

pub(crate) fn pending_fen(app: &TestApp) -> i64 {
    app.db
        .store()
        .read(|c| -> Result<i64, paydesk_store::StoreError> {
            let a =
                paydesk_store::ledger::find_account(c, "merchant:1:merchant_pending_settlement")?.unwrap();
            paydesk_store::ledger::balance(c, a.id)
        })
        .unwrap()
}

pub(crate) async fn run(app: &TestApp, path: &str) -> serde_json::Value {
    ok_json(app.client.post(app.url(path)).send().await.unwrap(), 200).await
}

/// Staff set the merchant's fee rate for `product` in /ops.
pub(crate) async fn set_fee(app: &TestApp, product: Product, rate_bp: u32) {
    let staff = app.staff_token().await;
    let path = format!("/api/v1/ops/merchants/1/fees/{}", product.as_str());
    let body = json!({"fixed": "0.00", "rate_bp": rate_bp, "min": "0.00"});
    let r = app.client.put(app.url(&path)).bearer_auth(staff).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

async fn a_trade_is_paid_notified_and_settled(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let shop = Integrator::create(&app).await;
    set_fee(&app, Product::AcquiringInstant, 60).await;
    let (notify_url, got) = receiver(3);

    // Created, and the same order number answers the same trade.
    let body = json!({"merchant_order_no": "SHOP001", "subject": "咖啡豆 1kg", "amount": "88.00",
        "mode": "instant", "notify_url": notify_url, "return_url": "http://127.0.0.1:9/back"})
    .to_string();
    let t: TradeView =
        ok_json(shop.send(&app, "POST", "/api/v1/gateway/trades", body.as_bytes()).await, 201).await;
    assert_eq!((t.status.as_str(), t.status_zh.as_str(), t.fee.as_str()), ("pending", "待支付", "0.53"));
    assert_eq!(t.trade_no.len(), 21);
    let again: TradeView =
        ok_json(shop.send(&app, "POST", "/api/v1/gateway/trades", body.as_bytes()).await, 200).await;
    assert_eq!(again.trade_no, t.trade_no);
    let other = body.replace("88.00", "89.00");
    let p: Problem =
        ok_json(shop.send(&app, "POST", "/api/v1/gateway/trades", other.as_bytes()).await, 409).await;
    assert_eq!(p.code, "merchant_order_no_taken");
    let bad = json!({"merchant_order_no": "X-1", "subject": "", "amount": "0", "mode": "later"}).to_string();
    let p: Problem =
        ok_json(shop.send(&app, "POST", "/api/v1/gateway/trades", bad.as_bytes()).await, 422).await;
    let fields: Vec<&str> = p.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["merchant_order_no", "subject", "amount", "mode"]);
    let by_order: TradeView =
        ok_json(shop.send(&app, "GET", "/api/v1/gateway/trades?merchant_order_no=SHOP001", b"").await, 200)
            .await;
    assert_eq!(by_order.trade_no, t.trade_no);
    // The answer is signed by the platform.
    let r = shop.send(&app, "GET", &format!("/api/v1/gateway/trades/{}", t.trade_no), b"").await;
    assert!(r.headers().contains_key("paydesk-signature"));

    // The buyer pays; the money waits in pending settlement.
    pay(&app, &t, "ICBC").await;
    let paid = wait_for_status(&app, &shop, &t.trade_no, "completed").await;
    assert!(paid.paid_at.is_some() && paid.settle_after.is_some());
    assert_eq!((pending_fen(&app), available_fen(&app.db.store(), 1)), (8_800, 100));
    let result = app.get(&format!("/cashier/{}/result", t.trade_no)).await.text().await.unwrap();
    assert!(result.contains("支付成功") && result.contains("http://127.0.0.1:9/back?trade_no="), "{result}");

    // The notification: refused three times, retried on the back-off, acknowledged the fourth time.
    wait_until("the first attempt", || count(&got) >= 1).await;
    for minutes in [1, 2, 3] {
        run(&app, &format!("/sandbox/notifications/run?minutes={minutes}")).await;
    }
    wait_until("the fourth attempt", || count(&got) >= 4).await;
    let admin = app.login(PAYER, PAYER, PW).await;
    let platform: PlatformPublicKey = ok_json(
        app.client
            .post(app.url("/api/v1/gateway-key"))
            .bearer_auth(&admin)
            .json(&json!({"payment_password": PAY_PW}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let platform = PublicKey::from_pem(&platform.public_key).unwrap();
    {
        let list = got.lock().unwrap();
        assert_eq!(list.len(), 4, "no fifth attempt after the acknowledgement");
        let event_id = &list[0].0;
        assert!(event_id.starts_with("evt_"));
        for (id, signature, path, body) in list.iter() {
            assert_eq!(id, event_id, "one event id across retries");
            assert_eq!(path, "/paydesk/notify?shop=1");
            let v: serde_json::Value = serde_json::from_str(body).unwrap();
            assert_eq!(
                (v["event_id"].as_str(), v["type"].as_str()),
                (Some(event_id.as_str()), Some("trade_paid"))
            );
            assert_eq!(v["data"]["trade_no"], t.trade_no.as_str());
            let parts: std::collections::HashMap<&str, &str> =
                signature.split(',').filter_map(|p| p.split_once('=')).collect();
            let sig = signature.split_once("signature=").unwrap().1;
            let message =
                canonical("POST", path, parts["timestamp"].parse().unwrap(), parts["nonce"], body.as_bytes());
            assert!(platform.verify(&message, sig), "signed by the platform");
        }
    }
    let log: EventPage = ok_json(app.get_with("/api/v1/notifications", &admin).await, 200).await;
    assert_eq!(log.total, 1);
    let e = &log.items[0];
    assert!(e.delivered_at.is_some() && e.next_attempt_at.is_none());
    let statuses: Vec<Option<i32>> = e.deliveries.iter().map(|d| d.status).collect();
    assert_eq!(statuses, [Some(500), Some(500), Some(500), Some(200)]);
    assert_eq!(e.deliveries[0].excerpt, "busy, try later");
    let undelivered: EventPage =
        ok_json(shop.send(&app, "GET", "/api/v1/gateway/events?undelivered=true", b"").await, 200).await;
    assert_eq!(undelivered.total, 0);

    // Nothing settles the same day; T+1 settles it net of the fee, once.
    let r = run(&app, "/sandbox/settlement/run?hours=0").await;
    assert_eq!(r["settled"], 0);
    let r = run(&app, "/sandbox/settlement/run?hours=25").await;
    assert_eq!(r["settled"], 1);
    assert_eq!(run(&app, "/sandbox/settlement/run?hours=25").await["settled"], 0);
    let settled = trade(&app, &shop, &t.trade_no).await;
    assert_eq!((settled.status.as_str(), settled.status_zh.as_str()), ("settled", "结算成功"));
    assert_eq!((pending_fen(&app), available_fen(&app.db.store(), 1)), (0, 100 + 8_800 - 53));
    wait_until("the settlement notification", || count(&got) >= 5).await;
    assert!(got.lock().unwrap()[4].3.contains("\"trade_settled\""));

    // A guaranteed trade is held until receipt is confirmed.
    let body =
        json!({"merchant_order_no": "SHOP002", "subject": "书", "amount": "10.00", "mode": "guaranteed"})
            .to_string();
    let g: TradeView =
        ok_json(shop.send(&app, "POST", "/api/v1/gateway/trades", body.as_bytes()).await, 201).await;
    pay(&app, &g, "CCB").await;
    wait_for_status(&app, &shop, &g.trade_no, "paid").await;
    assert_eq!(pending_fen(&app), 1_000);
    assert_eq!(
        run(&app, "/sandbox/settlement/run?hours=48").await["settled"],
        0,
        "held money doesn't settle"
    );
    let shipped: TradeView = ok_json(
        shop.send(&app, "POST", &format!("/api/v1/gateway/trades/{}/ship", g.trade_no), b"").await,
        200,
    )
    .await;
    assert!(shipped.auto_confirm_at.is_some());
    let confirmed: TradeView = ok_json(
        shop.send(&app, "POST", &format!("/api/v1/gateway/trades/{}/confirm-receipt", g.trade_no), b"").await,
        200,
    )
    .await;
    assert_eq!(confirmed.status, "completed");
    let p: Problem = ok_json(
        shop.send(&app, "POST", &format!("/api/v1/gateway/trades/{}/confirm-receipt", g.trade_no), b"").await,
        409,
    )
    .await;
    assert_eq!(p.code, "trade_state");
    assert_eq!(run(&app, "/sandbox/settlement/run?hours=25").await["settled"], 1);
    assert_eq!((pending_fen(&app), available_fen(&app.db.store(), 1)), (0, 100 + 8_747 + 1_000));

    // Closing an unpaid trade; expiry closes another; neither can be paid.
    let body = json!({"merchant_order_no": "SHOP003", "subject": "茶", "amount": "5.00", "mode": "instant"})
        .to_string();
    let c: TradeView =
        ok_json(shop.send(&app, "POST", "/api/v1/gateway/trades", body.as_bytes()).await, 201).await;
    let closed: TradeView = ok_json(
        shop.send(&app, "POST", &format!("/api/v1/gateway/trades/{}/close", c.trade_no), b"").await,
        200,
    )
    .await;
    assert_eq!(closed.status, "closed");
    let p: Problem = ok_json(
        shop.send(&app, "POST", &format!("/api/v1/gateway/trades/{}/close", c.trade_no), b"").await,
        409,
    )
    .await;
    assert_eq!(p.code, "trade_state");
    let r = choose_bank(&app, &c, "ICBC").await;
    assert_eq!(r.status(), 409);
    let body = json!({"merchant_order_no": "SHOP004", "subject": "茶", "amount": "5.00", "mode": "instant",
        "expire_minutes": 1})
    .to_string();
    let x: TradeView =
        ok_json(shop.send(&app, "POST", "/api/v1/gateway/trades", body.as_bytes()).await, 201).await;
    assert_eq!(run(&app, "/sandbox/settlement/run?hours=1").await["closed"], 1);
    assert_eq!(trade(&app, &shop, &x.trade_no).await.status, "closed");

    // The books reconcile.
    let gaps = app.db.store().read(paydesk_store::ledger::reconcile_all).unwrap();
    assert!(gaps.is_empty(), "{gaps:?}");
    let _ = Money::ZERO;
}

/// Two servers on one database share the jobs: each notification is attempted
/// once at a time and each trade settles once.
async fn racing_requests_make_one_trade_and_each_nonce_is_spent(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let shop = Integrator::create(&app).await;
    let body =
        json!({"merchant_order_no": "RACE1", "subject": "同时下单", "amount": "9.90", "mode": "instant"})
            .to_string();
    let answers = futures_util::future::join_all(
        (0..8).map(|_| shop.send(&app, "POST", "/api/v1/gateway/trades", body.as_bytes())),
    )
    .await;
    let mut created = 0;
    let mut numbers = std::collections::BTreeSet::new();
    for answer in answers {
        let status = answer.status().as_u16();
        let text = answer.text().await.unwrap();
        assert!(status == 201 || status == 200, "{status} {text}");
        created += usize::from(status == 201);
        numbers.insert(serde_json::from_str::<TradeView>(&text).unwrap().trade_no);
    }
    assert_eq!((created, numbers.len()), (1, 1), "{numbers:?}");

    // A refused request spends its nonce too: sent again as it was, it is a replay.
    let refused =
        json!({"merchant_order_no": "LATER1", "subject": "担保", "amount": "1.00", "mode": "later"})
            .to_string();
    let path = "/api/v1/gateway/trades";
    let first = shop.send_with_nonce(&app, "POST", path, refused.as_bytes(), "replay-000000001").await;
    assert_eq!(first.status(), 422);
    let again = shop.send_with_nonce(&app, "POST", path, refused.as_bytes(), "replay-000000001").await;
    let p: Problem = ok_json(again, 401).await;
    assert_eq!(p.code, "nonce_reused");
    // And one that succeeded.
    let made = shop.send_with_nonce(&app, "POST", path, body.as_bytes(), "replay-000000002").await;
    assert_eq!(made.status(), 200);
    let again = shop.send_with_nonce(&app, "POST", path, body.as_bytes(), "replay-000000002").await;
    assert_eq!(ok_json::<Problem>(again, 401).await.code, "nonce_reused");
}

/// PostgreSQL ends every connection the server holds (a failover, a restart,
/// an administrator): the next requests get fresh connections and succeed.
async fn dropped_database_connections_are_replaced(db: TestDb) {
    if db.backend() != paydesk_store::Backend::Postgres {
        return; // an SQLite file has no server to drop the connection
    }
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let shop = Integrator::create(&app).await;
    let trade = |n: u32| {
        json!({"merchant_order_no": format!("DROP{n}"), "subject": "断线", "amount": "1.00", "mode": "instant"}).to_string()
    };
    assert_eq!(shop.send(&app, "POST", "/api/v1/gateway/trades", trade(0).as_bytes()).await.status(), 201);
    #[derive(diesel::QueryableByName)]
    struct Ended {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    // Ends every other connection to the database: the server's pool holds
    // only closed ones.
    let drop_all = || {
        let ended: Vec<Ended> = app
            .db
            .store()
            .read(|c| {
                diesel::RunQueryDsl::load(
                    diesel::sql_query(
                        "SELECT COUNT(pg_terminate_backend(pid)) AS n FROM pg_stat_activity \
                         WHERE datname = current_database() AND pid <> pg_backend_pid()",
                    ),
                    c,
                )
                .map_err(paydesk_store::StoreError::from)
            })
            .unwrap();
        assert!(ended[0].n >= 1, "the server held no connection");
    };
    drop_all();
    for n in 1..=5 {
        let answer = shop.send(&app, "POST", "/api/v1/gateway/trades", trade(n).as_bytes()).await;
        assert_eq!(answer.status(), 201, "request {n} after the drop");
    }
    // A signed transfer checks its signature outside the pipeline's
    // transaction (`Store::autocommit`): it too meets a closed connection.
    drop_all();
    let transfer = json!({"lines": [{"payee": PAYEE, "amount": "0.10"}]}).to_string();
    assert_eq!(shop.send(&app, "POST", "/api/v1/gateway/transfers", transfer.as_bytes()).await.status(), 201);
    let refused = shop.send(&app, "POST", "/api/v1/gateway/transfers", b"{").await;
    assert_eq!(refused.status(), 400, "a bad body is still refused after a drop");
}

async fn two_servers_share_the_jobs(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let second = app.another_server();
    let shop = Integrator::create(&app).await;
    let (notify_url, got) = receiver(0);
    let mut trades = Vec::new();
    for i in 0..20 {
        let body = json!({"merchant_order_no": format!("TWO{i:03}"), "subject": "票", "amount": "1.00",
            "mode": "instant", "notify_url": notify_url})
        .to_string();
        let t: TradeView =
            ok_json(shop.send(&app, "POST", "/api/v1/gateway/trades", body.as_bytes()).await, 201).await;
        pay(&app, &t, "ICBC").await;
        trades.push(t);
    }
    for t in &trades {
        wait_for_status(&app, &shop, &t.trade_no, "completed").await;
    }
    wait_until("20 paid notifications", || count(&got) >= 20).await;
    // Both servers settle at once, as two processes' jobs would.
    let (a, b) = futures_util::join!(
        app.client.post(app.url("/sandbox/settlement/run?hours=25")).send(),
        app.client.post(format!("{second}/sandbox/settlement/run?hours=25")).send(),
    );
    let settled = |r: serde_json::Value| r["settled"].as_u64().unwrap();
    let total = settled(a.unwrap().json().await.unwrap()) + settled(b.unwrap().json().await.unwrap());
    assert_eq!(total, 20, "each trade settled once");
    assert_eq!((pending_fen(&app), available_fen(&app.db.store(), 1)), (0, 100 + 2_000));
    wait_until("20 settlement notifications", || count(&got) >= 40).await;
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1_500)).await;
    let list = got.lock().unwrap();
    let mut ids: Vec<&str> = list.iter().map(|r| r.0.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!((list.len(), ids.len()), (40, 40), "every event delivered exactly once");
    let gaps = app.db.store().read(paydesk_store::ledger::reconcile_all).unwrap();
    assert!(gaps.is_empty(), "{gaps:?}");
}

/// 二维码收款 and 收款提醒: an open-amount code's page takes the buyer's amount,
/// the payment is a trade paid in the cashier, the portal's stream announces it
/// with today's total, and a stopped code takes nothing.
async fn a_qr_code_collects_and_the_portal_hears_of_it(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let shop = Integrator::create(&app).await;
    let admin = app.login(PAYER, PAYER, PW).await;
    let post = |path: &str, body: serde_json::Value| {
        app.client.post(app.url(path)).bearer_auth(&admin).json(&body).send()
    };
    let p: Problem =
        ok_json(post("/api/v1/qr-codes", json!({"name": "", "amount": "x"})).await.unwrap(), 422).await;
    assert_eq!(p.errors.len(), 2);
    let open: QrCodeView =
        ok_json(post("/api/v1/qr-codes", json!({"name": "门店收款"})).await.unwrap(), 201).await;
    let fixed: QrCodeView =
        ok_json(post("/api/v1/qr-codes", json!({"name": "咖啡", "amount": "18.00"})).await.unwrap(), 201)
            .await;
    assert_eq!((open.amount.as_deref(), fixed.amount.as_deref()), (None, Some("18.00")));
    let poster = app.get_with(&format!("/api/v1/qr-codes/{}/poster.svg", fixed.id), &admin).await;
    assert_eq!(poster.headers()["content-type"], "image/svg+xml; charset=utf-8");
    let svg = poster.text().await.unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("付款贸易有限公司") && svg.contains("¥ 18.00"));

    // The portal listens for payments.
    let stream = app.get_with("/api/v1/collections/stream", &admin).await;
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let heard: Arc<Mutex<String>> = Arc::default();
    let sink = heard.clone();
    actix_web::rt::spawn(async move {
        let mut stream = stream;
        while let Ok(Some(chunk)) = stream.chunk().await {
            sink.lock().unwrap().push_str(&String::from_utf8_lossy(&chunk));
        }
    });
    wait_until("the stream to open", || heard.lock().unwrap().contains(": connected")).await;

    // The buyer opens the code's page, types an amount, and pays in the cashier.
    let path = open.url.trim_start_matches(&app.base).to_owned();
    let html = app.get(&path).await.text().await.unwrap();
    assert!(html.contains("付款贸易有限公司") && html.contains("name=\"amount\""));
    let typed = |amount: &str| {
        app.client
            .post(app.url(&path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("amount={amount}"))
            .send()
    };
    let wrong = typed("12.345").await.unwrap();
    assert_eq!(wrong.status(), 422);
    assert!(wrong.text().await.unwrap().contains("金额不正确"));
    let started = typed("12.34").await.unwrap();
    assert_eq!(started.status(), 303);
    let cashier = started.headers()["location"].to_str().unwrap().to_owned();
    let trade_no = cashier.trim_start_matches("/cashier/").to_owned();
    let t = TradeView { cashier_url: app.url(&cashier), ..stored_trade(&app, &trade_no).await };
    assert_eq!((t.amount.as_str(), t.subject.as_str()), ("12.34", "门店收款"));
    pay(&app, &t, "ABC").await;
    wait_until("the payment alert", || heard.lock().unwrap().contains("event: payment")).await;
    let text = heard.lock().unwrap().clone();
    let data = text.lines().find_map(|l| l.strip_prefix("data: ")).unwrap();
    let alert: CollectionAlert = serde_json::from_str(data).unwrap();
    assert_eq!((alert.trade_no.as_str(), alert.amount.as_str()), (trade_no.as_str(), "12.34"));
    assert_eq!((alert.today_count, alert.today_total.as_str()), (1, "12.34"));
    let codes: Vec<QrCodeView> = ok_json(app.get_with("/api/v1/qr-codes", &admin).await, 200).await;
    let took = codes.iter().find(|c| c.id == open.id).unwrap();
    assert_eq!((took.paid_count, took.paid_total.as_str()), (1, "12.34"));
    // It settles like any trade; the integrator sees it too.
    assert_eq!(run(&app, "/sandbox/settlement/run?hours=25").await["settled"], 1);
    assert_eq!(trade(&app, &shop, &trade_no).await.status, "settled");

    // A stopped code takes nothing.
    let stopped: QrCodeView =
        ok_json(post(&format!("/api/v1/qr-codes/{}/disable", open.id), json!({})).await.unwrap(), 200).await;
    assert!(!stopped.active);
    assert!(app.get(&path).await.text().await.unwrap().contains("已停用"));
    assert_eq!(typed("1.00").await.unwrap().status(), 404);
}

/// The trade a QR payment made, read from the database (it has no API client).
async fn stored_trade(app: &TestApp, trade_no: &str) -> TradeView {
    let t = app.db.store().read(|c| paydesk_store::trades::by_trade_no(c, trade_no)).unwrap().unwrap();
    paydesk_server::views::trade(&t, &app.base)
}
