import { billFresh, type BillingHook, type BillingRun } from './billing.js';

/** The size the largest run's time per invoice is held against: the throughput benchmark's. */
export const SCALING_REFERENCE_INVOICES = 10_000;

/** Invoices of the largest run unless `npm run bench -- --invoices N` chooses another size. */
export const DEFAULT_LARGEST_INVOICES = 1_000_000;

/** Sizes of the scaling benchmark, smallest first: powers of ten from 1,000 below `largest`, then `largest`. */
export function scalingSizes(largest: number): number[] {
  if (!Number.isSafeInteger(largest) || largest < SCALING_REFERENCE_INVOICES) {
    throw new Error(
      `--invoices must be a whole number of at least ${SCALING_REFERENCE_INVOICES.toLocaleString('en-US')}, the run it is compared with; got ${largest}.`,
    );
  }
  return [1_000, 10_000, 100_000].filter((size) => size < largest).concat(largest);
}

export interface ScalingResult {
  /** One fresh run per size, one replica, in scalingSizes order; the largest was followed through its event stream. */
  readonly runs: BillingRun[];
  /** The size whose run came from the throughput benchmark, if one did. */
  readonly reusedInvoices?: number;
}

/**
 * How billing time grows with the number of invoices: a fresh platform per size, one
 * invoice-app, the same provider latency. A run already made at one of the sizes under the
 * same conditions (the throughput benchmark's) can be passed in rather than repeated. The
 * largest run is started asynchronously and followed through its event stream, as an operator
 * would; its platform is handed to `largest` hooks (the memory benchmark) before and after.
 */
export async function benchmarkScaling(options: {
  readonly largestInvoices: number;
  readonly reuse?: BillingRun;
  readonly largest?: { readonly beforeBilling: BillingHook; readonly afterBilling: BillingHook };
}): Promise<ScalingResult> {
  const runs: BillingRun[] = [];
  let reusedInvoices: number | undefined;
  for (const invoices of scalingSizes(options.largestInvoices)) {
    const largest = invoices === options.largestInvoices;
    const reuse = options.reuse;
    if (!largest && reuse?.invoices === invoices && reuse.replicas === 1) {
      runs.push(reuse);
      reusedInvoices = invoices;
    } else runs.push(await billFresh({ invoices, ...(largest ? { ...options.largest, follow: true } : {}) }));
  }
  return { runs, reusedInvoices };
}
