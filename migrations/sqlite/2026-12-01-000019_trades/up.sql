-- 二维码收款: a merchant's collection codes; fixed amount, or open (NULL: the
-- buyer types it). Each payment through one is a trade.
CREATE TABLE qr_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    name TEXT NOT NULL,
    amount BIGINT,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX qr_codes_merchant ON qr_codes (merchant_id, id);

-- Gateway trades (网关交易, issue 12): what an integrator asks a buyer to pay,
-- paid at the bank through the cashier, credited to pending settlement and
-- settled T+1 net of the acquiring fee. A merchant order number is used once
-- per merchant; that unique index is what makes creation idempotent.
CREATE TABLE trades (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trade_no TEXT NOT NULL UNIQUE,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    app_id TEXT,
    qr_code_id BIGINT REFERENCES qr_codes (id),
    merchant_order_no TEXT NOT NULL,
    subject TEXT NOT NULL,
    amount BIGINT NOT NULL,
    fee BIGINT NOT NULL,
    product TEXT NOT NULL,
    mode TEXT NOT NULL,
    status TEXT NOT NULL,
    notify_url TEXT,
    return_url TEXT,
    bank TEXT,
    bank_reference TEXT,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    paid_at TIMESTAMP,
    shipped_at TIMESTAMP,
    auto_confirm_at TIMESTAMP,
    completed_at TIMESTAMP,
    settle_after TIMESTAMP,
    settled_at TIMESTAMP,
    closed_at TIMESTAMP,
    UNIQUE (merchant_id, merchant_order_no)
);
CREATE INDEX trades_merchant_created ON trades (merchant_id, created_at);
CREATE INDEX trades_status_settle ON trades (status, settle_after);
CREATE INDEX trades_status_expires ON trades (status, expires_at);

-- 实时反馈地址: where a merchant's notifications go unless a trade names its own.
CREATE TABLE notify_addresses (
    merchant_id BIGINT PRIMARY KEY REFERENCES merchants (id),
    url TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Notifications (outbox): written in the transaction that changed the trade,
-- delivered by jobs that claim due rows (FOR UPDATE SKIP LOCKED on PostgreSQL)
-- and push next_attempt_at out while they try. NULL next_attempt_at: delivered,
-- or the retries are spent (redelivering schedules it again).
CREATE TABLE gateway_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    kind TEXT NOT NULL,
    trade_no TEXT,
    url TEXT,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP,
    delivered_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX gateway_events_due ON gateway_events (next_attempt_at);
CREATE INDEX gateway_events_merchant ON gateway_events (merchant_id, id);
-- One row per attempt: the portal's delivery log.
CREATE TABLE gateway_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id BIGINT NOT NULL REFERENCES gateway_events (id),
    attempt INTEGER NOT NULL,
    started_at TIMESTAMP NOT NULL,
    status INTEGER,
    latency_ms BIGINT NOT NULL,
    excerpt TEXT NOT NULL
);
CREATE INDEX gateway_deliveries_event ON gateway_deliveries (event_id);
