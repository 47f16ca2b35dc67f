import { describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { BillingRuns, type RunRecord } from '../src/billing/billing-runs.js';
import { claimInvoices, renewClaims } from '../src/billing/invoice-claims.js';
import {
  auth,
  insertCustomers,
  insertInvoices,
  invoiceStates,
  startApp,
  testConfig,
  billingTestBed,
} from './helpers.js';

// Billing runs as records: started synchronously or with Prefer: respond-async, listed,
// followed through their event stream on any replica, and found interrupted once a dead
// run's claims have expired.

const bed = billingTestBed('runs');

async function app(env: Record<string, string> = {}) {
  const started = await startApp(testConfig(bed.databaseUrl, bed.provider.url, env));
  bed.apps.push(started.app);
  return started;
}

async function someInvoices(count: number): Promise<number[]> {
  const [customerId] = await insertCustomers(bed.db, ['USD']);
  return insertInvoices(
    bed.db,
    Array.from({ length: count }, (_, n) => ({ customerId: customerId!, amount: `${10 + n}.00`, currency: 'USD' })),
  );
}

const slowProvider = (ms: number) => {
  bed.provider.script = async () => {
    await sleep(ms);
    return { result: true };
  };
};

async function getRun(base: string, runId: string): Promise<RunRecord> {
  const response = await fetch(`${base}/rest/v1/billing-runs/${runId}`, { headers: auth });
  expect(response.status).toBe(200);
  return (await response.json()) as RunRecord;
}

async function startAsync(base: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/rest/v1/invoices/pay`, {
    method: 'POST',
    headers: { ...auth, prefer: 'respond-async', ...headers },
  });
  return { response, body: (await response.json()) as RunRecord };
}

/** Reads a server-sent event stream to its end: every event with its time of arrival. */
async function readEvents(url: string) {
  const response = await fetch(url, { headers: auth });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: { event: string; run: RunRecord; at: number }[] = [];
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body!) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, run: JSON.parse(data) as RunRecord, at: Date.now() });
    }
  }
  return events;
}

describe('billing runs', () => {
  it('records a synchronous run, with its trigger, total and counts; the invoice tally follows', async () => {
    await someInvoices(4);
    const { base } = await app();
    const counts = async () => (await fetch(`${base}/rest/v1/invoices/counts`)).json();
    expect(await counts()).toEqual({ PENDING: 4, PAID: 0, FAILED: 0 });
    const response = await fetch(`${base}/rest/v1/invoices/pay`, { method: 'POST', headers: auth });
    expect(response.status).toBe(200);
    const summary = (await response.json()) as Record<string, unknown>;
    expect(summary).toMatchObject({ status: 'completed', total: 4, attempted: 4, paid: 4, complete: true });

    const run = await getRun(base, summary.runId as string);
    expect(run).toMatchObject({
      runId: summary.runId,
      status: 'completed',
      trigger: 'api',
      total: 4,
      attempted: 4,
      paid: 4,
      declined: 0,
      failed: 0,
      errored: 0,
      error: null,
    });
    expect(Date.parse(run.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));
    expect(await counts()).toEqual({ PENDING: 0, PAID: 4, FAILED: 0 });
  });

  it('answers 202 with the running run and its address for Prefer: respond-async, and the run goes on', async () => {
    await someInvoices(20);
    slowProvider(20);
    const { base } = await app({ BILLING_CONCURRENCY: '2' });
    const { response, body } = await startAsync(base, { 'billing-trigger': 'cli' });
    expect(response.status).toBe(202);
    expect(body).toMatchObject({ status: 'running', trigger: 'cli', total: 20, finishedAt: null });
    expect(body.runId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(response.headers.get('location')).toBe(`/rest/v1/billing-runs/${body.runId}`);
    expect(response.headers.get('preference-applied')).toBe('respond-async');

    const seen = await getRun(base, body.runId);
    expect(seen.status).toBe('running');
    await expect
      .poll(async () => (await getRun(base, body.runId)).status, { timeout: 20_000, interval: 100 })
      .toBe('completed');
    expect(await getRun(base, body.runId)).toMatchObject({ attempted: 20, paid: 20 });
    expect([...(await invoiceStates(bed.db)).values()].every((invoice) => invoice.status === 'PAID')).toBe(true);
  });

  it('lists runs newest first, 20 unless told, and refuses what is not its to answer', async () => {
    const { base } = await app();
    const ids: string[] = [];
    for (let n = 0; n < 22; n++) {
      const { body } = await startAsync(base);
      ids.push(body.runId);
      await sleep(2);
    }
    const list = async (query = '') => {
      const response = await fetch(`${base}/rest/v1/billing-runs${query}`, { headers: auth });
      expect(response.status).toBe(200);
      return ((await response.json()) as RunRecord[]).map((run) => run.runId);
    };
    expect(await list()).toEqual(ids.slice(-20).reverse());
    expect(await list('?limit=3')).toEqual(ids.slice(-3).reverse());

    const status = async (path: string, headers: Record<string, string> = auth, method = 'GET') =>
      (await fetch(`${base}${path}`, { method, headers })).status;
    expect(await status('/rest/v1/billing-runs', {})).toBe(401);
    expect(await status(`/rest/v1/billing-runs/${ids[0]}`, {})).toBe(401);
    expect(await status(`/rest/v1/billing-runs/${ids[0]}/events`, {})).toBe(401);
    expect(await status('/rest/v1/billing-runs?limit=0')).toBe(400);
    expect(await status('/rest/v1/billing-runs?limit=x')).toBe(400);
    expect(await status('/rest/v1/billing-runs/r-nothing-here')).toBe(404);
    expect(await status('/rest/v1/billing-runs/r-nothing-here/events')).toBe(404);
    expect(await status('/rest/v1/billing-runs/not%20url%20safe')).toBe(400);
    expect(await status('/rest/v1/invoices/pay', { ...auth, 'billing-trigger': 'someone' }, 'POST')).toBe(400);
    const body = (await (await fetch(`${base}/rest/v1/billing-runs/r-nothing-here`, { headers: auth })).json()) as {
      error: string;
    };
    expect(body.error).toContain('r-nothing-here');
  });

  it('streams progress at a bounded rate, then the end, then closes, on another replica too', async () => {
    await someInvoices(60);
    slowProvider(75); // about 2 s of run: several progress writes at twice a second
    const one = await app({ BILLING_CONCURRENCY: '2' });
    const other = await app();
    const { body } = await startAsync(one.base);

    const events = await readEvents(`${other.base}/rest/v1/billing-runs/${body.runId}/events`);
    const progress = events.filter((event) => event.event === 'progress');
    expect(events.at(-1)!.event).toBe('end');
    expect(events.filter((event) => event.event === 'end')).toHaveLength(1);
    expect(events.at(-1)!.run).toMatchObject({ runId: body.runId, status: 'completed', attempted: 60, paid: 60 });
    // Progress as it goes: several distinct counts on the way, never going back.
    const paid = progress.map((event) => event.run.paid);
    expect(new Set(paid).size).toBeGreaterThan(2);
    expect(paid).toEqual([...paid].sort((a, b) => a - b));
    // At most a few a second.
    const seconds = (events.at(-1)!.at - events[0]!.at) / 1000;
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(seconds * 3) + 2);
  });

  it('ends the stream of a finished run at once with its end', async () => {
    await someInvoices(2);
    const { base } = await app();
    const { body } = await startAsync(base);
    await expect.poll(async () => (await getRun(base, body.runId)).status, { timeout: 10_000 }).toBe('completed');
    const events = await readEvents(`${base}/rest/v1/billing-runs/${body.runId}/events`);
    expect(events.map((event) => event.event)).toEqual(['end']);
  });

  it('finds a run whose process died interrupted once its claims expire; the next run is a run of its own', async () => {
    const ids = await someInvoices(5);
    const runs = new BillingRuns(bed.db);
    // A run as a process leaves it when it dies right after claiming and renewing two of its
    // claims: a record and leases, no more writes.
    const dead = await runs.create({ runId: 'r-dead-run', trigger: 'schedule', replica: 'gone/1', leaseMs: 500 });
    const claimed = await claimInvoices(bed.db, {
      runId: 'r-dead-run',
      runStartedAt: dead.startedAt,
      afterId: 0,
      limit: 3,
      leaseMs: 1_500,
    });
    expect(claimed).toHaveLength(3);
    const renewed = claimed.slice(1).map((invoice) => invoice.id);
    expect(await renewClaims(bed.db, 'r-dead-run', renewed, 2_500)).toEqual(new Set(renewed));
    const { base } = await app();

    // Its first lease (500 ms) is over, but the claims it made and renewed since hold it alive.
    await sleep(800);
    expect((await getRun(base, 'r-dead-run')).status).toBe('running');
    await expect
      .poll(async () => (await getRun(base, 'r-dead-run')).status, { timeout: 10_000, interval: 100 })
      .toBe('interrupted');
    const interrupted = await getRun(base, 'r-dead-run');
    const { rows } = await bed.db.query<{ latest: Date }>(
      'SELECT max(claimed_until) AS latest FROM invoices WHERE claimed_by = $1',
      ['r-dead-run'],
    );
    expect(Date.parse(interrupted.finishedAt!)).toBeGreaterThanOrEqual(rows[0]!.latest.getTime());
    // Counted where it was found dead, for the alert on interrupted runs.
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^billing_runs_total\{result="interrupted",service="invoice-app"\} 1$/m);

    const response = await fetch(`${base}/rest/v1/invoices/pay`, { method: 'POST', headers: auth });
    const summary = (await response.json()) as { runId: string; attempted: number; resumed: number };
    expect(summary.runId).not.toBe('r-dead-run');
    expect(summary).toMatchObject({ attempted: 5, resumed: 3 });
    expect((await getRun(base, 'r-dead-run')).status).toBe('interrupted');
    expect([...(await invoiceStates(bed.db)).values()].map((invoice) => invoice.status)).toEqual(ids.map(() => 'PAID'));
  });

  it('records a run stopped by shutdown as interrupted, and shutdown waits for its charges', async () => {
    await someInvoices(40);
    slowProvider(50);
    const { app: running, base } = await app({ BILLING_CONCURRENCY: '2' });
    const { body } = await startAsync(base);
    await expect.poll(() => bed.provider.received.length, { timeout: 10_000, interval: 20 }).toBeGreaterThan(2);
    await running.close();
    bed.apps.splice(bed.apps.indexOf(running), 1);

    const runs = new BillingRuns(bed.db);
    const run = await runs.get(body.runId);
    expect(run).toMatchObject({ status: 'interrupted', error: null });
    expect(run!.attempted).toBeLessThan(40);
    // Every charge it sent has its answer written: nothing left claimed.
    expect(run!.paid).toBe(bed.provider.received.length);
    const states = [...(await invoiceStates(bed.db)).values()];
    expect(states.filter((invoice) => invoice.status === 'PAID')).toHaveLength(bed.provider.received.length);
    expect(states.filter((invoice) => invoice.claimed_by !== null)).toEqual([]);
  });
});
