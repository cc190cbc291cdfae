//! Until real-name verification is approved, money can't move: every endpoint
//! that extracts `VerifiedOperator` answers `403 kyb_required`.

use crate::common::spawn_app;
use actix_web::{test, web, App, HttpResponse};
use paydesk_api_types::Problem;
use paydesk_domain::states::KybStatus;
use paydesk_server::auth::VerifiedOperator;
use paydesk_server::messaging::Messenger;
use paydesk_server::{AppState, Settings};
use paydesk_store::identity;
use paydesk_store::testing::TestDb;

on_both_backends_async!(money_endpoints_wait_for_verification);

async fn money_endpoints_wait_for_verification(db: TestDb) {
    // A real sign-in on the real server gives the token...
    let app = spawn_app(db).await;
    app.register("a@example.com", "示例公司", "abc123!x", "pay456#y").await;
    let token = app.login("a@example.com", "a@example.com", "abc123!x").await;

    // ...which an app with a gated route checks against the same database.
    let state = AppState::new(
        app.db.store(),
        Settings::development(app.web_dir.clone(), app.web_dir.clone()),
        Messenger::outbox_only(),
    )
    .unwrap();
    let service =
        test::init_service(App::new().app_data(web::Data::new(state)).route(
            "/move-money",
            web::post().to(|op: VerifiedOperator| async move {
                HttpResponse::Ok().body(op.0.merchant_id.to_string())
            }),
        ))
        .await;
    let call = |token: &str| {
        test::TestRequest::post()
            .uri("/move-money")
            .insert_header(("authorization", format!("Bearer {token}")))
            .to_request()
    };

    let response = test::call_service(&service, call(&token)).await;
    assert_eq!(response.status(), 403);
    let p: Problem = test::read_body_json(response).await;
    assert_eq!(p.code, "kyb_required");
    assert!(p.detail.unwrap().contains("verification"));

    let response =
        test::call_service(&service, test::TestRequest::post().uri("/move-money").to_request()).await;
    assert_eq!(response.status(), 401, "no session is still 401, not 403");

    for status in [KybStatus::Submitted, KybStatus::AwaitingDeposit, KybStatus::Rejected] {
        app.db.store().write(|c| identity::set_kyb_status(c, 1, status)).unwrap();
        assert_eq!(test::call_service(&service, call(&token)).await.status(), 403, "{status}");
    }
    app.db.store().write(|c| identity::set_kyb_status(c, 1, KybStatus::Verified)).unwrap();
    let response = test::call_service(&service, call(&token)).await;
    assert_eq!(response.status(), 200);
}
