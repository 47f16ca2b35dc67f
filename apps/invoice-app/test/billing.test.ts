import { describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { freePort } from '@billing/devkit';
import {
  PROVIDER_TOKEN,
  auth,
  insertCustomers,
  insertInvoices,
  invoiceStates,
  pay,
  startApp,
  testConfig,
  billingTestBed,
} from './helpers.js';

// The billing engine against a provider that a test scripts: a real HTTP server that
// declines, fails, hangs or drops the connection exactly when the case needs it.

const bed = billingTestBed('billing');

async function app(env: Record<string, string> = {}, providerUrl = bed.provider.url) {
  const started = await startApp(testConfig(bed.databaseUrl, providerUrl, env));
  bed.apps.push(started.app);
  return started;
}

async function someInvoices(count: number, currency = 'USD'): Promise<number[]> {
  const [customerId] = await insertCustomers(bed.db, [currency]);
  return insertInvoices(
    bed.db,
    Array.from({ length: count }, (_, n) => ({ customerId: customerId!, amount: `${10 + n}.50`, currency })),
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('a billing run', () => {
  it('finds its sockets to the provider opened at start-up, one per charge in flight, and opens no more', async () => {
    await someInvoices(12);
    const { app: started, base } = await app({ BILLING_CONCURRENCY: '4' });
    const before = bed.provider.connections;
    await started.warmUp();
    expect(bed.provider.connections - before).toBe(4);

    expect(await pay(base)).toMatchObject({ attempted: 12, paid: 12 });
    expect(bed.provider.connections - before).toBe(4);
  });

  it('claims the next invoices while every slot is busy, and sends one the moment a slot frees up', async () => {
    const ids = await someInvoices(12);
    const { base } = await app({ BILLING_CONCURRENCY: '4' });
    const held: (() => void)[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    bed.provider.script = async () => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      await new Promise<void>((release) => held.push(release));
      inFlight -= 1;
      return { result: true };
    };
    const claimed = async () =>
      [...(await invoiceStates(bed.db)).values()].filter((state) => state.claimed_by !== null).map((s) => s.id);
    const until = async (done: () => boolean | Promise<boolean>) => {
      while (!(await done())) await sleep(5);
    };

    const paid = pay(base);
    // Four charges wait at the provider; a fifth invoice is already claimed, ready for the first free slot.
    await until(async () => held.length === 4 && (await claimed()).length === 5);
    expect(bed.provider.received.map((charge) => charge.body.invoice_id).sort((a, b) => a - b)).toEqual(
      ids.slice(0, 4),
    );
    expect(await claimed()).toEqual(ids.slice(0, 5));

    held.shift()!();
    await until(() => held.length === 4);
    expect(bed.provider.received.at(-1)!.body.invoice_id).toBe(ids[4]);

    bed.provider.script = () => ({ result: true });
    held.splice(0).forEach((release) => release());
    expect(await paid).toMatchObject({ attempted: 12, paid: 12 });
    expect(mostInFlight).toBe(4);
    expect(bed.provider.received).toHaveLength(12);
  });

  it('renews the claim of an invoice that waited for a slot so long that a whole charge no longer fits in it', async () => {
    const ids = await someInvoices(5);
    // A lease is the slowest charge plus 3 s, of which a charge leaves 1 s to write: after 2 s of
    // waiting, an invoice sent on its first claim could not make all its retries.
    const { base } = await app({ BILLING_CONCURRENCY: '4' });
    const held: (() => void)[] = [];
    bed.provider.script = async () => {
      await new Promise<void>((release) => held.push(release));
      return { result: true };
    };
    const claimedUntil = async (id: number) =>
      (await bed.db.query<{ until: Date }>('SELECT claimed_until AS until FROM invoices WHERE id = $1', [id])).rows[0]!
        .until;
    const until = async (done: () => boolean) => {
      while (!done()) await sleep(5);
    };

    const paid = pay(base);
    await until(() => held.length === 4);
    const firstClaim = await claimedUntil(ids[4]!);
    await sleep(2_300);
    bed.provider.script = () => ({ result: true });
    held.shift()!();
    await until(() => bed.provider.received.length === 5);
    const sentOn = await claimedUntil(ids[4]!);
    expect(sentOn.getTime() - firstClaim.getTime()).toBeGreaterThan(2_000);

    held.splice(0).forEach((release) => release());
    expect(await paid).toMatchObject({ attempted: 5, paid: 5 });
  });

  it('charges each pending invoice once, with its key, the token and its invoice id, and marks it PAID', async () => {
    const ids = await someInvoices(3);
    const { base } = await app();

    const summary = await pay(base);
    expect(summary).toMatchObject({ attempted: 3, paid: 3, declined: 0, failed: 0, errored: 0, complete: true });

    expect(bed.provider.received).toHaveLength(3);
    for (const [n, id] of ids.entries()) {
      const [charge] = bed.provider.chargesFor(id);
      expect(charge!.authorization).toBe(`Bearer ${PROVIDER_TOKEN}`);
      expect(charge!.key).toMatch(UUID);
      expect(charge!.body).toEqual({ customer_id: 1, value: 10 + n + 0.5, currency: 'USD', invoice_id: id });
    }
    const states = await invoiceStates(bed.db);
    for (const id of ids) {
      expect(states.get(id)).toMatchObject({ status: 'PAID', attempts: 1, last_error: null, claimed_by: null });
      expect(states.get(id)!.charge_key).toBe(bed.provider.chargesFor(id)[0]!.key);
    }

    expect(await pay(base)).toMatchObject({ attempted: 0, paid: 0 });
    expect(bed.provider.received).toHaveLength(3);
  });

  it('keeps a declined invoice PENDING, tries it once per run, and charges it next run with a new key', async () => {
    // Many more invoices than slots, so that early declines are written while the run goes on.
    const ids = await someInvoices(60);
    const { base } = await app({ BILLING_CONCURRENCY: '4' });
    bed.provider.script = async () => {
      await sleep(5);
      return { result: false };
    };

    expect(await pay(base)).toMatchObject({ attempted: 60, declined: 60, paid: 0 });
    expect(bed.provider.received).toHaveLength(60);
    for (const state of (await invoiceStates(bed.db)).values()) {
      expect(state).toMatchObject({ status: 'PENDING', attempts: 1, charge_key: null, claimed_by: null });
      expect(state.last_error).toMatch(/declined/);
    }

    bed.provider.script = () => ({ result: true });
    expect(await pay(base)).toMatchObject({ attempted: 60, paid: 60, resumed: 0 });
    for (const id of ids) {
      const [declined, charged] = bed.provider.chargesFor(id);
      expect(charged!.key).not.toBe(declined!.key);
    }
    expect([...(await invoiceStates(bed.db)).values()].map((s) => [s.status, s.attempts])).toEqual(
      ids.map(() => ['PAID', 2]),
    );
  });

  it('never charges an invoice whose customer is unknown or pays in another currency: FAILED', async () => {
    const [usd] = await insertCustomers(bed.db, ['USD']);
    const [mismatch, orphan, fine] = await insertInvoices(bed.db, [
      { customerId: usd!, amount: '20.00', currency: 'EUR' },
      { customerId: 9_999, amount: '30.00', currency: 'USD' },
      { customerId: usd!, amount: '40.00', currency: 'USD' },
    ]);
    const { base } = await app();

    expect(await pay(base)).toMatchObject({ attempted: 3, failed: 2, paid: 1 });
    expect(bed.provider.received.map((charge) => charge.body.invoice_id)).toEqual([fine]);
    const states = await invoiceStates(bed.db);
    expect(states.get(mismatch!)).toMatchObject({ status: 'FAILED', attempts: 0, charge_key: null });
    expect(states.get(mismatch!)!.last_error).toMatch(/currency EUR does not match customer currency USD/);
    expect(states.get(orphan!)).toMatchObject({ status: 'FAILED', attempts: 0 });
    expect(states.get(orphan!)!.last_error).toMatch(/customer 9999 does not exist/);
    expect(await pay(base)).toMatchObject({ attempted: 0 });
  });

  it('marks FAILED what the provider refuses for good (422), without retrying', async () => {
    const [dkk] = await someInvoices(1, 'DKK');
    const { base } = await app();
    bed.provider.script = (_charge, reply) => reply.code(422).send({ error: 'unsupported currency DKK' });

    expect(await pay(base)).toMatchObject({ attempted: 1, failed: 1 });
    expect(bed.provider.received).toHaveLength(1);
    expect((await invoiceStates(bed.db)).get(dkk!)).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      last_error: 'provider answered 422: unsupported currency DKK',
    });
  });

  it('retries 5xx with backoff and the same key, and records every request as an attempt', async () => {
    const [id] = await someInvoices(1);
    const { base } = await app({ BILLING_MAX_RETRIES: '3' });
    bed.provider.script = (charge, reply) =>
      bed.provider.chargesFor(charge.body.invoice_id).length <= 2
        ? reply.code(503).send({ error: 'try later' })
        : { result: true };

    expect(await pay(base)).toMatchObject({ attempted: 1, paid: 1, chargeRequests: 3 });
    const keys = bed.provider.chargesFor(id!).map((charge) => charge.key);
    expect(new Set(keys).size).toBe(1);
    expect((await invoiceStates(bed.db)).get(id!)).toMatchObject({ status: 'PAID', attempts: 3 });
  });

  it('leaves an invoice PENDING with its key when every retry times out, and asks again with that key next run', async () => {
    const [id] = await someInvoices(1);
    const { base } = await app({ PAYMENT_PROVIDER_TIMEOUT_MS: '200', BILLING_MAX_RETRIES: '1' });
    bed.provider.script = async () => {
      await sleep(600);
      return { result: true };
    };

    expect(await pay(base)).toMatchObject({ attempted: 1, errored: 1, paid: 0, chargeRequests: 2 });
    const afterTimeout = (await invoiceStates(bed.db)).get(id!)!;
    expect(afterTimeout).toMatchObject({ status: 'PENDING', attempts: 2, last_error: 'no answer within 200 ms' });
    expect(afterTimeout.charge_key).toBe(bed.provider.chargesFor(id!)[0]!.key);

    bed.provider.script = () => ({ result: true });
    expect(await pay(base)).toMatchObject({ attempted: 1, paid: 1, resumed: 1 });
    expect(new Set(bed.provider.chargesFor(id!).map((charge) => charge.key))).toEqual(
      new Set([afterTimeout.charge_key]),
    );
  });

  it('resolves a charge whose answer was lost on the wire by asking again with the same key', async () => {
    const ids = await someInvoices(5);
    const { base } = await app({ BILLING_MAX_RETRIES: '2' });
    // An idempotent provider that charges, then loses the first answer for every key.
    const charged = new Map<string, number>();
    bed.provider.script = (charge, _reply, request) => {
      if (charged.has(charge.key!)) return { result: true };
      charged.set(charge.key!, charge.body.invoice_id);
      request.raw.socket.destroy();
      return undefined;
    };

    expect(await pay(base)).toMatchObject({ attempted: 5, paid: 5, chargeRequests: 10 });
    expect([...charged.values()].sort()).toEqual(ids);
  });

  it('leaves everything PENDING with its key when the provider is down', async () => {
    const ids = await someInvoices(3);
    const { base } = await app({ BILLING_MAX_RETRIES: '2' }, `http://127.0.0.1:${await freePort()}`);

    expect(await pay(base)).toMatchObject({ attempted: 3, errored: 3, chargeRequests: 9 });
    for (const id of ids) {
      const state = (await invoiceStates(bed.db)).get(id)!;
      expect(state).toMatchObject({ status: 'PENDING', attempts: 3, claimed_by: null });
      expect(state.charge_key).toMatch(UUID);
      expect(state.last_error).toMatch(/ECONNREFUSED/);
    }
  });

  it('takes over what a dead run left: expired leases at once, live ones once they run out, with their keys', async () => {
    const [expired, leased, fresh] = await someInvoices(3);
    const expiredKey = randomUUID();
    const leasedKey = randomUUID();
    // Started first, so that the live lease is still live when the run begins.
    const { base } = await app();
    await bed.db.query(
      `UPDATE invoices SET claimed_by = 'dead-run', last_attempt_at = now() - interval '1 minute',
         charge_key = CASE id WHEN $1 THEN $3::uuid ELSE $4::uuid END,
         claimed_until = CASE id WHEN $1 THEN now() - interval '1 second' ELSE now() + interval '1500 ms' END
       WHERE id IN ($1, $2)`,
      [expired, leased, expiredKey, leasedKey],
    );
    const { rows } = await bed.db.query<{ ends: number }>(
      'SELECT extract(epoch FROM claimed_until) * 1000 AS ends FROM invoices WHERE id = $1',
      [leased],
    );
    let leasedChargedAt = 0;
    bed.provider.script = (charge) => {
      if (charge.body.invoice_id === leased) leasedChargedAt = Date.now();
      return { result: true };
    };

    const summary = await pay(base);
    expect(summary).toMatchObject({ attempted: 3, paid: 3, resumed: 2 });
    expect(leasedChargedAt).toBeGreaterThanOrEqual(Number(rows[0]!.ends));
    expect(bed.provider.chargesFor(expired!).map((charge) => charge.key)).toEqual([expiredKey]);
    expect(bed.provider.chargesFor(leased!).map((charge) => charge.key)).toEqual([leasedKey]);
    expect(bed.provider.chargesFor(fresh!)[0]!.key).not.toMatch(new RegExp(`${expiredKey}|${leasedKey}`));
  });

  it('shares the work of concurrent runs on several app instances: each invoice is tried once', async () => {
    const ids = await someInvoices(120);
    const instances = await Promise.all([1, 2, 3].map(() => app({ BILLING_CONCURRENCY: '4' })));
    // Charges succeed: a declined invoice may rightly be tried again by a run that began after
    // the decline, so only successes make "tried once" hold whatever the runs' start order.
    // No answer until all three runs have filled their 4 slots, so that each takes a share
    // however late its request arrives on a loaded machine.
    let allBusy!: () => void;
    const allThreeCharging = new Promise<void>((resolve) => (allBusy = resolve));
    bed.provider.script = async () => {
      if (bed.provider.received.length >= 12) allBusy();
      await allThreeCharging;
      return { result: true };
    };

    const summaries = await Promise.all(instances.map(({ base }) => pay(base)));
    expect(summaries.map((s) => s.attempted).reduce((a, b) => Number(a) + Number(b), 0)).toBe(120);
    for (const summary of summaries) expect(summary.attempted).toBeGreaterThan(0);
    expect(bed.provider.received.map((charge) => charge.body.invoice_id).sort((a, b) => a - b)).toEqual(ids);
  });

  it('stops taking invoices when the app shuts down, and answers with what it did', async () => {
    await someInvoices(100);
    const { app: instance, base } = await app({ BILLING_CONCURRENCY: '2' });
    bed.apps.pop();
    bed.provider.script = async () => {
      await sleep(50);
      return { result: true };
    };

    const answer = pay(base);
    await expect.poll(() => bed.provider.received.length, { timeout: 30_000 }).toBeGreaterThan(0);
    await instance.close();
    const summary = await answer;
    expect(summary.complete).toBe(false);
    expect(summary.paid).toBeGreaterThan(0);
    expect(summary.paid).toBeLessThan(100);
    const { rows } = await bed.db.query(`SELECT status, count(*)::int AS n, count(claimed_by)::int AS claimed
                                     FROM invoices GROUP BY status ORDER BY status`);
    expect(rows).toEqual([
      { status: 'PAID', n: summary.paid, claimed: 0 },
      { status: 'PENDING', n: 100 - Number(summary.paid), claimed: 0 },
    ]);
  });

  it('answers 503 when the database fails mid-run; the next run settles the rest with the same keys', async () => {
    const ids = await someInvoices(40);
    const { base } = await app({ BILLING_CONCURRENCY: '4' });
    // The first charges are answered only once the table is gone, so the run is mid-way
    // when the database fails, however slowly it got there.
    let tableGone!: () => void;
    const away = new Promise<void>((resolve) => (tableGone = resolve));
    bed.provider.script = async () => {
      await away;
      return { result: true };
    };

    const answer = fetch(`${base}/rest/v1/invoices/pay`, {
      method: 'POST',
      headers: auth,
    });
    await expect.poll(() => bed.provider.received.length, { timeout: 30_000 }).toBeGreaterThan(0);
    await bed.db.query('ALTER TABLE invoices RENAME TO invoices_away');
    tableGone();
    const response = await answer;
    await bed.db.query('ALTER TABLE invoices_away RENAME TO invoices');
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /Billing run stopped: .*invoices.* run it again/,
    );

    const charged = new Set(bed.provider.received.map((charge) => charge.body.invoice_id));
    expect(charged.size).toBeGreaterThan(0);
    expect(charged.size).toBeLessThan(40);
    // The leases of the failed run have to run out before another run may take its invoices.
    await bed.db.query('UPDATE invoices SET claimed_until = now() WHERE claimed_until IS NOT NULL');
    await pay(base);
    expect([...(await invoiceStates(bed.db)).values()].every((state) => state.status === 'PAID')).toBe(true);
    for (const id of ids) expect(new Set(bed.provider.chargesFor(id).map((charge) => charge.key)).size).toBe(1);
  });

  it('counts runs, invoices and charge requests in /metrics', async () => {
    await someInvoices(2);
    const { base } = await app();
    await pay(base);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/billing_invoices_total\{outcome="paid"[^}]*\} 2/);
    expect(metrics).toMatch(/billing_charge_requests_total\{outcome="charged"[^}]*\} 2/);
    expect(metrics).toMatch(/billing_runs_total\{result="complete"[^}]*\} 1/);
    expect(metrics).toMatch(/billing_charge_request_duration_seconds_bucket/);
  });
});
