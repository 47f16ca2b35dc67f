import Type from 'typebox';
import { bearerToken, requireBearerToken, responses, type RoutesPlugin } from '@billing/service-kit';
import type { BillingEngine } from '../billing/billing-engine.js';
import { RUN_TRIGGERS } from '../billing/billing-runs.js';
import { BillingRun, PaySummary } from './api-schemas.js';

/** What the pay route needs. */
export interface PayRoutesOptions {
  /** BILLING_API_TOKEN. */
  readonly token: string;
  readonly engine: BillingEngine;
}

const PayHeaders = Type.Object({
  /** RFC 7240: `respond-async` asks for 202 and the run's address instead of waiting for its end. */
  prefer: Type.Optional(Type.String({ description: 'respond-async: answer 202 at once with the run' })),
  'billing-trigger': Type.Optional(
    Type.Enum([...RUN_TRIGGERS], { description: 'Who starts the run, as recorded on it. Default api.' }),
  ),
});

/** True when a Prefer header holds the respond-async preference (among others, any case). */
function prefersAsync(prefer: string | undefined): boolean {
  return (prefer ?? '').split(',').some((token) => token.split(';')[0]!.trim().toLowerCase() === 'respond-async');
}

/**
 * POST /rest/v1/invoices/pay (bearer token): starts a billing run. By default it waits until
 * nothing is left to charge and answers the run's summary, as Antaeus clients expect; with
 * `Prefer: respond-async` it answers 202 at once with the run's record and its address under
 * /rest/v1/billing-runs, and the run goes on in this process. Calls on several replicas, or
 * several calls on one, share the work through the database. If the database fails mid-run,
 * a waiting caller gets 503: whatever the run could not record, the next run resumes with the
 * same idempotency keys.
 */
export const payRoutes: RoutesPlugin<PayRoutesOptions> = async (scope, { token, engine }) => {
  await requireBearerToken(scope, token, { tokenName: 'BILLING_API_TOKEN' });
  // Runs answered with 202 have no request to keep the server open: shutdown waits for them here.
  scope.addHook('onClose', () => engine.allEnded());

  const schema = {
    summary: 'Start a billing run over every invoice that is not PAID and not FAILED',
    description:
      'By default waits for the run to end and answers its summary. With Prefer: respond-async answers 202 at once, ' +
      'Location: /rest/v1/billing-runs/<runId>, body the run; follow it there.',
    security: bearerToken,
    headers: PayHeaders,
    response: responses(
      {
        200: PaySummary,
        202: { ...BillingRun, description: 'Started (Prefer: respond-async); Location gives its address' },
      },
      400,
      401,
      503,
    ),
  };
  scope.post('/rest/v1/invoices/pay', { schema }, async (request, reply) => {
    const failed = (err: unknown) => {
      const reason = err instanceof Error ? err.message : String(err);
      return reply.code(503).send({
        error: `Billing run stopped: ${reason}. Invoices it did not settle stay PENDING; run it again.`,
      });
    };
    let run;
    try {
      run = await engine.start({
        trigger: request.headers['billing-trigger'] ?? 'api',
        shouldStop: () => scope.isShuttingDown,
      });
    } catch (err) {
      return failed(err);
    }
    if (prefersAsync(request.headers.prefer)) {
      // The outcome is in the run's record; the log has the error.
      run.done.catch(() => undefined);
      return reply
        .code(202)
        .header('location', `/rest/v1/billing-runs/${run.record.runId}`)
        .header('preference-applied', 'respond-async')
        .send(run.record);
    }
    try {
      return await run.done;
    } catch (err) {
      return failed(err);
    }
  });
};
