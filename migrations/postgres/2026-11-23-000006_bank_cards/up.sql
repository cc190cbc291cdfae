-- 银行账户 (manual §3.3.1.3): the merchant's own bank cards, named after the company.
CREATE TABLE bank_cards (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    bank TEXT NOT NULL,
    branch_code TEXT NOT NULL,
    branch_name TEXT NOT NULL,
    province TEXT NOT NULL,
    city TEXT NOT NULL,
    account_no TEXT NOT NULL,
    account_name TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES operators (id),
    created_at TIMESTAMP NOT NULL,
    -- Deleted cards stay for the history of withdrawals that used them.
    deleted_at TIMESTAMP
);
CREATE UNIQUE INDEX bank_cards_live ON bank_cards (merchant_id, account_no) WHERE deleted_at IS NULL;
