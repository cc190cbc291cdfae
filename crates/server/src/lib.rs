//! The Paydesk server: the REST API under `/api/v1`, its OpenAPI document and
//! Swagger UI under `/api`, and the merchant SPA at `/`.

pub mod error;
pub mod routes;
pub mod spa;
pub mod telemetry;

use std::net::TcpListener;
use std::path::PathBuf;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App, HttpResponse, HttpServer};
use paydesk_store::Store;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
}

/// How a server is set up.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Folder holding the built SPA (index.html, pkg/); see `just build-spa`.
    pub web_dir: PathBuf,
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
    tags(
        (name = "system", description = "Health and documentation"),
        (name = "amounts", description = "Amount checks shared by every form that moves money"),
    )
)]
struct ApiDoc;

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

/// The OpenAPI document, generated from the registered handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_app, api) = api_app().split_for_parts();
    api
}

/// The document as checked in under `api-spec/openapi.json`.
pub fn openapi_json() -> String {
    let mut text = openapi().to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// Binds the app to `listener` and returns the running server.
pub fn serve(listener: TcpListener, store: Store, settings: Settings) -> std::io::Result<Server> {
    let state = web::Data::new(AppState { store });
    let settings = web::Data::new(settings);
    let server = HttpServer::new(move || {
        let (app, api) = api_app().split_for_parts();
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
            .service(spa::files(&settings.web_dir))
            .default_service(web::to(spa::fallback))
            .wrap(Compress::default())
            .wrap(from_fn(telemetry::log_request))
    })
    .listen(listener)?
    .run();
    Ok(server)
}
