import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ManagedProcess } from '@billing/devkit';
import { createTestDatabase } from '@billing/devkit/vitest';
import { migrationNames } from '../src/index.js';
import { migrationsDir } from './fixtures/widget-service.js';

const migrator = fileURLToPath(new URL('./fixtures/migrate.ts', import.meta.url));

describe('migrations', () => {
  it('lists the SQL files in order', async () => {
    expect(await migrationNames(migrationsDir)).toEqual(['0001_widgets', '0002_widget_color']);
  });

  it('apply once when several processes race to apply them', async () => {
    const databaseUrl = await createTestDatabase('race');
    const racers = Array.from({ length: 3 }, () => ManagedProcess.start(migrator, { DATABASE_URL: databaseUrl }));
    const exits = await Promise.all(racers.map((racer) => racer.exited));

    expect(
      exits.map((exit) => exit.code),
      racers.map((racer) => racer.stderr).join('\n'),
    ).toEqual([0, 0, 0]);
    // Exactly one racer did the work; the others waited on the lock and found nothing to do.
    const applied = racers.map((racer) => JSON.parse(racer.stdout) as string[]);
    expect(applied.filter((names) => names.length > 0)).toEqual([['0001_widgets', '0002_widget_color']]);

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const recorded = await client.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY id');
      expect(recorded.rows.map((row) => row.name)).toEqual(['0001_widgets', '0002_widget_color']);
      const columns = await client.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'widgets' ORDER BY ordinal_position",
      );
      expect(columns.rows.map((row) => row.column_name)).toEqual(['id', 'name', 'color']);
    } finally {
      await client.end();
    }
  });
});
