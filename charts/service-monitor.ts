import { Construct } from 'constructs';
import { ServiceMonitor } from '../imports/servicemonitor-monitoring.coreos.com.js';
import { objectLabels, selectorLabels } from './labels.js';
import type { Microservice } from './microservice.js';
import type { NetworkPeer } from './network-policy.js';

/** Properties of a MicroserviceMonitor. */
export interface MicroserviceMonitorProps {
  /** The service to scrape: its Service's `http` port, path /metrics. */
  readonly service: Microservice;
  /** The Prometheus pods, which the service's network policy then admits on its port. */
  readonly scraper: NetworkPeer;
  /** How often Prometheus scrapes. @default '30s' */
  readonly interval?: string;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * A Prometheus Operator ServiceMonitor for one Microservice: Prometheus finds every pod behind
 * its Service and scrapes /metrics, with the pod and service as target labels (the `service`
 * label the kit sets on every series says which service it is). It also opens the service's
 * network policy to the scraper, so monitoring and the rule that allows it cannot drift apart.
 */
export class MicroserviceMonitor extends Construct {
  readonly serviceMonitor: ServiceMonitor;

  constructor(scope: Construct, id: string, props: MicroserviceMonitorProps) {
    super(scope, id);
    const service = props.service;
    this.serviceMonitor = new ServiceMonitor(this, 'Resource', {
      metadata: {
        name: service.name,
        namespace: service.namespace,
        labels: objectLabels(service.name, props.partOf),
      },
      spec: {
        selector: { matchLabels: selectorLabels(service.name) },
        endpoints: [{ port: 'http', path: '/metrics', interval: props.interval ?? '30s' }],
      },
    });
    service.allowFromPeer(props.scraper);
  }
}
