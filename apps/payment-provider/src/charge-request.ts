import { createHash } from 'node:crypto';
import Type, { type Static } from 'typebox';

/** Currencies the provider charges in; any other is refused with 422. */
export const SUPPORTED_CURRENCIES = ['EUR', 'USD', 'DKK', 'SEK', 'GBP'] as const;

export type Currency = (typeof SUPPORTED_CURRENCIES)[number];

export function isSupportedCurrency(currency: string): currency is Currency {
  return (SUPPORTED_CURRENCIES as readonly string[]).includes(currency);
}

// The ledger's numeric(12, 2): whole cents, below ten billion.
const MAX_AMOUNT = 9_999_999_999.99;

const databaseId = () => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

/**
 * The body of POST /rest/v1/charge. Anything else is 400: wrong types (no "5" for 5), missing
 * or extra fields, a value that is not positive, too large, or not a whole number of cents
 * (rounding someone's money silently is worse than refusing it). The currency only has to be
 * a string here: an unsupported one is a well-formed request the provider declines to serve,
 * which the contract answers with 422.
 */
export const chargeRequestSchema = Type.Object(
  {
    customer_id: databaseId(),
    value: Type.Refine(
      Type.Number({ exclusiveMinimum: 0, maximum: MAX_AMOUNT }),
      (value) => Number(value.toFixed(2)) === value,
      () => 'must be a whole number of cents (at most 2 decimal places)',
    ),
    currency: Type.String(),
    invoice_id: Type.Optional(databaseId()),
  },
  { additionalProperties: false },
);

export type ChargeRequest = Static<typeof chargeRequestSchema>;

/** The headers a charge may carry; other headers pass untouched. */
export const chargeHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
});

/**
 * SHA-256 of the request in a fixed field order and number format, so that `10.5` and `10.50`,
 * or the same fields in another order, are the same request for the Idempotency-Key check.
 */
export function requestHash(request: ChargeRequest): string {
  const canonical = JSON.stringify([
    request.customer_id,
    request.value.toFixed(2),
    request.currency,
    request.invoice_id ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
