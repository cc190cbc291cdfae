DROP TABLE bank_cards;
