import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, SneakpipeError, isRetriable } from '@sneakpipe/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { failureOf } from '@sneakpipe/test-support/failure';
import { freePort } from '@sneakpipe/test-support/ports';
import { WIDTH_TABLES, expectRowWidthRefusals } from '@sneakpipe/test-support/row-width';
import { snowflakeTestConnection, uniqueSchema } from '@sneakpipe/test-support/snowflake';
import { within } from '@sneakpipe/test-support/wait';
import { snowflakeError } from './errors.js';
import { SnowflakeWarehouse } from './snowflake-warehouse.js';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-sf-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/*
 * The emulator (fakesnow) accepts any password and ignores roles and grants, so a wrong password and a
 * missing privilege cannot be produced here; what it does report as Snowflake would is tested: a missing
 * object (002003), SQL it refuses, and the driver's refusal of a key that is not a key. Login codes
 * (390xxx) and privileges (003001) are mapped by code in errors.ts.
 */
describe('Snowflake errors in the error model, from the real driver and the emulator', () => {
  it('a table that does not exist (or that the role may not see): OBJECT_NOT_FOUND, not retriable', async () => {
    const warehouse = await SnowflakeWarehouse.open(snowflakeTestConnection(uniqueSchema('ERRORS')), { tables: [] });
    try {
      const missing = await failureOf<SneakpipeError>(() => warehouse.query('SELECT * FROM RETAIL_LAB.STG.NO_SUCH_TABLE'));
      expect(missing).toBeInstanceOf(SneakpipeError);
      expect([missing.code, isRetriable(missing)]).toEqual(['OBJECT_NOT_FOUND', false]);
      expect(missing.message).toMatch(/^002003 /);
      const refused = await failureOf<SneakpipeError>(() => warehouse.query('SELEC 1'));
      expect([refused.code, isRetriable(refused)]).toEqual(['WAREHOUSE_REJECTED', false]);
    } finally {
      await warehouse.close();
    }
  });

  it('a private key that is not a PEM key, or a key file that is not there: CONFIG_INVALID, not retriable', async () => {
    const { password: _password, ...connection } = snowflakeTestConnection(uniqueSchema('ERRORS'));
    const notAKey = join(dir, 'not-a-key.p8');
    writeFileSync(notAKey, 'this is not a key\n');
    const garbage = await failureOf<SneakpipeError>(() =>
      SnowflakeWarehouse.open({ ...connection, privateKeyPath: notAKey }, { tables: [] }),
    );
    expect(garbage).toBeInstanceOf(ConfigError);
    expect([garbage.code, isRetriable(garbage)]).toEqual(['CONFIG_INVALID', false]);
    expect(garbage.message).toMatch(/private key/i);
    const absent = await failureOf<SneakpipeError>(() =>
      SnowflakeWarehouse.open({ ...connection, privateKeyPath: join(dir, 'absent.p8') }, { tables: [] }),
    );
    expect([absent.code, isRetriable(absent)]).toEqual(['CONFIG_INVALID', false]);
    expect(absent.message).toMatch(/cannot read the Snowflake private key file .*absent\.p8/);
  });

  it('a host where nothing listens: WAREHOUSE_UNAVAILABLE, retriable, at once, and nothing left running', async () => {
    // The driver's pool, left to itself, retried the login silently for ~3.5 minutes and then rejected with a bare
    // Error (code lost); the callers' own retries, which log each attempt, never got a say.
    const unreachable = { ...snowflakeTestConnection(), host: '127.0.0.1', port: await freePort(), protocol: 'http' as const };
    // "At once" is one attempt to connect, counted, not a time: the driver's own retries wait seconds between attempts.
    const connects = vi.spyOn(Socket.prototype, 'connect');
    const attempts = () =>
      connects.mock.calls.filter(([first]) => {
        const options: unknown = Array.isArray(first) ? first[0] : first;
        return typeof options === 'object' && options !== null && Number((options as { port?: unknown }).port) === unreachable.port;
      }).length;
    try {
      const error = await within(
        'opening a warehouse where nothing listens',
        20_000,
        failureOf<SneakpipeError>(() => SnowflakeWarehouse.open(unreachable, { tables: [] })),
        () => `${attempts()} attempts to connect to port ${unreachable.port}`,
      );
      expect([error.code, isRetriable(error)]).toEqual(['WAREHOUSE_UNAVAILABLE', true]);
      expect(error.message).toMatch(/ECONNREFUSED/);
      expect(attempts(), 'attempts to connect').toBe(1);
    } finally {
      connects.mockRestore();
    }
    // A failed open leaves no timer or socket behind: a process whose only work was that open ends by itself.
    const script = `import { SnowflakeWarehouse } from '@sneakpipe/connectors/snowflake';
      await SnowflakeWarehouse.open(${JSON.stringify(unreachable)}, { tables: [] }).catch((e) => console.log(e.code));`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--input-type=module', '-e', script],
        { cwd: new URL('../..', import.meta.url), timeout: 20_000 },
        (e, stdout) => (e ? reject(e) : resolve(stdout)),
      ),
    );
    expect(out.trim()).toBe('WAREHOUSE_UNAVAILABLE');
  }, 30_000);

  it("a network failure as the driver's pool reports it (a bare Error, only the message): WAREHOUSE_UNAVAILABLE, retriable", () => {
    const mapped = snowflakeError(new Error('connect ECONNREFUSED 10.0.0.7:443')) as SneakpipeError;
    expect([mapped.code, isRetriable(mapped)]).toEqual(['WAREHOUSE_UNAVAILABLE', true]);
    expect(snowflakeError(new Error('something else'))).not.toBeInstanceOf(SneakpipeError);
  });

  it('a login the service refuses: AUTH_FAILED with its 390xxx code, not retriable, at once', async () => {
    // The emulator accepts any password: a stand-in server answers the login as Snowflake refuses one
    // (HTTP 200, success false, code 390100). Through the driver's pool the code was lost (a bare Error, retried).
    let logins = 0;
    const server = createServer((incoming, response) => {
      if (incoming.url?.startsWith('/session/v1/login-request')) logins++;
      incoming.resume();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ success: false, code: '390100', message: 'Incorrect username or password was specified.', data: null }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const refusing = {
        account: 'acme',
        username: 'loader',
        password: 'wrong',
        database: 'DB',
        host: '127.0.0.1',
        port,
        protocol: 'http' as const,
      };
      const error = await failureOf<SneakpipeError>(() => SnowflakeWarehouse.open(refusing, { tables: [] }));
      expect([error.code, isRetriable(error)]).toEqual(['AUTH_FAILED', false]);
      expect(error.message).toMatch(/Incorrect username or password/);
      expect(logins, 'logins tried').toBe(1);
    } finally {
      server.close();
    }
  });

  it('a login refused to the pool mid-run (a rotated password): AUTH_FAILED, not retriable', async () => {
    // The real emulator behind a proxy that refuses every login once `rotated` is set, as Snowflake refuses one.
    const emulator = snowflakeTestConnection(uniqueSchema('ERRORS'));
    let rotated = false;
    let logins = 0;
    let refused!: () => void;
    const loginRefused = new Promise<void>((resolve) => (refused = resolve));
    const proxy = createServer((incoming, outgoing) => {
      const login = incoming.url?.startsWith('/session/v1/login-request') ?? false;
      if (login) logins++;
      if (rotated && login) {
        refused();
        incoming.resume();
        outgoing.writeHead(200, { 'content-type': 'application/json' });
        outgoing.end(
          JSON.stringify({ success: false, code: '390100', message: 'Incorrect username or password was specified.', data: null }),
        );
        return;
      }
      const forwarded = request(
        {
          host: String(emulator.host),
          port: Number(emulator.port),
          method: incoming.method!,
          path: incoming.url!,
          headers: incoming.headers,
        },
        (answer) => {
          // Once rotated, answers wait until a login was refused: the query holding the pooled connection cannot end first.
          void (rotated ? loginRefused : Promise.resolve()).then(() => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          });
        },
      );
      forwarded.on('error', () => outgoing.destroy());
      incoming.pipe(forwarded);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const warehouse = await SnowflakeWarehouse.open(
      { ...emulator, host: '127.0.0.1', port: (proxy.address() as AddressInfo).port },
      { tables: [] },
    );
    try {
      expect(await warehouse.query('SELECT 1 AS ONE')).toEqual([{ ONE: 1 }]);
      rotated = true;
      // The pooled connection is busy (its answer held), so the second query needs a new connection: a new login.
      const busy = warehouse.query('SELECT 1 AS HELD');
      busy.catch(() => undefined);
      const error = await failureOf<SneakpipeError>(() => warehouse.query('SELECT 2 AS TWO'));
      expect([error.code, isRetriable(error)]).toEqual(['AUTH_FAILED', false]);
      expect(error.message).toMatch(/Incorrect username or password/);
      expect(await busy).toEqual([{ HELD: 1 }]);
      // Only the pool's failed connections are diagnosed by a login: a closed warehouse's refusal is not one.
      await warehouse.close();
      const before = logins;
      expect((await failureOf<Error>(() => warehouse.query('SELECT 3'))).message).not.toMatch(/Incorrect username/);
      expect(logins).toBe(before);
    } finally {
      await warehouse.close();
      proxy.closeAllConnections();
      proxy.close();
    }
  });

  it('a setting the connector refuses: a ConfigError naming it', async () => {
    const error = await failureOf<SneakpipeError>(() =>
      SnowflakeWarehouse.open({ ...snowflakeTestConnection(), host: 'snowflake.example.com' }, { tables: [] }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe('invalid Snowflake setting protocol: http is only for a local emulator; Snowflake needs https');
  });
});

describe('Snowflake rows of the wrong width', () => {
  it('are refused before anything is sent: WAREHOUSE_REJECTED naming the table and the counts, not retriable', async () => {
    const { events, refs } = WIDTH_TABLES;
    const sent: string[] = [];
    const warehouse = await SnowflakeWarehouse.open(snowflakeTestConnection(uniqueSchema('WIDTH')), {
      tables: [events, refs],
      onStatement: (sql) => sent.push(sql),
    });
    try {
      sent.length = 0;
      await expectRowWidthRefusals([
        // One value short: NAME is nullable, so the array bind would have stored a NULL where the value was missing.
        [
          () => warehouse.append({ tables: [{ table: events, rows: [[1, 'a'], [2]] }] }),
          /^row 1 of a load into EVENTS has 1 values, expected 2 \(N, NAME\)$/,
        ],
        [() => warehouse.insertIfAbsent(refs, [[1, 2]]), /^row 0 of a load into REFS has 2 values, expected 1 \(N\)$/],
      ]);
      expect(sent).toEqual([]);
    } finally {
      await warehouse.close();
    }
  });
});
