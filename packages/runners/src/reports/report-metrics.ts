import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { DailyReport, WeeklyReport } from '@sneakpipe/sneakers';

/**
 * The latest report KPIs as Prometheus gauges, served by `sneakpipe schedule`.
 * Grafana already reads Prometheus, so business KPIs reach it with no other
 * datasource or plugin, and their history is kept by Prometheus.
 */
export class ReportMetrics {
  readonly registry: Registry;
  private readonly gauges: Record<string, Gauge<'report'>>;
  private readonly failures: Counter<'report'>;

  /** `registry`: add the gauges to another process's registry (e.g. the consumer's) instead of a new one with the default metrics. */
  constructor(registry?: Registry) {
    this.registry = registry ?? new Registry();
    if (!registry) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    const gauge = (name: string, help: string) => new Gauge({ name, help, labelNames: ['report'], registers });
    this.gauges = {
      orders: gauge('sneaker_report_orders', 'Orders created in the latest report period.'),
      revenue: gauge('sneaker_report_revenue_euros', 'Revenue of the latest report period, EUR.'),
      aov: gauge('sneaker_report_average_order_value_euros', 'Average order value of the latest report period, EUR.'),
      cancellation: gauge('sneaker_report_cancellation_rate', 'Cancellations / orders in the latest report period.'),
      returns: gauge('sneaker_report_return_rate', 'Returns / orders in the latest report period.'),
      repeat: gauge('sneaker_report_repeat_customer_rate', 'Share of the week’s customers who ordered more than once (weekly).'),
      success: gauge('sneaker_report_last_success_timestamp_seconds', 'When the latest report of this kind was written.'),
    };
    this.failures = new Counter({
      name: 'sneaker_report_failures_total',
      help: 'Report runs that failed.',
      labelNames: ['report'],
      registers,
    });
  }

  observe(report: DailyReport | WeeklyReport): void {
    const { kind, kpis } = report;
    const g = this.gauges;
    g.orders!.labels(kind).set(kpis.orders);
    g.revenue!.labels(kind).set(kpis.revenue);
    g.aov!.labels(kind).set(kpis.averageOrderValue ?? 0);
    g.cancellation!.labels(kind).set(kpis.cancellationRate ?? 0);
    g.returns!.labels(kind).set(kpis.returnRate ?? 0);
    if (report.kind === 'weekly') g.repeat!.labels(kind).set(report.repeatCustomerRate ?? 0);
    g.success!.labels(kind).set(Date.parse(report.generatedAt) / 1000);
  }

  failed(kind: string): void {
    this.failures.labels(kind).inc();
  }
}
