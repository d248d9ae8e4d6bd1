"""quixstreams 3.28: an Application (its defaults: at-least-once, a checkpoint every 5 s) whose custom BatchingSink
inserts each checkpoint's batch (one per partition) into DuckDB, as quixstreams' docs show custom sinks.

Run: python bench/peers/quix_app.py BROKERS TOPIC GROUP DUCKDB EVENTS

It stops once it has processed EVENTS records (`Application.run(count=…)`, or after 10 s without a new one), and
commits its last checkpoint (sink flush, then Kafka offsets) as it closes.
"""

import sys

import duckdb
import pyarrow as pa
from quixstreams import Application
from quixstreams.sinks import BatchingSink, SinkBatch

from orders import CREATE_TABLE, TABLE

brokers, topic, group, path, events = sys.argv[1:6]


class DuckDBSink(BatchingSink):
    def setup(self):
        self._connection = duckdb.connect(path)
        self._connection.execute(CREATE_TABLE)

    def write(self, batch: SinkBatch):
        arrow_table = pa.Table.from_pylist([item.value for item in batch])
        self._connection.execute(f"INSERT INTO {TABLE} SELECT * FROM arrow_table")
        print(f"committed {batch.size}", flush=True)


app = Application(broker_address=brokers, consumer_group=group, auto_offset_reset="earliest")
sdf = app.dataframe(app.topic(topic, value_deserializer="json"))
sdf.sink(DuckDBSink())
app.run(count=int(events), timeout=10, collect=False)
