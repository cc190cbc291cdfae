//! `paydesk serve` as an operator starts it: the real binary, in its own
//! process. Without flags it is a production server; development mode is asked
//! for and stays on loopback.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Running {
    child: Child,
    url: String,
    _dir: tempdir::Dir,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

mod tempdir {
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new() -> Dir {
            let path =
                std::env::temp_dir().join(format!("paydesk-serve-{}-{}", std::process::id(), rand_suffix()));
            std::fs::create_dir_all(&path).unwrap();
            Dir(path)
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    fn rand_suffix() -> u128 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    }
}

/// The command with a clean environment: no PAYDESK_* from the developer's shell.
fn paydesk(dir: &tempdir::Dir, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paydesk"));
    cmd.args(args).env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
    cmd.env("DATABASE_URL", format!("sqlite://{}", dir.0.join("p.db").display()))
        .env("PAYDESK_DATA_DIR", dir.0.join("files"))
        .env("PAYDESK_LISTEN", "127.0.0.1:0")
        .env("RUST_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

fn start(args: &[&str], env: &[(&str, &str)]) -> Running {
    let dir = tempdir::Dir::new();
    let mut child = paydesk(&dir, args, env).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("the server printed its address").unwrap();
        if let Some(rest) = line.split("running at ").nth(1) {
            break rest.split_whitespace().next().unwrap().trim_end_matches('/').to_owned();
        }
    };
    Running { child, url, _dir: dir }
}

/// Runs a command that must refuse to start; answers its stderr.
fn refused(args: &[&str], env: &[(&str, &str)]) -> String {
    let dir = tempdir::Dir::new();
    let out = paydesk(&dir, args, env).output().unwrap();
    assert!(!out.status.success(), "expected a refusal, got {out:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn get(url: &str) -> reqwest::StatusCode {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        paydesk_server::messaging::install_tls_provider();
        let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
        client.get(url).send().await.unwrap().status()
    })
}

#[test]
fn without_flags_it_is_production_and_hides_the_outbox() {
    let server = start(&["serve"], &[("PAYDESK_PUBLIC_URL", "https://pay.example.com")]);
    assert_eq!(get(&format!("{}/api/v1/health", server.url)), reqwest::StatusCode::OK);
    assert_eq!(get(&format!("{}/dev/outbox", server.url)), reqwest::StatusCode::NOT_FOUND);
    assert_eq!(get(&format!("{}/api/v1/dev/outbox", server.url)), reqwest::StatusCode::NOT_FOUND);
}

#[test]
fn development_mode_shows_the_outbox() {
    let server = start(&["serve", "--mode", "development"], &[]);
    assert_eq!(get(&format!("{}/dev/outbox", server.url)), reqwest::StatusCode::OK);
}

#[test]
fn production_refuses_to_start_without_a_public_url() {
    let err = refused(&["serve"], &[]);
    assert!(err.contains("PAYDESK_PUBLIC_URL"), "{err}");
}

#[test]
fn development_refuses_a_non_loopback_address() {
    let err = refused(&["serve", "--mode", "development", "--listen", "0.0.0.0:0"], &[]);
    assert!(err.contains("loopback"), "{err}");
}

#[test]
fn production_refuses_a_plain_http_sms_gateway() {
    let env = [
        ("PAYDESK_PUBLIC_URL", "https://pay.example.com"),
        ("PAYDESK_SMS_URL", "http://sms.example.com/send"),
    ];
    let err = refused(&["serve"], &env);
    assert!(err.contains("https://"), "{err}");
}

#[test]
fn demo_data_is_for_development_only() {
    let err = refused(&["serve", "--demo"], &[("PAYDESK_PUBLIC_URL", "https://pay.example.com")]);
    assert!(err.contains("development"), "{err}");
}

#[test]
fn verify_log_reports_a_tampered_operation_log() {
    let dir = tempdir::Dir::new();
    let db = format!("sqlite://{}", dir.0.join("p.db").display());
    let store = paydesk_store::Store::connect(&db).unwrap();
    store.migrate().unwrap();
    for status in [201u16, 204] {
        store
            .write(|c| {
                paydesk_store::oplog::record(
                    c,
                    &paydesk_store::oplog::NewEntry {
                        merchant_id: Some(1),
                        operator_id: Some(1),
                        staff_id: None,
                        action: "POST /api/v1/transfers",
                        target: "/api/v1/transfers",
                        status,
                        ip: "127.0.0.1",
                        at: paydesk_store::ledger::now(),
                    },
                )
            })
            .unwrap();
    }
    let ok = paydesk(&dir, &["verify-log"], &[]).output().unwrap();
    assert!(ok.status.success(), "{ok:?}");
    assert!(String::from_utf8_lossy(&ok.stdout).contains("2 entries chained"));
    store
        .write(|c| {
            use diesel::connection::SimpleConnection;
            c.batch_execute("UPDATE operation_log SET target = '/elsewhere' WHERE id = 1")
                .map_err(paydesk_store::StoreError::from)
        })
        .unwrap();
    let broken = paydesk(&dir, &["verify-log"], &[]).output().unwrap();
    assert!(!broken.status.success());
    assert!(String::from_utf8_lossy(&broken.stdout).contains("break at entry 1"), "{broken:?}");
}

#[test]
fn staff_accounts_are_created_disabled_and_enabled_from_the_command_line() {
    let dir = tempdir::Dir::new();
    let run =
        |args: &[&str]| paydesk(&dir, args, &[("PAYDESK_STAFF_PASSWORD", "Staff-pw-9")]).output().unwrap();
    assert!(run(&["ops", "create-staff", "--login", "ops2"]).status.success());
    let off = run(&["ops", "disable-staff", "--login", "ops2"]);
    assert!(String::from_utf8_lossy(&off.stdout).contains("ops2 is disabled"), "{off:?}");
    let store = paydesk_store::Store::connect(&format!("sqlite://{}", dir.0.join("p.db").display())).unwrap();
    let member = store.read(|c| paydesk_store::identity::find_staff(c, "ops2")).unwrap().unwrap();
    assert_eq!(member.status, paydesk_domain::states::StaffStatus::Disabled);
    assert!(run(&["ops", "enable-staff", "--login", "ops2"]).status.success());
    assert!(!run(&["ops", "disable-staff", "--login", "nobody"]).status.success());

    // A lost security key is removed from the command line.
    use paydesk_store::keys::{self, Holder};
    let holder = Holder::Staff(member.id);
    let at = paydesk_server::auth::now();
    store.write(|c| keys::bind(c, holder, "[1,2,3]", "{}", at)).unwrap();
    let reset = run(&["ops", "reset-staff-key", "--login", "ops2"]);
    assert!(String::from_utf8_lossy(&reset.stdout).contains("is removed"), "{reset:?}");
    assert!(store.read(|c| keys::find(c, holder)).unwrap().is_none());
    let again = run(&["ops", "reset-staff-key", "--login", "ops2"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("had no security key"), "{again:?}");
}
