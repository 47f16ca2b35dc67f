import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { freePort } from '@billing/devkit';
import { createTestDatabase } from '@billing/devkit/vitest';
import { isDatabaseUnavailable } from '../src/index.js';

// The errors pg and pg-pool really raise, from a real server, each taken for what it is.
let databaseUrl: string;
let pool: pg.Pool;

beforeAll(async () => {
  databaseUrl = await createTestDatabase('outage');
  pool = new pg.Pool({ connectionString: databaseUrl });
});
afterAll(() => pool.end());

const failure = (work: Promise<unknown>) =>
  work.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err,
  );

describe('isDatabaseUnavailable', () => {
  it('recognises a refused connection, directly and through a pool', async () => {
    const nobody = `postgres://postgres:postgres@127.0.0.1:${await freePort()}/none`;
    expect(isDatabaseUnavailable(await failure(new pg.Client({ connectionString: nobody }).connect()))).toBe(true);
    const away = new pg.Pool({ connectionString: nobody });
    expect(isDatabaseUnavailable(await failure(away.query('SELECT 1')))).toBe(true);
    await away.end();
    expect(isDatabaseUnavailable(await failure(away.query('SELECT 1')))).toBe(true);
  });

  it('recognises a connection the server ends and a statement it cancels for taking too long', async () => {
    const victim = await pool.connect();
    victim.on('error', () => undefined);
    const pid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const sleeping = failure(victim.query('SELECT pg_sleep(10)'));
    await pool.query('SELECT pg_terminate_backend($1)', [pid]);
    expect(isDatabaseUnavailable(await sleeping)).toBe(true);
    victim.release(true);

    const slow = new pg.Client({ connectionString: databaseUrl, statement_timeout: 20 });
    await slow.connect();
    expect(isDatabaseUnavailable(await failure(slow.query('SELECT pg_sleep(1)')))).toBe(true);
    await slow.end();
  });

  it('leaves a bad statement, a broken constraint and an unreachable HTTP peer alone', async () => {
    expect(isDatabaseUnavailable(await failure(pool.query('SELEC 1')))).toBe(false);
    expect(isDatabaseUnavailable(await failure(pool.query('SELECT 1 / 0')))).toBe(false);
    expect(isDatabaseUnavailable(await failure(fetch(`http://127.0.0.1:${await freePort()}/`)))).toBe(false);
    expect(
      isDatabaseUnavailable(new Error('wrapped', { cause: new Error('Connection terminated unexpectedly') })),
    ).toBe(true);
  });
});
