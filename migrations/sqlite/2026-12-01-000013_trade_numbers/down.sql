DROP INDEX application_lines_trade_no;
ALTER TABLE application_lines DROP COLUMN trade_no;
DROP INDEX payouts_trade_no;
ALTER TABLE payouts DROP COLUMN trade_no;
DROP INDEX applications_trade_no;
ALTER TABLE applications DROP COLUMN trade_no;
