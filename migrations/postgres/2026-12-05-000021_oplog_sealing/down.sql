DROP INDEX operation_log_waiting;
DROP INDEX operation_log_by_seq;
ALTER TABLE operation_log_head DROP COLUMN seq;
ALTER TABLE operation_log DROP COLUMN seq;
