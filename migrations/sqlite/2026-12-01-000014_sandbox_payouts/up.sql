-- The sandbox bank's own book of the payout instructions it received. The bank
-- decides them on its clock and tells the platform by signed notification.
CREATE TABLE sandbox_payouts (
    trade_no TEXT PRIMARY KEY NOT NULL,
    account_no TEXT NOT NULL,
    amount BIGINT NOT NULL,
    due_at TIMESTAMP NOT NULL,
    -- received | paid | failed | returned
    state TEXT NOT NULL,
    -- when a paid payout to a returning test account comes back
    return_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX sandbox_payouts_due ON sandbox_payouts (state, due_at);
