import { describe, expect, it } from 'vitest';
import { Cluster } from '../../verify/cluster.js';
import { Reachability } from '../../verify/reachability.js';
import { Platform } from '../../verify/testing/platform.js';

const reachability = (platform: Platform) => new Reachability(new Cluster(platform.manifests()));
const PROVIDER = 'payments/payment-provider';
const POLICY = 'NetworkPolicy payments/payment-provider';

describe('Reachability', () => {
  it('lets only invoice-app reach payment-provider, on its one port', () => {
    const matrix = reachability(new Platform());
    expect(matrix.sourcesOf(PROVIDER)).toEqual(['invoices/invoice-app']);
    expect(matrix.flows.find((flow) => flow.to === PROVIDER)?.ports).toEqual(['9000/TCP']);
  });

  it('computes every allowed flow of the fixture, and nothing else', () => {
    const flows = reachability(new Platform()).flows.map(
      (flow) => `${flow.from} -> ${flow.to} ${flow.ports.join(',')}`,
    );
    expect(flows).toEqual([
      'billing-system/secret-bootstrap -> kube-system/{k8s-app=kube-dns} 53/TCP,53/UDP',
      'billing-system/secret-bootstrap -> ipBlock 10.96.0.1/32 443/TCP',
      'invoices/invoice-app -> invoices/invoices-db 5432/TCP',
      'invoices/invoice-app -> payments/payment-provider 9000/TCP',
      'invoices/invoice-app -> kube-system/{k8s-app=kube-dns} 53/TCP,53/UDP',
      'invoices/monthly-billing -> invoices/invoice-app 8000/TCP',
      'invoices/monthly-billing -> kube-system/{k8s-app=kube-dns} 53/UDP',
      'payments/payment-provider -> payments/payments-db 5432/TCP',
      'payments/payment-provider -> kube-system/{k8s-app=kube-dns} 53/TCP,53/UDP',
      'ingress-nginx/(any pod) -> invoices/invoice-app 8000/TCP',
    ]);
  });

  it('opens payment-provider to every pod when its ingress rule loses its peers', () => {
    const platform = new Platform().remove(POLICY, 'spec.ingress[0].from');
    const sources = reachability(platform).sourcesOf(PROVIDER);
    // Egress policies still hold back the other pods of our namespaces; the rest of the cluster gets in.
    expect(sources).toEqual(
      expect.arrayContaining([
        'invoices/invoice-app',
        'payments/(any other pod)',
        '(pod in another namespace)',
        'internet',
      ]),
    );
  });

  it('opens payment-provider to a whole namespace when the pod selector is dropped from the peer', () => {
    const platform = new Platform().remove(POLICY, 'spec.ingress[0].from[0].podSelector');
    expect(reachability(platform).sourcesOf(PROVIDER)).toEqual(['invoices/invoice-app', 'invoices/(any other pod)']);
  });

  it('needs both sides: an egress rule that stops at invoices blocks the flow even when ingress allows it', () => {
    const platform = new Platform().remove('NetworkPolicy invoices/invoice-app', 'spec.egress[0]');
    expect(reachability(platform).sourcesOf(PROVIDER)).toEqual([]);
  });

  it('matches ports by name, number and range, and protocol', () => {
    const platform = new Platform().set(POLICY, 'spec.ingress[0].ports', [{ protocol: 'UDP', port: 9000 }]);
    expect(reachability(platform).sourcesOf(PROVIDER)).toEqual([]);
    platform.set(POLICY, 'spec.ingress[0].ports', [{ port: 8000, endPort: 9999 }]);
    expect(reachability(platform).sourcesOf(PROVIDER)).toEqual(['invoices/invoice-app']);
    platform.set(POLICY, 'spec.ingress[0].ports', [{ port: 'http' }]);
    expect(reachability(platform).sourcesOf(PROVIDER)).toEqual(['invoices/invoice-app']);
  });

  it('lets everything in when no policy selects the destination', () => {
    const platform = new Platform().drop(POLICY).drop('NetworkPolicy payments/default-deny');
    expect(reachability(platform).sourcesOf(PROVIDER)).toContain('internet');
  });

  it('prints a Markdown matrix with a row per source and a cell per destination', () => {
    const table = reachability(new Platform()).toMarkdown();
    expect(table.split('\n')[0]).toContain('| from \\ to | billing-system/secret-bootstrap | invoices/invoice-app |');
    expect(table).toMatch(/\| invoices\/invoice-app \|[^\n]*\| 9000\/TCP \|/);
    expect(table).toMatch(/\| internet \|( - \|)+( \|)?/);
  });
});
