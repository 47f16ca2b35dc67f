import type { Platform } from '@billing/devkit';
import { processMemory } from './platform.js';

/** The counts of a run record that only ever grow while it runs. */
const COUNTS = ['attempted', 'paid', 'declined', 'failed', 'errored'] as const;

/** A run record as its event stream sends it (the fields the benchmark reads). */
export type RunCounts = Record<(typeof COUNTS)[number], number> & { readonly status: string };

/** One server-sent event of a run, and when it arrived. */
export interface RunEvent {
  readonly event: 'progress' | 'end';
  /** Seconds since the pay request was sent. */
  readonly at: number;
  readonly run: RunCounts;
}

/** A billing run started with `Prefer: respond-async` and followed through its event stream to its end. */
export interface FollowedRun {
  /** Progress events, the end event not included. */
  readonly progressEvents: number;
  /** Longest wait between two consecutive events (the end included), seconds. */
  readonly longestGapSeconds: number;
  /** Every count of every event at least that of the event before. */
  readonly monotonic: boolean;
  /** The end event's record. */
  readonly end: RunCounts;
  /** Successful charges the provider's ledger gained during the run: what `end.paid` must be. */
  readonly ledgerPaid: number;
  /** invoice-app's peak resident memory (VmHWM) when the end event arrived, MiB. */
  readonly peakRssMiB: number;
}

/** What a sequence of events says about the run's progress: how many, how regular, in order. */
export function progressOf(
  events: readonly RunEvent[],
): Pick<FollowedRun, 'progressEvents' | 'longestGapSeconds' | 'monotonic'> {
  const gaps = events.slice(1).map((event, index) => event.at - events[index]!.at);
  return {
    progressEvents: events.filter((event) => event.event === 'progress').length,
    longestGapSeconds: Math.max(0, ...gaps),
    monotonic: events
      .slice(1)
      .every((event, index) => COUNTS.every((count) => event.run[count] >= events[index]!.run[count])),
  };
}

/**
 * Starts a run as an operator's client does (`Prefer: respond-async`: 202 and the run's
 * Location), follows GET <Location>/events until the `end` event, and reads invoice-app's peak
 * memory then. Resolves with the events in arrival order.
 */
export async function followRun(
  platform: Platform,
  started: number,
): Promise<{ events: RunEvent[]; peakRssMiB: number }> {
  const base = platform.invoiceAppUrls[0]!;
  const authorization = `Bearer ${platform.billingApiToken}`;
  const accepted = await fetch(`${base}/rest/v1/invoices/pay`, {
    method: 'POST',
    headers: { authorization, prefer: 'respond-async' },
  });
  const location = accepted.headers.get('location');
  if (accepted.status !== 202 || location === null) {
    throw new Error(`pay with Prefer: respond-async: ${accepted.status} ${await accepted.text()}`);
  }
  await accepted.body?.cancel();
  const stream = await fetch(`${base}${location}/events`, { headers: { authorization } });
  if (stream.status !== 200 || stream.body === null) {
    throw new Error(`${location}/events: ${stream.status} ${await stream.text()}`);
  }
  const events: RunEvent[] = [];
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of stream.body) {
    buffered += decoder.decode(chunk, { stream: true });
    // Events end with a blank line; the last piece may be an event still arriving.
    const blocks = buffered.split('\n\n');
    buffered = blocks.pop()!;
    for (const block of blocks) {
      const event = /^event: (progress|end)$/m.exec(block)?.[1] as RunEvent['event'] | undefined;
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event === undefined || data === undefined) continue;
      events.push({ event, at: (performance.now() - started) / 1000, run: JSON.parse(data) as RunCounts });
    }
  }
  if (events.at(-1)?.event !== 'end') throw new Error(`${location}/events closed before its end event`);
  const { peakRssMiB } = await processMemory(platform.invoiceApps[0]!.child.pid!);
  return { events, peakRssMiB };
}
