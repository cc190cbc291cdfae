-- 应用产品 (issue 12): a merchant's signing of each product of the 应用中心 —
-- applied for in the portal (线上服务申请), decided by platform staff. One row per
-- merchant and product; no row means not signed. A signed product is usable.
CREATE TABLE product_signings (
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    product TEXT NOT NULL,
    state TEXT NOT NULL,
    note TEXT NOT NULL,
    applied_by BIGINT,
    applied_at TIMESTAMP NOT NULL,
    decided_by BIGINT,
    decided_at TIMESTAMP,
    reason TEXT,
    PRIMARY KEY (merchant_id, product)
);
CREATE INDEX product_signings_state ON product_signings (state, applied_at);
