"""Independent check of the emulator's persisted data: copies a database file
(and its WAL) aside and runs one SQL query on the copy with DuckDB, printing
the rows as JSON. The copy avoids the emulator's lock on the live file.
Usage: python query_db_file.py DB_FILE SQL
"""

import json
import os
import shutil
import sys
import tempfile

import duckdb


def main():
    db_file, sql = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, os.path.basename(db_file))
        shutil.copy(db_file, copy)
        if os.path.exists(db_file + ".wal"):
            shutil.copy(db_file + ".wal", copy + ".wal")
        con = duckdb.connect(copy)
        rows = con.execute(sql).fetchall()
        con.close()
    print(json.dumps(rows, default=str))


if __name__ == "__main__":
    main()
