-- PostgreSQL's paydesk_post_entry raises on a shortfall (so its call can share
-- a message with the COMMIT); SQLite posts statement by statement in the
-- process, so nothing changes here.
SELECT 1;
