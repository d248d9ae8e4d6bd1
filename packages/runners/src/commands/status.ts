import { fields, setting } from '@sneakpipe/core';
import type { Command } from 'commander';
import { openKafkaClient, type GroupMemberAssignment } from '@sneakpipe/connectors/kafka';
import { groupSettings, kafkaConnection, kafkaSettings } from '../config/kafka-settings.js';
import { formatInt, formatTable } from '../format.js';
import { warehouseSettings } from '../warehouse.js';
import { openWarehouseOps } from '../warehouse-ops/open-warehouse-ops.js';
import type { CommandContext } from './context.js';
import { defineCommand } from './define-command.js';

const settings = {
  ...kafkaSettings,
  ...warehouseSettings,
  ...groupSettings,
  json: setting(fields.bool.default(false), { flag: 'json', description: 'print JSON (for scripts) instead of a table' }),
};

/** One partition as `status` reports it: Kafka's side and the warehouse's side. */
export interface PartitionStatus {
  readonly partition: number;
  /** Kafka's log end offset. */
  readonly endOffset: number;
  /** The group's committed offset in Kafka (null: none). */
  readonly committed: number | null;
  /** Records not yet committed in Kafka: end − committed. */
  readonly lag: number;
  /** The warehouse's stored next offset (null: nothing loaded yet). */
  readonly stored: number | null;
  /** Records not yet in the warehouse: end − stored. */
  readonly warehouseLag: number;
  /** The member that owns the partition now (client id and host), or null when none does. */
  readonly owner: string | null;
  /** When a load last moved the stored position (ISO), or null. */
  readonly lastLoadAt: string | null;
}

const HOUR_MS = 3_600_000;

/** `sneakpipe status`: where every partition of a group stands, in Kafka and in the warehouse. */
export function statusCommand(context: CommandContext): Command {
  return defineCommand(
    {
      name: 'status',
      description:
        "Where a consumer group stands, per partition: the warehouse's stored position, Kafka's committed offset, the log end, lag, the member that owns it and the last load; and dead letters of the last hour by reason. Works beside a running consumer (through it, for a DuckDB file it holds).",
      examples: ['sneakpipe status --group sneakpipe-loader', 'sneakpipe status --json | jq ".partitions[] | select(.lag > 0)"'],
      settings,
    },
    async (config) => {
      const log = context.logger();
      const kafka = await openKafkaClient(config.kafkaClient, kafkaConnection(config), log.child({ component: 'kafka' }));
      const opened = await openWarehouseOps(config);
      try {
        const since = Date.now() - HOUR_MS;
        const [lags, members, stored, deadLetters, warehouse] = await Promise.all([
          kafka.consumerLag(config.group, config.topic),
          kafka.groupMembers(config.group, config.topic),
          opened.ops.positions(config.group, config.topic),
          opened.ops.counts({ since, topic: config.topic }),
          opened.ops.describe(),
        ]);
        const owners = new Map<number, GroupMemberAssignment>();
        for (const m of members) for (const p of m.partitions) owners.set(p, m);
        const positions = new Map(stored.map((s) => [s.partition, s]));
        const partitions: PartitionStatus[] = lags.map((l) => {
          const s = positions.get(l.partition);
          const owner = owners.get(l.partition);
          const committed = l.committed >= 0 ? l.committed : null;
          return {
            partition: l.partition,
            endOffset: l.endOffset,
            committed,
            lag: l.lag,
            stored: s?.nextOffset ?? null,
            warehouseLag: Math.max(0, l.endOffset - (s?.nextOffset ?? 0)),
            owner: owner ? `${owner.clientId}@${owner.host}` : null,
            lastLoadAt: s?.updatedAt ? new Date(s.updatedAt).toISOString() : null,
          };
        });
        const report = {
          group: config.group,
          topic: config.topic,
          warehouse,
          members: members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, host: m.host, owns: m.partitions })),
          partitions,
          totals: { lag: partitions.reduce((n, p) => n + p.lag, 0), warehouseLag: partitions.reduce((n, p) => n + p.warehouseLag, 0) },
          deadLettersLastHour: { total: deadLetters.total, byReason: deadLetters.byReason },
        };
        if (config.json) return context.out(JSON.stringify(report, null, 2));
        context.out(
          `group ${config.group} on ${config.topic}: ${members.length} member(s); lag ${formatInt(report.totals.lag)} in Kafka, ${formatInt(report.totals.warehouseLag)} not yet in ${warehouse}`,
        );
        context.out(
          formatTable(
            ['partition', 'stored', 'committed', 'end', 'lag', 'owner', 'last load'],
            partitions.map((p) => [
              String(p.partition),
              p.stored === null ? '-' : formatInt(p.stored),
              p.committed === null ? '-' : formatInt(p.committed),
              formatInt(p.endOffset),
              formatInt(p.lag),
              p.owner ?? '(none)',
              p.lastLoadAt ?? '-',
            ]),
          ),
        );
        context.out(
          deadLetters.total === 0
            ? 'no dead letters in the last hour'
            : `dead letters in the last hour: ${Object.entries(deadLetters.byReason)
                .map(([r, n]) => `${r} ${formatInt(n)}`)
                .join(', ')}`,
        );
      } finally {
        await opened.close();
      }
    },
  );
}
