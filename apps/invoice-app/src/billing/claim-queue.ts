import type { ClaimedInvoice } from './invoice-claims.js';

/** What the queue sends with and how long claims last. */
export interface ClaimQueueOptions {
  /** Charges the invoice in a free slot; `leaseEnds` is when its claim runs out (epoch ms). */
  readonly send: (invoice: ClaimedInvoice, leaseEnds: number) => void;
  /** Whether a slot is free now. */
  readonly slotFree: () => boolean;
  /** Extends the run's claims on these invoices; the ids it still held. */
  readonly renew: (ids: number[]) => Promise<Set<number>>;
  /** How long a claim lasts from the moment it is made or renewed. */
  readonly leaseMs: number;
  /** The longest one charge can take with all its retries: what an unsent claim must still cover. */
  readonly slowestChargeMs: number;
  /** Time a charge leaves before its claim runs out, to write its outcome. */
  readonly writeMarginMs: number;
}

interface Waiting {
  readonly invoice: ClaimedInvoice;
  readonly leaseEnds: number;
}

/**
 * Invoices a run has claimed and not yet sent, sent in claim order as slots free up. A run claims
 * its next batch while every slot is still busy, so that a slot that frees up during the claim's
 * round trip is refilled at once instead of idling until the claim returns.
 *
 * A claim's lease is sized for one charge, so an invoice that waited long for a slot (every slot
 * held by slow charges) is not sent on what is left of it, which would cut its retries short:
 * the claims of the waiting invoices are renewed first, and any that ran out and was taken by
 * another run is dropped, unsent.
 */
export class ClaimQueue {
  private waiting: Waiting[] = [];

  constructor(private readonly options: ClaimQueueOptions) {
    const { leaseMs, slowestChargeMs, writeMarginMs } = options;
    if (leaseMs <= slowestChargeMs + writeMarginMs) {
      throw new Error(
        `A lease of ${leaseMs} ms cannot hold a charge of up to ${slowestChargeMs} ms and its write (${writeMarginMs} ms): ` +
          `make it longer than ${slowestChargeMs + writeMarginMs} ms.`,
      );
    }
  }

  get length(): number {
    return this.waiting.length;
  }

  /** True when the next invoice's claim no longer covers a whole charge: call `renew` before it can go. */
  get needsRenewal(): boolean {
    const next = this.waiting[0];
    return next !== undefined && !this.coversCharge(next.leaseEnds);
  }

  /** Queues invoices claimed in one statement, then sends what free slots take. */
  add(invoices: readonly ClaimedInvoice[], leaseEnds: number): void {
    for (const invoice of invoices) this.waiting.push({ invoice, leaseEnds });
    this.sendReady();
  }

  /** Sends invoices while slots are free, stopping at one whose claim must be renewed first. */
  sendReady(): void {
    while (this.waiting.length > 0 && this.options.slotFree() && !this.needsRenewal) {
      const { invoice, leaseEnds } = this.waiting.shift()!;
      this.options.send(invoice, leaseEnds);
    }
  }

  /** Renews the claims of every waiting invoice, drops those the run no longer holds, and sends what may go. */
  async renew(): Promise<void> {
    const leaseEnds = Date.now() + this.options.leaseMs;
    const held = await this.options.renew(this.waiting.map(({ invoice }) => invoice.id));
    this.waiting = this.waiting
      .filter(({ invoice }) => held.has(invoice.id))
      .map(({ invoice }) => ({ invoice, leaseEnds }));
    this.sendReady();
  }

  /** Forgets the waiting invoices: their claims run out for a later run to take them. */
  clear(): void {
    this.waiting = [];
  }

  private coversCharge(leaseEnds: number): boolean {
    return leaseEnds - this.options.writeMarginMs - Date.now() >= this.options.slowestChargeMs;
  }
}
