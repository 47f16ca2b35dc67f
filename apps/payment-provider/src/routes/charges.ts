import Type from 'typebox';
import { bearerToken, jsonArrayStream, requireBearerToken, responses, type RoutesPlugin } from '@billing/service-kit';
import type { Ledger } from '../ledger.js';

// Rows per query of a listing: memory stays at one page whatever the ledger's size.
const PAGE_SIZE = 1_000;

/** What the ledger listing needs. */
export interface ChargesRoutesOptions {
  /** The bearer token callers must present. */
  readonly token: string;
  /** The ledger it lists. */
  readonly ledger: Ledger;
}

const querystring = Type.Object(
  { invoice_id: Type.Optional(Type.Integer({ minimum: 1 })) },
  // A misspelt filter (invoiceId=7) is refused rather than silently listing everything.
  { additionalProperties: false },
);

const LedgerEntry = Type.Object({
  id: Type.Integer(),
  invoiceId: Type.Union([Type.Integer(), Type.Null()]),
  customerId: Type.Integer(),
  amount: Type.Object({ value: Type.Number(), currency: Type.String() }),
  result: Type.Boolean({ description: 'true charged, false declined' }),
  idempotencyKey: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

/**
 * GET /rest/v1/charges[?invoice_id=N]: every recorded charge attempt in id order, as the
 * contract's JSON array. The array is streamed page by page, so memory stays flat at any size.
 */
export const chargesRoutes: RoutesPlugin<ChargesRoutesOptions> = async (scope, { token, ledger }) => {
  await requireBearerToken(scope, token, { tokenName: 'PAYMENT_PROVIDER_TOKEN' });

  const schema = {
    summary: 'Every recorded charge attempt, in id order (streamed)',
    security: bearerToken,
    querystring,
    response: responses({ 200: Type.Array(LedgerEntry) }, 400, 401, 503),
  };
  scope.get('/rest/v1/charges', { schema }, async (request, reply) => {
    const { invoice_id: invoiceId } = request.query;
    const stream = await jsonArrayStream(
      (afterId, limit) => ledger.entriesAfter(afterId, limit, { invoiceId }),
      (entry) => JSON.stringify(entry),
      PAGE_SIZE,
    );
    return reply.type('application/json; charset=utf-8').send(stream);
  });
};
