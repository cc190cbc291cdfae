//! Contacts (manual §3.3.2), on both backends.

use crate::common::{ok_json, spawn_app};
use paydesk_api_types::{ContactView, Page, Problem};
use paydesk_domain::states::KybStatus;
use paydesk_store::db::count_rows;
use paydesk_store::identity;
use paydesk_store::testing::TestDb;
use serde_json::json;

on_both_backends_async!(contacts_are_added_searched_and_deleted);

async fn contacts_are_added_searched_and_deleted(db: TestDb) {
    let app = spawn_app(db).await;
    app.register("me@example.com", "我的公司", "abc123!x", "pay456#y").await;
    app.register("shop@example.com", "杭州示例网络科技有限公司", "abc123!x", "pay456#y").await;
    app.register("new@example.com", "未认证公司", "abc123!x", "pay456#y").await;
    app.db.store().write(|c| identity::set_kyb_status(c, 2, KybStatus::Verified)).unwrap();
    let token = app.login("me@example.com", "me@example.com", "abc123!x").await;
    let post = |path: &str, body: serde_json::Value| {
        let (client, url, token) = (app.client.clone(), app.url(path), token.clone());
        async move { client.post(url).bearer_auth(token).json(&body).send().await.unwrap() }
    };

    let shop: ContactView = ok_json(
        post("/api/v1/contacts/platform", json!({"account": "shop@example.com", "phone": "13512345678"}))
            .await,
        201,
    )
    .await;
    assert_eq!((shop.kind.as_str(), shop.name.as_str()), ("platform", "杭州**科技有限公司"));
    let p: Problem =
        ok_json(post("/api/v1/contacts/platform", json!({"account": "shop@example.com"})).await, 409).await;
    assert_eq!(p.code, "contact_exists");
    for (account, code) in [
        ("nobody@example.com", "payee_not_found"),
        ("new@example.com", "payee_not_found"),
        ("me@example.com", "payee_is_self"),
    ] {
        let p: Problem =
            ok_json(post("/api/v1/contacts/platform", json!({"account": account})).await, 422).await;
        assert_eq!(p.errors[0].code, code, "{account}");
    }

    let bank = json!({"account_type": "personal", "name": "李四", "bank": "ICBC", "branch_code": "102290000019", "account_number": "6222021234561332"});
    let li: ContactView = ok_json(post("/api/v1/contacts/bank", bank.clone()).await, 201).await;
    assert_eq!((li.account.as_str(), li.bank_name.as_deref()), ("*****1332", Some("中国工商银行")));
    let mut bad = bank.clone();
    bad["branch_code"] = json!("000000000000");
    bad["phone"] = json!("12");
    let p: Problem = ok_json(post("/api/v1/contacts/bank", bad).await, 422).await;
    let codes: Vec<&str> = p.errors.iter().map(|e| e.code.as_str()).collect();
    assert!(codes.contains(&"branch_unknown") && codes.contains(&"phone_invalid"), "{codes:?}");
    assert_eq!(app.db.store().read(|c| count_rows(c, "contacts")).unwrap(), 2);

    let all: Page<ContactView> = ok_json(app.get_with("/api/v1/contacts", &token).await, 200).await;
    assert_eq!(all.total, 2);
    let banks: Page<ContactView> =
        ok_json(app.get_with("/api/v1/contacts?kind=bank", &token).await, 200).await;
    assert_eq!(banks.items, vec![li.clone()]);
    let found: Page<ContactView> = ok_json(app.get_with("/api/v1/contacts?q=shop", &token).await, 200).await;
    assert_eq!(found.items, vec![shop.clone()]);

    let other = app.login("shop@example.com", "shop@example.com", "abc123!x").await;
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/contacts/{}", li.id)))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "another merchant's contact");
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/contacts/{}", li.id)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let all: Page<ContactView> = ok_json(app.get_with("/api/v1/contacts", &token).await, 200).await;
    assert_eq!(all.items, vec![shop]);
}
