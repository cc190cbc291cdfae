DROP TABLE gateway_deliveries;
DROP TABLE gateway_events;
DROP TABLE notify_addresses;
DROP TABLE trades;
DROP TABLE qr_codes;
