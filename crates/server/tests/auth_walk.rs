#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Walks the OpenAPI document: every operation other than the public ones
//! (registration, sign-in, captcha, health, docs, the development outbox) must
//! refuse a request that carries no session.

mod common;

use common::spawn_app;
use paydesk_api_types::Problem;
use paydesk_store::testing::TestDb;

on_both_backends_async!(every_protected_operation_refuses_a_request_without_a_session);

/// Operations anyone may call, by method and path.
const PUBLIC: &[(&str, &str)] = &[
    ("get", "/api/v1/health"),
    ("post", "/api/v1/captchas"),
    ("post", "/api/v1/registrations"),
    ("post", "/api/v1/registrations/resend"),
    ("get", "/api/v1/registrations/{token}"),
    ("post", "/api/v1/registrations/{token}/complete"),
    ("post", "/api/v1/session"),
    ("post", "/api/v1/ops/session"),
    ("get", "/api/v1/dev/outbox"),
    // Called by the bank, authenticated by its signature, not a session.
    ("post", "/api/v1/bank/notifications/sandbox"),
];

async fn every_protected_operation_refuses_a_request_without_a_session(db: TestDb) {
    let app = spawn_app(db).await;
    let doc: serde_json::Value = serde_json::from_str(&paydesk_server::openapi_json()).unwrap();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if PUBLIC.contains(&(method.as_str(), path.as_str())) {
                assert!(
                    op.get("security").is_none(),
                    "{method} {path} is public but documents a security scheme"
                );
                continue;
            }
            assert!(
                op.get("security").is_some(),
                "{method} {path} is protected but documents no security scheme"
            );
            let url = app.url(&path.replace(['{', '}'], ""));
            let request = match method.as_str() {
                "get" => app.client.get(&url),
                "post" => app.client.post(&url).json(&serde_json::json!({})),
                "put" => app.client.put(&url).json(&serde_json::json!({})),
                "patch" => app.client.patch(&url).json(&serde_json::json!({})),
                "delete" => app.client.delete(&url),
                other => panic!("unexpected method {other}"),
            };
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 401, "{method} {path} answered without a session");
            let p: Problem = response.json().await.unwrap();
            assert!(
                ["unauthenticated", "session_expired"].contains(&p.code.as_str()),
                "{method} {path}: {}",
                p.code
            );
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} protected operations found");
}
