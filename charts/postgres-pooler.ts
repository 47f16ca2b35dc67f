import { Construct } from 'constructs';
import {
  Pooler,
  PoolerSpecPgbouncerPoolMode,
  PoolerSpecTemplateSpecContainersResourcesLimits as Limits,
  PoolerSpecTemplateSpecContainersResourcesRequests as Requests,
  PoolerSpecType,
} from '../imports/cnpg-pooler-postgresql.cnpg.io.js';
import type { ComposedUrl, IDatabase } from './database.js';
import { DEFAULT_PART_OF, objectLabels, PART_OF_LABEL } from './labels.js';
import {
  allowConnection,
  NetworkPeer,
  NetworkPolicyPort,
  WorkloadNetworkPolicy,
  type INetworkEndpoint,
} from './network-policy.js';
import { API_SERVER_PORTS, POSTGRES_PORT, type PostgresCluster } from './postgres-cluster.js';

/** The label CloudNativePG puts on a pooler's pods. */
export const CNPG_POOLER_LABEL = 'cnpg.io/poolerName';
/** PgBouncer's Prometheus exporter on each pooler pod. */
export const PGBOUNCER_METRICS_PORT = 9127;

/**
 * Startup parameters node-postgres sends that PgBouncer cannot pass on; it refuses a client
 * that sends one it is not told to ignore. The cluster sets the same limits on the role
 * (PostgresClusterProps.roleSettings), so ignoring them here loses nothing.
 */
const IGNORED_STARTUP_PARAMETERS = [
  'extra_float_digits',
  'options',
  'statement_timeout',
  'idle_in_transaction_session_timeout',
];

/** How PgBouncer shares server connections. */
export enum PoolMode {
  /**
   * A client keeps one server connection until it disconnects: session state works (session
   * advisory locks, named prepared statements, SET). The billing services need it.
   */
  SESSION = 'session',
  /** A server connection per transaction: many more clients per connection, but no session state. */
  TRANSACTION = 'transaction',
}

/** Properties of a PostgresPooler. */
export interface PostgresPoolerProps {
  /** The cluster it pools connections to (its primary). */
  readonly cluster: PostgresCluster;
  /** The Kubernetes API server's addresses, which the pooler's instance manager talks to. */
  readonly apiServer: NetworkPeer;
  /** The Pooler's name, which is also its Service's (the host in DATABASE_URL). @default `<cluster>-pooler` */
  readonly name?: string;
  /** PgBouncer pods, spread over zones. @default 2 */
  readonly instances?: number;
  /**
   * Pool mode. Session, because node-pg-migrate takes a session-level advisory lock
   * (`pg_advisory_lock`, released by `pg_advisory_unlock` on the same session) and the services
   * use named prepared statements; under transaction pooling the lock would stay on whichever
   * server connection took it and the next start would wait on it forever.
   * @default PoolMode.SESSION
   */
  readonly poolMode?: PoolMode;
  /** Server connections per pooler pod; with session pooling, one per client connection. @default 90 */
  readonly poolSize?: number;
  /** Client connections per pooler pod. @default 1000 */
  readonly maxClientConnections?: number;
  /** CPU and memory of each PgBouncer. @default requests 100m and 64Mi, limits 500m and 128Mi */
  readonly resources?: { cpuRequest?: string; cpuLimit?: string; memoryRequest?: string; memoryLimit?: string };
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * A CloudNativePG Pooler: PgBouncer in front of a cluster's primary, which clients reach under
 * one name whichever instance is primary, with a bounded number of server connections. It is
 * the database a service uses: DATABASE_URL names the pooler's Service and takes the user and
 * password from the Secret the operator generates for the cluster (`<cluster>-app`), whose own
 * `uri` names the primary directly (see ComposedUrl).
 */
export class PostgresPooler extends Construct implements IDatabase, INetworkEndpoint {
  readonly name: string;
  readonly namespace: string;
  /** The pooler's Service, which clients connect to. */
  readonly host: string;
  readonly url: ComposedUrl;
  readonly providedOutside = true;
  readonly networkPolicy: WorkloadNetworkPolicy;
  readonly peer: NetworkPeer;
  readonly pooler: Pooler;

  constructor(scope: Construct, id: string, props: PostgresPoolerProps) {
    super(scope, id);
    const cluster = props.cluster;
    this.name = props.name ?? `${cluster.name}-pooler`;
    this.namespace = cluster.namespace;
    this.host = `${this.name}.${this.namespace}.svc`;
    const poolSize = props.poolSize ?? 90;
    const maxClientConnections = props.maxClientConnections ?? 1000;
    if (!Number.isInteger(poolSize) || poolSize < 1 || maxClientConnections < poolSize) {
      throw new Error(
        `Pool size ${poolSize} with ${maxClientConnections} client connections is not valid: use 1 <= poolSize <= maxClientConnections.`,
      );
    }
    const app = cluster.appSecret;
    this.url = {
      template: `postgresql://$(DATABASE_USER):$(DATABASE_PASSWORD)@${this.host}:${POSTGRES_PORT}/${cluster.databaseName}`,
      parts: { DATABASE_USER: { secret: app, key: 'username' }, DATABASE_PASSWORD: { secret: app, key: 'password' } },
    };
    const podSelector = { [CNPG_POOLER_LABEL]: this.name };

    this.networkPolicy = new WorkloadNetworkPolicy(this, 'NetworkPolicy', {
      name: this.name,
      namespace: this.namespace,
      podLabels: podSelector,
    });
    this.peer = NetworkPeer.pods(this.namespace, podSelector);
    this.networkPolicy.allowEgress(props.apiServer, ...API_SERVER_PORTS);
    cluster.allowClient(this);

    const resources = props.resources ?? {};
    this.pooler = new Pooler(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: objectLabels(this.name, props.partOf),
      },
      spec: {
        cluster: { name: cluster.name },
        instances: props.instances ?? 2,
        type: PoolerSpecType.RW,
        pgbouncer: {
          poolMode:
            (props.poolMode ?? PoolMode.SESSION) === PoolMode.SESSION
              ? PoolerSpecPgbouncerPoolMode.SESSION
              : PoolerSpecPgbouncerPoolMode.TRANSACTION,
          parameters: {
            default_pool_size: String(poolSize),
            max_client_conn: String(maxClientConnections),
            ignore_startup_parameters: IGNORED_STARTUP_PARAMETERS.join(','),
            // Named prepared statements survive transaction pooling too (PgBouncer 1.21+).
            max_prepared_statements: '200',
          },
        },
        template: {
          metadata: { labels: { [PART_OF_LABEL]: props.partOf ?? DEFAULT_PART_OF } },
          spec: {
            containers: [
              {
                name: 'pgbouncer',
                resources: {
                  requests: {
                    cpu: Requests.fromString(resources.cpuRequest ?? '100m'),
                    memory: Requests.fromString(resources.memoryRequest ?? '64Mi'),
                  },
                  limits: {
                    cpu: Limits.fromString(resources.cpuLimit ?? '500m'),
                    memory: Limits.fromString(resources.memoryLimit ?? '128Mi'),
                  },
                },
              },
            ],
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: podSelector },
              },
            ],
          },
        },
      },
    });
  }

  allowClient(client: INetworkEndpoint): void {
    allowConnection(client, this, NetworkPolicyPort.tcp(POSTGRES_PORT));
  }

  /** Lets `scraper` (Prometheus) read PgBouncer's metrics. */
  allowScrape(scraper: NetworkPeer): void {
    this.networkPolicy.allowIngress(scraper, NetworkPolicyPort.tcp(PGBOUNCER_METRICS_PORT));
  }
}
