ALTER TABLE application_lines DROP COLUMN payout_speed;
ALTER TABLE application_lines DROP COLUMN payee_branch;
ALTER TABLE application_lines DROP COLUMN payee_bank;
DROP TABLE payouts;
