DROP TABLE idempotency_keys;
DROP TABLE sms_codes;
DROP TABLE application_lines;
DROP TABLE applications;
