DROP TABLE micro_deposits;
DROP TABLE uploads;
DROP TABLE kyb_applications;
