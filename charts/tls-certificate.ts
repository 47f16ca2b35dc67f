import { Construct } from 'constructs';
import {
  Certificate,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyRotationPolicy,
} from '../imports/certificate-cert-manager.io.js';
import { objectLabels } from './labels.js';
import { CREATED_AT_DEPLOY } from './verify-annotations.js';

/** The cert-manager issuer that signs a certificate. */
export class CertificateIssuer {
  /** A ClusterIssuer, shared by every namespace (e.g. `letsencrypt-prod`), which the platform team runs. */
  static cluster(name: string): CertificateIssuer {
    return new CertificateIssuer(name, 'ClusterIssuer');
  }

  /** An Issuer in the certificate's own namespace. */
  static namespaced(name: string): CertificateIssuer {
    return new CertificateIssuer(name, 'Issuer');
  }

  private constructor(
    readonly name: string,
    readonly kind: 'ClusterIssuer' | 'Issuer',
  ) {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
      throw new Error(`Issuer name '${name}' is not a Kubernetes name. Use lowercase letters, digits and '-'.`);
    }
  }
}

/** Properties of a TlsCertificate. */
export interface TlsCertificateProps {
  /** The namespace of the Certificate and of the Secret it keeps. */
  readonly namespace: string;
  /** The host names it is for. */
  readonly dnsNames: string[];
  /** Who signs it. */
  readonly issuer: CertificateIssuer;
  /** The Certificate's name. @default the construct id */
  readonly name?: string;
  /** The Secret cert-manager writes (`tls.crt`, `tls.key`). @default `<name>-tls` */
  readonly secretName?: string;
  /** Lifetime asked for. @default '2160h' (90 days) */
  readonly duration?: string;
  /** How long before expiry it is renewed. @default '720h' (30 days) */
  readonly renewBefore?: string;
  /** Value of `app.kubernetes.io/part-of`. @default 'billing' */
  readonly partOf?: string;
}

/**
 * A TLS certificate that cert-manager requests from a named issuer and renews in time, kept
 * in a Secret that a Gateway listener serves. The private key is ECDSA P-256 and a new one is
 * made on every renewal, so a leaked key stops being useful within one lifetime.
 */
export class TlsCertificate extends Construct {
  readonly name: string;
  readonly namespace: string;
  /** The Secret that holds the certificate and key. */
  readonly secretName: string;
  readonly certificate: Certificate;

  constructor(scope: Construct, id: string, props: TlsCertificateProps) {
    super(scope, id);
    if (props.dnsNames.length === 0) {
      throw new Error('A certificate needs at least one host name in dnsNames, e.g. billing.example.com.');
    }
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.secretName = props.secretName ?? `${this.name}-tls`;
    this.certificate = new Certificate(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: objectLabels(this.name, props.partOf),
        // The issuer is the platform team's, installed with cert-manager, not part of dist/.
        annotations: { [CREATED_AT_DEPLOY]: `${props.issuer.kind}/${props.issuer.name}` },
      },
      spec: {
        secretName: this.secretName,
        dnsNames: [...props.dnsNames],
        issuerRef: { group: 'cert-manager.io', kind: props.issuer.kind, name: props.issuer.name },
        duration: props.duration ?? '2160h',
        renewBefore: props.renewBefore ?? '720h',
        privateKey: {
          algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
          size: 256,
          rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
        },
      },
    });
  }
}
