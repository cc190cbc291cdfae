//! 应用中心 on both backends (issue 12): a product is usable only once signed;
//! the merchant applies (线上服务申请), staff reject with a reason or approve with
//! the product's fee rate, and the signing shows in the 应用中心 with its rate.

use paydesk_api_types::{AppView, Page, Problem, SigningView};
use paydesk_domain::states::KybStatus;
use paydesk_store::testing::TestDb;
use serde_json::json;

use crate::common::{ok_json, spawn_app, TestApp, PAY_PW, PW};

on_both_backends_async!(a_product_is_signed_through_staff_review);

const SHOP: &str = "shop@example.com";

async fn send(app: &TestApp, token: &str, path: &str, body: serde_json::Value) -> reqwest::Response {
    app.client.post(app.url(path)).bearer_auth(token).json(&body).send().await.unwrap()
}

async fn problem(response: reqwest::Response, status: u16) -> Problem {
    ok_json(response, status).await
}

fn product<'a>(apps: &'a [AppView], name: &str) -> &'a AppView {
    apps.iter().find(|a| a.product == name).unwrap()
}

async fn a_product_is_signed_through_staff_review(db: TestDb) {
    let app = spawn_app(db).await;
    app.register(SHOP, "扫码小店有限公司", PW, PAY_PW).await;
    let admin = app.login(SHOP, SHOP, PW).await;

    // Not verified yet: nothing can be applied for.
    let r = send(&app, &admin, "/api/v1/apps/qr_collection/apply", json!({})).await;
    assert_eq!(problem(r, 403).await.code, "kyb_required");
    app.db.store().write(|c| paydesk_store::identity::set_kyb_status(c, 1, KybStatus::Verified)).unwrap();

    // 应用中心: every product, none signed, each with its operating flow.
    let apps: Vec<AppView> = ok_json(app.get_with("/api/v1/apps", &admin).await, 200).await;
    assert_eq!(apps.len(), 6);
    assert!(apps.iter().all(|a| a.state == "not_signed" && !a.steps.is_empty() && a.signed_at.is_none()));
    assert_eq!(product(&apps, "batch_payments").rates.len(), 2);
    assert!(product(&apps, "api_access").rates.is_empty());

    // An unsigned product refuses, at each entry point.
    let r = send(&app, &admin, "/api/v1/qr-codes", json!({"name": "门店收款"})).await;
    let p = problem(r, 403).await;
    assert_eq!(p.code, "product_not_signed");
    assert!(p.title.contains("二维码收款"), "{}", p.title);
    let unlock = send(&app, &admin, "/api/v1/operators/unlock", json!({"payment_password": PAY_PW})).await;
    assert_eq!(unlock.status(), 200);
    let body = json!({"name": "Shop", "role_id": 2, "payment_password": PAY_PW});
    assert_eq!(
        problem(send(&app, &admin, "/api/v1/api-clients", body).await, 403).await.code,
        "product_not_signed"
    );

    // 线上服务申请: bad input changes nothing.
    let r = send(&app, &admin, "/api/v1/apps/qr_collection/apply", json!({"note": "长".repeat(201)})).await;
    assert_eq!(problem(r, 422).await.errors[0].field, "note");
    let r = send(&app, &admin, "/api/v1/apps/refunds/apply", json!({})).await;
    assert_eq!(problem(r, 404).await.code, "product_unknown");
    let r = send(&app, &admin, "/api/v1/apps/qr_collection/apply", json!({"note": "门店收款"})).await;
    let applied: AppView = ok_json(r, 201).await;
    assert_eq!((applied.state.as_str(), applied.note.as_deref()), ("applied", Some("门店收款")));
    assert!(applied.applied_at.is_some());
    let r = send(&app, &admin, "/api/v1/apps/qr_collection/apply", json!({})).await;
    assert_eq!(problem(r, 409).await.code, "signing_state");
    // Still not usable while under review.
    let r = send(&app, &admin, "/api/v1/qr-codes", json!({"name": "门店收款"})).await;
    assert_eq!(problem(r, 403).await.code, "product_not_signed");

    // Staff see it in their queue; a rejection needs a reason.
    let staff = app.staff_token().await;
    let queue: Page<SigningView> = ok_json(app.get_with("/api/v1/ops/signings", &staff).await, 200).await;
    assert_eq!(queue.total, 1);
    assert_eq!(
        (queue.items[0].merchant_email.as_str(), queue.items[0].product.as_str()),
        (SHOP, "qr_collection")
    );
    let path = |what: &str| format!("/api/v1/ops/merchants/1/signings/qr_collection/{what}");
    let r = send(&app, &staff, &path("reject"), json!({"reason": " "})).await;
    assert_eq!(problem(r, 422).await.errors[0].field, "reason");
    let r = send(&app, &staff, &path("approve"), json!({})).await;
    assert_eq!(problem(r, 422).await.errors[0].field, "fee");
    let r = send(
        &app,
        &staff,
        &path("approve"),
        json!({"fee": {"fixed": "0.00", "rate_bp": 10000, "min": "0.00"}}),
    )
    .await;
    assert_eq!(problem(r, 422).await.errors[0].field, "rate_bp");
    let r = send(&app, &staff, &path("reject"), json!({"reason": "请补充门店照片"})).await;
    let rejected: SigningView = ok_json(r, 200).await;
    assert_eq!(rejected.state, "rejected");
    let r =
        send(&app, &staff, &path("approve"), json!({"fee": {"fixed": "0.00", "rate_bp": 60, "min": "0.00"}}))
            .await;
    assert_eq!(problem(r, 409).await.code, "signing_state");
    let apps: Vec<AppView> = ok_json(app.get_with("/api/v1/apps", &admin).await, 200).await;
    let qr = product(&apps, "qr_collection");
    assert_eq!((qr.state.as_str(), qr.reason.as_deref()), ("rejected", Some("请补充门店照片")));

    // Applied again, approved with the rate: signed, usable, and the fee is the merchant's.
    let r = send(&app, &admin, "/api/v1/apps/qr_collection/apply", json!({"note": "已补充"})).await;
    assert_eq!(ok_json::<AppView>(r, 201).await.state, "applied");
    let r =
        send(&app, &staff, &path("approve"), json!({"fee": {"fixed": "0.00", "rate_bp": 60, "min": "0.00"}}))
            .await;
    assert_eq!(ok_json::<SigningView>(r, 200).await.state, "signed");
    let r =
        send(&app, &staff, &path("approve"), json!({"fee": {"fixed": "0.00", "rate_bp": 60, "min": "0.00"}}))
            .await;
    assert_eq!(problem(r, 409).await.code, "signing_state");
    let queue: Page<SigningView> = ok_json(app.get_with("/api/v1/ops/signings", &staff).await, 200).await;
    assert_eq!(queue.total, 0);
    let signed: Page<SigningView> =
        ok_json(app.get_with("/api/v1/ops/signings?state=signed", &staff).await, 200).await;
    assert_eq!(signed.total, 1);
    let apps: Vec<AppView> = ok_json(app.get_with("/api/v1/apps", &admin).await, 200).await;
    let qr = product(&apps, "qr_collection");
    assert_eq!(qr.state, "signed");
    assert!(qr.signed_at.is_some() && qr.reason.is_none());
    assert_eq!(qr.rates[0].rate, "0.60%");
    let r = send(&app, &admin, "/api/v1/qr-codes", json!({"name": "门店收款"})).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());

    // API access has no fee of its own: approved without one.
    let r = send(&app, &admin, "/api/v1/apps/api_access/apply", json!({})).await;
    assert_eq!(r.status(), 201);
    let r = send(&app, &staff, "/api/v1/ops/merchants/1/signings/api_access/approve", json!({})).await;
    assert_eq!(ok_json::<SigningView>(r, 200).await.state, "signed");
    let body = json!({"name": "Shop", "role_id": 2, "payment_password": PAY_PW});
    assert_eq!(send(&app, &admin, "/api/v1/api-clients", body).await.status(), 201);

    // The rate became the fee of that product only.
    let fees: paydesk_api_types::FeeSchedule = ok_json(app.get_with("/api/v1/fees", &admin).await, 200).await;
    let rate = |p: &str| fees.items.iter().find(|f| f.product == p).unwrap().rate_bp;
    assert_eq!((rate("qr_collection"), rate("acquiring_instant")), (60, 0));
}
