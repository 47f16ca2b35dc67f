import { billFresh, type BillingHook, type BillingRun } from './billing.js';

/** Sizes of the scaling benchmark, smallest first. */
export const SCALING_SIZES = [1_000, 10_000, 100_000];

export interface ScalingResult {
  /** One fresh run per size, one replica, in SCALING_SIZES order. */
  readonly runs: BillingRun[];
  /** The size whose run came from the throughput benchmark, if one did. */
  readonly reusedInvoices?: number;
}

/**
 * How billing time grows with the number of invoices: a fresh platform per size, one
 * invoice-app, the same provider latency. A run already made at one of the sizes under the
 * same conditions (the throughput benchmark's) can be passed in rather than repeated. The
 * largest run's platform is handed to `largest` hooks (the memory benchmark) before and after.
 */
export async function benchmarkScaling(
  options: {
    readonly reuse?: BillingRun;
    readonly largest?: { readonly beforeBilling: BillingHook; readonly afterBilling: BillingHook };
  } = {},
): Promise<ScalingResult> {
  const largestSize = Math.max(...SCALING_SIZES);
  const runs: BillingRun[] = [];
  let reusedInvoices: number | undefined;
  for (const invoices of SCALING_SIZES) {
    const largest = invoices === largestSize;
    const reuse = options.reuse;
    if (!largest && reuse?.invoices === invoices && reuse.replicas === 1) {
      runs.push(reuse);
      reusedInvoices = invoices;
    } else runs.push(await billFresh({ invoices, ...(largest ? options.largest : {}) }));
  }
  return { runs, reusedInvoices };
}
