DROP TABLE review_policies;
ALTER TABLE operators ADD COLUMN role TEXT NOT NULL DEFAULT 'admin';
UPDATE operators SET role = COALESCE((SELECT r.builtin FROM roles r WHERE r.id = operators.role_id), 'applicant');
ALTER TABLE operators DROP COLUMN role_id;
DROP TABLE role_permissions;
DROP TABLE roles;
