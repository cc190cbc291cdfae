DROP TABLE sandbox_bank_notifications;
DROP TABLE recharge_orders;
