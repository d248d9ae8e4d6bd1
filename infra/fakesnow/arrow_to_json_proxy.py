"""A loopback HTTP proxy between snowflake-sdk (Node) and the fakesnow emulator.

Why: fakesnow 0.12.x answers SELECT and DDL statements only in Arrow form
(`queryResultFormat: "arrow"`, `rowsetBase64`). The Python connector reads that;
the Node driver cannot (it expects a JSON `rowset` of strings in Snowflake's
encodings). This proxy forwards every request untouched and rewrites only those
Arrow results into the JSON rowset that real Snowflake sends, using the
`rowtype` the emulator returns. SQL still runs in the emulator and the driver
stays the real one: nothing is mocked, one wire format is translated.

Encodings (as Snowflake's JSON result format):
  fixed          the decimal digits ("119.99", "42")
  real           repr of the float
  text, variant  the string
  boolean        "1" / "0"
  date           days since the epoch
  timestamp_ntz  "<epoch seconds>.<9-digit fraction>"
  timestamp_ltz  same
  timestamp_tz   "<epoch seconds>.<fraction> <offset minutes + 1440>"
  binary         upper-case hex
Usage: python arrow_to_json_proxy.py LISTEN_PORT UPSTREAM_PORT
"""

import base64
import http.client
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyarrow as pa

DEFAULT_PARAMETERS = {"BINARY_OUTPUT_FORMAT": "HEX", "TIMEZONE": "UTC"}

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


def encode_value(value, column):
    if value is None:
        return None
    kind = column["type"]
    if kind in ("timestamp_ntz", "timestamp_ltz", "timestamp_tz"):
        epoch, fraction = value["epoch"], value.get("fraction") or 0
        if epoch is None:  # a null timestamp can arrive as a struct of nulls (e.g. from an outer join)
            return None
        text = f"{epoch}.{fraction:09d}"
        if kind == "timestamp_tz":
            text += f" {value.get('timezone', 1440)}"
        return text
    if kind == "boolean":
        return "1" if value else "0"
    if kind == "binary":
        return bytes(value).hex().upper()
    if kind == "date":
        return str(value.toordinal() - 719163) if hasattr(value, "toordinal") else str(value)
    if kind == "real":
        return repr(float(value))
    if kind == "variant" and not isinstance(value, str):
        return json.dumps(value)
    return str(value)


def arrow_to_rowset(rowset_base64, rowtype):
    if not rowset_base64:
        return []
    reader = pa.ipc.open_stream(base64.b64decode(rowset_base64))
    table = reader.read_all()
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    return [
        [encode_value(col[r], rowtype[i]) for i, col in enumerate(columns)]
        for r in range(table.num_rows)
    ]


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream_port = 0

    def log_message(self, format, *args):  # quiet: the emulator logs requests already
        pass

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else None

    def forward(self):
        body = self.read_body()
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | {"host", "accept-encoding"}}
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=300)
        upstream.request(self.command, self.path, body=body, headers=headers)
        response = upstream.getresponse()
        data = response.read()
        if response.status == 200 and "query-request" in self.path:
            data = self.transcode(data)
        self.send_response(response.status)
        for k, v in response.getheaders():
            if k.lower() not in HOP_BY_HOP:
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        upstream.close()

    @staticmethod
    def transcode(data):
        try:
            payload = json.loads(data)
        except ValueError:
            return data
        result = payload.get("data") or {}
        # Real Snowflake sends the session's output formats with every result;
        # the emulator sends none, and the driver needs them to decode columns.
        names = {p.get("name") for p in result.get("parameters") or []}
        result["parameters"] = (result.get("parameters") or []) + [
            {"name": name, "value": value} for name, value in DEFAULT_PARAMETERS.items() if name not in names
        ]
        if result.get("queryResultFormat") != "arrow":
            if "rowset" in result:
                # The driver counts rows from `returned`; the emulator omits it.
                result.setdefault("returned", len(result["rowset"]))
                result.setdefault("total", len(result["rowset"]))
            return json.dumps(payload).encode()
        rowset = arrow_to_rowset(result.pop("rowsetBase64", ""), result.get("rowtype") or [])
        result["queryResultFormat"] = "json"
        result["rowset"] = rowset
        result["total"] = len(rowset)
        result["returned"] = len(rowset)
        return json.dumps(payload).encode()

    do_GET = do_POST = do_PUT = do_DELETE = forward


def main():
    listen, upstream = int(sys.argv[1]), int(sys.argv[2])
    Proxy.upstream_port = upstream
    server = ThreadingHTTPServer(("127.0.0.1", listen), Proxy)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
