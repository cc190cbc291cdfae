-- 充值: recharge orders paid through a bank's online banking, and the sandbox
-- bank's outgoing notifications (kept until acknowledged, retried until then).

CREATE TABLE recharge_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_no TEXT NOT NULL UNIQUE,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    operator_id BIGINT NOT NULL REFERENCES operators (id),
    bank TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    -- pending | paid | cancelled
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    paid_at TIMESTAMP
);
CREATE INDEX recharge_orders_merchant ON recharge_orders (merchant_id, bank, created_at);

-- The sandbox bank's side: each result it owes the platform, signed.
CREATE TABLE sandbox_bank_notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_no TEXT NOT NULL,
    payload TEXT NOT NULL,
    signature TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    acknowledged_at TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX sandbox_bank_notifications_due ON sandbox_bank_notifications (acknowledged_at, next_attempt_at);
