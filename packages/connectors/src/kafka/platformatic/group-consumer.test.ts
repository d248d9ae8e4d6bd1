import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Consumer, kGetApi, kListApis, type Connection } from '@platformatic/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupConsumer } from './group-consumer.js';

/*
 * GroupConsumer holds JoinGroup at `kGetApi`, an undocumented internal of
 * @platformatic/kafka. These tests need no broker: they say, before any
 * rebalance goes wrong, that an upgrade moved what the hook relies on.
 */
const RECHECK = 'GroupConsumer (group-consumer.ts) relies on it: re-check the hook against this version before moving the pin';

const libraryDir = dirname(dirname(createRequire(import.meta.url).resolve('@platformatic/kafka')));
const installed = (JSON.parse(readFileSync(join(libraryDir, 'package.json'), 'utf8')) as { version: string }).version;
const pinned = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { peerDependencies: Record<string, string> }
).peerDependencies['@platformatic/kafka'];

/** What a request's implementation sends on a connection, as the library's `createAPI` calls it. */
interface Sent {
  apiKey: number;
  createRequest: () => unknown;
  done: (error: Error | null, response?: unknown) => void;
}

/** A connection that records what is sent on it and answers nothing until told. */
function recordingConnection(): Connection & { sent: Sent[] } {
  const sent: Sent[] = [];
  const send = (apiKey: number, _version: number, createRequest: () => unknown, ...rest: unknown[]) =>
    void sent.push({ apiKey, createRequest, done: rest.at(-1) as Sent['done'] });
  return { sent, send } as unknown as Connection & { sent: Sent[] };
}

const JOIN_GROUP = 11;
const HEARTBEAT = 12;

describe('@platformatic/kafka still has what GroupConsumer hooks', () => {
  const open: GroupConsumer[] = [];
  afterEach(async () => {
    for (const consumer of open.splice(0)) await consumer.close(true);
  });

  /** A consumer that knows the JoinGroup and Heartbeat APIs without asking a broker. */
  const consumerWith = (beforeRejoin: ConstructorParameters<typeof GroupConsumer>[1]) => {
    const consumer = new GroupConsumer({ clientId: 'hook-test', bootstrapBrokers: ['127.0.0.1:1'], groupId: 'hook-test' }, beforeRejoin);
    open.push(consumer);
    const apis = [
      { name: 'JoinGroup', minVersion: 0, maxVersion: 9 },
      { name: 'Heartbeat', minVersion: 0, maxVersion: 4 },
    ];
    Object.assign(consumer, { [kListApis]: (callback: (error: null, listed: typeof apis) => void) => callback(null, apis) });
    return consumer;
  };
  const joinGroupApi = (consumer: GroupConsumer) =>
    new Promise<(connection: Connection, ...args: unknown[]) => void>((resolve, reject) =>
      consumer[kGetApi]('JoinGroup', (error, api) => (error ? reject(error) : resolve(api as never))),
    );

  it('the installed version is the pinned one, pinned exactly', () => {
    expect(pinned, 'peerDependencies["@platformatic/kafka"] in packages/connectors/package.json: an exact version, no range').toMatch(
      /^\d+\.\d+\.\d+$/,
    );
    expect(installed, `@platformatic/kafka ${installed} is installed, ${pinned} is pinned. ${RECHECK}`).toBe(pinned);
  });

  it('it exports kGetApi and kListApis, and its consumer fetches JoinGroup and Heartbeat through kGetApi', () => {
    expect(typeof kGetApi, `kGetApi is no longer exported. ${RECHECK}`).toBe('symbol');
    expect(typeof kListApis, `kListApis is no longer exported. ${RECHECK}`).toBe('symbol');
    expect(typeof Consumer.prototype[kGetApi], `Consumer has no [kGetApi] method. ${RECHECK}`).toBe('function');
    const source = Consumer.toString();
    expect(source, `the consumer no longer fetches JoinGroup with this[kGetApi]('JoinGroup', …). ${RECHECK}`).toContain(
      "this[kGetApi]('JoinGroup'",
    );
    expect(source, `the consumer no longer sends Heartbeat with the arguments heartbeatOn sends. ${RECHECK}`).toContain(
      'api(connection, this.groupId, this.generationId, this.memberId, this.groupInstanceId,',
    );
  });

  it('a first JoinGroup goes out at once; one after an assignment waits for beforeRejoin, which can heartbeat meanwhile', async () => {
    let rejoin: (() => void) | undefined;
    const heartbeats: (() => Promise<void>)[] = [];
    const consumer = consumerWith(
      (heartbeat) =>
        new Promise<void>((resolve) => {
          heartbeats.push(heartbeat);
          rejoin = resolve;
        }),
    );
    const join = await joinGroupApi(consumer);
    const connection = recordingConnection();

    join(connection, 'hook-test', 10_000, 10_000, '', null, 'consumer', [], '', () => undefined);
    expect(connection.sent.map((s) => s.apiKey)).toEqual([JOIN_GROUP]);

    consumer.emit('consumer:group:join', { groupId: 'hook-test', memberId: 'm-1', generationId: 3, isLeader: false, assignments: [] });
    Object.assign(consumer, { memberId: 'm-1', generationId: 3 });
    join(connection, 'hook-test', 10_000, 10_000, 'm-1', null, 'consumer', [], '', () => undefined);
    expect(connection.sent.map((s) => s.apiKey)).toEqual([JOIN_GROUP]);
    expect(heartbeats).toHaveLength(1);

    const beat = heartbeats[0]!();
    await expect.poll(() => connection.sent.map((s) => s.apiKey)).toEqual([JOIN_GROUP, HEARTBEAT]);
    // The library's Heartbeat request builds from what heartbeatOn passes (group, generation, member, instance).
    expect(() => connection.sent[1]!.createRequest()).not.toThrow();
    connection.sent[1]!.done(null, {});
    await beat;

    rejoin!();
    await expect.poll(() => connection.sent.map((s) => s.apiKey)).toEqual([JOIN_GROUP, HEARTBEAT, JOIN_GROUP]);
  });
});
