-- Batches (issue 11): an application from a batch file carries its 商户批次号,
-- unique per merchant for ever (the primary key decides, as for order numbers);
-- each line has its own status and, when it failed or came back, a reason.
ALTER TABLE applications ADD COLUMN batch_no TEXT;
CREATE TABLE merchant_batch_numbers (
    merchant_id BIGINT NOT NULL,
    batch_no TEXT NOT NULL,
    application_id BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, batch_no)
);
-- pending | processing | succeeded | failed | returned
ALTER TABLE application_lines ADD COLUMN status TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE application_lines ADD COLUMN failure_reason TEXT;
-- The line a payout pays, so each bank line settles, fails or comes back on its own.
ALTER TABLE payouts ADD COLUMN line_id BIGINT;
