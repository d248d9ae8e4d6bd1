"""Runs the fakesnow emulator's HTTP server with its databases persisted as
DuckDB files in DB_DIR (one `<DATABASE>.db` per database), so tests can check
loads independently of the emulator and the driver.

fakesnow's own `--server` mode keeps databases in memory; this launcher points
the server's shared instance at DB_DIR instead. Usage: python serve.py PORT DB_DIR
"""

import sys

import uvicorn
from fakesnow.instance import FakeSnow

import fakesnow.server


def main():
    port, db_dir = int(sys.argv[1]), sys.argv[2]
    fakesnow.server.shared_fs = FakeSnow(db_path=db_dir)
    uvicorn.run(fakesnow.server.app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
