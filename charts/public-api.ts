import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DEFAULT_PART_OF, MANAGED_BY_LABEL, NAME_LABEL, PART_OF_LABEL } from './labels.js';
import type { Microservice } from './microservice.js';
import { NetworkPeer } from './network-policy.js';
import { CREATED_AT_DEPLOY, secretsCreatedAtDeploy } from './verify-annotations.js';

/** One public path and the service that answers it. */
export interface PublicRoute {
  /**
   * An exact path, e.g. `/rest/v1/invoices`; a `{name}` segment stands for one numeric id, e.g.
   * `/rest/v1/invoices/{id}`. Never a prefix: what lies below a public path (`/pay`) stays private.
   */
  readonly path: string;
  /** The service behind it, in the Ingress's namespace. */
  readonly service: Microservice;
}

/** Properties of a PublicApi. */
export interface PublicApiProps {
  /** The namespace of the Ingress and of every routed service. */
  readonly namespace: string;
  /** The routes. Only these paths are reachable from outside: /metrics and /rest/ready stay internal. */
  readonly routes: PublicRoute[];
  /** The Ingress's name. @default the construct id */
  readonly name?: string;
  /** The ingress class; `{id}` segments need ingress-nginx, which understands regular expressions. @default 'nginx' */
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

/** ingress-nginx reads paths as regular expressions on Ingresses with this annotation. */
const USE_REGEX = 'nginx.ingress.kubernetes.io/use-regex';
/** A path segment that stands for one numeric id: `{id}`. */
const ID_SEGMENT = /^\{[^/]*\}$/;

/**
 * The public entry: an Ingress that routes exact paths to services, and the network rules
 * that let the ingress controller, and nothing else outside, reach those services.
 *
 * For ingress-nginx every path is an anchored regular expression (`/rest/v1/invoices/[0-9]+$`):
 * once one Ingress of a host uses regular expressions, ingress-nginx turns every path of that
 * host, Exact ones included, into `~* "^<path>"`, a prefix match. Writing them all anchored keeps
 * them exact whatever other Ingresses of the host do. Other classes get Exact paths.
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
    const regex = (props.className ?? 'nginx') === 'nginx';
    if (regex) this.ingress.metadata.addAnnotation(USE_REGEX, 'true');
    for (const route of props.routes) {
      if (!route.path.startsWith('/')) {
        throw new Error(`Route '${route.path}' must start with '/'. Did you mean '/${route.path}'?`);
      }
      if (route.service.namespace !== props.namespace) {
        throw new Error(
          `Route ${route.path} goes to ${route.service.name} in namespace ${route.service.namespace}, but an Ingress only reaches services in its own namespace (${props.namespace}).`,
        );
      }
      if (!regex && route.path.split('/').some((segment) => ID_SEGMENT.test(segment))) {
        throw new Error(
          `Route ${route.path} has an id segment, which needs a regular expression: only ingress-nginx (className 'nginx') reads them. List exact paths instead, or use ingress-nginx.`,
        );
      }
      const path = regex ? `${pathRegex(route.path)}$` : route.path;
      const pathType = regex ? kplus.HttpIngressPathType.IMPLEMENTATION_SPECIFIC : kplus.HttpIngressPathType.EXACT;
      const backend = kplus.IngressBackend.fromService(route.service.service, { port: route.service.port });
      if (props.host === undefined) this.ingress.addRule(path, backend, pathType);
      else this.ingress.addHostRule(props.host, path, backend, pathType);
      route.service.allowFromPeer(controller);
    }
  }
}

/** `/rest/v1/invoices/{id}` -> `/rest/v1/invoices/[0-9]+`, the rest of the path taken literally. */
function pathRegex(path: string): string {
  return path
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) ? '[0-9]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
}
