//! Files merchants upload (verification scans, batch files) and files made for
//! them (a refused batch file's copy with its problems): kept once per content
//! under the data folder, recorded per merchant in `uploads`.

use actix_web::http::StatusCode;
use paydesk_api_types::ErrorCode;
use paydesk_store::kyb::{self, Upload};
use sha2::{Digest, Sha256};

use crate::auth::random_token;
use crate::error::ApiError;
use crate::oplog::Audit;
use crate::AppState;

/// Where a file with this SHA-256 lives.
pub fn path_of(data_dir: &std::path::Path, sha256: &str) -> std::path::PathBuf {
    data_dir.join("uploads").join(&sha256[..2]).join(sha256)
}

/// Keeps `bytes` for the merchant: written once per content (a temporary name
/// renamed into place, so a half-written file is never served) and recorded.
/// Blocking.
pub fn keep(
    st: &AppState,
    audit: &Audit,
    merchant_id: i64,
    bytes: &[u8],
    content_type: &str,
    original_name: String,
) -> Result<Upload, ApiError> {
    let sha256: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
    let path = path_of(&st.settings.data_dir, &sha256);
    if !path.exists() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| ApiError::Internal(e.into()))?;
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, bytes).map_err(|e| ApiError::Internal(e.into()))?;
        std::fs::rename(&tmp, &path).map_err(|e| ApiError::Internal(e.into()))?;
    }
    let record = Upload {
        id: random_token(),
        merchant_id,
        sha256,
        content_type: content_type.to_owned(),
        size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        original_name,
        created_at: st.clock.now(),
    };
    audit.write(&st.store, |c| kyb::insert_upload(c, &record))?;
    Ok(record)
}

/// A kept file and its bytes; `owner` limits it to one merchant's. Blocking.
pub fn read(st: &AppState, id: &str, owner: Option<i64>) -> Result<(Upload, Vec<u8>), ApiError> {
    let upload = st.store.read(|c| kyb::upload(c, id))?;
    let upload = upload
        .filter(|u| owner.is_none_or(|m| m == u.merchant_id))
        .ok_or_else(|| ApiError::rule(StatusCode::NOT_FOUND, ErrorCode::UploadNotFound, "no such file"))?;
    let bytes = std::fs::read(path_of(&st.settings.data_dir, &upload.sha256))
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok((upload, bytes))
}
