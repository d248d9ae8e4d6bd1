#!/bin/sh
# KAFKA_* variables -> server.properties (KAFKA_LOG_DIRS -> log.dirs), format the
# log dir on first start (CLUSTER_ID, or a fixed one), then run the broker.
set -eu
conf=/tmp/server.properties
: > "$conf"
env | grep '^KAFKA_' | grep -v '^KAFKA_HEAP_OPTS=' | while IFS='=' read -r name value; do
  echo "$(echo "${name#KAFKA_}" | tr 'A-Z_' 'a-z.')=$value" >> "$conf"
done
grep -q '^log.dirs=' "$conf" || echo "log.dirs=/var/lib/kafka/data" >> "$conf"
cat > /tmp/log4j2.properties <<PROPS
rootLogger.level=INFO
rootLogger.appenderRef.stdout.ref=stdout
appender.stdout.type=Console
appender.stdout.name=stdout
appender.stdout.layout.type=PatternLayout
appender.stdout.layout.pattern=[%d] %p %m (%c)%n
logger.kafka.name=kafka
logger.kafka.level=WARN
logger.apache.name=org.apache.kafka
logger.apache.level=WARN
PROPS
run() { exec_or=$1; shift; $exec_or java ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} -XX:+UseG1GC -Dlog4j2.configurationFile=/tmp/log4j2.properties -cp '/opt/kafka/libs/*' "$@"; }
logdir="$(sed -n 's/^log.dirs=//p' "$conf" | cut -d, -f1)"
if [ ! -f "$logdir/meta.properties" ]; then
  run "" kafka.tools.StorageTool format -t "${CLUSTER_ID:-4L6g3nShT-eMCtK--X86sw}" -c "$conf"
fi
echo "kafka: starting with $(wc -l < "$conf") settings"
run exec kafka.Kafka "$conf"
