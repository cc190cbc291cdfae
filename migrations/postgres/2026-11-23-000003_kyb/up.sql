-- Real-name verification (实名认证, manual §2.2): the three steps, uploaded scans,
-- and the micro-deposit that proves the corporate account.

CREATE TABLE kyb_applications (
    merchant_id BIGINT PRIMARY KEY REFERENCES merchants (id),
    -- Each step as JSON, validated by the server before it is saved.
    filing TEXT,
    fund_account TEXT,
    legal_representative TEXT,
    reject_reason TEXT,
    submitted_at TIMESTAMP,
    reviewed_at TIMESTAMP,
    reviewed_by BIGINT REFERENCES staff (id),
    updated_at TIMESTAMP NOT NULL
);

-- Scans, stored content-addressed under the data directory (uploads/ab/abcdef...).
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    sha256 TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    original_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX uploads_merchant ON uploads (merchant_id);

-- 打款验证: the amount the sandbox bank sent to the corporate account.
CREATE TABLE micro_deposits (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    bank TEXT NOT NULL,
    account_no TEXT NOT NULL,
    account_name TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0 AND amount < 100),
    attempts INTEGER NOT NULL DEFAULT 0,
    -- pending | confirmed | void
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP
);
CREATE INDEX micro_deposits_merchant ON micro_deposits (merchant_id, id);
CREATE INDEX micro_deposits_account ON micro_deposits (account_no, id);
