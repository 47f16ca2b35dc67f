import { requestHash, type ChargeRequest } from './charge-request.js';
import type { EarlierCharge, Ledger } from './ledger.js';
import type { RandomSource } from './random.js';

/** What became of a charge request. */
export type ChargeOutcome =
  /** Charged (`result: true`) or declined; `replayed` when the answer is an earlier request's. */
  | { readonly kind: 'answered'; readonly result: boolean; readonly replayed: boolean }
  /** The Idempotency-Key already belongs to a different request: nothing was charged. */
  | { readonly kind: 'key-reused' };

/** How the simulated card processor decides. */
export interface CardProcessorOptions {
  /** Where every decided charge is recorded. */
  readonly ledger: Ledger;
  /** One draw per new charge: below `successRate` means charged. */
  readonly outcomes: RandomSource;
  /** Share of charges that succeed, 0 to 1. */
  readonly successRate: number;
}

/**
 * Decides charges at random and records each in the ledger before it is answered. With an
 * Idempotency-Key it behaves as real processors do: the same key and the same request get the
 * first answer again and charge nothing more; the same key with another request is refused.
 */
export class CardProcessor {
  /**
   * Draws taken for requests that turned out to be replays, handed to the next new charges:
   * a plain retry then shifts nothing, and the same seed gives the same results however often
   * clients retry. (Looking the key up before drawing would cost every charge a second statement.)
   */
  private readonly unusedDraws: number[] = [];

  constructor(private readonly options: CardProcessorOptions) {}

  async charge(request: ChargeRequest, idempotencyKey?: string): Promise<ChargeOutcome> {
    const { ledger, outcomes, successRate } = this.options;
    const hash = requestHash(request);
    const draw = this.unusedDraws.shift() ?? outcomes.next();
    const result = draw < successRate;
    const recorded = await ledger.record({
      idempotencyKey: idempotencyKey ?? null,
      requestHash: hash,
      invoiceId: request.invoice_id ?? null,
      customerId: request.customer_id,
      amount: request.value,
      currency: request.currency,
      result,
    });
    if (recorded) return { kind: 'answered', result, replayed: false };

    // The key is taken (a retry, or a racing request that won): its charge's answer stands.
    this.unusedDraws.unshift(draw);
    const earlier = idempotencyKey === undefined ? undefined : await ledger.findByIdempotencyKey(idempotencyKey);
    if (!earlier) throw new Error('A charge was neither recorded nor found under its idempotency key');
    return answerAgain(earlier, hash);
  }
}

function answerAgain(earlier: EarlierCharge, hash: string): ChargeOutcome {
  return earlier.requestHash === hash
    ? { kind: 'answered', result: earlier.result, replayed: true }
    : { kind: 'key-reused' };
}
