#!/usr/bin/env bash
# The Snowflake emulator for tests: fakesnow's HTTP server (in a project-local
# virtualenv) with its databases persisted in .infra/fakesnow/db, behind a small
# loopback proxy that turns fakesnow's Arrow-only results into the JSON rowsets
# the Node driver reads (see infra/fakesnow/arrow_to_json_proxy.py).
#
#   infra/snowflake.sh up | down | status | streaming
#
# Writes the driver's settings to .infra/snowflake.env (git-ignored). The
# account, user and password there are placeholders the emulator ignores.
#
# In front of it, a Snowpipe Streaming REST API test server
# (infra/snowpipe-streaming/server.mjs) that commits appended rows into the
# emulator. It trusts a key pair made afresh at each start
# (.infra/fakesnow/streaming_key.p8, PKCS#8, and .pub); its URL and the private
# key's path go into .infra/snowflake.env as SNOWFLAKE_STREAMING_URL and
# SNOWFLAKE_STREAMING_PRIVATE_KEY_PATH. `infra/snowflake.sh streaming` restarts
# that server alone (a new key and port), leaving the emulator running.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
home="$root/.infra/fakesnow"
venv="$home/venv"
envfile="$root/.infra/snowflake.env"

source "$root/infra/lib.sh"

install() {
  installed_from "$root/infra/fakesnow/requirements.txt" "$venv/.requirements.sha" && return
  echo "snowflake: installing the fakesnow emulator into $venv ..."
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$root/infra/fakesnow/requirements.txt"
  mark_installed_from "$root/infra/fakesnow/requirements.txt" "$venv/.requirements.sha"
}

# Stops the emulator and its proxy that this script (or a fault test) started, by their recorded pids.
stop() {
  stop_recorded "$home/server.pid" infra/fakesnow/serve.py
  stop_recorded "$home/proxy.pid" infra/fakesnow/arrow_to_json_proxy.py
  stop_recorded "$home/streaming.pid" infra/snowpipe-streaming/server.mjs
}

# Starts the Snowpipe Streaming test server against the running emulator (its
# SQL settings from $envfile) with a new key pair, and records its URL and key
# in $envfile. Only SNOWFLAKE_STREAMING_PRIVATE_KEY_PATH names the key: a
# SNOWFLAKE_PRIVATE_KEY_PATH would switch every SQL client to key-pair login.
start_streaming() {
  local node port key="$home/streaming_key.p8"
  node="$(bash "$root/infra/node.sh" 24)/node"
  rm -f "$key" "$home/streaming_key.pub"
  (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null)
  openssl pkey -in "$key" -pubout -out "$home/streaming_key.pub"
  port="$(free_port)"
  (
    set -a && source "$envfile" && set +a
    exec nohup "$node" "$root/infra/snowpipe-streaming/server.mjs" --port "$port" --public-key "$home/streaming_key.pub"
  ) > "$home/logs/streaming.log" 2>&1 &
  echo $! > "$home/streaming.pid"
  if ! wait_http "$port"; then
    echo "snowflake: the Snowpipe Streaming test server did not start; log:" >&2
    tail -n 30 "$home/logs/streaming.log" >&2 || true
    exit 1
  fi
  sed -i '/^SNOWFLAKE_STREAMING_/d' "$envfile"
  cat >> "$envfile" <<ENV
SNOWFLAKE_STREAMING_URL=http://127.0.0.1:$port
SNOWFLAKE_STREAMING_PRIVATE_KEY_PATH=$key
ENV
  echo "snowflake: Snowpipe Streaming test server at http://127.0.0.1:$port"
}

wait_http() {
  for _ in $(seq 1 120); do
    if node -e "require('http').get('http://127.0.0.1:$1/',r=>process.exit(0)).on('error',()=>process.exit(1))" 2>/dev/null; then return 0; fi
    sleep 0.25
  done
  return 1
}

case "${1:-}" in
  up)
    stop
    install
    rm -rf "$home/db" && mkdir -p "$home/db" "$home/logs"
    read -r server_port proxy_port <<< "$(two_free_ports)"
    nohup "$venv/bin/python" "$root/infra/fakesnow/serve.py" "$server_port" "$home/db" > "$home/logs/server.log" 2>&1 &
    echo $! > "$home/server.pid"
    nohup "$venv/bin/python" "$root/infra/fakesnow/arrow_to_json_proxy.py" "$proxy_port" "$server_port" > "$home/logs/proxy.log" 2>&1 &
    echo $! > "$home/proxy.pid"
    echo "$server_port" > "$home/upstream.port"
    if ! wait_http "$server_port" || ! wait_http "$proxy_port"; then
      echo "snowflake: emulator did not start; logs:" >&2
      tail -n 30 "$home/logs/server.log" "$home/logs/proxy.log" >&2 || true
      exit 1
    fi
    placeholder="emulator-ignores-it"
    cat > "$envfile" <<ENV
SNOWFLAKE_ACCOUNT=emulator
SNOWFLAKE_USER=emulator
SNOWFLAKE_PASSWORD=$placeholder
SNOWFLAKE_HOST=127.0.0.1
SNOWFLAKE_PORT=$proxy_port
SNOWFLAKE_PROTOCOL=http
SNOWFLAKE_DATABASE=RETAIL_LAB
SNOWFLAKE_SCHEMA=STG
SNOWFLAKE_WAREHOUSE=EMULATOR_WH
SNOWFLAKE_ARRAY_BINDING_THRESHOLD=1000000000
SNOWFLAKE_EMULATOR_DB_DIR=$home/db
SNOWFLAKE_EMULATOR_PYTHON=$venv/bin/python
ENV
    start_streaming
    echo "snowflake: emulator ready at http://127.0.0.1:$proxy_port (fakesnow on $server_port)"
    ;;
  streaming)
    [[ -f "$envfile" ]] || { echo "snowflake: the emulator is not running (infra/snowflake.sh up)" >&2; exit 1; }
    stop_recorded "$home/streaming.pid" infra/snowpipe-streaming/server.mjs
    start_streaming
    ;;
  down) stop; rm -rf "$home/db" "$envfile" "$home/streaming_key.p8" "$home/streaming_key.pub"; echo "snowflake: down" ;;
  status) if [[ -f "$home/proxy.pid" ]] && kill -0 "$(cat "$home/proxy.pid")" 2>/dev/null; then cat "$envfile"; else echo "snowflake: not running"; exit 1; fi ;;
  *) echo "usage: $0 up|down|status|streaming" >&2; exit 2 ;;
esac
