import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';

/** How a service's connection pool is sized and bounded. */
export interface PoolOptions {
  /** Connection string, e.g. postgres://user:pass@host:5432/db. */
  readonly connectionString: string;
  /** Name shown in pg_stat_activity, so a DBA can tell services apart. @default "service" */
  readonly applicationName?: string;
  /** Connections per process; replicas multiply this. @default 10 */
  readonly max?: number;
  /** Longest a single statement may run before Postgres cancels it. @default 15000 */
  readonly statementTimeoutMs?: number;
  /** Longest to wait for a free connection or a new one. @default 5000 */
  readonly connectionTimeoutMs?: number;
  /** A transaction left open and idle this long is ended by the server. @default 60000 */
  readonly idleInTransactionTimeoutMs?: number;
}

/**
 * A pg Pool with limits: every statement and every wait for a connection is bounded, so a
 * stuck database shows up as errors and failing readiness, never as requests that hang.
 */
export function createPool(options: PoolOptions, log: FastifyBaseLogger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    application_name: options.applicationName ?? 'service',
    max: options.max ?? 10,
    // Connections opened are kept (see openConnections): a billing run or a burst of requests
    // that comes after a quiet spell finds them open instead of paying for new ones mid-work.
    min: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 60_000,
    keepAlive: true,
  });
  // An idle client whose server went away emits here; without a listener the process dies.
  // pg-pool hangs the whole Client on the error (err.client): logging `err` would dump it.
  pool.on('error', (err: Error & { code?: string }) =>
    log.warn({ reason: err.message, code: err.code }, 'idle database connection lost'),
  );
  return pool;
}

/**
 * Opens every connection the pool may hold, at once, and returns them to it. pg opens them
 * lazily, so without this the first burst of work after start pays for each new connection
 * (and its server process) while it waits for it.
 */
export async function openConnections(pool: pg.Pool): Promise<void> {
  const clients = await Promise.all(Array.from({ length: pool.options.max }, () => pool.connect()));
  for (const client of clients) client.release();
}

/** Runs `work` in one transaction: committed if it returns, rolled back if it throws. */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw err;
  } finally {
    // A connection that cannot even roll back is not handed to the next caller.
    client.release(broken);
  }
}
