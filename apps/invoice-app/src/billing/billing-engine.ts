import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type pg from 'pg';
import type { BillingMetrics, InvoiceOutcome } from './billing-metrics.js';
import {
  BillingRuns,
  newRunId,
  type RunCounts,
  type RunRecord,
  type RunStatus,
  type RunTrigger,
} from './billing-runs.js';
import { ClaimQueue } from './claim-queue.js';
import {
  claimInvoices,
  msUntilForeignLeaseEnds,
  renewClaims,
  type ClaimedInvoice,
  type Settlement,
} from './invoice-claims.js';
import type { ChargeResult, PaymentProviderClient } from './payment-provider-client.js';
import { SettlementWriter } from './settlement-writer.js';

/** What the engine needs and how hard it works. */
export interface BillingEngineOptions {
  /** The app's pool. */
  readonly db: pg.Pool;
  /** The provider's client; the engine does not close it. */
  readonly provider: PaymentProviderClient;
  readonly metrics: BillingMetrics;
  readonly log: FastifyBaseLogger;
  /** Charges in flight at once per run. @default 128 */
  readonly concurrency?: number;
  /** How long a claim holds an invoice: longer than the slowest charge plus its write. */
  readonly leaseMs: number;
  /** The longest one charge can take with all its retries. */
  readonly slowestChargeMs: number;
  /** How often a run writes its counts to its record (bounds the write rate). @default 500 */
  readonly progressIntervalMs?: number;
}

/** The answer of POST /rest/v1/invoices/pay: this run's share of the work. */
export interface BillingSummary extends RunCounts {
  readonly runId: string;
  /** How the run ended: completed, interrupted (by shutdown) or failed. */
  status: Exclude<RunStatus, 'running'>;
  /** PENDING invoices when the run began (other runs may have taken some of them). */
  readonly total: number;
  /** False when shutdown stopped the run early; the rest is left for the next run. */
  complete: boolean;
  durationMs: number;
}

/** Time a charge leaves before its claim runs out, to write its outcome. */
const WRITE_MARGIN_MS = 1_000;

/** Asked between claims: true stops taking new invoices (in-flight ones still finish). */
export type StopSignal = () => boolean;

/** How a run is started. */
export interface StartOptions {
  /** Who asked for it, as recorded. */
  readonly trigger: RunTrigger;
  /** @default never stops */
  readonly shouldStop?: StopSignal;
}

/** A run that has its record and is under way. */
export interface StartedRun {
  /** The record as first written: running, with the billable total. */
  readonly record: RunRecord;
  /** Its summary once it ends; rejects when the run failed. */
  readonly done: Promise<BillingSummary>;
}

/**
 * The billing engine. A run claims PENDING invoices in the database in small batches (see
 * invoice-claims.ts), charges them with bounded concurrency, and writes outcomes back in
 * batches. It ends when no invoice it may take remains, after waiting out leases that other
 * runs took before it began (a dead run's lease expires and this run takes over).
 *
 * Why a charge is never made twice: every charge carries the invoice's Idempotency-Key,
 * committed with the claim before the request leaves; the key is kept for as long as the
 * outcome is unknown, and replaced only after the provider definitely declined it, when it
 * can no longer succeed. So at any time an invoice has at most one key that could still
 * charge, and the provider charges a key at most once.
 */
export class BillingEngine {
  private readonly concurrency: number;
  private readonly runs: BillingRuns;
  private readonly replica = `${hostname()}/${process.pid}`;
  private readonly underway = new Set<Promise<unknown>>();

  constructor(private readonly options: BillingEngineOptions) {
    this.concurrency = options.concurrency ?? 128;
    this.runs = new BillingRuns(options.db, (count) => options.metrics.runsFoundDead(count));
  }

  /**
   * Records a new run and starts it: it bills every invoice that can be billed now, writing its
   * counts to its record as it goes; the summary counts this run's share.
   */
  async start(options: StartOptions): Promise<StartedRun> {
    const runId = newRunId();
    const { record, startedAt } = await this.runs.create({
      runId,
      trigger: options.trigger,
      replica: this.replica,
      leaseMs: this.options.leaseMs,
    });
    const done = this.execute(record, startedAt, options.shouldStop ?? (() => false));
    const tracked = done.catch(() => undefined);
    this.underway.add(tracked);
    void tracked.finally(() => this.underway.delete(tracked));
    return { record, done };
  }

  /** Resolves once every run this engine started has ended (for shutdown). */
  async allEnded(): Promise<void> {
    await Promise.all(this.underway);
  }

  private async execute(record: RunRecord, runStartedAt: string, shouldStop: StopSignal): Promise<BillingSummary> {
    const { db, log, metrics } = this.options;
    const { runId } = record;
    const began = performance.now();
    const summary: BillingSummary = {
      runId,
      status: 'completed',
      total: record.total,
      attempted: 0,
      paid: 0,
      declined: 0,
      failed: 0,
      errored: 0,
      resumed: 0,
      chargeRequests: 0,
      complete: true,
      durationMs: 0,
    };
    const writer = new SettlementWriter(db, runId);
    const inFlight = new InFlight(
      (err) => log.error({ err, runId }, 'charging an invoice failed unexpectedly'),
      () => claimed.sendReady(),
    );
    const claimed = new ClaimQueue({
      send: (invoice, leaseEnds) => {
        summary.attempted += 1;
        if (invoice.resumed) summary.resumed += 1;
        inFlight.add(this.bill(invoice, leaseEnds, settle));
      },
      slotFree: () => inFlight.size < this.concurrency,
      renew: (ids) => renewClaims(db, runId, ids, this.options.leaseMs),
      leaseMs: this.options.leaseMs,
      slowestChargeMs: this.options.slowestChargeMs,
      writeMarginMs: WRITE_MARGIN_MS,
    });
    const settle = (invoice: ClaimedInvoice, outcome: InvoiceOutcome, settlement: Omit<Settlement, 'id'>) => {
      summary[outcome] += 1;
      summary.chargeRequests += settlement.requests;
      metrics.invoice(outcome);
      writer.add({ id: invoice.id, ...settlement });
    };

    const progress = new ProgressWriter(this.runs, summary, this.options, log);
    log.info({ runId, trigger: record.trigger, total: record.total }, 'billing run started');
    try {
      // Claims come in batches of a quarter of the slots, one batch ahead of them.
      const batch = Math.max(1, Math.floor(this.concurrency / 4));
      // The scan moves up the ids, so a claim never re-reads the rows this run already settled.
      let afterId = 0;

      while (true) {
        if (shouldStop() || writer.failed) {
          summary.complete = false;
          break;
        }
        if (claimed.needsRenewal) {
          await claimed.renew();
          continue;
        }
        const wanted = this.concurrency + batch - inFlight.size - claimed.length;
        if (wanted < batch) {
          await inFlight.nextEnd();
          continue;
        }
        const leaseEnds = Date.now() + this.options.leaseMs;
        const invoices = await claimInvoices(db, {
          runId,
          runStartedAt,
          afterId,
          limit: wanted,
          leaseMs: this.options.leaseMs,
        });
        claimed.add(invoices, leaseEnds);
        if (invoices.length > 0) {
          afterId = invoices.at(-1)!.id;
          continue;
        }
        if (afterId > 0) {
          // The end of the ids: one more pass from the start takes rows that were locked or leased.
          afterId = 0;
          continue;
        }
        // A pass from the start found nothing: let this run's charges finish, then look again.
        if (inFlight.size > 0 || claimed.length > 0) {
          await inFlight.allEnded();
          continue;
        }
        // Only invoices leased by other runs before this one began may still be this run's work.
        const waitMs = await msUntilForeignLeaseEnds(db, runStartedAt);
        if (waitMs === null) break;
        await sleep(Math.min(Math.max(waitMs, 50), 500));
      }
      // Stopped by shutdown, the invoices claimed ahead are charged like those in flight; with
      // the database failing, they are left to their claims running out.
      if (writer.failed) claimed.clear();
      while (claimed.length > 0) await (claimed.needsRenewal ? claimed.renew() : inFlight.nextEnd());
      await inFlight.allEnded();
      await writer.flush();
    } catch (err) {
      // Charges already sent still get their answers recorded if the database lets us; invoices
      // not yet sent keep their claims, which run out for the next run to take them.
      claimed.clear();
      await inFlight.allEnded();
      await writer.flush().catch(() => undefined);
      summary.status = 'failed';
      summary.complete = false;
      summary.durationMs = Math.round(performance.now() - began);
      metrics.run('failed', summary.durationMs / 1000);
      log.error({ err, runId, summary }, 'billing run failed');
      await progress.finish('failed', err instanceof Error ? err.message : String(err));
      throw err;
    }
    summary.status = summary.complete ? 'completed' : 'interrupted';
    summary.durationMs = Math.round(performance.now() - began);
    metrics.run(summary.complete ? 'complete' : 'interrupted', summary.durationMs / 1000);
    log.info({ summary }, 'billing run finished');
    await progress.finish(summary.status, null);
    return summary;
  }

  private async bill(
    invoice: ClaimedInvoice,
    leaseEnds: number,
    settle: (invoice: ClaimedInvoice, outcome: InvoiceOutcome, settlement: Omit<Settlement, 'id'>) => void,
  ): Promise<void> {
    // The claim gives no key to an invoice that must never be charged: retrying cannot fix it.
    if (invoice.chargeKey === null) {
      const error =
        invoice.customerCurrency === null
          ? `customer ${invoice.customerId} does not exist`
          : `invoice currency ${invoice.currency} does not match customer currency ${invoice.customerCurrency}`;
      settle(invoice, 'failed', { chargeKey: null, status: 'FAILED', requests: 0, error, clearKey: false });
      return;
    }
    this.options.metrics.chargeStarted();
    let result: ChargeResult;
    try {
      result = await this.options.provider.charge(
        {
          invoiceId: invoice.id,
          customerId: invoice.customerId,
          amount: invoice.amount,
          currency: invoice.currency,
          key: invoice.chargeKey,
        },
        // Stop retrying with time left to write the outcome before the lease runs out.
        { deadline: leaseEnds - WRITE_MARGIN_MS },
      );
    } finally {
      this.options.metrics.chargeEnded();
    }
    const base = { chargeKey: invoice.chargeKey, requests: result.requests };
    switch (result.kind) {
      case 'charged':
        settle(invoice, 'paid', { ...base, status: 'PAID', error: null, clearKey: false });
        return;
      case 'declined':
        settle(invoice, 'declined', {
          ...base,
          status: 'PENDING',
          error: 'declined by the payment provider',
          clearKey: true,
        });
        return;
      case 'rejected':
        settle(invoice, 'failed', { ...base, status: 'FAILED', error: result.error, clearKey: false });
        return;
      case 'unknown':
        settle(invoice, 'errored', { ...base, status: 'PENDING', error: result.error, clearKey: false });
        return;
    }
  }
}

/**
 * Writes a run's counts to its record every `progressIntervalMs` while it runs, one write at a
 * time (a slow database gets fewer writes, not a queue of them), and its end once it ends.
 * Each write also keeps the run alive for another lease.
 */
class ProgressWriter {
  private readonly timer: NodeJS.Timeout;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly runs: BillingRuns,
    private readonly summary: BillingSummary,
    private readonly options: BillingEngineOptions,
    private readonly log: FastifyBaseLogger,
  ) {
    this.timer = setInterval(() => this.write(), options.progressIntervalMs ?? 500);
  }

  private write(): void {
    if (this.writing) return;
    this.writing = this.runs
      .progress(this.summary.runId, this.summary, this.options.leaseMs)
      .catch((err: unknown) => this.log.warn({ err, runId: this.summary.runId }, 'could not record run progress'))
      .finally(() => (this.writing = undefined));
  }

  /**
   * Records the end, retrying a few times: if the database stays away, the record reads as
   * interrupted once the run's lease runs out.
   */
  async finish(status: Exclude<RunStatus, 'running'>, error: string | null): Promise<void> {
    clearInterval(this.timer);
    await this.writing;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.runs.finish(this.summary.runId, status, this.summary, error);
        return;
      } catch (err) {
        if (attempt >= 4) {
          this.log.error({ err, runId: this.summary.runId, status }, 'could not record the end of a billing run');
          return;
        }
        await sleep(250 * 2 ** attempt);
      }
    }
  }
}

/**
 * The run's charges in flight: a count, and a way to wait for the next one to end that costs
 * the same whatever the concurrency (Promise.race over every task would not).
 */
class InFlight {
  size = 0;
  private waiting: (() => void)[] = [];

  constructor(
    private readonly onError: (err: unknown) => void,
    /** Told each time a slot frees up, before anyone waiting is woken. */
    private readonly onSlotFree: () => void,
  ) {}

  add(task: Promise<void>): void {
    this.size += 1;
    task.catch(this.onError).finally(() => {
      this.size -= 1;
      this.onSlotFree();
      const waiting = this.waiting;
      this.waiting = [];
      for (const wake of waiting) wake();
    });
  }

  nextEnd(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async allEnded(): Promise<void> {
    while (this.size > 0) await this.nextEnd();
  }
}
