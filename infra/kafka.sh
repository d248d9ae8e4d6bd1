#!/usr/bin/env bash
# A real Apache Kafka broker for tests, benchmarks and local runs: single node,
# KRaft (combined broker + controller), on free loopback ports.
#
#   infra/kafka.sh up        fetch jars (Maven Central, cached in ~/.m2), format, start, wait until ready
#   infra/kafka.sh down      stop it and delete its data
#   infra/kafka.sh stop      stop it, keep its data (for restart tests)
#   infra/kafka.sh start     start it again on the same ports and data
#   infra/kafka.sh status
#
# KAFKA_INITIAL_REBALANCE_DELAY_MS sets group.initial.rebalance.delay.ms. Default 3000, Kafka's own default, so
# the suites meet the group coordinator production runs: members that start together share the first generation,
# and a fresh group's first JoinGroup waits 3 s (0 hid a kafkajs consumer that stayed in its group after closing).
#
# It writes KAFKA_BOOTSTRAP=127.0.0.1:<port> to .infra/kafka.env (git-ignored).
# Jars live in .infra/kafka/libs, never in git. Needs Java 17+ and Maven.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
home="$root/.infra/kafka"
libs="$home/libs"
config="$home/server.properties"
pidfile="$home/kafka.pid"
envfile="$root/.infra/kafka.env"
log="$home/logs/server.out"

source "$root/infra/lib.sh"

fetch_jars() {
  installed_from "$root/infra/kafka/pom.xml" "$libs/.pom.sha" && return
  echo "kafka: resolving broker jars with Maven (cached in ~/.m2)..."
  rm -rf "$libs" && mkdir -p "$libs"
  mvn -q -B -f "$root/infra/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs"
  mark_installed_from "$root/infra/kafka/pom.xml" "$libs/.pom.sha"
}

write_config() {
  local port cport
  read -r port cport <<< "$(two_free_ports)"
  mkdir -p "$home/data" "$home/logs"
  cat > "$config" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$home/data
num.partitions=3
# One node: internal topics cannot have more replicas than that, or consumer
# groups and transactions never find their coordinator.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=${KAFKA_INITIAL_REBALANCE_DELAY_MS:-3000}
# As most brokers are: a foreign producer (kcat, a shop's own service) may write to a topic that does not exist yet.
# sneakpipe's clients never rely on it: they create their topics, with their partitions, themselves.
auto.create.topics.enable=true
message.max.bytes=10485760
PROPS
  cat > "$home/log4j2.properties" <<PROPS
rootLogger.level=WARN
rootLogger.appenderRef.file.ref=file
appender.file.type=File
appender.file.name=file
appender.file.fileName=$home/logs/server.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
PROPS
}

java_cmd() { java -Xms256m -Xmx1g -XX:+UseG1GC -Dlog4j2.configurationFile="$home/log4j2.properties" -cp "$libs/*" "$@"; }

# The broker this script started (its recorded pid, still running kafka.Kafka).
running() { recorded_pid_runs "$pidfile" kafka.Kafka; }

start() {
  if running; then echo "kafka: already running ($(grep KAFKA_BOOTSTRAP "$envfile"))"; return; fi
  nohup java -Xms256m -Xmx1g -XX:+UseG1GC -Dlog4j2.configurationFile="$home/log4j2.properties" \
    -cp "$libs/*" kafka.Kafka "$config" >> "$log" 2>&1 &
  echo $! > "$pidfile"
  local bootstrap; bootstrap="$(grep -oE '^listeners=PLAINTEXT://[^,]+' "$config" | sed 's#listeners=PLAINTEXT://##')"
  echo "KAFKA_BOOTSTRAP=$bootstrap" > "$envfile"
  # kafkajs's negative timers on Node 24 would print a raw TimeoutNegativeWarning here (see vitest.shared.ts).
  if ! node --disable-warning=TimeoutNegativeWarning "$root/infra/wait-for-kafka.mjs" "$bootstrap" 90; then
    echo "kafka: did not become ready; last lines of $log and server.log:" >&2
    tail -n 30 "$log" "$home/logs/server.log" >&2 || true
    exit 1
  fi
  echo "kafka: ready at $bootstrap (pid $(cat "$pidfile"))"
}

stop() { stop_recorded "$pidfile" kafka.Kafka; }

case "${1:-}" in
  up)
    stop
    rm -rf "$home/data" "$home/logs"
    fetch_jars
    write_config
    java_cmd kafka.tools.StorageTool format -t "$(java_cmd kafka.tools.StorageTool random-uuid)" -c "$config" > /dev/null
    start
    ;;
  start) start ;;
  stop) stop; echo "kafka: stopped (data kept)" ;;
  down) stop; rm -rf "$home/data" "$home/logs" "$envfile"; echo "kafka: down" ;;
  status) if running; then echo "kafka: running, $(cat "$envfile")"; else echo "kafka: not running"; exit 1; fi ;;
  *) echo "usage: $0 up|down|start|stop|status" >&2; exit 2 ;;
esac
