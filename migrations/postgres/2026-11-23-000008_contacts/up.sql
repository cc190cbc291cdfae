-- 联系人 (manual §3.3.2): saved payees, platform accounts or bank accounts.
CREATE TABLE contacts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    -- platform | bank
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    -- The platform account (e-mail) or the bank account number.
    account TEXT NOT NULL,
    -- Bank contacts: personal | corporate, the bank code and branch.
    account_type TEXT,
    bank TEXT,
    branch_code TEXT,
    branch_name TEXT,
    phone TEXT,
    remark TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (merchant_id, kind, account)
);
