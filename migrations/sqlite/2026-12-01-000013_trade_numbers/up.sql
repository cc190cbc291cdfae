-- 交易订单号: the platform's number for every application, line and payout, as people see it.
-- Rows from before get their date, their kind and their id, zero-padded.
ALTER TABLE applications ADD COLUMN trade_no TEXT NOT NULL DEFAULT '';
UPDATE applications SET trade_no = substr(strftime('%Y%m%d', created_at), 3) || '10' || printf('%013d', id);
CREATE UNIQUE INDEX applications_trade_no ON applications (trade_no);

ALTER TABLE payouts ADD COLUMN trade_no TEXT NOT NULL DEFAULT '';
UPDATE payouts SET trade_no = substr(strftime('%Y%m%d', created_at), 3) || '20' || printf('%013d', id);
CREATE UNIQUE INDEX payouts_trade_no ON payouts (trade_no);

ALTER TABLE application_lines ADD COLUMN trade_no TEXT NOT NULL DEFAULT '';
UPDATE application_lines SET trade_no = substr(strftime('%Y%m%d', (SELECT a.created_at FROM applications a WHERE a.id = application_lines.application_id)), 3) || '11' || printf('%013d', id);
CREATE UNIQUE INDEX application_lines_trade_no ON application_lines (trade_no);
