import { Counter, type Registry } from 'prom-client';

/** Business metrics of the provider, beside the kit's HTTP and process metrics. */
export interface ChargeMetrics {
  /** New ledger rows, by result ("charged" or "declined"). */
  readonly charges: Counter<'result'>;
  /** Repeated requests answered from the ledger without charging. */
  readonly replays: Counter;
  /** Charge requests answered 503 by fault injection. */
  readonly injectedFaults: Counter;
}

export function chargeMetrics(registry: Registry): ChargeMetrics {
  const charges = new Counter({
    name: 'payment_charges_total',
    help: 'Charges recorded in the ledger, by result.',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  // Both series exist from the start, so a rate() over them never sees a gap.
  charges.inc({ result: 'charged' }, 0);
  charges.inc({ result: 'declined' }, 0);
  return {
    charges,
    replays: new Counter({
      name: 'payment_charge_replays_total',
      help: 'Repeated charge requests (same Idempotency-Key and body) answered from the ledger.',
      registers: [registry],
    }),
    injectedFaults: new Counter({
      name: 'payment_injected_faults_total',
      help: 'Charge requests answered 503 by fault injection (FAULT_ERROR_RATE).',
      registers: [registry],
    }),
  };
}
