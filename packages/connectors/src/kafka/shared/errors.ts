import { SneakpipeError, errorChain, mappingErrors, transientNetworkCode, type ErrorCode } from '@sneakpipe/core';
import type { KafkaErrorKind } from './commit-with-retry.js';

/** The Kafka connector's own error code, next to the mapping that raises it (core knows no driver). */
declare module '@sneakpipe/core' {
  interface ErrorCodes {
    /** A Kafka error type without a more specific code (e.g. `INVALID_REPLICATION_FACTOR`); `retriable` is what the broker says. */
    KAFKA_ERROR: true;
  }
}

/** The fields both client libraries put on their errors, as far as sneakpipe reads them. */
interface DriverError {
  name?: string;
  message?: string;
  /** `@platformatic/kafka`: `PLT_KFK_*`; Node: a system code. */
  code?: unknown;
  /** kafkajs: Kafka's error type, e.g. `ILLEGAL_GENERATION`. */
  type?: string;
  /** `@platformatic/kafka`: Kafka's error type. */
  apiId?: string;
  /** kafkajs's retriability. */
  retriable?: boolean;
  /** `@platformatic/kafka`'s retriability. */
  canRetry?: boolean;
  /** kafkajs: the broker a connection error is about (`host:port`). */
  broker?: string;
  address?: string;
  port?: number;
}

const chainOf = (error: unknown) => errorChain(error) as DriverError[];

/**
 * Kafka's error type (e.g. `ILLEGAL_GENERATION`, `INCONSISTENT_GROUP_PROTOCOL`)
 * and whether it passes, from an error of either client library, looking
 * through their wrappers (kafkajs's `cause`/`originalError`, platformatic's
 * aggregated `errors`). Without a Kafka error type, network failures and
 * timeouts pass (a broker restarting, a leader moving).
 */
export function kafkaErrorKind(error: unknown): KafkaErrorKind {
  const chain = chainOf(error);
  const outer = Boolean(chain[0]?.retriable);
  const typed = chain.find((e) => e.type || e.apiId);
  if (typed) return { type: (typed.type ?? typed.apiId)!, retriable: outer || Boolean(typed.retriable ?? typed.canRetry) };
  const passing = chain.some((e) => e.code === 'PLT_KFK_NETWORK' || e.code === 'PLT_KFK_TIMEOUT');
  return { type: typeof chain[0]?.code === 'string' ? chain[0].code : '', retriable: outer || passing };
}

/** Whether Kafka's error `type` (e.g. `INCONSISTENT_GROUP_PROTOCOL`) is anywhere in `error`, from either client, however wrapped. */
export function hasKafkaErrorType(error: unknown, type: string): boolean {
  return chainOf(error).some((e) => (e.type ?? e.apiId) === type);
}

const AUTH_TYPES = new Set(['SASL_AUTHENTICATION_FAILED', 'ILLEGAL_SASL_STATE', 'UNSUPPORTED_SASL_MECHANISM']);
const CONNECTION_NAMES = new Set(['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSBrokerNotFound']);

/** `host:port` of the broker a connection error is about, when the error says. */
function brokerOf(chain: readonly DriverError[]): string | undefined {
  for (const e of chain) {
    if (e.broker) return e.broker;
    if (e.address && e.port) return `${e.address}:${e.port}`;
  }
  return undefined;
}

/**
 * An error of either Kafka client (kafkajs, `@platformatic/kafka`) as
 * sneakpipe's error model (docs/errors.md), the client's error kept as
 * `cause`:
 *
 * - SASL refused (`SASL_AUTHENTICATION_FAILED`, `ILLEGAL_SASL_STATE`, …) →
 *   `AUTH_FAILED`, retriable: SCRAM credentials created on a running cluster
 *   reach each broker asynchronously, so a client may be refused for a moment;
 *   it keeps trying, one line per attempt naming the cause;
 * - an ACL refusal (`*_AUTHORIZATION_FAILED`) → `NOT_AUTHORIZED`, not retriable;
 * - no broker reachable (refused, reset, unresolvable) → `BROKER_UNREACHABLE`,
 *   retriable, its message `cannot reach broker 127.0.0.1:1 (ECONNREFUSED)`;
 * - a request timeout → `TIMEOUT`, retriable;
 * - any other Kafka error type → `KAFKA_ERROR`, retriable as the broker says.
 *
 * Anything else is returned as it is.
 */
export function kafkaError(error: unknown): unknown {
  if (error instanceof SneakpipeError || !(error instanceof Error)) return error;
  const chain = chainOf(error);
  const kind = kafkaErrorKind(error);
  const make = (code: ErrorCode, message: string, retriable: boolean) => new SneakpipeError(code, message, { retriable, cause: error });
  const types = chain.map((e) => e.type ?? e.apiId ?? '');
  const auth = types.find((t) => AUTH_TYPES.has(t));
  if (auth || chain.some((e) => e.name === 'KafkaJSSASLAuthenticationError' || e.code === 'PLT_KFK_AUTHENTICATION')) {
    return make('AUTH_FAILED', `Kafka refused the SASL authentication (${auth ?? error.message.split('\n', 1)[0]})`, true);
  }
  const denied = types.find((t) => t.endsWith('_AUTHORIZATION_FAILED'));
  if (denied) return make('NOT_AUTHORIZED', `Kafka refused the request: ${denied}`, false);
  const network = transientNetworkCode(error);
  if (network || chain.some((e) => CONNECTION_NAMES.has(e.name ?? '') || e.code === 'PLT_KFK_NETWORK')) {
    const broker = brokerOf(chain);
    return make(
      'BROKER_UNREACHABLE',
      `cannot reach ${broker ? `broker ${broker}` : 'any Kafka broker'} (${network ?? error.message.split('\n', 1)[0]})`,
      true,
    );
  }
  if (chain.some((e) => e.name === 'KafkaJSRequestTimeoutError' || e.code === 'PLT_KFK_TIMEOUT')) {
    return make('TIMEOUT', `Kafka request timed out (${error.message.split('\n', 1)[0]})`, true);
  }
  if (kind.type && types.includes(kind.type))
    return make('KAFKA_ERROR', `Kafka error ${kind.type}: ${error.message.split('\n', 1)[0]}`, kind.retriable);
  return error;
}

/** Runs `work`, rejecting with its error mapped by {@link kafkaError}. */
export function mappingKafkaErrors<T>(work: () => Promise<T>): Promise<T> {
  return mappingErrors(kafkaError, work);
}
