import fp from 'fastify-plugin';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    /** This service's Prometheus registry: add business metrics here. */
    metrics: Registry;
  }
}

/** Options of the metrics plugin. */
export interface MetricsOptions {
  /** Value of the `service` label on every series. */
  readonly service: string;
}

/**
 * Prometheus metrics at GET /metrics: request counts and latency per route, plus the
 * process metrics prom-client collects. Each app gets its own Registry so that several
 * apps in one process (as in tests) never clash over the global one.
 */
export const metricsPlugin = fp<MetricsOptions>(
  async (app, options) => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: options.service });
    collectDefaultMetrics({ register: registry });

    const labelNames = ['method', 'route', 'status_code'] as const;
    const requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route and status code.',
      labelNames,
      registers: [registry],
    });
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request to response, by route and status code.',
      labelNames,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });

    app.decorate('metrics', registry);
    app.addHook('onResponse', async (request, reply) => {
      // The route pattern, not the raw URL, keeps label cardinality bounded.
      const route = request.routeOptions.url ?? 'unmatched';
      const labels = { method: request.method, route, status_code: String(reply.statusCode) };
      requests.inc(labels);
      duration.observe(labels, reply.elapsedTime / 1000);
    });

    const schema = {
      summary: 'Prometheus metrics, text exposition format',
      response: {
        200: { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } },
      },
    };
    app.get('/metrics', { logLevel: 'warn', schema }, async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics' },
);
