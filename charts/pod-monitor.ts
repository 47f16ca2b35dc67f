import { Construct } from 'constructs';
import { PodMonitor } from '../imports/podmonitor-monitoring.coreos.com.js';
import { objectLabels } from './labels.js';

/** Properties of a MetricsPodMonitor. */
export interface MetricsPodMonitorProps {
  /** The namespace of the pods (and of the PodMonitor). */
  readonly namespace: string;
  /** The PodMonitor's name. */
  readonly name: string;
  /** Labels that select the pods, e.g. an operator's `cnpg.io/cluster`. */
  readonly podLabels: Record<string, string>;
  /** The name of the container port that serves metrics. @default 'metrics' */
  readonly port?: string;
  /** The metrics path. @default '/metrics' */
  readonly path?: string;
  /** How often Prometheus scrapes. @default '30s' */
  readonly interval?: string;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * A Prometheus Operator PodMonitor: Prometheus scrapes these pods directly, for pods that no
 * Service of ours selects (those an operator creates: Postgres instances, PgBouncer). The
 * pods' network policy must admit the scraper on the port (see `allowScrape`).
 */
export class MetricsPodMonitor extends Construct {
  readonly podMonitor: PodMonitor;

  constructor(scope: Construct, id: string, props: MetricsPodMonitorProps) {
    super(scope, id);
    this.podMonitor = new PodMonitor(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: objectLabels(props.name, props.partOf),
      },
      spec: {
        selector: { matchLabels: props.podLabels },
        podMetricsEndpoints: [
          { port: props.port ?? 'metrics', path: props.path ?? '/metrics', interval: props.interval ?? '30s' },
        ],
      },
    });
  }
}
