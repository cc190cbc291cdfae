-- One counter of wrong guesses for every secret that can be guessed: an
-- operator's and a staff member's sign-in password, an operator's payment
-- password. A try is written here *before* its password is checked (and removed
-- when it was right), so parallel guesses are counted, not raced.
CREATE TABLE attempt_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- operator_sign_in | staff_sign_in | payment_password
    kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    ip TEXT NOT NULL,
    -- being checked right now
    pending BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attempt_failures_subject ON attempt_failures (kind, subject_id, created_at);

-- One row per guarded secret: the row every try locks first, and the freeze.
CREATE TABLE attempt_locks (
    kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    locked_until TIMESTAMP,
    PRIMARY KEY (kind, subject_id)
);

INSERT INTO attempt_failures (kind, subject_id, ip, created_at)
    SELECT 'operator_sign_in', operator_id, ip, created_at FROM login_failures;
INSERT INTO attempt_locks (kind, subject_id, locked_until)
    SELECT 'operator_sign_in', id, frozen_until FROM operators WHERE frozen_until IS NOT NULL;
DROP TABLE login_failures;
ALTER TABLE operators DROP COLUMN frozen_until;

-- A password someone else set (the admin, for a new operator or a reset) is
-- changed at the next sign-in.
ALTER TABLE operators ADD COLUMN password_change_required BOOLEAN NOT NULL DEFAULT FALSE;

-- Staff accounts can be disabled.
ALTER TABLE staff ADD COLUMN status TEXT NOT NULL DEFAULT 'active';

-- Refresh tokens already exchanged: showing one again means it was stolen, and
-- ends its session.
CREATE TABLE rotated_refresh_tokens (
    refresh_hash TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL,
    rotated_at TIMESTAMP NOT NULL
);

-- The micro-deposit is two amounts of 0.01–0.99 (9,801 pairs, not 99), five
-- guesses a round, at most three rounds the merchant asks for after staff sent
-- one; then staff take over. Pending one-amount deposits are voided: the
-- merchant asks for a new (two-amount) one.
ALTER TABLE micro_deposits ADD COLUMN second_amount BIGINT NOT NULL DEFAULT 0;
ALTER TABLE micro_deposits ADD COLUMN sent_by_staff BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE micro_deposits SET status = 'void' WHERE status = 'pending';

-- 安全邮箱 (§3.7.4): each operator's bound e-mail, where recovery links and
-- notices go. It is not the login: the merchant account (the registration
-- e-mail) stays the admin's login name. The admin starts with the
-- registration e-mail bound.
ALTER TABLE operators ADD COLUMN email TEXT;
UPDATE operators SET email = (SELECT m.email FROM merchants m WHERE m.id = operators.merchant_id)
    WHERE login_name = (SELECT m.email FROM merchants m WHERE m.id = operators.merchant_id);

-- The review policy an application was submitted under: a later change of the
-- policy applies only to applications submitted after it. Earlier ones take
-- their merchant's policy of today, or the default of their kind.
ALTER TABLE applications ADD COLUMN review_mode TEXT NOT NULL DEFAULT 'single';
UPDATE applications SET review_mode = COALESCE(
    (SELECT p.mode FROM review_policies p WHERE p.merchant_id = applications.merchant_id AND p.kind = applications.kind),
    CASE WHEN kind IN ('bank_payout', 'batch_transfer', 'batch_bank_payout', 'batch_refund', 'payroll')
        THEN 'maker_checker' ELSE 'single' END);

-- The operation log as a hash chain: each entry carries the hash of the one
-- before and its own; the head row holds the newest hash (and is the row every
-- writer locks). Entries written before this migration stay unchained;
-- `paydesk verify-log` counts them apart.
ALTER TABLE operation_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE operation_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE TABLE operation_log_head (
    id INTEGER PRIMARY KEY NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO operation_log_head (id, hash) VALUES (1, '');

-- 忘记登录密码 (§3.7.1): a recovery started with the merchant account and a
-- captcha, verified with the licence number and an SMS code, finished through
-- a single-use link e-mailed to the operator's bound address.
CREATE TABLE recoveries (
    id TEXT PRIMARY KEY NOT NULL,
    -- login_password
    kind TEXT NOT NULL,
    merchant_id BIGINT NOT NULL,
    operator_id BIGINT NOT NULL,
    verified_at TIMESTAMP,
    link_hash TEXT,
    link_sent_at TIMESTAMP,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX recoveries_link ON recoveries (link_hash);

-- 安全邮箱 links (§3.7.4): confirming the current address before a change
-- (verify_old), and activating a new one (activate). Single use, 30 minutes.
CREATE TABLE email_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    operator_id BIGINT NOT NULL,
    -- verify_old | activate
    purpose TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
