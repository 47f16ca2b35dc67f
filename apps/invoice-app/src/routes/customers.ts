import Type from 'typebox';
import { jsonArrayStream, responses, type RoutesPlugin } from '@billing/service-kit';
import { customerJson, type CustomerRow } from '../representation.js';
import { Customer } from './api-schemas.js';
import { IdParams } from './id-params.js';

// A misspelt parameter is refused rather than silently ignored.
const NoQuery = Type.Object({}, { additionalProperties: false });

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * GET /rest/v1/customers: every customer, streamed like the invoice list.
 * GET /rest/v1/customers/:id: one customer; 404 if there is none, 400 for a bad id.
 */
export const customerRoutes: RoutesPlugin = async (app) => {
  const listSchema = {
    summary: 'Every customer, streamed',
    querystring: NoQuery,
    response: responses({ 200: Type.Array(Customer) }, 400, 503),
  };
  app.get('/rest/v1/customers', { schema: listSchema }, async (_request, reply) => {
    const stream = await jsonArrayStream(async (afterId, limit) => {
      const { rows } = await app.db.query<CustomerRow>(
        'SELECT id, currency FROM customers WHERE id > $1 ORDER BY id LIMIT $2',
        [afterId, limit],
      );
      return rows;
    }, customerJson);
    return reply.type(JSON_TYPE).send(stream);
  });

  const byIdSchema = {
    summary: 'One customer',
    params: IdParams,
    response: responses({ 200: Customer }, 400, 404, 503),
  };
  app.get('/rest/v1/customers/:id', { schema: byIdSchema }, async (request, reply) => {
    const { id } = request.params;
    const { rows } = await app.db.query<CustomerRow>('SELECT id, currency FROM customers WHERE id = $1', [id]);
    const customer = rows[0];
    if (customer === undefined) return reply.code(404).send({ error: `Customer '${id}' was not found` });
    return reply.type(JSON_TYPE).send(customerJson(customer));
  });
};
