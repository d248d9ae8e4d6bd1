"""The table each peer stores the order events in: the event's JSON fields as columns, in the order the producer
writes them (the inserts below are positional, `SELECT *`), typed as sneakpipe types them in STREAMING_ORDERS."""

TABLE = "orders"

CREATE_TABLE = """CREATE TABLE IF NOT EXISTS orders (
  event_id VARCHAR, event_type VARCHAR, "timestamp" TIMESTAMP, order_id BIGINT,
  customer_name VARCHAR, customer_city VARCHAR, brand VARCHAR, model VARCHAR, color VARCHAR, size VARCHAR,
  unit_price DECIMAL(10, 2), total_amount DECIMAL(10, 2), quantity INTEGER)"""
