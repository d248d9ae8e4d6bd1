// Waits until a Kafka broker answers metadata requests and can host a consumer
// group. Usage: node wait-for-kafka.mjs HOST:PORT [seconds]
import { Kafka, logLevel } from 'kafkajs';

const [bootstrap, seconds = '60'] = process.argv.slice(2);
const deadline = Date.now() + Number(seconds) * 1000;
const kafka = new Kafka({ clientId: 'sneakpipe-wait', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });

while (Date.now() < deadline) {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    await admin.disconnect();
    process.exit(0);
  } catch {
    await admin.disconnect().catch(() => {});
    await new Promise((r) => setTimeout(r, 500));
  }
}
process.exit(1);
