#!/usr/bin/env node
// Test server for Snowflake's Snowpipe Streaming high-performance REST API (Named Channels):
// appended rows are committed, as Snowflake would, into tables of the Snowflake emulator
// (fakesnow), where tests read them back with SQL.
//
// Started by `infra/snowflake.sh up` (alone, new port and key: `infra/snowflake.sh streaming`),
// which adds to .infra/snowflake.env SNOWFLAKE_STREAMING_URL=http://127.0.0.1:<port> and
// SNOWFLAKE_STREAMING_PRIVATE_KEY_PATH=<abs path of .infra/fakesnow/streaming_key.p8>. By hand:
//   node server.mjs --public-key KEY.pub [--port N|0] [--port-file F] [--commit-delay-ms 200] [--discard-rows]
//                   [--token-ttl-ms 3600000] [--pool-size 2]
// with the emulator's settings in the environment as in .infra/snowflake.env (SNOWFLAKE_ACCOUNT,
// _USER, _PASSWORD, _HOST, _PORT, _PROTOCOL, _ARRAY_BINDING_THRESHOLD). Listens on 127.0.0.1
// only; channels live in memory, so a restart forgets them (as if they had expired).
//
// One listener is both the control host and the ingest host:
//   GET    /v2/streaming/hostname        JWT → {"hostname":"127.0.0.1:<port>"}
//   POST   /oauth/token                  JWT; form grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer
//                                        &scope=127.0.0.1:<port>[ session:role:R] → {"token":…}
//   PUT    /v2/streaming/databases/{db}/schemas/{schema}/pipes/{pipe}/channels/{channel}   open
//   DELETE (same path)                                                                     drop
//   POST   /v2/streaming/data/databases/{db}/schemas/{schema}/pipes/{pipe}/channels/{channel}/rows
//            ?continuationToken=…&offsetToken=… (or &startOffsetToken=…&endOffsetToken=…)  append
//   POST   /v2/streaming/databases/{db}/schemas/{schema}/pipes/{pipe}:bulk-channel-status  status
// JWT: RS256 by the key whose public half is --public-key, iss `<ACCOUNT>.<USER>.SHA256:<base64
// sha256 of its SPKI DER>`, sub `<ACCOUNT>.<USER>` (SNOWFLAKE_ACCOUNT/_USER upper-cased, here
// EMULATOR.EMULATOR), iat ≤ now+60 s, exp > now, exp − iat ≤ 3600. The other calls take the scoped
// token (status also the JWT, as Redpanda reports of Snowflake) and an Accept naming
// application/json or */*. Pipes: the default pipe `<TABLE>-STREAMING` of any emulator table
// (db/schema/pipe case-insensitive, channel names case-sensitive). Errors: {"code","message"}.
//
// Admin, for tests (no auth). POST /__faults, any of (applied in this order; unknown keys refused):
//   {"reset": true}  no faults; start-up delay, TTL and formats
//   {"fail": {"status": 429|503|500|408|404|…, "count": 1, "on": "append"|"open"|"drop"|"status"|
//            "token"|"hostname"|"any", "channel"?: name, "code"?: …}}  (or a list): the next
//      `count` matching requests answer that status and do nothing (code ERR_TOO_MANY_REQUESTS
//      for 429, ERR_GENERAL_EXCEPTION_RETRY_REQUEST for 5xx, …)
//   {"dropResponses": N | {"count": N, "channel"?: name}}  the next N successful appends are
//      queued for commit, then the socket is destroyed instead of answering
//   {"tokenTtlMs": N}  scoped tokens issued from now on expire after N ms
//   {"commitDelayMs": N, "channel"?: name}  accept-to-commit delay, for all channels or one
//   {"invalidate": {"channel": name, "code"?: "ERR_CHANNEL_MUST_BE_REOPENED"}}  status shows the
//      code; appends get 409; nothing commits until a reopen
//   {"hostnameFormat"|"tokenFormat": "json"|"text"}, {"errorBody": "code"|"error_code"|"string"}
// Faults are global to the process: tests running in parallel should filter by channel.
// GET /__state → {settings, channels: [{database, schema, pipe, table, channel, id,
//   clientSequencer, rowSequencer, statusCode, committedOffsetToken, pendingBatches, pendingRows,
//   committing, rowsInserted, rowsParsed, rowsErrorCount, lastError…, lastInfraError}], counters:
//   {requests: {"append 200": n, "append dropped": n, …}, appendsDropped, bytesReceived,
//   bytesUncompressed, batchesAccepted, batchesCommitted, batchesDiscarded, rowsDiscarded, …}}
//
// Against /work/snowpipe-brief.md §7 (sources: [REST] …/snowpipe-streaming-high-performance-rest-api,
// [TUT] …/snowpipe-streaming-high-performance-rest-tutorial, [CHAN] …/snowpipe-streaming-channels,
// [ERR] …/snowpipe-streaming-high-performance-error-handling, [LIM] …/snowpipe-streaming-high-
// performance-limitations, [PIPE] …/snowpipe-streaming-pipe-object, all under
// https://docs.snowflake.com/en/user-guide/snowpipe-streaming/; [JWT] https://docs.snowflake.com/
// en/release-notes/bcr-bundles/2025_06/bcr-2077 and …/en/developer-guide/sql-api/authenticating):
//  1 hostname [REST, TUT]: yes, JSON or bare text. No `_` in the host to test the `_`→`-` rewrite.
//  2 token exchange [REST, JWT]: yes; the token is JWT-shaped with a readable `exp` (JSON or bare
//    text); a `session:role:R` scope suffix is accepted and ignored.
//  3 scoped token [ERR]: yes, 401 bad/expired, short TTLs; no roles, so a 403 only if injected.
//  4 Accept → 391902 (a third-party report): yes.
//  5 objects [PIPE]: default pipes of the emulator's tables (its INFORMATION_SCHEMA); missing →
//    404. No cap of 2,000 channels per pipe.
//  6 open [REST, CHAN]: yes: create, or bump the client sequencer and discard uncommitted batches;
//    fail_on_uncommitted_rows → 409. A commit already running finishes before the open answers,
//    and nothing discarded lands later. Concurrent opens: each waits, the last wins (no
//    ERR_OPEN_CHANNEL_IN_PROGRESS).
//  7 append [REST, LIM]: yes: sequencer checks, offsetToken or start/endOffsetToken (the batch's
//    token is endOffsetToken ?? offsetToken), gzip/zstd, 4 MB on the wire, strict NDJSON, a new
//    continuation token per accepted append; a refused one hands out none (retry with the same).
//  8 asynchronous in-order commit [TUT]: yes, commitDelayMs after the accept (Snowflake: 5–10 s).
//    "Never commits": a huge delay; "crash before the commit": kill the process.
//  9 no dedupe [CHAN; snowflake-ingest-java#644]: yes.
// 10 row errors, ON_ERROR=CONTINUE [ERR, LIM]: failed casts and NULL into NOT NULL skip the row
//    and count (rows_error_count, last_error_*). Unknown fields are dropped. Schema evolution
//    (adding columns) is NOT emulated, nor the invalid channel its user errors cause.
// 11 MATCH_BY_COLUMN_NAME, case-insensitive [PIPE]: yes. A column absent from a row gets NULL,
//    DEFAULT columns included (the previous docs' limitation; the current docs evaluate DEFAULTs
//    at pipe compile time: either way a client sends load times itself).
// 12 bulk status [REST]: yes, rows_errors and rows_error_count; counters survive reopens.
// 13 drop [REST]: yes, with the 409; a later open starts afresh, old continuation tokens stale.
// 14 invalid channel states [ERR]: injected (`invalidate`); appends 409, the SDK docs' status.
// 15 throttling, transient faults [LIM, ERR]: injected (`fail`, `dropResponses`); no automatic
//    429 on a request or byte rate.
// 16 channel expiry [CHAN]: no.  17 error body variants: yes (`errorBody`).
// 18 extras: no billable-bytes meter (bytesReceived/bytesUncompressed only), no x-snowflake-session.
// Guessed, undocumented: 400 for STALE_CONTINUATION_TOKEN_SEQUENCER (third parties see 400) and
// ERR_CHANNEL_HAS_INVALID_ROW_SEQUENCER/_CLIENT_SEQUENCER and ERR_INVALID_CONTINUATION_TOKEN; 413
// ERR_REQUEST_TOO_LARGE; 400 ERR_INVALID_NDJSON (an empty body too: no zero-row batches); 415 for
// another Content-Type/-Encoding; 406 for Accept; 401 INVALID_JWT, ERR_AUTHENTICATION_INVALID/
// _EXPIRED; 400 for a bad grant or scope; 503 ERR_GENERAL_EXCEPTION_RETRY_REQUEST when the emulator
// is unreachable; 409 for appends to an invalid channel; an open's offset_token overwrites the
// committed token; last_error_timestamp in ISO 8601; channel_status_code SUCCESS ([ERR]; [REST]
// shows ACTIVE). Values: VARIANT/OBJECT/ARRAY columns take the JSON value (numbers digit for
// digit); TIMESTAMP columns text, or epoch s/ms/µs/ns by magnitude as TO_TIMESTAMP reads them;
// BINARY base64 ([PIPE]); others the value's text, cast by the emulator. The emulator is DuckDB,
// which enforces a PRIMARY KEY (Snowflake does not).
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';

const string = (d) => ({ type: 'string', ...(d === undefined ? {} : { default: d }) });
const { values: opt } = parseArgs({ options: { port: string('0'), 'port-file': string(), 'public-key': string(), 'commit-delay-ms': string('200'), 'token-ttl-ms': string('3600000'), 'pool-size': string('2'), 'discard-rows': { type: 'boolean', default: false } } });
if (!opt['public-key']) { console.error('usage: node server.mjs --public-key KEY.pub [--port N] [--port-file F] [--commit-delay-ms N] [--token-ttl-ms N] [--pool-size N]'); process.exit(2); }
const env = process.env;
const MAX_APPEND_BYTES = 4 * 1024 * 1024; // [LIM]: measured on the wire, after compression
const READ_CAP = 64 * 1024 * 1024; // what is kept of any body: beyond it only the length counts
// The account as in the JWT: a locator's region dropped (`xy12345.us-east-1` → XY12345), upper-cased.
const ACCOUNT = (env.SNOWFLAKE_ACCOUNT ?? '').split('.')[0].toUpperCase();
const USER = (env.SNOWFLAKE_USER ?? '').toUpperCase();
const publicKey = crypto.createPublicKey(fs.readFileSync(opt['public-key']));
const FINGERPRINT = `SHA256:${crypto.createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64')}`;
const defaults = { commitDelayMs: Number(opt['commit-delay-ms']), tokenTtlMs: Number(opt['token-ttl-ms']) };
let ingestHost = ''; // 127.0.0.1:<port>, once listening

// ---------- faults and counters ----------
const freshFaults = () => ({ fail: [], drop: [], channelDelays: new Map(), ...defaults, hostnameFormat: 'json', tokenFormat: 'json', errorBody: 'code' });
let faults = freshFaults();
const counters = {
  requests: {}, appendsDropped: 0, bytesReceived: 0, bytesUncompressed: 0, batchesAccepted: 0,
  batchesCommitted: 0, batchesDiscarded: 0, rowsDiscarded: 0, commitRetries: 0, faultsInjected: 0,
};
const FAULT_CODES = { 429: 'ERR_TOO_MANY_REQUESTS', 408: 'ERR_REQUEST_TIMEOUT', 404: 'ERR_NO_ROUTE', 403: 'ERR_NOT_AUTHORIZED', 401: 'ERR_AUTHENTICATION_EXPIRED', 409: 'ERR_OPEN_CHANNEL_IN_PROGRESS' };

class ApiError extends Error { constructor(status, code, message) { super(message); Object.assign(this, { status, code }); } }
const pipeMissing = (what) => new ApiError(404, 'ERR_PIPE_DOES_NOT_EXIST_OR_NOT_AUTHORIZED', `Pipe ${what} does not exist or not authorized.`);
const channelMissing = (name) => new ApiError(404, 'ERR_CHANNEL_DOES_NOT_EXIST_OR_IS_NOT_AUTHORIZED', `Channel ${name} does not exist or is not authorized.`);
const retryLater = (err) => new ApiError(503, 'ERR_GENERAL_EXCEPTION_RETRY_REQUEST', `the emulator is unavailable: ${err.message}`);

// ---------- HTTP ----------
function send(res, status, body, raw = false) {
  const key = `${res.endpoint} ${status}`;
  counters.requests[key] = (counters.requests[key] ?? 0) + 1;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(raw ? String(body) : JSON.stringify(body));
}
function sendError(res, { status, code, message }) {
  const style = faults.errorBody;
  send(res, status, style === 'string' ? code : style === 'error_code' ? { error_code: code, message } : { code, message });
}

/** The request's body, whole up to READ_CAP; `length` counts every byte received. */
async function readBody(req) {
  const chunks = [];
  let length = 0;
  for await (const c of req) { length += c.length; if (length <= READ_CAP) chunks.push(c); }
  return { buf: Buffer.concat(chunks), length };
}

/** Which endpoint a request is for, with the URL's names decoded (segment by segment: a name may hold %2F). */
function routeOf(method, pathname) {
  if (pathname === '/v2/streaming/hostname' && method === 'GET') return { endpoint: 'hostname' };
  if (pathname === '/oauth/token' && method === 'POST') return { endpoint: 'token' };
  if ((pathname === '/__faults' && method === 'POST') || (pathname === '/__state' && method === 'GET')) return { endpoint: 'admin' };
  let s = pathname.split('/').slice(1).map((x) => { try { return decodeURIComponent(x); } catch { return x; } });
  if (s[0] !== 'v2' || s[1] !== 'streaming') return { endpoint: 'unknown' };
  const data = s[2] === 'data';
  s = s.slice(data ? 3 : 2);
  if (s[0] !== 'databases' || s[2] !== 'schemas' || s[4] !== 'pipes' || s.length < 6) return { endpoint: 'unknown' };
  const names = { db: s[1], schema: s[3], pipe: s[5] };
  const STATUS = ':bulk-channel-status';
  if (!data && s.length === 6 && method === 'POST' && names.pipe.endsWith(STATUS)) return { endpoint: 'status', ...names, pipe: names.pipe.slice(0, -STATUS.length) };
  if (s[6] !== 'channels') return { endpoint: 'unknown' };
  const channel = s[7];
  if (!data && s.length === 8 && method === 'PUT') return { endpoint: 'open', ...names, channel };
  if (!data && s.length === 8 && method === 'DELETE') return { endpoint: 'drop', ...names, channel };
  if (data && s.length === 9 && s[8] === 'rows' && method === 'POST') return { endpoint: 'append', ...names, channel };
  return { endpoint: 'unknown' };
}

const server = http.createServer((req, res) => {
  res.endpoint = 'unknown';
  handle(req, res).catch((err) => {
    if (!(err instanceof ApiError)) console.error(new Date().toISOString(), 'internal error:', err);
    if (!res.headersSent && !res.destroyed) sendError(res, err instanceof ApiError ? err : new ApiError(500, 'ERR_INTERNAL', String(err?.message ?? err)));
  });
});

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const route = routeOf(req.method, url.pathname);
  res.endpoint = route.endpoint;
  const body = await readBody(req);
  counters.bytesReceived += body.length;
  if (route.endpoint === 'admin') return req.method === 'GET' ? send(res, 200, state()) : send(res, 200, applyFaults(jsonBody(body)));
  if (route.endpoint === 'unknown') throw new ApiError(404, 'ERR_NOT_FOUND', `no such endpoint: ${req.method} ${url.pathname}`);
  const statusBody = route.endpoint === 'status' ? jsonBody(body) : undefined;
  const injected = takeFault(route.endpoint, statusBody ? [statusBody.channel_names ?? []].flat() : [route.channel]);
  if (injected) return sendError(res, injected);
  if (route.endpoint === 'hostname') {
    verifyJwt(bearer(req));
    return faults.hostnameFormat === 'text' ? send(res, 200, ingestHost, true) : send(res, 200, { hostname: ingestHost });
  }
  if (route.endpoint === 'token') return exchangeToken(req, res, body);
  checkScopedToken(bearer(req), route.endpoint === 'status');
  const accept = req.headers.accept;
  if (!accept || !/application\/json|\*\/\*|application\/\*/i.test(accept)) throw new ApiError(406, '391902', `Unsupported Accept header ${accept ?? 'null'} is specified`);
  if (route.endpoint === 'open') return openChannel(res, route, jsonBody(body));
  if (route.endpoint === 'drop') return dropChannel(res, route, jsonBody(body));
  if (route.endpoint === 'status') return bulkStatus(res, route, statusBody);
  return append(req, res, route, url.searchParams, body);
}

function jsonBody({ buf }) {
  if (buf.length === 0) return {};
  let v;
  try { v = JSON.parse(buf.toString('utf8')); } catch (err) { throw new ApiError(400, 'ERR_INVALID_REQUEST_BODY', `the body is not JSON: ${err.message}`); }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ApiError(400, 'ERR_INVALID_REQUEST_BODY', 'the body must be a JSON object');
  return v;
}

function takeFault(endpoint, channelNames) {
  const f = faults.fail.find((x) => x.count > 0 && (x.on === 'any' || x.on === endpoint) && (x.channel === undefined || channelNames.includes(x.channel)));
  if (!f) return undefined;
  f.count--, counters.faultsInjected++;
  return { status: f.status, code: f.code ?? FAULT_CODES[f.status] ?? (f.status >= 500 ? 'ERR_GENERAL_EXCEPTION_RETRY_REQUEST' : 'ERR_INJECTED'), message: `injected fault (${f.status})` };
}

// ---------- authentication ----------
const tokens = new Map(); // scoped token → expiry (ms)

function bearer(req) {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m) throw new ApiError(401, 'ERR_AUTHENTICATION_INVALID', 'expected Authorization: Bearer <token>');
  return m[1];
}

/** Checks a key-pair JWT as Snowflake does ([JWT]); any failure is a 401 saying which check failed. */
function verifyJwt(jwt) {
  const bad = (why) => new ApiError(401, 'INVALID_JWT', `JWT rejected: ${why}`);
  const parts = jwt.split('.');
  if (parts.length !== 3) throw bad('not three dot-separated parts');
  let header, claims;
  try { header = JSON.parse(Buffer.from(parts[0], 'base64url')); claims = JSON.parse(Buffer.from(parts[1], 'base64url')); } catch { throw bad('header or claims not base64url JSON'); }
  if (header?.alg !== 'RS256') throw bad(`alg ${header?.alg}, expected RS256`);
  const expected = `${ACCOUNT}.${USER}`;
  if (claims.iss !== `${expected}.${FINGERPRINT}`) throw bad(`iss ${JSON.stringify(claims.iss)}, expected ${expected}.${FINGERPRINT}`);
  if (claims.sub !== expected) throw bad(`sub ${JSON.stringify(claims.sub)}, expected ${expected}`);
  if (!crypto.verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, Buffer.from(parts[2], 'base64url'))) throw bad('signature does not verify against the trusted public key');
  const now = Date.now() / 1000;
  if (!Number.isFinite(claims.iat) || !Number.isFinite(claims.exp)) throw bad('iat and exp must be numbers');
  if (claims.iat > now + 60) throw bad('iat is in the future');
  if (claims.exp <= now) throw bad('expired');
  if (claims.exp - claims.iat > 3600) throw bad('exp − iat exceeds 3600 s');
  return claims;
}

function exchangeToken(req, res, body) {
  const claims = verifyJwt(bearer(req));
  const form = new URLSearchParams(body.buf.toString('utf8'));
  if (!/^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) throw new ApiError(400, 'INVALID_REQUEST', 'expected Content-Type: application/x-www-form-urlencoded');
  if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') throw new ApiError(400, 'INVALID_GRANT', `grant_type ${form.get('grant_type')}, expected urn:ietf:params:oauth:grant-type:jwt-bearer`);
  const scope = (form.get('scope') ?? '').trim().split(/\s+/);
  const hosts = [ingestHost, ingestHost.replace('127.0.0.1', 'localhost')];
  if (!hosts.includes(scope[0]) || !scope.slice(1).every((s) => s.startsWith('session:role:'))) throw new ApiError(400, 'INVALID_SCOPE', `scope ${JSON.stringify(form.get('scope'))}, expected the ingest host ${ingestHost} [session:role:R]`);
  const now = Date.now();
  const expiresAt = now + faults.tokenTtlMs;
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  // JWT-shaped so a client may read `exp`; only this process can check it (the third part is random).
  const token = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: 'snowpipe-streaming-test-server', sub: claims.sub, scope: scope.join(' '), iat: Math.floor(now / 1000), exp: Math.ceil(expiresAt / 1000) })}.${crypto.randomBytes(24).toString('base64url')}`;
  tokens.set(token, expiresAt);
  for (const [t, exp] of tokens) if (exp < now - 3_600_000) tokens.delete(t);
  return faults.tokenFormat === 'text' ? send(res, 200, token, true) : send(res, 200, { token });
}

function checkScopedToken(token, jwtAllowed) {
  const expiresAt = tokens.get(token);
  if (expiresAt === undefined) {
    if (jwtAllowed && token.split('.').length === 3) { try { verifyJwt(token); return; } catch {} }
    throw new ApiError(401, 'ERR_AUTHENTICATION_INVALID', 'unknown scoped token: get one from /oauth/token');
  }
  if (expiresAt <= Date.now()) throw new ApiError(401, 'ERR_AUTHENTICATION_EXPIRED', 'the scoped token expired: get a new one from /oauth/token');
}

// ---------- the emulator: connections, tables ----------
const quote = (name) => `"${String(name).replaceAll('"', '""')}"`;
const isSqlError = (err) => Boolean(err?.sqlState) || err?.code === 401002 || err?.code === '401002'; // 401002: the emulator's HTTP 500 for a failed statement
let sdk;

/** A few emulator sessions: each commit (or table lookup) holds one for its duration. */
class Pool {
  constructor(size) { this.idle = Array.from({ length: size }, (_, index) => ({ index, conn: null, staged: new Set() })); this.waiting = []; }
  async use(fn) {
    const slot = this.idle.pop() ?? (await new Promise((resolve) => this.waiting.push(resolve)));
    try {
      if (!slot.conn) { slot.staged.clear(); slot.conn = await connect(); }
      return await fn(slot);
    } catch (err) {
      if (!isSqlError(err)) { slot.conn?.destroy(() => {}); slot.conn = null; } // a broken session: a new one next time
      throw err;
    } finally {
      const next = this.waiting.shift();
      if (next) next(slot); else this.idle.push(slot);
    }
  }
}
const pool = new Pool(Math.max(1, Number(opt['pool-size'])));

async function connect() {
  if (!sdk) {
    env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    sdk = createRequire(new URL('../../packages/connectors/package.json', import.meta.url))('snowflake-sdk');
    sdk.configure({ logLevel: 'OFF', additionalLogToConsole: false });
  }
  const conn = sdk.createConnection({
    account: env.SNOWFLAKE_ACCOUNT, username: env.SNOWFLAKE_USER, password: env.SNOWFLAKE_PASSWORD ?? 'x',
    accessUrl: `${env.SNOWFLAKE_PROTOCOL ?? 'http'}://${env.SNOWFLAKE_HOST ?? '127.0.0.1'}:${env.SNOWFLAKE_PORT}`,
    database: env.SNOWFLAKE_DATABASE ?? 'RETAIL_LAB', schema: env.SNOWFLAKE_SCHEMA ?? 'STG',
    // Array binds inline: the emulator has no stage to upload large binds to.
    arrayBindingThreshold: Number(env.SNOWFLAKE_ARRAY_BINDING_THRESHOLD ?? 1e9),
    sfRetryMaxLoginRetries: 0, application: 'snowpipe-streaming-test-server',
  });
  await new Promise((ok, no) => conn.connect((err) => (err ? no(err) : ok())));
  return conn;
}

function run(slot, sqlText, binds) {
  return new Promise((resolve, reject) => slot.conn.execute({
    sqlText, ...(binds?.length ? { binds } : {}),
    complete: (err, _stmt, rows) => (err ? reject(err) : resolve(rows ?? [])),
  }));
}

const tables = new Map(); // "DB\0SCHEMA\0TABLE" (upper-cased) → the table as the emulator has it

/** A table's columns from the emulator (names matched case-insensitively, an exact match preferred), or null. */
async function loadTable(db, schema, table) {
  const key = [db, schema, table].map((x) => x.toUpperCase()).join('\0');
  let rows;
  try {
    rows = await pool.use((slot) => run(slot, `SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE, IS_NULLABLE FROM ${quote(db.toUpperCase())}.INFORMATION_SCHEMA.COLUMNS WHERE UPPER(TABLE_SCHEMA) = ? AND UPPER(TABLE_NAME) = ? ORDER BY ORDINAL_POSITION`, [schema.toUpperCase(), table.toUpperCase()]));
  } catch (err) {
    if (isSqlError(err)) { tables.delete(key); return null; } // e.g. no such database
    throw retryLater(err);
  }
  const exact = rows.filter((r) => r.TABLE_SCHEMA === schema && r.TABLE_NAME === table);
  const first = rows[0];
  const mine = exact.length ? exact : rows.filter((r) => r.TABLE_SCHEMA === first?.TABLE_SCHEMA && r.TABLE_NAME === first?.TABLE_NAME);
  if (!mine.length) { tables.delete(key); return null; }
  const columns = mine.map((r) => ({ name: r.COLUMN_NAME, type: String(r.DATA_TYPE).toUpperCase(), precision: r.NUMERIC_PRECISION, scale: r.NUMERIC_SCALE, nullable: r.IS_NULLABLE !== 'NO' }));
  const t = { key, database: db.toUpperCase(), schema: mine[0].TABLE_SCHEMA, name: mine[0].TABLE_NAME, columns, byUpper: new Map(columns.map((c, i) => [c.name.toUpperCase(), i])) };
  tables.set(key, t);
  return t;
}

async function resolvePipe({ db, schema, pipe }) {
  const m = /^(.+)-STREAMING$/i.exec(pipe);
  if (!m) throw pipeMissing(pipe); // only default pipes exist here
  const t = await loadTable(db, schema, m[1]);
  if (!t) throw pipeMissing(`${db}.${schema}.${pipe}`);
  return t;
}

// ---------- channels ----------
const channels = new Map(); // "DB\0SCHEMA\0PIPE" (upper-cased) + "\0" + channel name → channel
let nextChannelId = 1;
const pipeKey = (r) => [r.db, r.schema, r.pipe].map((x) => x.toUpperCase()).join('\0');
const channelKey = (r) => `${pipeKey(r)}\0${r.channel}`;
const continuationToken = (ch) => Buffer.from(JSON.stringify({ ch: ch.id, c: ch.clientSeq, r: ch.rowSeq })).toString('base64url');

function channelStatus(ch) {
  return {
    database_name: ch.table.database, schema_name: ch.table.schema, pipe_name: `${ch.table.name}-STREAMING`, channel_name: ch.name,
    channel_status_code: ch.statusCode, last_committed_offset_token: ch.committedToken, created_on_ms: ch.createdOnMs,
    rows_inserted: ch.rowsInserted, rows_parsed: ch.rowsParsed, rows_error_count: ch.rowsErrors,
    last_error_offset_upper_bound: ch.lastError?.offset ?? null, last_error_message: ch.lastError?.message ?? null, last_error_timestamp: ch.lastError?.at ?? null,
    snowflake_avg_processing_latency_ms: ch.latencyCount ? Math.round(ch.latencyTotal / ch.latencyCount) : 0,
  };
}

/**
 * Lets the commit in progress (if any) finish and keeps new ones from starting:
 * what an open or drop then discards can never land afterwards. Call `release` after.
 */
async function quiesce(ch) {
  ch.fences++;
  while (ch.inflight) await ch.inflight;
}
function release(ch) { ch.fences--; kick(ch); }

function discardPending(ch) {
  counters.batchesDiscarded += ch.pending.length;
  counters.rowsDiscarded += ch.pending.reduce((n, b) => n + b.rows.length, 0);
  ch.pending = [];
}

async function openChannel(res, route, body) {
  const table = await resolvePipe(route);
  const key = channelKey(route);
  for (;;) {
    let ch = channels.get(key);
    if (!ch) {
      ch = {
        id: nextChannelId++, key, name: route.channel, table, clientSeq: 0, rowSeq: 0, pending: [], inflight: null, fences: 0, pumping: false,
        statusCode: 'SUCCESS', committedToken: null, createdOnMs: Date.now(), rowsInserted: 0, rowsParsed: 0, rowsErrors: 0,
        lastError: null, latencyTotal: 0, latencyCount: 0, lastInfraError: null,
      };
      channels.set(key, ch);
    } else {
      await quiesce(ch);
      try {
        if (channels.get(key) !== ch) continue; // dropped meanwhile: open creates it afresh
        if (body.fail_on_uncommitted_rows === true && ch.pending.length > 0) throw new ApiError(409, 'ERR_CHANNEL_HAS_UNCOMMITTED_DATA', `Channel ${ch.name} has uncommitted data.`);
        discardPending(ch); // [CHAN]: a reopen discards what was not committed
        ch.clientSeq++;
        ch.rowSeq = 0;
        ch.statusCode = 'SUCCESS';
        ch.table = table;
      } finally { release(ch); }
    }
    if (typeof body.offset_token === 'string') ch.committedToken = body.offset_token;
    return send(res, 200, { next_continuation_token: continuationToken(ch), channel_status: channelStatus(ch) });
  }
}

async function dropChannel(res, route, body) {
  const ch = channels.get(channelKey(route));
  if (!ch) throw channelMissing(route.channel);
  await quiesce(ch);
  try {
    if (channels.get(ch.key) !== ch) throw channelMissing(route.channel);
    if (body.fail_on_uncommitted_rows === true && ch.pending.length > 0) throw new ApiError(409, 'ERR_CHANNEL_HAS_UNCOMMITTED_DATA', `Channel ${ch.name} has uncommitted data.`);
    discardPending(ch);
    channels.delete(ch.key);
  } finally { release(ch); }
  return send(res, 200, {});
}

async function bulkStatus(res, route, body) {
  const names = body.channel_names;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw new ApiError(400, 'ERR_INVALID_REQUEST_BODY', 'expected {"channel_names": [string, …]}');
  const prefix = `${pipeKey(route)}\0`;
  const known = [...channels.keys()].some((k) => k.startsWith(prefix));
  if (!known) await resolvePipe(route); // a 404 for a pipe that does not exist
  const channel_statuses = {};
  for (const name of names) {
    const ch = channels.get(prefix + name);
    if (ch) channel_statuses[name] = { ...channelStatus(ch), rows_errors: ch.rowsErrors };
  }
  return send(res, 200, { channel_statuses });
}

function append(req, res, route, params, body) {
  const ch = channels.get(channelKey(route));
  if (!ch) throw channelMissing(route.channel);
  let tok;
  try { tok = JSON.parse(Buffer.from(params.get('continuationToken') ?? '', 'base64url')); } catch {}
  if (!Number.isInteger(tok?.ch) || !Number.isInteger(tok?.c) || !Number.isInteger(tok?.r)) throw new ApiError(400, 'ERR_INVALID_CONTINUATION_TOKEN', 'missing or malformed continuationToken');
  if (tok.ch !== ch.id || tok.c < ch.clientSeq) throw new ApiError(400, 'STALE_CONTINUATION_TOKEN_SEQUENCER', 'Channel sequencer in the continuation token is stale. Please reopen the channel');
  if (tok.c > ch.clientSeq) throw new ApiError(400, 'ERR_CHANNEL_HAS_INVALID_CLIENT_SEQUENCER', 'Channel has an invalid client sequencer.');
  if (tok.r !== ch.rowSeq) throw new ApiError(400, 'ERR_CHANNEL_HAS_INVALID_ROW_SEQUENCER', `Channel has an invalid row sequencer: the token carries ${tok.r}, the channel expects ${ch.rowSeq}. Please reopen the channel`);
  if (ch.statusCode !== 'SUCCESS') throw new ApiError(409, ch.statusCode, `Channel ${ch.name} is invalid (${ch.statusCode}). Please reopen the channel`);
  if (body.length > MAX_APPEND_BYTES) throw new ApiError(413, 'ERR_REQUEST_TOO_LARGE', `The request body is ${body.length} bytes; the limit is ${MAX_APPEND_BYTES} bytes as sent (after compression).`);
  if (!/^application\/x-ndjson\s*(;|$)/i.test(req.headers['content-type'] ?? '')) throw new ApiError(415, 'ERR_UNSUPPORTED_CONTENT_TYPE', `Content-Type ${req.headers['content-type']}, expected application/x-ndjson`);
  const rows = parseNdjson(decode(body.buf, (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase()));
  const token = params.get('endOffsetToken') ?? params.get('offsetToken');
  ch.pending.push({ rows, token, acceptedAt: Date.now(), attempts: 0 });
  ch.rowSeq++;
  counters.batchesAccepted++;
  kick(ch);
  const drop = faults.drop.find((d) => d.count > 0 && (d.channel === undefined || d.channel === ch.name));
  if (drop) { // accepted, yet the client never hears so: the ambiguous outcome
    drop.count--;
    counters.appendsDropped++;
    counters.requests['append dropped'] = (counters.requests['append dropped'] ?? 0) + 1;
    return res.socket.destroy();
  }
  return send(res, 200, { next_continuation_token: continuationToken(ch) });
}

function decode(buf, encoding) {
  const inflate = { identity: (b) => b, gzip: (b) => zlib.gunzipSync(b, { maxOutputLength: 1 << 30 }), zstd: zlib.zstdDecompressSync }[encoding];
  if (!inflate) throw new ApiError(415, 'ERR_UNSUPPORTED_CONTENT_ENCODING', `Content-Encoding ${encoding} is not supported (gzip, zstd)`);
  let out;
  try { out = inflate(buf); } catch (err) { throw new ApiError(400, 'ERR_INVALID_COMPRESSED_BODY', `cannot decompress the ${encoding} body: ${err.message}`); }
  counters.bytesUncompressed += out.length;
  return out;
}

/** Strict NDJSON ([REST]): UTF-8, one JSON object per line, each ending in \n (\r\n allowed). Numbers keep their digits. */
function parseNdjson(buf) {
  const bad = (why) => new ApiError(400, 'ERR_INVALID_NDJSON', `The rows are not valid NDJSON: ${why}`);
  let text;
  try { text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf); } catch { throw bad('not UTF-8'); }
  if (text.length === 0) throw bad('the body is empty');
  if (!text.endsWith('\n')) throw bad('the last row does not end with \\n');
  const keepDigits = (_k, v, ctx) => (typeof v === 'number' ? JSON.rawJSON(ctx.source) : v);
  return text.slice(0, -1).split('\n').map((line, i) => {
    let v;
    try { v = JSON.parse(line.endsWith('\r') ? line.slice(0, -1) : line, keepDigits); } catch (err) { throw bad(`line ${i + 1}: ${err.message}`); }
    if (v === null || typeof v !== 'object' || Array.isArray(v) || JSON.isRawJSON(v)) throw bad(`line ${i + 1} is not a JSON object`);
    return v;
  });
}

// ---------- commits ----------
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const delayOf = (ch) => faults.channelDelays.get(ch.name) ?? faults.commitDelayMs;

/** Starts the channel's commit loop unless it runs. One loop per channel: its batches commit in append order. */
function kick(ch) {
  if (ch.pumping || ch.pending.length === 0) return;
  ch.pumping = true;
  pump(ch).catch((err) => console.error(new Date().toISOString(), 'commit loop:', err));
}

async function pump(ch) {
  try {
    while (channels.get(ch.key) === ch) {
      const batch = ch.pending[0];
      // An open or drop waiting (fences), or an invalid channel: start nothing; they kick again after.
      if (!batch || ch.fences > 0 || ch.statusCode !== 'SUCCESS') return;
      const wait = batch.acceptedAt + delayOf(ch) - Date.now();
      if (wait > 0) { await sleep(Math.min(wait, 50)); continue; } // short naps: commitDelayMs may change meanwhile
      // Always resolves (a surprise counts as a failed attempt), so an open waiting on it cannot wedge.
      ch.inflight = commit(ch, batch).catch((err) => infraFailure(ch, batch, err));
      const done = await ch.inflight;
      ch.inflight = null;
      if (done) ch.pending.shift(); // nothing discards while a commit runs (quiesce), so it is still the head
      else { counters.commitRetries++; await sleep(500); }
    }
  } finally { ch.pumping = false; } // runs synchronously at return: a kick right after starts a new loop
}

const kindOf = (type) => (/^(VARIANT|OBJECT|ARRAY)$/.test(type) ? 'json' : /^TIMESTAMP/.test(type) ? 'timestamp' : type === 'BINARY' ? 'binary' : 'scalar');

/** The SELECT expression turning staged text into the column's type. */
function castOf(col, ref) {
  const t = col.type;
  if (/^(TEXT|VARCHAR|STRING|CHAR|CHARACTER)$/.test(t)) return ref;
  if (kindOf(t) === 'json') return `PARSE_JSON(${ref})`;
  if (/^TIMESTAMP_(NTZ|LTZ|TZ)$/.test(t)) return `TO_${t}(${ref})`;
  if (t === 'BINARY') return `TO_BINARY(${ref}, 'BASE64')`;
  if (t === 'NUMBER' && col.precision != null) return `CAST(${ref} AS NUMBER(${Number(col.precision)},${Number(col.scale ?? 0)}))`;
  return /^[A-Z_ ]+$/.test(t) ? `CAST(${ref} AS ${t})` : ref;
}

/** Epoch seconds, ms, µs or ns (by magnitude, as Snowflake's TO_TIMESTAMP reads an integer) as timestamp text. */
function epochText(source) {
  const n = Number(source);
  const a = Math.abs(n);
  const ms = a < 31536e6 ? n * 1e3 : a < 31536e9 ? n : a < 31536e12 ? n / 1e3 : n / 1e6;
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) throw new Error(`Timestamp '${source}' is not recognized`);
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** A row value as the text staged for its column (null for SQL NULL). */
function toText(v, col) {
  if (v === null) return null;
  const kind = kindOf(col.type);
  if (kind === 'json') return JSON.stringify(v);
  const raw = JSON.isRawJSON(v) ? v.rawJSON : typeof v === 'string' ? v : typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return kind === 'timestamp' && /^-?\d+(\.\d+)?$/.test(raw) ? epochText(raw) : raw;
}

/**
 * Inserts one batch into its table: its rows staged as text in a session's
 * temporary table (array binds), then moved by one INSERT … SELECT with the
 * casts, so the batch lands whole or not at all. If that fails, the rows go one
 * by one and those that fail are counted (ON_ERROR=CONTINUE). Resolves true once
 * done, false when the emulator could not be reached (the batch is retried).
 */
async function commit(ch, batch) {
  const t0 = ch.table;
  const errors = [];
  let table = tables.get(t0.key);
  try {
    const fields = new Set(batch.rows.flatMap((r) => Object.keys(r).map((k) => k.toUpperCase())));
    // A field with no column may name one added since (schema evolution): look again once.
    if (!table || [...fields].some((f) => !table.byUpper.has(f))) table = await loadTable(t0.database, t0.schema, t0.name);
  } catch (err) { return infraFailure(ch, batch, err); }
  const good = [];
  batch.rows.forEach((row) => {
    if (!table) return errors.push(`Table ${t0.database}.${t0.schema}.${t0.name} does not exist or not authorized.`);
    const values = new Array(table.columns.length).fill(null);
    const seen = new Set();
    try {
      for (const [k, v] of Object.entries(row)) {
        const i = table.byUpper.get(k.toUpperCase());
        if (i === undefined) continue; // no such column: dropped, as MATCH_BY_COLUMN_NAME does
        if (seen.has(i)) throw new Error(`Fields match column ${table.columns[i].name} more than once`);
        seen.add(i);
        values[i] = toText(v, table.columns[i]);
      }
    } catch (err) { return errors.push(err.message); }
    const missing = table.columns.find((c, i) => !c.nullable && values[i] === null);
    // Checked here: the emulator answers a NOT NULL violation with an HTTP 500, not a SQL error.
    if (missing) return errors.push(`NULL result in a non-nullable column ${missing.name}`);
    good.push(values);
  });
  let inserted = 0;
  // --discard-rows: rows are parsed and checked, tokens commit, nothing is inserted (benchmarks of the client alone).
  if (good.length && opt['discard-rows']) inserted = good.length;
  else if (good.length) {
    try {
      inserted = await pool.use(async (slot) => {
        const n = table.columns.length;
        const stage = quote(`SPS_STAGE_${process.pid}_${slot.index}_${n}`);
        if (!slot.staged.has(n)) {
          await run(slot, `CREATE TEMPORARY TABLE IF NOT EXISTS ${stage} ("__ROW" NUMBER, ${table.columns.map((_, i) => `"C${i}" VARCHAR`).join(', ')})`);
          slot.staged.add(n);
        }
        await run(slot, `TRUNCATE TABLE ${stage}`);
        await run(slot, `INSERT INTO ${stage} VALUES (?${', ?'.repeat(n)})`, good.map((v, i) => [i, ...v]));
        const insert = `INSERT INTO ${quote(table.database)}.${quote(table.schema)}.${quote(table.name)} (${table.columns.map((c) => quote(c.name)).join(', ')}) SELECT ${table.columns.map((c, i) => castOf(c, `s."C${i}"`)).join(', ')} FROM ${stage} s`;
        try {
          await run(slot, `${insert} ORDER BY s."__ROW"`);
          return good.length;
        } catch (err) {
          if (!isSqlError(err)) throw err;
          let ok = 0;
          for (let i = 0; i < good.length; i++) {
            try { await run(slot, `${insert} WHERE s."__ROW" = ${i}`); ok++; } catch (e) { errors.push(e.message); }
          }
          return ok;
        }
      });
    } catch (err) {
      if (++batch.attempts < 5) return infraFailure(ch, batch, err);
      errors.push(...good.map(() => err.message)); // a batch that never goes in: its rows are errors, not a wedge
    }
  }
  ch.rowsParsed += batch.rows.length;
  ch.rowsInserted += inserted;
  ch.rowsErrors += errors.length;
  if (errors.length) ch.lastError = { offset: batch.token, message: errors[0], at: new Date().toISOString() };
  if (batch.token !== null) ch.committedToken = batch.token;
  ch.latencyTotal += Date.now() - batch.acceptedAt;
  ch.latencyCount++;
  ch.lastInfraError = null;
  counters.batchesCommitted++;
  return true;
}

function infraFailure(ch, batch, err) {
  ch.lastInfraError = `${new Date().toISOString()} ${err?.message ?? err}`;
  console.error(ch.lastInfraError, `: the commit of ${ch.name} (attempt ${batch.attempts}) will be retried`);
  return false;
}

// ---------- admin ----------
const ON = new Set(['append', 'open', 'drop', 'status', 'token', 'hostname', 'any']);
const FORMATS = { hostnameFormat: ['json', 'text'], tokenFormat: ['json', 'text'], errorBody: ['code', 'error_code', 'string'] };

function applyFaults(b) {
  const bad = (why) => new ApiError(400, 'ERR_INVALID_FAULT', why);
  const unknown = Object.keys(b).filter((k) => !['reset', 'fail', 'dropResponses', 'tokenTtlMs', 'commitDelayMs', 'channel', 'invalidate', ...Object.keys(FORMATS)].includes(k));
  if (unknown.length) throw bad(`unknown keys: ${unknown.join(', ')}`);
  const count = (n) => { if (!Number.isInteger(n ?? 1) || (n ?? 1) < 0) throw bad('count must be a non-negative integer'); return n ?? 1; };
  const ms = (n) => { if (!Number.isFinite(n) || n < 0) throw bad('a delay or TTL must be a non-negative number'); return n; };
  if (b.reset) {
    faults = freshFaults();
    for (const ch of channels.values()) { ch.statusCode = 'SUCCESS'; kick(ch); }
  }
  for (const f of b.fail === undefined ? [] : [b.fail].flat()) {
    if (!Number.isInteger(f?.status) || f.status < 400 || f.status > 599) throw bad('fail.status must be an HTTP error status');
    if (!ON.has(f.on ?? 'any')) throw bad(`fail.on must be one of ${[...ON].join(', ')}`);
    faults.fail.push({ status: f.status, count: count(f.count), on: f.on ?? 'any', channel: f.channel, code: f.code });
  }
  if (b.dropResponses !== undefined) {
    const d = typeof b.dropResponses === 'number' ? { count: b.dropResponses } : b.dropResponses;
    faults.drop.push({ count: count(d?.count), channel: d?.channel });
  }
  if (b.tokenTtlMs !== undefined) faults.tokenTtlMs = ms(b.tokenTtlMs);
  if (b.commitDelayMs !== undefined && b.channel !== undefined) faults.channelDelays.set(b.channel, ms(b.commitDelayMs));
  else if (b.commitDelayMs !== undefined) faults.commitDelayMs = ms(b.commitDelayMs);
  if (b.invalidate !== undefined) {
    if (typeof b.invalidate?.channel !== 'string') throw bad('invalidate.channel must be a channel name');
    for (const ch of channels.values()) if (ch.name === b.invalidate.channel) ch.statusCode = b.invalidate.code ?? 'ERR_CHANNEL_MUST_BE_REOPENED';
  }
  for (const [k, allowed] of Object.entries(FORMATS)) {
    if (b[k] === undefined) continue;
    if (!allowed.includes(b[k])) throw bad(`${k} must be one of ${allowed.join(', ')}`);
    faults[k] = b[k];
  }
  faults.fail = faults.fail.filter((f) => f.count > 0);
  faults.drop = faults.drop.filter((d) => d.count > 0);
  return { faults: state().settings };
}

function state() {
  return {
    settings: {
      ingestHost, account: ACCOUNT, user: USER, fingerprint: FINGERPRINT, commitDelayMs: faults.commitDelayMs,
      channelCommitDelayMs: Object.fromEntries(faults.channelDelays), tokenTtlMs: faults.tokenTtlMs,
      hostnameFormat: faults.hostnameFormat, tokenFormat: faults.tokenFormat, errorBody: faults.errorBody,
      fail: faults.fail.filter((f) => f.count > 0), dropResponses: faults.drop.filter((d) => d.count > 0),
    },
    channels: [...channels.values()].map((ch) => ({
      database: ch.table.database, schema: ch.table.schema, pipe: `${ch.table.name}-STREAMING`, table: ch.table.name,
      channel: ch.name, id: ch.id, clientSequencer: ch.clientSeq, rowSequencer: ch.rowSeq, statusCode: ch.statusCode,
      committedOffsetToken: ch.committedToken, pendingBatches: ch.pending.length,
      pendingRows: ch.pending.reduce((n, b) => n + b.rows.length, 0), committing: ch.inflight !== null,
      rowsInserted: ch.rowsInserted, rowsParsed: ch.rowsParsed, rowsErrorCount: ch.rowsErrors,
      lastErrorMessage: ch.lastError?.message ?? null, lastErrorOffsetUpperBound: ch.lastError?.offset ?? null,
      lastErrorTimestamp: ch.lastError?.at ?? null, lastInfraError: ch.lastInfraError,
    })),
    counters,
  };
}

// ---------- start and stop ----------
server.listen(Number(opt.port), '127.0.0.1', () => {
  ingestHost = `127.0.0.1:${server.address().port}`;
  if (opt['port-file']) fs.writeFileSync(opt['port-file'], `${server.address().port}\n`);
  console.log(new Date().toISOString(), `snowpipe-streaming test server on http://${ingestHost} (JWT: ${ACCOUNT}.${USER}.${FINGERPRINT}; emulator ${env.SNOWFLAKE_HOST}:${env.SNOWFLAKE_PORT})`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    for (const slot of pool.idle) slot.conn?.destroy(() => {});
    setTimeout(() => process.exit(0), 200).unref();
  });
}
