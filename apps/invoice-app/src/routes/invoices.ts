import DataLoader from 'dataloader';
import Type from 'typebox';
import { jsonArrayStream, responses, type RoutesPlugin } from '@billing/service-kit';
import { INVOICE_COLUMNS, invoiceJson, type InvoiceRow } from '../representation.js';
import { Invoice, InvoiceCounts } from './api-schemas.js';
import { IdParams, MAX_ID } from './id-params.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Page size when a client pages with `after` alone. */
export const DEFAULT_PAGE_SIZE = 100;
/** Largest page a client may ask for. */
export const MAX_PAGE_SIZE = 1_000;

const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(['PENDING', 'PAID', 'FAILED'])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE })),
    after: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_ID })),
  },
  { additionalProperties: false },
);

// Named, so each pooled connection parses and plans them once rather than on every request.
const READ_BY_IDS = {
  name: 'invoices-by-ids',
  text: `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE id = ANY($1::integer[])`,
};
const READ_AFTER = {
  name: 'invoices-after',
  text: `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE id > $1 ORDER BY id LIMIT $2`,
};
const READ_AFTER_WITH_STATUS = {
  name: 'invoices-after-with-status',
  text: `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE id > $1 AND status = $3 ORDER BY id LIMIT $2`,
};

const COUNT_BY_STATUS = {
  name: 'invoices-count-by-status',
  text: 'SELECT status, count(*)::int AS count FROM invoices GROUP BY status',
};

/**
 * GET /rest/v1/invoices: without `limit` or `after`, every invoice (optionally of one
 * `status`) as one streamed JSON array, as Antaeus answers. With `limit` and/or `after`, one
 * page: the invoices with an id greater than `after` (default 0), at most `limit` (default
 * 100, at most 1000), still a plain array; when more follow, a `Link: <...>; rel="next"`
 * header gives the next page's URL (its `after` is the last id of this page).
 *
 * GET /rest/v1/invoices/counts: the number of invoices in each status (the operator page's tally).
 *
 * GET /rest/v1/invoices/:id: one invoice; 404 if there is none, 400 for an id that is not a
 * positive 32-bit integer.
 */
export const invoiceRoutes: RoutesPlugin = async (app) => {
  // Lookups by id that arrive in the same turn of the event loop share one query (read in the
  // check phase, after every request the loop has just parsed). Under load this turns dozens of
  // round trips, each a wake-up of Postgres and of this process, into one; alone, a lookup waits
  // for nothing. No cache: every request reads the row as it is now.
  const byId = new DataLoader<number, InvoiceRow | undefined>(
    async (ids) => {
      const { rows } = await app.db.query<InvoiceRow>({ ...READ_BY_IDS, values: [ids] });
      const found = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => found.get(id));
    },
    { cache: false, maxBatchSize: 100, batchScheduleFn: (dispatch) => setImmediate(dispatch) },
  );
  const readAfter = async (status: string | undefined, afterId: number, limit: number) => {
    const { rows } = await app.db.query<InvoiceRow>(
      status === undefined
        ? { ...READ_AFTER, values: [afterId, limit] }
        : { ...READ_AFTER_WITH_STATUS, values: [afterId, limit, status] },
    );
    return rows;
  };

  const listSchema = {
    summary: 'Every invoice, or one page of them',
    description:
      'Without limit or after: every invoice (optionally of one status) as one streamed array, as Antaeus answers. ' +
      'With limit and/or after: the invoices with a larger id than after, at most limit; a Link header (rel="next") gives the next page.',
    querystring: ListQuery,
    response: responses({ 200: Type.Array(Invoice) }, 400, 503),
  };
  app.get('/rest/v1/invoices', { schema: listSchema }, async (request, reply) => {
    const { status, limit, after } = request.query;
    if (limit === undefined && after === undefined) {
      const stream = await jsonArrayStream((afterId, batch) => readAfter(status, afterId, batch), invoiceJson);
      return reply.type(JSON_TYPE).send(stream);
    }
    const pageSize = limit ?? DEFAULT_PAGE_SIZE;
    // One row more than asked tells whether another page follows.
    const rows = await readAfter(status, after ?? 0, pageSize + 1);
    const page = rows.slice(0, pageSize);
    if (rows.length > pageSize) {
      const next = new URLSearchParams({
        ...(status === undefined ? {} : { status }),
        limit: String(pageSize),
        after: String(page.at(-1)!.id),
      });
      void reply.header('link', `</rest/v1/invoices?${next}>; rel="next"`);
    }
    return reply.type(JSON_TYPE).send(`[${page.map(invoiceJson).join(',')}]`);
  });

  app.get(
    '/rest/v1/invoices/counts',
    {
      schema: {
        summary: 'How many invoices there are in each status',
        response: responses({ 200: InvoiceCounts }, 503),
      },
    },
    async () => {
      const { rows } = await app.db.query<{ status: 'PENDING' | 'PAID' | 'FAILED'; count: number }>(COUNT_BY_STATUS);
      return { PENDING: 0, PAID: 0, FAILED: 0, ...Object.fromEntries(rows.map((row) => [row.status, row.count])) };
    },
  );

  const byIdSchema = {
    summary: 'One invoice',
    params: IdParams,
    response: responses({ 200: Invoice }, 400, 404, 503),
  };
  app.get('/rest/v1/invoices/:id', { schema: byIdSchema }, async (request, reply) => {
    const { id } = request.params;
    const invoice = await byId.load(id);
    if (invoice === undefined) return reply.code(404).send({ error: `Invoice '${id}' was not found` });
    return reply.type(JSON_TYPE).send(invoiceJson(invoice));
  });
};
