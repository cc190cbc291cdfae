-- Fund operations as applications (DESIGN.md), their lines, SMS codes, and the
-- Idempotency-Key records of money-moving POSTs.

CREATE TABLE applications (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    -- transfer | bank_payout | withdrawal | refund | payroll | batch_*
    kind TEXT NOT NULL,
    -- pending_review | approved | processing | succeeded | failed | partially_succeeded | rejected | cancelled
    status TEXT NOT NULL,
    total_amount BIGINT NOT NULL CHECK (total_amount > 0),
    total_fee BIGINT NOT NULL CHECK (total_fee >= 0),
    line_count INTEGER NOT NULL CHECK (line_count > 0),
    remark TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL REFERENCES operators (id),
    reviewed_by BIGINT REFERENCES operators (id),
    review_remark TEXT,
    reviewed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX applications_merchant ON applications (merchant_id, status, id);

CREATE TABLE application_lines (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    line_no INTEGER NOT NULL,
    -- platform_account | bank_account
    payee_kind TEXT NOT NULL,
    payee_account TEXT NOT NULL,
    payee_name TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    fee BIGINT NOT NULL CHECK (fee >= 0),
    remark TEXT NOT NULL DEFAULT '',
    notify_phone TEXT,
    merchant_order_no TEXT,
    UNIQUE (application_id, line_no)
);

-- One-time codes sent by SMS (fund operations, phone binding).
CREATE TABLE sms_codes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operator_id BIGINT NOT NULL REFERENCES operators (id),
    purpose TEXT NOT NULL,
    phone TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX sms_codes_operator ON sms_codes (operator_id, purpose, id);

-- Idempotency-Key: same key and body replays the first response; another body is
-- refused; a request still running answers 409.
CREATE TABLE idempotency_keys (
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    -- running | done
    state TEXT NOT NULL,
    response_status INTEGER,
    response_body TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (merchant_id, key)
);
