import type { MetricsAccess } from './metrics-access';
import type { PrometheusMetrics } from './prometheus-metrics';

/** What the app needs to count and to serve /metrics. */
export interface AppMetrics {
  metrics: PrometheusMetrics;
  access: MetricsAccess;
}
