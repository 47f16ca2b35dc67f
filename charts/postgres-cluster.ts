import { Construct } from 'constructs';
import {
  Cluster,
  ClusterSpecResourcesLimits,
  ClusterSpecResourcesRequests,
} from '../imports/cnpg-cluster-postgresql.cnpg.io.js';
import { Image } from './image.js';
import { DEFAULT_PART_OF, objectLabels, PART_OF_LABEL } from './labels.js';
import {
  allowConnection,
  NetworkPeer,
  NetworkPolicyPort,
  WorkloadNetworkPolicy,
  type INetworkEndpoint,
} from './network-policy.js';
import type { ObjectStore } from './object-store.js';
import { PostgresBackupSchedule } from './postgres-backup-schedule.js';
import { CREATED_AT_DEPLOY, secretsCreatedAtDeploy } from './verify-annotations.js';

/** The label CloudNativePG puts on every pod of a cluster: its instances and the jobs that create them. */
export const CNPG_CLUSTER_LABEL = 'cnpg.io/cluster';
/** Where Postgres listens, on every instance. */
export const POSTGRES_PORT = 5432;
/** The instance manager's status endpoint, which the operator and the other instances call. */
export const CNPG_STATUS_PORT = 8000;
/** The instance manager's Prometheus exporter. */
export const CNPG_METRICS_PORT = 9187;
/** The Kubernetes API server's ports: 443 behind the `kubernetes` Service, 6443 on most control planes. */
export const API_SERVER_PORTS = [NetworkPolicyPort.tcp(443), NetworkPolicyPort.tcp(6443)];

/** CPU and memory of each instance. */
export interface PostgresInstanceResources {
  /** @default '500m' */
  readonly cpuRequest?: string;
  /** @default '2' */
  readonly cpuLimit?: string;
  /** Also the limit: Postgres sizes its caches from memory, and a pod over its limit is killed mid-transaction. @default '1Gi' */
  readonly memory?: string;
}

/** Properties of a PostgresCluster. */
export interface PostgresClusterProps {
  /** The namespace it runs in (its service's team's). */
  readonly namespace: string;
  /** The Kubernetes API server's addresses, which every instance manager talks to (e.g. `NetworkPeer.cidr('10.0.0.1/32')`). */
  readonly apiServer: NetworkPeer;
  /** The Cluster's name, the prefix of its Services (`<name>-rw`) and Secrets (`<name>-app`). @default the construct id */
  readonly name?: string;
  /** The application database, and its owner role of the same name. @default 'app' */
  readonly databaseName?: string;
  /** Instances: one primary and synchronous-capable replicas, one per zone. @default 3 */
  readonly instances?: number;
  /** Size of each instance's data volume, e.g. '50Gi'. @default '20Gi' */
  readonly storageSize?: string;
  /** Storage class of the data volumes. @default the cluster's default class */
  readonly storageClass?: string;
  /** CPU and memory of each instance. @default see PostgresInstanceResources */
  readonly resources?: PostgresInstanceResources;
  /** The PostgreSQL operand image, pinned. @default ghcr.io/cloudnative-pg/postgresql:17.6-standard-bookworm */
  readonly image?: Image;
  /** Server parameters over the defaults (`max_connections: '200'`). @default none */
  readonly parameters?: Record<string, string>;
  /** Settings of the application role (`ALTER ROLE ... SET`), applied when the cluster is created. @default none */
  readonly roleSettings?: Record<string, string>;
  /** Whether a zone may hold two instances when too few zones have room; a cluster in one zone dies with it. @default false */
  readonly allowSameZone?: boolean;
  /** Object store for WAL archiving and base backups; without it there is no backup. @default no backups */
  readonly backup?: ObjectStore;
  /** When the base backup runs, a six-field cron (seconds first) in UTC. @default '0 0 3 * * *' (03:00 daily) */
  readonly backupSchedule?: string;
  /** The CloudNativePG operator's pods. @default pods `app.kubernetes.io/name: cloudnative-pg` in `cnpg-system` */
  readonly operator?: NetworkPeer;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/** The operand image CloudNativePG 1.30 ships with, pinned so that an operator upgrade does not change Postgres. */
export const CNPG_POSTGRES_IMAGE = Image.of('ghcr.io/cloudnative-pg/postgresql:17.6-standard-bookworm');

/**
 * A highly available Postgres run by the CloudNativePG operator: three instances on three
 * zones and three nodes (one primary, two streaming replicas that the operator promotes on
 * failure), no superuser access, a pinned image, and, with an object store, continuous WAL
 * archiving and a daily base backup. Its pods (which the operator creates) get a network
 * policy of their own: the operator may call the instance managers, the instances replicate
 * among themselves, and they reach only the API server, the backup store and their clients.
 */
export class PostgresCluster extends Construct implements INetworkEndpoint {
  readonly name: string;
  readonly namespace: string;
  /** The application database, and its owner role. */
  readonly databaseName: string;
  /** The Secret the operator generates with the owner's credentials: `username`, `password`, `uri`, ... */
  readonly appSecret: string;
  /** The Service that always points at the primary. */
  readonly primaryHost: string;
  readonly networkPolicy: WorkloadNetworkPolicy;
  readonly peer: NetworkPeer;
  readonly cluster: Cluster;
  /** The daily base backup, when the cluster has an object store. */
  readonly backupSchedule?: PostgresBackupSchedule;

  constructor(scope: Construct, id: string, props: PostgresClusterProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.databaseName = props.databaseName ?? 'app';
    this.appSecret = `${this.name}-app`;
    this.primaryHost = `${this.name}-rw.${this.namespace}.svc`;
    const instances = props.instances ?? 3;
    if (!Number.isInteger(instances) || instances < 1) {
      throw new Error(`A Postgres cluster of ${instances} instances is not valid. Use 3 (one per zone) or more.`);
    }
    const partOf = props.partOf ?? DEFAULT_PART_OF;
    const podSelector = { [CNPG_CLUSTER_LABEL]: this.name };

    // First, so that no instance starts before the rules that let it work.
    this.networkPolicy = new WorkloadNetworkPolicy(this, 'NetworkPolicy', {
      name: this.name,
      namespace: this.namespace,
      podLabels: podSelector,
    });
    this.peer = NetworkPeer.pods(this.namespace, podSelector);
    const operator = props.operator ?? NetworkPeer.pods('cnpg-system', { 'app.kubernetes.io/name': 'cloudnative-pg' });
    this.networkPolicy.allowIngress(operator, NetworkPolicyPort.tcp(CNPG_STATUS_PORT));
    // Replicas stream from the primary, and a new instance clones it (the join job carries the same label).
    const replication = [NetworkPolicyPort.tcp(POSTGRES_PORT), NetworkPolicyPort.tcp(CNPG_STATUS_PORT)];
    this.networkPolicy.allowIngress(this.peer, ...replication);
    this.networkPolicy.allowEgress(this.peer, ...replication);
    this.networkPolicy.allowEgress(props.apiServer, ...API_SERVER_PORTS);
    if (props.backup) this.networkPolicy.allowEgress(props.backup.endpoint, NetworkPolicyPort.tcp(443));

    const resources = props.resources ?? {};
    const memory = resources.memory ?? '1Gi';
    const roleSettings = Object.entries(props.roleSettings ?? {});
    for (const [setting, value] of roleSettings) {
      if (!/^[a-z_]+$/.test(setting) || !/^[A-Za-z0-9_. ]+$/.test(value)) {
        throw new Error(`Role setting ${setting} = '${value}' is not a plain setting, e.g. statement_timeout: '15s'.`);
      }
    }
    this.cluster = new Cluster(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: objectLabels(this.name, partOf),
        // The object store's keys come from whoever owns the bucket, not from dist/.
        annotations: props.backup?.secrets.length
          ? {
              [CREATED_AT_DEPLOY]: secretsCreatedAtDeploy(
                props.backup.secrets.map((name) => ({ namespace: this.namespace, name })),
              ),
            }
          : undefined,
      },
      spec: {
        instances,
        imageName: (props.image ?? CNPG_POSTGRES_IMAGE).reference,
        imagePullPolicy: 'IfNotPresent',
        inheritedMetadata: { labels: { [PART_OF_LABEL]: partOf } },
        enableSuperuserAccess: false,
        bootstrap: {
          initdb: {
            database: this.databaseName,
            owner: this.databaseName,
            dataChecksums: true,
            postInitApplicationSql:
              roleSettings.length === 0
                ? undefined
                : roleSettings.map(
                    ([setting, value]) => `ALTER ROLE "${this.databaseName}" SET ${setting} = '${value}'`,
                  ),
          },
        },
        postgresql: { parameters: { max_connections: '200', ...props.parameters } },
        storage: { size: props.storageSize ?? '20Gi', storageClass: props.storageClass },
        resources: {
          requests: {
            cpu: ClusterSpecResourcesRequests.fromString(resources.cpuRequest ?? '500m'),
            memory: ClusterSpecResourcesRequests.fromString(memory),
          },
          limits: {
            cpu: ClusterSpecResourcesLimits.fromString(resources.cpuLimit ?? '2'),
            memory: ClusterSpecResourcesLimits.fromString(memory),
          },
        },
        // One instance per node always; one per zone unless allowed otherwise.
        affinity: {
          enablePodAntiAffinity: true,
          podAntiAffinityType: 'required',
          topologyKey: 'kubernetes.io/hostname',
        },
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'topology.kubernetes.io/zone',
            whenUnsatisfiable: props.allowSameZone ? 'ScheduleAnyway' : 'DoNotSchedule',
            labelSelector: { matchLabels: podSelector },
          },
        ],
        enablePdb: true,
        backup: props.backup
          ? { barmanObjectStore: props.backup.barmanObjectStore, retentionPolicy: props.backup.retentionPolicy }
          : undefined,
      },
    });

    if (props.backup) {
      this.backupSchedule = new PostgresBackupSchedule(this, 'Backup', {
        cluster: this,
        schedule: props.backupSchedule,
        partOf,
      });
    }
  }

  /** Lets `client` (a pooler or a service) connect to Postgres on the instances. */
  allowClient(client: INetworkEndpoint): void {
    allowConnection(client, this, NetworkPolicyPort.tcp(POSTGRES_PORT));
  }

  /** Lets `scraper` (Prometheus) read the instances' metrics. */
  allowScrape(scraper: NetworkPeer): void {
    this.networkPolicy.allowIngress(scraper, NetworkPolicyPort.tcp(CNPG_METRICS_PORT));
  }
}
