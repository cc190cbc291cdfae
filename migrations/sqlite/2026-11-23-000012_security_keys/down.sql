DROP TABLE webauthn_challenges;
DROP TABLE security_keys;
