//! Transfers to platform accounts (manual §3.4.2.1–2) over HTTP, on both backends.

use crate::common::{ok_json, TestApp, PAYEE, PAYER, PAY_PW, PW};
use paydesk_api_types::{Application, FundsOverview, Home, Page, Problem, SmsCodeSent, StatementLine};
use paydesk_domain::states::KybStatus;
use paydesk_store::db::count_rows;
use paydesk_store::testing::TestDb;
use paydesk_store::{identity, StoreError};
use serde_json::{json, Value};

on_both_backends_async!(
    the_admin_completes_a_transfer_at_once,
    an_applicants_transfer_waits_with_the_money_held,
    every_refusal_changes_nothing,
    idempotency_keys_replay_or_refuse,
    a_hundred_concurrent_transfers_never_overdraw,
    merchant_order_numbers_are_unique_per_merchant,
    a_corrected_payment_password_goes_through_under_the_same_key,
    an_answer_lost_with_the_connection_is_replayed_not_paid_again,
    identical_requests_at_once_pay_once,
);

async fn setup(db: TestDb, funds: &str) -> TestApp {
    crate::common::payer_and_payee(db, funds).await
}

async fn sms_code(app: &TestApp, token: &str, phone: &str) -> String {
    let sent: SmsCodeSent = ok_json(
        app.client
            .post(app.url("/api/v1/sms-codes"))
            .bearer_auth(token)
            .json(&json!({"purpose": "fund_operation"}))
            .send()
            .await
            .unwrap(),
        202,
    )
    .await;
    assert_eq!(sent.phone, format!("{}****{}", &phone[..3], &phone[7..]));
    let text = app.outbox(phone).await[0].body.clone();
    text.chars().filter(char::is_ascii_digit).take(6).collect()
}

async fn transfer(app: &TestApp, token: &str, body: &Value, key: Option<&str>) -> reqwest::Response {
    let mut request = app.client.post(app.url("/api/v1/transfers")).bearer_auth(token).json(body);
    if let Some(k) = key {
        request = request.header("Idempotency-Key", k);
    }
    request.send().await.unwrap()
}

fn one_line(amount: &str) -> Value {
    json!({"lines": [{"payee": PAYEE, "amount": amount, "remark": "劳务费"}], "remark": "测试", "payment_password": PAY_PW})
}

async fn balances(app: &TestApp, login: (&str, &str)) -> (String, String) {
    let token = app.login(login.0, login.1, PW).await;
    let home: Home = ok_json(app.get_with("/api/v1/home", &token).await, 200).await;
    (home.available, home.frozen)
}

async fn the_admin_completes_a_transfer_at_once(db: TestDb) {
    let app = setup(db, "1000.00").await;
    let token = app.login(PAYER, PAYER, PW).await;
    let p: Problem = ok_json(transfer(&app, &token, &one_line("100.00"), None).await, 422).await;
    assert_eq!(p.errors[0].code, "sms_code_required");
    let code = sms_code(&app, &token, "13800138000").await;
    let mut body = one_line("100.00");
    body["sms_code"] = json!(code);
    body["lines"][0]["notify_phone"] = json!("13512345678");
    let done: Application = ok_json(transfer(&app, &token, &body, None).await, 201).await;
    let notice = &app.outbox("13512345678").await[0];
    assert!(notice.body.contains("付款贸易有限公司") && notice.body.contains("100.00"), "{}", notice.body);
    assert_eq!(
        (done.status.as_str(), done.total.as_str(), done.total_fee.as_str()),
        ("succeeded", "100.00", "0.00")
    );
    assert_eq!(done.lines[0].payee_name, "收款科技有限公司");
    assert_eq!(balances(&app, (PAYER, PAYER)).await, ("900.00".into(), "0.00".into()));
    assert_eq!(balances(&app, (PAYEE, PAYEE)).await, ("100.00".into(), "0.00".into()));
    let payee_token = app.login(PAYEE, PAYEE, PW).await;
    let home: Home = ok_json(app.get_with("/api/v1/home", &payee_token).await, 200).await;
    assert_eq!(home.recent[0].income.as_deref(), Some("100.00"));
    assert!(home.recent[0].remark.contains("付款贸易有限公司"));
    // The code was used up.
    body["sms_code"] = json!(code);
    let p: Problem = ok_json(transfer(&app, &token, &body, None).await, 422).await;
    assert_eq!(p.errors[0].code, "sms_code_expired");
    let fetched: Application =
        ok_json(app.get_with(&format!("/api/v1/applications/{}", done.id), &token).await, 200).await;
    assert_eq!(fetched, done);

    // The statement shows every change of the available balance with the balance after it.
    let page: Page<StatementLine> = ok_json(app.get_with("/api/v1/statement", &token).await, 200).await;
    let seen: Vec<(Option<String>, Option<String>, String)> =
        page.items.iter().map(|l| (l.income.clone(), l.expense.clone(), l.balance_after.clone())).collect();
    assert_eq!(
        seen,
        vec![
            (None, Some("100.00".into()), "900.00".into()),
            (Some("1000.00".into()), None, "1000.00".into())
        ]
    );
    assert_eq!((page.total, page.per_page), (2, 20));
    let empty: Page<StatementLine> =
        ok_json(app.get_with("/api/v1/statement?from=2020-01-01&to=2020-01-31", &token).await, 200).await;
    assert_eq!(empty.total, 0);
    // The export holds the same rows.
    let file = app.get_with("/api/v1/statement/export", &token).await;
    assert_eq!(file.status(), 200);
    assert!(file.headers()["content-disposition"].to_str().unwrap().contains(".xlsx"));
    let bytes = file.bytes().await.unwrap().to_vec();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader;
    let sheet = book.worksheet_range("收支明细").unwrap();
    let cell = |r: u32, c: u32| match sheet.get_value((r, c)) {
        Some(calamine::Data::Float(f)) => format!("{f:.2}"),
        Some(calamine::Data::String(s)) => s.clone(),
        _ => String::new(),
    };
    for (i, line) in page.items.iter().enumerate() {
        let r = 4 + i as u32;
        assert_eq!(cell(r, 1), line.income.clone().unwrap_or_default());
        assert_eq!(cell(r, 2), line.expense.clone().unwrap_or_default());
        assert_eq!(cell(r, 3), line.balance_after);
        assert_eq!(cell(r, 4), line.remark);
    }
    assert_eq!(cell(4 + page.items.len() as u32, 1), "", "nothing after the last row");

    let overview: FundsOverview = ok_json(app.get_with("/api/v1/funds/overview", &token).await, 200).await;
    assert_eq!((overview.available.as_str(), overview.frozen.as_str()), ("900.00", "0.00"));
    assert_eq!(overview.trend.len(), 30);
    assert_eq!(overview.trend.last().unwrap().balance, "900.00", "today ends at the current balance");
    assert_eq!(overview.trend[0].balance, "0.00", "a month ago there was nothing");
    let p: Problem = ok_json(app.get_with("/api/v1/statement?from=2026-13-01", &token).await, 422).await;
    assert_eq!(p.errors[0].code, "date_invalid");
    let p: Problem =
        ok_json(app.get_with("/api/v1/statement?from=2026-02-01&to=2026-01-01", &token).await, 422).await;
    assert_eq!(p.errors[0].code, "range_invalid");
    app.assert_books_balance();
}

async fn an_applicants_transfer_waits_with_the_money_held(db: TestDb) {
    let app = setup(db, "1000.00").await;
    let token = app.login(PAYER, "applicant", PW).await;
    let body = json!({"lines": [
        {"payee": PAYEE, "amount": "100.00"}, {"payee": PAYEE, "amount": "0.50", "notify_phone": "13512345678"}
    ], "payment_password": PAY_PW});
    let app_view: Application = ok_json(transfer(&app, &token, &body, None).await, 201).await;
    assert_eq!(
        (app_view.status.as_str(), app_view.line_count, app_view.total.as_str()),
        ("pending_review", 2, "100.50")
    );
    assert!(app.outbox("13512345678").await.is_empty(), "the payee is told only when the money arrives");
    assert_eq!(balances(&app, (PAYER, PAYER)).await, ("899.50".into(), "100.50".into()));
    assert_eq!(balances(&app, (PAYEE, PAYEE)).await, ("0.00".into(), "0.00".into()));
    app.assert_books_balance();
}

async fn every_refusal_changes_nothing(db: TestDb) {
    let app = setup(db, "50.00").await;
    let admin = app.login(PAYER, PAYER, PW).await;
    let applicant = app.login(PAYER, "applicant", PW).await;
    let auditor = app.login(PAYER, "auditor", PW).await;
    let footprint = |app: &TestApp| {
        app.db
            .store()
            .read(|c| -> Result<_, StoreError> {
                Ok((
                    count_rows(c, "applications")?,
                    count_rows(c, "journal_entries")?,
                    count_rows(c, "statement_rows")?,
                ))
            })
            .unwrap()
    };
    let before = footprint(&app);
    let field = |p: &Problem| p.errors.first().map(|e| (e.field.clone(), e.code.clone())).unwrap_or_default();

    let p: Problem = ok_json(transfer(&app, &applicant, &one_line("50.01"), None).await, 422).await;
    assert_eq!(p.code, "insufficient_balance");
    let mut wrong_pw = one_line("1.00");
    wrong_pw["payment_password"] = json!("nope12345");
    let p: Problem = ok_json(transfer(&app, &applicant, &wrong_pw, None).await, 422).await;
    assert_eq!(field(&p), ("payment_password".into(), "payment_password_wrong".into()));
    // The whole table of field rules is domain::draft's unit tests; here, that
    // the server answers them field by field and writes nothing.
    let cases = [
        (
            json!({"lines": [{"payee": PAYER, "amount": "1.00"}], "payment_password": PAY_PW}),
            "lines[0].payee",
            "payee_is_self",
        ),
        (
            json!({"lines": [{"payee": "ghost@example.com", "amount": "1.00"}], "payment_password": PAY_PW}),
            "lines[0].payee",
            "payee_not_found",
        ),
        (
            json!({"lines": [{"payee": PAYEE, "amount": "1.001"}], "payment_password": PAY_PW}),
            "lines[0].amount",
            "amount_too_many_decimals",
        ),
        (json!({"lines": [], "payment_password": PAY_PW}), "lines", "lines_count"),
    ];
    for (body, f, code) in cases {
        let p: Problem = ok_json(transfer(&app, &applicant, &body, None).await, 422).await;
        assert_eq!(field(&p), (f.into(), code.into()), "{body}");
    }
    let mut wrong_code = one_line("1.00");
    wrong_code["sms_code"] = json!("000000");
    let p: Problem = ok_json(transfer(&app, &admin, &wrong_code, None).await, 422).await;
    assert!(["sms_code_expired", "sms_code_wrong"].contains(&p.errors[0].code.as_str()));
    let p: Problem = ok_json(transfer(&app, &auditor, &one_line("1.00"), None).await, 403).await;
    assert_eq!(p.code, "permission_denied");

    // A merchant that isn't verified can't move money at all.
    app.db.store().write(|c| identity::set_kyb_status(c, 1, KybStatus::Submitted)).unwrap();
    let p: Problem = ok_json(transfer(&app, &applicant, &one_line("1.00"), None).await, 403).await;
    assert_eq!(p.code, "kyb_required");
    assert_eq!(footprint(&app), before);
    app.assert_books_balance();

    // No bound phone, no SMS code.
    app.db.store().write(|c| identity::set_kyb_status(c, 1, KybStatus::Verified)).unwrap();
    let payee_admin = app.login(PAYEE, PAYEE, PW).await;
    let p: Problem = ok_json(
        app.client
            .post(app.url("/api/v1/sms-codes"))
            .bearer_auth(&payee_admin)
            .json(&json!({"purpose": "fund_operation"}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "phone_not_bound");
}

async fn idempotency_keys_replay_or_refuse(db: TestDb) {
    let app = setup(db, "100.00").await;
    let token = app.login(PAYER, "applicant", PW).await;
    let first = transfer(&app, &token, &one_line("10.00"), Some("order-20261123-001")).await;
    let first_text = first.text().await.unwrap();
    let again = transfer(&app, &token, &one_line("10.00"), Some("order-20261123-001")).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.text().await.unwrap(), first_text, "the same response, byte for byte");
    assert_eq!(app.db.store().read(|c| count_rows(c, "applications")).unwrap(), 1, "one movement");
    assert_eq!(balances(&app, (PAYER, PAYER)).await, ("90.00".into(), "10.00".into()));

    let p: Problem =
        ok_json(transfer(&app, &token, &one_line("11.00"), Some("order-20261123-001")).await, 422).await;
    assert_eq!(p.code, "idempotency_key_reused");
    // A refusal changed nothing and is not kept: once the money is there, the
    // same request under the same key goes through.
    let p: Problem = ok_json(transfer(&app, &token, &one_line("500.00"), Some("k2")).await, 422).await;
    assert_eq!(p.code, "insufficient_balance");
    assert_eq!(app.db.store().read(|c| count_rows(c, "applications")).unwrap(), 1);
    app.fund(1, "500.00");
    let paid: Application = ok_json(transfer(&app, &token, &one_line("500.00"), Some("k2")).await, 201).await;
    assert_eq!(paid.total_amount, "500.00");
    assert_eq!(app.db.store().read(|c| count_rows(c, "applications")).unwrap(), 2);
    app.assert_books_balance();
}

fn applications(app: &TestApp) -> i64 {
    app.db.store().read(|c| count_rows(c, "applications")).unwrap()
}

/// Sends the request again while the first with its key is still running (409),
/// as the web app does; answers the first definite response.
async fn until_settled(app: &TestApp, token: &str, body: &Value, key: &str) -> reqwest::Response {
    for _ in 0..200 {
        let answer = transfer(app, token, body, Some(key)).await;
        if answer.status() != 409 {
            return answer;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the key stayed in progress for 10 seconds");
}

/// Fault 1 of the core issue: a wrong payment password was stored as the key's
/// answer, so retyping the right one under the same key replayed the refusal.
async fn a_corrected_payment_password_goes_through_under_the_same_key(db: TestDb) {
    let app = setup(db, "100.00").await;
    let token = app.login(PAYER, "applicant", PW).await;
    let mut wrong = one_line("10.00");
    wrong["payment_password"] = json!("nope12345");
    let p: Problem = ok_json(transfer(&app, &token, &wrong, Some("form-1")).await, 422).await;
    assert_eq!(p.errors[0].code, "payment_password_wrong");
    let paid: Application =
        ok_json(transfer(&app, &token, &one_line("10.00"), Some("form-1")).await, 201).await;
    assert_eq!(paid.status, "pending_review");
    let again = transfer(&app, &token, &one_line("10.00"), Some("form-1")).await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let replayed: Application = ok_json(again, 201).await;
    assert_eq!(replayed.id, paid.id);
    assert_eq!(applications(&app), 1);
    assert_eq!(balances(&app, (PAYER, PAYER)).await, ("90.00".into(), "10.00".into()));
}

/// Fault 2 of the core issue: the client sends and hangs up without reading the
/// answer. Whatever the server got to, a retry under the same key either replays
/// the committed transfer or makes it now — never a second one.
async fn an_answer_lost_with_the_connection_is_replayed_not_paid_again(db: TestDb) {
    use tokio::io::AsyncWriteExt;
    let app = setup(db, "100.00").await;
    let token = app.login(PAYER, "applicant", PW).await;
    let body = one_line("10.00");
    for (round, key) in ["lost-1", "lost-2", "lost-3"].into_iter().enumerate() {
        let text = body.to_string();
        let host = app.base.trim_start_matches("http://").to_owned();
        let request = format!(
            "POST /api/v1/transfers HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/json\r\nIdempotency-Key: {key}\r\nContent-Length: {}\r\n\r\n{text}",
            text.len()
        );
        let mut socket = tokio::net::TcpStream::connect(&host).await.unwrap();
        socket.write_all(request.as_bytes()).await.unwrap();
        // Hang up at a different moment each round: at once, mid-way, after the commit.
        match round {
            0 => {}
            1 => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
            _ => {
                for _ in 0..200 {
                    if applications(&app) == 3 {
                        break;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(25)).await;
                }
            }
        }
        drop(socket);
        let retried: Application = ok_json(until_settled(&app, &token, &body, key).await, 201).await;
        assert_eq!(retried.total_amount, "10.00");
        assert_eq!(
            applications(&app),
            i64::try_from(round).unwrap() + 1,
            "round {round}: one transfer per key"
        );
    }
    assert_eq!(balances(&app, (PAYER, PAYER)).await, ("70.00".into(), "30.00".into()));
    app.assert_books_balance();
}

/// Two clicks (or a retry racing the first request) with one key pay once.
async fn identical_requests_at_once_pay_once(db: TestDb) {
    let app = setup(db, "100.00").await;
    let token = app.login(PAYER, "applicant", PW).await;
    let body = one_line("10.00");
    let racers = (0..4).map(|_| until_settled(&app, &token, &body, "double-click"));
    let answers = futures_util::future::join_all(racers).await;
    let mut ids = Vec::new();
    for answer in answers {
        let a: Application = ok_json(answer, 201).await;
        ids.push(a.id);
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every racer got the same transfer");
    assert_eq!(applications(&app), 1);
    assert_eq!(balances(&app, (PAYER, PAYER)).await, ("90.00".into(), "10.00".into()));
}

/// 100 requests race to take 1.00 each from an account holding 50.00.
async fn a_hundred_concurrent_transfers_never_overdraw(db: TestDb) {
    let app = setup(db, "50.00").await;
    let token = app.login(PAYER, "applicant", PW).await;
    let started = std::time::Instant::now();
    let requests = (0..100).map(|_| {
        let client = app.client.clone();
        let url = app.url("/api/v1/transfers");
        let token = token.clone();
        async move {
            client
                .post(url)
                .bearer_auth(token)
                .json(&one_line("1.00"))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    });
    let statuses = futures_util::future::join_all(requests).await;
    let elapsed = started.elapsed();
    let created = statuses.iter().filter(|s| **s == 201).count();
    let refused = statuses.iter().filter(|s| **s == 422).count();
    eprintln!(
        "100 concurrent transfers in {:.0} ms: {created} created, {refused} refused",
        elapsed.as_secs_f64() * 1000.0
    );
    assert_eq!((created, refused), (50, 50), "{statuses:?}");
    assert_eq!(balances(&app, (PAYER, PAYER)).await, ("0.00".into(), "50.00".into()));
    app.assert_books_balance();
}

async fn merchant_order_numbers_are_unique_per_merchant(db: TestDb) {
    let app = setup(db, "100.00").await;
    let token = app.login(PAYER, "applicant", PW).await;
    let count = |app: &TestApp| app.db.store().read(|c| count_rows(c, "applications")).unwrap();
    let mut body = one_line("1.00");
    body["lines"][0]["merchant_order_no"] = json!("20261123000001");
    let first: Application = ok_json(transfer(&app, &token, &body, None).await, 201).await;
    assert_eq!(first.lines[0].merchant_order_no.as_deref(), Some("20261123000001"));

    // The same number again, even with another amount, is refused and holds nothing.
    body["lines"][0]["amount"] = json!("2.00");
    let p: Problem = ok_json(transfer(&app, &token, &body, None).await, 409).await;
    assert_eq!(p.code, "merchant_order_no_taken");
    assert!(p.detail.unwrap().contains("20261123000001"));
    assert_eq!(count(&app), 1);
    assert_eq!(balances(&app, (PAYER, PAYER)).await, ("99.00".into(), "1.00".into()));

    // Two lines with one number, and malformed numbers, are field errors.
    let twice = json!({"lines": [
        {"payee": PAYEE, "amount": "1.00", "merchant_order_no": "X1"},
        {"payee": PAYEE, "amount": "1.00", "merchant_order_no": "X1"}
    ], "payment_password": PAY_PW});
    let p: Problem = ok_json(transfer(&app, &token, &twice, None).await, 422).await;
    assert_eq!(
        (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
        ("lines[1].merchant_order_no", "order_no_repeated")
    );
    for bad in ["2026-11-23", "订单1", &"9".repeat(33)] {
        body["lines"][0]["merchant_order_no"] = json!(bad);
        let p: Problem = ok_json(transfer(&app, &token, &body, None).await, 422).await;
        assert_eq!(p.errors[0].code, "order_no_invalid", "{bad}");
    }
    assert_eq!(count(&app), 1);

    // Numbers are per merchant: the payee may use the same one for its own transfer back.
    app.fund(2, "5.00");
    app.db
        .store()
        .write(|c| {
            identity::create_operator(
                c,
                2,
                "applicant",
                "申请员",
                &paydesk_server::auth::hash_password(PW).unwrap(),
                "applicant",
                None,
            )
        })
        .unwrap();
    let theirs = app.login(PAYEE, "applicant", PW).await;
    let back = json!({"lines": [{"payee": PAYER, "amount": "1.00", "merchant_order_no": "20261123000001"}], "payment_password": PAY_PW});
    ok_json::<Application>(transfer(&app, &theirs, &back, None).await, 201).await;
    // A blank number is no number.
    body["lines"][0]["merchant_order_no"] = json!("  ");
    ok_json::<Application>(transfer(&app, &token, &body, None).await, 201).await;
    app.assert_books_balance();
}
