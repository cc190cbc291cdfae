//! Guessable secrets under the lockout rule (five wrong a day freeze for a day),
//! counted before the hash is checked: sign-in for operators and staff, and the
//! payment password per operator (manual §3.1, §3.7.2), on both backends.

use crate::common::{ok_json, payer_and_payee, TestApp, PAYEE, PAYER, PAY_PW, PW};
use paydesk_api_types::{FrozenLogin, Problem};
use paydesk_store::testing::TestDb;
use serde_json::{json, Value};

on_both_backends_async!(
    fifty_parallel_wrong_sign_ins_lock_after_exactly_five,
    the_sixth_payment_password_is_refused_even_when_right,
    parallel_wrong_payment_passwords_are_all_counted,
    staff_sign_in_has_the_same_lockout_and_can_be_disabled,
    captchas_and_sign_ins_are_rate_limited,
);

async fn sign_in_body(app: &TestApp, password: &str) -> Value {
    let (id, answer) = app.captcha().await;
    json!({"merchant": PAYER, "operator": "applicant", "password": password, "captcha_id": id, "captcha_answer": answer})
}

async fn fifty_parallel_wrong_sign_ins_lock_after_exactly_five(db: TestDb) {
    // Five passwords are checked: four answer "wrong", the fifth freezes the
    // login (as when they come one by one), the other 45 are refused unchecked.
    let app = payer_and_payee(db, "1.00").await;
    let mut bodies = Vec::new();
    for _ in 0..50 {
        bodies.push(sign_in_body(&app, "wrong-pw-9").await);
    }
    let racers = bodies.iter().map(|b| app.client.post(app.url("/api/v1/session")).json(b).send());
    let answers = futures_util::future::join_all(racers).await;
    let mut statuses: Vec<u16> = answers.into_iter().map(|r| r.unwrap().status().as_u16()).collect();
    statuses.sort_unstable();
    let wrong = statuses.iter().filter(|s| **s == 401).count();
    let frozen = statuses.iter().filter(|s| **s == 423).count();
    assert_eq!((wrong, frozen), (4, 46), "{statuses:?}");
    assert_eq!(app.db.store().read(|c| paydesk_store::db::count_rows(c, "attempt_failures")).unwrap(), 5);
    // The right password waits too; the admin's own login is not touched.
    let right = sign_in_body(&app, PW).await;
    let p: Problem = ok_json(app.post("/api/v1/session", &right).await, 423).await;
    assert_eq!(p.code, "login_frozen");
    app.login(PAYER, PAYER, PW).await;
}

async fn transfer(app: &TestApp, token: &str, payment_password: &str) -> reqwest::Response {
    let body = json!({"lines": [{"payee": PAYEE, "amount": "1.00"}], "payment_password": payment_password});
    app.client.post(app.url("/api/v1/transfers")).bearer_auth(token).json(&body).send().await.unwrap()
}

async fn the_sixth_payment_password_is_refused_even_when_right(db: TestDb) {
    let app = payer_and_payee(db, "100.00").await;
    let token = app.login(PAYER, "applicant", PW).await;
    for left in (1..5).rev() {
        let p: Problem = ok_json(transfer(&app, &token, "wrong-pay-1").await, 422).await;
        assert_eq!(p.errors[0].code, "payment_password_wrong");
        assert!(p.errors[0].message.contains(&format!("{left} more")), "{p:?}");
    }
    let p: Problem = ok_json(transfer(&app, &token, "wrong-pay-1").await, 423).await;
    assert_eq!(p.code, "payment_password_locked");
    let p: Problem = ok_json(transfer(&app, &token, PAY_PW).await, 423).await;
    assert_eq!(p.code, "payment_password_locked", "the right one is refused while locked");
    assert!(p.detail.as_deref().unwrap_or("").contains("until"), "{p:?}");

    // The admin was told by e-mail; another operator is not locked.
    let mails = app.outbox(PAYER).await;
    assert!(
        mails.iter().any(|m| m.subject.contains("支付密码已锁定") && m.body.contains("applicant")),
        "{mails:?}"
    );
    let hash = paydesk_server::auth::hash_password(PW).unwrap();
    app.db
        .store()
        .write(|c| {
            paydesk_store::identity::create_operator(c, 1, "applicant2", "申请员二", &hash, "applicant", None)
        })
        .unwrap();
    let other = app.login(PAYER, "applicant2", PW).await;
    let p: Problem = ok_json(transfer(&app, &other, "wrong-pay-1").await, 422).await;
    assert_eq!(p.errors[0].code, "payment_password_wrong");

    // Staff see it and lift it; then the right password pays.
    let staff = app.staff_token().await;
    let frozen: Vec<FrozenLogin> =
        ok_json(app.get_with("/api/v1/ops/frozen-logins", &staff).await, 200).await;
    assert_eq!(frozen.len(), 1);
    assert_eq!((frozen[0].kind.as_str(), frozen[0].operator.as_str()), ("payment_password", "applicant"));
    let lift = format!("/api/v1/ops/operators/{}/unfreeze?kind=payment_password", frozen[0].operator_id);
    assert_eq!(app.client.post(app.url(&lift)).bearer_auth(&staff).send().await.unwrap().status(), 204);
    assert_eq!(transfer(&app, &token, PAY_PW).await.status().as_u16(), 201);
    app.assert_books_balance();
}

async fn parallel_wrong_payment_passwords_are_all_counted(db: TestDb) {
    let app = payer_and_payee(db, "100.00").await;
    let token = app.login(PAYER, "applicant", PW).await;
    let racers = (0..12).map(|_| transfer(&app, &token, "wrong-pay-1"));
    let mut statuses = Vec::new();
    for r in futures_util::future::join_all(racers).await {
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        assert!(
            text.contains("payment_password_wrong") || text.contains("payment_password_locked"),
            "{text}"
        );
        statuses.push(status);
    }
    statuses.sort_unstable();
    assert_eq!(statuses.iter().filter(|s| **s == 422).count(), 4, "{statuses:?}");
    // Exactly five were checked: the five counted failures in the store.
    assert_eq!(app.db.store().read(|c| paydesk_store::db::count_rows(c, "attempt_failures")).unwrap(), 5);
    assert_eq!(statuses.iter().filter(|s| **s == 423).count(), 8, "{statuses:?}");
    assert_eq!(transfer(&app, &token, PAY_PW).await.status().as_u16(), 423);
}

async fn staff_sign_in_has_the_same_lockout_and_can_be_disabled(db: TestDb) {
    let app = payer_and_payee(db, "1.00").await;
    app.staff_token().await;
    for _ in 0..4 {
        assert_eq!(staff_login(&app, "wrong-staff-1").await, 401);
    }
    assert_eq!(staff_login(&app, "wrong-staff-1").await, 423);
    assert_eq!(staff_login(&app, "staff-pw-1").await, 423, "frozen even with the right password");

    // Lifted (by another staff member, here straight in the store), then disabled.
    let store = app.db.store();
    store
        .write(|c| {
            paydesk_store::attempts::clear(c, paydesk_domain::states::AttemptKind::StaffSignIn, 1)?;
            paydesk_store::identity::set_staff_status(c, 1, paydesk_domain::states::StaffStatus::Disabled)
        })
        .unwrap();
    assert_eq!(staff_login(&app, "staff-pw-1").await, 403);
}

async fn staff_login(app: &TestApp, password: &str) -> u16 {
    let (id, answer) = app.captcha().await;
    let body =
        json!({"login_name": "ops1", "password": password, "captcha_id": id, "captcha_answer": answer});
    app.post("/api/v1/ops/session", &body).await.status().as_u16()
}

async fn captchas_and_sign_ins_are_rate_limited(db: TestDb) {
    use paydesk_domain::limits::rate;
    let app = payer_and_payee(db, "1.00").await;
    // Per account: the sign-in allowance of one operator, then 429 with Retry-After.
    let (allowed, window) = rate::SIGN_IN_PER_ACCOUNT;
    let mut answered = Vec::new();
    for _ in 0..allowed - 2 {
        // (payer_and_payee signed nobody in; two captchas are spent below)
        let body = sign_in_body(&app, "wrong-pw-9").await;
        answered.push(app.post("/api/v1/session", &body).await.status().as_u16());
    }
    assert!(answered.iter().all(|s| *s == 401 || *s == 423), "{answered:?}");
    for _ in 0..2 {
        let body = sign_in_body(&app, "wrong-pw-9").await;
        assert_ne!(app.post("/api/v1/session", &body).await.status().as_u16(), 429);
    }
    let body = sign_in_body(&app, PW).await;
    let refused = app.post("/api/v1/session", &body).await;
    assert_eq!(refused.status().as_u16(), 429);
    let retry: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= window, "{retry}");
    let p: Problem = refused.json().await.unwrap();
    assert_eq!(p.code, "too_many_requests");
    // Another operator of the same merchant is not affected.
    app.login(PAYER, "auditor", PW).await;

    // Per address: captchas (two registrations and the sign-ins above took allowed + 4).
    let (captchas, _) = rate::CAPTCHA_PER_IP;
    let mut statuses = Vec::new();
    for _ in 0..captchas {
        statuses.push(app.client.post(app.url("/api/v1/captchas")).send().await.unwrap().status().as_u16());
    }
    let first_refused = statuses.iter().position(|s| *s == 429).expect("captchas are limited");
    assert_eq!(first_refused as u32, captchas - allowed - 4, "{statuses:?}");
    assert!(statuses[first_refused..].iter().all(|s| *s == 429));
}
