-- 交易订单号: the platform's number for every application and payout, as people see it.
-- Rows from before get their date, their kind and their id, zero-padded.
ALTER TABLE applications ADD COLUMN trade_no TEXT NOT NULL DEFAULT '';
UPDATE applications SET trade_no = strftime('%y%m%d', created_at) || '10' || printf('%013d', id);
CREATE UNIQUE INDEX applications_trade_no ON applications (trade_no);

ALTER TABLE payouts ADD COLUMN trade_no TEXT NOT NULL DEFAULT '';
UPDATE payouts SET trade_no = strftime('%y%m%d', created_at) || '20' || printf('%013d', id);
CREATE UNIQUE INDEX payouts_trade_no ON payouts (trade_no);
