import { Construct } from 'constructs';
import {
  Gateway,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
} from '../imports/gateway-gateway.networking.k8s.io.js';
import { objectLabels } from './labels.js';
import type { NetworkPeer } from './network-policy.js';
import { TlsCertificate, type CertificateIssuer } from './tls-certificate.js';

/** Properties of a PublicGateway. */
export interface PublicGatewayProps {
  /** The namespace of the Gateway, of its certificate, and of every route it accepts. */
  readonly namespace: string;
  /** The GatewayClass of the platform's Gateway API implementation, e.g. 'envoy-gateway' or 'cilium'. */
  readonly gatewayClassName: string;
  /** The public host name. */
  readonly host: string;
  /** The cert-manager issuer of the host's certificate. */
  readonly issuer: CertificateIssuer;
  /** The pods that carry the Gateway's traffic to the services (the implementation's data plane). */
  readonly dataPlane: NetworkPeer;
  /** The Gateway's name. @default the construct id */
  readonly name?: string;
  /** The HTTPS listener's name, which routes attach to as `sectionName`. @default 'https' */
  readonly listenerName?: string;
  /** The HTTPS listener's port. @default 443 */
  readonly port?: number;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * The public entry of an environment on the Gateway API: one Gateway of the given class with
 * one HTTPS listener for one host, serving a certificate that cert-manager keeps. The listener
 * accepts HTTPRoutes from its own namespace only, so no team can attach a route of its own
 * from elsewhere. Plain HTTP is not served at all.
 */
export class PublicGateway extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly host: string;
  readonly listenerName: string;
  /** The pods that carry the Gateway's traffic, which routed services admit. */
  readonly dataPlane: NetworkPeer;
  readonly certificate: TlsCertificate;
  readonly gateway: Gateway;

  constructor(scope: Construct, id: string, props: PublicGatewayProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.host = props.host;
    this.listenerName = props.listenerName ?? 'https';
    this.dataPlane = props.dataPlane;
    this.certificate = new TlsCertificate(this, 'Certificate', {
      namespace: this.namespace,
      name: this.name,
      dnsNames: [props.host],
      issuer: props.issuer,
      partOf: props.partOf,
    });
    this.gateway = new Gateway(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: objectLabels(this.name, props.partOf),
      },
      spec: {
        gatewayClassName: props.gatewayClassName,
        listeners: [
          {
            name: this.listenerName,
            hostname: props.host,
            port: props.port ?? 443,
            protocol: 'HTTPS',
            tls: {
              mode: GatewaySpecListenersTlsMode.TERMINATE,
              certificateRefs: [{ kind: 'Secret', name: this.certificate.secretName }],
            },
            allowedRoutes: {
              namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME },
              kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
            },
          },
        ],
      },
    });
  }
}
