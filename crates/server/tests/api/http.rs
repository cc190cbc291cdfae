//! The HTTP skeleton's behaviour: health, problems, SPA serving, API docs.

use crate::common::{spawn_app, INDEX_HTML};
use diesel::connection::SimpleConnection;
use paydesk_api_types::{AmountPreview, Health, Problem};
use paydesk_store::testing::TestDb;

on_both_backends_async!(
    health_reports_the_backend_and_migrations,
    unknown_api_routes_are_problem_404s,
    malformed_json_is_a_400_problem,
    invalid_fields_are_422_with_per_field_errors,
    a_valid_amount_is_previewed,
    server_errors_carry_no_internal_text,
    the_spa_is_served_with_a_fallback_to_index,
    openapi_and_swagger_ui_are_served,
    every_response_carries_the_security_headers,
);

async fn problem(response: reqwest::Response, status: u16) -> Problem {
    assert_eq!(response.status().as_u16(), status);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let p: Problem = response.json().await.unwrap();
    assert_eq!(p.status, status);
    assert_eq!(p.type_uri, format!("/problems/{}", p.code));
    p
}

async fn health_reports_the_backend_and_migrations(db: TestDb) {
    let backend = db.backend().as_str();
    let app = spawn_app(db).await;
    let response = app.get("/api/v1/health").await;
    assert_eq!(response.status(), 200);
    let health: Health = response.json().await.unwrap();
    assert_eq!(health.database, backend);
    assert_eq!(health.status, "ok");
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(health.migrations.pending, 0);
    assert!(health.migrations.applied >= 1);
    assert!(health.migrations.latest.is_some());
}

async fn unknown_api_routes_are_problem_404s(db: TestDb) {
    let app = spawn_app(db).await;
    for path in ["/api/v1/nope", "/api/nope", "/api", "/api/v1/health/extra"] {
        let p = problem(app.get(path).await, 404).await;
        assert_eq!(p.code, "route_not_found", "{path}");
    }
    let p = problem(app.post_raw("/api/v1/no-such-thing", "application/json", "{}").await, 404).await;
    assert_eq!(p.code, "route_not_found");
}

async fn malformed_json_is_a_400_problem(db: TestDb) {
    let app = spawn_app(db).await;
    for body in [r#"{"email": "#, "not json", r#"{"email": "a@b.cn",}"#] {
        let p = problem(app.post_raw("/api/v1/registrations", "application/json", body).await, 400).await;
        assert_eq!(p.code, "malformed_json", "{body}");
    }
    let p = problem(app.post_raw("/api/v1/registrations", "text/plain", r#"{"email":"a@b.cn"}"#).await, 415)
        .await;
    assert_eq!(p.code, "unsupported_media_type");
}

async fn signed_in(db: TestDb) -> (crate::common::TestApp, String) {
    let app = spawn_app(db).await;
    app.register("a@example.com", "示例公司", "abc123!x", "pay456#y").await;
    let token = app.login("a@example.com", "a@example.com", "abc123!x").await;
    (app, token)
}

async fn preview(app: &crate::common::TestApp, token: &str, body: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/amounts/preview"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

async fn invalid_fields_are_422_with_per_field_errors(db: TestDb) {
    let (app, token) = signed_in(db).await;
    let cases = [
        (r#"{"amount": "-1.00"}"#, "amount", "amount_signed"),
        (r#"{"amount": "1.005"}"#, "amount", "amount_too_many_decimals"),
        (r#"{"amount": "1,000"}"#, "amount", "amount_malformed"),
        (r#"{"amount": ""}"#, "amount", "amount_required"),
        (r#"{"amount": "99999999999999999999"}"#, "amount", "amount_too_large"),
        (r#"{}"#, "amount", "required"),
        (r#"{"amount": 5}"#, "body", "invalid_value"),
    ];
    for (body, field, code) in cases {
        let p = problem(preview(&app, &token, body).await, 422).await;
        assert_eq!(p.code, "validation_failed", "{body}");
        assert_eq!(p.errors.len(), 1, "{body}");
        assert_eq!((p.errors[0].field.as_str(), p.errors[0].code.as_str()), (field, code), "{body}");
        assert!(!p.errors[0].message.is_empty());
    }
}

async fn a_valid_amount_is_previewed(db: TestDb) {
    let (app, token) = signed_in(db).await;
    assert_eq!(app.post_raw("/api/v1/amounts/preview", "application/json", "{}").await.status(), 401);
    let response = preview(&app, &token, r#"{"amount": "1024.5"}"#).await;
    assert_eq!(response.status(), 200);
    let preview: AmountPreview = response.json().await.unwrap();
    assert_eq!(preview.amount, "1024.50");
    assert_eq!(preview.fen, 102_450);
    assert_eq!(preview.in_words, "壹仟零贰拾肆元伍角整");
}

async fn server_errors_carry_no_internal_text(db: TestDb) {
    let app = spawn_app(db).await;
    // Break the database under the running server: the migrations table loses its columns.
    app.db
        .store()
        .write(|c| -> Result<(), paydesk_store::StoreError> {
            c.batch_execute("DROP TABLE __diesel_schema_migrations")?;
            Ok(c.batch_execute("CREATE TABLE __diesel_schema_migrations (broken INTEGER)")?)
        })
        .unwrap();
    let response = app.get("/api/v1/health").await;
    let status = response.status().as_u16();
    assert!(status >= 500, "{status}");
    let text = response.text().await.unwrap();
    let p: Problem = serde_json::from_str(&text).unwrap();
    assert_eq!(p.code, "internal_error");
    assert_eq!(p.detail, None);
    for secret in ["diesel", "schema", "relation", "table", "sqlite", "postgres", "SELECT"] {
        assert!(!text.to_lowercase().contains(&secret.to_lowercase()), "{secret} leaked in {text}");
    }
}

async fn the_spa_is_served_with_a_fallback_to_index(db: TestDb) {
    let app = spawn_app(db).await;
    for path in ["/", "/funds/overview", "/review/pending?page=2"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        assert_eq!(response.text().await.unwrap(), INDEX_HTML, "{path}");
    }
    let wasm = app.get("/pkg/app_bg.wasm").await;
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
}

async fn openapi_and_swagger_ui_are_served(db: TestDb) {
    let app = spawn_app(db).await;
    let served: serde_json::Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let generated: serde_json::Value = serde_json::from_str(&paydesk_server::openapi_json()).unwrap();
    assert_eq!(served, generated);
    assert!(served["paths"]["/api/v1/health"]["get"].is_object());

    let docs = app.get("/api/docs/").await;
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger-ui"));
    let css = app.get("/api/docs/swagger-ui.css").await;
    assert_eq!(css.status(), 200, "Swagger UI assets come from the binary");
    let redirect = app.get("/api/docs").await;
    assert_eq!(redirect.status(), 308);
}

async fn every_response_carries_the_security_headers(db: TestDb) {
    let app = spawn_app(db).await;
    for path in ["/", "/funds/transfer", "/api/v1/health", "/api/v1/nowhere", "/api/docs/", "/dev/outbox"] {
        let response = app.get(path).await;
        let h = response.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval';"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{path}: {csp}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert!(h.get("strict-transport-security").is_none(), "no HSTS over plain development HTTP");
    }
    let production = crate::common::spawn_app_in(TestDb::sqlite(), paydesk_server::Mode::Production).await;
    let response = production.get("/api/v1/health").await;
    assert_eq!(response.headers()["strict-transport-security"], "max-age=63072000; includeSubDomains");
}
