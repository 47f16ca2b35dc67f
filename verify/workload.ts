import type { Container, ContainerPort, LabelSelector, Labels, PodSpec, PodTemplateSpec } from './kubernetes.js';
import type { Manifest } from './manifest.js';
import { namespaceOf } from './manifest.js';

/** The pods an object makes: its pod template, wherever the kind keeps it. */
export interface Workload {
  /** The object that holds the template. */
  readonly manifest: Manifest;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** Labels of the pods it creates. */
  readonly podLabels: Labels;
  /** Annotations of the pods it creates. */
  readonly podAnnotations: Record<string, string>;
  readonly spec: PodSpec;
  /** JSON path of the pod spec inside the object, e.g. `spec.template.spec`. */
  readonly specPath: string;
  /** The controller's selector (Deployment, StatefulSet, DaemonSet, ReplicaSet), if it has one. */
  readonly selector: LabelSelector | undefined;
  /** Declared replica count (1 when unset, as the API server defaults it). */
  readonly replicas: number;
  /** Pods that should run forever (and so need probes, a PDB, ...), not ones that run to completion. */
  readonly longRunning: boolean;
}

const CONTROLLERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);

/** Every workload among the manifests, in manifest order. */
export function workloadsOf(manifests: readonly Manifest[]): Workload[] {
  return manifests.flatMap((manifest) => {
    const workload = workloadOf(manifest);
    return workload ? [workload] : [];
  });
}

export function workloadOf(manifest: Manifest): Workload | undefined {
  const { object } = manifest;
  const spec = asRecord(object.spec);
  const base = { manifest, kind: object.kind, name: object.metadata?.name ?? '', namespace: namespaceOf(object) };
  if (object.kind === 'Pod') {
    return {
      ...base,
      podLabels: object.metadata?.labels ?? {},
      podAnnotations: object.metadata?.annotations ?? {},
      spec: (spec ?? {}) as PodSpec,
      specPath: 'spec',
      selector: undefined,
      replicas: 1,
      longRunning: true,
    };
  }
  if (CONTROLLERS.has(object.kind) || object.kind === 'Job') {
    return fromTemplate(base, spec?.template as PodTemplateSpec | undefined, 'spec.template', {
      selector: spec?.selector as LabelSelector | undefined,
      replicas: object.kind === 'DaemonSet' || object.kind === 'Job' ? 1 : numberOr(spec?.replicas, 1),
      longRunning: object.kind !== 'Job',
    });
  }
  if (object.kind === 'CronJob') {
    const jobSpec = asRecord(asRecord(spec?.jobTemplate)?.spec);
    return fromTemplate(base, jobSpec?.template as PodTemplateSpec | undefined, 'spec.jobTemplate.spec.template', {
      selector: undefined,
      replicas: 1,
      longRunning: false,
    });
  }
  return undefined;
}

/** Every container of a pod spec with its JSON path: init, regular and ephemeral ones. */
export function containersOf(workload: Workload): { container: Container; path: string }[] {
  const groups = ['initContainers', 'containers', 'ephemeralContainers'] as const;
  return groups.flatMap((group) =>
    (Array.isArray(workload.spec[group]) ? workload.spec[group] : []).map((container, index) => ({
      container,
      path: `${workload.specPath}.${group}[${index}]`,
    })),
  );
}

/** Every port every container of the pod declares, with its JSON path: ports are unique per pod, not per container. */
export function portsOf(workload: Workload): { port: ContainerPort; path: string }[] {
  return containersOf(workload).flatMap(({ container, path }) =>
    (container.ports ?? []).map((port, index) => ({ port, path: `${path}.ports[${index}]` })),
  );
}

/** The regular containers of a pod that runs forever: the ones a kubelet probes. */
export function probedContainers(workload: Workload): { container: Container; path: string }[] {
  if (!workload.longRunning) return [];
  return (workload.spec.containers ?? []).map((container, index) => ({
    container,
    path: `${workload.specPath}.containers[${index}]`,
  }));
}

/** What a HorizontalPodAutoscaler scales. */
export interface ScaleTargetRef {
  kind?: string;
  name?: string;
}

export const scaleTargetOf = (hpa: Manifest) =>
  ((hpa.object.spec ?? {}) as { scaleTargetRef?: ScaleTargetRef }).scaleTargetRef ?? {};

function fromTemplate(
  base: Pick<Workload, 'manifest' | 'kind' | 'name' | 'namespace'>,
  template: PodTemplateSpec | undefined,
  templatePath: string,
  rest: Pick<Workload, 'selector' | 'replicas' | 'longRunning'>,
): Workload {
  return {
    ...base,
    ...rest,
    podLabels: template?.metadata?.labels ?? {},
    podAnnotations: template?.metadata?.annotations ?? {},
    spec: template?.spec ?? {},
    specPath: `${templatePath}.spec`,
  };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
