import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RequestOutcome } from './payment-provider-client.js';

/** What a billing run ended as, per invoice. */
export type InvoiceOutcome = 'paid' | 'declined' | 'failed' | 'errored';

/** The billing engine's Prometheus series, registered on the app's registry. */
export class BillingMetrics {
  private readonly runs: Counter<'result'>;
  private readonly runSeconds: Histogram;
  private readonly invoices: Counter<'outcome'>;
  private readonly requests: Counter<'outcome'>;
  private readonly requestSeconds: Histogram<'outcome'>;
  private readonly inFlight: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.runs = new Counter({
      name: 'billing_runs_total',
      help: 'Billing runs finished, by result (complete, interrupted by shutdown or found dead once their claims expired, failed).',
      labelNames: ['result'],
      registers,
    });
    this.runSeconds = new Histogram({
      name: 'billing_run_duration_seconds',
      help: 'Duration of billing runs.',
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900],
      registers,
    });
    this.invoices = new Counter({
      name: 'billing_invoices_total',
      help: 'Invoices a billing run settled, by outcome (paid, declined, failed, errored).',
      labelNames: ['outcome'],
      registers,
    });
    this.requests = new Counter({
      name: 'billing_charge_requests_total',
      help: 'Charge requests sent to the payment provider, by how they ended.',
      labelNames: ['outcome'],
      registers,
    });
    this.requestSeconds = new Histogram({
      name: 'billing_charge_request_duration_seconds',
      help: 'Time from sending a charge request to its answer or failure.',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.inFlight = new Gauge({
      name: 'billing_charges_in_flight',
      help: 'Invoices being charged right now by this process.',
      registers,
    });
  }

  request(outcome: RequestOutcome, seconds: number): void {
    this.requests.inc({ outcome });
    this.requestSeconds.observe({ outcome }, seconds);
  }

  invoice(outcome: InvoiceOutcome): void {
    this.invoices.inc({ outcome });
  }

  chargeStarted(): void {
    this.inFlight.inc();
  }

  chargeEnded(): void {
    this.inFlight.dec();
  }

  run(result: 'complete' | 'interrupted' | 'failed', seconds: number): void {
    this.runs.inc({ result });
    this.runSeconds.observe(seconds);
  }

  /** Runs whose process died, settled as interrupted by this replica: the alert on interrupted runs counts them too. */
  runsFoundDead(count: number): void {
    this.runs.inc({ result: 'interrupted' }, count);
  }
}
