import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@billing/devkit/vitest';
import { FaultInjector } from '../src/faults.js';
import { randomStreams } from '../src/random.js';
import { auth, body, charge, fiveSigma, inBatches, startProvider, storedCharges } from './provider.js';

let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await createTestDatabase('faults');
});

describe('FAULT_ERROR_RATE', () => {
  it('at 1 answers every charge 503 and records nothing, so the key stays unused', async () => {
    const failing = await startProvider({ FAULT_ERROR_RATE: '1' }, databaseUrl);
    for (const key of ['fault-1', undefined]) {
      const response = await charge(failing, body, key);
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({ error: 'Payment provider unavailable (injected fault); nothing was charged' });
    }
    expect(await storedCharges(failing)).toEqual([]);
    // Input errors stay input errors: faults are injected only into valid charges.
    expect((await charge(failing, { ...body, currency: 'JPY' })).statusCode).toBe(422);
    expect((await charge(failing, { ...body, value: -1 })).statusCode).toBe(400);

    const healthy = await startProvider({ PAYMENT_SUCCESS_RATE: '1' }, databaseUrl);
    expect((await charge(healthy, body, 'fault-1')).json()).toEqual({ result: true });
    expect(await storedCharges(healthy, 'idempotency_key = $1', ['fault-1'])).toHaveLength(1);
  });

  it('answers its share of charges 503, charges only the others, and counts them', async () => {
    const rate = 0.25;
    const n = 1_000;
    const app = await startProvider({ FAULT_ERROR_RATE: String(rate) });
    const statuses = await inBatches(n, 50, async (index) => {
      const response = await charge(app, { ...body, customer_id: index + 1 }, `share-${index}`);
      return response.statusCode;
    });
    const failed = statuses.filter((status) => status === 503).length;
    expect(statuses.filter((status) => status !== 503 && status !== 200)).toEqual([]);
    expect(Math.abs(failed - n * rate)).toBeLessThan(fiveSigma(n, rate));

    const rows = await storedCharges(app);
    expect(rows).toHaveLength(n - failed);
    const answered = statuses.flatMap((status, index) => (status === 200 ? [`share-${index}`] : []));
    expect(rows.map((row) => row.idempotency_key).sort()).toEqual(answered.sort());
    expect((await app.inject('/metrics')).body).toMatch(
      new RegExp(`payment_injected_faults_total\\{[^}]*\\} ${failed}\\n`),
    );
  });

  it('does not shift the outcomes of a seeded provider', async () => {
    const plain = await startProvider({ RANDOM_SEED: '9' }, databaseUrl);
    const faulty = await startProvider({ RANDOM_SEED: '9', FAULT_ERROR_RATE: '0.5' }, databaseUrl);
    const outcomes = async (app: typeof plain, wanted: number) => {
      const results: boolean[] = [];
      while (results.length < wanted) {
        const response = await charge(app, body);
        if (response.statusCode === 200) results.push(response.json().result);
      }
      return results;
    };
    expect(await outcomes(faulty, 30)).toEqual(await outcomes(plain, 30));
  });
});

describe('FAULT_LATENCY_MS', () => {
  it('delays each charge by the latency plus a random extra of up to as long again', () => {
    const faults = new FaultInjector({ latencyMs: 100, errorRate: 0, random: randomStreams(1).faults });
    const delays = Array.from({ length: 10_000 }, () => faults.nextDelayMs());
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...delays)).toBeLessThan(200);
    // Spread over the whole range, not stuck at one end.
    expect(delays.filter((delay) => delay < 110).length).toBeGreaterThan(500);
    expect(delays.filter((delay) => delay >= 190).length).toBeGreaterThan(500);
    expect(new FaultInjector({ latencyMs: 0, errorRate: 0, random: randomStreams(1).faults }).nextDelayMs()).toBe(0);
  });

  it('makes every charge, also a replay, wait at least the latency', async () => {
    const app = await startProvider({ FAULT_LATENCY_MS: '150' }, databaseUrl);
    const timed = async (key: string) => {
      const began = performance.now();
      const response = await charge(app, body, key);
      expect(response.statusCode).toBe(200);
      return performance.now() - began;
    };
    const first = await Promise.all(['slow-1', 'slow-2', 'slow-3'].map(timed));
    const replay = await timed('slow-1');
    for (const elapsed of [...first, replay]) expect(elapsed).toBeGreaterThanOrEqual(149);
  });

  it('records a charge whose caller gave up, and answers the caller’s retry from the ledger', async () => {
    const app = await startProvider({ FAULT_LATENCY_MS: '300' }, databaseUrl);
    const url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/rest/v1/charge`;
    const request = {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'gave-up' },
      body: JSON.stringify(body),
    };
    await expect(fetch(url, { ...request, signal: AbortSignal.timeout(50) })).rejects.toThrow();
    expect(await storedCharges(app, 'idempotency_key = $1', ['gave-up'])).toEqual([]);

    let rows = await storedCharges(app, 'idempotency_key = $1', ['gave-up']);
    for (let waited = 0; rows.length === 0 && waited < 10_000; waited += 50) {
      await sleep(50);
      rows = await storedCharges(app, 'idempotency_key = $1', ['gave-up']);
    }
    expect(rows).toHaveLength(1);

    const retry = await fetch(url, request);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual({ result: rows[0]!.result });
    expect(await storedCharges(app, 'idempotency_key = $1', ['gave-up'])).toHaveLength(1);
  });
});
