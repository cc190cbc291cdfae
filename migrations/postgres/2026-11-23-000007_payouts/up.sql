-- Payouts to bank accounts (withdrawals, transfers to bank accounts) and their
-- outcome at the (sandbox) bank: succeeded, failed, or returned later (退票).
CREATE TABLE payouts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    -- standard (T+1) | fast (2 hours)
    speed TEXT NOT NULL,
    bank TEXT NOT NULL,
    branch_name TEXT NOT NULL,
    account_no TEXT NOT NULL,
    account_name TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    fee BIGINT NOT NULL CHECK (fee >= 0),
    -- submitted | succeeded | failed | returned
    status TEXT NOT NULL,
    due_at TIMESTAMP NOT NULL,
    bank_reference TEXT,
    failure_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    settled_at TIMESTAMP,
    returned_at TIMESTAMP
);
CREATE INDEX payouts_due ON payouts (status, due_at);
CREATE INDEX payouts_application ON payouts (application_id);

-- Where a bank-account line pays to, and how fast.
ALTER TABLE application_lines ADD COLUMN payee_bank TEXT;
ALTER TABLE application_lines ADD COLUMN payee_branch TEXT;
ALTER TABLE application_lines ADD COLUMN payout_speed TEXT;
