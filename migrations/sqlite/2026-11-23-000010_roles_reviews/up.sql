-- 角色 (manual §3.3.3.1-2): every merchant has the three built-in roles (builtin =
-- admin | applicant | auditor; their permissions are fixed in code) and may add
-- custom roles whose permissions are listed in role_permissions.
CREATE TABLE roles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    builtin TEXT,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (merchant_id, name)
);

CREATE TABLE role_permissions (
    role_id BIGINT NOT NULL REFERENCES roles (id),
    permission TEXT NOT NULL,
    PRIMARY KEY (role_id, permission)
);

INSERT INTO roles (merchant_id, builtin, name, description, created_at)
    SELECT id, 'admin', '管理', '具有最高权限，且该角色具有的功能不能更改', created_at FROM merchants;
INSERT INTO roles (merchant_id, builtin, name, description, created_at)
    SELECT id, 'applicant', '申请', '可进行资金操作，如充值、转账、提现，但这些操作需要审核', created_at FROM merchants;
INSERT INTO roles (merchant_id, builtin, name, description, created_at)
    SELECT id, 'auditor', '审核', '对“申请”角色进行的资金操作进行审核', created_at FROM merchants;

-- Operators point at a role instead of naming a built-in one.
ALTER TABLE operators ADD COLUMN role_id BIGINT REFERENCES roles (id);
UPDATE operators SET role_id =
    (SELECT r.id FROM roles r WHERE r.merchant_id = operators.merchant_id AND r.builtin = operators.role);
ALTER TABLE operators DROP COLUMN role;

-- 审核设置: per merchant and kind of operation, single | maker_checker. No row
-- means the default (maker-checker for bank payouts and batches).
CREATE TABLE review_policies (
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    updated_by BIGINT NOT NULL REFERENCES operators (id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (merchant_id, kind)
);
