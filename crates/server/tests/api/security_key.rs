//! 快捷盾 (manual §3.7.5) with a software authenticator, on both backends: bind
//! with licence number + payment password + SMS code; once bound, approvals
//! take the key instead of an SMS code, and an assertion made for one
//! application can't approve another; unbind with the same checks.

use crate::common::{ok_json, TestApp, PAYEE, PAYER, PAY_PW, PW};
use paydesk_api_types::{Application, KeyChallenge, Me, Problem, ReviewOutcome, SecurityKeyStatus};
use paydesk_store::testing::TestDb;
use paydesk_store::{kyb, StoreError};
use serde_json::{json, Value};
use webauthn_authenticator_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse, Url};
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_authenticator_rs::WebauthnAuthenticator;

on_both_backends_async!(
    an_auditor_approves_with_a_bound_key_and_only_what_it_was_made_for,
    a_staff_member_with_a_key_signs_in_with_it,
    a_forgotten_password_is_recovered_with_the_key,
);

const LICENCE: &str = "91350100M000100Y43";

async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> reqwest::Response {
    app.client.post(app.url(path)).bearer_auth(token).json(body).send().await.unwrap()
}

async fn code(app: &TestApp, token: &str, phone: &str) -> String {
    app.fresh_sms_code(token, phone).await
}

/// The browser's origin as the server's relying party expects it in development.
fn origin(app: &TestApp) -> Url {
    let port = Url::parse(&app.base).unwrap().port().unwrap();
    Url::parse(&format!("http://localhost:{port}")).unwrap()
}

async fn assertion(app: &TestApp, key: &mut SoftPasskey, token: &str, ids: &[i64]) -> Value {
    let c: KeyChallenge = ok_json(
        post(
            app,
            token,
            "/api/v1/security-key/challenges",
            &json!({"purpose": "review", "application_ids": ids, "decision": "approve"}),
        )
        .await,
        200,
    )
    .await;
    let options: RequestChallengeResponse = serde_json::from_value(c.options).unwrap();
    let credential = key.do_authentication(origin(app), options).unwrap();
    json!({"challenge_id": c.challenge_id, "credential": credential})
}

async fn approve_with_key(app: &TestApp, token: &str, ids: &[i64], key: Value) -> reqwest::Response {
    let body = json!({"application_ids": ids, "decision": "approve", "payment_password": PAY_PW, "security_key": key});
    post(app, token, "/api/v1/reviews", &body).await
}

/// The payer's filing, so its licence number can be checked.
fn save_filing(app: &TestApp) {
    let filing = json!({"enterprise_type": "enterprise", "licence_number": LICENCE, "licence_long_term": true,
        "licence_scan": "", "province": "上海市", "city": "上海市", "district": "浦东新区", "address": "世纪大道 1 号"});
    app.db
        .store()
        .write(|c| kyb::save_step(c, 1, kyb::Step::Filing, &filing.to_string(), paydesk_server::auth::now()))
        .unwrap();
}

/// Registers a new software key with a challenge the server gave; returns the key and the answer.
async fn register(
    app: &TestApp,
    token: &str,
    path: &str,
    c: KeyChallenge,
) -> (SoftPasskey, reqwest::Response) {
    let mut key = SoftPasskey::new(true);
    let options: CreationChallengeResponse = serde_json::from_value(c.options).unwrap();
    let credential = key.do_registration(origin(app), options).unwrap();
    let response =
        post(app, token, path, &json!({"challenge_id": c.challenge_id, "credential": credential})).await;
    (key, response)
}

async fn an_auditor_approves_with_a_bound_key_and_only_what_it_was_made_for(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "100.00").await;
    save_filing(&app);
    let auditor = app.login(PAYER, "auditor", PW).await;
    let status: SecurityKeyStatus = ok_json(app.get_with("/api/v1/security-key", &auditor).await, 200).await;
    assert!(!status.bound);

    // Binding checks the licence number, the payment password and the SMS code.
    let sms = code(&app, &auditor, "13700137000").await;
    let wrong = json!({"licence_number": "91350100M000100Y43".replace("Y43", "X44"), "payment_password": PAY_PW, "sms_code": sms});
    let p: Problem =
        ok_json(post(&app, &auditor, "/api/v1/security-key/registrations", &wrong).await, 422).await;
    assert_eq!(p.errors[0].field, "licence_number");
    let check = json!({"licence_number": LICENCE, "payment_password": PAY_PW, "sms_code": sms});
    let c: KeyChallenge =
        ok_json(post(&app, &auditor, "/api/v1/security-key/registrations", &check).await, 200).await;
    let (mut key, response) = register(&app, &auditor, "/api/v1/security-key", c).await;
    let done: SecurityKeyStatus = ok_json(response, 201).await;
    assert!(done.bound);
    // 证书详情: the credential, when bound, not used yet; the masked phone for codes.
    assert!(done.credential_id.as_deref().is_some_and(|id| !id.is_empty()));
    assert_eq!((done.last_used_at.as_deref(), done.phone.as_deref()), (None, Some("137****7000")));
    let me: Me = ok_json(app.get_with("/api/v1/me", &auditor).await, 200).await;
    assert!(me.security_key_bound);

    // Two transfers wait.
    let applicant = app.login(PAYER, "applicant", PW).await;
    let mut ids = Vec::new();
    for amount in ["10.00", "20.00"] {
        let body = json!({"lines": [{"payee": PAYEE, "amount": amount}], "payment_password": PAY_PW});
        let a: Application = ok_json(post(&app, &applicant, "/api/v1/transfers", &body).await, 201).await;
        ids.push(a.id);
    }
    // The SMS code no longer does for this auditor.
    let sms = code(&app, &auditor, "13700137000").await;
    let body = json!({"application_ids": [ids[0]], "decision": "approve", "payment_password": PAY_PW, "sms_code": sms});
    let p: Problem = ok_json(post(&app, &auditor, "/api/v1/reviews", &body).await, 422).await;
    assert_eq!(p.errors[0].code, "security_key_required");

    // An assertion made for the first application can't approve the second, nor be used twice.
    let for_first = assertion(&app, &mut key, &auditor, &[ids[0]]).await;
    let p: Problem = ok_json(approve_with_key(&app, &auditor, &[ids[1]], for_first.clone()).await, 422).await;
    assert_eq!(p.errors[0].code, "security_key_mismatch");
    let p: Problem = ok_json(approve_with_key(&app, &auditor, &[ids[0]], for_first).await, 422).await;
    assert_eq!(p.errors[0].code, "security_key_invalid", "a challenge is used once, even when refused");
    let payee = |app: &TestApp| -> i64 { crate::common::available_fen(&app.db.store(), 2) };
    assert_eq!(payee(&app), 0, "nothing was paid");

    // One made for exactly both approves both.
    let for_both = assertion(&app, &mut key, &auditor, &[ids[1], ids[0]]).await;
    let out: ReviewOutcome = ok_json(approve_with_key(&app, &auditor, &ids, for_both).await, 200).await;
    assert!(out.results.iter().all(|r| r.status == "succeeded" && r.code.is_none()), "{out:?}");
    assert_eq!(payee(&app), 3000);

    // An operator who completes transfers at once (the admin) confirms them with its key:
    // a check made for transfers, not one made for withdrawals or an approval.
    let admin = app.login(PAYER, PAYER, PW).await;
    let sms = code(&app, &admin, "13800138000").await;
    let check = json!({"licence_number": LICENCE, "payment_password": PAY_PW, "sms_code": sms});
    let c: KeyChallenge =
        ok_json(post(&app, &admin, "/api/v1/security-key/registrations", &check).await, 200).await;
    let (mut admin_key, r) = register(&app, &admin, "/api/v1/security-key", c).await;
    assert_eq!(r.status(), 201);
    let submit_check = |kind: &'static str| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let c: KeyChallenge = ok_json(
                post(
                    app,
                    &admin,
                    "/api/v1/security-key/challenges",
                    &json!({"purpose": "submit", "kind": kind}),
                )
                .await,
                200,
            )
            .await;
            (c.challenge_id, serde_json::from_value::<RequestChallengeResponse>(c.options).unwrap())
        }
    };
    let mut transfer = json!({"lines": [{"payee": PAYEE, "amount": "5.00"}], "payment_password": PAY_PW});
    let p: Problem = ok_json(post(&app, &admin, "/api/v1/transfers", &transfer).await, 422).await;
    assert_eq!(p.errors[0].code, "security_key_required");
    let (id, options) = submit_check("withdrawal").await;
    let wrong = admin_key.do_authentication(origin(&app), options).unwrap();
    transfer["security_key"] = json!({"challenge_id": id, "credential": wrong});
    let p: Problem = ok_json(post(&app, &admin, "/api/v1/transfers", &transfer).await, 422).await;
    assert_eq!(p.errors[0].code, "security_key_mismatch");
    let (id, options) = submit_check("transfer").await;
    let right = admin_key.do_authentication(origin(&app), options).unwrap();
    transfer["security_key"] = json!({"challenge_id": id, "credential": right});
    let done: Application = ok_json(post(&app, &admin, "/api/v1/transfers", &transfer).await, 201).await;
    assert_eq!(done.status, "succeeded");
    assert_eq!(payee(&app), 3500);

    let used: SecurityKeyStatus = ok_json(app.get_with("/api/v1/security-key", &auditor).await, 200).await;
    assert!(used.last_used_at.is_some(), "the approvals used the key");

    // Unbinding takes the same checks; then SMS codes apply again.
    let sms = code(&app, &auditor, "13700137000").await;
    let bad = json!({"licence_number": LICENCE, "payment_password": "wrong1!x", "sms_code": sms});
    let p: Problem = ok_json(post(&app, &auditor, "/api/v1/security-key/unbind", &bad).await, 422).await;
    assert_eq!(p.errors[0].code, "payment_password_wrong");
    let sms = code(&app, &auditor, "13700137000").await;
    let good = json!({"licence_number": LICENCE, "payment_password": PAY_PW, "sms_code": sms});
    assert_eq!(post(&app, &auditor, "/api/v1/security-key/unbind", &good).await.status(), 204);
    let status: SecurityKeyStatus = ok_json(app.get_with("/api/v1/security-key", &auditor).await, 200).await;
    assert!(!status.bound);
    app.assert_books_balance();
}

/// The key's answer to a challenge given as `KeyChallenge` JSON.
fn answer(app: &TestApp, key: &mut SoftPasskey, c: KeyChallenge) -> Value {
    let options: RequestChallengeResponse = serde_json::from_value(c.options).unwrap();
    let credential = key.do_authentication(origin(app), options).unwrap();
    json!({"challenge_id": c.challenge_id, "credential": credential})
}

async fn staff_password(app: &TestApp, password: &str) -> reqwest::Response {
    let (id, answer) = app.captcha().await;
    let body =
        json!({"login_name": "ops1", "password": password, "captcha_id": id, "captcha_answer": answer});
    app.post("/api/v1/ops/session", &body).await
}

/// Once a staff member binds a key, the password only opens a key check; the
/// key's answer signs in, once, and nobody else's key does. Unbinding takes the
/// password and the key.
async fn a_staff_member_with_a_key_signs_in_with_it(db: TestDb) {
    use paydesk_api_types::{AccessToken, StaffMe};
    let app = crate::common::spawn_app(db).await;
    let staff = app.staff_token().await;
    let me: StaffMe = ok_json(app.get_with("/api/v1/ops/me", &staff).await, 200).await;
    assert!(!me.security_key_bound);

    // Binding takes the password again.
    let p: Problem = ok_json(
        post(&app, &staff, "/api/v1/ops/security-key/registrations", &json!({"password": "nope-pw-2"})).await,
        422,
    )
    .await;
    assert_eq!((p.errors[0].field.as_str(), p.errors[0].code.as_str()), ("password", "password_wrong"));
    let c: KeyChallenge = ok_json(
        post(&app, &staff, "/api/v1/ops/security-key/registrations", &json!({"password": "staff-pw-1"}))
            .await,
        200,
    )
    .await;
    let (mut key, response) = register(&app, &staff, "/api/v1/ops/security-key", c).await;
    let bound: SecurityKeyStatus = ok_json(response, 201).await;
    assert!(bound.bound && bound.phone.is_none());
    let me: StaffMe = ok_json(app.get_with("/api/v1/ops/me", &staff).await, 200).await;
    assert!(me.security_key_bound);

    // The password alone no longer signs in: no token, no cookie, a key check.
    let r = staff_password(&app, "staff-pw-1").await;
    assert_eq!(r.status(), 202);
    assert!(r.headers().get("set-cookie").is_none());
    let c: KeyChallenge = r.json().await.unwrap();
    // An answer whose signature doesn't verify is refused and uses the check up.
    let mut forged = answer(&app, &mut key, c.clone());
    let signature = forged["credential"]["response"]["signature"].as_str().unwrap().to_owned();
    let other = if signature.starts_with('A') { 'B' } else { 'A' };
    forged["credential"]["response"]["signature"] = json!(format!("{other}{}", &signature[1..]));
    let p: Problem = ok_json(app.post("/api/v1/ops/session/key", &forged).await, 422).await;
    assert_eq!(p.errors[0].code, "security_key_invalid");
    let late = answer(&app, &mut key, c);
    let p: Problem = ok_json(app.post("/api/v1/ops/session/key", &late).await, 422).await;
    assert_eq!(p.errors[0].code, "security_key_invalid", "a check is used once, even when refused");
    // A wrong password opens nothing.
    ok_json::<Problem>(staff_password(&app, "nope-pw-2").await, 401).await;

    let c: KeyChallenge = ok_json(staff_password(&app, "staff-pw-1").await, 202).await;
    let signed = answer(&app, &mut key, c);
    let token: AccessToken = ok_json(app.post("/api/v1/ops/session/key", &signed).await, 200).await;
    let me: StaffMe = ok_json(app.get_with("/api/v1/ops/me", &token.access_token).await, 200).await;
    assert_eq!(me.login_name, "ops1");
    let p: Problem = ok_json(app.post("/api/v1/ops/session/key", &signed).await, 422).await;
    assert_eq!(p.errors[0].code, "security_key_invalid", "an answer signs in once");
    // The log has the staff sign-ins: the refused key answer and the one that worked.
    let statuses: Vec<i32> = app
        .db
        .store()
        .read(|c| -> Result<Vec<i32>, StoreError> {
            use diesel::prelude::*;
            use paydesk_store::schema::operation_log as log;
            Ok(log::table
                .filter(log::action.eq("POST /api/v1/ops/session"))
                .filter(log::staff_id.is_not_null())
                .order(log::id)
                .select(log::status)
                .load(c)?)
        })
        .unwrap();
    assert!(statuses.ends_with(&[422, 401, 200]), "{statuses:?}");

    // Unbinding: the password opens a key check, the key's answer unbinds.
    let token = token.access_token;
    let c: KeyChallenge = ok_json(
        post(&app, &token, "/api/v1/ops/security-key/unbind-challenges", &json!({"password": "staff-pw-1"}))
            .await,
        200,
    )
    .await;
    let unbind = answer(&app, &mut key, c);
    assert_eq!(post(&app, &token, "/api/v1/ops/security-key/unbind", &unbind).await.status(), 204);
    ok_json::<AccessToken>(staff_password(&app, "staff-pw-1").await, 200).await;
}

/// 忘记登录密码 with the key instead of the SMS code: the key check is bound
/// to the recovery it was made for.
async fn a_forgotten_password_is_recovered_with_the_key(db: TestDb) {
    use paydesk_api_types::{RecoveryLinkSent, RecoveryStarted};
    let app = crate::common::payer_and_payee(db, "1.00").await;
    save_filing(&app);
    let start = || async {
        let (id, answer) = app.captcha().await;
        let body = json!({"merchant": PAYER, "captcha_id": id, "captcha_answer": answer});
        let started: RecoveryStarted = ok_json(app.post("/api/v1/recoveries", &body).await, 201).await;
        started.recovery_id
    };
    // Without a key, the key path is closed.
    let first = start().await;
    let p: Problem =
        ok_json(app.post(&format!("/api/v1/recoveries/{first}/key-challenges"), &json!({})).await, 409).await;
    assert_eq!(p.code, "security_key_not_bound");

    let admin = app.login(PAYER, PAYER, PW).await;
    let sms = code(&app, &admin, "13800138000").await;
    let check = json!({"licence_number": LICENCE, "payment_password": PAY_PW, "sms_code": sms});
    let c: KeyChallenge =
        ok_json(post(&app, &admin, "/api/v1/security-key/registrations", &check).await, 200).await;
    let (mut key, response) = register(&app, &admin, "/api/v1/security-key", c).await;
    ok_json::<SecurityKeyStatus>(response, 201).await;

    // A key answer made for one recovery doesn't verify another.
    let (one, two) = (start().await, start().await);
    let c: KeyChallenge =
        ok_json(app.post(&format!("/api/v1/recoveries/{one}/key-challenges"), &json!({})).await, 200).await;
    let for_one = answer(&app, &mut key, c);
    let verify = json!({"licence_number": LICENCE, "security_key": for_one});
    let p: Problem = ok_json(app.post(&format!("/api/v1/recoveries/{two}/verify"), &verify).await, 422).await;
    assert_eq!(p.errors[0].code, "security_key_mismatch");

    let c: KeyChallenge =
        ok_json(app.post(&format!("/api/v1/recoveries/{two}/key-challenges"), &json!({})).await, 200).await;
    let verify = json!({"licence_number": LICENCE, "security_key": answer(&app, &mut key, c)});
    let sent: RecoveryLinkSent =
        ok_json(app.post(&format!("/api/v1/recoveries/{two}/verify"), &verify).await, 202).await;
    assert_eq!(sent.email, "p***r@example.com");
    assert!(app.outbox(PAYER).await.iter().any(|m| m.body.contains("/recover/complete?token=")));
}
