import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type pg from 'pg';
import { AllowedMethods } from './allowed-methods.js';
import { createPool, openConnections, type PoolOptions } from './database.js';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './database-outage.js';
import { healthPlugin } from './health.js';
import { metricsPlugin } from './metrics.js';
import { openApiPlugin } from './openapi.js';
import { RequestLogController } from './request-log.js';
import { applyMigrations, migrationNames } from './migrations.js';
import { formatValidationErrors, validatorCompiler } from './validation.js';

/** A Fastify instance as every service of ours has it: TypeBox-typed routes plus the kit. */
export type ServiceApp = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

declare module 'fastify' {
  interface FastifyInstance {
    /** The service's name, as in its logs and metrics. */
    serviceName: string;
    /** The service's own Postgres pool; closed when the app closes. */
    db: pg.Pool;
    /** Applies pending migrations; readiness stays 503 until they are. */
    migrate(): Promise<void>;
    /**
     * Registers start-up work that readies the process for its first burst of work, such as
     * opening connections ahead of it; runService runs it before the service reports ready.
     */
    addWarmUp(name: string, task: () => Promise<void>): void;
    /** Runs every warm-up at once. Best effort: one that fails is logged, and the service starts anyway. */
    warmUp(): Promise<void>;
  }
}

/** What a service tells the kit about itself. */
export interface ServiceOptions {
  /** Service name, used in logs, metrics and pg_stat_activity. */
  readonly name: string;
  /** Connection string of the service's own database. */
  readonly databaseUrl: string;
  /** Folder of the service's SQL migrations. */
  readonly migrationsDir: string;
  /** pino level. @default "info" */
  readonly logLevel?: string;
  /** Pool sizing and timeouts beyond the connection string. @default the kit's defaults */
  readonly pool?: Omit<PoolOptions, 'connectionString'>;
  /** Largest request body accepted, in bytes. @default 65536 */
  readonly bodyLimit?: number;
  /** What the service is, for its OpenAPI document. @default none */
  readonly description?: string;
}

/**
 * Creates a Fastify app with what every service needs: JSON logs through pino with the
 * Authorization header redacted, errors as `{ "error": ... }` with 4xx for anything the
 * client got wrong, a bounded Postgres pool, health and readiness, Prometheus metrics and
 * a `migrate()` for the service's SQL migrations, and its OpenAPI document at /rest/openapi.json.
 * The service then registers its routes.
 */
export async function createService(options: ServiceOptions): Promise<ServiceApp> {
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      base: { service: options.name },
      redact: ['req.headers.authorization'],
    },
    logController: new RequestLogController(),
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    // Accept new requests for none of the shutdown and answer keep-alive clients with 503.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    requestTimeout: 120_000,
    schemaErrorFormatter: formatValidationErrors,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorate('serviceName', options.name);

  // Bodies are checked without coercion ("5" is not an integer); path and query strings are converted.
  app.setValidatorCompiler(validatorCompiler);

  // A path that exists with another method is 405 with the methods it has, not 404, and not the
  // 400 of a parametric route that happened to match (GET /rest/v1/invoices/pay is not invoice "pay").
  const allowedMethods = new AllowedMethods();
  app.addHook('onRoute', (route) => allowedMethods.add(route.method, route.url));
  const methodNotAllowed = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const allowed = allowedMethods.of(request.url);
    if (allowed.length === 0 || allowed.includes(request.method)) return false;
    void reply
      .code(405)
      .header('allow', allowed.join(', '))
      .send({
        error: `${request.method} is not allowed on ${request.url.split('?', 1)[0]}: use ${allowed.join(', ')}`,
      });
    return true;
  };

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validationContext === 'params' && methodNotAllowed(request, reply)) return;
    return errorHandler(error, request, reply);
  });
  app.setNotFoundHandler((request, reply) => {
    if (methodNotAllowed(request, reply)) return;
    void reply.code(404).send({ error: `Route ${request.method} ${request.url} not found` });
  });
  // Every 503 says when to try again, whichever route answered it (a billing run stopped by the
  // database answers its own).
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode === 503 && !reply.hasHeader('retry-after')) {
      void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    }
    done(null, payload);
  });
  // First, so that every route after it is in the OpenAPI document.
  await app.register(openApiPlugin, { title: options.name, description: options.description });

  const pool = createPool(
    { ...options.pool, connectionString: options.databaseUrl, applicationName: options.name },
    app.log,
  );
  app.decorate('db', pool);
  app.addHook('onClose', async () => {
    await pool.end();
  });
  const warmUps = new Map<string, () => Promise<void>>([['database connections', () => openConnections(pool)]]);
  app.decorate('addWarmUp', (name: string, task: () => Promise<void>) => void warmUps.set(name, task));
  app.decorate('warmUp', async () => {
    await Promise.all(
      [...warmUps].map(async ([name, task]) => {
        const started = performance.now();
        try {
          await task();
          app.log.info({ warmUp: name, ms: Math.round(performance.now() - started) }, 'warmed up');
        } catch (err) {
          app.log.warn({ warmUp: name, reason: err instanceof Error ? err.message : String(err) }, 'warm-up failed');
        }
      }),
    );
  });

  const migrations = await migrationNames(options.migrationsDir);
  const latestMigration = migrations.at(-1);
  if (latestMigration === undefined) throw new Error(`No .sql migrations found in ${options.migrationsDir}`);
  app.decorate('migrate', async () => {
    await applyMigrations({ databaseUrl: options.databaseUrl, dir: options.migrationsDir, log: app.log });
  });

  await app.register(healthPlugin, { pool, latestMigration });
  await app.register(metricsPlugin, { service: options.name });
  return app;
}

function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.validation) {
    return reply.code(400).send({ error: error.message });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return reply.code(status).send({ error: error.message });
  }
  // A database that is away is not the service failing: the client may retry, and every route
  // says so the same way, those added later included.
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ reason: error.message, code: error.code }, 'database unavailable');
    return reply
      .code(503)
      .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
      .send({ error: `The database is unavailable right now; retry in ${DATABASE_RETRY_AFTER_SECONDS} s` });
  }
  request.log.error({ err: error }, 'request failed');
  // A deliberate 5xx (503 from fault injection, say) keeps its message; an unexpected one leaks nothing.
  return status > 500
    ? reply.code(status).send({ error: error.message })
    : reply.code(500).send({ error: 'Internal server error' });
}
