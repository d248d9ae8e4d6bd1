"""bytewax 0.21 + bytewax-duckdb 0.1.22, as bytewax-duckdb's README builds a flow: Kafka → parse JSON → DuckDB.

Run: BROKERS=… TOPIC=… DUCKDB=… python -m bytewax.run bench/peers/bytewax_flow.py:flow (one worker, its default).

KafkaSource assigns itself every partition from the beginning (no consumer group, no offsets committed: without
bytewax's recovery store a restart reads the topic again from its start) and, with tail=False, ends the flow once
every partition reached its end. The sink batches 122,880 rows or 1 s (its defaults) and inserts each batch from
Arrow in a transaction of its own.
"""

import json
import os

import bytewax.duckdb.operators as duck_op
import bytewax.operators as op
from bytewax.connectors.kafka import KafkaSource
from bytewax.dataflow import Dataflow
from bytewax.duckdb import DuckDBSinkPartition

from orders import CREATE_TABLE, TABLE

# The bench's one addition: a line on stdout after each batch the sink inserted (DuckDB commits each INSERT),
# the sink's own write_batch called unchanged first.
_write_batch = DuckDBSinkPartition.write_batch


def _write_batch_and_report(self, batches):
    _write_batch(self, batches)
    print(f"committed {sum(len(batch) for batch in batches)}", flush=True)


DuckDBSinkPartition.write_batch = _write_batch_and_report

flow = Dataflow("peers-bytewax")
messages = op.input("kafka", flow, KafkaSource([os.environ["BROKERS"]], [os.environ["TOPIC"]], tail=False))
rows = op.map("parse", messages, lambda msg: ("orders", json.loads(msg.value)))
duck_op.output("duckdb", rows, os.environ["DUCKDB"], TABLE, CREATE_TABLE)
