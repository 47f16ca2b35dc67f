import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { LocalPostgres } from './local-postgres.js';

const PREFIX = 'billing-test-';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the Postgres server shared by the whole test run. */
    postgresAdminUrl: string;
  }
}

/**
 * Vitest global setup: one Postgres server for the whole run (each test file then makes its
 * own database on it), in a temporary folder removed at the end. A run killed before its
 * teardown leaves a folder behind; the next run removes it once its owner is gone.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await removeAbandonedRuns();
  const root = await mkdtemp(join(tmpdir(), PREFIX));
  await writeFile(join(root, 'owner.pid'), String(process.pid));
  const server = await LocalPostgres.start({ dataDir: join(root, 'pg'), durable: false });
  project.provide('postgresAdminUrl', server.url('postgres'));
  return async () => {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  };
}

async function removeAbandonedRuns(): Promise<void> {
  const entries = await readdir(tmpdir());
  for (const entry of entries.filter((name) => name.startsWith(PREFIX))) {
    const folder = join(tmpdir(), entry);
    const owner = Number(await readFile(join(folder, 'owner.pid'), 'utf8').catch(() => '0'));
    if (!isAlive(owner)) await rm(folder, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
