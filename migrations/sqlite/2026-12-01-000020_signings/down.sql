DROP TABLE product_signings;
