import { SneakpipeError, backoffDelay, sleep, type ErrorCode } from '@sneakpipe/core';
import type { KeyPairJwt } from './key-pair-jwt.js';

/** Where a channel is: database, schema, pipe and channel name. */
export interface ChannelAddress {
  readonly database: string;
  readonly schema: string;
  readonly pipe: string;
  readonly channel: string;
}

/** A channel as Snowflake reports it (open, bulk status). */
export interface ChannelStatus {
  /** `SUCCESS` (or `ACTIVE`) when the channel can take rows; an `ERR_…` code when it must be reopened. */
  readonly statusCode: string;
  /** The offset token of the last rows committed; `null` before any. */
  readonly committedToken: string | null;
  readonly rowsInserted: number;
  /** Rows the pipe skipped (a value it could not cast, ON_ERROR=CONTINUE); cumulative. */
  readonly rowsErrors: number;
  readonly lastErrorMessage: string | null;
}

/** Options of {@link StreamingApi}. */
export interface StreamingApiOptions {
  /** The account's URL (`https://<account>.snowflakecomputing.com`), or an override (private link, a test server). */
  readonly url: string;
  readonly jwt: KeyPairJwt;
  /** The role the ingest calls act as (`session:role:` in the token's scope); default the user's. */
  readonly role?: string | undefined;
  /** Per request. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Attempts of a request that may be repeated safely (hostname, token, open, status). Default 8. */
  readonly maxAttempts?: number;
}

/**
 * An error answered by the Snowpipe Streaming REST API (or the network on the
 * way), in sneakpipe's model: `apiCode` is Snowflake's stable code
 * (`STALE_CONTINUATION_TOKEN_SEQUENCER`, `ERR_…`), `status` the HTTP status
 * (0: no answer: the request may or may not have been carried out).
 */
export class StreamingApiError extends SneakpipeError {
  override readonly name: string = 'StreamingApiError';
  constructor(
    code: ErrorCode,
    message: string,
    readonly status: number,
    readonly apiCode: string | undefined,
    retriable: boolean,
    cause?: unknown,
  ) {
    super(code, message, { retriable, ...(cause === undefined ? {} : { cause }) });
  }
  /** Another client reopened the channel: this writer's continuation token is stale, it no longer owns it. */
  get fenced(): boolean {
    return this.apiCode === 'STALE_CONTINUATION_TOKEN_SEQUENCER' || this.apiCode === 'ERR_CHANNEL_HAS_INVALID_CLIENT_SEQUENCER';
  }
}

/** The error of an HTTP status and body: `code`, else `error_code`, else a bare JSON string (all seen in the wild). */
export function apiError(status: number, body: string, what: string): StreamingApiError {
  let apiCode: string | undefined;
  let detail = body.slice(0, 300);
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === 'string') apiCode = parsed;
    else if (parsed && typeof parsed === 'object') {
      const p = parsed as { code?: unknown; error_code?: unknown; message?: unknown };
      apiCode =
        typeof p.code === 'string' || typeof p.code === 'number'
          ? String(p.code)
          : typeof p.error_code === 'string'
            ? p.error_code
            : undefined;
      if (typeof p.message === 'string') detail = p.message;
    }
  } catch {
    // not JSON: the text is the detail
  }
  const message = `Snowpipe Streaming: ${what} answered ${status}${apiCode ? ` ${apiCode}` : ''}: ${detail}`;
  const kind: [ErrorCode, boolean] =
    // A channel Snowflake dropped (30 idle days): opening it again makes a new one.
    status === 404 && apiCode === 'ERR_CHANNEL_DOES_NOT_EXIST_OR_IS_NOT_AUTHORIZED'
      ? ['WAREHOUSE_UNAVAILABLE', true]
      : status === 401
        ? ['AUTH_FAILED', false]
        : status === 403
          ? ['NOT_AUTHORIZED', false]
          : status === 404
            ? ['OBJECT_NOT_FOUND', false]
            : status === 408 || status === 429 || status >= 500 || apiCode === 'ERR_OPEN_CHANNEL_IN_PROGRESS'
              ? ['WAREHOUSE_UNAVAILABLE', true]
              : apiCode === 'STALE_CONTINUATION_TOKEN_SEQUENCER'
                ? ['POSITION_CONFLICT', true]
                : ['WAREHOUSE_REJECTED', false];
  return new StreamingApiError(kind[0], message, status, apiCode, kind[1]);
}

interface Ingest {
  readonly base: string;
  readonly token: string;
}

const path = (a: Omit<ChannelAddress, 'channel'>) =>
  `databases/${encodeURIComponent(a.database)}/schemas/${encodeURIComponent(a.schema)}/pipes/${encodeURIComponent(a.pipe)}`;

/**
 * Snowflake's Snowpipe Streaming REST API (high-performance architecture,
 * named channels) over `fetch`: the ingest host and a scoped token are
 * obtained from the account's URL with a key-pair JWT, then refreshed when
 * the token is refused (it expires); channels are opened, appended to and
 * read. Requests that can be repeated safely are retried with backoff when
 * the service is busy or unreachable; an append never is (whether it was
 * carried out is for the caller to find out, see `StreamingWarehouse`).
 */
export class StreamingApi {
  private ingest: Promise<Ingest> | undefined;
  private readonly url: string;

  constructor(private readonly options: StreamingApiOptions) {
    this.url = options.url.replace(/\/+$/, '');
  }

  /** Opens (or reopens: the previous client is fenced, its uncommitted rows dropped) a channel. */
  async open(a: ChannelAddress): Promise<{ continuationToken: string; status: ChannelStatus }> {
    const body = await this.repeatable('open channel', (ingest) =>
      this.call(
        ingest,
        'PUT',
        `/v2/streaming/${path(a)}/channels/${encodeURIComponent(a.channel)}`,
        'open channel',
        { 'content-type': 'application/json' },
        JSON.stringify({ fail_on_uncommitted_rows: false }),
      ),
    );
    const parsed = answer<{ next_continuation_token?: unknown; channel_status?: Record<string, unknown> }>(body, 'open channel');
    return { continuationToken: continuationOf(parsed, body, 'open channel'), status: channelStatus(parsed.channel_status ?? {}) };
  }

  /**
   * Appends NDJSON rows (gzip-compressed) after `continuationToken`, with the
   * offset token the channel commits with them; returns the next
   * continuation token. Not repeated: a failure without an answer
   * (`unanswered`) may have been accepted.
   */
  async append(a: ChannelAddress, continuationToken: string, offsetToken: string, gzipped: Uint8Array): Promise<string> {
    const query = new URLSearchParams({ continuationToken, offsetToken, endOffsetToken: offsetToken });
    const send = (ingest: Ingest) =>
      this.call(
        ingest,
        'POST',
        `/v2/streaming/data/${path(a)}/channels/${encodeURIComponent(a.channel)}/rows?${query}`,
        'append rows',
        { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
        gzipped,
      );
    const body = await this.withToken(send);
    return continuationOf(answer<{ next_continuation_token?: unknown }>(body, 'append rows'), body, 'append rows');
  }

  /** The channels of one pipe, by name; channels that do not exist are absent. */
  async status(pipe: Omit<ChannelAddress, 'channel'>, channels: readonly string[]): Promise<Map<string, ChannelStatus>> {
    if (channels.length === 0) return new Map();
    const body = await this.repeatable('channel status', (ingest) =>
      this.call(
        ingest,
        'POST',
        `/v2/streaming/${path(pipe)}:bulk-channel-status`,
        'channel status',
        { 'content-type': 'application/json' },
        JSON.stringify({ channel_names: channels }),
      ),
    );
    const parsed = answer<{ channel_statuses?: Record<string, Record<string, unknown>> }>(body, 'channel status');
    return new Map(Object.entries(parsed.channel_statuses ?? {}).map(([name, s]) => [name, channelStatus(s)]));
  }

  /** A request that may be repeated: retried with backoff while the service is busy or unreachable. */
  private async repeatable(what: string, send: (ingest: Ingest) => Promise<string>): Promise<string> {
    const attempts = this.options.maxAttempts ?? 8;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.withToken(send);
      } catch (error) {
        if (!(error instanceof StreamingApiError) || !error.retriable || error.fenced || attempt >= attempts) throw error;
        await sleep(backoffDelay(attempt, { initialDelayMs: 200, maxDelayMs: 5_000 }));
      }
    }
  }

  /** Runs `send` with the ingest host and token; a refused token (expired) is replaced once. */
  private async withToken(send: (ingest: Ingest) => Promise<string>): Promise<string> {
    const ingest = await this.ingestHost();
    try {
      return await send(ingest);
    } catch (error) {
      if (!(error instanceof StreamingApiError) || error.status !== 401) throw error;
      this.ingest = undefined;
      return send(await this.ingestHost());
    }
  }

  /** The ingest host and a token scoped to it, obtained once (again after a 401). */
  private ingestHost(): Promise<Ingest> {
    const current = (this.ingest ??= this.signIn());
    current.catch(() => {
      if (this.ingest === current) this.ingest = undefined;
    });
    return current;
  }

  private async signIn(): Promise<Ingest> {
    const jwt = this.options.jwt.sign();
    const auth = { authorization: `Bearer ${jwt}`, 'x-snowflake-authorization-token-type': 'KEYPAIR_JWT' };
    const control: Ingest = { base: this.url, token: jwt };
    const hostText = await this.call(control, 'GET', '/v2/streaming/hostname', 'ingest host lookup', auth);
    // Documented as `{"hostname": …}`; the tutorial and every client read bare text. `_` must become `-`.
    const host = (textOrField(hostText, 'hostname') ?? '').trim().replaceAll('_', '-');
    if (!host) throw apiError(200, hostText, 'ingest host lookup');
    const scope = this.options.role ? `${host} session:role:${this.options.role}` : host;
    const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', scope });
    const tokenText = await this.call(
      control,
      'POST',
      '/oauth/token',
      'token exchange',
      { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      form.toString(),
    );
    const token = textOrField(tokenText, 'token')?.trim();
    if (!token) throw apiError(200, tokenText, 'token exchange');
    return { base: `${new URL(this.url).protocol}//${host}`, token };
  }

  /** One HTTP request; a non-2xx answer or no answer becomes a {@link StreamingApiError}. */
  private async call(
    ingest: Ingest,
    method: string,
    pathAndQuery: string,
    what: string,
    headers: Record<string, string>,
    body?: string | Uint8Array,
  ): Promise<string> {
    let response: Response;
    try {
      response = await fetch(`${ingest.base}${pathAndQuery}`, {
        method,
        headers: { authorization: `Bearer ${ingest.token}`, accept: 'application/json', 'user-agent': 'sneakpipe', ...headers },
        ...(body === undefined ? {} : { body: body as NonNullable<RequestInit['body']> }),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000),
      });
    } catch (error) {
      const reason = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      // Refused, reset, timed out: all passing; whether an append was carried out is unknown (status 0).
      throw new StreamingApiError('WAREHOUSE_UNAVAILABLE', `Snowpipe Streaming: ${what}: no answer (${reason})`, 0, undefined, true, error);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw apiError(response.status, text, what);
    return text;
  }
}

/** A 2xx answer's JSON; anything else is a garbled answer, retried like a lost one. */
function answer<T>(body: string, what: string): T {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed && typeof parsed === 'object') return parsed as T;
  } catch {
    // below
  }
  throw new StreamingApiError(
    'WAREHOUSE_UNAVAILABLE',
    `Snowpipe Streaming: ${what} answered 2xx without JSON: ${body.slice(0, 200)}`,
    200,
    undefined,
    true,
  );
}

function continuationOf(parsed: { next_continuation_token?: unknown }, body: string, what: string): string {
  if (typeof parsed.next_continuation_token === 'string' && parsed.next_continuation_token !== '') return parsed.next_continuation_token;
  throw new StreamingApiError(
    'WAREHOUSE_UNAVAILABLE',
    `Snowpipe Streaming: ${what} answered without a continuation token: ${body.slice(0, 200)}`,
    200,
    undefined,
    true,
  );
}

/** `field` of a JSON object body, or the body itself when it is bare text. */
function textOrField(body: string, field: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === 'string') return parsed;
    if (parsed && typeof parsed === 'object') {
      const value = (parsed as Record<string, unknown>)[field];
      return typeof value === 'string' ? value : undefined;
    }
  } catch {
    // bare text
  }
  return body;
}

function channelStatus(s: Record<string, unknown>): ChannelStatus {
  const token = s.last_committed_offset_token;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    statusCode: typeof s.channel_status_code === 'string' ? s.channel_status_code : 'SUCCESS',
    committedToken: text(token),
    rowsInserted: Number(s.rows_inserted ?? 0),
    // `rows_error_count` on open, `rows_errors` in bulk status.
    rowsErrors: Number(s.rows_error_count ?? s.rows_errors ?? 0),
    lastErrorMessage: text(s.last_error_message),
  };
}
