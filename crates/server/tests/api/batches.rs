//! Batch files over HTTP on both backends (issue 11): templates, checks with
//! every problem placed at its row and column, 999 rows and not 1,000, numbers
//! used once for ever, a platform batch approved and paid line by line, a bank
//! batch whose lines settle, fail and come back on their own, and a contact list.

use crate::common::{ok_json, TestApp, PAYEE, PAYER, PAY_PW, PW};
use paydesk_api_types::{
    Application, BatchCheck, BatchTemplate, ContactView, ContactsImported, Page, Problem, ReviewOutcome,
};
use paydesk_documents::batch::{filled_xlsx, read_grid};
use paydesk_domain::batch::BatchKind;
use paydesk_store::testing::TestDb;
use serde_json::{json, Value};

on_both_backends_async!(
    templates_download_and_read_back_as_their_layout,
    a_file_with_problems_creates_nothing_and_says_where,
    nine_hundred_ninety_nine_rows_are_taken_and_a_thousand_are_not,
    a_platform_batch_is_reviewed_and_paid_line_by_line,
    a_bank_batch_ends_partly_paid_with_each_lines_money_back,
    bank_contacts_are_imported_from_a_list,
);

const BRANCH: &str = "中国工商银行股份有限公司上海市陆家嘴支行";

fn cells(c: &[&str]) -> Vec<String> {
    c.iter().map(|s| s.to_string()).collect()
}

fn platform_rows(n: usize, prefix: &str) -> Vec<Vec<String>> {
    (1..=n).map(|i| cells(&[PAYEE, "0.01", "", "劳务费", &format!("{prefix}{i:04}")])).collect()
}

async fn check(app: &TestApp, token: &str, kind: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
    let path = if kind == "bank_contacts" {
        "/api/v1/contacts/imports/checks".to_owned()
    } else {
        format!("/api/v1/batches/checks?kind={kind}")
    };
    app.client.post(app.url(&path)).bearer_auth(token).multipart(form).send().await.unwrap()
}

async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> reqwest::Response {
    app.client.post(app.url(path)).bearer_auth(token).json(body).send().await.unwrap()
}

async fn submit(app: &TestApp, token: &str, kind: &str, file_id: &str) -> reqwest::Response {
    let body = json!({"kind": kind, "file_id": file_id, "payment_password": PAY_PW});
    post(app, token, "/api/v1/batches", &body).await
}

fn count(app: &TestApp, table: &str) -> i64 {
    app.db.store().read(|c| paydesk_store::db::count_rows(c, table)).unwrap()
}

async fn templates_download_and_read_back_as_their_layout(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let token = app.login(PAYER, PAYER, PW).await;
    let list: Vec<BatchTemplate> = ok_json(app.get_with("/api/v1/batch-templates", &token).await, 200).await;
    assert_eq!(list.len(), 5);
    for t in &list {
        let r = app.get_with(&format!("/api/v1/batch-templates/{}", t.kind), &token).await;
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-disposition"].to_str().unwrap().contains("filename*=UTF-8''"));
        let grid = read_grid(&r.bytes().await.unwrap()).unwrap();
        assert!(grid[0][0].contains(&format!("模板更新于 {}", t.version)), "{}", t.kind);
        let headers: Vec<&str> = t.columns.iter().map(|c| c.header.as_str()).collect();
        assert_eq!(grid[2], headers);
    }
    let p: Problem = ok_json(app.get_with("/api/v1/batch-templates/nope", &token).await, 422).await;
    assert_eq!(p.errors[0].code, "batch_kind_unknown");
}

async fn a_file_with_problems_creates_nothing_and_says_where(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "100.00").await;
    let token = app.login(PAYER, "applicant", PW).await;
    let mut rows = platform_rows(3, "P");
    rows[1][0] = "nobody@example.com".into();
    rows[2][1] = "1.234".into();
    let bytes = filled_xlsx(BatchKind::PlatformTransfer, "KJT001", &rows).unwrap();
    let before = count(&app, "applications");
    let out: BatchCheck =
        ok_json(check(&app, &token, "platform_transfer", "转账.xlsx", bytes).await, 200).await;
    let seen: Vec<(u32, &str, &str)> =
        out.problems.iter().map(|p| (p.row, p.column.as_str(), p.code.as_str())).collect();
    assert_eq!(
        seen,
        [(5, "收款快捷通账户", "payee_not_found"), (6, "转账金额（元）", "amount_too_many_decimals")]
    );
    assert!(out.file_id.is_none(), "nothing is kept to submit");
    // The copy with a problems column downloads.
    let copy =
        app.get_with(&format!("/api/v1/batches/files/{}", out.problems_file_id.unwrap()), &token).await;
    assert_eq!(copy.status(), 200);
    let grid = read_grid(&copy.bytes().await.unwrap()).unwrap();
    assert_eq!(grid[2].last().unwrap(), "问题 Problems");
    assert!(grid[4].last().unwrap().contains("收款快捷通账户"));
    assert_eq!(count(&app, "applications"), before);

    // An older template is refused saying so; a picture is not a batch file.
    let mut old = filled_xlsx(BatchKind::PlatformTransfer, "KJT001", &platform_rows(1, "Q")).unwrap();
    let grid = {
        let mut g = read_grid(&old).unwrap();
        g[0][0] = "Paydesk · 模板更新于 2015-02-12".into();
        g
    };
    let csv: String = grid.iter().map(|r| format!("{}\n", r.join(","))).collect();
    old = csv.into_bytes();
    let out: BatchCheck = ok_json(check(&app, &token, "platform_transfer", "old.csv", old).await, 200).await;
    assert_eq!(out.problems[0].code, "template_outdated");
    let p: Problem = ok_json(
        check(&app, &token, "platform_transfer", "x.png", b"\x89PNG\r\n\x1a\n\0\0".to_vec()).await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "file_type");
}

async fn nine_hundred_ninety_nine_rows_are_taken_and_a_thousand_are_not(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "100.00").await;
    let token = app.login(PAYER, "applicant", PW).await;
    let rows = platform_rows(999, "N");
    let bytes = filled_xlsx(BatchKind::PlatformTransfer, "B999", &rows).unwrap();
    let out: BatchCheck =
        ok_json(check(&app, &token, "platform_transfer", "999.xlsx", bytes).await, 200).await;
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!((out.line_count, out.total_amount.as_str()), (999, "9.99"));
    let held: Application =
        ok_json(submit(&app, &token, "platform_transfer", &out.file_id.unwrap()).await, 201).await;
    assert_eq!(
        (held.status.as_str(), held.line_count, held.batch_no.as_deref()),
        ("pending_review", 999, Some("B999"))
    );
    assert!(held.lines.iter().all(|l| l.status == "pending" && l.trade_no.len() == 21));

    let mut more = platform_rows(1000, "M");
    let bytes = filled_xlsx(BatchKind::PlatformTransfer, "B1000", &more).unwrap();
    let out: BatchCheck =
        ok_json(check(&app, &token, "platform_transfer", "1000.xlsx", bytes).await, 200).await;
    assert_eq!(out.problems[0].code, "batch_too_many_rows");

    // The batch number and the order numbers are used once for ever.
    more.truncate(2);
    more[1][4] = "N0005".into();
    let bytes = filled_xlsx(BatchKind::PlatformTransfer, "B999", &more).unwrap();
    let out: BatchCheck =
        ok_json(check(&app, &token, "platform_transfer", "again.xlsx", bytes).await, 200).await;
    let seen: Vec<(u32, &str)> = out.problems.iter().map(|p| (p.row, p.code.as_str())).collect();
    assert_eq!(seen, [(2, "batch_no_taken"), (5, "order_no_taken")]);
}

async fn approve(app: &TestApp, token: &str, phone: &str, ids: &[i64]) -> ReviewOutcome {
    let sms = app.fresh_sms_code(token, phone).await;
    let body =
        json!({"application_ids": ids, "decision": "approve", "payment_password": PAY_PW, "sms_code": sms});
    ok_json(post(app, token, "/api/v1/reviews", &body).await, 200).await
}

async fn application(app: &TestApp, token: &str, id: i64) -> Application {
    ok_json(app.get_with(&format!("/api/v1/applications/{id}"), token).await, 200).await
}

async fn a_platform_batch_is_reviewed_and_paid_line_by_line(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "100.00").await;
    let applicant = app.login(PAYER, "applicant", PW).await;
    let bytes = filled_xlsx(BatchKind::PlatformTransfer, "KJT20261201", &platform_rows(50, "L")).unwrap();
    let out: BatchCheck =
        ok_json(check(&app, &applicant, "platform_transfer", "50.xlsx", bytes).await, 200).await;
    let held: Application =
        ok_json(submit(&app, &applicant, "platform_transfer", out.file_id.as_deref().unwrap()).await, 201)
            .await;
    // Submitting the same file again is refused by its numbers.
    let p: Problem =
        ok_json(submit(&app, &applicant, "platform_transfer", &out.file_id.unwrap()).await, 422).await;
    assert!(p.errors.iter().any(|e| e.code == "batch_no_taken"), "{p:?}");

    let auditor = app.login(PAYER, "auditor", PW).await;
    let outcome = approve(&app, &auditor, "13700137000", &[held.id]).await;
    assert_eq!(outcome.results[0].status, "succeeded");
    let done = application(&app, &auditor, held.id).await;
    assert!(done.lines.iter().all(|l| l.status == "succeeded"));
    let payee = app.login(PAYEE, PAYEE, PW).await;
    let home: paydesk_api_types::Home = ok_json(app.get_with("/api/v1/home", &payee).await, 200).await;
    assert_eq!(home.available, "0.50");
    app.assert_books_balance();
}

fn bank_rows(n: usize) -> Vec<Vec<String>> {
    crate::common::bank_batch_rows(n, (2, 3), "BK")
}

async fn a_bank_batch_ends_partly_paid_with_each_lines_money_back(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "100.00").await;
    let applicant = app.login(PAYER, "applicant", PW).await;
    let bytes = filled_xlsx(BatchKind::BankTransfer, "BANK1", &bank_rows(10)).unwrap();
    let out: BatchCheck =
        ok_json(check(&app, &applicant, "bank_transfer", "bank.xlsx", bytes).await, 200).await;
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert!(out.lines[0].payee_account.starts_with("中国工商银行 "));
    let held: Application =
        ok_json(submit(&app, &applicant, "bank_transfer", &out.file_id.unwrap()).await, 201).await;
    let auditor = app.login(PAYER, "auditor", PW).await;
    let outcome = approve(&app, &auditor, "13700137000", &[held.id]).await;
    assert_eq!(outcome.results[0].status, "processing");
    let run = |hours: u32| {
        let app = &app;
        async move {
            let r = app
                .client
                .post(app.url(&format!("/sandbox/bank/payouts/run?hours={hours}")))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
        }
    };
    run(25).await;
    let done = application(&app, &auditor, held.id).await;
    assert_eq!(done.status, "partially_succeeded");
    assert_eq!(done.lines[1].status, "failed");
    assert!(done.lines[1].failure_reason.is_some());
    assert_eq!(done.lines.iter().filter(|l| l.status == "succeeded").count(), 9);
    // 退票 an hour later: that line's money comes back too.
    run(27).await;
    let done = application(&app, &auditor, held.id).await;
    assert_eq!(done.lines[2].status, "returned");
    assert_eq!(done.status, "partially_succeeded");
    assert_eq!((done.succeeded_count, done.succeeded_amount.as_str()), (8, "8.00"));
    assert_eq!((done.failed_count, done.failed_amount.as_str()), (2, "2.00"));
    let admin = app.login(PAYER, PAYER, PW).await;
    let home: paydesk_api_types::Home = ok_json(app.get_with("/api/v1/home", &admin).await, 200).await;
    assert_eq!((home.available.as_str(), home.frozen.as_str()), ("92.00", "0.00"));
    app.assert_books_balance();

    // The result file: every line with its status and, when it failed or came back, why.
    let r = app.get_with(&format!("/api/v1/applications/{}/lines/export", held.id), &auditor).await;
    assert_eq!(r.status(), 200);
    let grid = read_grid(&r.bytes().await.unwrap()).unwrap();
    assert!(grid[0][0].contains("BANK1"));
    assert_eq!(grid.len(), 3 + 10);
    assert_eq!((grid[4][7].as_str(), grid[5][7].as_str(), grid[6][7].as_str()), ("失败", "退票", "成功"));
    assert!(!grid[4][8].is_empty());
    assert_eq!(grid[3][4], "*****0001", "bank accounts masked");
    // Another merchant finds nothing.
    let other = app.login(PAYEE, PAYEE, PW).await;
    let r = app.get_with(&format!("/api/v1/applications/{}/lines/export", held.id), &other).await;
    assert_eq!(r.status(), 404);
}

async fn bank_contacts_are_imported_from_a_list(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let token = app.login(PAYER, PAYER, PW).await;
    let rows: Vec<Vec<String>> = (1..=20)
        .map(|i| {
            cells(&["张三", "工商银行", "上海市", "上海市", BRANCH, &format!("62220211{i:08}"), "供应商"])
        })
        .collect();
    let bytes = filled_xlsx(BatchKind::BankContacts, "", &rows).unwrap();
    let out: BatchCheck =
        ok_json(check(&app, &token, "bank_contacts", "联系人.xlsx", bytes.clone()).await, 200).await;
    assert_eq!((out.contacts.len(), out.contacts[0].account.as_str()), (20, "*****0001"));
    let done: ContactsImported =
        ok_json(post(&app, &token, "/api/v1/contacts/imports", &json!({"file_id": out.file_id})).await, 201)
            .await;
    assert_eq!(done.added, 20);
    let list: Page<ContactView> =
        ok_json(app.get_with("/api/v1/contacts?kind=bank&per_page=100", &token).await, 200).await;
    assert_eq!(list.total, 20);
    // The same list again: every row is a contact already.
    let again: BatchCheck =
        ok_json(check(&app, &token, "bank_contacts", "again.xlsx", bytes).await, 200).await;
    assert_eq!((again.problems.len(), again.problems[0].code.as_str()), (20, "contact_exists"));
}
