DROP TABLE merchant_order_numbers;
DROP TABLE fee_rules;
