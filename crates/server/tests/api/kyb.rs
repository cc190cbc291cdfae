//! Real-name verification (manual §2.2) over HTTP, on both backends.

use crate::common::{ok_json, spawn_app, TestApp};
use paydesk_api_types::{Kyb, KybReview, MerchantSummary, Page, Problem, UploadedFile};
use paydesk_store::db::count_rows;
use paydesk_store::testing::TestDb;
use serde_json::{json, Value};

on_both_backends_async!(
    verification_goes_from_draft_to_verified,
    bad_scans_are_refused_and_stored_nowhere,
    each_bad_step_input_is_refused_and_writes_nothing,
    wrong_deposit_amounts_run_out_and_a_new_deposit_can_be_asked_for,
);

const EMAIL: &str = "finance@example.com";
const COMPANY: &str = "上海示例贸易有限公司";

fn jpeg(seed: u8) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F'];
    bytes.extend(std::iter::repeat_n(seed, 2048));
    bytes
}

async fn signed_in(db: TestDb) -> (TestApp, String) {
    let app = spawn_app(db).await;
    app.register(EMAIL, COMPANY, "abc123!x", "pay456#y").await;
    let token = app.login(EMAIL, EMAIL, "abc123!x").await;
    (app, token)
}

async fn upload(app: &TestApp, token: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
    app.client.post(app.url("/api/v1/uploads")).bearer_auth(token).multipart(form).send().await.unwrap()
}

async fn scan(app: &TestApp, token: &str, seed: u8) -> String {
    let file: UploadedFile = ok_json(upload(app, token, "scan.jpg", jpeg(seed)).await, 201).await;
    assert_eq!(file.content_type, "image/jpeg");
    file.id
}

async fn put(app: &TestApp, token: &str, path: &str, body: &Value) -> reqwest::Response {
    app.client.put(app.url(path)).bearer_auth(token).json(body).send().await.unwrap()
}

async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> reqwest::Response {
    app.client.post(app.url(path)).bearer_auth(token).json(body).send().await.unwrap()
}

fn filing(licence_scan: &str) -> Value {
    json!({
        "enterprise_type": "enterprise",
        "licence_number": "91350100M000100Y43",
        "licence_long_term": true,
        "licence_scan": licence_scan,
        "province": "上海市", "city": "上海市", "district": "浦东新区",
        "address": "世纪大道 100 号",
        "websites": ["www.example.com", "shop.example.com"],
        "business_scope": "贸易"
    })
}

fn fund_account() -> Value {
    json!({
        "account_name": COMPANY, "bank": "中国工商银行", "bank_province": "上海市", "bank_city": "上海市",
        "branch": "中国工商银行股份有限公司上海市黄金城道支行",
        "account_number": "6222 0212 3456 1332", "account_number_confirm": "6222021234561332"
    })
}

fn legal(front: &str, back: &str) -> Value {
    json!({
        "name": "张三", "id_number": "11010519491231002X", "id_long_term": false, "id_valid_until": "2036-01-01",
        "id_front_scan": front, "id_back_scan": back
    })
}

async fn problem(response: reqwest::Response, status: u16) -> Problem {
    ok_json(response, status).await
}

async fn fill_all_steps(app: &TestApp, token: &str) {
    let licence = scan(app, token, 1).await;
    let (front, back) = (scan(app, token, 2).await, scan(app, token, 3).await);
    let k: Kyb = ok_json(put(app, token, "/api/v1/kyb/filing", &filing(&licence)).await, 200).await;
    assert!(k.filing.is_some() && k.fund_account.is_none());
    let _: Kyb = ok_json(put(app, token, "/api/v1/kyb/fund-account", &fund_account()).await, 200).await;
    let k: Kyb =
        ok_json(put(app, token, "/api/v1/kyb/legal-representative", &legal(&front, &back)).await, 200).await;
    assert_eq!(k.status, "draft");
    assert_eq!(k.fund_account.unwrap().account_number, "6222021234561332");
}

/// The two amounts of the newest deposit, from the sandbox bank's statement.
async fn deposit_amounts(app: &TestApp) -> (String, String) {
    let lines: Vec<Value> =
        ok_json(app.get("/sandbox/bank/statement.json?account=6222021234561332").await, 200).await;
    let amount = |i: usize| lines[i]["amount"].as_str().unwrap().to_owned();
    (amount(0), amount(1))
}

/// A pair that is certainly not the one sent.
fn wrong_pair(sent: &(String, String)) -> Value {
    let fen = paydesk_domain::Money::parse(&sent.0).unwrap().fen();
    let other = paydesk_domain::Money::from_fen(if fen == 99 { 1 } else { fen + 1 }).unwrap().to_string();
    json!({"amount": other, "second_amount": sent.1})
}

fn pair(a: &str, b: &str) -> Value {
    json!({"amount": a, "second_amount": b})
}

async fn verification_goes_from_draft_to_verified(db: TestDb) {
    let (app, token) = signed_in(db).await;
    let k: Kyb = ok_json(app.get_with("/api/v1/kyb", &token).await, 200).await;
    assert_eq!((k.status.as_str(), k.filing.is_none()), ("draft", true));
    let p = problem(post(&app, &token, "/api/v1/kyb/submit", &json!({})).await, 422).await;
    assert_eq!(p.errors.len(), 3, "every missing step is named");

    fill_all_steps(&app, &token).await;
    let k: Kyb = ok_json(post(&app, &token, "/api/v1/kyb/submit", &json!({})).await, 200).await;
    assert_eq!(k.status, "submitted");
    let p = problem(put(&app, &token, "/api/v1/kyb/fund-account", &fund_account()).await, 409).await;
    assert_eq!(p.code, "kyb_locked", "nothing changes under review");

    // Staff see it, every field and scan, and send it back with a reason.
    let staff = app.staff_token().await;
    let list: Page<MerchantSummary> = ok_json(app.get_with("/api/v1/ops/kyb", &staff).await, 200).await;
    assert_eq!(list.total, 1);
    let id = list.items[0].id;
    let review: KybReview = ok_json(app.get_with(&format!("/api/v1/ops/kyb/{id}"), &staff).await, 200).await;
    let licence = review.kyb.filing.as_ref().unwrap().licence_scan.clone();
    let picture = app.get_with(&format!("/api/v1/ops/uploads/{licence}"), &staff).await;
    assert_eq!(picture.headers()["content-type"], "image/jpeg");
    assert_eq!(picture.bytes().await.unwrap().to_vec(), jpeg(1));
    let p = problem(
        post(&app, &staff, &format!("/api/v1/ops/kyb/{id}/reject"), &json!({"reason": " "})).await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "reason_required");
    let _: KybReview = ok_json(
        post(
            &app,
            &staff,
            &format!("/api/v1/ops/kyb/{id}/reject"),
            &json!({"reason": "营业执照扫描件不清晰"}),
        )
        .await,
        200,
    )
    .await;
    let k: Kyb = ok_json(app.get_with("/api/v1/kyb", &token).await, 200).await;
    assert_eq!((k.status.as_str(), k.reject_reason.as_deref()), ("rejected", Some("营业执照扫描件不清晰")));

    // The merchant fixes the scan and resubmits; staff approve; the deposit goes out.
    let sharper = scan(&app, &token, 9).await;
    let _: Kyb = ok_json(put(&app, &token, "/api/v1/kyb/filing", &filing(&sharper)).await, 200).await;
    let k: Kyb = ok_json(post(&app, &token, "/api/v1/kyb/submit", &json!({})).await, 200).await;
    assert_eq!((k.status.as_str(), k.reject_reason), ("submitted", None));
    let approved: KybReview =
        ok_json(post(&app, &staff, &format!("/api/v1/ops/kyb/{id}/approve"), &json!({})).await, 200).await;
    assert_eq!(approved.kyb.status, "awaiting_deposit");
    let p =
        problem(post(&app, &staff, &format!("/api/v1/ops/kyb/{id}/approve"), &json!({})).await, 409).await;
    assert_eq!(p.code, "kyb_not_submitted");

    let sent = deposit_amounts(&app).await;
    for a in [&sent.0, &sent.1] {
        let fen: i64 = paydesk_domain::Money::parse(a).unwrap().fen();
        assert!((1..100).contains(&fen), "{a} is below 1.00");
    }
    let p = problem(post(&app, &token, "/api/v1/kyb/micro-deposit", &wrong_pair(&sent)).await, 422).await;
    assert_eq!(p.errors[0].code, "deposit_mismatch");
    let k: Kyb = ok_json(app.get_with("/api/v1/kyb", &token).await, 200).await;
    assert_eq!(k.micro_deposit.unwrap().attempts_left, 4, "a wrong guess is counted");
    // Either order is right.
    let k: Kyb =
        ok_json(post(&app, &token, "/api/v1/kyb/micro-deposit", &pair(&sent.1, &sent.0)).await, 200).await;
    assert_eq!(k.status, "verified");
    let p =
        problem(post(&app, &token, "/api/v1/kyb/micro-deposit", &pair(&sent.0, &sent.1)).await, 409).await;
    assert_eq!(p.code, "no_pending_deposit");
}

async fn bad_scans_are_refused_and_stored_nowhere(db: TestDb) {
    let (app, token) = signed_in(db).await;
    let files = |app: &TestApp| walk(&app.web_dir.join("data"));
    let mut too_big = jpeg(1);
    too_big.resize(3 * 1024 * 1024 + 1, 0);
    let p = problem(upload(&app, &token, "big.jpg", too_big).await, 422).await;
    assert_eq!(p.errors[0].code, "file_too_large");
    let p = problem(upload(&app, &token, "fake.jpg", b"\x89PNG\r\n\x1a\nrest-of-a-png".to_vec()).await, 422)
        .await;
    assert_eq!(p.errors[0].code, "file_type_not_allowed", "a .jpg name does not make a JPEG");
    let p = problem(upload(&app, &token, "empty.jpg", Vec::new()).await, 422).await;
    assert_eq!(p.errors[0].code, "file_required");
    assert_eq!(app.db.store().read(|c| count_rows(c, "uploads")).unwrap(), 0);
    assert_eq!(files(&app), 0);

    let mut exactly = jpeg(1);
    exactly.resize(3 * 1024 * 1024, 0);
    let a: UploadedFile = ok_json(upload(&app, &token, "a.jpg", exactly.clone()).await, 201).await;
    let b: UploadedFile = ok_json(upload(&app, &token, "b.jpg", exactly).await, 201).await;
    assert_ne!(a.id, b.id);
    assert_eq!(a.sha256, b.sha256);
    assert_eq!(files(&app), 1, "content-addressed: one copy on disk");
    let mut bmp = b"BM".to_vec();
    bmp.resize(100, 7);
    let c: UploadedFile = ok_json(upload(&app, &token, "scan.bmp", bmp).await, 201).await;
    assert_eq!(c.content_type, "image/bmp");

    // Another merchant can't read these scans.
    app.register("other@example.com", "另一家公司", "abc123!x", "pay456#y").await;
    let other = app.login("other@example.com", "other@example.com", "abc123!x").await;
    assert_eq!(app.get_with(&format!("/api/v1/uploads/{}", a.id), &other).await.status(), 404);
    assert_eq!(app.get_with(&format!("/api/v1/uploads/{}", a.id), &token).await.status(), 200);
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum())
        .unwrap_or(0)
}

async fn each_bad_step_input_is_refused_and_writes_nothing(db: TestDb) {
    let (app, token) = signed_in(db).await;
    let licence = scan(&app, &token, 1).await;
    let (front, back) = (scan(&app, &token, 2).await, scan(&app, &token, 3).await);
    app.register("other@example.com", "另一家公司", "abc123!x", "pay456#y").await;
    let other = app.login("other@example.com", "other@example.com", "abc123!x").await;
    let foreign = scan(&app, &other, 4).await;

    let field_code = |p: &Problem, field: &str| {
        p.errors.iter().find(|e| e.field == field).map(|e| e.code.clone()).unwrap_or_default()
    };
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "/api/v1/kyb/filing",
            {
                let mut f = filing(&licence);
                f["licence_number"] = json!("91350100M000100Y44");
                f
            },
            "licence_number",
            "licence_number_checksum",
        ),
        (
            "/api/v1/kyb/filing",
            {
                let mut f = filing(&licence);
                f["licence_long_term"] = json!(false);
                f
            },
            "licence_valid_until",
            "required",
        ),
        (
            "/api/v1/kyb/filing",
            {
                let mut f = filing(&licence);
                f["licence_long_term"] = json!(false);
                f["licence_valid_until"] = json!("2001-01-01");
                f
            },
            "licence_valid_until",
            "date_passed",
        ),
        ("/api/v1/kyb/filing", filing(&foreign), "licence_scan", "scan_unknown"),
        (
            "/api/v1/kyb/filing",
            {
                let mut f = filing(&licence);
                f["licence_number"] = json!("320501100006302");
                f
            },
            "organisation_code",
            "required",
        ),
        (
            "/api/v1/kyb/filing",
            {
                let mut f = filing(&licence);
                f["address"] = json!("");
                f
            },
            "address",
            "required",
        ),
        (
            "/api/v1/kyb/fund-account",
            {
                let mut a = fund_account();
                a["account_name"] = json!("别的公司");
                a
            },
            "account_name",
            "account_name_mismatch",
        ),
        (
            "/api/v1/kyb/fund-account",
            {
                let mut a = fund_account();
                a["account_number_confirm"] = json!("6222021234561333");
                a
            },
            "account_number_confirm",
            "account_number_mismatch",
        ),
        (
            "/api/v1/kyb/fund-account",
            {
                let mut a = fund_account();
                a["account_number"] = json!("12ab");
                a
            },
            "account_number",
            "bank_account_invalid",
        ),
        (
            "/api/v1/kyb/legal-representative",
            {
                let mut l = legal(&front, &back);
                l["id_number"] = json!("110105194912310021");
                l
            },
            "id_number",
            "id_number_checksum",
        ),
        ("/api/v1/kyb/legal-representative", legal(&front, ""), "id_back_scan", "scan_required"),
        (
            "/api/v1/kyb/legal-representative",
            {
                let mut l = legal(&front, &back);
                l["agent"] = json!({"name": "李四", "id_number": "11010519491231002X", "phone": "123"});
                l
            },
            "agent.phone",
            "phone_invalid",
        ),
    ];
    for (path, body, field, code) in cases {
        let p = problem(put(&app, &token, path, &body).await, 422).await;
        assert_eq!(field_code(&p, field), code, "{path} {field}: {p:?}");
        assert_eq!(
            app.db.store().read(|c| count_rows(c, "kyb_applications")).unwrap(),
            0,
            "{path} {field} wrote"
        );
    }
    // The organisation-code route of an old 15-digit licence works when complete.
    let org = scan(&app, &token, 5).await;
    let tax = scan(&app, &token, 6).await;
    let mut old = filing(&licence);
    old["licence_number"] = json!("320501100006302");
    old["organisation_code"] = json!("D2143569X");
    old["organisation_code_scan"] = json!(org);
    old["tax_registration_scan"] = json!(tax);
    let k: Kyb = ok_json(put(&app, &token, "/api/v1/kyb/filing", &old).await, 200).await;
    assert_eq!(k.filing.unwrap().organisation_code.as_deref(), Some("D2143569-X"));
}

async fn wrong_deposit_amounts_run_out_and_a_new_deposit_can_be_asked_for(db: TestDb) {
    let (app, token) = signed_in(db).await;
    fill_all_steps(&app, &token).await;
    let _: Kyb = ok_json(post(&app, &token, "/api/v1/kyb/submit", &json!({})).await, 200).await;
    let staff = app.staff_token().await;
    let list: Page<MerchantSummary> = ok_json(app.get_with("/api/v1/ops/kyb", &staff).await, 200).await;
    let _: KybReview = ok_json(
        post(&app, &staff, &format!("/api/v1/ops/kyb/{}/approve", list.items[0].id), &json!({})).await,
        200,
    )
    .await;
    let p = problem(post(&app, &token, "/api/v1/kyb/micro-deposit/resend", &json!({})).await, 409).await;
    assert_eq!(p.code, "deposit_still_pending");

    // Parallel wrong guesses: exactly five are counted, then the deposit is void.
    let sent = deposit_amounts(&app).await;
    let wrong = wrong_pair(&sent);
    let racers = (0..12).map(|_| post(&app, &token, "/api/v1/kyb/micro-deposit", &wrong));
    let mut codes = Vec::new();
    for r in futures_util::future::join_all(racers).await {
        let status = r.status().as_u16();
        let p: paydesk_api_types::Problem = r.json().await.unwrap();
        codes.push((status, p.errors.first().map(|e| e.code.clone()).unwrap_or(p.code)));
    }
    let count = |code: &str| codes.iter().filter(|(_, c)| c == code).count();
    assert_eq!(
        (count("deposit_mismatch"), count("deposit_void"), count("no_pending_deposit")),
        (4, 1, 7),
        "{codes:?}"
    );
    let p =
        problem(post(&app, &token, "/api/v1/kyb/micro-deposit", &pair(&sent.0, &sent.1)).await, 409).await;
    assert_eq!(p.code, "no_pending_deposit", "a void deposit can't be confirmed even with the right amounts");

    // Three new deposits may be asked for; each one voided by five wrong pairs.
    for round in 0..3 {
        let k: Kyb =
            ok_json(post(&app, &token, "/api/v1/kyb/micro-deposit/resend", &json!({})).await, 200).await;
        let d = k.micro_deposit.unwrap();
        assert_eq!((d.attempts_left, d.resends_left), (5, 2 - round));
        let sent = deposit_amounts(&app).await;
        for _ in 0..5 {
            post(&app, &token, "/api/v1/kyb/micro-deposit", &wrong_pair(&sent)).await;
        }
    }
    let p = problem(post(&app, &token, "/api/v1/kyb/micro-deposit/resend", &json!({})).await, 409).await;
    assert_eq!(p.code, "deposit_resends_exhausted");

    // Customer service takes over: staff send the next one; the merchant confirms it.
    let id = list.items[0].id;
    let r: KybReview =
        ok_json(post(&app, &staff, &format!("/api/v1/ops/kyb/{id}/micro-deposit"), &json!({})).await, 200)
            .await;
    assert_eq!(r.kyb.micro_deposit.unwrap().resends_left, 3);
    let fresh = deposit_amounts(&app).await;
    let k: Kyb =
        ok_json(post(&app, &token, "/api/v1/kyb/micro-deposit", &pair(&fresh.0, &fresh.1)).await, 200).await;
    assert_eq!(k.status, "verified");
}
