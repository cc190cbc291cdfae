//! The one API client. Every non-2xx answer becomes the server's [`Problem`];
//! failures to reach the server become a problem with code `network_error`.

use gloo_net::http::{Request, Response};
use paydesk_api_types::{Health, Problem};
use serde::de::DeserializeOwned;

/// What a failed call tells the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError(pub Problem);

impl ApiError {
    fn local(code: &str, title: String) -> ApiError {
        ApiError(Problem {
            type_uri: format!("/problems/{code}"),
            title,
            status: 0,
            code: code.to_owned(),
            detail: None,
            errors: Vec::new(),
        })
    }

    pub fn code(&self) -> &str {
        &self.0.code
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        return response.json::<T>().await.map_err(|e| ApiError::local("bad_response", e.to_string()));
    }
    let status = response.status();
    match response.json::<Problem>().await {
        Ok(problem) => Err(ApiError(problem)),
        Err(_) => Err(ApiError::local("http_error", format!("HTTP {status}"))),
    }
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = Request::get(path)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| ApiError::local("network_error", e.to_string()))?;
    decode(response).await
}

/// `GET /api/v1/health`.
pub async fn health() -> Result<Health, ApiError> {
    get("/api/v1/health").await
}
