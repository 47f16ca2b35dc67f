import Type from 'typebox';
import { jsonArrayStream, requireBearerToken, type RoutesPlugin } from '@billing/service-kit';
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

/**
 * GET /rest/v1/charges[?invoice_id=N]: every recorded charge attempt in id order, as the
 * contract's JSON array. The array is streamed page by page, so memory stays flat at any size.
 */
export const chargesRoutes: RoutesPlugin<ChargesRoutesOptions> = async (scope, { token, ledger }) => {
  await requireBearerToken(scope, token, { tokenName: 'PAYMENT_PROVIDER_TOKEN' });

  scope.get('/rest/v1/charges', { schema: { querystring } }, async (request, reply) => {
    const { invoice_id: invoiceId } = request.query;
    const stream = await jsonArrayStream(
      (afterId, limit) => ledger.entriesAfter(afterId, limit, { invoiceId }),
      (entry) => JSON.stringify(entry),
      PAGE_SIZE,
    );
    return reply.type('application/json; charset=utf-8').send(stream);
  });
};
