import fp from 'fastify-plugin';
import type { FastifyReply } from 'fastify';
import type pg from 'pg';
import Type from 'typebox';
import { responses } from './openapi.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** True once shutdown began: readiness fails so that load balancers stop sending. */
    isShuttingDown: boolean;
    /** True while start-up work after migrations (seeding, say) runs: readiness fails meanwhile. */
    isStartingUp: boolean;
  }
}

/** Options of the health plugin. */
export interface HealthOptions {
  /** The service's pool; readiness asks it. */
  readonly pool: pg.Pool;
  /** The newest migration's name; ready only once it is recorded as applied. */
  readonly latestMigration: string;
  /** How long readiness waits for the database before answering 503. @default 2000 */
  readonly timeoutMs?: number;
}

/**
 * GET /rest/health answers while the process lives (liveness: restart me if not).
 * GET /rest/ready answers 200 only when the database answers, the newest migration is
 * applied and the start-up work is done, and 503 once shutdown starts (readiness: route traffic to me or not).
 */
export const healthPlugin = fp<HealthOptions>(
  async (app, options) => {
    const timeoutMs = options.timeoutMs ?? 2_000;
    app.decorate('isShuttingDown', false);
    app.decorate('isStartingUp', false);
    app.addHook('preClose', async () => {
      app.isShuttingDown = true;
    });
    // Keep-alive clients would otherwise hold their idle sockets open and stall the close.
    app.addHook('onSend', async (_request, reply) => {
      if (app.isShuttingDown) void reply.header('connection', 'close');
    });

    // The answers are JSON strings ("ok"), as Antaeus clients expect; Fastify would send a bare string as text.
    const json = (reply: FastifyReply, value: string) =>
      reply.type('application/json; charset=utf-8').send(JSON.stringify(value));

    const healthSchema = {
      summary: 'Liveness: answers while the process lives',
      response: responses({ 200: Type.Literal('ok') }),
    };
    app.get('/rest/health', { logLevel: 'warn', schema: healthSchema }, async (_request, reply) => json(reply, 'ok'));

    const readySchema = {
      summary: 'Readiness: the database answers, migrations are applied, start-up work is done',
      response: responses({ 200: Type.Literal('ready') }, 503),
    };
    app.get('/rest/ready', { logLevel: 'warn', schema: readySchema }, async (_request, reply) => {
      if (app.isShuttingDown) return reply.code(503).send({ error: 'shutting down' });
      if (app.isStartingUp) return reply.code(503).send({ error: 'start-up work (seeding, say) not finished yet' });
      try {
        const result = await withTimeout(
          options.pool.query('SELECT 1 FROM pgmigrations WHERE name = $1', [options.latestMigration]),
          timeoutMs,
        );
        if (result.rowCount === 0) {
          return reply.code(503).send({ error: `migration ${options.latestMigration} not applied yet` });
        }
        return json(reply, 'ready');
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        // Before the first migration run the table itself is missing: same answer, not ready.
        return reply.code(503).send({ error: `database not ready: ${reason}` });
      }
    });
  },
  { name: 'health' },
);

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
