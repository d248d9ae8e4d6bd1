"""Runs the fakesnow emulator's HTTP server with its databases persisted as
DuckDB files in DB_DIR (one `<DATABASE>.db` per database), so tests can check
loads independently of the emulator and the driver.

fakesnow's own `--server` mode keeps databases in memory; this launcher points
the server's shared instance at DB_DIR instead.

    python serve.py PORT DB_DIR [--strict-login]

fakesnow creates a session's database and schema when it logs in; Snowflake
does not (the session then has no current schema). --strict-login turns that
off, so a test can start a client whose database or schema is missing, as on
a fresh Snowflake account (test-support/snowflake.ts, startPrivateEmulator).
"""

import sys

import duckdb
import snowflake.connector.errors
import uvicorn
from fakesnow.instance import FakeSnow

import fakesnow.cursor
import fakesnow.server


def report_write_conflicts_as_errors():
    """Two sessions updating the same row: Snowflake makes the second wait for
    the first's lock; DuckDB (under fakesnow) refuses it at once with a
    TransactionException, which fakesnow answers with an HTTP 500 that the Node
    driver retries forever. Report it as the SQL error it is instead (SQLSTATE
    40001, serialization failure), so the client sees it and can roll back."""
    execute = fakesnow.cursor.FakeSnowflakeCursor.execute

    def patched(self, *args, **kwargs):
        try:
            return execute(self, *args, **kwargs)
        except duckdb.TransactionException as e:
            raise snowflake.connector.errors.ProgrammingError(msg=f"transaction conflict: {e}", errno=625, sqlstate="40001") from None

    fakesnow.cursor.FakeSnowflakeCursor.execute = patched


def main():
    port, db_dir = int(sys.argv[1]), sys.argv[2]
    strict = "--strict-login" in sys.argv[3:]
    report_write_conflicts_as_errors()
    fakesnow.server.shared_fs = FakeSnow(db_path=db_dir, create_database_on_connect=not strict, create_schema_on_connect=not strict)
    uvicorn.run(fakesnow.server.app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
