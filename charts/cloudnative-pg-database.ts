import { Construct } from 'constructs';
import type { ComposedUrl, IDatabase } from './database.js';
import type { NetworkPeer, INetworkEndpoint } from './network-policy.js';
import { MetricsPodMonitor } from './pod-monitor.js';
import { CNPG_CLUSTER_LABEL, PostgresCluster, type PostgresClusterProps } from './postgres-cluster.js';
import { CNPG_POOLER_LABEL, PostgresPooler, type PostgresPoolerProps } from './postgres-pooler.js';

/**
 * The limits the service kit's pool sets per connection (statement 15 s, idle in transaction
 * 60 s), set on the role instead: PgBouncer cannot pass them on as startup parameters. A
 * migration that needs longer sets `SET LOCAL statement_timeout` in its own file.
 */
export const SERVICE_ROLE_SETTINGS = { statement_timeout: '15s', idle_in_transaction_session_timeout: '60s' };

/** Properties of a CloudNativePgDatabase. */
export interface CloudNativePgDatabaseProps extends PostgresClusterProps {
  /** The pooler's settings. @default see PostgresPoolerProps */
  readonly pooler?: Omit<PostgresPoolerProps, 'cluster' | 'apiServer' | 'partOf'>;
  /** The Prometheus pods: each instance and pooler pod gets a PodMonitor and admits them. @default not monitored */
  readonly scraper?: NetworkPeer;
}

/**
 * A service's own production database on CloudNativePG: a PostgresCluster (three instances,
 * backups), a PostgresPooler that the service connects through, and PodMonitors for both. It
 * is an IDatabase, so a service takes it where dev takes the in-cluster Postgres and another
 * environment an ExternalDatabase.
 */
export class CloudNativePgDatabase extends Construct implements IDatabase {
  readonly cluster: PostgresCluster;
  readonly pooler: PostgresPooler;
  readonly url: ComposedUrl;
  readonly providedOutside = true;

  constructor(scope: Construct, id: string, props: CloudNativePgDatabaseProps) {
    super(scope, id);
    this.cluster = new PostgresCluster(this, 'Cluster', {
      ...props,
      name: props.name ?? id,
      roleSettings: { ...SERVICE_ROLE_SETTINGS, ...props.roleSettings },
    });
    this.pooler = new PostgresPooler(this, 'Pooler', {
      ...props.pooler,
      cluster: this.cluster,
      apiServer: props.apiServer,
      partOf: props.partOf,
    });
    this.url = this.pooler.url;
    if (props.scraper) {
      this.cluster.allowScrape(props.scraper);
      this.pooler.allowScrape(props.scraper);
      const monitored: { name: string; labels: Record<string, string> }[] = [
        // The instances only: the cluster label is also on the operator's jobs.
        { name: this.cluster.name, labels: { [CNPG_CLUSTER_LABEL]: this.cluster.name, 'cnpg.io/podRole': 'instance' } },
        { name: this.pooler.name, labels: { [CNPG_POOLER_LABEL]: this.pooler.name } },
      ];
      for (const { name, labels } of monitored) {
        new MetricsPodMonitor(this, `Monitor-${name}`, {
          namespace: this.cluster.namespace,
          name,
          podLabels: labels,
          partOf: props.partOf,
        });
      }
    }
  }

  allowClient(client: INetworkEndpoint): void {
    this.pooler.allowClient(client);
  }
}
