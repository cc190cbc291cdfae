-- Integrators (issue 12): an API client is an operator of kind 'api' (with a role,
-- so permissions and review policies apply to it), known to the gateway by its
-- app id, signing requests with its registered public keys. Several keys may be
-- live at once, so a key rotates with an overlap; a revoked key signs nothing.
ALTER TABLE operators ADD COLUMN kind TEXT NOT NULL DEFAULT 'person';
CREATE TABLE api_clients (
    app_id TEXT PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    operator_id BIGINT NOT NULL REFERENCES operators (id),
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE api_keys (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    app_id TEXT NOT NULL REFERENCES api_clients (app_id),
    algorithm TEXT NOT NULL,
    public_key TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX api_keys_app ON api_keys (app_id);
-- Nonces seen within the signature window: the primary key makes each single use.
CREATE TABLE gateway_nonces (
    app_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    seen_at TIMESTAMP NOT NULL,
    PRIMARY KEY (app_id, nonce)
);
CREATE INDEX gateway_nonces_seen ON gateway_nonces (seen_at);
