import { setTimeout as sleep } from 'node:timers/promises';
import Type from 'typebox';
import { bearerToken, requireBearerToken, responses, type RoutesPlugin } from '@billing/service-kit';
import type { CardProcessor, ChargeOutcome } from '../card-processor.js';
import {
  SUPPORTED_CURRENCIES,
  chargeHeadersSchema,
  chargeRequestSchema,
  isSupportedCurrency,
  type ChargeRequest,
} from '../charge-request.js';
import type { FaultInjector } from '../faults.js';
import type { ChargeMetrics } from '../metrics.js';

/** What the charge route needs. */
export interface ChargeRoutesOptions {
  /** The bearer token callers must present. */
  readonly token: string;
  /** Decides and records charges. */
  readonly processor: CardProcessor;
  /** Injected latency and errors. */
  readonly faults: FaultInjector;
  /** Where charges are counted. */
  readonly metrics: ChargeMetrics;
}

type Attempt = ChargeOutcome | { readonly kind: 'injected-fault' };

/**
 * POST /rest/v1/charge: 200 `{"result": true|false}`, 400 for a malformed request, 401 without
 * the token, 409 for a reused Idempotency-Key with another body, 422 for an unsupported currency,
 * 503 for an injected fault. A repeated answer carries `Idempotent-Replayed: true`.
 */
export const chargeRoutes: RoutesPlugin<ChargeRoutesOptions> = async (scope, { token, processor, faults, metrics }) => {
  await requireBearerToken(scope, token, { tokenName: 'PAYMENT_PROVIDER_TOKEN' });

  // A charge runs to its end even after its caller hung up, so shutdown waits for those too
  // before the kit closes the pool (child scopes close before the root's onClose).
  const inFlight = new Set<Promise<unknown>>();
  scope.addHook('onClose', async () => {
    await Promise.allSettled(inFlight);
  });

  async function attempt(request: ChargeRequest, idempotencyKey: string | undefined): Promise<Attempt> {
    const delayMs = faults.nextDelayMs();
    if (delayMs > 0) await sleep(delayMs);
    if (faults.nextFails()) return { kind: 'injected-fault' };
    return processor.charge(request, idempotencyKey);
  }

  scope.post(
    '/rest/v1/charge',
    {
      schema: {
        summary: 'Charge a customer (simulated: succeeds at PAYMENT_SUCCESS_RATE)',
        description:
          'The same Idempotency-Key with the same body answers the first answer again (Idempotent-Replayed: true) and charges nothing more.',
        security: bearerToken,
        body: chargeRequestSchema,
        headers: chargeHeadersSchema,
        response: responses(
          { 200: Type.Object({ result: Type.Boolean({ description: 'true charged, false declined' }) }) },
          400,
          401,
          409,
          422,
          503,
        ),
      },
    },
    async (request, reply) => {
      const { currency } = request.body;
      if (!isSupportedCurrency(currency)) {
        return reply.code(422).send({
          error: `Currency ${JSON.stringify(currency)} is not supported; use one of ${SUPPORTED_CURRENCIES.join(', ')}`,
        });
      }
      const idempotencyKey = request.headers['idempotency-key'];

      const work = attempt(request.body, idempotencyKey);
      inFlight.add(work);
      const outcome = await work.finally(() => inFlight.delete(work));

      switch (outcome.kind) {
        case 'injected-fault':
          metrics.injectedFaults.inc();
          return reply.code(503).send({ error: 'Payment provider unavailable (injected fault); nothing was charged' });
        case 'key-reused':
          return reply.code(409).send({
            error: `Idempotency-Key ${JSON.stringify(idempotencyKey)} was already used for a different request; use a new key for a new charge`,
          });
        case 'answered':
          if (outcome.replayed) {
            metrics.replays.inc();
            void reply.header('idempotent-replayed', 'true');
          } else {
            metrics.charges.inc({ result: outcome.result ? 'charged' : 'declined' });
          }
          return { result: outcome.result };
      }
    },
  );
};
