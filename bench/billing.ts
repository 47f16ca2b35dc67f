import { randomUUID } from 'node:crypto';
import { withAdmin, type Platform } from '@billing/devkit';
import type pg from 'pg';
import { followRun, progressOf, type FollowedRun } from './followed-run.js';
import { cpuSince, pay, platformCpu, untilQuiet, withPlatform, type PaySummary, type PlatformCpu } from './platform.js';

/** Invoices of the throughput benchmark. */
export const THROUGHPUT_INVOICES = 10_000;

/** Invoices the sequential baseline charges: enough for a steady rate at its ~30 ms a charge. */
export const SEQUENTIAL_INVOICES = 300;

/**
 * Invoices each replica bills before anything is measured. A fresh Node process runs its hot
 * paths unoptimized until V8 has compiled them, and compiles them on its own CPU; a service
 * bills for days, so every figure here is of warm processes, however many replicas.
 */
export const WARM_UP_INVOICES_PER_REPLICA = 2_000;

/** One billing run of invoice-app: every PENDING invoice charged, on one or more replicas at once. */
export interface BillingRun {
  readonly invoices: number;
  readonly replicas: number;
  /** From the first pay request to the last answer. */
  readonly wallSeconds: number;
  /** Invoices settled per second of wall time. */
  readonly invoicesPerSecond: number;
  /** Invoices each replica's run attempted. */
  readonly attemptedPerReplica: number[];
  /** CPU seconds each part used during the run. */
  readonly cpu: PlatformCpu;
  /** How the run looked through its event stream, when it was followed there. */
  readonly followed?: FollowedRun;
}

/** The sequential baseline: one charge, its answer, its write, then the next. */
export interface SequentialRun {
  readonly invoices: number;
  readonly wallSeconds: number;
  readonly invoicesPerSecond: number;
}

/** A measurement on the platform of a billing run, just before or after it (memory). */
export type BillingHook = (platform: Platform) => Promise<void>;

/**
 * Bills `invoices` fresh PENDING invoices with `replicas` warm invoice-app processes, all asked
 * to pay at the same moment, and checks that every invoice was paid exactly once between them
 * (by their answers, and by the invoices and the provider's ledger).
 * `beforeBilling` sees the platform just started, `afterBilling` right after the measured run.
 */
export async function billFresh(options: {
  readonly invoices: number;
  readonly replicas?: number;
  /** Start the run with `Prefer: respond-async` and follow its event stream to the end (one replica). */
  readonly follow?: boolean;
  readonly beforeBilling?: BillingHook;
  readonly afterBilling?: BillingHook;
}): Promise<BillingRun> {
  return withWarmPlatform(options.replicas ?? 1, options.beforeBilling, async (platform) => {
    await addPendingInvoices(platform, options.invoices);
    const run = await billAll(platform, options.invoices, options.follow);
    await options.afterBilling?.(platform);
    return run;
  });
}

/** A platform whose replicas have each billed their share of warm-up invoices (PAID, out of the way). */
async function withWarmPlatform<T>(
  replicas: number,
  justStarted: BillingHook | undefined,
  work: (platform: Platform) => Promise<T>,
): Promise<T> {
  const warmUp = replicas * WARM_UP_INVOICES_PER_REPLICA;
  return withPlatform({ invoices: warmUp, invoiceAppReplicas: replicas }, async (platform) => {
    await justStarted?.(platform);
    await billAll(platform, warmUp);
    return work(platform);
  });
}

/**
 * Adds `count` PENDING invoices for the seeded customers, in turn, as the seed makes them, and
 * refreshes the planner's statistics as after any bulk load.
 */
async function addPendingInvoices(platform: Platform, count: number): Promise<void> {
  await withAdmin(platform.postgres.url('invoices'), async (db) => {
    await db.query(
      `INSERT INTO invoices (customer_id, amount, currency)
       SELECT c.id, round((10 + random() * 490)::numeric, 2), c.currency
       FROM generate_series(0, $1 - 1) AS n
       JOIN customers c ON c.id = (SELECT min(id) FROM customers) + n % (SELECT count(*) FROM customers)
       ORDER BY n`,
      [count],
    );
    await db.query('ANALYZE invoices');
  });
}

/**
 * Pays on every replica at once and times it until the last one answers; or, with `follow`,
 * starts the run asynchronously on the one replica and times it until its event stream ends.
 */
async function billAll(platform: Platform, expected: number, follow = false): Promise<BillingRun> {
  if (follow && platform.invoiceApps.length !== 1) throw new Error('A followed run is of one replica');
  await untilQuiet();
  const ledgerBefore = follow ? await successfulCharges(platform) : 0;
  const before = await platformCpu(platform);
  const started = performance.now();
  const stream = follow ? await followRun(platform, started) : undefined;
  const summaries: readonly PayCounts[] = stream
    ? [stream.events.at(-1)!.run]
    : await Promise.all(platform.invoiceAppUrls.map((_url, replica) => pay(platform, replica)));
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = cpuSince(before, await platformCpu(platform));
  checkAllPaid(summaries, expected);
  const ledgerAfter = await checkChargedOnce(platform);
  return {
    invoices: expected,
    replicas: summaries.length,
    wallSeconds,
    invoicesPerSecond: expected / wallSeconds,
    attemptedPerReplica: summaries.map((summary) => summary.attempted),
    cpu,
    ...(stream && {
      followed: {
        ...progressOf(stream.events),
        end: stream.events.at(-1)!.run,
        ledgerPaid: ledgerAfter - ledgerBefore,
        peakRssMiB: stream.peakRssMiB,
      },
    }),
  };
}

type PayCounts = Pick<PaySummary, 'attempted' | 'paid'>;

function checkAllPaid(summaries: readonly PayCounts[], expected: number): void {
  const total = (field: keyof PayCounts) => summaries.reduce((sum, summary) => sum + summary[field], 0);
  if (total('paid') !== expected || total('attempted') !== expected) {
    throw new Error(`Expected ${expected} invoices paid once, got ${JSON.stringify(summaries)}`);
  }
}

/**
 * What the services answered is checked against what they recorded, invoice by invoice: every
 * invoice of the platform is PAID, and the provider's ledger holds exactly one successful
 * charge for it, of its amount, and none for anything else. So no invoice was charged twice,
 * none is PAID without a charge, and no write-back was lost, whatever the pay summaries said.
 * Both sides are read in invoice id order through cursors and compared as they come, so the
 * check needs the same memory at a million invoices as at a thousand. Returns the invoices
 * (as many as the successful charges).
 */
async function checkChargedOnce(platform: Platform): Promise<number> {
  return withAdmin(platform.postgres.url('invoices'), (invoiceDb) =>
    withAdmin(platform.postgres.url('payments'), async (ledgerDb) => {
      const disagree = (what: string) =>
        new Error(
          `Invoices and the provider's successful charges disagree: ${what}; every invoice should be PAID by exactly one charge of its amount`,
        );
      const charges = rowsInOrder<{ invoice_id: number | null; amount: string }>(
        ledgerDb,
        'SELECT invoice_id::int AS invoice_id, amount::text AS amount FROM charges WHERE result ORDER BY invoice_id, id',
      );
      let charge = await charges.next();
      let invoices = 0;
      for await (const invoice of rowsInOrder<{ id: number; status: string; amount: string }>(
        invoiceDb,
        'SELECT id, status, amount::text AS amount FROM invoices ORDER BY id',
      )) {
        const amounts: string[] = [];
        while (!charge.done && charge.value.invoice_id !== null && charge.value.invoice_id <= invoice.id) {
          if (charge.value.invoice_id < invoice.id)
            throw disagree(`a charge for invoice ${charge.value.invoice_id}, which does not exist`);
          amounts.push(charge.value.amount);
          charge = await charges.next();
        }
        if (invoice.status !== 'PAID') throw disagree(`invoice ${invoice.id} is ${invoice.status}`);
        if (amounts.length !== 1 || amounts[0] !== invoice.amount) {
          throw disagree(
            `invoice ${invoice.id} of ${invoice.amount} has successful charges of [${amounts.join(', ')}]`,
          );
        }
        invoices += 1;
      }
      if (!charge.done) throw disagree(`a charge for invoice ${charge.value.invoice_id}, which does not exist`);
      return invoices;
    }),
  );
}

/** The rows of a query, fetched through a cursor a batch at a time. */
async function* rowsInOrder<Row extends pg.QueryResultRow>(db: pg.Client, query: string): AsyncGenerator<Row, void> {
  await db.query('BEGIN READ ONLY');
  try {
    await db.query(`DECLARE rows_in_order NO SCROLL CURSOR FOR ${query}`);
    while (true) {
      const { rows } = await db.query<Row>('FETCH 10000 FROM rows_in_order');
      if (rows.length === 0) return;
      yield* rows;
    }
  } finally {
    await db.query('COMMIT');
  }
}

/** Successful charges in the provider's ledger. */
async function successfulCharges(platform: Platform): Promise<number> {
  const { rows } = await withAdmin(platform.postgres.url('payments'), (db) =>
    db.query<{ charges: number }>('SELECT count(*)::int AS charges FROM charges WHERE result'),
  );
  return rows[0]!.charges;
}

/**
 * Charge one, then the next: what a billing service without concurrency does (Antaeus's
 * BillingService). It reads the PENDING invoices above `afterId` from invoice-app's database,
 * and for each one in turn asks the provider to charge it (a keep-alive connection, a fresh
 * Idempotency-Key) and writes PAID back, one statement per invoice.
 */
export async function billSequentially(platform: Platform, afterId: number): Promise<SequentialRun> {
  return withAdmin(platform.postgres.url('invoices'), async (db) => {
    const { rows } = await db.query<{ id: number; customer_id: number; amount: string; currency: string }>(
      `SELECT id, customer_id, amount::text AS amount, currency FROM invoices
       WHERE status = 'PENDING' AND id > $1 ORDER BY id`,
      [afterId],
    );
    const started = performance.now();
    for (const invoice of rows) {
      const response = await fetch(`${platform.paymentProviderUrl}/rest/v1/charge`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${platform.paymentProviderToken}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify({
          customer_id: invoice.customer_id,
          value: Number(invoice.amount),
          currency: invoice.currency,
          invoice_id: invoice.id,
        }),
      });
      const answer = (await response.json()) as { result?: boolean };
      if (answer.result !== true)
        throw new Error(`Sequential charge of invoice ${invoice.id}: ${JSON.stringify(answer)}`);
      await db.query(`UPDATE invoices SET status = 'PAID', paid_at = now(), updated_at = now() WHERE id = $1`, [
        invoice.id,
      ]);
    }
    const wallSeconds = (performance.now() - started) / 1000;
    return { invoices: rows.length, wallSeconds, invoicesPerSecond: rows.length / wallSeconds };
  });
}

export interface ThroughputResult {
  /** The sequential baseline, over both platforms' SEQUENTIAL_INVOICES. */
  readonly sequential: SequentialRun;
  readonly oneReplica: BillingRun;
  readonly threeReplicas: BillingRun;
  /** One replica on a platform just started, that has billed nothing before. */
  readonly coldOneReplica: BillingRun;
}

/**
 * The throughput benchmark, on two fresh platforms of the same shape, one with one invoice-app
 * and one with three, each warmed up first. On each, SEQUENTIAL_INVOICES new invoices are
 * charged by the sequential baseline (same provider, same latency, same database), then
 * THROUGHPUT_INVOICES new ones are billed by invoice-app, every replica asked at the same moment.
 * Then a third platform, with one invoice-app, bills THROUGHPUT_INVOICES seeded invoices cold:
 * its first work since it started, against the same sequential baseline.
 */
export async function benchmarkThroughput(): Promise<ThroughputResult> {
  const run = (replicas: number) =>
    withWarmPlatform(replicas, undefined, async (platform) => {
      const { rows } = await withAdmin(platform.postgres.url('invoices'), (db) =>
        db.query<{ last: number }>('SELECT max(id) AS last FROM invoices'),
      );
      await addPendingInvoices(platform, SEQUENTIAL_INVOICES);
      const sequential = await billSequentially(platform, rows[0]!.last);
      if (sequential.invoices !== SEQUENTIAL_INVOICES) {
        throw new Error(`The sequential baseline found ${sequential.invoices} invoices, not ${SEQUENTIAL_INVOICES}`);
      }
      await addPendingInvoices(platform, THROUGHPUT_INVOICES);
      return { sequential, billing: await billAll(platform, THROUGHPUT_INVOICES) };
    });
  const one = await run(1);
  const three = await run(3);
  // No warm-up at all: the invoices are the seed's, and the pay request is the platform's first work.
  const cold = await withPlatform({ invoices: THROUGHPUT_INVOICES }, (platform) =>
    billAll(platform, THROUGHPUT_INVOICES),
  );
  const invoices = one.sequential.invoices + three.sequential.invoices;
  const wallSeconds = one.sequential.wallSeconds + three.sequential.wallSeconds;
  return {
    sequential: { invoices, wallSeconds, invoicesPerSecond: invoices / wallSeconds },
    oneReplica: one.billing,
    threeReplicas: three.billing,
    coldOneReplica: cold,
  };
}
