import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { quoteIdent, withAdmin } from './local-postgres.js';
import './global-setup.js';

/**
 * Creates a fresh, empty database on the run's shared Postgres and drops it after the
 * calling test file, so test files never see each other's rows. Call it at module level
 * or in beforeAll.
 */
export async function createTestDatabase(label = 'test'): Promise<string> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  afterAll(async () => {
    await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The shared server's superuser URL, for tests that need to create or inspect databases. */
export function adminDatabaseUrl(): string {
  return inject('postgresAdminUrl');
}
