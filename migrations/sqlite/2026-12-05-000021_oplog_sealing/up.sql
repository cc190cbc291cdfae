-- The operation log's hash chain is sealed after the commit, not inside every
-- request's transaction: a line is written with seq NULL (waiting), and the
-- sealer gives it the next place in the chain, its prev_hash and its hash.
-- seq 0 marks lines written before the chain began.
ALTER TABLE operation_log ADD COLUMN seq BIGINT;
UPDATE operation_log SET seq = CASE WHEN hash = '' THEN 0 ELSE id END;
ALTER TABLE operation_log_head ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
UPDATE operation_log_head SET seq = (SELECT COALESCE(MAX(id), 0) FROM operation_log WHERE hash <> '');
CREATE INDEX operation_log_by_seq ON operation_log (seq);
CREATE INDEX operation_log_waiting ON operation_log (id) WHERE seq IS NULL;
