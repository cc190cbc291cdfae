use paydesk_domain::ledger::{AccountId, EntryError};

/// Everything that can go wrong below the API. The server maps each variant to
/// a status on purpose; `Database` and `Pool` are never shown to callers.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("account {0} has too little money")]
    InsufficientBalance(AccountId),
    #[error("account {0} does not exist")]
    UnknownAccount(AccountId),
    #[error("invalid journal entry: {0}")]
    InvalidEntry(#[from] EntryError),
    #[error("merchant order number {0} is already used")]
    OrderNoTaken(String),
    #[error("merchant batch number {0} is already used")]
    BatchNoTaken(String),
    /// Someone else changed or holds what this request counted on.
    #[error("conflict: {0}")]
    IdempotencyTakenOver(String),
    /// A signed request's nonce was spent already (by another request).
    #[error("the nonce was used before")]
    NonceReused,
    #[error("stored data out of range: {0}")]
    Corrupt(String),
    #[error("not found")]
    NotFound,
    #[error("unsupported database url: {0}")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("connection error: {0}")]
    Connection(#[from] diesel::ConnectionError),
    #[error("connection pool error: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("migration error: {0}")]
    Migration(String),
    #[error("io error: {0}")]
    Io(#[from] std::io::Error),
}
