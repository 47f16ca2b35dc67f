import { Cron, type App } from 'cdk8s';
import { BillingRun } from './billing-run.js';
import type { Microservice } from './microservice.js';
import type { NetworkPeer } from './network-policy.js';
import { Platform, PLATFORM_NAMESPACE, type PlatformProps } from './platform.js';
import { PublicApi } from './public-api.js';
import { PublicGateway, type PublicGatewayProps } from './public-gateway.js';
import { PathMatch, ReadOnlyRoute } from './read-only-route.js';
import { MicroserviceMonitor } from './service-monitor.js';
import { BillingAlerts } from './billing-alerts.js';
import { BILLING_DASHBOARD_PANELS, GrafanaDashboard } from './grafana-dashboard.js';
import { GitOps, type GitOpsProps } from './gitops.js';
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
  /** The public entry on the Gateway API with a cert-manager certificate, instead of an Ingress. @default an Ingress */
  readonly gateway?: Omit<PublicGatewayProps, 'namespace' | 'host' | 'partOf'>;
  /** Prometheus Operator monitoring: a ServiceMonitor for invoice-app, the billing alerts and dashboard (needs metricsScraper). @default none */
  readonly monitoring?: { readonly runbookBase: string };
  /** Argo CD projects and applications that keep the environments in sync (in this environment's manifests). @default none */
  readonly gitOps?: Omit<GitOpsProps, 'teams' | 'scope' | 'partOf'>;
  /** The monthly billing run. @default 06:00 UTC on the 1st */
  readonly billingSchedule?: Cron;
  /** The retry run for invoices the monthly run could not charge. @default 06:00 UTC on the 4th */
  readonly retrySchedule?: Cron;
}

/**
 * Memory of each service as `npm run bench` measured it (docs/benchmarks.md): the request is the
 * peak resident memory after billing and listing a million invoices plus a quarter, the limit twice
 * that peak (`resourcesFromPeak` in bench/report.ts). Re-measure before changing them.
 */
export const MEASURED_RESOURCES = {
  invoiceApp: { memoryRequestMebibytes: 192, memoryLimitMebibytes: 304 },
  paymentProvider: { memoryRequestMebibytes: 176, memoryLimitMebibytes: 272 },
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
    // The read API only: pay and billing-runs stay inside the cluster (contract).
    if (props.gateway) {
      if (props.host === undefined)
        throw new Error('A gateway needs the public host name. Set host, e.g. billing.example.com.');
      const gateway = new PublicGateway(chart, 'public', {
        ...props.gateway,
        namespace: this.invoices.namespace,
        host: props.host,
        partOf: this.partOf,
      });
      new ReadOnlyRoute(chart, 'invoice-app-read', {
        gateway,
        service: this.invoiceApp,
        paths: [
          PathMatch.exact('/rest/v1/invoices'),
          PathMatch.regex('/rest/v1/invoices/[0-9]+'),
          PathMatch.exact('/rest/v1/customers'),
          PathMatch.regex('/rest/v1/customers/[0-9]+'),
          PathMatch.exact('/rest/health'),
        ],
        partOf: this.partOf,
      });
    } else {
      new PublicApi(chart, 'public-api', {
        namespace: this.invoices.namespace,
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
    }
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

    if (props.monitoring) {
      if (!props.metricsScraper) throw new Error('Monitoring needs metricsScraper: the Prometheus pods to let in.');
      new MicroserviceMonitor(chart, 'invoice-app-monitor', {
        service: this.invoiceApp,
        scraper: props.metricsScraper,
        partOf: this.partOf,
      });
      const monitoring = this.addChart('monitoring');
      new BillingAlerts(monitoring, 'alerts', {
        namespace: PLATFORM_NAMESPACE,
        watchedNamespaces: this.teams.map((team) => team.namespace),
        runbookBase: props.monitoring.runbookBase,
        partOf: this.partOf,
      });
      new GrafanaDashboard(monitoring, 'billing-dashboard', {
        namespace: PLATFORM_NAMESPACE,
        title: 'Billing platform',
        uid: 'billing-platform',
        panels: BILLING_DASHBOARD_PANELS,
        partOf: this.partOf,
      });
    }
    if (props.gitOps) {
      new GitOps(this.addChart('gitops'), 'gitops', {
        ...props.gitOps,
        teams: this.teams.map((team) => ({ name: team.name, namespace: team.namespace })),
        scope: app,
        partOf: this.partOf,
      });
    }
  }
}
