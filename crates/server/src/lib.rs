//! The Paydesk server: the REST API under `/api/v1`, its OpenAPI document and
//! Swagger UI under `/api`, and the merchant SPA at `/`.

pub mod api_doc;
pub mod auth;
pub mod bank;
pub mod captcha_image;
pub mod cashier;
pub mod core;
pub mod demo;
pub mod dev_pages;
pub mod error;
pub mod gateway_keys;
pub mod headers;
pub mod jobs;
pub mod messaging;
pub mod oplog;
pub mod permits;
pub mod query;
pub mod ratelimit;
pub mod routes;
pub mod sandbox_bank;
pub mod security_key;
pub mod spa;
pub mod telemetry;
pub mod uploads;
pub mod views;
pub mod wrap;

use std::net::TcpListener;
use std::path::PathBuf;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App, HttpResponse, HttpServer};
use messaging::Messenger;
use paydesk_store::Store;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub tokens: auth::TokenKeys,
    /// The key the sandbox bank signs its notifications with.
    pub bank_signer: sandbox_bank::Signer,
    /// The bank payouts go to and collections are paid at.
    pub bank: std::sync::Arc<dyn bank::Bank>,
    /// The time, for the core, the jobs and the sandbox.
    pub clock: std::sync::Arc<dyn bank::Clock>,
    pub messenger: Messenger,
    pub settings: Settings,
    /// The WebAuthn relying party for security keys (none in production
    /// without a public URL).
    pub webauthn: Option<std::sync::Arc<webauthn_rs::Webauthn>>,
    /// Request limits per address and account (429 with Retry-After).
    pub limiter: std::sync::Arc<ratelimit::Limiter>,
    /// The key the gateway signs responses and notifications with.
    pub platform_key: gateway_keys::PlatformKey,
}

/// Development shows the outbox and captcha answers; production shows neither
/// and marks cookies `Secure`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    Development,
    Production,
}

impl Mode {
    pub fn is_development(self) -> bool {
        self == Mode::Development
    }
}

/// How a server is set up.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Folder holding the built SPA (index.html, pkg/); see `just build-spa`.
    pub web_dir: PathBuf,
    pub mode: Mode,
    /// The address people reach the server at, for links in e-mails
    /// (`https://pay.example.com`); without it, the request's own host is used.
    pub public_url: Option<String>,
    /// Where uploaded files live (`uploads/ab/abcdef...`).
    pub data_dir: PathBuf,
    /// How this server reaches itself (the sandbox bank's notifications);
    /// set by [`serve`] from the bound address.
    pub self_url: Option<String>,
    /// Seconds between SMS codes to one operator (60; shorter only in development,
    /// which the browser tests use).
    pub sms_cooldown_secs: u32,
    /// Days after shipping before a guaranteed trade's receipt counts as confirmed.
    pub auto_confirm_days: u32,
}

impl Settings {
    pub fn development(web_dir: PathBuf, data_dir: PathBuf) -> Settings {
        Settings {
            web_dir,
            mode: Mode::Development,
            public_url: None,
            data_dir,
            self_url: None,
            sms_cooldown_secs: 60,
            auto_confirm_days: paydesk_domain::trades::AUTO_CONFIRM_DAYS,
        }
    }

    pub fn secure_cookies(&self) -> bool {
        self.mode == Mode::Production
    }

    /// The address links made without a request use (the cashier URL in a
    /// notification): the public URL, else how this server reaches itself.
    pub fn base_url(&self) -> String {
        self.public_url.as_deref().or(self.self_url.as_deref()).unwrap_or("").trim_end_matches('/').to_owned()
    }

    /// Scheme and host for links sent out of band.
    pub fn public_base(&self, req: &actix_web::HttpRequest) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => {
                let info = req.connection_info();
                format!("{}://{}", info.scheme(), info.host())
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Paydesk API",
        description = "Merchant payments: accounts, balances, transfers, payouts, withdrawals and their review.\n\n\
            Amounts are strings with two decimals (`\"1024.50\"`) in CNY. Errors are `application/problem+json` \
            (RFC 9457) with a stable `code` and, for invalid input, per-field `errors`.",
        license(name = "Apache-2.0"),
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "system", description = "Health and documentation"),
        (name = "amounts", description = "Amount checks shared by every form that moves money"),
        (name = "onboarding", description = "Opening a merchant account: captcha, e-mail link, passwords (manual §2.1)"),
        (name = "session", description = "Signing in and out (manual §3.1)"),
        (name = "account", description = "My account: home page (manual §3.3)"),
        (name = "apps", description = "应用中心: products, signing applications (线上服务申请) and signing information (manual §3.8)"),
        (name = "funds", description = "Moving money: transfers and their applications (manual §3.4)"),
        (name = "batches", description = "Batch files: templates, checks, batch transfers, payroll, contact imports (manual §3.4.2.2.2, §3.4.2.4, §4.1.3, §3.3.2.2.2)"),
        (name = "contacts", description = "Saved payees (manual §3.3.2)"),
        (name = "operators", description = "Roles, operators and the operation log (manual §3.3.3; 日志查询)"),
        (name = "security", description = "Security centre: the security key (快捷盾, manual §3.7.5)"),
        (name = "reviews", description = "Review management: pending reviews, approve or reject, per-kind lists, application records, review policy (manual §3.5, §3.6.3)"),
        (name = "kyb", description = "Real-name verification: filing, fund account, legal representative, micro-deposit (manual §2.2)"),
        (name = "gateway", description = "The integrator gateway: API clients and keys (portal), and the signed operations"),
        (name = "ops", description = "The platform staff's console"),
        (name = "development", description = "Development mode only"),
    )
)]
struct ApiDoc;

/// Declares the `bearer` and `refresh_cookie` schemes the protected operations name.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build(),
            ),
        );
        for (scheme, kind) in [
            ("refresh_cookie", auth::SubjectKind::Operator),
            ("staff_refresh_cookie", auth::SubjectKind::Staff),
        ] {
            components.add_security_scheme(
                scheme,
                SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                    kind.refresh_cookie_name(),
                    "The rotating refresh token, set by sign-in (HttpOnly, SameSite=Strict).",
                ))),
            );
        }
        components.add_security_scheme(
            "paydesk_signature",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "PAYDESK-SHA256 app_id=…,timestamp=…,nonce=…,signature=… — the client's key signs five lines: \
                 method, path and query, Unix timestamp, nonce, raw body (README, Integrating). Responses carry \
                 Paydesk-Signature, made with the platform's key over the status, the path and query, a \
                 timestamp, a nonce and the body.",
            ))),
        );
    }
}

/// Registers the API (routes and their docs in one place) on an app.
fn api_app() -> utoipa_actix_web::UtoipaApp<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(utoipa_actix_web::scope("/api/v1").configure(routes::configure))
}

/// The document the handlers' annotations make, before [`api_doc::complete`].
pub fn openapi_raw() -> utoipa::openapi::OpenApi {
    let (_app, api) = api_app().split_for_parts();
    api
}

/// The OpenAPI document: the registered handlers' own, completed with what the
/// server enforces (`api_doc`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    completed(openapi_raw())
}

fn completed(api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let Ok(mut doc) = serde_json::to_value(&api) else { return api };
    api_doc::complete(&mut doc);
    serde_json::from_value(doc).unwrap_or(api)
}

/// The document as checked in under `api-spec/openapi.json`.
pub fn openapi_json() -> String {
    let mut text = openapi().to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

impl AppState {
    /// The state a server runs with; reads (or makes) the shared token key.
    pub fn new(store: Store, settings: Settings, messenger: Messenger) -> anyhow::Result<AppState> {
        // Every HTTP client (the SMS gateway, the sandbox bank's notices) speaks
        // TLS through rustls on ring.
        messaging::install_tls_provider();
        let secret = {
            let mut conn = store.conn()?;
            paydesk_store::secrets::get_or_create(&mut conn, "access_token_hs256", auth::random_token)?
        };
        let tokens = auth::TokenKeys::from_secret(&secret);
        let bank_key = {
            let mut conn = store.conn()?;
            paydesk_store::secrets::get_or_create(&mut conn, "sandbox_bank_hmac", auth::random_token)?
        };
        let bank_signer = sandbox_bank::Signer::new(&bank_key);
        let platform_key = {
            let mut conn = store.conn()?;
            gateway_keys::PlatformKey::from_secret(&paydesk_store::secrets::get_or_create(
                &mut conn,
                "gateway_ed25519_seed",
                auth::random_token,
            )?)
        };
        let webauthn = security_key::relying_party(&settings)?;
        let bank = std::sync::Arc::new(sandbox_bank::SandboxBank { signer: bank_signer.clone() });
        let clock = std::sync::Arc::new(bank::SystemClock);
        let limiter = std::sync::Arc::default();
        Ok(AppState {
            store,
            tokens,
            bank_signer,
            bank,
            clock,
            messenger,
            settings,
            webauthn,
            limiter,
            platform_key,
        })
    }
}

/// Binds the app to `listener` and returns the running server.
pub fn serve(
    listener: TcpListener,
    store: Store,
    settings: Settings,
    messenger: Messenger,
) -> anyhow::Result<Server> {
    let mut settings = settings;
    let mut messenger = messenger;
    // In development the outbox is the sandbox's phone and inbox, so it keeps
    // codes and link tokens; elsewhere it writes them as ******.
    messenger.outbox_keeps_secrets = settings.mode.is_development();
    let addr = listener.local_addr()?;
    let host = if addr.ip().is_unspecified() { "127.0.0.1".to_owned() } else { addr.ip().to_string() };
    settings.self_url = Some(format!("http://{host}:{}", addr.port()));
    let state = web::Data::new(AppState::new(store, settings.clone(), messenger)?);
    if settings.mode.is_development() {
        if let Some(url) = &settings.self_url {
            sandbox_bank::start_delivery(
                state.store.clone(),
                state.bank_signer.clone(),
                state.clock.clone(),
                url.clone(),
            );
        }
    }
    jobs::start(state.clone());
    let settings = web::Data::new(settings);
    let server = HttpServer::new(move || {
        let (app, api) = api_app().split_for_parts();
        let api = completed(api);
        app.app_data(state.clone())
            .app_data(settings.clone())
            .app_data(web::JsonConfig::default().limit(1 << 20).error_handler(error::json_error))
            .app_data(web::QueryConfig::default().error_handler(error::query_error))
            .app_data(web::PathConfig::default().error_handler(error::path_error))
            .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", api))
            .route(
                "/api/docs",
                web::get().to(|| async {
                    HttpResponse::PermanentRedirect().insert_header(("Location", "/api/docs/")).finish()
                }),
            )
            .service(dev_pages::outbox_page)
            .service(dev_pages::bank_statement_json)
            .service(dev_pages::bank_statement_page)
            .service(dev_pages::bank_pay_page)
            .service(dev_pages::bank_pay)
            .service(dev_pages::bank_cancel)
            .service(dev_pages::bank_run_payouts)
            .service(dev_pages::run_settlement)
            .service(dev_pages::run_notifications)
            .service(cashier::cashier_page)
            .service(cashier::cashier_pay)
            .service(cashier::cashier_result)
            .service(cashier::qr_page)
            .service(cashier::qr_pay)
            .service(spa::files(&settings.web_dir))
            .default_service(web::to(spa::fallback))
            .wrap(from_fn(oplog::record))
            .wrap(headers::security_headers(settings.mode))
            .wrap(Compress::default())
            .wrap(from_fn(telemetry::log_request))
    })
    .listen(listener)?
    .run();
    Ok(server)
}
