-- Merchants, their operators, platform staff, sign-in sessions, and the message outbox.

-- 商户: a company, addressed by its registration e-mail (商户账号).
CREATE TABLE merchants (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    company_name TEXT NOT NULL,
    payment_password_hash TEXT NOT NULL,
    -- draft | submitted | rejected | awaiting_deposit | verified
    kyb_status TEXT NOT NULL DEFAULT 'draft',
    phone TEXT,
    created_at TIMESTAMP NOT NULL
);

-- 操作员: a person who signs in under a merchant; the admin's login name is the e-mail.
CREATE TABLE operators (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    login_name TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    phone TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    frozen_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (merchant_id, login_name)
);

-- Wrong passwords, kept for the rolling one-day window of the lockout rule.
CREATE TABLE login_failures (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operator_id BIGINT NOT NULL REFERENCES operators (id),
    ip TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_operator ON login_failures (operator_id, created_at);

-- Platform staff, for the /ops console.
CREATE TABLE staff (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login_name TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Server-side sessions behind the access tokens; revoking one ends it everywhere.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    -- operator | staff
    subject_kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    merchant_id BIGINT,
    refresh_hash TEXT NOT NULL UNIQUE,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX sessions_subject ON sessions (subject_kind, subject_id);

-- One-time registration links (the token itself is never stored, only its hash).
CREATE TABLE registrations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX registrations_email ON registrations (email, created_at);

-- Image captchas: single use, short-lived.
CREATE TABLE captchas (
    id TEXT PRIMARY KEY,
    answer_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

-- Every e-mail and SMS the platform sends, whatever the adapter.
CREATE TABLE outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- email | sms
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    -- queued | sent | failed
    status TEXT NOT NULL,
    error TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX outbox_recipient ON outbox (recipient, id);

-- Secrets the servers share (the access-token signing key), made on first start.
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
