import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { Cluster } from '../cluster.js';
import { deployTimeObjects } from '../exemptions.js';
import type { LabelSelector, ServicePort } from '../kubernetes.js';
import { selects } from '../label-selector.js';
import type { Manifest } from '../manifest.js';
import { namespaceOf } from '../manifest.js';

// References between custom resources, and from them to built-in objects, resolved as
// config-references-exist and ingress-backends-exist resolve those of built-in objects: against the
// manifests, the objects the operators make of them (verify/operators.ts), and what a
// `verify.billing/created-at-deploy` annotation declares.

type Spec = Record<string, unknown>;
const specOf = (manifest: Manifest) => (manifest.object.spec ?? {}) as Spec;

/** Whether an object exists in the manifests, is made by an operator, or is declared as created at deploy time. */
function exists(cluster: Cluster, kind: string, name: string, namespace: string): boolean {
  if (cluster.find(kind, name, namespace)) return true;
  return deployTimeObjects(cluster.manifests).some(
    (created) =>
      created.kind === kind && created.name === name && (kind === 'ClusterIssuer' || created.namespace === namespace),
  );
}

function missing(kind: string, name: string, namespace: string): string {
  return `${kind} ${namespace}/${name} does not exist (nor is it made by an operator of the manifests or declared in verify.billing/created-at-deploy)`;
}

export const postgresReferencesExist: Check = {
  name: 'postgres-references-exist',
  category: 'reference',
  reason:
    'A Pooler or ScheduledBackup naming a missing CloudNativePG Cluster never becomes ready, a backup of a cluster without an object store fails, and backup credentials in a missing Secret stop WAL archiving.',
  run(cluster) {
    const clusterOf = (manifest: Manifest) => {
      const name = ((specOf(manifest).cluster ?? {}) as { name?: string }).name ?? '';
      const namespace = namespaceOf(manifest.object);
      return { name, namespace, found: cluster.find('Cluster', name, namespace) };
    };
    const poolers = cluster.ofKind('Pooler').flatMap((pooler): Finding[] => {
      const { name, namespace, found } = clusterOf(pooler);
      return found ? [] : [finding(pooler, 'spec.cluster.name', `Cluster ${namespace}/${name} does not exist`)];
    });
    const backups = cluster.ofKind('ScheduledBackup').flatMap((backup): Finding[] => {
      const { name, namespace, found } = clusterOf(backup);
      if (!found) return [finding(backup, 'spec.cluster.name', `Cluster ${namespace}/${name} does not exist`)];
      const method = specOf(backup).method ?? 'barmanObjectStore';
      const store = ((specOf(found).backup ?? {}) as Spec).barmanObjectStore;
      return method === 'barmanObjectStore' && store === undefined
        ? [
            finding(
              backup,
              'spec.method',
              `Cluster ${namespace}/${name} has no spec.backup.barmanObjectStore to back up to`,
            ),
          ]
        : [];
    });
    const credentials = cluster.ofKind('Cluster').flatMap((manifest): Finding[] => {
      const s3 = ((((specOf(manifest).backup ?? {}) as Spec).barmanObjectStore ?? {}) as Spec).s3Credentials as
        Record<string, { name?: string } | boolean> | undefined;
      const namespace = namespaceOf(manifest.object);
      return Object.entries(s3 ?? {}).flatMap(([field, ref]) =>
        typeof ref === 'object' && ref.name && !exists(cluster, 'Secret', ref.name, namespace)
          ? [
              finding(
                manifest,
                `spec.backup.barmanObjectStore.s3Credentials.${field}`,
                missing('Secret', ref.name, namespace),
              ),
            ]
          : [],
      );
    });
    return [...poolers, ...backups, ...credentials];
  },
};

export const certificateIssuerExists: Check = {
  name: 'certificate-issuer-exists',
  category: 'reference',
  reason: 'A Certificate whose issuer does not exist is never issued, and the listener serving it has no certificate.',
  run(cluster) {
    return cluster.ofKind('Certificate').flatMap((certificate): Finding[] => {
      const ref = (specOf(certificate).issuerRef ?? {}) as { name?: string; kind?: string; group?: string };
      if (ref.group !== undefined && ref.group !== 'cert-manager.io') return [];
      const kind = ref.kind ?? 'Issuer';
      const namespace = namespaceOf(certificate.object);
      return exists(cluster, kind, ref.name ?? '', namespace)
        ? []
        : [finding(certificate, 'spec.issuerRef', missing(kind, ref.name ?? '', namespace))];
    });
  },
};

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
          return exists(cluster, 'Secret', ref.name ?? '', secretNamespace)
            ? []
            : [
                finding(
                  gateway,
                  `spec.listeners[${l}].tls.certificateRefs[${r}]`,
                  missing('Secret', ref.name ?? '', secretNamespace),
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

export const monitorTargetsExist: Check = {
  name: 'monitor-targets-exist',
  category: 'reference',
  reason:
    'A ServiceMonitor or PodMonitor that selects nothing, or names a port its targets do not have, scrapes nothing and its alerts never fire.',
  run(cluster) {
    const serviceMonitors = cluster.ofKind('ServiceMonitor').flatMap((monitor): Finding[] => {
      const spec = specOf(monitor);
      const namespace = namespaceOf(monitor.object);
      const services = cluster
        .ofKind('Service')
        .filter(
          (service) =>
            namespaceOf(service.object) === namespace &&
            selects(spec.selector as LabelSelector, service.object.metadata?.labels ?? {}),
        );
      if (services.length === 0) return [finding(monitor, 'spec.selector', `selects no Service in ${namespace}`)];
      return ((spec.endpoints ?? []) as { port?: string }[]).flatMap((endpoint, index) =>
        endpoint.port === undefined ||
        services.some((service) =>
          ((specOf(service).ports ?? []) as ServicePort[]).some((p) => p.name === endpoint.port),
        )
          ? []
          : [
              finding(
                monitor,
                `spec.endpoints[${index}].port`,
                `no selected Service has a port named ${endpoint.port}`,
              ),
            ],
      );
    });
    const podMonitors = cluster.ofKind('PodMonitor').flatMap((monitor): Finding[] => {
      const spec = specOf(monitor);
      const namespace = namespaceOf(monitor.object);
      const selector = spec.selector as LabelSelector;
      const portsOfWorkloads = cluster.workloads
        .filter((w) => w.namespace === namespace && selects(selector, w.podLabels))
        .map((w) => (w.spec.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.name)));
      const portsOfOperatorPods = cluster.operatorPods
        .filter((p) => p.namespace === namespace && selects(selector, p.labels))
        .map((p) => Object.keys(p.ports));
      const targets = [...portsOfWorkloads, ...portsOfOperatorPods];
      if (targets.length === 0) return [finding(monitor, 'spec.selector', `selects no pod in ${namespace}`)];
      return ((spec.podMetricsEndpoints ?? []) as { port?: string }[]).flatMap((endpoint, index) =>
        endpoint.port === undefined || targets.every((ports) => ports.includes(endpoint.port))
          ? []
          : [
              finding(
                monitor,
                `spec.podMetricsEndpoints[${index}].port`,
                `a selected pod has no port named ${endpoint.port}`,
              ),
            ],
      );
    });
    return [...serviceMonitors, ...podMonitors];
  },
};

export const argoProjectExists: Check = {
  name: 'argo-project-exists',
  category: 'reference',
  reason: 'An Argo CD Application whose AppProject does not exist is refused: nothing syncs.',
  run(cluster) {
    return cluster.ofKind('Application').flatMap((application): Finding[] => {
      const project = String(specOf(application).project ?? '');
      const namespace = namespaceOf(application.object);
      return project === 'default' || exists(cluster, 'AppProject', project, namespace)
        ? []
        : [finding(application, 'spec.project', `AppProject ${namespace}/${project} does not exist`)];
    });
  },
};

export const customResourceReferences = [
  postgresReferencesExist,
  certificateIssuerExists,
  gatewayReferencesExist,
  monitorTargetsExist,
  argoProjectExists,
];
