//! Registration and sign-in (manual §2.1, §3.1) over HTTP, on both backends.

use crate::common::{client, ok_json, spawn_app, spawn_app_in, TestApp};
use chrono::{Duration, Utc};
use diesel::connection::SimpleConnection;
use paydesk_api_types::{
    AccessToken, FrozenLogin, Home, Me, MerchantSummary, Page, Problem, RegistrationLink, RegistrationSent,
    SessionsEnded,
};
use paydesk_store::db::count_rows;
use paydesk_store::testing::TestDb;
use serde_json::json;

on_both_backends_async!(
    registering_opens_a_merchant_with_its_admin,
    each_bad_registration_input_is_refused_and_writes_nothing,
    links_expire_and_work_once,
    resending_waits_for_the_cool_down,
    sessions_refresh_rotate_and_end,
    five_wrong_passwords_freeze_the_login_across_restarts,
    unknown_operator_and_wrong_password_answer_alike,
    idle_sessions_end,
    staff_list_merchants_and_lift_a_frozen_login,
    the_demo_merchant_is_seeded_once_and_verified,
    home_shows_balances_security_and_recent_lines,
    staff_and_operator_sessions_live_side_by_side,
    production_mode_shows_no_outbox_and_no_captcha_answers,
    the_production_outbox_keeps_no_codes_or_link_tokens,
);

const EMAIL: &str = "finance@example.com";
const COMPANY: &str = "上海示例贸易有限公司";
const LOGIN_PW: &str = "abc123!x";
const PAY_PW: &str = "pay456#y";

async fn problem(response: reqwest::Response, status: u16) -> Problem {
    let p: Problem = ok_json(response, status).await;
    assert_eq!(p.status, status);
    p
}

/// Rows of the tables registration writes to.
fn footprint(app: &TestApp) -> [i64; 4] {
    app.db
        .store()
        .read(|c| {
            Ok::<_, paydesk_store::StoreError>([
                count_rows(c, "merchants")?,
                count_rows(c, "operators")?,
                count_rows(c, "registrations")?,
                count_rows(c, "outbox")?,
            ])
        })
        .unwrap()
}

fn sql(app: &TestApp, statement: &str) {
    app.db.store().write(|c| Ok::<_, paydesk_store::StoreError>(c.batch_execute(statement)?)).unwrap();
}

async fn registering_opens_a_merchant_with_its_admin(db: TestDb) {
    let app = spawn_app(db).await;
    app.register(EMAIL, COMPANY, LOGIN_PW, PAY_PW).await;
    let mail = &app.outbox(EMAIL).await[0];
    assert_eq!(mail.channel, "email");
    assert!(mail.body.contains(&format!("{}/register/complete?token=", app.base)), "{}", mail.body);

    let token = app.login(EMAIL, EMAIL, LOGIN_PW).await;
    let me: Me = ok_json(app.get_with("/api/v1/me", &token).await, 200).await;
    assert_eq!(
        (me.merchant_email.as_str(), me.company_name.as_str(), me.operator.as_str(), me.role.as_str()),
        (EMAIL, COMPANY, EMAIL, "admin")
    );
    assert_eq!(me.kyb_status, "draft");
    // The merchant's balance accounts exist and reconcile.
    let found = app.db.store().read(paydesk_store::ledger::reconcile_all).unwrap();
    assert!(found.is_empty());
    assert_eq!(app.db.store().read(|c| count_rows(c, "accounts")).unwrap(), 3);
}

async fn each_bad_registration_input_is_refused_and_writes_nothing(db: TestDb) {
    let app = spawn_app(db).await;
    let before = footprint(&app);
    let start = |email: &str, answer: Option<&str>, agreed: bool| {
        let email = email.to_owned();
        let answer = answer.map(str::to_owned);
        let app = &app;
        async move {
            let (id, right) = app.captcha().await;
            let body = json!({"email": email, "captcha_id": id, "captcha_answer": answer.unwrap_or(right), "agreement_accepted": agreed});
            app.post("/api/v1/registrations", &body).await
        }
    };
    let p = problem(start(EMAIL, Some("ZZZZ"), true).await, 422).await;
    assert_eq!(
        (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
        ("captcha_answer", "captcha_invalid")
    );
    let p = problem(start("not-an-email", None, true).await, 422).await;
    assert_eq!(p.errors[0].code, "email_invalid");
    let p = problem(start(EMAIL, None, false).await, 422).await;
    assert_eq!(p.errors[0].code, "agreement_required");
    assert_eq!(footprint(&app), before, "refusals write nothing");

    // A captcha is good for one answer only.
    let (id, answer) = app.captcha().await;
    let body =
        json!({"email": EMAIL, "captcha_id": id, "captcha_answer": answer, "agreement_accepted": true});
    assert_eq!(app.post("/api/v1/registrations", &body).await.status(), 202);
    let body = json!({"email": "other@example.com", "captcha_id": id, "captcha_answer": answer, "agreement_accepted": true});
    let p = problem(app.post("/api/v1/registrations", &body).await, 422).await;
    assert_eq!(p.errors[0].code, "captcha_invalid");

    // Bad passwords on the second step: nothing is created and the link still works.
    let token = app.registration_token(EMAIL).await;
    let complete = |company: &str, login: &str, pay: &str| {
        let body = json!({"company_name": company, "login_password": login, "payment_password": pay});
        let path = format!("/api/v1/registrations/{token}/complete");
        let app = &app;
        async move { app.post(&path, &body).await }
    };
    let mid = footprint(&app);
    let p = problem(complete(COMPANY, "12345678", PAY_PW).await, 422).await;
    assert_eq!((p.errors[0].field.as_str(), p.errors[0].code.as_str()), ("login_password", "password_weak"));
    // Login passwords have at least 8 characters (OWASP ASVS; the manual says 6).
    let p = problem(complete(COMPANY, "abc123!", PAY_PW).await, 422).await;
    assert_eq!(
        (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
        ("login_password", "password_length")
    );
    let p = problem(complete(COMPANY, "ab 12345", PAY_PW).await, 422).await;
    assert_eq!(p.errors[0].code, "password_has_space");
    let p = problem(complete(COMPANY, LOGIN_PW, LOGIN_PW).await, 422).await;
    assert_eq!(
        (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
        ("payment_password", "payment_password_same_as_login")
    );
    let p = problem(complete("", LOGIN_PW, PAY_PW).await, 422).await;
    assert_eq!(p.errors[0].code, "company_name_length");
    assert_eq!(footprint(&app), mid);
    assert_eq!(complete(COMPANY, LOGIN_PW, PAY_PW).await.status(), 201);

    // The address is now taken.
    sql(&app, "DELETE FROM registrations");
    let p = problem(start(EMAIL, None, true).await, 409).await;
    assert_eq!(p.code, "email_taken");
}

async fn links_expire_and_work_once(db: TestDb) {
    let app = spawn_app(db).await;
    let p = problem(app.get("/api/v1/registrations/no-such-token").await, 404).await;
    assert_eq!(p.code, "link_invalid");

    app.register(EMAIL, COMPANY, LOGIN_PW, PAY_PW).await;
    let used = app.registration_token(EMAIL).await;
    let p = problem(app.get(&format!("/api/v1/registrations/{used}")).await, 410).await;
    assert_eq!(p.code, "link_used");
    let again = json!({"company_name": COMPANY, "login_password": LOGIN_PW, "payment_password": PAY_PW});
    let p = problem(app.post(&format!("/api/v1/registrations/{used}/complete"), &again).await, 410).await;
    assert_eq!(p.code, "link_used");

    let other = "ops@example.org";
    let (id, answer) = app.captcha().await;
    let body =
        json!({"email": other, "captcha_id": id, "captcha_answer": answer, "agreement_accepted": true});
    assert_eq!(app.post("/api/v1/registrations", &body).await.status(), 202);
    let token = app.registration_token(other).await;
    let link: RegistrationLink = ok_json(app.get(&format!("/api/v1/registrations/{token}")).await, 200).await;
    assert_eq!(link.email, other);
    let past = (Utc::now() - Duration::minutes(1)).naive_utc().format("%Y-%m-%d %H:%M:%S");
    sql(&app, &format!("UPDATE registrations SET expires_at = '{past}' WHERE email = '{other}'"));
    let p = problem(app.get(&format!("/api/v1/registrations/{token}")).await, 410).await;
    assert_eq!(p.code, "link_expired");
    let p = problem(app.post(&format!("/api/v1/registrations/{token}/complete"), &again).await, 410).await;
    assert_eq!(p.code, "link_expired");
}

async fn resending_waits_for_the_cool_down(db: TestDb) {
    let app = spawn_app(db).await;
    let p = problem(app.post("/api/v1/registrations/resend", &json!({"email": EMAIL})).await, 404).await;
    assert_eq!(p.code, "registration_not_started");
    let (id, answer) = app.captcha().await;
    let body =
        json!({"email": EMAIL, "captcha_id": id, "captcha_answer": answer, "agreement_accepted": true});
    let sent: RegistrationSent = ok_json(app.post("/api/v1/registrations", &body).await, 202).await;
    assert_eq!(sent.resend_after, 60);
    let p = problem(app.post("/api/v1/registrations/resend", &json!({"email": EMAIL})).await, 429).await;
    assert_eq!(p.code, "resend_too_soon");
    assert_eq!(app.outbox(EMAIL).await.len(), 1);
    let past = (Utc::now() - Duration::seconds(61)).naive_utc().format("%Y-%m-%d %H:%M:%S");
    sql(&app, &format!("UPDATE registrations SET created_at = '{past}'"));
    assert_eq!(app.post("/api/v1/registrations/resend", &json!({"email": EMAIL})).await.status(), 202);
    assert_eq!(app.outbox(EMAIL).await.len(), 2);
}

async fn sessions_refresh_rotate_and_end(db: TestDb) {
    let app = spawn_app(db).await;
    app.register(EMAIL, COMPANY, LOGIN_PW, PAY_PW).await;
    let p = problem(app.get("/api/v1/me").await, 401).await;
    assert_eq!(p.code, "unauthenticated");

    let browser = client();
    let response = app.login_with(&browser, EMAIL, EMAIL, LOGIN_PW).await;
    let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let first: AccessToken = ok_json(response, 200).await;
    let old_refresh = cookie.split(';').next().unwrap().to_owned();

    let refreshed: AccessToken =
        ok_json(browser.post(app.url("/api/v1/session/refresh")).send().await.unwrap(), 200).await;
    assert_ne!(refreshed.access_token, first.access_token);
    // The old refresh token was rotated away.
    let replay = crate::common::bare_client()
        .post(app.url("/api/v1/session/refresh"))
        .header("cookie", &old_refresh)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(replay, 401).await.code, "session_expired");
    // A spent refresh token shown again means it was copied: the whole session
    // ends, for the thief and the owner alike.
    assert_eq!(
        problem(app.get_with("/api/v1/me", &refreshed.access_token).await, 401).await.code,
        "session_expired"
    );
    let owner = browser.post(app.url("/api/v1/session/refresh")).send().await.unwrap();
    assert_eq!(problem(owner, 401).await.code, "session_expired");

    // Logout revokes the session: its access token and refresh cookie stop working.
    let browser = client();
    let refreshed: AccessToken = ok_json(app.login_with(&browser, EMAIL, EMAIL, LOGIN_PW).await, 200).await;
    let out =
        browser.delete(app.url("/api/v1/session")).bearer_auth(&refreshed.access_token).send().await.unwrap();
    assert_eq!(out.status(), 204);
    assert_eq!(
        problem(app.get_with("/api/v1/me", &refreshed.access_token).await, 401).await.code,
        "session_expired"
    );

    // Log out everywhere ends every device's session.
    let a = app.login(EMAIL, EMAIL, LOGIN_PW).await;
    let b = app.login(EMAIL, EMAIL, LOGIN_PW).await;
    let ended: SessionsEnded = ok_json(
        app.client.post(app.url("/api/v1/session/logout-all")).bearer_auth(&a).send().await.unwrap(),
        200,
    )
    .await;
    assert_eq!(ended.ended, 2);
    assert_eq!(problem(app.get_with("/api/v1/me", &b).await, 401).await.code, "session_expired");
    assert_eq!(problem(app.get_with("/api/v1/me", "garbage").await, 401).await.code, "unauthenticated");
}

async fn five_wrong_passwords_freeze_the_login_across_restarts(db: TestDb) {
    let mut app = spawn_app(db).await;
    app.register(EMAIL, COMPANY, LOGIN_PW, PAY_PW).await;
    for _ in 0..4 {
        let p = problem(app.login_with(&app.client, EMAIL, EMAIL, "wrong-pw1").await, 401).await;
        assert_eq!(p.code, "invalid_credentials");
    }
    let p = problem(app.login_with(&app.client, EMAIL, EMAIL, "wrong-pw1").await, 423).await;
    assert_eq!(p.code, "login_frozen");
    assert!(p.detail.as_deref().unwrap_or("").contains("frozen until"), "{p:?}");
    let p = problem(app.login_with(&app.client, EMAIL, EMAIL, LOGIN_PW).await, 423).await;
    assert_eq!(p.code, "login_frozen", "even the right password waits");

    // A restart (a second server on the same database) still refuses.
    app.restart();
    let p = problem(app.login_with(&app.client, EMAIL, EMAIL, LOGIN_PW).await, 423).await;
    assert_eq!(p.code, "login_frozen");

    // When the freeze has passed, the right password works again and the count restarts.
    let past = (Utc::now() - Duration::seconds(1)).naive_utc().format("%Y-%m-%d %H:%M:%S");
    sql(&app, &format!("UPDATE attempt_locks SET locked_until = '{past}'"));
    let day_ago = (Utc::now() - Duration::hours(25)).naive_utc().format("%Y-%m-%d %H:%M:%S");
    sql(&app, &format!("UPDATE attempt_failures SET created_at = '{day_ago}'"));
    app.login(EMAIL, EMAIL, LOGIN_PW).await;
    assert_eq!(app.db.store().read(|c| count_rows(c, "attempt_failures")).unwrap(), 0);
}

async fn unknown_operator_and_wrong_password_answer_alike(db: TestDb) {
    let app = spawn_app(db).await;
    app.register(EMAIL, COMPANY, LOGIN_PW, PAY_PW).await;
    let wrong_pw = app.login_with(&app.client, EMAIL, EMAIL, "nope-123").await;
    let (s1, b1) = (wrong_pw.status(), wrong_pw.text().await.unwrap());
    let no_operator = app.login_with(&app.client, EMAIL, "ghost", LOGIN_PW).await;
    let (s2, b2) = (no_operator.status(), no_operator.text().await.unwrap());
    let no_merchant = app.login_with(&app.client, "nobody@example.com", "nobody@example.com", LOGIN_PW).await;
    let (s3, b3) = (no_merchant.status(), no_merchant.text().await.unwrap());
    assert_eq!((s1, &b1), (s2, &b2));
    assert_eq!((s1, &b1), (s3, &b3));
}

async fn idle_sessions_end(db: TestDb) {
    let app = spawn_app(db).await;
    app.register(EMAIL, COMPANY, LOGIN_PW, PAY_PW).await;
    let token = app.login(EMAIL, EMAIL, LOGIN_PW).await;
    assert_eq!(app.get_with("/api/v1/me", &token).await.status(), 200);
    let idle = (Utc::now() - Duration::minutes(16)).naive_utc().format("%Y-%m-%d %H:%M:%S");
    sql(&app, &format!("UPDATE sessions SET last_seen_at = '{idle}'"));
    assert_eq!(problem(app.get_with("/api/v1/me", &token).await, 401).await.code, "session_expired");

    // However busy, a session ends 12 hours after sign-in; so does its refresh.
    let browser = client();
    let token: AccessToken = ok_json(app.login_with(&browser, EMAIL, EMAIL, LOGIN_PW).await, 200).await;
    let opened = (Utc::now() - Duration::hours(12)).naive_utc().format("%Y-%m-%d %H:%M:%S");
    sql(&app, &format!("UPDATE sessions SET created_at = '{opened}'"));
    let me = app.get_with("/api/v1/me", &token.access_token).await;
    assert_eq!(problem(me, 401).await.code, "session_expired");
    let refresh = browser.post(app.url("/api/v1/session/refresh")).send().await.unwrap();
    assert_eq!(problem(refresh, 401).await.code, "session_expired");
}

async fn staff_list_merchants_and_lift_a_frozen_login(db: TestDb) {
    let app = spawn_app(db).await;
    app.register(EMAIL, COMPANY, LOGIN_PW, PAY_PW).await;
    for _ in 0..5 {
        app.login_with(&app.client, EMAIL, EMAIL, "wrong-pw1").await;
    }
    assert_eq!(
        problem(app.login_with(&app.client, EMAIL, EMAIL, LOGIN_PW).await, 423).await.code,
        "login_frozen"
    );

    // Operators can't use the console, and staff tokens are not operator tokens.
    let staff = app.staff_token().await;
    assert_eq!(app.get_with("/api/v1/me", &staff).await.status(), 401);
    assert_eq!(app.get("/api/v1/ops/merchants").await.status(), 401);

    let merchants: Page<MerchantSummary> =
        ok_json(app.get_with("/api/v1/ops/merchants", &staff).await, 200).await;
    assert_eq!((merchants.total, merchants.page, merchants.per_page), (1, 1, 20));
    assert_eq!(merchants.items[0].email, EMAIL);
    let frozen: Vec<FrozenLogin> =
        ok_json(app.get_with("/api/v1/ops/frozen-logins", &staff).await, 200).await;
    assert_eq!(frozen.len(), 1);
    assert_eq!((frozen[0].merchant_email.as_str(), frozen[0].operator.as_str()), (EMAIL, EMAIL));

    let unfreeze = format!("/api/v1/ops/operators/{}/unfreeze", frozen[0].operator_id);
    let lifted = app.client.post(app.url(&unfreeze)).bearer_auth(&staff).send().await.unwrap();
    assert_eq!(lifted.status(), 204);
    let again = app.client.post(app.url(&unfreeze)).bearer_auth(&staff).send().await.unwrap();
    assert_eq!(problem(again, 404).await.code, "login_not_frozen");
    let token = app.login(EMAIL, EMAIL, LOGIN_PW).await;
    assert_eq!(app.get_with("/api/v1/me", &token).await.status(), 200);
    let frozen: Vec<FrozenLogin> =
        ok_json(app.get_with("/api/v1/ops/frozen-logins", &staff).await, 200).await;
    assert!(frozen.is_empty());
}

async fn the_demo_merchant_is_seeded_once_and_verified(db: TestDb) {
    let app = spawn_app(db).await;
    use paydesk_server::demo;
    assert!(demo::seed(&app.db.store()).unwrap());
    assert!(!demo::seed(&app.db.store()).unwrap(), "a second start changes nothing");
    for (login, _, role, password) in demo::OPERATORS {
        let token = app.login(demo::MERCHANT, login, password).await;
        let me: Me = ok_json(app.get_with("/api/v1/me", &token).await, 200).await;
        assert_eq!((me.role.as_str(), me.kyb_status.as_str()), (role, "verified"));
    }
    assert_eq!(app.db.store().read(|c| count_rows(c, "staff")).unwrap(), 1);
    let token = app.login(demo::PAYEE.0, demo::PAYEE.0, demo::PAYEE.2).await;
    let me: Me = ok_json(app.get_with("/api/v1/me", &token).await, 200).await;
    assert_eq!(me.kyb_status, "verified");
}

async fn home_shows_balances_security_and_recent_lines(db: TestDb) {
    let app = spawn_app(db).await;
    app.register(EMAIL, COMPANY, LOGIN_PW, PAY_PW).await;
    let token = app.login(EMAIL, EMAIL, LOGIN_PW).await;
    let home: Home = ok_json(app.get_with("/api/v1/home", &token).await, 200).await;
    assert_eq!(
        (home.available.as_str(), home.frozen.as_str(), home.kyb_status.as_str()),
        ("0.00", "0.00", "draft")
    );
    assert!(home.recent.is_empty());
    assert_eq!(home.security.email.as_deref(), Some("f*****e@example.com"));
    assert_eq!((home.security.phone, home.security.payment_password_set), (None, true));

    // Money arrives (as a recharge will): the home page shows it.
    app.fund(1, "1000");
    let home: Home = ok_json(app.get_with("/api/v1/home", &token).await, 200).await;
    assert_eq!(home.available, "1000.00");
    assert_eq!(home.recent.len(), 1);
    assert_eq!(
        (home.recent[0].income.as_deref(), home.recent[0].balance_after.as_str()),
        (Some("1000.00"), "1000.00")
    );
}

async fn staff_and_operator_sessions_live_side_by_side(db: TestDb) {
    let app = spawn_app(db).await;
    app.register(EMAIL, COMPANY, LOGIN_PW, PAY_PW).await;
    let browser = client();
    let _: AccessToken = ok_json(app.login_with(&browser, EMAIL, EMAIL, LOGIN_PW).await, 200).await;
    let hash = paydesk_server::auth::hash_password("staff-pw-1").unwrap();
    app.db.store().write(|c| paydesk_store::identity::create_staff(c, "ops1", &hash)).unwrap();
    let (id, answer) = app.captcha().await;
    let body =
        json!({"login_name": "ops1", "password": "staff-pw-1", "captcha_id": id, "captcha_answer": answer});
    let _: AccessToken = ok_json(app.post_as(&browser, "/api/v1/ops/session", &body).await, 200).await;
    // Both refresh cookies work from the one browser.
    let op: AccessToken =
        ok_json(browser.post(app.url("/api/v1/session/refresh")).send().await.unwrap(), 200).await;
    let staff: AccessToken =
        ok_json(browser.post(app.url("/api/v1/ops/session/refresh")).send().await.unwrap(), 200).await;
    assert_eq!(app.get_with("/api/v1/me", &op.access_token).await.status(), 200);
    assert_eq!(app.get_with("/api/v1/ops/me", &staff.access_token).await.status(), 200);
    let out =
        browser.delete(app.url("/api/v1/ops/session")).bearer_auth(&staff.access_token).send().await.unwrap();
    assert_eq!(out.status(), 204);
    assert_eq!(app.get_with("/api/v1/ops/me", &staff.access_token).await.status(), 401);
    assert_eq!(app.get_with("/api/v1/me", &op.access_token).await.status(), 200);
}

async fn production_mode_shows_no_outbox_and_no_captcha_answers(db: TestDb) {
    let app = spawn_app_in(db, paydesk_server::Mode::Production).await;
    let captcha: paydesk_api_types::Captcha =
        ok_json(app.client.post(app.url("/api/v1/captchas")).send().await.unwrap(), 201).await;
    assert_eq!(captcha.dev_answer, None);
    assert!(captcha.image_svg.starts_with("<svg"));
    assert_eq!(problem(app.get("/api/v1/dev/outbox").await, 404).await.code, "route_not_found");
    assert_eq!(app.get("/dev/outbox").await.status(), 404);
    assert_eq!(app.get("/sandbox/bank/statement.json?account=6222021234561332").await.status(), 404);
    // Without the answer on show, a guess is just a wrong captcha.
    let body =
        json!({"login_name": "x", "password": "y", "captcha_id": captcha.id, "captcha_answer": "XXXX"});
    let p = problem(app.post("/api/v1/ops/session", &body).await, 422).await;
    assert_eq!(p.errors[0].code, "captcha_invalid");
}

/// A captcha whose answer the test knows (production shows none).
fn known_captcha(app: &TestApp, id: &str) -> serde_json::Value {
    let hash = paydesk_server::auth::sha256_hex(&format!("{id}:ABCD"));
    let at = paydesk_server::auth::now();
    app.db
        .store()
        .write(|c| paydesk_store::onboarding::create_captcha(c, id, &hash, at, at + Duration::minutes(5)))
        .unwrap();
    json!({"captcha_id": id, "captcha_answer": "ABCD"})
}

async fn the_production_outbox_keeps_no_codes_or_link_tokens(db: TestDb) {
    let app = spawn_app_in(db, paydesk_server::Mode::Production).await;
    let mut body = known_captcha(&app, "c1");
    body["email"] = json!(EMAIL);
    body["agreement_accepted"] = json!(true);
    assert_eq!(app.post("/api/v1/registrations", &body).await.status(), 202);

    app.register_in_production("prod@example.com").await;
    app.db.store().write(|c| paydesk_store::identity::set_merchant_phone(c, 1, "13800138000")).unwrap();
    let mut login = known_captcha(&app, "c2");
    login["merchant"] = json!("prod@example.com");
    login["operator"] = json!("prod@example.com");
    login["password"] = json!("abc123!x");
    let token: AccessToken = ok_json(app.post("/api/v1/session", &login).await, 200).await;
    let sent = app
        .client
        .post(app.url("/api/v1/sms-codes"))
        .bearer_auth(&token.access_token)
        .json(&json!({"purpose": "fund_operation"}))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 202);

    let kept = app.db.store().read(|c| paydesk_store::outbox::list(c, None, 10)).unwrap();
    let mail = kept.iter().find(|m| m.channel == "email").expect("the registration e-mail");
    assert!(mail.body.contains("token=******"), "{}", mail.body);
    let sms = kept.iter().find(|m| m.channel == "sms").expect("the SMS code");
    assert!(sms.body.contains("******"), "{}", sms.body);
    let digits: Vec<String> = sms
        .body
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() == paydesk_domain::limits::SMS_CODE_DIGITS)
        .map(str::to_owned)
        .collect();
    assert!(digits.is_empty(), "no code in {}", sms.body);
}
