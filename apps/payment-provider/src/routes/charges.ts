import { Readable } from 'node:stream';
import Type from 'typebox';
import { requireBearerToken, type RoutesPlugin } from '@billing/service-kit';
import type { Ledger, LedgerEntry } from '../ledger.js';

/** What the ledger listing needs. */
export interface ChargesRoutesOptions {
  /** The bearer token callers must present. */
  readonly token: string;
  /** The ledger it lists. */
  readonly ledger: Ledger;
}

// Read as a string: TypeBox's conversion of query strings truncates "1.5" to the integer 1.
const positiveInteger = Type.Refine(
  Type.String(),
  (text) => /^[1-9][0-9]*$/.test(text) && Number.isSafeInteger(Number(text)),
  () => 'must be a positive integer',
);

const querystring = Type.Object(
  { invoice_id: Type.Optional(positiveInteger) },
  // A misspelt filter (invoiceId=7) is refused rather than silently listing everything.
  { additionalProperties: false },
);

/**
 * GET /rest/v1/charges[?invoice_id=N]: every recorded charge attempt in id order, as the
 * contract's JSON array. The array is streamed page by page, so memory stays flat at any size.
 */
export const chargesRoutes: RoutesPlugin<ChargesRoutesOptions> = async (scope, { token, ledger }) => {
  await requireBearerToken(scope, token);

  scope.get('/rest/v1/charges', { schema: { querystring } }, async (request, reply) => {
    const { invoice_id: invoiceId } = request.query;
    const pages = ledger.pages({ invoiceId: invoiceId === undefined ? undefined : Number(invoiceId) });
    // The first page is read before anything is sent, so a database failure is still a clean error answer.
    const first = await pages.next();
    return reply.type('application/json; charset=utf-8').send(Readable.from(jsonArray(first, pages)));
  });
};

async function* jsonArray(
  first: IteratorResult<LedgerEntry[]>,
  rest: AsyncIterator<LedgerEntry[]>,
): AsyncGenerator<string> {
  yield '[';
  let separator = '';
  for (let page = first; !page.done; page = await rest.next()) {
    yield separator + page.value.map((entry) => JSON.stringify(entry)).join(',');
    separator = ',';
  }
  yield ']';
}
