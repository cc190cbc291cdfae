-- The double-entry ledger. Amounts are whole fen (BIGINT); see crates/domain/src/ledger.rs.
CREATE TABLE accounts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    merchant_id BIGINT,
    balance BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    -- Defence in depth behind the conditional debit: only bank clearing may go negative.
    CHECK (balance >= 0 OR kind = 'platform_bank_clearing')
);
CREATE INDEX accounts_merchant ON accounts (merchant_id);

CREATE TABLE journal_entries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    reference TEXT,
    remark TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX journal_entries_reference ON journal_entries (reference);

CREATE TABLE postings (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_id BIGINT NOT NULL REFERENCES journal_entries (id),
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    amount BIGINT NOT NULL CHECK (amount <> 0),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX postings_account ON postings (account_id);
CREATE INDEX postings_entry ON postings (entry_id);

-- 收支明细: one row per change of a statement-keeping account, with the balance after it.
CREATE TABLE statement_rows (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    entry_id BIGINT NOT NULL REFERENCES journal_entries (id),
    amount BIGINT NOT NULL,
    balance_after BIGINT NOT NULL,
    remark TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX statement_rows_account ON statement_rows (account_id, id);
