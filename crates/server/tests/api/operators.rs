//! Roles, operators and the operation log (manual §3.3.3) over HTTP on both
//! backends: the payment-password gate, granting only what one holds, nobody
//! raising their own permissions, the last admin, disabling and deleting.

use crate::common::{ok_json, TestApp, PAYER, PAY_PW, PW};
use diesel::connection::SimpleConnection;
use paydesk_api_types::{Me, OperationLogEntry, OperatorView, Page, Problem, RoleView, Unlocked};
use paydesk_store::testing::TestDb;
use serde_json::{json, Value};

on_both_backends_async!(
    the_operator_pages_need_the_payment_password,
    nobody_grants_what_they_do_not_hold,
    the_last_admin_stays_and_disabled_operators_are_out,
    the_operation_log_records_every_change,
    a_change_and_its_log_line_commit_together,
);

async fn send(
    app: &TestApp,
    method: &str,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let url = app.url(path);
    let mut request = match method {
        "POST" => app.client.post(url),
        "PUT" => app.client.put(url),
        "DELETE" => app.client.delete(url),
        _ => app.client.get(url),
    }
    .bearer_auth(token);
    if let Some(b) = body {
        request = request.json(&b);
    }
    request.send().await.unwrap()
}

async fn unlock(app: &TestApp, token: &str) {
    let r =
        send(app, "POST", token, "/api/v1/operators/unlock", Some(json!({"payment_password": PAY_PW}))).await;
    ok_json::<Unlocked>(r, 200).await;
}

async fn role(app: &TestApp, token: &str, name: &str, permissions: &[&str]) -> reqwest::Response {
    send(app, "POST", token, "/api/v1/roles", Some(json!({"name": name, "permissions": permissions}))).await
}

async fn operator(app: &TestApp, token: &str, login: &str, role_id: i64) -> reqwest::Response {
    let body = json!({"login_name": login, "display_name": login, "password": PW, "role_id": role_id});
    send(app, "POST", token, "/api/v1/operators", Some(body)).await
}

/// The password a new operator chooses at first sign-in.
const OWN_PW: &str = "own-pass9";

/// A new operator's first sign-in: only the password change is open until the
/// admin's password is replaced; the session goes on afterwards.
pub async fn first_sign_in(app: &TestApp, login: &str) -> String {
    let token = app.login(PAYER, login, PW).await;
    let p: Problem = ok_json(app.get_with("/api/v1/home", &token).await, 403).await;
    assert_eq!(p.code, "password_change_required");
    let me: Me = ok_json(app.get_with("/api/v1/me", &token).await, 200).await;
    assert!(me.password_change_required);
    let change = json!({"old_password": PW, "new_password": OWN_PW});
    let r = send(app, "PUT", &token, "/api/v1/security/login-password", Some(change)).await;
    assert_eq!(r.status(), 204);
    token
}

async fn roles_by_name(app: &TestApp, token: &str) -> std::collections::HashMap<String, RoleView> {
    let list: Vec<RoleView> = ok_json(send(app, "GET", token, "/api/v1/roles", None).await, 200).await;
    list.into_iter().map(|r| (r.name.clone(), r)).collect()
}

async fn the_operator_pages_need_the_payment_password(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let admin = app.login(PAYER, PAYER, PW).await;
    let p: Problem = ok_json(send(&app, "GET", &admin, "/api/v1/operators", None).await, 403).await;
    assert_eq!(p.code, "payment_password_required");
    let r =
        send(&app, "POST", &admin, "/api/v1/operators/unlock", Some(json!({"payment_password": "wrong1!x"})))
            .await;
    let p: Problem = ok_json(r, 422).await;
    assert_eq!(p.errors[0].code, "payment_password_wrong");
    unlock(&app, &admin).await;
    let list: Vec<OperatorView> =
        ok_json(send(&app, "GET", &admin, "/api/v1/operators", None).await, 200).await;
    let logins: Vec<&str> = list.iter().map(|o| o.login_name.as_str()).collect();
    assert_eq!(logins, [PAYER, "applicant", "auditor"]);
    assert!(list[0].is_me);
    assert_eq!(list[1].phone.as_deref(), Some("139****9000"));
    let roles = roles_by_name(&app, &admin).await;
    assert_eq!(roles["管理"].builtin.as_deref(), Some("admin"));
    assert_eq!(roles["审核"].holders, 1);
    // The unlock belongs to this session only.
    let other = app.login(PAYER, PAYER, PW).await;
    let p: Problem = ok_json(send(&app, "GET", &other, "/api/v1/roles", None).await, 403).await;
    assert_eq!(p.code, "payment_password_required");
    // An applicant may not manage operators at all.
    let applicant = app.login(PAYER, "applicant", PW).await;
    let p: Problem = ok_json(send(&app, "GET", &applicant, "/api/v1/operators", None).await, 403).await;
    assert_eq!(p.code, "permission_denied");
}

async fn nobody_grants_what_they_do_not_hold(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let admin = app.login(PAYER, PAYER, PW).await;
    unlock(&app, &admin).await;
    let cashier_role: RoleView =
        ok_json(role(&app, &admin, "出纳", &["home", "transfer", "funds_overview"]).await, 201).await;
    let p: Problem = ok_json(role(&app, &admin, "出纳", &["home"]).await, 409).await;
    assert_eq!(p.code, "role_name_taken");
    let p: Problem = ok_json(role(&app, &admin, "x", &["everything"]).await, 422).await;
    assert_eq!(p.errors[0].code, "permission_unknown");
    let builtin = roles_by_name(&app, &admin).await["申请"].id;
    let r = send(
        &app,
        "PUT",
        &admin,
        &format!("/api/v1/roles/{builtin}"),
        Some(json!({"name": "申请", "permissions": ["home"]})),
    )
    .await;
    assert_eq!(ok_json::<Problem>(r, 409).await.code, "role_builtin");

    ok_json::<OperatorView>(operator(&app, &admin, "cashier", cashier_role.id).await, 201).await;
    let p: Problem = ok_json(operator(&app, &admin, "cashier", cashier_role.id).await, 409).await;
    assert_eq!(p.code, "login_name_taken");
    let cashier = first_sign_in(&app, "cashier").await;
    let me: Me = ok_json(app.get_with("/api/v1/me", &cashier).await, 200).await;
    assert_eq!((me.role.as_str(), me.role_name.as_str()), ("custom", "出纳"));
    assert_eq!(me.permissions, ["home", "funds_overview", "transfer"]);

    // A manager who may manage operators but not move money.
    let manager_role: RoleView =
        ok_json(role(&app, &admin, "人事", &["home", "operators", "contacts"]).await, 201).await;
    ok_json::<OperatorView>(operator(&app, &admin, "manager", manager_role.id).await, 201).await;
    let manager = first_sign_in(&app, "manager").await;
    unlock(&app, &manager).await;
    let p: Problem = ok_json(role(&app, &manager, "付款", &["transfer"]).await, 403).await;
    assert_eq!(p.code, "grant_exceeds_own");
    let admin_role = roles_by_name(&app, &manager).await["管理"].id;
    // It can't hand out the admin role, nor take it for itself, nor widen its own role.
    let p: Problem = ok_json(operator(&app, &manager, "sneaky", admin_role).await, 403).await;
    assert_eq!(p.code, "grant_exceeds_own");
    let list: Vec<OperatorView> =
        ok_json(send(&app, "GET", &manager, "/api/v1/operators", None).await, 200).await;
    let me_id = list.iter().find(|o| o.is_me).unwrap().id;
    let r = send(
        &app,
        "PUT",
        &manager,
        &format!("/api/v1/operators/{me_id}"),
        Some(json!({"display_name": "manager", "role_id": admin_role})),
    )
    .await;
    assert_eq!(ok_json::<Problem>(r, 403).await.code, "grant_exceeds_own");
    let widen = json!({"name": "人事", "permissions": ["home", "operators", "contacts", "transfer"]});
    let r = send(&app, "PUT", &manager, &format!("/api/v1/roles/{}", manager_role.id), Some(widen)).await;
    assert_eq!(ok_json::<Problem>(r, 403).await.code, "grant_exceeds_own");
    let me: Me = ok_json(app.get_with("/api/v1/me", &manager).await, 200).await;
    assert_eq!(me.permissions, ["home", "contacts", "operators"], "unchanged");
    // Nor manage someone more powerful: the admin, or the cashier who may transfer.
    let admin_id = list.iter().find(|o| o.login_name == PAYER).unwrap().id;
    let r = send(&app, "POST", &manager, &format!("/api/v1/operators/{admin_id}/disable"), None).await;
    assert_eq!(ok_json::<Problem>(r, 403).await.code, "operator_outranks_you");
    // Within its own permissions it may: a contacts clerk.
    let clerk: RoleView = ok_json(role(&app, &manager, "联系人管理", &["contacts"]).await, 201).await;
    ok_json::<OperatorView>(operator(&app, &manager, "clerk", clerk.id).await, 201).await;
}

async fn the_last_admin_stays_and_disabled_operators_are_out(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let admin = app.login(PAYER, PAYER, PW).await;
    unlock(&app, &admin).await;
    let everything: Vec<&str> =
        paydesk_domain::permissions::Permission::ALL.iter().map(|p| p.as_str()).collect();
    let deputy_role: RoleView = ok_json(role(&app, &admin, "全权", &everything).await, 201).await;
    let deputy_view: OperatorView =
        ok_json(operator(&app, &admin, "deputy", deputy_role.id).await, 201).await;
    let deputy = first_sign_in(&app, "deputy").await;
    unlock(&app, &deputy).await;
    let list: Vec<OperatorView> =
        ok_json(send(&app, "GET", &deputy, "/api/v1/operators", None).await, 200).await;
    let admin_id = list.iter().find(|o| o.login_name == PAYER).unwrap().id;
    let applicant_role = roles_by_name(&app, &deputy).await["申请"].id;
    let r = send(&app, "POST", &deputy, &format!("/api/v1/operators/{admin_id}/disable"), None).await;
    assert_eq!(ok_json::<Problem>(r, 409).await.code, "last_admin");
    let r = send(&app, "DELETE", &deputy, &format!("/api/v1/operators/{admin_id}"), None).await;
    assert_eq!(ok_json::<Problem>(r, 409).await.code, "last_admin");
    let demote = json!({"display_name": "管理员", "role_id": applicant_role});
    let r = send(&app, "PUT", &deputy, &format!("/api/v1/operators/{admin_id}"), Some(demote)).await;
    assert_eq!(ok_json::<Problem>(r, 409).await.code, "last_admin");
    // Nobody changes their own role or disables themselves.
    let r = send(
        &app,
        "PUT",
        &admin,
        &format!("/api/v1/operators/{admin_id}"),
        Some(json!({"display_name": "管理员", "role_id": applicant_role})),
    )
    .await;
    assert_eq!(ok_json::<Problem>(r, 403).await.code, "own_role");
    let r = send(&app, "POST", &admin, &format!("/api/v1/operators/{admin_id}/disable"), None).await;
    assert_eq!(ok_json::<Problem>(r, 409).await.code, "own_operator");

    // Disabling ends the deputy's session at once and stops sign-in; enabling restores it.
    let r = send(&app, "POST", &admin, &format!("/api/v1/operators/{}/disable", deputy_view.id), None).await;
    assert_eq!(r.status(), 204);
    let p: Problem = ok_json(app.get_with("/api/v1/me", &deputy).await, 401).await;
    assert_eq!(p.code, "session_expired");
    let refused = app.login_with(&app.client, PAYER, "deputy", OWN_PW).await;
    assert_eq!(refused.status(), 403);
    let r = send(&app, "POST", &admin, &format!("/api/v1/operators/{}/enable", deputy_view.id), None).await;
    assert_eq!(r.status(), 204);
    app.login(PAYER, "deputy", OWN_PW).await;
    // Deleting frees the login name; the role can go once nobody holds it.
    let r = send(&app, "DELETE", &admin, &format!("/api/v1/roles/{}", deputy_role.id), None).await;
    assert_eq!(ok_json::<Problem>(r, 409).await.code, "role_in_use");
    let r = send(&app, "DELETE", &admin, &format!("/api/v1/operators/{}", deputy_view.id), None).await;
    assert_eq!(r.status(), 204);
    assert_eq!(app.login_with(&app.client, PAYER, "deputy", OWN_PW).await.status(), 401);
    let r = send(&app, "DELETE", &admin, &format!("/api/v1/roles/{}", deputy_role.id), None).await;
    assert_eq!(r.status(), 204);
    let again: OperatorView = ok_json(operator(&app, &admin, "deputy", applicant_role).await, 201).await;
    assert_ne!(again.id, deputy_view.id);
}

async fn the_operation_log_records_every_change(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let admin = app.login(PAYER, PAYER, PW).await;
    unlock(&app, &admin).await;
    let applicant_role = roles_by_name(&app, &admin).await["申请"].id;
    ok_json::<OperatorView>(operator(&app, &admin, "newbie", applicant_role).await, 201).await;
    ok_json::<Problem>(operator(&app, &admin, "x", applicant_role).await, 422).await;
    let page: Page<OperationLogEntry> =
        ok_json(app.get_with("/api/v1/operation-log?action=operators", &admin).await, 200).await;
    let seen: Vec<(&str, u16)> = page.items.iter().map(|e| (e.action.as_str(), e.status)).collect();
    assert_eq!(
        seen,
        [
            ("POST /api/v1/operators", 422),
            ("POST /api/v1/operators", 201),
            ("POST /api/v1/operators/unlock", 200)
        ]
    );
    assert!(page.items.iter().all(|e| e.operator == "管理员 (payer@example.com)" && e.ip == "127.0.0.1"));
    let by_other: Page<OperationLogEntry> =
        ok_json(app.get_with("/api/v1/operation-log?operator=applicant", &admin).await, 200).await;
    assert_eq!(by_other.total, 0);
    // Reads are not logged; other merchants' changes are not shown.
    let all: Page<OperationLogEntry> =
        ok_json(app.get_with("/api/v1/operation-log", &admin).await, 200).await;
    assert!(all.items.iter().all(|e| !e.action.starts_with("GET")));
    // Who may not read the log can't, and nothing edits it.
    let applicant = app.login(PAYER, "applicant", PW).await;
    let p: Problem = ok_json(app.get_with("/api/v1/operation-log", &applicant).await, 403).await;
    assert_eq!(p.code, "permission_denied");
    let doc: Value = serde_json::from_str(&paydesk_server::openapi_json()).unwrap();
    let methods: Vec<&String> = doc["paths"]["/api/v1/operation-log"].as_object().unwrap().keys().collect();
    assert_eq!(methods, ["get"]);
}

fn sql(app: &TestApp, statement: &str) {
    app.db.store().write(|c| Ok::<_, paydesk_store::StoreError>(c.batch_execute(statement)?)).unwrap();
}

fn log_lines(app: &TestApp, action: &str) -> Vec<(String, i32)> {
    use diesel::prelude::*;
    use paydesk_store::schema::operation_log as log;
    let mut c = app.db.store().conn().unwrap();
    log::table.filter(log::action.eq(action)).select((log::action, log::status)).load(&mut *c).unwrap()
}

/// The log line is written inside the change's transaction: when the line
/// can't be written, the change doesn't happen either; when it succeeds, there
/// is exactly one line, with the operation's success status.
async fn a_change_and_its_log_line_commit_together(db: TestDb) {
    let app = crate::common::payer_and_payee(db, "1.00").await;
    let admin = app.login(PAYER, PAYER, PW).await;
    unlock(&app, &admin).await;
    let before = roles_by_name(&app, &admin).await.len();

    sql(&app, "ALTER TABLE operation_log RENAME TO operation_log_away");
    let r = role(&app, &admin, "出纳", &["transfer"]).await;
    assert_eq!(r.status(), 500);
    sql(&app, "ALTER TABLE operation_log_away RENAME TO operation_log");
    assert_eq!(roles_by_name(&app, &admin).await.len(), before, "the role came without its log line");
    assert!(log_lines(&app, "POST /api/v1/roles").is_empty());

    ok_json::<RoleView>(role(&app, &admin, "出纳", &["transfer"]).await, 201).await;
    assert_eq!(log_lines(&app, "POST /api/v1/roles"), [("POST /api/v1/roles".to_owned(), 201)]);
    paydesk_server::oplog::seal_waiting(&app.db.store()).unwrap();
    let verified = app.db.store().read(paydesk_store::oplog::verify).unwrap();
    assert!(verified.breaks.is_empty(), "{:?}", verified.breaks);
}
