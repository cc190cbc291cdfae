//! The integrator gateway's credentials and signatures on both backends (issue
//! 12): an API client and its keys behind the payment password; a signed
//! request answered and its response signed by the platform; a bad signature, a
//! stale timestamp, a reused nonce, an unknown app id and a revoked key each
//! refused with 401 and its own code.

use crate::common::{ok_json, TestApp, PAYER, PAY_PW, PW};
use base64::Engine;
use paydesk_api_types::{ApiClientView, ApiKeyView, GatewayWhoAmI, PlatformPublicKey, Problem, RoleView};
use paydesk_domain::gateway::{canonical, header, response_canonical};
use paydesk_server::gateway_keys::{PlatformKey, PublicKey};
use paydesk_store::testing::TestDb;
use serde_json::json;

on_both_backends_async!(
    signed_requests_are_answered_and_every_refusal_has_its_code,
    an_address_refused_too_often_waits
);

const RSA_PRIVATE: &str = include_str!("../fixtures/integrator-rsa2048.key.pem");
const RSA_PUBLIC: &str = include_str!("../fixtures/integrator-rsa2048.pub.pem");
const WEAK_PUBLIC: &str = include_str!("../fixtures/weak-rsa1024.pub.pem");
const WHOAMI: &str = "/api/v1/gateway/whoami";

fn rsa_sign(message: &[u8]) -> String {
    use rsa::pkcs8::DecodePrivateKey as _;
    use rsa::signature::{SignatureEncoding as _, Signer as _};
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(RSA_PRIVATE).unwrap();
    let sig = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key).sign(message);
    base64::engine::general_purpose::STANDARD.encode(sig.to_bytes())
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn signed_get(app: &TestApp, value: &str) -> reqwest::Response {
    app.client.get(app.url(WHOAMI)).header("Authorization", value).send().await.unwrap()
}

/// The Authorization header for a GET of whoami, signed by `sign`.
fn auth(app_id: &str, ts: i64, nonce: &str, sign: impl Fn(&[u8]) -> String) -> String {
    header(app_id, ts, nonce, &sign(&canonical("GET", WHOAMI, ts, nonce, b"")))
}

async fn code(response: reqwest::Response) -> String {
    let p: Problem = ok_json(response, 401).await;
    p.code
}

async fn post(app: &TestApp, token: &str, path: &str, body: serde_json::Value) -> reqwest::Response {
    app.client.post(app.url(path)).bearer_auth(token).json(&body).send().await.unwrap()
}

async fn signed_requests_are_answered_and_every_refusal_has_its_code(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let admin = app.login(PAYER, PAYER, PW).await;
    let unlock = post(&app, &admin, "/api/v1/operators/unlock", json!({"payment_password": PAY_PW})).await;
    assert_eq!(unlock.status(), 200);
    let roles: Vec<RoleView> = ok_json(app.get_with("/api/v1/roles", &admin).await, 200).await;
    let applicant_role = roles.iter().find(|r| r.name == "申请").unwrap().id;

    // An API client, behind the payment password.
    let p: Problem = ok_json(
        post(
            &app,
            &admin,
            "/api/v1/api-clients",
            json!({"name": "ERP", "role_id": applicant_role, "payment_password": "wrong-1"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "payment_password_wrong");
    let client: ApiClientView = ok_json(
        post(
            &app,
            &admin,
            "/api/v1/api-clients",
            json!({"name": "ERP", "role_id": applicant_role, "payment_password": PAY_PW}),
        )
        .await,
        201,
    )
    .await;
    assert!(client.app_id.starts_with("app_") && client.keys.is_empty());
    let keys = format!("/api/v1/api-clients/{}/keys", client.app_id);
    let p: Problem = ok_json(
        post(&app, &admin, &keys, json!({"public_key": WEAK_PUBLIC, "payment_password": PAY_PW})).await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "public_key_too_weak");
    let rsa_key: ApiKeyView = ok_json(
        post(&app, &admin, &keys, json!({"public_key": RSA_PUBLIC, "payment_password": PAY_PW})).await,
        201,
    )
    .await;
    assert_eq!(rsa_key.algorithm, "RSA-2048");
    // An API client never signs in with a password.
    let (id, answer) = app.captcha().await;
    let body = json!({"merchant": PAYER, "operator": client.app_id, "password": "", "captcha_id": id, "captcha_answer": answer});
    assert_eq!(app.post("/api/v1/session", &body).await.status(), 401);

    // A signed request is answered, and the answer is signed by the platform.
    let app_id = client.app_id.as_str();
    let r = signed_get(&app, &auth(app_id, now(), "nonce-0000000001", rsa_sign)).await;
    assert_eq!(r.status(), 200);
    let signature = r.headers()["paydesk-signature"].to_str().unwrap().to_owned();
    let body = r.bytes().await.unwrap();
    let who: GatewayWhoAmI = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (who.app_id.as_str(), who.merchant.as_str(), who.client_name.as_str()),
        (app_id, PAYER, "ERP")
    );
    let platform: PlatformPublicKey =
        ok_json(post(&app, &admin, "/api/v1/gateway-key", json!({"payment_password": PAY_PW})).await, 200)
            .await;
    let parts: std::collections::HashMap<&str, &str> =
        signature.split(',').filter_map(|p| p.split_once('=')).collect();
    let sig = signature.split_once("signature=").unwrap().1;
    let ts: i64 = parts["timestamp"].parse().unwrap();
    let message = response_canonical(200, WHOAMI, ts, parts["nonce"], &body);
    assert!(PublicKey::from_pem(&platform.public_key).unwrap().verify(&message, sig));

    // Each refusal with its own code.
    assert_eq!(code(app.client.get(app.url(WHOAMI)).send().await.unwrap()).await, "signature_malformed");
    assert_eq!(
        code(signed_get(&app, &auth(app_id, now() - 600, "nonce-0000000002", rsa_sign)).await).await,
        "signature_stale"
    );
    assert_eq!(
        code(signed_get(&app, &auth(app_id, now(), "nonce-0000000001", rsa_sign)).await).await,
        "nonce_reused"
    );
    assert_eq!(
        code(signed_get(&app, &auth("app_nobody", now(), "nonce-0000000003", rsa_sign)).await).await,
        "app_unknown"
    );
    let stranger = PlatformKey::from_secret("not the client's key");
    assert_eq!(
        code(signed_get(&app, &auth(app_id, now(), "nonce-0000000004", |m| stranger.sign(m))).await).await,
        "signature_invalid"
    );
    // Signed over another path: the signature doesn't cover this request.
    let ts = now();
    let other = header(
        app_id,
        ts,
        "nonce-0000000005",
        &rsa_sign(&canonical("GET", "/api/v1/gateway/other", ts, "nonce-0000000005", b"")),
    );
    assert_eq!(code(signed_get(&app, &other).await).await, "signature_invalid");

    // Rotation: an Ed25519 key added, the RSA key revoked — the old one is refused by name, the new one works.
    let ed = PlatformKey::from_secret("the client's new key");
    let ed_key: ApiKeyView = ok_json(
        post(&app, &admin, &keys, json!({"public_key": ed.public_pem(), "payment_password": PAY_PW})).await,
        201,
    )
    .await;
    assert_eq!(ed_key.algorithm, "Ed25519");
    assert_eq!(
        signed_get(&app, &auth(app_id, now(), "nonce-0000000006", rsa_sign)).await.status(),
        200,
        "both keys live"
    );
    let revoke = format!("{keys}/{}/revoke", rsa_key.id);
    assert_eq!(post(&app, &admin, &revoke, json!({"payment_password": PAY_PW})).await.status(), 204);
    assert_eq!(
        code(signed_get(&app, &auth(app_id, now(), "nonce-0000000007", rsa_sign)).await).await,
        "key_revoked"
    );
    assert_eq!(
        signed_get(&app, &auth(app_id, now(), "nonce-0000000008", |m| ed.sign(m))).await.status(),
        200
    );
    let list: Vec<ApiClientView> = ok_json(app.get_with("/api/v1/api-clients", &admin).await, 200).await;
    assert_eq!(list[0].keys.len(), 2);
    assert!(list[0].keys[0].revoked_at.is_some() && list[0].keys[1].revoked_at.is_none());
    // Another merchant can't touch this client.
    let payee = app.login(crate::common::PAYEE, crate::common::PAYEE, PW).await;
    let r = post(&app, &payee, &keys, json!({"public_key": RSA_PUBLIC, "payment_password": PAY_PW})).await;
    assert_eq!(r.status(), 404);
}

/// An address whose signed requests keep being refused waits: after
/// `GATEWAY_REFUSED_PER_IP` refusals every signed request from it answers 429
/// with `Retry-After` — signed like any answer — even a good one, before any
/// signature is checked.
async fn an_address_refused_too_often_waits(db: TestDb) {
    use paydesk_domain::gateway::NONCE_KEEP_SECS;
    use paydesk_domain::limits::rate::GATEWAY_REFUSED_PER_IP;
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let integrator = crate::common::Integrator::create(&app).await;
    // A good request claims its nonce; the jobs forget nonces once too old to replay.
    assert_eq!(integrator.send(&app, "GET", WHOAMI, b"").await.status(), 200);
    let later = chrono::Utc::now().naive_utc() + chrono::Duration::seconds(NONCE_KEEP_SECS + 1);
    let forgotten = app.db.store().write(|c| paydesk_store::gateway::forget_nonces(c, later)).unwrap();
    assert_eq!(forgotten, 1);
    let platform = app.get(WHOAMI).await; // unsigned: refused, and counted
    assert_eq!(platform.status(), 401);
    for i in 1..GATEWAY_REFUSED_PER_IP.0 {
        let forged = auth(&integrator.app_id, now(), &format!("nonce-{i:016}"), |_| "AAAA".into());
        assert_eq!(signed_get(&app, &forged).await.status(), 401, "refusal {i}");
    }
    let good = integrator.send(&app, "GET", WHOAMI, b"").await;
    assert_eq!(good.status(), 429);
    assert!(good.headers().get("retry-after").is_some());
    assert!(
        good.headers().get(paydesk_domain::gateway::RESPONSE_HEADER).is_some(),
        "the refusal is signed too"
    );
    assert_eq!(good.json::<Problem>().await.unwrap().code, "too_many_requests");
}
