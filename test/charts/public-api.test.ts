import { describe, expect, it } from 'vitest';
import { Image, Microservice, NetworkPeer, PublicApi, type PublicApiProps } from '../../charts/index.js';
import { only, synth, testChart } from '../../charts/index.js';

function build(props: Partial<PublicApiProps> = {}) {
  const chart = testChart();
  const service = new Microservice(chart, 'api', { namespace: 'web', image: Image.of('r.test/api:1.0.0'), port: 8000 });
  new PublicApi(chart, 'public', { namespace: 'web', routes: [{ path: '/rest/v1', service }], ...props });
  return synth(chart);
}

describe('PublicApi', () => {
  it('by default routes each prefix on any host through the nginx class, and admits only the controller', () => {
    const manifests = build();
    const ingress = only(manifests, 'Ingress', 'public');
    expect(ingress.metadata.namespace).toBe('web');
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      rules: [
        {
          http: {
            paths: [
              { path: '/rest/v1', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8000 } } } },
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
    expect(ingress.spec.tls).toEqual([{ hosts: ['billing.example.com'], secretName: 'billing-tls' }]);
    expect(ingress.metadata.labels['app.kubernetes.io/part-of']).toBe('finance');
    expect(only(manifests, 'NetworkPolicy', 'api').spec.ingress[0].from).toEqual([controller.toSpec()]);
  });

  it('refuses routes it cannot serve, with the fix', () => {
    expect(() => build({ tlsSecret: 'tls' })).toThrow(/needs a host name/);
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
