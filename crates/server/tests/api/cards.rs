//! Bank cards and the branch directory (manual §3.3.1.3), on both backends.

use crate::common::{ok_json, spawn_app, TestApp};
use paydesk_api_types::{BankCardView, BranchInfo, BranchPlace, Problem};
use paydesk_store::db::count_rows;
use paydesk_store::testing::TestDb;
use paydesk_store::{identity, StoreError};
use serde_json::json;

on_both_backends_async!(cards_are_added_listed_and_deleted, the_twenty_first_card_and_bad_input_are_refused);

const EMAIL: &str = "m@example.com";
const COMPANY: &str = "卡片测试有限公司";
const PW: &str = "abc123!x";
const PAY_PW: &str = "pay456#y";

async fn setup(db: TestDb) -> (TestApp, String) {
    let app = spawn_app(db).await;
    app.register(EMAIL, COMPANY, PW, PAY_PW).await;
    let hash = paydesk_server::auth::hash_password(PW).unwrap();
    app.db
        .store()
        .write(|c| -> Result<(), StoreError> {
            identity::create_operator(c, 1, "applicant", "申请员", &hash, "applicant", None)?;
            Ok(())
        })
        .unwrap();
    let token = app.login(EMAIL, EMAIL, PW).await;
    (app, token)
}

async fn branch(app: &TestApp, token: &str) -> BranchInfo {
    let found: Vec<BranchInfo> = ok_json(
        app.get_with("/api/v1/branches?bank=ICBC&province=上海市&city=上海市&q=黄金城道", token).await,
        200,
    )
    .await;
    assert_eq!(found.len(), 1);
    found[0].clone()
}

async fn add(app: &TestApp, token: &str, number: &str, code: &str) -> reqwest::Response {
    let body = json!({"bank": "ICBC", "branch_code": code, "account_number": number, "account_number_confirm": number, "payment_password": PAY_PW});
    app.client.post(app.url("/api/v1/bank-cards")).bearer_auth(token).json(&body).send().await.unwrap()
}

async fn cards_are_added_listed_and_deleted(db: TestDb) {
    let (app, token) = setup(db).await;
    let places: Vec<BranchPlace> =
        ok_json(app.get_with("/api/v1/branch-places?bank=ICBC", &token).await, 200).await;
    assert!(places.iter().any(|p| p.province == "上海市"));
    let b = branch(&app, &token).await;
    assert_eq!(b.name, "中国工商银行股份有限公司上海市黄金城道支行");
    let card: BankCardView = ok_json(add(&app, &token, "6222 0212 3456 1332", &b.code).await, 201).await;
    assert_eq!(
        (card.account.as_str(), card.account_name.as_str(), card.bank_name.as_str()),
        ("*****1332", COMPANY, "中国工商银行")
    );
    let list: Vec<BankCardView> = ok_json(app.get_with("/api/v1/bank-cards", &token).await, 200).await;
    assert_eq!(list, vec![card.clone()]);
    assert!(!serde_json::to_string(&list).unwrap().contains("6222021234561332"), "numbers are masked");

    // Another merchant can't touch it.
    app.register("o@example.com", "别家公司", PW, PAY_PW).await;
    let other = app.login("o@example.com", "o@example.com", PW).await;
    let gone = app
        .client
        .delete(app.url(&format!("/api/v1/bank-cards/{}", card.id)))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(ok_json::<Problem>(gone, 404).await.code, "card_not_found");

    let deleted = app
        .client
        .delete(app.url(&format!("/api/v1/bank-cards/{}", card.id)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let list: Vec<BankCardView> = ok_json(app.get_with("/api/v1/bank-cards", &token).await, 200).await;
    assert!(list.is_empty());
    // A deleted card can be added again.
    let _: BankCardView = ok_json(add(&app, &token, "6222021234561332", &b.code).await, 201).await;
}

async fn the_twenty_first_card_and_bad_input_are_refused(db: TestDb) {
    let (app, token) = setup(db).await;
    let b = branch(&app, &token).await;
    // The form is checked first, then the payment password.
    let wrong_pw = json!({"bank": "ICBC", "branch_code": b.code, "account_number": "6222021234561111", "account_number_confirm": "6222021234561111", "payment_password": "nope1234"});
    let p: Problem = ok_json(
        app.client
            .post(app.url("/api/v1/bank-cards"))
            .bearer_auth(&token)
            .json(&wrong_pw)
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "payment_password_wrong");
    for i in 0..20 {
        let _: BankCardView =
            ok_json(add(&app, &token, &format!("62220212345600{i:02}"), &b.code).await, 201).await;
    }
    let count = |app: &TestApp| app.db.store().read(|c| count_rows(c, "bank_cards")).unwrap();
    assert_eq!(count(&app), 20);
    let p: Problem = ok_json(add(&app, &token, "6222021234569999", &b.code).await, 422).await;
    assert_eq!(p.errors[0].code, "card_limit");
    let p: Problem = ok_json(add(&app, &token, "6222021234560000", &b.code).await, 409).await;
    assert_eq!(p.code, "card_exists");
    let p: Problem = ok_json(add(&app, &token, "6222021234568888", "999999999999").await, 422).await;
    assert_eq!(p.errors[0].code, "branch_unknown");
    let mismatch = json!({"bank": "ICBC", "branch_code": b.code, "account_number": "6222021234561111", "account_number_confirm": "6222021234561112", "payment_password": PAY_PW});
    let p: Problem = ok_json(
        app.client
            .post(app.url("/api/v1/bank-cards"))
            .bearer_auth(&token)
            .json(&mismatch)
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "account_number_mismatch");
    let applicant = app.login(EMAIL, "applicant", PW).await;
    let p: Problem = ok_json(add(&app, &applicant, "6222021234567777", &b.code).await, 403).await;
    assert_eq!(p.code, "permission_denied");
    assert_eq!(count(&app), 20, "every refusal wrote nothing");
}
