ALTER TABLE payouts DROP COLUMN line_id;
ALTER TABLE application_lines DROP COLUMN failure_reason;
ALTER TABLE application_lines DROP COLUMN status;
DROP TABLE merchant_batch_numbers;
ALTER TABLE applications DROP COLUMN batch_no;
