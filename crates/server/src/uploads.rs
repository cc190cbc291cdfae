//! Reading an uploaded file from a multipart form: the `file` field, at most
//! `max` bytes, refused as soon as it grows past that. Scans today; batch files
//! next.

use actix_multipart::Multipart;
use futures_util::StreamExt;

use crate::error::ApiError;

/// The `file` field's bytes and the name it was sent with.
pub async fn read_file(mut form: Multipart, max: usize) -> Result<(Vec<u8>, String), ApiError> {
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| ApiError::BadRequest(e.to_string()))?;
        if field.name() != Some("file") {
            continue;
        }
        let name: String = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .unwrap_or("file")
            .chars()
            .take(200)
            .collect();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| ApiError::BadRequest(e.to_string()))?;
            if bytes.len() + chunk.len() > max {
                return Err(ApiError::field(
                    "file",
                    "file_too_large",
                    format!("a file may be at most {} MB", max / (1024 * 1024)),
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        if !bytes.is_empty() {
            return Ok((bytes, name));
        }
        break;
    }
    Err(ApiError::field("file", "file_required", "choose a file to upload"))
}
