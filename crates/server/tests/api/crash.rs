//! A real server process killed with SIGKILL while the bank answers a
//! 999-line batch, then started again on the same database: every line ends
//! exactly once — settled, failed or returned with one journal entry each — and
//! the books reconcile. On both backends.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use diesel::prelude::*;
use paydesk_api_types::{AccessToken, Application, BatchCheck, Captcha, OutboxMessage, ReviewOutcome};
use paydesk_documents::batch::filled_xlsx;
use paydesk_domain::batch::BatchKind;
use paydesk_store::testing::TestDb;
use serde_json::json;

use crate::common::ok_json;

on_both_backends_async!(a_batch_survives_a_killed_server_and_pays_every_line_once);

const LINES: usize = 999;
const PAY_PW: &str = "Pay123456!";

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `paydesk serve` in development mode with the demo data, on `db`.
fn serve(db: &TestDb, files: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_paydesk"))
        .args(["serve", "--mode", "development", "--demo", "--listen", "127.0.0.1:0"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &db.url)
        .env("PAYDESK_DATA_DIR", files)
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("the server printed its address").unwrap();
        if let Some(rest) = line.split("running at ").nth(1) {
            break rest.split_whitespace().next().unwrap().trim_end_matches('/').to_owned();
        }
    };
    // Keep reading its output so the pipe never fills.
    std::thread::spawn(move || for _ in lines {});
    Server { child, url }
}

async fn login(client: &reqwest::Client, url: &str, operator: &str, password: &str) -> String {
    let c: Captcha =
        ok_json(client.post(format!("{url}/api/v1/captchas")).json(&json!({})).send().await.unwrap(), 201)
            .await;
    let body = json!({"merchant": "demo@paydesk.test", "operator": operator, "password": password,
        "captcha_id": c.id, "captcha_answer": c.dev_answer});
    let t: AccessToken =
        ok_json(client.post(format!("{url}/api/v1/session")).json(&body).send().await.unwrap(), 200).await;
    t.access_token
}

fn rows() -> Vec<Vec<String>> {
    crate::common::bank_batch_rows(LINES, (7, 8), "K")
}

fn count(db: &TestDb, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut c = db.store().conn().unwrap();
    let rows: Vec<N> = diesel::sql_query(sql).load(&mut *c).unwrap();
    rows[0].n
}

async fn a_batch_survives_a_killed_server_and_pays_every_line_once(db: TestDb) {
    paydesk_server::messaging::install_tls_provider();
    let files = std::env::temp_dir().join(format!("paydesk-crash-{}-{:?}", std::process::id(), db.backend()));
    let client = reqwest::Client::builder().timeout(Duration::from_secs(120)).build().unwrap();
    let first = serve(&db, &files);
    let url = first.url.clone();
    let merchant = db
        .store()
        .read(|c| paydesk_store::identity::find_merchant_by_email(c, "demo@paydesk.test"))
        .unwrap()
        .unwrap();
    crate::common::fund(&db.store(), merchant.id, "2000.00");

    let applicant = login(&client, &url, "applicant", "Apply123!").await;
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(filled_xlsx(BatchKind::BankTransfer, "CRASH1", &rows()).unwrap())
            .file_name("b.xlsx"),
    );
    let r = client
        .post(format!("{url}/api/v1/batches/checks?kind=bank_transfer"))
        .bearer_auth(&applicant)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let check: BatchCheck = ok_json(r, 200).await;
    assert!(check.problems.is_empty(), "{:?}", &check.problems[..check.problems.len().min(3)]);
    let body = json!({"kind": "bank_transfer", "file_id": check.file_id, "payment_password": PAY_PW});
    let held: Application = ok_json(
        client
            .post(format!("{url}/api/v1/batches"))
            .bearer_auth(&applicant)
            .json(&body)
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;

    let auditor = login(&client, &url, "auditor", "Audit123!").await;
    let r = client
        .post(format!("{url}/api/v1/sms-codes"))
        .bearer_auth(&auditor)
        .json(&json!({"purpose": "fund_operation"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let sms: Vec<OutboxMessage> = ok_json(
        client.get(format!("{url}/api/v1/dev/outbox?recipient=13700137000")).send().await.unwrap(),
        200,
    )
    .await;
    let code: String = sms[0].body.chars().filter(char::is_ascii_digit).take(6).collect();
    let body = json!({"application_ids": [held.id], "decision": "approve", "payment_password": PAY_PW, "sms_code": code});
    let out: ReviewOutcome = ok_json(
        client.post(format!("{url}/api/v1/reviews")).bearer_auth(&auditor).json(&body).send().await.unwrap(),
        200,
    )
    .await;
    assert_eq!(out.results[0].status, "processing");

    // The bank starts answering; the server is killed while it does.
    let run = client.post(format!("{url}/sandbox/bank/payouts/run?hours=25")).send();
    let killing = async {
        tokio::time::sleep(Duration::from_millis(400)).await;
    };
    let mut first = first;
    tokio::select! {
        _ = run => {}
        _ = killing => {}
    }
    first.child.kill().unwrap(); // SIGKILL
    first.child.wait().unwrap();
    let open = count(&db, "SELECT COUNT(*) AS n FROM payouts WHERE status = 'submitted'");
    assert!(open > 0, "the kill came before every line was answered");

    // Started again on the same database, the bank goes on until every line is answered.
    let second = serve(&db, &files);
    let url = second.url.clone();
    for hours in std::iter::repeat_n(25, 12).chain([27, 27]) {
        let r = client.post(format!("{url}/sandbox/bank/payouts/run?hours={hours}")).send().await.unwrap();
        assert_eq!(r.status(), 200);
        if count(&db, "SELECT COUNT(*) AS n FROM payouts WHERE status = 'submitted'") == 0 && hours == 27 {
            break;
        }
    }
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM payouts WHERE status = 'submitted'"), 0);
    let admin = login(&client, &url, "demo@paydesk.test", "Demo123!").await;
    let done: Application = ok_json(
        client
            .get(format!("{url}/api/v1/applications/{}", held.id))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(done.status, "partially_succeeded");
    let statuses = |s: &str| done.lines.iter().filter(|l| l.status == s).count();
    assert_eq!((statuses("succeeded"), statuses("failed"), statuses("returned")), (LINES - 2, 1, 1));

    // Exactly once: one payout per line, one entry per outcome.
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM payouts"), LINES as i64);
    assert_eq!(count(&db, "SELECT COUNT(DISTINCT line_id) AS n FROM payouts"), LINES as i64);
    assert_eq!(
        count(&db, "SELECT COUNT(*) AS n FROM journal_entries WHERE kind = 'payout_settled'"),
        LINES as i64 - 1
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(DISTINCT reference) AS n FROM journal_entries WHERE kind = 'payout_settled'"
        ),
        LINES as i64 - 1
    );
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM journal_entries WHERE kind = 'payout_failed'"), 1);
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM journal_entries WHERE kind = 'payout_returned'"), 1);
    let found = db.store().read(paydesk_store::ledger::reconcile_all).unwrap();
    assert!(found.is_empty(), "{found:?}");
    let available = crate::common::available_fen(&db.store(), merchant.id);
    assert_eq!(available, 200_000 - (LINES as i64 - 2) * 100);
    drop(second);
    let _ = std::fs::remove_dir_all(&files);
}
