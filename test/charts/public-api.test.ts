import { describe, expect, it } from 'vitest';
import { Image, Microservice, NetworkPeer, PublicApi, type PublicApiProps } from '../../charts/index.js';
import { all, environmentObjects, only, synth, synthesizeAll, testChart } from '../../charts/index.js';
import { routedBy } from './ingress-nginx.js';

function build(props: Partial<PublicApiProps> & { paths?: string[] } = {}) {
  const { paths = ['/rest/v1/items', '/rest/v1/items/{id}', '/rest/v1.json'], ...rest } = props;
  const chart = testChart();
  const service = new Microservice(chart, 'api', { namespace: 'web', image: Image.of('r.test/api:1.0.0'), port: 8000 });
  new PublicApi(chart, 'public', { namespace: 'web', routes: paths.map((path) => ({ path, service })), ...rest });
  return synth(chart);
}

describe('PublicApi', () => {
  it('by default routes each exact path on any host through the nginx class, and admits only the controller', () => {
    const manifests = build();
    const ingress = only(manifests, 'Ingress', 'public');
    expect(ingress.metadata.namespace).toBe('web');
    expect(ingress.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/use-regex': 'true' });
    const backend = { service: { name: 'api', port: { number: 8000 } } };
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      rules: [
        {
          http: {
            paths: [
              { path: '/rest/v1/items/[0-9]+$', pathType: 'ImplementationSpecific', backend },
              { path: '/rest/v1/items$', pathType: 'ImplementationSpecific', backend },
              { path: '/rest/v1\\.json$', pathType: 'ImplementationSpecific', backend },
            ],
          },
        },
      ],
    });
    expect(only(manifests, 'NetworkPolicy', 'api').spec.ingress).toEqual([
      {
        from: [NetworkPeer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }).toSpec()],
        ports: [{ port: 8000, protocol: 'TCP' }],
      },
    ]);
  });

  it('takes a name, class, host, TLS secret, controller and part-of', () => {
    const controller = NetworkPeer.pods('traefik', { app: 'traefik' });
    const manifests = build({
      paths: ['/rest/v1/items'],
      name: 'edge',
      className: 'traefik',
      host: 'billing.example.com',
      tlsSecret: 'billing-tls',
      controller,
      partOf: 'finance',
    });
    const ingress = only(manifests, 'Ingress', 'edge');
    expect(ingress.spec.ingressClassName).toBe('traefik');
    expect(ingress.spec.rules[0].host).toBe('billing.example.com');
    expect(ingress.spec.rules[0].http.paths[0]).toMatchObject({ path: '/rest/v1/items', pathType: 'Exact' });
    expect(ingress.metadata.annotations).not.toHaveProperty('nginx.ingress.kubernetes.io/use-regex');
    expect(ingress.spec.tls).toEqual([{ hosts: ['billing.example.com'], secretName: 'billing-tls' }]);
    expect(ingress.metadata.labels['app.kubernetes.io/part-of']).toBe('finance');
    expect(only(manifests, 'NetworkPolicy', 'api').spec.ingress[0].from).toEqual([controller.toSpec()]);
  });

  it('refuses routes it cannot serve, with the fix', () => {
    expect(() => build({ tlsSecret: 'tls' })).toThrow(/needs a host name/);
    expect(() => build({ className: 'traefik' })).toThrow(
      "Route /rest/v1/items/{id} has an id segment, which needs a regular expression: only ingress-nginx (className 'nginx') reads them. List exact paths instead, or use ingress-nginx.",
    );
    const chart = testChart();
    const elsewhere = new Microservice(chart, 'api', {
      namespace: 'other',
      image: Image.of('r.test/api:1.0.0'),
      port: 8000,
    });
    expect(() => new PublicApi(chart, 'p', { namespace: 'web', routes: [{ path: '/x', service: elsewhere }] })).toThrow(
      /only reaches services in its own namespace \(web\)/,
    );
    expect(
      () => new PublicApi(testChart(), 'p', { namespace: 'other', routes: [{ path: 'x', service: elsewhere }] }),
    ).toThrow("Route 'x' must start with '/'. Did you mean '/x'?");
  });
});

describe('the public entry of every environment (synthesized routes, as ingress-nginx routes them)', () => {
  const files = synthesizeAll();
  const reachable = [
    '/rest/v1/invoices',
    '/rest/v1/invoices?status=PAID&limit=10',
    '/rest/v1/invoices/42',
    '/rest/v1/customers',
    '/rest/v1/customers/7',
    '/rest/health',
  ];
  const internal = [
    '/rest/v1/invoices/pay',
    '/rest/v1/invoices/PAY',
    '/rest/v1/invoices/%70ay',
    '/rest/v1/invoices/1/../pay',
    '/rest/v1/invoices//pay',
    '/rest/v1/billing-runs',
    '/rest/v1/billing-runs/abc',
    '/rest/v1/billing-runs/abc/events',
    '/rest/v1/invoices/1/anything',
    '/rest/v1/invoices/',
    '/rest/v1/invoicesx',
    '/rest/v1/charge',
    '/rest/v1/charges',
    '/rest/ready',
    '/rest/openapi.json',
    '/metrics',
    '/',
  ];

  it.each(['.', 'prod'])(
    '%s: only the read API and health reach invoice-app; pay and billing-runs do not',
    (folder) => {
      const ingresses = all(environmentObjects(files, folder), 'Ingress');
      expect(ingresses.map((ingress) => ingress.metadata.name)).toEqual(['public-api']);
      for (const path of reachable) expect(routedBy(ingresses, path), path).toBe('invoice-app');
      for (const path of internal) expect(routedBy(ingresses, path), path).toBeUndefined();
    },
  );

  it('would expose pay through a prefix route, as it did before (the model can fail)', () => {
    const prefix = { path: '/rest/v1/invoices', pathType: 'Prefix', backend: { service: { name: 'invoice-app' } } };
    const ingress = { metadata: {}, spec: { rules: [{ http: { paths: [prefix] } }] } };
    expect(routedBy([ingress], '/rest/v1/invoices/pay')).toBe('invoice-app');
  });
});
