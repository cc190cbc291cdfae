//! Walks the OpenAPI document: every operation other than the public ones
//! (registration, sign-in, captcha, health, docs, the development outbox) must
//! refuse a request that carries no session; every operator operation declares
//! the permissions it needs (`x-permission`, empty for any signed-in operator)
//! and refuses an operator whose role lacks them, while one holding just that
//! permission gets past the check.

use crate::common::spawn_app;
use paydesk_api_types::Problem;
use paydesk_domain::states::KybStatus;
use paydesk_store::testing::TestDb;

on_both_backends_async!(
    every_protected_operation_refuses_a_request_without_a_session,
    every_operation_refuses_an_operator_without_its_permission,
);

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
    // The second step of a staff sign-in with a security key: the key's answer.
    ("post", "/api/v1/ops/session/key"),
    // 忘记登录密码: no session, by captcha, licence number, SMS code (or key) and e-mailed link.
    ("post", "/api/v1/recoveries"),
    ("post", "/api/v1/recoveries/{id}/sms-code"),
    ("post", "/api/v1/recoveries/{id}/key-challenges"),
    ("post", "/api/v1/recoveries/{id}/verify"),
    ("post", "/api/v1/recoveries/{id}/resend"),
    ("get", "/api/v1/recoveries/links/{token}"),
    ("post", "/api/v1/recoveries/links/{token}"),
    // 安全邮箱 links, opened from the mailbox.
    ("get", "/api/v1/email-links/{token}"),
    ("post", "/api/v1/email-links/{token}"),
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
            let response = call(&app, method, path, None).await;
            assert_eq!(response.status(), 401, "{method} {path} answered without a session");
            let p: Problem = response.json().await.unwrap();
            // A signed gateway operation refuses an unsigned request as malformed.
            assert!(
                ["unauthenticated", "session_expired", "signature_malformed"].contains(&p.code.as_str()),
                "{method} {path}: {}",
                p.code
            );
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} protected operations found");
}

/// Calls an operation with an empty body and `1` for every path parameter.
async fn call(
    app: &crate::common::TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
) -> reqwest::Response {
    let mut url = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        url.push_str(&rest[..open]);
        url.push('1');
        rest = &rest[rest[open..].find('}').unwrap() + open + 1..];
    }
    url.push_str(rest);
    let url = app.url(&url);
    let mut request = match method {
        "get" => app.client.get(&url),
        "post" => app.client.post(&url).json(&serde_json::json!({})),
        "put" => app.client.put(&url).json(&serde_json::json!({})),
        "patch" => app.client.patch(&url).json(&serde_json::json!({})),
        "delete" => app.client.delete(&url),
        other => panic!("unexpected method {other}"),
    };
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    request.send().await.unwrap()
}

async fn every_operation_refuses_an_operator_without_its_permission(db: TestDb) {
    use paydesk_domain::permissions::{Permission, Permissions};
    use paydesk_store::{identity, roles, StoreError};
    use std::collections::BTreeMap;

    let app = spawn_app(db).await;
    app.register("walk@example.com", "权限测试有限公司", "abc123!x", "pay456#y").await;
    app.db.store().write(|c| identity::set_kyb_status(c, 1, KybStatus::Verified)).unwrap();
    let hash = paydesk_server::auth::hash_password("abc123!x").unwrap();
    let doc: serde_json::Value = serde_json::from_str(&paydesk_server::openapi_json()).unwrap();

    // Every operator operation, grouped by what it needs.
    let mut needs: BTreeMap<Vec<Permission>, Vec<(String, String)>> = BTreeMap::new();
    let mut open_to_all = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            // Staff operations and the signed gateway take no operator session.
            if PUBLIC.contains(&(method.as_str(), path.as_str()))
                || path.starts_with("/api/v1/ops/")
                || path.starts_with("/api/v1/gateway/")
            {
                continue;
            }
            let declared = op
                .get("x-permission")
                .unwrap_or_else(|| panic!("{method} {path} declares no x-permission"))
                .as_array()
                .unwrap_or_else(|| panic!("{method} {path}: x-permission must be a list"));
            let set: Vec<Permission> = declared
                .iter()
                .map(|v| {
                    Permission::parse(v.as_str().unwrap()).unwrap_or_else(|| panic!("{method} {path}: {v}"))
                })
                .collect();
            if set.is_empty() {
                open_to_all += 1;
            } else {
                needs.entry(set).or_default().push((method.clone(), path.clone()));
            }
        }
    }
    assert!(needs.len() >= 8 && open_to_all >= 5, "{} sets, {open_to_all} open", needs.len());

    let mut checked = 0;
    for (n, (set, operations)) in needs.iter().enumerate() {
        // One operator lacking exactly these permissions, one holding only the first of them.
        let all: Permissions = Permission::ALL.into_iter().collect();
        let lacking: Permissions = all.iter().filter(|p| !set.contains(p)).copied().collect();
        let only: Permissions = [set[0]].into_iter().collect();
        let at = paydesk_server::auth::now();
        app.db
            .store()
            .write(|c| -> Result<(), StoreError> {
                for (suffix, held) in [("without", &lacking), ("with", &only)] {
                    let role = roles::create_custom(c, 1, &format!("{suffix}-{n}"), "", held, at)?.unwrap();
                    let login = format!("{suffix}{n}");
                    let new = identity::NewOperator {
                        login_name: &login,
                        display_name: "测试",
                        password_hash: &hash,
                        phone: None,
                        password_change_required: false,
                    };
                    identity::create_operator_in_role(c, 1, role.id, &new)?;
                }
                Ok(())
            })
            .unwrap();
        let without = app.login("walk@example.com", &format!("without{n}"), "abc123!x").await;
        let with = app.login("walk@example.com", &format!("with{n}"), "abc123!x").await;
        for (method, path) in operations {
            let response = call(&app, method, path, Some(&without)).await;
            assert_eq!(response.status(), 403, "{method} {path} let in an operator without {set:?}");
            let p: Problem = response.json().await.unwrap();
            assert_eq!(p.code, "permission_denied", "{method} {path}");
            let response = call(&app, method, path, Some(&with)).await;
            let status = response.status();
            // An event stream never ends: its headers are the answer.
            let streaming = response.headers().get("content-type").is_some_and(|v| v == "text/event-stream");
            let body = if streaming { String::new() } else { response.text().await.unwrap() };
            assert!(
                !(status == 403 && body.contains("permission_denied")),
                "{method} {path} refused an operator holding {:?}: {body}",
                set[0]
            );
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} operations checked");
}
