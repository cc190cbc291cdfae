//! Starts the real app on port 0 with its own fresh database.

#![allow(dead_code)]

use paydesk_domain::states::KybStatus;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use paydesk_api_types::{AccessToken, Captcha, OutboxMessage};
use paydesk_server::messaging::Messenger;
use paydesk_server::{serve, Mode, Settings};
use paydesk_store::testing::TestDb;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: TestDb,
    pub web_dir: PathBuf,
    pub mode: Mode,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.web_dir);
    }
}

/// A stand-in SPA build: the server only serves files, so any index.html will do.
pub const INDEX_HTML: &str = "<!doctype html><title>Paydesk test shell</title>";

pub async fn spawn_app(db: TestDb) -> TestApp {
    spawn_app_in(db, Mode::Development).await
}

pub async fn spawn_app_in(db: TestDb, mode: Mode) -> TestApp {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let web_dir = std::env::temp_dir().join(format!("paydesk-web-{}-{n}", std::process::id()));
    std::fs::create_dir_all(web_dir.join("pkg")).unwrap();
    std::fs::write(web_dir.join("index.html"), INDEX_HTML).unwrap();
    std::fs::write(web_dir.join("pkg/app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();

    let base = start_server(&db, &web_dir, mode);
    TestApp { base, client: client(), db, web_dir, mode }
}

fn start_server(db: &TestDb, web_dir: &std::path::Path, mode: Mode) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let settings = Settings { mode, ..Settings::development(web_dir.to_owned(), web_dir.join("data")) };
    let server = serve(listener, db.store(), settings, Messenger::outbox_only()).unwrap();
    actix_web::rt::spawn(server);
    format!("http://127.0.0.1:{port}")
}

/// A client with its own cookie jar, like one browser.
pub fn client() -> reqwest::Client {
    paydesk_server::messaging::install_tls_provider();
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap()
}

/// A client without cookies (or redirects), like another program.
pub fn bare_client() -> reqwest::Client {
    paydesk_server::messaging::install_tls_provider();
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

impl TestApp {
    /// Starts another server on the same database (as a second process would
    /// be, with its own pool and jobs) and answers its address.
    pub fn another_server(&self) -> String {
        start_server(&self.db, &self.web_dir, self.mode)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn post_raw(&self, path: &str, content_type: &str, body: &str) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body.to_owned())
            .send()
            .await
            .unwrap()
    }
}

impl TestApp {
    /// Starts a second server on the same database and talks to it from now on:
    /// what a restart would see.
    pub fn restart(&mut self) {
        self.base = start_server(&self.db, &self.web_dir, self.mode);
    }

    pub async fn post<B: Serialize>(&self, path: &str, body: &B) -> reqwest::Response {
        self.client.post(self.url(path)).json(body).send().await.unwrap()
    }

    pub async fn post_as<B: Serialize>(
        &self,
        client: &reqwest::Client,
        path: &str,
        body: &B,
    ) -> reqwest::Response {
        client.post(self.url(path)).json(body).send().await.unwrap()
    }

    pub async fn get_with(&self, path: &str, token: &str) -> reqwest::Response {
        self.client.get(self.url(path)).bearer_auth(token).send().await.unwrap()
    }

    /// A fresh captcha and its answer (development mode shows it).
    pub async fn captcha(&self) -> (String, String) {
        let c: Captcha =
            ok_json(self.client.post(self.url("/api/v1/captchas")).send().await.unwrap(), 201).await;
        (c.id, c.dev_answer.expect("development mode shows the answer"))
    }

    pub async fn outbox(&self, recipient: &str) -> Vec<OutboxMessage> {
        ok_json(self.get(&format!("/api/v1/dev/outbox?recipient={recipient}")).await, 200).await
    }

    /// The registration token from the newest e-mail to `email`.
    pub async fn registration_token(&self, email: &str) -> String {
        let mail = self
            .outbox(email)
            .await
            .into_iter()
            .find(|m| m.channel == "email")
            .expect("a registration e-mail");
        let start = mail.body.find("token=").expect("a link with a token") + "token=".len();
        mail.body[start..].split_whitespace().next().unwrap().to_owned()
    }

    /// Registers a merchant through the public API; returns nothing, panics on failure.
    pub async fn register(&self, email: &str, company: &str, login_password: &str, payment_password: &str) {
        let (id, answer) = self.captcha().await;
        let started = self
            .post(
                "/api/v1/registrations",
                &serde_json::json!({"email": email, "captcha_id": id, "captcha_answer": answer, "agreement_accepted": true}),
            )
            .await;
        assert_eq!(started.status(), 202, "{}", started.text().await.unwrap());
        let token = self.registration_token(email).await;
        let done = self
            .post(
                &format!("/api/v1/registrations/{token}/complete"),
                &serde_json::json!({"company_name": company, "login_password": login_password, "payment_password": payment_password}),
            )
            .await;
        assert_eq!(done.status(), 201, "{}", done.text().await.unwrap());
    }

    /// Signs in with `client`'s cookie jar; returns the raw response.
    pub async fn login_with(
        &self,
        client: &reqwest::Client,
        merchant: &str,
        operator: &str,
        password: &str,
    ) -> reqwest::Response {
        let (id, answer) = self.captcha().await;
        self.post_as(
            client,
            "/api/v1/session",
            &serde_json::json!({"merchant": merchant, "operator": operator, "password": password, "captcha_id": id, "captcha_answer": answer}),
        )
        .await
    }

    /// Signs in and returns the access token.
    pub async fn login(&self, merchant: &str, operator: &str, password: &str) -> String {
        let token: AccessToken =
            ok_json(self.login_with(&self.client, merchant, operator, password).await, 200).await;
        token.access_token
    }
}

impl TestApp {
    /// Creates a staff account (as `paydesk ops create-staff` does) and signs it in.
    /// Puts `amount` on a merchant's available balance as a recharge from a test
    /// bank would (one balanced entry, one statement line).
    pub fn fund(&self, merchant_id: i64, amount: &str) {
        fund(&self.db.store(), merchant_id, amount);
    }

    /// A fresh fund-operation SMS code for the operator behind `token`, sent to
    /// `phone` (the one-a-minute cool-down is cleared first).
    pub async fn fresh_sms_code(&self, token: &str, phone: &str) -> String {
        self.db
            .store()
            .write(|c| -> Result<(), paydesk_store::StoreError> {
                use diesel::connection::SimpleConnection;
                Ok(c.batch_execute("DELETE FROM sms_codes")?)
            })
            .unwrap();
        let r = self
            .client
            .post(self.url("/api/v1/sms-codes"))
            .bearer_auth(token)
            .json(&serde_json::json!({"purpose": "fund_operation"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 202);
        self.outbox(phone).await[0].body.chars().filter(char::is_ascii_digit).take(6).collect()
    }

    /// Every entry balanced and every stored balance equal to its postings.
    pub fn assert_books_balance(&self) {
        let found = self.db.store().read(paydesk_store::ledger::reconcile_all).unwrap();
        assert!(found.is_empty(), "{found:?}");
    }

    pub async fn staff_token(&self) -> String {
        let hash = paydesk_server::auth::hash_password("staff-pw-1").unwrap();
        self.db.store().write(|c| paydesk_store::identity::create_staff(c, "ops1", &hash)).unwrap();
        let (id, answer) = self.captcha().await;
        let body = serde_json::json!({"login_name": "ops1", "password": "staff-pw-1", "captcha_id": id, "captcha_answer": answer});
        let token: AccessToken = ok_json(self.post("/api/v1/ops/session", &body).await, 200).await;
        token.access_token
    }
}

impl TestApp {
    /// Production mode shows no captcha answers: create the merchant directly,
    /// as registration would.
    pub async fn register_in_production(&self, email: &str) {
        let hash = paydesk_server::auth::hash_password("abc123!x").unwrap();
        let new = paydesk_store::identity::NewMerchant {
            email,
            company_name: "生产模式公司",
            login_password_hash: &hash,
            payment_password_hash: &hash,
        };
        self.db.store().write(|c| paydesk_store::identity::create_merchant(c, &new)).unwrap().unwrap();
    }
}

/// The body as `T` after checking the status.
pub async fn ok_json<T: DeserializeOwned>(response: reqwest::Response, status: u16) -> T {
    let got = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert_eq!(got, status, "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Declares each named `async fn(TestDb)` as a test in `sqlite::` and `postgres::`.
#[macro_export]
macro_rules! on_both_backends_async {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[actix_web::test] async fn $name() {
                super::$name(paydesk_store::testing::TestDb::sqlite()).await
            } )*
        }
        mod postgres {
            $( #[actix_web::test] async fn $name() {
                if let Some(db) = paydesk_store::testing::TestDb::postgres() { super::$name(db).await }
            } )*
        }
    };
}

/// The passwords every test merchant registers with.
pub const PW: &str = "abc123!x";
pub const PAY_PW: &str = "pay456#y";
pub const PAYER: &str = "payer@example.com";
pub const PAYEE: &str = "payee@example.com";

/// Two verified merchants with every product signed: the payer (id 1, holding `funds`, phone 13800138000)
/// with an applicant (13900139000) and an auditor (13700137000), and the payee (id 2).
pub async fn payer_and_payee(db: TestDb, funds: &str) -> TestApp {
    use paydesk_store::{identity, StoreError};
    let app = spawn_app(db).await;
    app.register(PAYER, "付款贸易有限公司", PW, PAY_PW).await;
    app.register(PAYEE, "收款科技有限公司", PW, PAY_PW).await;
    let hash = paydesk_server::auth::hash_password(PW).unwrap();
    app.db
        .store()
        .write(|c| -> Result<(), StoreError> {
            for id in [1, 2] {
                identity::set_kyb_status(c, id, KybStatus::Verified)?;
                for app in paydesk_domain::apps::App::ALL {
                    paydesk_store::signings::sign_outright(c, id, *app, chrono::Utc::now().naive_utc())?;
                }
            }
            identity::set_merchant_phone(c, 1, "13800138000")?;
            identity::create_operator(c, 1, "applicant", "申请员", &hash, "applicant", Some("13900139000"))?;
            identity::create_operator(c, 1, "auditor", "审核员", &hash, "auditor", Some("13700137000"))?;
            Ok(())
        })
        .unwrap();
    app.fund(1, funds);
    app
}

/// Puts `amount` on a merchant's available balance as a recharge from a test
/// bank would (one balanced entry, one statement line).
pub fn fund(store: &paydesk_store::Store, merchant_id: i64, amount: &str) {
    use paydesk_domain::ledger::{AccountKind, JournalEntry};
    use paydesk_store::{ledger, StoreError};
    store
        .write(|c| -> Result<(), StoreError> {
            let bank =
                ledger::open_account(c, "platform:bank:test", AccountKind::PlatformBankClearing, None)?;
            let code = format!("merchant:{merchant_id}:merchant_available");
            let mine = ledger::find_account(c, &code)?.expect("the merchant's account");
            let entry =
                JournalEntry::transfer(bank.id, mine.id, paydesk_domain::Money::parse(amount).unwrap())?;
            ledger::post_entry(
                c,
                &entry,
                &ledger::EntryMeta { kind: "recharge", reference: None, remark: "充值" },
            )?;
            Ok(())
        })
        .unwrap();
}

/// Rows of a bank batch file paying 1.00 each to a company's ICBC account in
/// Shanghai; line `failing` goes to an account the sandbox bank fails (…0000),
/// line `returning` to one it pays and returns an hour later (…9999).
pub fn bank_batch_rows(
    n: usize,
    (failing, returning): (usize, usize),
    order_prefix: &str,
) -> Vec<Vec<String>> {
    (1..=n)
        .map(|i| {
            let account = match i {
                _ if i == failing => "6222020000000000".to_owned(),
                _ if i == returning => "6222020000009999".to_owned(),
                _ => format!("62220200000{i:05}"),
            };
            let order = format!("{order_prefix}{i}");
            [
                "上海示例有限公司",
                "工商银行",
                "上海市",
                "上海市",
                "中国工商银行股份有限公司上海市陆家嘴支行",
                &account,
                "1.00",
                "对公",
                "",
                "货款",
                &order,
            ]
            .map(String::from)
            .to_vec()
        })
        .collect()
}

/// A merchant's available balance in fen, read from the ledger.
pub fn available_fen(store: &paydesk_store::Store, merchant_id: i64) -> i64 {
    store
        .read(|c| -> Result<i64, paydesk_store::StoreError> {
            let code = format!("merchant:{merchant_id}:merchant_available");
            let account = paydesk_store::ledger::find_account(c, &code)?.expect("the merchant's account");
            paydesk_store::ledger::balance(c, account.id)
        })
        .unwrap()
}

/// An integrator of the payer (merchant 1): an API client in the 申请 role with
/// an Ed25519 key, signing requests as the gateway expects.
pub struct Integrator {
    pub app_id: String,
    pub key: paydesk_server::gateway_keys::PlatformKey,
    /// Sent as `Idempotency-Key` with each request, if set.
    pub idempotency_key: Option<String>,
}

impl Integrator {
    /// Creates the client in the 申请 role (unlocking operator management with
    /// the payment password).
    pub async fn create(app: &TestApp) -> Integrator {
        Integrator::create_in(app, "申请", "Shop").await
    }

    /// Creates a client named `name` in the role named `role`.
    pub async fn create_in(app: &TestApp, role: &str, name: &str) -> Integrator {
        use paydesk_api_types::{ApiClientView, RoleView};
        let admin = app.login(PAYER, PAYER, PW).await;
        let post = |path: &str, body: serde_json::Value| {
            app.client.post(app.url(path)).bearer_auth(&admin).json(&body).send()
        };
        let unlock = post("/api/v1/operators/unlock", serde_json::json!({"payment_password": PAY_PW})).await;
        assert_eq!(unlock.unwrap().status(), 200);
        let roles: Vec<RoleView> = ok_json(app.get_with("/api/v1/roles", &admin).await, 200).await;
        let role_id = roles.iter().find(|r| r.name == role).unwrap().id;
        let body = serde_json::json!({"name": name, "role_id": role_id, "payment_password": PAY_PW});
        let client: ApiClientView = ok_json(post("/api/v1/api-clients", body).await.unwrap(), 201).await;
        let key =
            paydesk_server::gateway_keys::PlatformKey::from_secret(&format!("integrator {}", client.app_id));
        let body = serde_json::json!({"public_key": key.public_pem(), "payment_password": PAY_PW});
        let path = format!("/api/v1/api-clients/{}/keys", client.app_id);
        assert_eq!(post(&path, body).await.unwrap().status(), 201);
        Integrator { app_id: client.app_id, key, idempotency_key: None }
    }

    /// Sends a request signed over exactly `body`.
    pub async fn send(&self, app: &TestApp, method: &str, path: &str, body: &[u8]) -> reqwest::Response {
        use rand::Rng;
        let nonce = format!("n{:030}", rand::rng().random::<u64>());
        self.send_with_nonce(app, method, path, body, &nonce).await
    }

    /// [`Integrator::send`] with the nonce given: sent twice, the same request.
    pub async fn send_with_nonce(
        &self,
        app: &TestApp,
        method: &str,
        path: &str,
        body: &[u8],
        nonce: &str,
    ) -> reqwest::Response {
        let ts = chrono::Utc::now().timestamp();
        let message = paydesk_domain::gateway::canonical(method, path, ts, nonce, body);
        let auth = paydesk_domain::gateway::header(&self.app_id, ts, nonce, &self.key.sign(&message));
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = app.client.request(method, app.url(path)).header("Authorization", auth);
        if let Some(key) = &self.idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        if !body.is_empty() {
            request = request.header("content-type", "application/json").body(body.to_vec());
        }
        request.send().await.unwrap()
    }
}
