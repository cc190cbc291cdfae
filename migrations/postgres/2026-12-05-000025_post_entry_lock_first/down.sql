-- Back to migration 24's order: the postings, then the lock and the balances.
CREATE OR REPLACE FUNCTION paydesk_post_entry(
    p_kind TEXT,
    p_reference TEXT,
    p_remark TEXT,
    p_at TIMESTAMP,
    p_accounts BIGINT[],
    p_amounts BIGINT[],
    p_may_overdraw TEXT,
    p_statement_kinds TEXT[]
) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    i INT;
    entry BIGINT;
    moved_kind TEXT;
    moved_balance BIGINT;
BEGIN
    INSERT INTO journal_entries (kind, reference, remark, created_at)
        VALUES (p_kind, p_reference, p_remark, p_at)
        RETURNING id INTO entry;
    INSERT INTO postings (entry_id, account_id, amount, created_at)
        SELECT entry, u.account, u.amount, p_at
        FROM unnest(p_accounts, p_amounts) WITH ORDINALITY AS u (account, amount, n)
        ORDER BY u.n;
    PERFORM pg_advisory_xact_lock(p_accounts[1]);
    FOR i IN 1 .. cardinality(p_accounts) LOOP
        UPDATE accounts SET balance = balance + p_amounts[i]
            WHERE id = p_accounts[i]
              AND (p_amounts[i] >= 0 OR balance >= -p_amounts[i] OR kind = p_may_overdraw)
            RETURNING kind, balance INTO moved_kind, moved_balance;
        IF NOT FOUND THEN
            IF EXISTS (SELECT 1 FROM accounts WHERE id = p_accounts[i]) THEN
                RAISE EXCEPTION 'paydesk: short account %', p_accounts[i];
            END IF;
            RAISE EXCEPTION 'paydesk: unknown account %', p_accounts[i];
        END IF;
        IF moved_kind = ANY (p_statement_kinds) THEN
            INSERT INTO statement_rows (account_id, entry_id, amount, balance_after, remark, created_at)
                VALUES (p_accounts[i], entry, p_amounts[i], moved_balance, p_remark, p_at);
        END IF;
    END LOOP;
    RETURN entry;
END
$$;
