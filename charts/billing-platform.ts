import { Chart, Cron, type App } from 'cdk8s';
import { BillingRun } from './billing-run.js';
import { ExternalDatabase, type ExternalDatabaseProps, type IDatabase } from './database.js';
import { GeneratedSecret, SecretValue, type SecretKeyRef } from './generated-secret.js';
import type { Image, ImageRegistry } from './image.js';
import { DEFAULT_PART_OF, MANAGED_BY_LABEL, PART_OF_LABEL } from './labels.js';
import { Microservice, type ReplicaRange } from './microservice.js';
import type { NetworkPeer } from './network-policy.js';
import { Postgres } from './postgres.js';
import { PublicApi } from './public-api.js';
import type { ResourceSizes } from './resources.js';
import { SecretBootstrap } from './secret-bootstrap.js';
import { SecureNamespace, type NamespaceQuota } from './secure-namespace.js';
import { Team } from './team.js';

/** What differs per environment for one of the services. */
export interface ServiceSettings {
  /** Replicas the autoscaler keeps. @default { min: 2, max: 4 } */
  readonly replicas?: ReplicaRange;
  /** CPU and memory, field by field over MEASURED_RESOURCES. @default MEASURED_RESOURCES for memory, the Microservice defaults for CPU */
  readonly resources?: ResourceSizes;
  /** LOG_LEVEL. @default 'info' */
  readonly logLevel?: string;
  /** Extra plain settings (e.g. seeding in dev). @default none */
  readonly env?: Record<string, string>;
}

/** Properties of the BillingPlatform: everything an environment decides. */
export interface BillingPlatformProps {
  /** Where our images are, and which build runs. */
  readonly registry: ImageRegistry;
  /** Databases outside the cluster, per team; a team without one gets an in-cluster dev Postgres. @default none */
  readonly externalDatabases?: { readonly invoices?: ExternalDatabaseProps; readonly payments?: ExternalDatabaseProps };
  /** invoice-app settings. @default the defaults of ServiceSettings */
  readonly invoiceApp?: ServiceSettings;
  /** payment-provider settings. @default the defaults of ServiceSettings */
  readonly paymentProvider?: ServiceSettings;
  /** Each team namespace's quota. @default see NamespaceQuota */
  readonly quota?: NamespaceQuota;
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
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
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
 * Node's flags for both services, in their ConfigMaps as NODE_OPTIONS (the images set the same,
 * and `npm start` and the benchmarks pass it the same way). Left to itself, V8 sizes its heap
 * from the host's memory, not the pod's limit: a young generation of 3 x 16 MiB and an old
 * generation that grows long before it collects put invoice-app at about 200 MiB resident after
 * billing and listing 100,000 invoices, its live heap being about 32 MiB. 8 MiB semi-spaces and
 * a 96 MiB old generation (three times that live heap) keep it near 130 MiB for a few percent
 * more CPU in the collector; smaller semi-spaces promote more and cost both.
 */
export const NODE_OPTIONS = '--max-semi-space-size=8 --max-old-space-size=96';

/** The platform namespace for platform-owned jobs; no team deploys there. */
export const PLATFORM_NAMESPACE = 'billing-system';

/**
 * The billing platform, as charts in an App: one file per chart, numbered by cdk8s in
 * dependency order so that `kubectl apply -f` creates namespaces before what lives in them.
 *
 * - `teams`: the namespaces (invoices, payments, billing-system) with their Pod Security
 *   label, quota, defaults, default-deny policies and team RBAC;
 * - `secrets`: the SecretBootstrap that creates missing Secrets in the cluster;
 * - `payments`: payment-provider and its database;
 * - `invoices`: invoice-app, its database, the public Ingress and the billing runs.
 *
 * `addTeam` and `addChart` extend it with more teams and services.
 */
export class BillingPlatform {
  readonly registry: ImageRegistry;
  readonly teamsChart: Chart;
  readonly secrets: SecretBootstrap;
  readonly invoices: Team;
  readonly payments: Team;
  readonly invoiceApp: Microservice;
  readonly paymentProvider: Microservice;
  private readonly app: App;
  private readonly props: BillingPlatformProps;
  private readonly partOf: string;

  constructor(app: App, props: BillingPlatformProps) {
    this.app = app;
    this.props = props;
    this.registry = props.registry;
    this.partOf = props.partOf ?? DEFAULT_PART_OF;

    this.teamsChart = new Chart(app, 'teams', { labels: this.chartLabels() });
    new SecureNamespace(this.teamsChart, 'platform', {
      name: PLATFORM_NAMESPACE,
      quota: { requestsCpu: '1', requestsMemory: '1Gi', limitsCpu: '2', limitsMemory: '2Gi', pods: 10 },
      partOf: this.partOf,
    });
    this.secrets = new SecretBootstrap(this.addChart('secrets'), 'bootstrap', {
      namespace: PLATFORM_NAMESPACE,
      partOf: this.partOf,
    });
    this.payments = this.addTeam('payments');
    this.invoices = this.addTeam('invoices');

    const paymentsChart = this.addChart('payments');
    const providerToken = new GeneratedSecret(paymentsChart, 'provider-token', {
      name: 'payment-provider-token',
      // One value in both namespaces: the provider checks it, invoice-app sends it.
      namespaces: [this.payments.namespace, this.invoices.namespace],
      keys: { PAYMENT_PROVIDER_TOKEN: SecretValue.random(32) },
    });
    this.paymentProvider = this.service(paymentsChart, 'payment-provider', 9000, this.payments, props.paymentProvider, {
      secretEnv: { PAYMENT_PROVIDER_TOKEN: providerToken.ref('PAYMENT_PROVIDER_TOKEN') },
      resources: MEASURED_RESOURCES.paymentProvider,
    });

    const invoicesChart = this.addChart('invoices');
    const billingToken = new GeneratedSecret(invoicesChart, 'billing-token', {
      name: 'billing-api-token',
      namespaces: [this.invoices.namespace],
      keys: { BILLING_API_TOKEN: SecretValue.random(32) },
    });
    this.invoiceApp = this.service(invoicesChart, 'invoice-app', 8000, this.invoices, props.invoiceApp, {
      env: { PAYMENT_PROVIDER_ENDPOINT: this.paymentProvider.url, PAYMENT_PROVIDER_TIMEOUT_MS: '5000' },
      secretEnv: {
        PAYMENT_PROVIDER_TOKEN: providerToken.ref('PAYMENT_PROVIDER_TOKEN'),
        BILLING_API_TOKEN: billingToken.ref('BILLING_API_TOKEN'),
      },
      resources: MEASURED_RESOURCES.invoiceApp,
    });
    this.paymentProvider.allowFrom(this.invoiceApp);
    // Only invoice-app: the contract lets nothing else reach payment-provider, scrapers included.
    if (props.metricsScraper) this.invoiceApp.allowFromPeer(props.metricsScraper);

    new PublicApi(invoicesChart, 'public-api', {
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
      new BillingRun(invoicesChart, name, {
        namespace: this.invoices.namespace,
        invoiceApp: this.invoiceApp,
        token: billingToken.ref('BILLING_API_TOKEN'),
        schedule,
        partOf: this.partOf,
      });
    }
  }

  /** A new team: its namespace, quota, RBAC and baseline policies, and the secret bootstrap's access to it. */
  addTeam(name: string): Team {
    const team = new Team(this.teamsChart, name, { name, quota: this.props.quota, partOf: this.partOf });
    this.secrets.serve(team.namespace);
    return team;
  }

  /** A new chart (one file in dist/), applied after the namespaces. */
  addChart(id: string): Chart {
    const chart = new Chart(this.app, id, { labels: this.chartLabels() });
    chart.addDependency(this.teamsChart);
    return chart;
  }

  /** Our image `name` from the environment's registry, at its tag. */
  image(name: string): Image {
    return this.registry.image(name);
  }

  private service(
    chart: Chart,
    name: string,
    port: number,
    team: Team,
    settings: ServiceSettings = {},
    wiring: { env?: Record<string, string>; secretEnv: Record<string, SecretKeyRef>; resources: ResourceSizes },
  ): Microservice {
    const database = this.database(chart, `${name}-db`, team);
    const service = new Microservice(chart, name, {
      namespace: team.namespace,
      image: this.image(name),
      port,
      database,
      env: { NODE_OPTIONS, ...wiring.env, ...settings.env },
      secretEnv: wiring.secretEnv,
      replicas: settings.replicas,
      resources: { ...wiring.resources, ...settings.resources },
      logLevel: settings.logLevel,
      partOf: this.partOf,
    });
    return service;
  }

  private database(chart: Chart, name: string, team: Team): IDatabase {
    const external = this.props.externalDatabases?.[team.name as 'invoices' | 'payments'];
    if (external) return new ExternalDatabase(external);
    return new Postgres(chart, name, { namespace: team.namespace, partOf: this.partOf });
  }

  private chartLabels() {
    return { [PART_OF_LABEL]: this.partOf, [MANAGED_BY_LABEL]: 'cdk8s' };
  }
}
