import {
  Consumer,
  kGetApi,
  type API,
  type BaseOptions,
  type Callback,
  type Connection,
  type ConsumeBaseOptions,
  type GroupOptions,
} from '@platformatic/kafka';
import { PLATFORMATIC_ASSIGNMENT_PROTOCOL, SHARED_ASSIGNMENT_PROTOCOL } from '../shared/group-protocol.js';
import type { BeforeRejoin } from '../shared/revocation.js';

/** A classic-protocol consumer's options; the assignment protocols are this class's. */
export type GroupConsumerOptions = BaseOptions & { groupId: string } & Omit<GroupOptions, 'groupProtocol' | 'protocols'> &
  ConsumeBaseOptions<Buffer, Buffer, string, string>;

/**
 * A `@platformatic/kafka` consumer fit for groups shared with kafkajs members:
 *
 * - It offers kafkajs's `RoundRobinAssigner` protocol (version 0, the standard
 *   consumer-protocol encoding both libraries read and write) before the
 *   library's own `roundrobin`, so sneakpipe 0.1.0 (kafkajs) members and this
 *   one share a group, and either can be its leader (see group-protocol.ts).
 * - Before it sends JoinGroup it runs `beforeRejoin`, which the source uses
 *   to commit what it handed out before giving up its partitions. The
 *   library rejoins right after a heartbeat says the group is rebalancing and
 *   has no public hook for it (its rejoin calls a private method, and its
 *   diagnostics channels cannot delay a request); `kGetApi`, which the library
 *   exports for clients built on it but does not document, is where each
 *   request's implementation is fetched, so the JoinGroup request is held
 *   there. Being internal, it may change in any release: the library's
 *   version is pinned exactly (package.json) and group-consumer.test.ts fails,
 *   saying what moved, when the installed one no longer works this way. The library stops heartbeating before it
 *   rejoins; `heartbeat` sends one meanwhile, so the coordinator keeps the
 *   member (its session would expire otherwise).
 * - Only the first JoinGroup after this consumer held an assignment is held:
 *   that is when it gives its partitions up. The library's other JoinGroups
 *   go out at once: a fresh consumer's first join (after a reconnect it owns
 *   nothing, and it cannot commit before it is a member, so waiting for the
 *   previous consumer's commits would only stall it for the whole budget),
 *   and the retries of a rejoin (MEMBER_ID_REQUIRED, UNKNOWN_MEMBER_ID, a
 *   rebalance during the join). Holding those made a loop: a pending member
 *   id that does not rejoin within the session timeout is dropped by the
 *   coordinator, so every held retry failed and was held again.
 */
export class GroupConsumer extends Consumer<Buffer, Buffer, string, string> {
  /** This consumer joined a generation and has not given up its assignment since (its next JoinGroup is held). */
  private holdsAssignment = false;

  constructor(
    options: GroupConsumerOptions,
    private readonly beforeRejoin: BeforeRejoin,
  ) {
    super({
      ...options,
      protocols: [
        { name: SHARED_ASSIGNMENT_PROTOCOL, version: 0 },
        { name: PLATFORMATIC_ASSIGNMENT_PROTOCOL, version: 1 },
      ],
    });
    this.on('consumer:group:join', () => {
      this.holdsAssignment = true;
    });
  }

  override [kGetApi]<RequestArguments extends Array<unknown>, ResponseType>(
    name: string,
    callback: Callback<API<RequestArguments, ResponseType>>,
  ): void {
    if (name !== 'JoinGroup') return super[kGetApi](name, callback);
    super[kGetApi]<RequestArguments, ResponseType>(name, (error, api) => {
      if (error || !api) return callback(error, api);
      const held = (connection: Connection, ...args: unknown[]) => {
        const send = () => (api as unknown as (c: Connection, ...a: unknown[]) => void)(connection, ...args);
        if (!this.holdsAssignment) return send();
        this.holdsAssignment = false;
        this.beforeRejoin(() => this.heartbeatOn(connection)).then(send, send);
      };
      callback(null, Object.assign(held, api) as unknown as typeof api);
    });
  }

  /** One Heartbeat request on `connection` (the coordinator's); its error (REBALANCE_IN_PROGRESS, expected) is ignored. */
  private heartbeatOn(connection: Connection): Promise<void> {
    return new Promise((resolve) => {
      if (!this.memberId) return resolve();
      super[kGetApi]<unknown[], unknown>('Heartbeat', (error, api) => {
        if (error || !api) return resolve();
        (api as unknown as (c: Connection, ...a: unknown[]) => void)(
          connection,
          this.groupId,
          this.generationId,
          this.memberId,
          this.groupInstanceId,
          () => resolve(),
        );
      });
    });
  }
}
