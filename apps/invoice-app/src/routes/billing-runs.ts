import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import Type from 'typebox';
import { bearerToken, requireBearerToken, responses, type RoutesPlugin } from '@billing/service-kit';
import type { BillingRuns, RunRecord } from '../billing/billing-runs.js';
import { BillingRun } from './api-schemas.js';

/** What the billing-runs routes need. */
export interface BillingRunsRoutesOptions {
  /** BILLING_API_TOKEN. */
  readonly token: string;
  readonly runs: BillingRuns;
  /** How often an event stream reads its run's record. @default 500 */
  readonly pollIntervalMs?: number;
  /** A comment line after this long without an event keeps proxies from closing the stream. @default 15000 */
  readonly keepAliveMs?: number;
}

/** Largest page of runs. */
export const MAX_RUNS = 1_000;

const ListQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RUNS, default: 20 })) },
  { additionalProperties: false },
);
const RunParams = Type.Object({ runId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });

/**
 * The billing runs (bearer token): GET /rest/v1/billing-runs (newest first, `limit`, default
 * 20), GET /rest/v1/billing-runs/:runId (404 unknown) and GET .../:runId/events, a
 * server-sent event stream: `progress` with the run whenever it changes, then `end` with the
 * final run, then the stream closes. The stream reads the record in the database, so a run
 * started on another replica is followed the same way.
 */
export const billingRunsRoutes: RoutesPlugin<BillingRunsRoutesOptions> = async (scope, options) => {
  const { runs } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  await requireBearerToken(scope, options.token, { tokenName: 'BILLING_API_TOKEN' });

  const notFound = (runId: string) => ({ error: `Billing run '${runId}' was not found` });

  const listSchema = {
    summary: 'The billing runs, newest first',
    security: bearerToken,
    querystring: ListQuery,
    response: responses({ 200: Type.Array(BillingRun) }, 400, 401, 503),
  };
  scope.get('/rest/v1/billing-runs', { schema: listSchema }, async (request) => runs.list(request.query.limit ?? 20));

  const oneSchema = {
    summary: 'One billing run, as it is now',
    security: bearerToken,
    params: RunParams,
    response: responses({ 200: BillingRun }, 400, 401, 404, 503),
  };
  scope.get('/rest/v1/billing-runs/:runId', { schema: oneSchema }, async (request, reply) => {
    const run = await runs.get(request.params.runId);
    return run ?? reply.code(404).send(notFound(request.params.runId));
  });

  // Open streams end when shutdown starts, so that they do not hold the server open; a client
  // reconnects (to another replica) and carries on from the record.
  const streams = new Set<ServerResponse>();
  scope.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });

  const eventsSchema = {
    summary: "A billing run's progress as server-sent events",
    description:
      'text/event-stream: a progress event (data: the run) whenever its counts change, at most a few a second, ' +
      'then an end event with the final run, then the stream closes.',
    security: bearerToken,
    params: RunParams,
    response: responses(
      {
        200: {
          description: 'event: progress | end, data: the run as JSON',
          content: { 'text/event-stream': { schema: Type.String() } },
        },
      },
      400,
      401,
      404,
      503,
    ),
  };
  scope.get('/rest/v1/billing-runs/:runId/events', { schema: eventsSchema }, async (request, reply) => {
    const first = await runs.get(request.params.runId);
    if (first === undefined) return reply.code(404).send(notFound(request.params.runId));

    reply.hijack();
    const stream = reply.raw;
    stream.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      // Tells nginx-style proxies not to buffer the stream.
      'x-accel-buffering': 'no',
    });
    // How long an EventSource waits before it reconnects after the stream drops.
    stream.write(`retry: ${2 * pollIntervalMs}\n\n`);
    streams.add(stream);
    const closed = new Promise<void>((resolve) => stream.once('close', resolve));
    void closed.then(() => streams.delete(stream));
    let open = true;
    void closed.then(() => (open = false));

    let lastSent = 0;
    const send = (event: string, run: RunRecord) => {
      stream.write(`event: ${event}\ndata: ${JSON.stringify(run)}\n\n`);
      lastSent = Date.now();
    };
    let run = first;
    let last = '';
    try {
      while (open) {
        const seen = JSON.stringify(run);
        if (run.status !== 'running') {
          send('end', run);
          break;
        }
        if (seen !== last) send('progress', run);
        else if (Date.now() - lastSent >= keepAliveMs) {
          stream.write(': keep-alive\n\n');
          lastSent = Date.now();
        }
        last = seen;
        await Promise.race([sleep(pollIntervalMs), closed]);
        if (!open) break;
        run = (await runs.get(run.runId)) ?? run;
      }
    } catch (err) {
      // The database went away mid-stream: close it; the client reconnects and resumes.
      request.log.warn({ err, runId: run.runId }, 'billing run event stream stopped');
    }
    stream.end();
  });
};
