"""A plain confluent-kafka 2.12 consumer into DuckDB: batches of up to 10,000 messages → json.loads → Arrow →
INSERT (DuckDB commits it) → commit the offsets synchronously (at least once). Stops once every assigned
partition reached its end.

Run: python bench/peers/plain_consumer.py BROKERS TOPIC GROUP DUCKDB
"""

import json
import sys

import duckdb
import pyarrow as pa
from confluent_kafka import Consumer, KafkaError, KafkaException

from orders import CREATE_TABLE, TABLE

brokers, topic, group, path = sys.argv[1:5]
connection = duckdb.connect(path)
connection.execute(CREATE_TABLE)
consumer = Consumer(
    {
        "bootstrap.servers": brokers,
        "group.id": group,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "enable.partition.eof": True,
    }
)
assigned, at_end = set(), set()
consumer.subscribe([topic], on_assign=lambda _, partitions: assigned.update(p.partition for p in partitions))
while not assigned or not at_end >= assigned:
    rows = []
    for message in consumer.consume(num_messages=10_000, timeout=1.0):
        if message.error() is None:
            rows.append(json.loads(message.value()))
        elif message.error().code() == KafkaError._PARTITION_EOF:
            at_end.add(message.partition())
        else:
            raise KafkaException(message.error())
    if rows:
        arrow_table = pa.Table.from_pylist(rows)
        connection.execute(f"INSERT INTO {TABLE} SELECT * FROM arrow_table")
        consumer.commit(asynchronous=False)
        print(f"committed {len(rows)}", flush=True)
consumer.close()
connection.close()
