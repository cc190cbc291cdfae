-- 快捷盾 (manual §3.7.5): one FIDO2/WebAuthn security key per operator. The
-- passkey (public key, counter) is webauthn-rs's serialised credential.
CREATE TABLE security_keys (
    operator_id BIGINT PRIMARY KEY REFERENCES operators (id),
    credential_id TEXT NOT NULL UNIQUE,
    passkey TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);

-- A WebAuthn ceremony in progress: its server-side state, what its assertion may
-- be used for (bound_to: the exact applications and decision, or the kind of
-- operation), single use and short-lived.
CREATE TABLE webauthn_challenges (
    id TEXT PRIMARY KEY,
    operator_id BIGINT NOT NULL REFERENCES operators (id),
    -- register | authenticate
    purpose TEXT NOT NULL,
    bound_to TEXT NOT NULL,
    state TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
