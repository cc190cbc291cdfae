DROP TABLE gateway_nonces;
DROP TABLE api_keys;
DROP TABLE api_clients;
ALTER TABLE operators DROP COLUMN kind;
