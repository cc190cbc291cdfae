DROP TABLE sandbox_refunds;
ALTER TABLE trades DROP COLUMN fee_from_pending;
ALTER TABLE trades DROP COLUMN held_from_pending;
ALTER TABLE trades DROP COLUMN refund_count;
ALTER TABLE trades DROP COLUMN refunded;
DROP TABLE refunds;
