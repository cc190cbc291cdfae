DROP TABLE statement_rows;
DROP TABLE postings;
DROP TABLE journal_entries;
DROP TABLE accounts;
