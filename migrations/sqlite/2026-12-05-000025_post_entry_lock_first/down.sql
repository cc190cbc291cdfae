-- PostgreSQL's paydesk_post_entry takes the lock before it inserts the
-- postings; SQLite posts statement by statement in the process, so nothing
-- changes here.
SELECT 1;
