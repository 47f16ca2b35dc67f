import { Chart, type App } from 'cdk8s';
import { CloudNativePgDatabase, type CloudNativePgDatabaseProps } from './cloudnative-pg-database.js';
import type { ClusterDns } from './cluster-dns.js';
import { ExternalDatabase, type ExternalDatabaseProps, type IDatabase } from './database.js';
import { GeneratedSecret, SecretValue, type SecretKeyRef } from './generated-secret.js';
import type { Image, ImageRegistry } from './image.js';
import { DEFAULT_PART_OF, MANAGED_BY_LABEL, PART_OF_LABEL } from './labels.js';
import { Microservice, type ReplicaRange } from './microservice.js';
import { declaredConnections, type DeclaredConnection } from './declared-connections.js';
import type { NetworkPeer } from './network-policy.js';
import { nodeRuntimeEnv } from './node-options.js';
import { Postgres } from './postgres.js';
import type { ResourceSizes } from './resources.js';
import { ScheduledCall, type ScheduledCallProps } from './scheduled-call.js';
import { SecretBootstrap } from './secret-bootstrap.js';
import { SecureNamespace, type ContainerDefaults, type NamespaceQuota } from './secure-namespace.js';
import { Team } from './team.js';

/** The platform namespace for platform-owned jobs; no team deploys there. */
export const PLATFORM_NAMESPACE = 'billing-system';

/** What an environment decides for one service, whoever registered it. */
export interface ServiceSettings {
  /** Replicas the autoscaler keeps. @default { min: 2, max: 4 }, or what the service was registered with */
  readonly replicas?: ReplicaRange;
  /** CPU and memory, field by field over what the service was registered with. @default the Microservice defaults */
  readonly resources?: ResourceSizes;
  /** LOG_LEVEL. @default 'info', or what the service was registered with */
  readonly logLevel?: string;
  /** Extra plain settings (e.g. seeding in dev), over the registered ones. @default none */
  readonly env?: Record<string, string>;
  /** Extra settings from Secrets, by variable name. @default none */
  readonly secretEnv?: Record<string, SecretKeyRef>;
  /** The service's database is outside the cluster, here (a managed Postgres). @default the in-cluster Postgres, for a service with a database */
  readonly externalDatabase?: ExternalDatabaseProps;
  /** The service's database is a CloudNativePG cluster with a pooler (production), unless externalDatabase is set. @default the in-cluster Postgres, for a service with a database */
  readonly cloudNativePg?: CloudNativePgSettings;
}

/** A service's CloudNativePG database: everything but where it runs, which is the service's namespace. */
export type CloudNativePgSettings = Omit<CloudNativePgDatabaseProps, 'namespace' | 'name' | 'partOf'>;

/** Properties of a Platform: what every environment decides. */
export interface PlatformProps {
  /** Where the teams' images are, and which build runs. */
  readonly registry: ImageRegistry;
  /** Settings per service name, for services registered now or by an extension. @default none */
  readonly services?: Record<string, ServiceSettings>;
  /** Each team namespace's quota, unless the team says otherwise. @default see NamespaceQuota */
  readonly quota?: NamespaceQuota;
  /** Storage class of the in-cluster databases' volumes. @default the cluster's default class */
  readonly storageClassName?: string;
  /** Where pods resolve names, in every namespace (docs/cluster-prerequisites.md). @default ClusterDns.kubeDns() */
  readonly dns?: ClusterDns;
  /** The API server's address, which the secret bootstrap alone may reach. @default any address (0.0.0.0/0) on the API ports */
  readonly apiServer?: NetworkPeer;
  /** The ports the API server answers on after the kubernetes Service's DNAT. @default [443, 6443, 8443] */
  readonly apiServerPorts?: number[];
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/** Options of a team. */
export interface TeamOptions {
  /** The identity-provider group whose members deploy. @default `team-<name>` */
  readonly group?: string;
  /** Total resources the team's namespace may use. @default the platform's quota */
  readonly quota?: NamespaceQuota;
  /** Per-container defaults and maximum. @default see ContainerDefaults */
  readonly containerDefaults?: ContainerDefaults;
}

/** The bearer token a service requires of its callers. */
export interface ServiceToken {
  /** The variable the service reads it from, e.g. `PAYMENT_PROVIDER_TOKEN`. */
  readonly variable: string;
  /** The generated Secret's name. @default `<service>-token` */
  readonly secretName?: string;
}

/** Properties of a service registered on the platform; the environment's `services[name]` settings win over them. */
export interface ServiceProps extends ServiceSettings {
  /** The team that owns it: it runs in that team's namespace. */
  readonly team: string;
  /** The port it listens on (PORT, and its Service's port). */
  readonly port: number;
  /** Its image. @default the registry's image of the service's name, at the platform's tag */
  readonly image?: Image;
  /** Whether it has a Postgres database of its own (DATABASE_URL): in the cluster, or where the environment's externalDatabase says. @default false */
  readonly database?: boolean;
  /** The bearer token its callers send: generated in the cluster, read by the service, handed to callers by connect. @default none */
  readonly token?: ServiceToken;
  /** NODE_OPTIONS, for a service on the service kit (given with MALLOC_SETTINGS); `false` for one that is not a Node service. @default NODE_OPTIONS */
  readonly nodeOptions?: string | false;
}

/** Options of a connection. */
export interface ConnectOptions {
  /** The caller's variable that gets the target's base URL, e.g. `PAYMENT_PROVIDER_ENDPOINT`. @default none */
  readonly urlVariable?: string;
  /** The caller's variable that gets the target's token (the target must have one). @default none */
  readonly tokenVariable?: string;
}

/** Options of a scheduled call registered on the platform. */
export interface PlatformScheduledCallProps extends Omit<ScheduledCallProps, 'target' | 'token' | 'namespace'> {
  /** The name of the service it calls; the call sends that service's token, if it has one. */
  readonly target: string;
}

/**
 * A platform of teams and their services, as charts in an App, one file each, numbered by
 * cdk8s in dependency order so that `kubectl apply -f` creates namespaces before what lives in
 * them: `teams` (every namespace with its Pod Security label, quota, defaults, default-deny
 * policies and team RBAC), `secrets` (the SecretBootstrap that creates the generated Secrets in
 * the cluster), then one chart per team with its services, databases and jobs.
 *
 * Teams and services are registered by name (`addTeam`, `addService`), connected by name
 * (`connect`), and the intent is queryable (`teams`, `services`, `connections`).
 */
export class Platform {
  readonly app: App;
  readonly registry: ImageRegistry;
  readonly partOf: string;
  /** The chart of the namespaces and team RBAC. */
  readonly teamsChart: Chart;
  /** Creates the generated Secrets in the cluster. */
  readonly secrets: SecretBootstrap;
  private readonly props: PlatformProps;
  private readonly teamRegistry = new Map<string, { team: Team; chart: Chart }>();
  private readonly serviceRegistry = new Map<
    string,
    { service: Microservice; token?: SecretKeyRef; secret?: GeneratedSecret }
  >();

  constructor(app: App, props: PlatformProps) {
    this.app = app;
    this.props = props;
    this.registry = props.registry;
    this.partOf = props.partOf ?? DEFAULT_PART_OF;
    this.teamsChart = new Chart(app, 'teams', { labels: this.chartLabels() });
    new SecureNamespace(this.teamsChart, 'platform', {
      name: PLATFORM_NAMESPACE,
      quota: { requestsCpu: '1', requestsMemory: '1Gi', limitsCpu: '2', limitsMemory: '2Gi', pods: 10 },
      dns: props.dns,
      partOf: this.partOf,
    });
    this.secrets = new SecretBootstrap(this.addChart('secrets'), 'bootstrap', {
      namespace: PLATFORM_NAMESPACE,
      apiServer: props.apiServer,
      apiServerPorts: props.apiServerPorts,
      partOf: this.partOf,
    });
  }

  /** A new team: its namespace, quota, RBAC and baseline policies, a chart for its services, and the secret bootstrap's access to it. */
  addTeam(name: string, options: TeamOptions = {}): Team {
    if (this.teamRegistry.has(name)) throw new Error(`Team '${name}' is already registered. Pick another name.`);
    const team = new Team(this.teamsChart, name, {
      name,
      group: options.group,
      quota: options.quota ?? this.props.quota,
      containerDefaults: options.containerDefaults,
      dns: this.props.dns,
      partOf: this.partOf,
    });
    this.secrets.serve(team.namespace);
    this.teamRegistry.set(name, { team, chart: this.addChart(name) });
    return team;
  }

  /** The registered team of this name. */
  team(name: string): Team {
    return this.teamEntry(name).team;
  }

  /** Every registered team, in registration order: who owns which namespace. */
  get teams(): Team[] {
    return [...this.teamRegistry.values()].map(({ team }) => team);
  }

  /** The chart a team's services and jobs go into. */
  chartOf(team: string): Chart {
    return this.teamEntry(team).chart;
  }

  /**
   * A new service of a team: a Microservice with its database, token and settings, where the
   * environment's `services[name]` settings win over the ones given here.
   */
  addService(name: string, props: ServiceProps): Microservice {
    if (this.serviceRegistry.has(name)) throw new Error(`Service '${name}' is already registered. Pick another name.`);
    const { team, chart } = this.teamEntry(props.team);
    const settings = this.props.services?.[name] ?? {};
    const externalDatabase = settings.externalDatabase ?? props.externalDatabase;
    const cloudNativePg = settings.cloudNativePg ?? props.cloudNativePg;
    if (!props.database && (externalDatabase || cloudNativePg)) {
      throw new Error(
        `Service '${name}' has a database setting (externalDatabase or cloudNativePg) but no database. Register it with database: true.`,
      );
    }
    if (externalDatabase && cloudNativePg) {
      throw new Error(`Service '${name}' has both an externalDatabase and a cloudNativePg database. Keep one.`);
    }
    const token = props.token
      ? new GeneratedSecret(chart, `${name}-token`, {
          name: props.token.secretName ?? `${name}-token`,
          namespaces: [team.namespace],
          keys: { [props.token.variable]: SecretValue.random(32) },
        })
      : undefined;
    const service = new Microservice(chart, name, {
      namespace: team.namespace,
      image: props.image ?? this.registry.image(name),
      port: props.port,
      database: props.database ? this.database(chart, name, team, externalDatabase, cloudNativePg) : undefined,
      env: {
        ...(props.nodeOptions === false ? {} : nodeRuntimeEnv(props.nodeOptions)),
        ...props.env,
        ...settings.env,
      },
      secretEnv: {
        ...(token && props.token ? { [props.token.variable]: token.ref(props.token.variable) } : {}),
        ...props.secretEnv,
        ...settings.secretEnv,
      },
      replicas: settings.replicas ?? props.replicas,
      resources: { ...props.resources, ...settings.resources },
      logLevel: settings.logLevel ?? props.logLevel,
      partOf: this.partOf,
    });
    this.serviceRegistry.set(name, {
      service,
      token: token && props.token ? token.ref(props.token.variable) : undefined,
      secret: token,
    });
    return service;
  }

  /** The registered service of this name. */
  service(name: string): Microservice {
    return this.serviceEntry(name).service;
  }

  /** Every registered service, in registration order. */
  get services(): Microservice[] {
    return [...this.serviceRegistry.values()].map(({ service }) => service);
  }

  /** The Secret key with a service's token, which its callers send. */
  tokenOf(service: string): SecretKeyRef {
    const { token } = this.serviceEntry(service);
    if (!token) throw new Error(`Service '${service}' has no token. Register it with token: { variable: ... }.`);
    return token;
  }

  /**
   * Lets `from` call `to` on its port (a rule in both services' network policies) and, when
   * asked, gives `from` the URL of `to` and its token (the token's Secret is copied into the
   * caller's namespace).
   */
  connect(from: string, to: string, options: ConnectOptions = {}): void {
    const caller = this.service(from);
    const target = this.serviceEntry(to);
    target.service.allowFrom(caller);
    if (options.urlVariable) caller.addEnv(options.urlVariable, target.service.url);
    if (options.tokenVariable) {
      const ref = this.tokenOf(to);
      target.secret!.shareWith(caller.namespace);
      caller.addSecretEnv(options.tokenVariable, ref);
    }
  }

  /** A call to a registered service on a schedule, run in that service's namespace, sending its token. */
  addScheduledCall(name: string, props: PlatformScheduledCallProps): ScheduledCall {
    const target = this.serviceEntry(props.target);
    return new ScheduledCall(this.chartOf(this.teamOwning(target.service)), name, {
      ...props,
      target: target.service,
      token: target.token,
      partOf: props.partOf ?? this.partOf,
    });
  }

  /** Every connection declared so far, through connect or any construct's network rules. */
  get connections(): DeclaredConnection[] {
    return declaredConnections(this.teamsChart);
  }

  /** Our image `name` from the environment's registry, at its tag. */
  image(name: string): Image {
    return this.registry.image(name);
  }

  /** A new chart (one file in dist/), applied after the namespaces. */
  addChart(id: string): Chart {
    const chart = new Chart(this.app, id, { labels: this.chartLabels() });
    chart.addDependency(this.teamsChart);
    return chart;
  }

  private database(
    chart: Chart,
    name: string,
    team: Team,
    external?: ExternalDatabaseProps,
    cloudNativePg?: CloudNativePgSettings,
  ): IDatabase {
    if (external) return new ExternalDatabase(external);
    if (cloudNativePg) {
      return new CloudNativePgDatabase(chart, `${name}-db`, {
        ...cloudNativePg,
        namespace: team.namespace,
        partOf: this.partOf,
      });
    }
    return new Postgres(chart, `${name}-db`, {
      namespace: team.namespace,
      storageClassName: this.props.storageClassName,
      partOf: this.partOf,
    });
  }

  private teamOwning(service: Microservice): string {
    return this.teams.find((team) => team.namespace === service.namespace)!.name;
  }

  private teamEntry(name: string) {
    const entry = this.teamRegistry.get(name);
    if (!entry) {
      throw new Error(
        `No team '${name}'. Register it first with addTeam('${name}'); teams: ${[...this.teamRegistry.keys()].join(', ') || 'none'}.`,
      );
    }
    return entry;
  }

  private serviceEntry(name: string) {
    const entry = this.serviceRegistry.get(name);
    if (!entry) {
      throw new Error(
        `No service '${name}'. Register it first with addService('${name}', ...); services: ${[...this.serviceRegistry.keys()].join(', ') || 'none'}.`,
      );
    }
    return entry;
  }

  private chartLabels() {
    return { [PART_OF_LABEL]: this.partOf, [MANAGED_BY_LABEL]: 'cdk8s' };
  }
}
