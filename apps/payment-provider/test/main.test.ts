import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { ManagedProcess, freePort, withAdmin } from '@billing/devkit';
import { createTestDatabase } from '@billing/devkit/vitest';
import { TOKEN, auth, body } from './provider.js';

const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const started: ManagedProcess[] = [];
afterAll(() => Promise.all(started.map((service) => service.stop('SIGKILL'))));

function start(env: Record<string, string | undefined>) {
  const service = ManagedProcess.start(entry, { HOST: '127.0.0.1', ...env });
  started.push(service);
  return service;
}

async function startProvider(env: Record<string, string> = {}) {
  const port = await freePort();
  const databaseUrl = await createTestDatabase('main');
  const service = start({ PORT: String(port), DATABASE_URL: databaseUrl, PAYMENT_PROVIDER_TOKEN: TOKEN, ...env });
  const base = `http://127.0.0.1:${port}`;
  await service.waitForHttp(`${base}/rest/ready`);
  return { service, base, port, databaseUrl };
}

const chargeRequest = (key: string): RequestInit => ({
  method: 'POST',
  headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': key },
  body: JSON.stringify(body),
});

describe('src/main.ts as a real process', () => {
  it('migrates, charges, lists the ledger, and stops cleanly on SIGTERM', async () => {
    const { service, base } = await startProvider({ PAYMENT_SUCCESS_RATE: '1' });
    expect(await (await fetch(`${base}/rest/health`)).json()).toBe('ok');

    const charged = await fetch(`${base}/rest/v1/charge`, chargeRequest('process-1'));
    expect(charged.status).toBe(200);
    expect(await charged.json()).toEqual({ result: true });
    expect((await fetch(`${base}/rest/v1/charge`, chargeRequest('process-1'))).headers.get('idempotent-replayed')).toBe(
      'true',
    );

    const listed = await fetch(`${base}/rest/v1/charges?invoice_id=42`, { headers: auth });
    expect(await listed.json()).toMatchObject([
      { id: 1, invoiceId: 42, customerId: 7, amount: { value: 184.04, currency: 'USD' }, result: true },
    ]);
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/payment_charges_total\{result="charged"[^}]*\} 1\n/);

    service.child.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.stderr).toBe('');
  });

  it('on shutdown still records a charge whose caller has hung up', async () => {
    const { service, port, databaseUrl } = await startProvider({ FAULT_LATENCY_MS: '600' });
    const payload = JSON.stringify(body);
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /rest/v1/charge HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth.authorization}\r\n` +
        `Idempotency-Key: abandoned\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n${payload}`,
    );
    await sleep(200);
    // With its caller gone the server has no open connection to wait for: only the app's own
    // bookkeeping of charges in flight keeps shutdown from closing the pool under this one.
    socket.end();
    await sleep(100);
    service.child.kill('SIGTERM');
    expect(await service.exited, service.stdout + service.stderr).toEqual({ code: 0, signal: null });

    const { rows } = await withAdmin(databaseUrl, (client) =>
      client.query('SELECT idempotency_key FROM charges WHERE idempotency_key = $1', ['abandoned']),
    );
    expect(rows).toHaveLength(1);
  });

  it('refuses bad configuration with one line naming each bad variable, and exit 1', async () => {
    const cases = [
      { env: {}, problems: ['DATABASE_URL is required but not set', 'PAYMENT_PROVIDER_TOKEN is required but not set'] },
      {
        env: {
          DATABASE_URL: 'postgres://u:p@127.0.0.1:1/payments',
          PAYMENT_PROVIDER_TOKEN: 'too-short',
          PAYMENT_SUCCESS_RATE: '2',
          RANDOM_SEED: 'soon',
        },
        problems: [
          'PAYMENT_PROVIDER_TOKEN must not have fewer than 16 characters (got a value)',
          'PAYMENT_SUCCESS_RATE must be <= 1',
          'RANDOM_SEED must be integer',
        ],
      },
    ];
    // Both at once: most of each run is loading the code.
    const services = cases.map(({ env }) => start(env));
    for (const [index, { problems }] of cases.entries()) {
      const service = services[index]!;
      expect(await service.exited).toEqual({ code: 1, signal: null });
      const lines = service.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      for (const problem of problems) expect(lines[0]).toContain(problem);
      expect(service.stderr).not.toContain('too-short');
      expect(service.stdout).toBe('');
    }
  });
});
