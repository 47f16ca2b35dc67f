import { Cron, type App } from 'cdk8s';
import { BillingRun } from './billing-run.js';
import type { Microservice } from './microservice.js';
import type { NetworkPeer } from './network-policy.js';
import { Platform, type PlatformProps } from './platform.js';
import { PublicApi } from './public-api.js';
import type { ResourceSizes } from './resources.js';
import type { Team } from './team.js';

/** Properties of the BillingPlatform: everything an environment decides. */
export interface BillingPlatformProps extends PlatformProps {
  /** Public host name of the API. @default every host */
  readonly host?: string;
  /** Secret with the TLS certificate for `host`. @default plain HTTP */
  readonly tlsSecret?: string;
  /** Ingress class. @default 'nginx' */
  readonly ingressClassName?: string;
  /** The ingress controller's pods. @default ingress-nginx's controller */
  readonly ingressController?: NetworkPeer;
  /** Pods allowed to scrape invoice-app's /metrics (e.g. Prometheus); payment-provider admits invoice-app only. @default none */
  readonly metricsScraper?: NetworkPeer;
  /** The monthly billing run. @default 06:00 UTC on the 1st */
  readonly billingSchedule?: Cron;
  /** The retry run for invoices the monthly run could not charge. @default 06:00 UTC on the 4th */
  readonly retrySchedule?: Cron;
}

/**
 * Memory of each service as `npm run bench` measured it (docs/benchmarks.md): the request is the
 * peak resident memory after billing and listing 100,000 invoices plus a quarter, the limit twice
 * that peak (`resourcesFromPeak` in bench/report.ts). Re-measure before changing them.
 */
export const MEASURED_RESOURCES = {
  invoiceApp: { memoryRequestMebibytes: 176, memoryLimitMebibytes: 272 },
  paymentProvider: { memoryRequestMebibytes: 128, memoryLimitMebibytes: 208 },
} as const satisfies Record<string, ResourceSizes>;

/**
 * The billing platform: the two teams and their services, the first tenants of the Platform,
 * registered through its public API like any other. `payments` runs payment-provider (with
 * its database and token); `invoices` runs invoice-app (with its database and the billing
 * token), which calls payment-provider with its URL and token, the public Ingress for the read
 * API, and the monthly and retry billing runs. Environments set per-service settings by name
 * (`services: { 'invoice-app': ... }`).
 */
export class BillingPlatform extends Platform {
  readonly invoices: Team;
  readonly payments: Team;
  readonly invoiceApp: Microservice;
  readonly paymentProvider: Microservice;

  constructor(app: App, props: BillingPlatformProps) {
    super(app, props);
    this.payments = this.addTeam('payments');
    this.invoices = this.addTeam('invoices');
    this.paymentProvider = this.addService('payment-provider', {
      team: 'payments',
      port: 9000,
      database: true,
      token: { variable: 'PAYMENT_PROVIDER_TOKEN' },
      resources: MEASURED_RESOURCES.paymentProvider,
    });
    this.invoiceApp = this.addService('invoice-app', {
      team: 'invoices',
      port: 8000,
      database: true,
      token: { variable: 'BILLING_API_TOKEN', secretName: 'billing-api-token' },
      env: { PAYMENT_PROVIDER_TIMEOUT_MS: '5000' },
      resources: MEASURED_RESOURCES.invoiceApp,
    });
    this.connect('invoice-app', 'payment-provider', {
      urlVariable: 'PAYMENT_PROVIDER_ENDPOINT',
      tokenVariable: 'PAYMENT_PROVIDER_TOKEN',
    });
    // Only invoice-app: the contract lets nothing else reach payment-provider, scrapers included.
    if (props.metricsScraper) this.invoiceApp.allowFromPeer(props.metricsScraper);

    const chart = this.chartOf('invoices');
    new PublicApi(chart, 'public-api', {
      namespace: this.invoices.namespace,
      // The read API only: pay and billing-runs stay inside the cluster (contract).
      routes: [
        '/rest/v1/invoices',
        '/rest/v1/invoices/{id}',
        '/rest/v1/customers',
        '/rest/v1/customers/{id}',
        '/rest/health',
      ].map((path) => ({
        path,
        service: this.invoiceApp,
      })),
      host: props.host,
      tlsSecret: props.tlsSecret,
      className: props.ingressClassName,
      controller: props.ingressController,
      partOf: this.partOf,
    });
    const runs = {
      'billing-monthly': props.billingSchedule ?? Cron.schedule({ minute: '0', hour: '6', day: '1' }),
      'billing-retry': props.retrySchedule ?? Cron.schedule({ minute: '0', hour: '6', day: '4' }),
    };
    for (const [name, schedule] of Object.entries(runs)) {
      new BillingRun(chart, name, {
        namespace: this.invoices.namespace,
        invoiceApp: this.invoiceApp,
        token: this.tokenOf('invoice-app'),
        schedule,
        partOf: this.partOf,
      });
    }
  }
}
