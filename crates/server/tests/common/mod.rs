//! Starts the real app on port 0 with its own fresh database.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use paydesk_server::{serve, Settings};
use paydesk_store::testing::TestDb;

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: TestDb,
    pub web_dir: PathBuf,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.web_dir);
    }
}

/// A stand-in SPA build: the server only serves files, so any index.html will do.
pub const INDEX_HTML: &str = "<!doctype html><title>Paydesk test shell</title>";

pub async fn spawn_app(db: TestDb) -> TestApp {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let web_dir = std::env::temp_dir().join(format!("paydesk-web-{}-{n}", std::process::id()));
    std::fs::create_dir_all(web_dir.join("pkg")).unwrap();
    std::fs::write(web_dir.join("index.html"), INDEX_HTML).unwrap();
    std::fs::write(web_dir.join("pkg/app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let store = db.store();
    let server = serve(listener, store, Settings { web_dir: web_dir.clone() }).unwrap();
    actix_web::rt::spawn(server);
    TestApp {
        base: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
        db,
        web_dir,
    }
}

impl TestApp {
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
