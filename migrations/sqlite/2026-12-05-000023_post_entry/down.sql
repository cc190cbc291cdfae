-- PostgreSQL posts a journal entry through a function (paydesk_post_entry) to
-- save round trips; SQLite runs in the process and posts statement by
-- statement, so nothing changes here.
SELECT 1;
