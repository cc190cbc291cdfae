-- Opening the operator pages asks for the payment password (manual §3.3.3.1); a
-- session that gave it may manage operators and roles until `until`.
CREATE TABLE session_unlocks (
    session_id TEXT PRIMARY KEY,
    until TIMESTAMP NOT NULL
);

-- 日志查询: every state-changing request, who made it, on what, with what result.
-- Append-only: no endpoint edits or deletes a row.
CREATE TABLE operation_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    merchant_id BIGINT,
    operator_id BIGINT,
    staff_id BIGINT,
    -- "POST /api/v1/transfers": the method and the route's pattern.
    action TEXT NOT NULL,
    -- The request's path with its parameters filled in.
    target TEXT NOT NULL,
    status INTEGER NOT NULL,
    ip TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX operation_log_by_merchant ON operation_log (merchant_id, at);
