-- 服务费 schedule: at most one rule per merchant and product (transfer, bank_payout,
-- withdrawal_standard, withdrawal_fast). No row means the manual's default: 0.00.
CREATE TABLE fee_rules (
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    product TEXT NOT NULL,
    fixed_fen BIGINT NOT NULL,
    -- Basis points of the amount (10 = 0.10 %).
    rate_bp INTEGER NOT NULL,
    min_fen BIGINT NOT NULL,
    max_fen BIGINT,
    updated_by BIGINT NOT NULL REFERENCES staff (id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (merchant_id, product)
);

-- 商户订单号: the merchant's own reference for a payment line, unique per merchant
-- (manual: 用作对账关键要素应保证唯一). The primary key is the guarantee.
CREATE TABLE merchant_order_numbers (
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    order_no TEXT NOT NULL,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    PRIMARY KEY (merchant_id, order_no)
);
