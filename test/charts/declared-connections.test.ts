import { describe, expect, it } from 'vitest';
import {
  buildEnvironment,
  declaredConnections,
  Manifests,
  NetworkPeer,
  NetworkPolicyPort,
  synthEnvironment,
} from '../../charts/index.js';
import { connectionsAnnotation, parseConnectionsAnnotation } from '../../charts/declared-connections.js';
import { CONNECTIONS } from '../../charts/verify-annotations.js';

describe('declared connections', () => {
  it('name each peer so that its id reads back as the same peer', () => {
    for (const peer of [
      NetworkPeer.pods('payments', { 'app.kubernetes.io/name': 'payment-provider' }),
      NetworkPeer.pods('kube-system', { 'k8s-app': 'kube-dns', tier: 'control-plane' }),
      NetworkPeer.allPods('invoices'),
      NetworkPeer.cidr('10.20.0.0/24'),
    ]) {
      expect(NetworkPeer.parse(peer.id).toSpec()).toEqual(peer.toSpec());
    }
    expect(() => NetworkPeer.parse('invoice-app')).toThrow(/names no pods\. Use namespace\/name/);
  });

  it('are written on the Namespaces they touch and read back unchanged', () => {
    const { platform, app } = buildEnvironment('dev');
    const declared = declaredConnections(app);
    expect(declared).toEqual(platform.connections);
    const manifests = Manifests.of(app);
    const written = manifests
      .all('Namespace')
      .flatMap((namespace) => parseConnectionsAnnotation(namespace.metadata.annotations[CONNECTIONS]));
    const unique = new Map(written.map((connection) => [JSON.stringify(connection), connection]));
    expect([...unique.values()].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      [...declared].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    expect(manifests.find('Namespace', 'payments').metadata.annotations[CONNECTIONS]).toContain(
      'invoices/invoice-app -> payments/payment-provider 9000/TCP by invoices/invoice-app/Pod/NetworkPolicy, payments/payment-provider/Pod/NetworkPolicy',
    );
    expect(connectionsAnnotation(declared, 'nowhere')).toBe('none');
    expect(parseConnectionsAnnotation('none')).toEqual([]);
    expect(() => parseConnectionsAnnotation('a to b')).toThrow(/Cannot read the declared connection "a to b"/);
  });

  it('make a rule written on one side only fail verification at synthesis, naming its construct', () => {
    const manifests = synthEnvironment('dev', {
      extend: (platform) => {
        const invoiceApp = platform.service('invoice-app').networkPolicy;
        invoiceApp.allowEgress(platform.service('payment-provider').peer, NetworkPolicyPort.tcp(9100));
      },
    });
    const found = manifests.verify().violations.map((violation) => `${violation.check}: ${violation.message}`);
    expect(found).toEqual([
      expect.stringMatching(
        /^blocked-connections: refuses connections declared in code: invoices\/invoice-app -> payments\/payment-provider 9100\/TCP \(declared by invoices\/invoice-app\/Pod\/NetworkPolicy\)\. .*Fix: /,
      ),
    ]);
  });
});
