#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]
//! Signed gateway load for `just bench` (issue 12): against a running
//! development server with the demo data (its merchant funded by
//! `scripts/bench_setup.py`), creates API clients with an Ed25519 key, then
//! drives signed `POST /api/v1/gateway/trades` and signed
//! `POST /api/v1/gateway/transfers` at `CONNS` connections for `DURATION`
//! seconds each — every request with its own timestamp, nonce and signature,
//! as an integrator sends them — and prints requests per second, p50 and p99.

use std::time::{Duration, Instant};

use paydesk_domain::gateway::{canonical, header};
use paydesk_server::gateway_keys::PlatformKey;
use serde_json::{json, Value};

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

async fn call(client: &reqwest::Client, base: &str, path: &str, token: Option<&str>, body: Value) -> Value {
    let mut request = client.post(format!("{base}{path}")).json(&body);
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status();
    let value: Value = response.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{path}: {status} {value}");
    value
}

/// The demo admin's session, through the development captcha.
async fn admin_token(client: &reqwest::Client, base: &str) -> String {
    let captcha = call(client, base, "/api/v1/captchas", None, json!({})).await;
    let body = json!({"merchant": "demo@paydesk.test", "operator": "demo@paydesk.test", "password": "Demo123!",
        "captcha_id": captcha["id"], "captcha_answer": captcha["dev_answer"]});
    call(client, base, "/api/v1/session", None, body).await["access_token"].as_str().unwrap().to_owned()
}

/// An API client of the demo merchant in the 申请 role with `key` registered.
async fn integrator(client: &reqwest::Client, base: &str, key: &PlatformKey) -> String {
    let admin = admin_token(client, base).await;
    call(client, base, "/api/v1/operators/unlock", Some(&admin), json!({"payment_password": "Pay123456!"}))
        .await;
    let roles: Value = client
        .get(format!("{base}/api/v1/roles"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let role = roles.as_array().unwrap().iter().find(|r| r["name"] == "申请").unwrap()["id"].clone();
    let body = json!({"name": "Bench", "role_id": role, "payment_password": "Pay123456!"});
    let app_id = call(client, base, "/api/v1/api-clients", Some(&admin), body).await["app_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = json!({"public_key": key.public_pem(), "payment_password": "Pay123456!"});
    call(client, base, &format!("/api/v1/api-clients/{app_id}/keys"), Some(&admin), body).await;
    app_id
}

struct Run {
    latencies: Vec<Duration>,
    failures: usize,
    /// The first failure's status and body, printed with the figures.
    first_failure: Option<String>,
}

/// `conns` loops sending signed POSTs to `path` with the body `make(n)` until
/// `duration` has passed.
async fn drive(
    base: &str,
    path: &str,
    app_id: &str,
    key: &PlatformKey,
    conns: usize,
    duration: Duration,
    make: impl Fn(u64) -> String + Clone,
) -> (Run, Duration) {
    let started = Instant::now();
    let deadline = started + duration;
    let tasks = (0..conns).map(|worker| {
        let make = make.clone();
        let client = reqwest::Client::new();
        async move {
            let mut run = Run { latencies: Vec::new(), failures: 0, first_failure: None };
            let mut n = 0u64;
            while Instant::now() < deadline {
                n += 1;
                let body = make(worker as u64 * 1_000_000_000 + n);
                let ts = chrono::Utc::now().timestamp();
                let nonce = format!("bench-{worker}-{n}-{}", started.elapsed().as_nanos());
                let message = canonical("POST", path, ts, &nonce, body.as_bytes());
                let auth = header(app_id, ts, &nonce, &key.sign(&message));
                let t = Instant::now();
                let answer = client
                    .post(format!("{base}{path}"))
                    .header("Authorization", auth)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await;
                let failure = match answer {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        None
                    }
                    Ok(r) => {
                        let status = r.status();
                        let body = r.text().await.unwrap_or_default();
                        Some(format!("{status} {}", body.chars().take(300).collect::<String>()))
                    }
                    Err(e) => Some(e.to_string()),
                };
                let ok = failure.is_none();
                if run.first_failure.is_none() {
                    run.first_failure = failure;
                }
                run.latencies.push(t.elapsed());
                run.failures += usize::from(!ok);
            }
            run
        }
    });
    let runs = futures_util::future::join_all(tasks).await;
    let elapsed = started.elapsed();
    let mut all = Run { latencies: Vec::new(), failures: 0, first_failure: None };
    for r in runs {
        all.latencies.extend(r.latencies);
        all.failures += r.failures;
        all.first_failure = all.first_failure.or(r.first_failure);
    }
    all.latencies.sort_unstable();
    (all, elapsed)
}

fn report(name: &str, what: &str, run: &Run, elapsed: Duration) {
    let n = run.latencies.len();
    let at = |q: f64| {
        let i = ((n as f64 * q).ceil() as usize).clamp(1, n.max(1)) - 1;
        run.latencies.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{name:<10} {what}/s over HTTP at 16 connections: {:.1} (p50 {:.1} ms, p99 {:.1} ms, non-2xx: {})",
        n as f64 / elapsed.as_secs_f64(),
        at(0.50),
        at(0.99),
        run.failures
    );
    if let Some(failure) = &run.first_failure {
        println!("{name:<10} first failure: {failure}");
    }
}

#[actix_web::main]
async fn main() {
    paydesk_server::messaging::install_tls_provider();
    let base = env("BASE", "http://127.0.0.1:8080");
    let name = env("NAME", "server");
    let conns: usize = env("CONNS", "16").parse().unwrap_or(16);
    let duration = Duration::from_secs(env("DURATION", "10").parse().unwrap_or(10));
    let key = PlatformKey::from_secret("bench integrator");
    // `ONLY=trades` or `ONLY=transfers` runs one of the two (for profiling).
    let only = env("ONLY", "");
    // Each run has an API client of its own: one client's requests are
    // limited to 30,000 a minute (`limits::rate::GATEWAY_PER_APP`), which
    // the two runs together can pass.
    if only != "transfers" {
        let app_id = integrator(&reqwest::Client::new(), &base, &key).await;
        let (run, elapsed) = drive(&base, "/api/v1/gateway/trades", &app_id, &key, conns, duration, |n| {
            json!({"merchant_order_no": format!("B{n}"), "subject": "压测商品", "amount": "1.00", "mode": "instant"}).to_string()
        })
        .await;
        report(&name, "signed trade creations", &run, elapsed);
    }
    if only == "trades" {
        return;
    }
    let app_id = integrator(&reqwest::Client::new(), &base, &key).await;
    let (run, elapsed) = drive(&base, "/api/v1/gateway/transfers", &app_id, &key, conns, duration, |_| {
        json!({"lines": [{"payee": "shop@paydesk.test", "amount": "0.01"}]}).to_string()
    })
    .await;
    report(&name, "signed transfers", &run, elapsed);
}
