import { requireBearerToken, type RoutesPlugin } from '@billing/service-kit';
import type { BillingEngine } from '../billing/billing-engine.js';

/** What the pay route needs. */
export interface PayRoutesOptions {
  /** BILLING_API_TOKEN. */
  readonly token: string;
  readonly engine: BillingEngine;
}

/**
 * POST /rest/v1/invoices/pay (bearer token): runs the billing engine until nothing is left
 * to charge and answers its summary. Calls on several replicas, or several calls on one,
 * share the work through the database. If the database fails mid-run, the answer is 503:
 * whatever the run could not record, the next run resumes with the same idempotency keys.
 */
export const payRoutes: RoutesPlugin<PayRoutesOptions> = async (scope, { token, engine }) => {
  await requireBearerToken(scope, token, { tokenName: 'BILLING_API_TOKEN' });
  scope.post('/rest/v1/invoices/pay', async (_request, reply) => {
    try {
      return await engine.run(() => scope.isShuttingDown);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return reply.code(503).send({
        error: `Billing run stopped: ${reason}. Invoices it did not settle stay PENDING; run it again.`,
      });
    }
  });
};
