import { Construct } from 'constructs';
import {
  HttpRoute,
  HttpRouteSpecRulesMatchesMethod,
  HttpRouteSpecRulesMatchesPathType,
} from '../imports/httproute-gateway.networking.k8s.io.js';
import { objectLabels } from './labels.js';
import type { Microservice } from './microservice.js';
import type { PublicGateway } from './public-gateway.js';

/** Which request paths a route answers. */
export class PathMatch {
  /** Exactly this path, e.g. `/rest/health`. */
  static exact(path: string): PathMatch {
    return new PathMatch(path, HttpRouteSpecRulesMatchesPathType.EXACT);
  }

  /** This path and every path below it, element by element: `/rest/v1/invoices` takes `/rest/v1/invoices/7`, not `/rest/v1/invoicesX`. */
  static prefix(path: string): PathMatch {
    return new PathMatch(path, HttpRouteSpecRulesMatchesPathType.PATH_PREFIX);
  }

  private constructor(
    readonly path: string,
    readonly type: HttpRouteSpecRulesMatchesPathType,
  ) {
    if (!/^\/[A-Za-z0-9._~\-/]*$/.test(path) || path.includes('//')) {
      throw new Error(`Path '${path}' is not a plain absolute path. Write it as /rest/v1/invoices, without a query.`);
    }
  }
}

/** Properties of a ReadOnlyRoute. */
export interface ReadOnlyRouteProps {
  /** The Gateway (and listener) it attaches to; it must be in the service's namespace. */
  readonly gateway: PublicGateway;
  /** The service that answers. */
  readonly service: Microservice;
  /** The paths exposed, each for GET only. */
  readonly paths: PathMatch[];
  /** The HTTPRoute's name. @default the construct id */
  readonly name?: string;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * An HTTPRoute that exposes a service's read API on a Gateway: each path matches GET only, so
 * whatever else lives under a prefix (a POST endpoint, another method) is not public; anything
 * not listed answers 404 at the Gateway. The service admits the Gateway's data plane on its port.
 */
export class ReadOnlyRoute extends Construct {
  readonly route: HttpRoute;

  constructor(scope: Construct, id: string, props: ReadOnlyRouteProps) {
    super(scope, id);
    const { gateway, service } = props;
    if (props.paths.length === 0) {
      throw new Error("A route needs at least one path, e.g. PathMatch.exact('/rest/health').");
    }
    if (service.namespace !== gateway.namespace) {
      throw new Error(
        `Service ${service.name} is in namespace ${service.namespace}, but Gateway ${gateway.name} accepts routes from ${gateway.namespace} only.`,
      );
    }
    const name = props.name ?? id;
    this.route = new HttpRoute(this, 'Resource', {
      metadata: {
        name,
        namespace: service.namespace,
        labels: objectLabels(name, props.partOf),
      },
      spec: {
        parentRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: gateway.name,
            namespace: gateway.namespace,
            sectionName: gateway.listenerName,
          },
        ],
        hostnames: [gateway.host],
        rules: [
          {
            matches: props.paths.map((match) => ({
              method: HttpRouteSpecRulesMatchesMethod.GET,
              path: { type: match.type, value: match.path },
            })),
            backendRefs: [{ group: '', kind: 'Service', name: service.name, port: service.port }],
          },
        ],
      },
    });
    service.allowFromPeer(gateway.dataPlane);
  }
}
