import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { settleInvoices, type Settlement } from './invoice-claims.js';

/** How outcomes are grouped into writes. */
export interface SettlementWriterOptions {
  /** Write as soon as this many outcomes wait. @default 256 */
  readonly batchSize?: number;
  /** Longest an outcome waits for its batch to fill. @default 20 */
  readonly maxDelayMs?: number;
  /** Tries per batch before the run gives up on the database. @default 4 */
  readonly maxTries?: number;
}

/**
 * Collects a run's outcomes and writes them in batches, one statement per batch and one
 * batch at a time, so the database sees a few hundred writes a second instead of one per
 * invoice. An outcome that is never written (crash, database gone) is not lost money: the
 * invoice keeps its key, and the next run asks the provider again with it.
 */
export class SettlementWriter {
  private readonly batchSize: number;
  private readonly maxDelayMs: number;
  private readonly maxTries: number;
  private waiting: Settlement[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  constructor(
    private readonly db: pg.Pool,
    private readonly runId: string,
    options: SettlementWriterOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 256;
    this.maxDelayMs = options.maxDelayMs ?? 20;
    this.maxTries = options.maxTries ?? 4;
  }

  /** The error that stopped writing, if any: the run should stop taking new work. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Queues an outcome; it is written within `maxDelayMs` or when the batch fills. */
  add(settlement: Settlement): void {
    this.waiting.push(settlement);
    if (this.waiting.length >= this.batchSize) this.writeWaiting();
    else this.timer ??= setTimeout(() => this.writeWaiting(), this.maxDelayMs);
  }

  /** Writes everything queued; throws if any batch could not be written. */
  async flush(): Promise<void> {
    this.writeWaiting();
    await this.writing;
    if (this.failure) throw this.failure;
  }

  private writeWaiting(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.length === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    this.writing = this.writing.then(() => this.write(batch));
  }

  private async write(batch: Settlement[]): Promise<void> {
    if (this.failure) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await settleInvoices(this.db, this.runId, batch);
        return;
      } catch (err) {
        if (attempt >= this.maxTries) {
          this.failure = err instanceof Error ? err : new Error(String(err));
          return;
        }
        await sleep(100 * 2 ** attempt);
      }
    }
  }
}
