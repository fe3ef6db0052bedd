// Sends one prefpipe JSON feedback event per line of standard input to a Kafka topic with kafkajs.
// A line "KEY<TAB>JSON" is keyed by KEY (use the comparison id); a line without a tab is sent unkeyed.
// Usage: node send-feedback.js BOOTSTRAP TOPIC < events.jsonl
const { Kafka, Partitioners, logLevel } = require('kafkajs');
const readline = require('readline');

async function main() {
  const [bootstrap, topic] = process.argv.slice(2);
  if (!bootstrap || !topic) {
    console.error('usage: node send-feedback.js BOOTSTRAP TOPIC < events.jsonl');
    process.exit(2);
  }
  const messages = [];
  for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.length === 0) continue;
    const tab = line.indexOf('\t');
    messages.push(tab < 0 ? { value: line } : { key: line.slice(0, tab), value: line.slice(tab + 1) });
  }
  const kafka = new Kafka({ clientId: 'prefpipe-kafkajs', brokers: bootstrap.split(','), logLevel: logLevel.WARN });
  // idempotent, acks from all in-sync replicas: a retried send neither loses nor doubles an event
  // and keys hashed as the Java client does (murmur2), so a comparison's votes go where Java producers put them
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
  console.log(`sent ${messages.length} messages to ${topic}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
