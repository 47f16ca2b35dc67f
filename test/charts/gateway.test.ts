import { describe, expect, it } from 'vitest';
import {
  CertificateIssuer,
  CREATED_AT_DEPLOY,
  Image,
  Microservice,
  NetworkPeer,
  PathMatch,
  PublicGateway,
  ReadOnlyRoute,
  TlsCertificate,
} from '../../charts/index.js';
import { only, synth, testChart, type Manifest } from '../../charts/index.js';

const dataPlane = NetworkPeer.pods('envoy-gateway-system', { 'app.kubernetes.io/name': 'envoy' });

function build() {
  const chart = testChart();
  const gateway = new PublicGateway(chart, 'public', {
    namespace: 'invoices',
    gatewayClassName: 'envoy-gateway',
    host: 'billing.example.com',
    issuer: CertificateIssuer.cluster('letsencrypt-prod'),
    dataPlane,
  });
  const service = new Microservice(chart, 'invoice-app', {
    namespace: 'invoices',
    image: Image.of('registry.test/invoice-app:1.0.0'),
    port: 8000,
  });
  new ReadOnlyRoute(chart, 'invoice-app-read', {
    gateway,
    service,
    paths: [
      PathMatch.exact('/rest/health'),
      PathMatch.prefix('/rest/v1/invoices'),
      PathMatch.prefix('/rest/v1/customers'),
    ],
  });
  return { chart, gateway, service, manifests: synth(chart) };
}

/**
 * Whether an HTTPRoute sends a request to a backend, by the Gateway API's matching rules:
 * a match needs its method (when set) and its path (Exact: equal; PathPrefix: equal, or the
 * prefix followed by '/', element by element). Nothing matched means 404 at the Gateway.
 */
function routes(route: Manifest, method: string, url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return route.spec.rules.some((rule: Manifest) =>
    (rule.matches ?? [{}]).some((match: Manifest) => {
      if (match.method !== undefined && match.method !== method) return false;
      const { type = 'PathPrefix', value = '/' } = match.path ?? {};
      if (type === 'Exact') return path === value;
      if (type === 'PathPrefix') {
        const prefix = value.replace(/\/$/, '');
        return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
      }
      throw new Error(`unexpected path match type ${type}`);
    }),
  );
}

describe('PublicGateway', () => {
  const { manifests } = build();
  const gateway = only(manifests, 'Gateway', 'public');

  it('is a Gateway of the given class with one HTTPS listener for the host, accepting routes from its namespace only', () => {
    expect(gateway.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(gateway.spec.gatewayClassName).toBe('envoy-gateway');
    expect(gateway.spec.listeners).toEqual([
      {
        name: 'https',
        hostname: 'billing.example.com',
        port: 443,
        protocol: 'HTTPS',
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'public-tls' }] },
        allowedRoutes: {
          namespaces: { from: 'Same' },
          kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
        },
      },
    ]);
  });

  it('serves a certificate that cert-manager keeps from the named issuer, with a new key on each renewal', () => {
    const certificate = only(manifests, 'Certificate', 'public');
    expect(certificate.spec).toEqual({
      secretName: 'public-tls',
      dnsNames: ['billing.example.com'],
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt-prod' },
      duration: '2160h',
      renewBefore: '720h',
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
    });
    expect(certificate.metadata.annotations[CREATED_AT_DEPLOY]).toBe('ClusterIssuer/letsencrypt-prod');
  });

  it('refuses a certificate without a host and an issuer that is not a name', () => {
    expect(
      () =>
        new TlsCertificate(testChart(), 'c', {
          namespace: 'x',
          dnsNames: [],
          issuer: CertificateIssuer.namespaced('ca'),
        }),
    ).toThrow(/at least one host name/);
    expect(() => CertificateIssuer.cluster('Lets Encrypt')).toThrow(/not a Kubernetes name/);
  });
});

describe('ReadOnlyRoute', () => {
  const { manifests } = build();
  const route = only(manifests, 'HTTPRoute', 'invoice-app-read');

  it('attaches to the Gateway’s HTTPS listener for its host and sends to the service port', () => {
    expect(route.spec.parentRefs).toEqual([
      {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        name: 'public',
        namespace: 'invoices',
        sectionName: 'https',
      },
    ]);
    expect(route.spec.hostnames).toEqual(['billing.example.com']);
    expect(route.spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'invoice-app', port: 8000 }]);
  });

  it('exposes the read API: GET invoices, customers, each by id, and health', () => {
    for (const path of [
      '/rest/v1/invoices',
      '/rest/v1/invoices?status=PAID&limit=10',
      '/rest/v1/invoices/17',
      '/rest/v1/customers',
      '/rest/v1/customers/3',
      '/rest/health',
    ]) {
      expect(routes(route, 'GET', path), path).toBe(true);
    }
  });

  it('never exposes pay, the billing-runs API, metrics or readiness, nor any other method', () => {
    expect(routes(route, 'POST', '/rest/v1/invoices/pay')).toBe(false);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(routes(route, method, '/rest/v1/invoices'), method).toBe(false);
    }
    for (const path of [
      '/rest/v1/billing-runs',
      '/rest/v1/billing-runs/r1',
      '/rest/v1/billing-runs/r1/events',
      '/metrics',
      '/rest/ready',
      '/rest/openapi.json',
      '/rest/v1/invoicesX',
      '/rest/healthz',
    ]) {
      expect(routes(route, 'GET', path), path).toBe(false);
    }
  });

  it('lets the Gateway’s data plane, and nothing else outside, reach the service', () => {
    const ingress = only(manifests, 'NetworkPolicy', 'invoice-app').spec.ingress;
    expect(ingress).toEqual([{ from: [dataPlane.toSpec()], ports: [{ port: 8000, protocol: 'TCP' }] }]);
  });

  it('refuses a service outside the Gateway’s namespace, no paths, and paths that are not plain', () => {
    const { chart, gateway } = build();
    const other = new Microservice(chart, 'elsewhere', {
      namespace: 'payments',
      image: Image.of('registry.test/x:1.0.0'),
      port: 9000,
    });
    expect(() => new ReadOnlyRoute(chart, 'r1', { gateway, service: other, paths: [PathMatch.exact('/x')] })).toThrow(
      /accepts routes from invoices only/,
    );
    const service = new Microservice(chart, 'same', {
      namespace: 'invoices',
      image: Image.of('registry.test/x:1.0.0'),
      port: 9000,
    });
    expect(() => new ReadOnlyRoute(chart, 'r2', { gateway, service, paths: [] })).toThrow(/at least one path/);
    expect(() => PathMatch.prefix('rest/v1')).toThrow(/plain absolute path/);
    expect(() => PathMatch.exact('/rest?x=1')).toThrow(/plain absolute path/);
  });
});
