import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DEFAULT_PART_OF, MANAGED_BY_LABEL, NAME_LABEL, PART_OF_LABEL } from './labels.js';
import type { Microservice } from './microservice.js';
import { NetworkPeer } from './network-policy.js';
import { CREATED_AT_DEPLOY, secretsCreatedAtDeploy } from './verify-annotations.js';

/** One public path prefix and the service that answers it. */
export interface PublicRoute {
  /** A path prefix, e.g. `/rest/v1/invoices`. */
  readonly path: string;
  /** The service behind it, in the Ingress's namespace. */
  readonly service: Microservice;
}

/** Properties of a PublicApi. */
export interface PublicApiProps {
  /** The namespace of the Ingress and of every routed service. */
  readonly namespace: string;
  /** The routes. Only these prefixes are reachable from outside: /metrics and /rest/ready stay internal. */
  readonly routes: PublicRoute[];
  /** The Ingress's name. @default the construct id */
  readonly name?: string;
  /** The ingress class. @default 'nginx' */
  readonly className?: string;
  /** The public host name. @default every host (fine for a local cluster) */
  readonly host?: string;
  /** A Secret with the TLS certificate for `host`, e.g. one that cert-manager keeps. @default plain HTTP */
  readonly tlsSecret?: string;
  /** The ingress controller's pods, which the services' network policies admit. @default ingress-nginx's controller */
  readonly controller?: NetworkPeer;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * The public entry: an Ingress that routes path prefixes to services, and the network rules
 * that let the ingress controller, and nothing else outside, reach those services.
 */
export class PublicApi extends Construct {
  readonly ingress: kplus.Ingress;

  constructor(scope: Construct, id: string, props: PublicApiProps) {
    super(scope, id);
    if (props.tlsSecret !== undefined && props.host === undefined) {
      throw new Error('A TLS certificate needs a host name to serve it for. Set host, e.g. billing.example.com.');
    }
    const name = props.name ?? id;
    const controller =
      props.controller ?? NetworkPeer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' });
    this.ingress = new kplus.Ingress(this, 'Ingress', {
      metadata: {
        name,
        namespace: props.namespace,
        labels: { [NAME_LABEL]: name, [PART_OF_LABEL]: props.partOf ?? DEFAULT_PART_OF, [MANAGED_BY_LABEL]: 'cdk8s' },
        // The certificate comes from cert-manager or an operator, not from dist/.
        annotations:
          props.tlsSecret === undefined
            ? undefined
            : { [CREATED_AT_DEPLOY]: secretsCreatedAtDeploy([{ namespace: props.namespace, name: props.tlsSecret }]) },
      },
      className: props.className ?? 'nginx',
      tls:
        props.tlsSecret === undefined || props.host === undefined
          ? undefined
          : [{ hosts: [props.host], secret: kplus.Secret.fromSecretName(this, 'Tls', props.tlsSecret) }],
    });
    for (const route of props.routes) {
      if (!route.path.startsWith('/')) {
        throw new Error(`Route '${route.path}' must start with '/'. Did you mean '/${route.path}'?`);
      }
      if (route.service.namespace !== props.namespace) {
        throw new Error(
          `Route ${route.path} goes to ${route.service.name} in namespace ${route.service.namespace}, but an Ingress only reaches services in its own namespace (${props.namespace}).`,
        );
      }
      const backend = kplus.IngressBackend.fromService(route.service.service, { port: route.service.port });
      if (props.host === undefined) this.ingress.addRule(route.path, backend, kplus.HttpIngressPathType.PREFIX);
      else this.ingress.addHostRule(props.host, route.path, backend, kplus.HttpIngressPathType.PREFIX);
      route.service.allowFromPeer(controller);
    }
  }
}
