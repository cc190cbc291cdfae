-- Back to operators' keys only; staff keys and ceremonies in progress are dropped.
CREATE TABLE security_keys_by_operator (
    operator_id BIGINT PRIMARY KEY REFERENCES operators (id),
    credential_id TEXT NOT NULL UNIQUE,
    passkey TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);
INSERT INTO security_keys_by_operator (operator_id, credential_id, passkey, created_at, last_used_at)
SELECT CAST(substr(holder, 10) AS BIGINT), credential_id, passkey, created_at, last_used_at
FROM security_keys WHERE holder LIKE 'operator:%';
DROP TABLE security_keys;
ALTER TABLE security_keys_by_operator RENAME TO security_keys;

DROP TABLE webauthn_challenges;
CREATE TABLE webauthn_challenges (
    id TEXT PRIMARY KEY,
    operator_id BIGINT NOT NULL REFERENCES operators (id),
    purpose TEXT NOT NULL,
    bound_to TEXT NOT NULL,
    state TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
