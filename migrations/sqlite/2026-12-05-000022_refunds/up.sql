-- Refunds (退款, issue 13). A refund is one line of a refund application (its
-- refund_no is the line's number) under the merchant's review policy; this row
-- keeps what is the refund's own: the trade, the merchant's refund order number
-- (one refund per number), the fee share returned (退还服务费), and whether its
-- money was held out of pending settlement (the trade hadn't settled).
CREATE TABLE refunds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    refund_no TEXT NOT NULL UNIQUE,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    trade_id BIGINT NOT NULL REFERENCES trades (id),
    application_id BIGINT NOT NULL REFERENCES applications (id),
    refund_order_no TEXT,
    batch_no TEXT,
    app_id TEXT,
    amount BIGINT NOT NULL,
    fee_back BIGINT NOT NULL,
    from_pending BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    remark TEXT NOT NULL,
    failure_reason TEXT,
    bank_reference TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE UNIQUE INDEX refunds_order_no ON refunds (merchant_id, refund_order_no);
CREATE INDEX refunds_trade ON refunds (trade_id, id);
CREATE INDEX refunds_application ON refunds (application_id);
CREATE INDEX refunds_merchant_created ON refunds (merchant_id, created_at);

-- A trade's refunds, counted on the trade and moved by one conditional UPDATE
-- each, so concurrent refunds can't pass its amount or the count limit:
-- refunded (what refunds hold: waiting, under way or done), refund_count (all
-- of them), and what they hold out of pending settlement with its fee share,
-- which the trade's settlement leaves out.
ALTER TABLE trades ADD COLUMN refunded BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trades ADD COLUMN refund_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE trades ADD COLUMN held_from_pending BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trades ADD COLUMN fee_from_pending BIGINT NOT NULL DEFAULT 0;

-- The sandbox bank's book of refunds it was asked to return (原路返回).
CREATE TABLE sandbox_refunds (
    refund_no TEXT PRIMARY KEY,
    trade_no TEXT NOT NULL,
    amount BIGINT NOT NULL,
    state TEXT NOT NULL,
    due_at TIMESTAMP NOT NULL,
    received_at TIMESTAMP NOT NULL
);
CREATE INDEX sandbox_refunds_due ON sandbox_refunds (state, due_at);

-- 交易记录 (issue 13): each query type's rows of one merchant, newest first,
-- by state or kind, within a range of days.
CREATE INDEX trades_merchant_status_created ON trades (merchant_id, status, created_at);
CREATE INDEX trades_merchant_mode_created ON trades (merchant_id, mode, created_at);
CREATE INDEX recharge_orders_merchant_created ON recharge_orders (merchant_id, created_at);
CREATE INDEX applications_merchant_kind_created ON applications (merchant_id, kind, created_at);
CREATE INDEX payouts_merchant_status_created ON payouts (merchant_id, status, created_at);
