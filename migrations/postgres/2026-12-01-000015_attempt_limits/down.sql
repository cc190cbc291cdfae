DROP TABLE email_links;
DROP TABLE recoveries;
DROP TABLE operation_log_head;
ALTER TABLE operation_log DROP COLUMN hash;
ALTER TABLE operation_log DROP COLUMN prev_hash;
ALTER TABLE applications DROP COLUMN review_mode;
ALTER TABLE operators DROP COLUMN email;
ALTER TABLE micro_deposits DROP COLUMN sent_by_staff;
ALTER TABLE micro_deposits DROP COLUMN second_amount;
DROP TABLE rotated_refresh_tokens;
ALTER TABLE staff DROP COLUMN status;
ALTER TABLE operators DROP COLUMN password_change_required;
ALTER TABLE operators ADD COLUMN frozen_until TIMESTAMP;
CREATE TABLE login_failures (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operator_id BIGINT NOT NULL REFERENCES operators (id),
    ip TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_operator ON login_failures (operator_id, created_at);
DROP TABLE attempt_locks;
DROP TABLE attempt_failures;
