import type { RandomSource } from './random.js';

/** Injected trouble, for testing how callers cope. */
export interface FaultOptions {
  /** Every charge waits this long plus a random extra of up to as long again. 0 turns it off. */
  readonly latencyMs: number;
  /** Share of charge requests answered 503 without charging. 0 turns it off. */
  readonly errorRate: number;
  /** Where the chance comes from; kept apart from the outcomes so faults do not shift them. */
  readonly random: RandomSource;
}

/** Decides, request by request, the latency and errors that FAULT_LATENCY_MS and FAULT_ERROR_RATE ask for. */
export class FaultInjector {
  constructor(private readonly options: FaultOptions) {}

  /** How long the next charge waits before it is processed, in ms. */
  nextDelayMs(): number {
    const { latencyMs, random } = this.options;
    return latencyMs === 0 ? 0 : latencyMs * (1 + random.next());
  }

  /** Whether the next charge is answered 503 instead of being processed. */
  nextFails(): boolean {
    const { errorRate, random } = this.options;
    return errorRate > 0 && random.next() < errorRate;
  }
}
