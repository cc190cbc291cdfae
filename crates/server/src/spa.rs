//! Serves the built SPA. Any path that isn't an API route or a file gets
//! `index.html`, so client-side routes survive a reload; unknown `/api` paths
//! get a problem+json 404 instead.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::ApiError;
use crate::Settings;

pub fn files(web_dir: &Path) -> Files {
    Files::new("/", web_dir).index_file("index.html").prefer_utf8(true)
}

pub async fn fallback(
    req: HttpRequest,
    settings: Option<web::Data<Settings>>,
) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    if path == "/api" || path.starts_with("/api/") {
        return Err(ApiError::RouteNotFound);
    }
    let index: PathBuf = match settings {
        Some(s) => s.web_dir.join("index.html"),
        None => return Err(ApiError::RouteNotFound),
    };
    match NamedFile::open_async(&index).await {
        Ok(file) => {
            let mut response = file.into_response(&req);
            // The shell must be re-read after an upgrade; assets are cheap to revalidate.
            response.headers_mut().insert(
                actix_web::http::header::CACHE_CONTROL,
                CacheControl(vec![CacheDirective::NoCache])
                    .to_string()
                    .parse()
                    .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?,
            );
            Ok(response)
        }
        Err(e) => {
            tracing::warn!(index = %index.display(), error = %e, "SPA not built; run `just build-spa`");
            Ok(HttpResponse::NotFound()
                .content_type("text/plain; charset=utf-8")
                .body("The Paydesk web app is not built. Run `just build-spa` (or `just run`)."))
        }
    }
}
