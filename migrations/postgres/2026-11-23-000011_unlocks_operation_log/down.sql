DROP TABLE operation_log;
DROP TABLE session_unlocks;
