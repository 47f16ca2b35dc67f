import { readdir } from 'node:fs/promises';
import { runner } from 'node-pg-migrate';
import type { FastifyBaseLogger } from 'fastify';

/** The part of a logger migrations write to. */
export type MigrationLog = Pick<FastifyBaseLogger, 'debug' | 'info' | 'warn' | 'error'>;

/** Where a service keeps its versioned SQL migrations and which database they go to. */
export interface MigrationOptions {
  /** Connection string of the service's own database. */
  readonly databaseUrl: string;
  /** Folder of `NNNN_name.sql` files, each with `-- Up Migration` (and optionally `-- Down Migration`). */
  readonly dir: string;
  /** Where progress is logged. */
  readonly log: MigrationLog;
}

/**
 * Applies every pending migration. Replicas starting together are safe: node-pg-migrate
 * holds a Postgres advisory lock, and with `advisoryLockMode: "wait"` the others queue on
 * it and then find nothing left to do. Each file runs in its own transaction.
 */
export async function applyMigrations(options: MigrationOptions): Promise<string[]> {
  const applied = await runner({
    databaseUrl: options.databaseUrl,
    dir: options.dir,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    advisoryLockMode: 'wait',
    checkOrder: true,
    logger: {
      debug: (msg: string) => options.log.debug(msg),
      info: (msg: string) => options.log.debug(msg),
      warn: (msg: string) => options.log.warn(msg),
      // A failed run throws, and the caller logs that once; node-pg-migrate's own copy is noise.
      error: (msg: string) => options.log.debug(msg),
    },
  });
  const names = applied.map((migration) => migration.name);
  if (names.length > 0) options.log.info({ migrations: names }, 'migrations applied');
  return names;
}

/** The names of the migrations in a folder, in the order they apply. */
export async function migrationNames(dir: string): Promise<string[]> {
  const files = await readdir(dir);
  return files
    .filter((file) => file.endsWith('.sql'))
    .map((file) => file.slice(0, -'.sql'.length))
    .sort();
}
