import type { Gauge } from 'prom-client';

/** One partition's lag, as a Kafka client reports it for a whole group (e.g. `KafkaClient.consumerLag`). */
export interface PartitionLagFigure {
  readonly partition: number;
  readonly lag: number;
}

/**
 * Keeps a lag gauge (labelled `topic` and `partition`) to the
 * partitions this group member owns. Returns the function to call with the
 * member's current partitions and the group's lag, each time the lag is read.
 *
 * Why: the broker reports the lag of the whole group and every member can
 * read it. If each member exported all of it, summing over the scraped
 * members would count every partition once per member (three consumers, three
 * times the lag). So a member sets the series of the partitions it owns and
 * removes the series of those it no longer owns (after a rebalance), which
 * Prometheus then marks stale instead of keeping the last value of a
 * partition another member now reports. Queries still take the max per
 * partition (monitoring/alerts.yml): during a rebalance two members may
 * briefly export the same partition.
 *
 * @example
 * ```ts
 * import { ownedPartitionLag } from '@sneakpipe/core/metrics';
 * import type { KafkaClient, KafkaGroupSource } from '@sneakpipe/connectors/kafka';
 * import { Gauge } from 'prom-client';
 *
 * declare const kafka: KafkaClient;
 * declare const source: KafkaGroupSource; // this member's source: kafka.source({ topic, groupId })
 * const consumerLag = new Gauge({ name: 'consumer_lag', help: 'Records behind, per partition.', labelNames: ['topic', 'partition'] });
 *
 * const exportLag = ownedPartitionLag(consumerLag, source.topic);
 * exportLag(source.partitions, await kafka.consumerLag(source.groupId, source.topic));
 * ```
 */
export function ownedPartitionLag(
  gauge: Gauge<'topic' | 'partition'>,
  topic: string,
): (owned: readonly number[], lags: readonly PartitionLagFigure[]) => void {
  const exported = new Set<number>();
  return (owned, lags) => {
    const mine = new Set(owned);
    const reported = new Set<number>();
    for (const { partition, lag } of lags) {
      if (!mine.has(partition)) continue;
      gauge.labels(topic, String(partition)).set(lag);
      reported.add(partition);
    }
    // Owned but absent from the figures counts as unknown: no stale value is left behind either.
    for (const partition of exported) if (!reported.has(partition)) gauge.remove(topic, String(partition));
    exported.clear();
    for (const partition of reported) exported.add(partition);
  };
}
