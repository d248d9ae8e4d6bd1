import { ConfigError, isRetriable } from '@sneakpipe/core';
import { describe, expect, it } from 'vitest';
import { failureOf } from '@sneakpipe/test-support/failure';
import { openKafkaClient } from '../open-kafka-client.js';
import { KafkaConnectionSchema, parseBrokers, type KafkaConnection } from './config.js';
import { KAFKA_CLIENTS } from './kafka-client.js';

describe('Kafka connection settings', () => {
  it('parses KAFKA_BOOTSTRAP lists', () => {
    expect(parseBrokers(' a:9092, b:9093 ,')).toEqual(['a:9092', 'b:9093']);
  });

  it('accepts plain, TLS and SASL/SCRAM settings', () => {
    expect(KafkaConnectionSchema.parse({ brokers: ['localhost:9092'] })).toMatchObject({ ssl: false, clientId: 'sneakpipe' });
    const scram = KafkaConnectionSchema.parse({
      brokers: ['kafka-1.prod:9093'],
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'loader', password: 's3cret' },
    });
    expect(scram.sasl?.mechanism).toBe('scram-sha-512');
  });

  it('rejects bad brokers, unknown mechanisms, and SASL in clear text to a remote broker — without echoing the password', () => {
    const bad = (input: unknown) => KafkaConnectionSchema.safeParse(input);
    expect(bad({ brokers: ['no-port'] }).error?.issues[0]?.message).toMatch(/HOST:PORT/);
    expect(bad({ brokers: [] }).success).toBe(false);
    expect(bad({ brokers: ['k:1'], sasl: { mechanism: 'gssapi', username: 'u', password: 'p' } }).success).toBe(false);
    const clear = bad({ brokers: ['kafka.example:9092'], sasl: { mechanism: 'plain', username: 'u', password: 'hunter2' } });
    expect(clear.success).toBe(false);
    expect(clear.error?.issues[0]?.message).toMatch(/enable ssl/);
    expect(JSON.stringify(clear.error?.issues)).not.toContain('hunter2');
  });
});

describe.each(KAFKA_CLIENTS)('Kafka settings of the %s client', (client) => {
  it('a bad setting is a ConfigError naming it, not retriable, before anything connects', async () => {
    const cases = [
      [{ brokers: ['no-port'] }, /^invalid Kafka setting brokers\.0: expected HOST:PORT/],
      [{ brokers: ['k:1'], sasl: { mechanism: 'gssapi', username: 'u', password: 'hunter2' } }, /^invalid Kafka setting sasl\.mechanism: /],
      [
        { brokers: ['kafka.example:9092'], sasl: { mechanism: 'plain', username: 'u', password: 'hunter2' } },
        /^invalid Kafka setting ssl: .*enable ssl/,
      ],
      [{ brokers: ['k:1'], sslCaFile: '/no/such/ca.pem' }, /^invalid Kafka setting sslCaFile: cannot read \/no\/such\/ca\.pem/],
    ] as const;
    for (const [settings, message] of cases) {
      // As settings come from JavaScript or a file: what the types would have refused is refused when the client opens.
      const error = await failureOf<ConfigError>(() => openKafkaClient(client, settings as unknown as KafkaConnection));
      expect(error).toBeInstanceOf(ConfigError);
      expect([error.code, isRetriable(error)]).toEqual(['CONFIG_INVALID', false]);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('hunter2');
    }
  });
});
