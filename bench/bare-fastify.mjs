// The API benchmark's baseline: Fastify with nothing of ours (no kit, no validation, no
// logging, no database), answering the same paths with bodies of the same shape and size as
// invoice-app's. Plain JavaScript, run with plain node like the compiled services.
//
//   PORT=8080 INVOICES=10000 node bench/bare-fastify.mjs
import process from 'node:process';
import Fastify from 'fastify';

const port = Number(process.env.PORT ?? 8080);
const invoices = Number(process.env.INVOICES ?? 10_000);

const invoice = (id) =>
  JSON.stringify({
    id,
    customerId: 1 + Math.floor((id - 1) / 10),
    amount: { value: 184.04, currency: 'USD' },
    status: 'PAID',
    attempts: 1,
    lastError: null,
  });
const all = `[${Array.from({ length: invoices }, (_unused, index) => invoice(index + 1)).join(',')}]`;
const page = `[${Array.from({ length: 100 }, (_unused, index) => invoice(index + 1)).join(',')}]`;

const app = Fastify();
app.get('/rest/health', async () => 'ok');
app.get('/rest/v1/invoices/:id', async (request, reply) =>
  reply.type('application/json; charset=utf-8').send(invoice(Number(request.params.id))),
);
app.get('/rest/v1/invoices', async (request, reply) =>
  reply.type('application/json; charset=utf-8').send(request.query.limit === undefined ? all : page),
);

await app.listen({ port, host: '127.0.0.1' });
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => app.close().then(() => process.exit(0)));
