//! 安全中心 (manual §3.7) over HTTP, on both backends: the overview, changing
//! the login password, and an admin's reset.

use crate::common::{ok_json, payer_and_payee, TestApp, PAYER, PAY_PW, PW};
use paydesk_api_types::{OperatorView, Problem, SecurityOverview};
use paydesk_store::testing::TestDb;
use serde_json::json;

on_both_backends_async!(
    the_overview_shows_each_protection_masked,
    changing_the_login_password_ends_the_other_sessions,
    an_admins_reset_ends_the_sessions_and_asks_for_a_new_password,
    a_phone_is_bound_and_changed_only_with_codes_sent_to_it,
    the_payment_password_is_changed_for_every_operator,
    sign_ins_and_security_changes_are_in_the_operation_log,
    a_forgotten_login_password_is_recovered_through_the_emailed_link,
    an_email_is_bound_changed_and_unbound_through_links,
    a_forgotten_payment_password_is_recovered_and_the_lock_lifted,
);

async fn the_overview_shows_each_protection_masked(db: TestDb) {
    let app = payer_and_payee(db, "1.00").await;
    let admin = app.login(PAYER, PAYER, PW).await;
    let o: SecurityOverview = ok_json(app.get_with("/api/v1/security", &admin).await, 200).await;
    assert_eq!(o.phone.as_deref(), Some("138****8000"));
    assert_eq!(o.email.as_deref(), Some("p***r@example.com"));
    assert!(o.payment_password_set && !o.security_key_bound && !o.password_change_required);
    assert_eq!((o.kyb_status.as_str(), o.level.as_str()), ("verified", "medium"));
    // The applicant has a phone but no bound e-mail.
    let applicant = app.login(PAYER, "applicant", PW).await;
    let o: SecurityOverview = ok_json(app.get_with("/api/v1/security", &applicant).await, 200).await;
    assert_eq!((o.phone.as_deref(), o.email.as_deref()), (Some("139****9000"), None));
}

async fn changing_the_login_password_ends_the_other_sessions(db: TestDb) {
    let app = payer_and_payee(db, "1.00").await;
    let here = app.login(PAYER, "applicant", PW).await;
    let elsewhere = app.login(PAYER, "applicant", PW).await;
    let change = |old: &str, new: &str| {
        let body = json!({"old_password": old, "new_password": new});
        let request =
            app.client.put(app.url("/api/v1/security/login-password")).bearer_auth(&here).json(&body);
        async move { request.send().await.unwrap() }
    };
    let p: Problem = ok_json(change("wrong-pw-1", "brand-new-9").await, 422).await;
    assert_eq!(p.errors[0].code, "password_wrong");
    let p: Problem = ok_json(change(PW, "short1!").await, 422).await;
    assert_eq!((p.errors[0].field.as_str(), p.errors[0].code.as_str()), ("new_password", "password_length"));
    let p: Problem = ok_json(change(PW, PW).await, 422).await;
    assert_eq!(p.errors[0].code, "password_unchanged");
    assert_eq!(change(PW, "brand-new-9").await.status(), 204);

    assert_eq!(app.get_with("/api/v1/home", &here).await.status(), 200, "this session goes on");
    let p: Problem = ok_json(app.get_with("/api/v1/home", &elsewhere).await, 401).await;
    assert_eq!(p.code, "session_expired", "the other one ended");
    assert_eq!(app.login_with(&app.client, PAYER, "applicant", PW).await.status(), 401);
    app.login(PAYER, "applicant", "brand-new-9").await;
}

async fn an_admins_reset_ends_the_sessions_and_asks_for_a_new_password(db: TestDb) {
    let app = payer_and_payee(db, "1.00").await;
    let applicant = app.login(PAYER, "applicant", PW).await;
    let admin = app.login(PAYER, PAYER, PW).await;
    let unlock = json!({"payment_password": PAY_PW});
    let r =
        app.client.post(app.url("/api/v1/operators/unlock")).bearer_auth(&admin).json(&unlock).send().await;
    assert_eq!(r.unwrap().status(), 200);
    let list: Vec<OperatorView> = ok_json(app.get_with("/api/v1/operators", &admin).await, 200).await;
    let target = list.iter().find(|o| o.login_name == "applicant").unwrap();
    let reset = json!({"display_name": "申请员", "role_id": target.role_id, "password": "set-by-admin1"});
    let r = app
        .client
        .put(app.url(&format!("/api/v1/operators/{}", target.id)))
        .bearer_auth(&admin)
        .json(&reset)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let p: Problem = ok_json(app.get_with("/api/v1/home", &applicant).await, 401).await;
    assert_eq!(p.code, "session_expired");
    let fresh = app.login(PAYER, "applicant", "set-by-admin1").await;
    let p: Problem = ok_json(app.get_with("/api/v1/home", &fresh).await, 403).await;
    assert_eq!(p.code, "password_change_required");
    let o: SecurityOverview = ok_json(app.get_with("/api/v1/security", &fresh).await, 200).await;
    assert!(o.password_change_required);
    let body = json!({"old_password": "set-by-admin1", "new_password": "my-own-pw-2"});
    let r = app
        .client
        .put(app.url("/api/v1/security/login-password"))
        .bearer_auth(&fresh)
        .json(&body)
        .send()
        .await;
    assert_eq!(r.unwrap().status(), 204);
    assert_eq!(app.get_with("/api/v1/home", &fresh).await.status(), 200);
}

/// Asks for a code (`purpose`, and for `new_phone` the phone) and reads it from
/// the SMS outbox of `to`.
async fn code(app: &TestApp, token: &str, purpose: &str, to: &str) -> String {
    let body = json!({"purpose": purpose, "phone": to});
    let r =
        app.client.post(app.url("/api/v1/sms-codes")).bearer_auth(token).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 202, "{}", r.text().await.unwrap());
    app.outbox(to).await[0].body.chars().filter(char::is_ascii_digit).take(6).collect()
}

async fn put_phone(app: &TestApp, token: &str, body: &serde_json::Value) -> reqwest::Response {
    app.client.put(app.url("/api/v1/security/phone")).bearer_auth(token).json(body).send().await.unwrap()
}

async fn a_phone_is_bound_and_changed_only_with_codes_sent_to_it(db: TestDb) {
    let app = payer_and_payee(db, "1.00").await;
    let hash = paydesk_server::auth::hash_password(PW).unwrap();
    app.db
        .store()
        .write(|c| {
            paydesk_store::identity::create_operator(c, 1, "clerk", "办事员", &hash, "applicant", None)
        })
        .unwrap();
    let clerk = app.login(PAYER, "clerk", PW).await;
    let o: SecurityOverview = ok_json(app.get_with("/api/v1/security", &clerk).await, 200).await;
    assert_eq!(o.phone, None);
    // Without a phone there is nowhere to send a fund code.
    let r = app
        .client
        .post(app.url("/api/v1/sms-codes"))
        .bearer_auth(&clerk)
        .json(&json!({"purpose": "fund_operation"}));
    let p: Problem = ok_json(r.send().await.unwrap(), 422).await;
    assert_eq!(p.errors[0].code, "phone_not_bound");

    // Bind: payment password, the new phone and the code sent to it.
    let sent = code(&app, &clerk, "new_phone", "13512345678").await;
    let bind = |pay: &str, sms: &str| json!({"method": "bind", "payment_password": pay, "phone": "13512345678", "sms_code": sms});
    let p: Problem = ok_json(put_phone(&app, &clerk, &bind("wrong-pay-1", &sent)).await, 422).await;
    assert_eq!(p.errors[0].code, "payment_password_wrong");
    let p: Problem = ok_json(put_phone(&app, &clerk, &bind(PAY_PW, "000000")).await, 422).await;
    assert_eq!(p.errors[0].code, "sms_code_wrong");
    let o: SecurityOverview = ok_json(put_phone(&app, &clerk, &bind(PAY_PW, &sent)).await, 200).await;
    assert_eq!(o.phone.as_deref(), Some("135****5678"));
    let p: Problem = ok_json(put_phone(&app, &clerk, &bind(PAY_PW, &sent)).await, 409).await;
    assert_eq!(p.code, "phone_state");

    // A code for one phone does not bind another.
    let for_other = code(&app, &clerk, "new_phone", "13622223333").await;
    let swapped = json!({"method": "old_phone", "payment_password": PAY_PW, "old_sms_code": "123456",
        "phone": "13633334444", "sms_code": for_other});
    let p: Problem = ok_json(put_phone(&app, &clerk, &swapped).await, 422).await;
    assert_eq!(p.errors[0].field, "old_sms_code");

    // Change with the old phone: a code to it, then the new phone's code.
    let old = code(&app, &clerk, "security", "13512345678").await;
    let new = code(&app, &clerk, "new_phone", "13611112222").await;
    let change = json!({"method": "old_phone", "payment_password": PAY_PW, "old_sms_code": old,
        "phone": "13611112222", "sms_code": new});
    let o: SecurityOverview = ok_json(put_phone(&app, &clerk, &change).await, 200).await;
    assert_eq!(o.phone.as_deref(), Some("136****2222"));

    // Change with the licence number when the old phone is lost.
    let filing = json!({"enterprise_type": "enterprise", "licence_number": "91350100M000100Y43", "licence_long_term": true,
        "licence_scan": "", "province": "上海市", "city": "上海市", "district": "浦东新区", "address": "世纪大道 1 号"});
    app.db
        .store()
        .write(|c| {
            paydesk_store::kyb::save_step(
                c,
                1,
                paydesk_store::kyb::Step::Filing,
                &filing.to_string(),
                paydesk_server::auth::now(),
            )
        })
        .unwrap();
    let new = code(&app, &clerk, "new_phone", "13799990000").await;
    let lost = |licence: &str| {
        json!({"method": "licence", "payment_password": PAY_PW, "licence_number": licence,
        "phone": "13799990000", "sms_code": new})
    };
    let p: Problem = ok_json(put_phone(&app, &clerk, &lost("91350100M000100Y44")).await, 422).await;
    assert_eq!(p.errors[0].code, "licence_number_wrong");
    let o: SecurityOverview = ok_json(put_phone(&app, &clerk, &lost("91350100M000100Y43")).await, 200).await;
    assert_eq!(o.phone.as_deref(), Some("137****0000"));

    // Fund codes now go to the new phone; then unbind.
    code(&app, &clerk, "fund_operation", "13799990000").await;
    let sms = code(&app, &clerk, "security", "13799990000").await;
    let unbind = json!({"payment_password": PAY_PW, "sms_code": sms});
    let r = app
        .client
        .post(app.url("/api/v1/security/phone/unbind"))
        .bearer_auth(&clerk)
        .json(&unbind)
        .send()
        .await;
    let o: SecurityOverview = ok_json(r.unwrap(), 200).await;
    assert_eq!(o.phone, None);
}

async fn the_payment_password_is_changed_for_every_operator(db: TestDb) {
    let app = payer_and_payee(db, "100.00").await;
    let admin = app.login(PAYER, PAYER, PW).await;
    let change = |old: &str, new: &str| {
        let body = json!({"old_payment_password": old, "new_payment_password": new});
        let request =
            app.client.put(app.url("/api/v1/security/payment-password")).bearer_auth(&admin).json(&body);
        async move { request.send().await.unwrap() }
    };
    let p: Problem = ok_json(change("wrong-pay-1", "new-pay-77").await, 422).await;
    assert_eq!(p.errors[0].code, "payment_password_wrong");
    let p: Problem = ok_json(change(PAY_PW, "abc").await, 422).await;
    assert_eq!(
        (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
        ("new_payment_password", "password_length")
    );
    let p: Problem = ok_json(change(PAY_PW, PW).await, 422).await;
    assert_eq!(p.errors[0].code, "payment_password_same_as_login");
    assert_eq!(change(PAY_PW, "new-pay-77").await.status(), 204);

    // The applicant's transfer now takes the new one.
    let applicant = app.login(PAYER, "applicant", PW).await;
    let transfer = |pay: &str| {
        let body =
            json!({"lines": [{"payee": "payee@example.com", "amount": "1.00"}], "payment_password": pay});
        let request = app.client.post(app.url("/api/v1/transfers")).bearer_auth(&applicant).json(&body);
        async move { request.send().await.unwrap() }
    };
    let p: Problem = ok_json(transfer(PAY_PW).await, 422).await;
    assert_eq!(p.errors[0].code, "payment_password_wrong");
    assert_eq!(transfer("new-pay-77").await.status(), 201);
    // It is the merchant's: an operator without account settings can't change it.
    let p: Problem = ok_json(
        app.client
            .put(app.url("/api/v1/security/payment-password"))
            .bearer_auth(&applicant)
            .json(&json!({"old_payment_password": "new-pay-77", "new_payment_password": "other-pay-8"}))
            .send()
            .await
            .unwrap(),
        403,
    )
    .await;
    assert_eq!(p.code, "permission_denied");
}

async fn sign_ins_and_security_changes_are_in_the_operation_log(db: TestDb) {
    use paydesk_api_types::{OperationLogEntry, Page};
    let app = payer_and_payee(db, "1.00").await;
    assert_eq!(app.login_with(&app.client, PAYER, "applicant", "wrong-pw-1").await.status(), 401);
    let applicant = app.login(PAYER, "applicant", PW).await;
    let body = json!({"old_password": PW, "new_password": "brand-new-9"});
    let r =
        app.client.put(app.url("/api/v1/security/login-password")).bearer_auth(&applicant).json(&body).send();
    assert_eq!(r.await.unwrap().status(), 204);
    let admin = app.login(PAYER, PAYER, PW).await;
    let log: Page<OperationLogEntry> =
        ok_json(app.get_with("/api/v1/operation-log?per_page=50", &admin).await, 200).await;
    let lines: Vec<(String, String, u16)> =
        log.items.iter().rev().map(|e| (e.operator.clone(), e.action.clone(), e.status)).collect();
    let applicant_name = "申请员 (applicant)".to_owned();
    let expected = [
        (applicant_name.clone(), "POST /api/v1/session".to_owned(), 401),
        (applicant_name.clone(), "POST /api/v1/session".to_owned(), 200),
        (applicant_name, "PUT /api/v1/security/login-password".to_owned(), 204),
    ];
    for e in &expected {
        assert!(lines.contains(e), "{e:?} not in {lines:?}");
    }
    // Each once: the sign-in is not logged a second time without a name.
    assert_eq!(lines.iter().filter(|l| l.1 == "POST /api/v1/session").count(), 3, "{lines:?}");
    paydesk_server::oplog::seal_waiting(&app.db.store()).unwrap();
    let verified = app.db.store().read(paydesk_store::oplog::verify).unwrap();
    assert!(verified.breaks.is_empty() && verified.chained >= 4, "{verified:?}");
}

fn save_filing(app: &TestApp) {
    let filing = json!({"enterprise_type": "enterprise", "licence_number": "91350100M000100Y43", "licence_long_term": true,
        "licence_scan": "", "province": "上海市", "city": "上海市", "district": "浦东新区", "address": "世纪大道 1 号"});
    let at = paydesk_server::auth::now();
    app.db
        .store()
        .write(|c| {
            paydesk_store::kyb::save_step(c, 1, paydesk_store::kyb::Step::Filing, &filing.to_string(), at)
        })
        .unwrap();
}

async fn a_forgotten_login_password_is_recovered_through_the_emailed_link(db: TestDb) {
    use paydesk_api_types::{RecoveryLink, RecoveryLinkSent, RecoveryStarted};
    let app = payer_and_payee(db, "1.00").await;
    save_filing(&app);
    let before = app.login(PAYER, PAYER, PW).await;
    let start = |merchant: &str| {
        let app = &app;
        let merchant = merchant.to_owned();
        async move {
            let (id, answer) = app.captcha().await;
            let body = json!({"merchant": merchant, "captcha_id": id, "captcha_answer": answer});
            let started: RecoveryStarted = ok_json(app.post("/api/v1/recoveries", &body).await, 201).await;
            started.recovery_id
        }
    };
    // An unknown account gets an id too, which never verifies.
    let nobody = start("nobody@example.com").await;
    let body = json!({"licence_number": "91350100M000100Y43", "sms_code": "123456"});
    let p: Problem =
        ok_json(app.post(&format!("/api/v1/recoveries/{nobody}/verify"), &body).await, 422).await;
    assert_eq!(p.errors[0].code, "licence_number_wrong");

    let id = start(PAYER).await;
    assert_eq!(app.post(&format!("/api/v1/recoveries/{id}/sms-code"), &json!({})).await.status(), 202);
    let sms: String =
        app.outbox("13800138000").await[0].body.chars().filter(char::is_ascii_digit).take(6).collect();
    let verify = |licence: &str| json!({"licence_number": licence, "sms_code": sms});
    let p: Problem = ok_json(
        app.post(&format!("/api/v1/recoveries/{id}/verify"), &verify("91350100M000100Y44")).await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "licence_number_wrong");
    let sent: RecoveryLinkSent = ok_json(
        app.post(&format!("/api/v1/recoveries/{id}/verify"), &verify("91350100M000100Y43")).await,
        202,
    )
    .await;
    assert_eq!(sent.email, "p***r@example.com");
    let p: Problem =
        ok_json(app.post(&format!("/api/v1/recoveries/{id}/resend"), &json!({})).await, 429).await;
    assert_eq!(p.code, "resend_too_soon");

    let mail =
        app.outbox(PAYER).await.into_iter().find(|m| m.body.contains("/recover/complete?token=")).unwrap();
    let token = mail.body.split("token=").nth(1).unwrap().split_whitespace().next().unwrap().to_owned();
    let link: RecoveryLink = ok_json(app.get(&format!("/api/v1/recoveries/links/{token}")).await, 200).await;
    assert_eq!((link.merchant.as_str(), link.operator.as_str()), (PAYER, PAYER));
    let path = format!("/api/v1/recoveries/links/{token}");
    let done = |pw: &str| {
        let (app, path, body) = (&app, path.clone(), json!({"new_password": pw}));
        async move { app.post(&path, &body).await }
    };
    let p: Problem = ok_json(done("short1!").await, 422).await;
    assert_eq!(p.errors[0].code, "password_length");
    assert_eq!(done("recovered-9").await.status(), 204);
    let p: Problem = ok_json(done("recovered-9").await, 410).await;
    assert_eq!(p.code, "link_used");

    // Every session of that operator ended; only the new password signs in.
    let p: Problem = ok_json(app.get_with("/api/v1/home", &before).await, 401).await;
    assert_eq!(p.code, "session_expired");
    assert_eq!(app.login_with(&app.client, PAYER, PAYER, PW).await.status(), 401);
    app.login(PAYER, PAYER, "recovered-9").await;
}

/// The token of the newest e-mailed link to `to`.
async fn link_token(app: &TestApp, to: &str) -> String {
    let mail = app.outbox(to).await.into_iter().find(|m| m.body.contains("token=")).expect("a link");
    mail.body.split("token=").nth(1).unwrap().split_whitespace().next().unwrap().to_owned()
}

async fn an_email_is_bound_changed_and_unbound_through_links(db: TestDb) {
    use paydesk_api_types::{EmailLinkUsed, EmailLinkView};
    let app = payer_and_payee(db, "1.00").await;
    let applicant = app.login(PAYER, "applicant", PW).await;
    let post = |path: &str, body: serde_json::Value| {
        let request = app.client.post(app.url(path)).bearer_auth(&applicant).json(&body);
        async move { request.send().await.unwrap() }
    };
    let p: Problem = ok_json(
        post("/api/v1/security/email", json!({"payment_password": "wrong-pay-1", "email": "alice@corp.cn"}))
            .await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "payment_password_wrong");
    assert_eq!(
        post("/api/v1/security/email", json!({"payment_password": PAY_PW, "email": "alice@corp.cn"}))
            .await
            .status(),
        202
    );
    let o: SecurityOverview = ok_json(app.get_with("/api/v1/security", &applicant).await, 200).await;
    assert_eq!(o.email, None, "not bound until the link is opened");
    let token = link_token(&app, "alice@corp.cn").await;
    let v: EmailLinkView = ok_json(app.get(&format!("/api/v1/email-links/{token}")).await, 200).await;
    assert_eq!(v.purpose, "activate");
    let used: EmailLinkUsed =
        ok_json(app.post(&format!("/api/v1/email-links/{token}"), &json!({})).await, 200).await;
    assert_eq!(used.result, "bound");
    let p: Problem = ok_json(app.post(&format!("/api/v1/email-links/{token}"), &json!({})).await, 410).await;
    assert_eq!(p.code, "link_used");
    let o: SecurityOverview = ok_json(app.get_with("/api/v1/security", &applicant).await, 200).await;
    assert_eq!(o.email.as_deref(), Some("a***e@corp.cn"));
    let p: Problem = ok_json(
        post("/api/v1/security/email", json!({"payment_password": PAY_PW, "email": "brian@corp.cn"})).await,
        409,
    )
    .await;
    assert_eq!(p.code, "email_state");

    // Change: the current address confirms, the new one activates.
    assert_eq!(
        post("/api/v1/security/email/change", json!({"payment_password": PAY_PW})).await.status(),
        202
    );
    let old = link_token(&app, "alice@corp.cn").await;
    let v: EmailLinkView = ok_json(app.get(&format!("/api/v1/email-links/{old}")).await, 200).await;
    assert_eq!(v.purpose, "verify_old");
    let used: EmailLinkUsed = ok_json(
        app.post(&format!("/api/v1/email-links/{old}"), &json!({"new_email": "brian@corp.cn"})).await,
        200,
    )
    .await;
    assert_eq!(used.result, "activation_sent");
    let o: SecurityOverview = ok_json(app.get_with("/api/v1/security", &applicant).await, 200).await;
    assert_eq!(o.email.as_deref(), Some("a***e@corp.cn"), "the old one stays until the new one is activated");
    let new = link_token(&app, "brian@corp.cn").await;
    ok_json::<EmailLinkUsed>(app.post(&format!("/api/v1/email-links/{new}"), &json!({})).await, 200).await;
    let o: SecurityOverview = ok_json(app.get_with("/api/v1/security", &applicant).await, 200).await;
    assert_eq!(o.email.as_deref(), Some("b***n@corp.cn"));

    assert_eq!(
        post("/api/v1/security/email/unbind", json!({"payment_password": PAY_PW})).await.status(),
        204
    );
    let o: SecurityOverview = ok_json(app.get_with("/api/v1/security", &applicant).await, 200).await;
    assert_eq!(o.email, None);
}

async fn a_forgotten_payment_password_is_recovered_and_the_lock_lifted(db: TestDb) {
    use paydesk_api_types::{RecoveryLink, RecoveryStarted};
    let app = payer_and_payee(db, "1.00").await;
    save_filing(&app);
    let admin = app.login(PAYER, PAYER, PW).await;
    // Locked out after five wrong payment passwords.
    for _ in 0..5 {
        let body = json!({"old_payment_password": "wrong-pay-1", "new_payment_password": "new-pay-77"});
        app.client
            .put(app.url("/api/v1/security/payment-password"))
            .bearer_auth(&admin)
            .json(&body)
            .send()
            .await
            .unwrap();
    }
    let r = app.client.post(app.url("/api/v1/security/payment-password/recovery")).bearer_auth(&admin).send();
    let started: RecoveryStarted = ok_json(r.await.unwrap(), 201).await;
    let id = started.recovery_id;
    assert_eq!(app.post(&format!("/api/v1/recoveries/{id}/sms-code"), &json!({})).await.status(), 202);
    let sms: String =
        app.outbox("13800138000").await[0].body.chars().filter(char::is_ascii_digit).take(6).collect();
    let verify = json!({"licence_number": "91350100M000100Y43", "sms_code": sms});
    assert_eq!(app.post(&format!("/api/v1/recoveries/{id}/verify"), &verify).await.status(), 202);
    let mail = app.outbox(PAYER).await.into_iter().find(|m| m.subject.contains("支付密码")).unwrap();
    let token = mail.body.split("token=").nth(1).unwrap().split_whitespace().next().unwrap().to_owned();
    let link: RecoveryLink = ok_json(app.get(&format!("/api/v1/recoveries/links/{token}")).await, 200).await;
    assert_eq!(link.kind, "payment_password");
    let done =
        app.post(&format!("/api/v1/recoveries/links/{token}"), &json!({"new_password": "found-pay-5"})).await;
    assert_eq!(done.status(), 204);

    // The session goes on; the lock is lifted and the new payment password works.
    let body = json!({"old_payment_password": "found-pay-5", "new_payment_password": "again-pay-6"});
    let r =
        app.client.put(app.url("/api/v1/security/payment-password")).bearer_auth(&admin).json(&body).send();
    assert_eq!(r.await.unwrap().status(), 204);
}
