-- Security keys for staff as well as operators (issue 10): a key and a WebAuthn
-- ceremony belong to a holder, written 'operator:<id>' or 'staff:<id>'.
CREATE TABLE security_keys_by_holder (
    holder TEXT PRIMARY KEY,
    credential_id TEXT NOT NULL UNIQUE,
    passkey TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);
INSERT INTO security_keys_by_holder (holder, credential_id, passkey, created_at, last_used_at)
SELECT 'operator:' || CAST(operator_id AS TEXT), credential_id, passkey, created_at, last_used_at FROM security_keys;
DROP TABLE security_keys;
ALTER TABLE security_keys_by_holder RENAME TO security_keys;

-- Ceremonies live for minutes: those in progress are dropped, not moved.
DROP TABLE webauthn_challenges;
CREATE TABLE webauthn_challenges (
    id TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    -- register | authenticate
    purpose TEXT NOT NULL,
    bound_to TEXT NOT NULL,
    state TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
