import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { ServicePort } from '../kubernetes.js';
import { namespaceOf } from '../manifest.js';
import { specOf, objectExists, missingObject } from '../custom-resources.js';

interface Listener {
  name?: string;
  tls?: { certificateRefs?: { kind?: string; name?: string; namespace?: string }[] };
  allowedRoutes?: { namespaces?: { from?: string } };
}

export const gatewayReferencesExist: Check = {
  name: 'gateway-references-exist',
  category: 'reference',
  reason:
    'A listener whose certificate Secret is missing serves no TLS; an HTTPRoute whose Gateway, listener or backend Service and port do not exist, or whose namespace the listener does not accept, routes nothing.',
  run(cluster) {
    const certificates = cluster.ofKind('Gateway').flatMap((gateway) => {
      const namespace = namespaceOf(gateway.object);
      return ((specOf(gateway).listeners ?? []) as Listener[]).flatMap((listener, l) =>
        (listener.tls?.certificateRefs ?? []).flatMap((ref, r): Finding[] => {
          if ((ref.kind ?? 'Secret') !== 'Secret') return [];
          const secretNamespace = ref.namespace ?? namespace;
          return objectExists(cluster, 'Secret', ref.name ?? '', secretNamespace)
            ? []
            : [
                finding(
                  gateway,
                  `spec.listeners[${l}].tls.certificateRefs[${r}]`,
                  missingObject('Secret', ref.name ?? '', secretNamespace),
                ),
              ];
        }),
      );
    });
    const routes = cluster.ofKind('HTTPRoute').flatMap((route) => {
      const namespace = namespaceOf(route.object);
      const spec = specOf(route);
      const parents = (
        (spec.parentRefs ?? []) as { name?: string; namespace?: string; sectionName?: string }[]
      ).flatMap((ref, index): Finding[] => {
        const at = `spec.parentRefs[${index}]`;
        const gatewayNamespace = ref.namespace ?? namespace;
        const gateway = cluster.find('Gateway', ref.name ?? '', gatewayNamespace);
        if (!gateway) return [finding(route, at, `Gateway ${gatewayNamespace}/${ref.name} does not exist`)];
        const listeners = ((specOf(gateway).listeners ?? []) as Listener[]).filter(
          (listener) => ref.sectionName === undefined || listener.name === ref.sectionName,
        );
        if (listeners.length === 0) {
          return [
            finding(
              route,
              `${at}.sectionName`,
              `Gateway ${gatewayNamespace}/${ref.name} has no listener ${ref.sectionName}`,
            ),
          ];
        }
        const accepts = listeners.some((listener) => {
          const from = listener.allowedRoutes?.namespaces?.from ?? 'Same';
          return from === 'All' || (from === 'Same' && gatewayNamespace === namespace) || from === 'Selector';
        });
        return accepts
          ? []
          : [
              finding(
                route,
                at,
                `no listener of Gateway ${gatewayNamespace}/${ref.name} accepts routes from ${namespace}`,
              ),
            ];
      });
      const backends = (
        (spec.rules ?? []) as { backendRefs?: { kind?: string; name?: string; namespace?: string; port?: number }[] }[]
      ).flatMap((rule, r) =>
        (rule.backendRefs ?? []).flatMap((ref, b): Finding[] => {
          if ((ref.kind ?? 'Service') !== 'Service') return [];
          const at = `spec.rules[${r}].backendRefs[${b}]`;
          const serviceNamespace = ref.namespace ?? namespace;
          const service = cluster.find('Service', ref.name ?? '', serviceNamespace);
          if (!service) return [finding(route, at, `Service ${serviceNamespace}/${ref.name} does not exist`)];
          const ports = ((specOf(service).ports ?? []) as ServicePort[]).map((port) => port.port);
          return ports.includes(ref.port)
            ? []
            : [finding(route, `${at}.port`, `Service ${serviceNamespace}/${ref.name} has no port ${ref.port}`)];
        }),
      );
      return [...parents, ...backends];
    });
    return [...certificates, ...routes];
  },
};
