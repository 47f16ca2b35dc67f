import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { quoteIdent, withAdmin } from './local-postgres.js';
import { ManagedProcess } from './process.js';
import './global-setup.js';

const databases: string[] = [];
const cleanups: (() => Promise<void>)[] = [];

/**
 * Creates a fresh, empty database on the run's shared Postgres; it is dropped after the
 * calling test file, so test files never see each other's rows. Callable anywhere, beforeAll
 * included (a hook registered inside a hook would never run, so cleanup is registered here).
 */
export async function createTestDatabase(label = 'test'): Promise<string> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  databases.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `cleanup` after the calling test file, before its databases are dropped. */
export function afterFile(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

/** The shared server's superuser URL, for tests that need to create or inspect databases. */
export function adminDatabaseUrl(): string {
  return inject('postgresAdminUrl');
}

// Registered when a test file first imports this module (the setup file does, for every file):
// the file's own cleanups, then any process it left running, then its databases.
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await Promise.all([...ManagedProcess.running].map((leftover) => leftover.stop('SIGKILL')));
  const adminUrl = inject('postgresAdminUrl');
  for (const name of databases.splice(0)) {
    await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
  }
});
